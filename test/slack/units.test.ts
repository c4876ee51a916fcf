// Small parts with their own rules: the event store (16, 17), response_url limits (20), the
// signature header checks (3–6) and Bolt's logger shim.

import { Writable } from "node:stream";
import { LogLevel } from "@slack/bolt";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { createBoltLogger } from "../../src/slack/bolt-logger.js";
import { createMemoryEventStore } from "../../src/slack/event-store.js";
import { createResponder, RESPONSE_URL_MAX_USES, ResponseUrlError } from "../../src/slack/response-url.js";
import { serializedJson, serializeOnce } from "../../src/slack/serialized-json.js";
import { checkSignatureHeaders, type SignatureError } from "../../src/slack/verify-signature.js";

describe("memory event store", () => {
  it("claims once, refuses while in progress and after completion, frees a released id", async () => {
    let t = 0;
    const s = createMemoryEventStore({ leaseMs: 100, retentionMs: 1000, now: () => t });
    expect(await s.claim("e1")).toBe(true);
    expect(await s.claim("e1")).toBe(false);
    await s.release("e1");
    expect(await s.claim("e1")).toBe(true);
    await s.complete("e1");
    t = 999;
    expect(await s.claim("e1")).toBe(false);
    t = 1001;
    expect(await s.claim("e1")).toBe(true);
  });

  it("lets a claim whose holder died expire after the lease", async () => {
    let t = 0;
    const s = createMemoryEventStore({ leaseMs: 100, now: () => t });
    await s.claim("e2");
    t = 101;
    expect(await s.claim("e2")).toBe(true);
  });

  it("keeps at most maxEntries ids, dropping the oldest", async () => {
    const s = createMemoryEventStore({ maxEntries: 3, now: () => 0 });
    for (const id of ["a", "b", "c", "d"]) await s.claim(id);
    await s.claim("e");
    expect(await s.claim("a")).toBe(true);
    expect(await s.claim("e")).toBe(false);
  });
});

describe("response_url limits (case 20)", () => {
  it("refuses a sixth post and a post after the URL's 30 minutes", async () => {
    let t = 0;
    const r = createResponder("https://hooks.slack.com/x", { receivedAt: 0, timeoutMs: 100, now: () => t });
    nock.disableNetConnect();
    const hook = nock("https://hooks.slack.com").post("/x").times(10).reply(200, "ok");
    for (let i = 0; i < RESPONSE_URL_MAX_USES; i += 1) await r.post({ text: "x" });
    expect(hook.pendingMocks()).toHaveLength(1);
    expect(r.uses).toBe(RESPONSE_URL_MAX_USES);
    await expect(r.post({ text: "x" })).rejects.toThrow(/already used 5 times/);
    const late = createResponder("https://hooks.slack.com/x", {
      receivedAt: 0,
      timeoutMs: 100,
      now: () => t,
    });
    t = 29 * 60_000 + 1;
    await expect(late.post({ text: "x" })).rejects.toThrow(/expired/);
    expect(late.uses).toBe(0);
    nock.cleanAll();
  });

  it("only posts to Slack's hosts over https", async () => {
    for (const url of [
      "http://hooks.slack.com/x",
      "https://hooks.slack.com.evil.example/x",
      "https://user:pw@hooks.slack.com/x",
      "not a url",
    ]) {
      const r = createResponder(url, { receivedAt: Date.now(), timeoutMs: 100 });
      await expect(r.post({ text: "x" })).rejects.toBeInstanceOf(ResponseUrlError);
      expect(r.uses).toBe(0);
    }
  });
});

describe("signature headers", () => {
  const now = 1_700_000_000_000;
  const sig = `v0=${"a".repeat(64)}`;
  const reason = (s: string | string[] | undefined, ts: string | string[] | undefined) => {
    try {
      checkSignatureHeaders(s, ts, now);
      return "ok";
    } catch (e) {
      return (e as SignatureError).reason;
    }
  };
  it.each([
    [sig, "1700000000", "ok"],
    [undefined, "1700000000", "missing_signature_headers"],
    [sig, undefined, "missing_signature_headers"],
    [[sig, sig], "1700000000", "missing_signature_headers"],
    [sig, "abc", "bad_timestamp"],
    [sig, "-1", "bad_timestamp"],
    [sig, "1e9", "bad_timestamp"],
    [sig, "1699999699", "stale_timestamp"],
    [sig, "1700000301", "stale_timestamp"],
    [sig, "1700000300", "ok"],
    [`v1=${"a".repeat(64)}`, "1700000000", "unsupported_signature_version"],
    ["v0=short", "1700000000", "unsupported_signature_version"],
  ] as const)("%s / %s → %s", (s, ts, expected) => {
    expect(reason(s as string | string[] | undefined, ts as string | undefined)).toBe(expected);
  });
});

describe("Bolt logger shim", () => {
  it("writes Bolt's calls as pino lines, errors as err, and never lowers the process level", () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _e, cb) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        cb();
      },
    });
    const bolt = createBoltLogger(createLogger({ level: "info", destination }));
    expect(bolt.getLevel()).toBe(LogLevel.INFO);
    bolt.setLevel(LogLevel.DEBUG);
    bolt.debug("hidden");
    bolt.error("Slack API error:", new Error("invalid_auth"));
    bolt.setLevel(LogLevel.ERROR);
    bolt.warn("also hidden");
    bolt.setName("socket-mode");
    bolt.error("posting", { token: "xoxb-secret", channel: "C1" }, 3);
    expect(lines.map((l) => [l.level, l.msg, l.component])).toEqual([
      [50, "Slack API error:", "bolt"],
      [50, "posting 3", "socket-mode"],
    ]);
    expect(lines[0]?.err).toMatchObject({ message: "invalid_auth" });
    expect(lines[1]?.data).toEqual({ token: "[redacted]", channel: "C1" });
  });
});

describe("serializeOnce (acks reused from the render cache)", () => {
  const card = { response_type: "ephemeral", text: "Eraser", blocks: [{ type: "divider" }] };

  it("keeps the JSON of the object, which JSON.stringify (Socket Mode's path) also yields", () => {
    const once = serializeOnce(card);
    expect(serializedJson(once)).toBe(JSON.stringify(card));
    expect(JSON.stringify(once)).toBe(JSON.stringify(card));
    expect(once).toEqual(card);
  });

  it("is frozen all the way down, so the object and its JSON cannot drift apart", () => {
    const once = serializeOnce(structuredClone(card));
    expect(() => {
      (once.blocks[0] as { type: string }).type = "section";
    }).toThrow(TypeError);
  });

  it("a spread copy is an ordinary object again: its own JSON is made from what it holds", () => {
    const copy = { ...serializeOnce(card), replace_original: true };
    expect(serializedJson(copy)).toBeUndefined();
  });

  it("says nothing for values it did not serialize", () => {
    expect(serializedJson(card)).toBeUndefined();
    expect(serializedJson("text")).toBeUndefined();
    expect(serializedJson(null)).toBeUndefined();
  });
});
