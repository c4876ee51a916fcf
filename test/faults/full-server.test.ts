// Fault runs against the full server (Slack and Teams mounted together): the Slack Web API and the
// Bot Framework connector answer 429 with Retry-After, 500, or never. Each time the request that
// started the reply is still acknowledged, the reply is retried only where the policy says so, each
// failure is logged once with its cause, and the process goes on answering both platforms.
// Per-adapter versions of these cases: test/slack/web-api-policy.test.ts (21, 22),
// test/teams/outbound-retry.test.ts (43, 44); OpenID outages: openid-outage.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "../server/helpers.js";
import { type FullServer, problems, startFullServer } from "./harness.js";

let s: FullServer;
beforeAll(async () => {
  s = await startFullServer();
});
afterAll(async () => {
  await s.close();
});

let channels = 0;
/** A fresh channel per case: the per-channel pacing (one post a second) must not link the cases. */
const channel = () => `CFAULT${++channels}`;

/** Runs `fault`, waits for background replies, and returns the log lines written meanwhile. */
async function during(fault: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const before = s.logs().length;
  await fault();
  await s.running.platforms.drain();
  return s.logs().slice(before);
}

/** The process still answers both platforms and its probes, with the faults gone. */
async function stillServing() {
  s.edge.heal();
  const health = await send(s.running.url, "/healthz");
  expect(health.status).toBe(200);
  const command = await s.command("eraser");
  expect(command.status).toBe(200);
  expect(command.body).toContain("Eraser");
  const replies = s.edge.counts.connector;
  expect((await s.teams("eraser", `a:still-${channels}`)).status).toBe(200);
  await s.running.platforms.drain();
  expect(s.edge.counts.connector).toBe(replies + 1);
}

/**
 * One failed reply, logged once: exactly one error line, naming what failed and why. The only
 * warnings allowed beside it are the Slack Web API client's own, one per failed attempt.
 */
function loggedOnce(lines: Record<string, unknown>[], what: RegExp, cause: RegExp) {
  const errors = lines.filter((l) => Number(l.level) >= 50);
  expect(errors, JSON.stringify(errors)).toHaveLength(1);
  expect(JSON.stringify(errors[0])).toMatch(what);
  expect(JSON.stringify(errors[0])).toMatch(cause);
  const warnings = problems(lines).filter((l) => Number(l.level) < 50);
  for (const w of warnings) expect(String(w.msg)).toMatch(/^http request failed/);
}

describe("Slack Web API faults (chat.postMessage for an @mention)", () => {
  it("429 with a short Retry-After → waited once, then posted; nothing logged as a failure", async () => {
    const posts = s.edge.slackMethods.get("chat.postMessage") ?? 0;
    const lines = await during(async () => {
      s.edge.fail("slack_api", {
        status: 429,
        headers: { "retry-after": "1" },
        body: { ok: false, error: "ratelimited" },
        times: 1,
      });
      expect((await s.mention("eraser", channel())).status).toBe(200);
    });
    expect(s.edge.slackMethods.get("chat.postMessage")).toBe(posts + 2);
    expect(problems(lines)).toEqual([]);
    await stillServing();
  });

  it("429 asking for longer than we wait → not retried, the failure logged once with its Retry-After", async () => {
    const posts = s.edge.slackMethods.get("chat.postMessage") ?? 0;
    const lines = await during(async () => {
      s.edge.fail("slack_api", {
        status: 429,
        headers: { "retry-after": "120" },
        body: { ok: false, error: "ratelimited" },
      });
      expect((await s.mention("eraser", channel())).status).toBe(200);
    });
    expect(s.edge.slackMethods.get("chat.postMessage")).toBe(posts + 1);
    loggedOnce(lines, /chat\.postMessage/, /retry this request in 120 seconds/);
    await stillServing();
  });

  it("500 → the client's two quick retries, then the failure logged once with the status", async () => {
    const posts = s.edge.slackMethods.get("chat.postMessage") ?? 0;
    const lines = await during(async () => {
      s.edge.fail("slack_api", { status: 500, body: { ok: false, error: "internal_error" } });
      expect((await s.mention("eraser", channel())).status).toBe(200);
    });
    expect(s.edge.slackMethods.get("chat.postMessage")).toBe(posts + 3);
    loggedOnce(lines, /chat\.postMessage/, /statusCode = 500/);
    await stillServing();
  });

  it("no answer at all → each attempt times out, three in all, the failure logged once", async () => {
    const posts = s.edge.slackMethods.get("chat.postMessage") ?? 0;
    const lines = await during(async () => {
      s.edge.fail("slack_api", { hang: true });
      expect((await s.mention("eraser", channel())).status).toBe(200);
    });
    expect(s.edge.slackMethods.get("chat.postMessage")).toBe(posts + 3);
    loggedOnce(lines, /chat\.postMessage/, /timeout/i);
    await stillServing();
  });

  it("a slash command is answered in its ack while the Web API is down", async () => {
    s.edge.fail("slack_api", { status: 500 });
    const r = await s.command("what replaced aad pod identity?");
    expect(r.status).toBe(200);
    expect(r.body).toContain("Workload Identity");
    await stillServing();
  });
});

describe("Bot Framework connector faults (the reply to a Teams message)", () => {
  it("429 with Retry-After → retried after it, delivered once; nothing logged as a failure", async () => {
    const replies = s.edge.counts.connector;
    const lines = await during(async () => {
      s.edge.fail("connector", { status: 429, headers: { "retry-after": "0" }, times: 1 });
      expect((await s.teams("eraser", "a:fault-429")).status).toBe(200);
    });
    expect(s.edge.counts.connector).toBe(replies + 2);
    expect(problems(lines)).toEqual([]);
    await stillServing();
  });

  it("500 → not retried (the reply may have been posted), the failure logged once with the status", async () => {
    const replies = s.edge.counts.connector;
    const lines = await during(async () => {
      s.edge.fail("connector", { status: 500 });
      expect((await s.teams("eraser", "a:fault-500")).status).toBe(200);
    });
    expect(s.edge.counts.connector).toBe(replies + 1);
    loggedOnce(lines, /teams: reply failed/, /"statusCode":500/);
    await stillServing();
  });

  it("no answer at all → the attempt is abandoned at its deadline, the failure logged once", async () => {
    const replies = s.edge.counts.connector;
    const lines = await during(async () => {
      s.edge.fail("connector", { hang: true });
      expect((await s.teams("eraser", "a:fault-hang")).status).toBe(200);
    });
    expect(s.edge.counts.connector).toBe(replies + 1);
    loggedOnce(lines, /teams: reply failed/, /did not answer within 300 ms/);
    await stillServing();
  });
});
