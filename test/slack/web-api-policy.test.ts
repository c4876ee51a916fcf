// Outbound policy: 429 with Retry-After (case 21), an unreachable API failing after a bounded
// number of attempts (case 22), and at most one message per second per channel (case 23).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ChannelBusyError, createChannelLimiter } from "../../src/slack/channel-limiter.js";
import { WEB_API_RETRIES, withRateLimit } from "../../src/slack/web-client.js";
import {
  allowOnlyLocalhost,
  eventEnvelope,
  type Harness,
  SLACK_API,
  sendEvent,
  slackApi,
  startSlack,
} from "./helpers.js";

beforeAll(() => allowOnlyLocalhost());
afterEach(() => nock.cleanAll());

describe("rate limits (case 21)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSlack();
  });
  afterAll(() => h.close());

  it("21: a 429 with Retry-After: 1, then 200 → two calls, the second at least 1 s later", async () => {
    const api = slackApi(
      "chat.postMessage",
      (_b, n) =>
        n === 1 ? [429, { ok: false, error: "ratelimited" }, { "retry-after": "1" }] : [200, { ok: true }],
      2,
    );
    await sendEvent(h.url, eventEnvelope("message_im", { channel: "D21A" }, "Ev21a"));
    await h.handler.drain();
    expect(api.bodies).toHaveLength(2);
    expect((api.at[1] as number) - (api.at[0] as number)).toBeGreaterThanOrEqual(1000);
    expect(h.telemetry.answers.at(-1)).toEqual(expect.objectContaining({ trigger: "dm" }));
  });

  it("21: a Retry-After longer than the budget fails at once instead of holding the reply", async () => {
    const api = slackApi(
      "chat.postMessage",
      () => [429, { ok: false, error: "ratelimited" }, { "retry-after": "600" }],
      2,
    );
    await sendEvent(h.url, eventEnvelope("message_im", { channel: "D21B" }, "Ev21b"));
    await h.handler.drain();
    expect(api.bodies).toHaveLength(1);
    expect(h.telemetry.failures.at(-1)).toEqual(expect.objectContaining({ stage: "chat.postMessage" }));
  });

  it("withRateLimit waits the Retry-After once and does not retry other errors", async () => {
    const waits: number[] = [];
    const rateLimited = Object.assign(new Error("429"), {
      code: "slack_webapi_rate_limited_error",
      retryAfter: 3,
    });
    let n = 0;
    const result = await withRateLimit(
      async () => {
        n += 1;
        if (n === 1) throw rateLimited;
        return "ok";
      },
      { wait: async (ms) => void waits.push(ms) },
    );
    expect([result, n, waits]).toEqual(["ok", 2, [3000]]);
    await expect(withRateLimit(async () => Promise.reject(new Error("other")))).rejects.toThrow("other");
  });
});

describe("unreachable API (case 22)", () => {
  it(`22: connection refused → ${1 + WEB_API_RETRIES} attempts, then the failure is reported`, async () => {
    const h = await startSlack();
    try {
      let attempts = 0;
      nock(SLACK_API)
        .post("/api/chat.postMessage")
        .times(10)
        .replyWithError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))
        .on("request", () => {
          attempts += 1;
        });
      await sendEvent(h.url, eventEnvelope("message_im", { channel: "D22A" }, "Ev22a"));
      await h.handler.drain();
      expect(attempts).toBe(1 + WEB_API_RETRIES);
      expect(h.telemetry.failures).toEqual([expect.objectContaining({ stage: "chat.postMessage" })]);
    } finally {
      await h.close();
    }
  });

  it(`22: an API that accepts but never answers → each attempt times out; ${1 + WEB_API_RETRIES} attempts in all`, async () => {
    let attempts = 0;
    const blackHole: Server = createServer(() => {
      attempts += 1; // never answers
    });
    await new Promise<void>((r) => blackHole.listen(0, "127.0.0.1", r));
    const { port } = blackHole.address() as AddressInfo;
    const h = await startSlack({ slackApiUrl: `http://127.0.0.1:${port}/api/`, webApiTimeoutMs: 200 });
    try {
      await sendEvent(h.url, eventEnvelope("message_im", { channel: "D22B" }, "Ev22b"));
      await h.handler.drain();
      expect(attempts).toBe(1 + WEB_API_RETRIES);
      expect(h.telemetry.failures).toEqual([expect.objectContaining({ stage: "chat.postMessage" })]);
    } finally {
      await h.close();
      blackHole.closeAllConnections();
      await new Promise<void>((r) => blackHole.close(() => r()));
    }
  });
});

describe("per-channel pacing (case 23)", () => {
  it("23: two answers for one channel at once → posted at least 1 s apart; another channel is not held", async () => {
    const h = await startSlack();
    try {
      const api = slackApi("chat.postMessage", undefined, 3);
      await Promise.all([
        sendEvent(h.url, eventEnvelope("message_im", { channel: "D23", text: "eraser" }, "Ev23a")),
        sendEvent(h.url, eventEnvelope("message_im", { channel: "D23", text: "kms" }, "Ev23b")),
        sendEvent(h.url, eventEnvelope("message_im", { channel: "D23OTHER", text: "kms" }, "Ev23c")),
      ]);
      await h.handler.drain();
      const same = api.bodies
        .map((b, i) => ({ b, at: api.at[i] as number }))
        .filter((x) => x.b.channel === "D23");
      expect(same).toHaveLength(2);
      // The limiter spaces the sends by 1 s; seen at the receiving end, a first post that arrives
      // late on a loaded machine narrows the gap a little. Without the limiter it would be ~0.
      expect((same[1]?.at as number) - (same[0]?.at as number)).toBeGreaterThanOrEqual(900);
      expect(api.bodies.filter((b) => b.channel === "D23OTHER")).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it("schedules one slot per interval per channel, and refuses a queue longer than maxWaitMs", async () => {
    let t = 10_000;
    const slept: number[] = [];
    const limiter = createChannelLimiter({
      intervalMs: 1000,
      maxWaitMs: 2500,
      now: () => t,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    await limiter.wait("C1");
    await limiter.wait("C1");
    await limiter.wait("C2");
    await limiter.wait("C1");
    expect(slept).toEqual([1000, 2000]);
    await expect(limiter.wait("C1")).rejects.toBeInstanceOf(ChannelBusyError);
    t += 3000;
    await limiter.wait("C1");
    expect(slept).toEqual([1000, 2000]);
  });
});
