// The logger's compiled redaction (src/redact.ts) against pino's own `redact` option as the oracle:
// for generated log objects that carry secret-named keys at any depth, in headers, in arrays and in
// errors, both write the same line; and the caller's object is never changed.
import { Writable } from "node:stream";
import fc from "fast-check";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { CENSOR, createLogger, REDACT_PATHS } from "../../src/log.js";
import { runs } from "./runs.js";

function lines(make: (dest: Writable) => pino.Logger, write: (l: pino.Logger) => void): unknown[] {
  const out: string[] = [];
  const dest = new Writable({
    write(chunk, _enc, cb) {
      out.push(String(chunk));
      cb();
    },
  });
  write(make(dest));
  // Timestamps differ between the two loggers; everything else must match.
  return out.map((l) => {
    const { time: _t, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return rest;
  });
}

const ours = (dest: Writable) => createLogger({ destination: dest, level: "trace" });
const oracle = (dest: Writable) =>
  pino(
    { level: "trace", redact: { paths: REDACT_PATHS, censor: CENSOR }, base: { app: "upstream-bot" } },
    dest,
  );

const SECRET_KEYS = [
  "token",
  "botToken",
  "secret",
  "password",
  "authorization",
  "x-slack-signature",
  "headers",
];
const key = fc.oneof(
  fc.constantFrom(...SECRET_KEYS),
  fc.constantFrom("data", "err", "a", "b"),
  fc.string({ maxLength: 6 }),
);
const leaf = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.dictionary(key, tie("tree"), { maxKeys: 4, noNullPrototype: true }),
    fc.array(tie("tree"), { maxLength: 3 }),
  ),
}));
const logObject = fc.dictionary(key, tree, { maxKeys: 5, noNullPrototype: true });

describe("log redaction", () => {
  it("writes the same lines as pino's redact option, for generated objects", () => {
    fc.assert(
      fc.property(logObject, logObject, (obj, bindings) => {
        const write = (l: pino.Logger) => {
          l.info(obj, "line");
          l.child(bindings).warn(obj, "child line");
        };
        expect(lines(ours, write)).toEqual(lines(oracle, write));
      }),
      { numRuns: runs(2000) },
    );
  });

  it("never changes the caller's object", () => {
    fc.assert(
      fc.property(logObject, (obj) => {
        const before = structuredClone(obj);
        lines(ours, (l) => l.info(obj, "line"));
        expect(obj).toEqual(before);
      }),
      { numRuns: runs(1000) },
    );
  });

  it("keeps an Error an Error while redacting its secret properties", () => {
    const err = Object.assign(new Error("boom"), {
      token: "xoxb-secret",
      headers: { authorization: "Bearer x" },
    });
    const [line] = lines(ours, (l) => l.error({ err }, "failed")) as { err: Record<string, unknown> }[];
    expect(line?.err).toMatchObject({
      type: "Error",
      message: "boom",
      token: CENSOR,
      headers: { authorization: CENSOR },
    });
    expect(typeof line?.err.stack).toBe("string");
    expect(err.token).toBe("xoxb-secret");
  });
});
