// Graceful shutdown (RELIABILITY cases 47, 48): readiness 503 at once, no in-flight request or
// background reply dropped, idle keep-alive sockets closed, and a bounded, forced end otherwise.
import { Agent } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { type RunningServer, startServer } from "../../src/server/start.js";
import { captureLines, type FakeHandler, fakeHandler, SLACK_ENV, send, testConfig } from "./helpers.js";

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.shutdown("test over");
  running = undefined;
});

async function start(slack: FakeHandler, env: Record<string, string> = {}) {
  const log = captureLines();
  running = await startServer(testConfig({ ...SLACK_ENV, NODE_ENV: "production", ...env }), {
    factories: { slack: async () => slack, teams: () => fakeHandler() },
    logger: createLogger({ destination: log }),
  });
  return { running, log };
}

/** Resolves once the fake adapter has seen `n` requests (they are then in flight, held). */
async function until(check: () => boolean) {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

describe("graceful shutdown", () => {
  it("turns /readyz 503 at once, then finishes 10 in-flight commands and their background replies; exit code 0 (case 47)", async () => {
    const slack = fakeHandler({ hold: true, backgroundMs: 150 });
    const { running: server, log } = await start(slack, {
      SHUTDOWN_DELAY_MS: "400",
      SHUTDOWN_TIMEOUT_MS: "8000",
    });
    const replies = Array.from({ length: 10 }, (_, i) =>
      send(server.url, "/slack/events", { method: "POST", body: `command=%2Fupstream&text=q${i}` }),
    );
    await until(() => slack.calls.length === 10);

    const done = server.shutdown("SIGTERM");
    expect(server.http.isReady()).toBe(false);
    // During the delay the listener is still open, so a probe on a fresh connection sees the 503.
    const ready = await send(server.url, "/readyz");
    expect(ready.status).toBe(503);
    expect(ready.json()).toMatchObject({ status: "shutting_down" });
    expect((await send(server.url, "/healthz")).status).toBe(200);

    slack.release();
    const answers = await Promise.all(replies);
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const report = await done;
    expect(report).toMatchObject({ code: 0, forced: false });
    expect(slack.backgroundDone).toBe(10);
    expect(slack.stopped).toBe(true);
    const messages = log.records().map((r) => r.msg);
    expect(messages).toEqual(
      expect.arrayContaining([
        "shutting down: /readyz now answers 503",
        "in-flight requests finished",
        "background replies finished",
        "shutdown complete",
      ]),
    );
    // Order matters: replies drain only after the last request was answered, and stop comes last.
    expect(messages.indexOf("in-flight requests finished")).toBeLessThan(
      messages.indexOf("background replies finished"),
    );
  });

  it("stops accepting new connections once closing", async () => {
    const slack = fakeHandler({ hold: true });
    const { running: server } = await start(slack);
    const inFlight = send(server.url, "/slack/events", { method: "POST", body: "a=1" });
    await until(() => slack.calls.length === 1);
    const done = server.shutdown("SIGTERM");
    await expect(send(server.url, "/healthz")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    slack.release();
    expect((await inFlight).status).toBe(200);
    expect((await done).code).toBe(0);
  });

  it("closes idle keep-alive sockets instead of waiting for their 65 s timeout (case 48)", async () => {
    const slack = fakeHandler();
    const { running: server } = await start(slack, { SHUTDOWN_TIMEOUT_MS: "5000" });
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    await Promise.all([1, 2, 3].map(() => send(server.url, "/healthz", { agent })));
    const sockets = Object.values(agent.freeSockets).flat();
    expect(sockets.length).toBeGreaterThan(0);
    const closed = Promise.all(sockets.map((s) => new Promise<void>((r) => s?.once("close", () => r()))));

    const report = await server.shutdown("SIGTERM");
    await closed;
    // The deadline (5 s) is far shorter than keepAliveTimeout (65 s): not forced means the idle sockets did not hold us.
    expect(report).toMatchObject({ code: 0, forced: false });
    agent.destroy();
  });

  it("answers a request that was in flight on a kept-alive socket, with Connection: close", async () => {
    const slack = fakeHandler({ hold: true });
    const { running: server } = await start(slack);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await send(server.url, "/healthz", { agent });
    const inFlight = send(server.url, "/slack/events", { method: "POST", body: "a=1", agent });
    await until(() => slack.calls.length === 1);
    const done = server.shutdown("SIGTERM");
    slack.release();
    const r = await inFlight;
    expect(r.status).toBe(200);
    expect(r.headers.connection).toBe("close");
    expect((await done).code).toBe(0);
    agent.destroy();
  });

  it("drops what is left when the deadline passes and reports a forced exit (code 1)", async () => {
    const slack = fakeHandler({ hold: true });
    const { running: server, log } = await start(slack, { SHUTDOWN_TIMEOUT_MS: "300" });
    const stuck = send(server.url, "/slack/events", { method: "POST", body: "a=1" });
    await until(() => slack.calls.length === 1);
    const report = await server.shutdown("SIGTERM");
    expect(report).toMatchObject({ code: 1, forced: true });
    await expect(stuck).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(slack.stopped).toBe(true);
    expect(log.records().map((r) => r.msg)).toContain(
      "shutdown deadline passed: dropping the remaining connections",
    );
    slack.release();
  });

  it("is idempotent: a second signal's shutdown is the first one", async () => {
    const { running: server } = await start(fakeHandler());
    const a = server.shutdown("SIGTERM");
    const b = server.shutdown("SIGINT");
    expect(a).toBe(b);
    expect((await a).code).toBe(0);
  });
});
