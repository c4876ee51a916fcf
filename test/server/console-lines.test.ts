// Library console output in `serve` goes to the logger, once per distinct message per window:
// the rules on a stand-in console, then botbuilder's own lines for refused Teams tokens through
// the real handler.
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { type ConsoleLike, routeConsoleToLogger } from "../../src/server/console-lines.js";
import {
  channelClaims,
  makeKey,
  personalMessage,
  post,
  signToken,
  useTeamsServer,
} from "../teams/support.js";
import { captureLines } from "./helpers.js";

function capture() {
  const log = captureLines();
  return { records: log.records, logger: createLogger({ level: "debug", destination: log }) };
}

function standIn(): ConsoleLike & { direct: unknown[][] } {
  const direct: unknown[][] = [];
  return { direct, error: (...a) => void direct.push(a), warn: (...a) => void direct.push(a) };
}

describe("routeConsoleToLogger", () => {
  it("logs a message once, counts its repeats inside the window, and reports them with the next one", () => {
    const { records, logger } = capture();
    const c = standIn();
    let t = 0;
    const restore = routeConsoleToLogger(c, logger, { windowMs: 1000, now: () => t });
    c.error("Error finding key for token. Available keys: -----BEGIN RSA PUBLIC KEY-----\nMIIB…");
    t = 500;
    c.error("Error finding key for token. Available keys: -----BEGIN RSA PUBLIC KEY-----\nOTHER…");
    c.error("Error finding key for token. Available keys: -----BEGIN RSA PUBLIC KEY-----\nMIIB…");
    t = 1500;
    c.error("Error finding key for token. Available keys: -----BEGIN RSA PUBLIC KEY-----\nMIIB…");
    restore();
    expect(c.direct).toEqual([]);
    const lines = records();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 40,
      source: "console.error",
      msg: "Error finding key for token. Available keys: -----BEGIN RSA PUBLIC KEY-----",
    });
    expect(lines[0]?.detail).toContain("MIIB…");
    expect(lines[0]).not.toHaveProperty("heldBack");
    expect(lines[1]).toMatchObject({ heldBack: 2, windowMs: 1000 });
  });

  it("keys an Error by its name and message, and keeps its stack as a bounded detail", () => {
    const { records, logger } = capture();
    const c = standIn();
    const restore = routeConsoleToLogger(c, logger);
    const err = new Error("invalid signature");
    err.name = "JsonWebTokenError";
    c.error(err);
    c.error(err);
    c.warn("BadRequest: Missing activity or activity type.");
    c.warn({ odd: "object" });
    restore();
    const lines = records();
    expect(lines.map((l) => [l.source, l.msg])).toEqual([
      ["console.error", "JsonWebTokenError: invalid signature"],
      ["console.warn", "BadRequest: Missing activity or activity type."],
      ["console.warn", "{ odd: 'object' }"],
    ]);
    expect(String(lines[0]?.detail)).toMatch(/JsonWebTokenError\]?: invalid signature\n\s+at /);
    expect(String(lines[0]?.detail).length).toBeLessThanOrEqual(1000);
    expect(lines[1]).not.toHaveProperty("detail");
  });

  it("a value whose inspection throws is dropped without breaking the caller", () => {
    const { records, logger } = capture();
    const c = standIn();
    const restore = routeConsoleToLogger(c, logger);
    const evil = {
      [Symbol.for("nodejs.util.inspect.custom")]() {
        throw new Error("boom");
      },
    };
    expect(() => c.error(evil)).not.toThrow();
    expect(() => c.warn("fine", evil)).not.toThrow();
    c.warn("after");
    restore();
    const lines = records();
    expect(lines.map((l) => l.msg)).toEqual(["after"]);
  });

  it("remembers a bounded number of messages and puts the console back", () => {
    const { records, logger } = capture();
    const c = standIn();
    const { error, warn } = c;
    const restore = routeConsoleToLogger(c, logger, { maxKeys: 2 });
    c.error("a");
    c.error("b");
    c.error("c"); // forgets "a"
    c.error("a"); // so "a" is new again
    c.error("c"); // still remembered
    restore();
    const lines = records();
    expect(lines.map((l) => l.msg)).toEqual(["a", "b", "c", "a"]);
    expect(c.error).toBe(error);
    expect(c.warn).toBe(warn);
    c.error("direct");
    expect(c.direct).toEqual([["direct"]]);
  });
});

describe("botbuilder's lines for refused tokens", () => {
  const key = makeKey("k-console", ["msteams"]);
  const forger = makeKey("k-console", ["msteams"]); // same kid, another key: a bad signature
  const h = useTeamsServer({ keys: [key] });
  let restore = () => {};
  afterEach(() => restore());

  it("20 forged tokens → 401 each, and each of botbuilder's two messages is logged once", async () => {
    const { records, logger } = capture();
    restore = routeConsoleToLogger(console, logger);
    for (let i = 0; i < 20; i++) {
      const res = await post(h.url, personalMessage(`forged ${i}`), signToken(forger, channelClaims()));
      expect(res.status).toBe(401);
    }
    restore();
    const lines = records();
    expect(lines.map((l) => l.msg)).toEqual([
      "Error finding key for token. Available keys: -----BEGIN RSA PUBLIC KEY-----",
      "JsonWebTokenError: invalid signature",
    ]);
  });
});
