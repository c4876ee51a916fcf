// startFromEnvironment: configuration errors before listening, signals, secret-file rotation
// (RELIABILITY case 50) and the promise that no secret reaches a log line.
import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PlatformFactories } from "../../src/server/platforms.js";
import { watchSecretFiles } from "../../src/server/secret-files.js";
import { type RunningServer, startFromEnvironment } from "../../src/server/start.js";
import type { SlackOptions } from "../../src/slack/index.js";
import { captureLines, type FakeHandler, fakeHandler, SLACK_ENV, send, TEAMS_ENV } from "./helpers.js";

interface Started {
  running: RunningServer;
  reload: () => Promise<void>;
  exitCodes: number[];
  signals: EventEmitter;
  stderr: string[];
  log: ReturnType<typeof captureLines>;
  result: Promise<number>;
}

function launch(env: Record<string, string>, factories: PlatformFactories): Promise<Started> {
  const signals = new EventEmitter();
  const exitCodes: number[] = [];
  const stderr: string[] = [];
  const log = captureLines();
  return new Promise((resolve, reject) => {
    const result = startFromEnvironment({
      env: { PORT: "0", HOST: "127.0.0.1", NODE_ENV: "production", CATALOG_REFRESH_INTERVAL: "0", ...env },
      factories,
      signals: signals as unknown as NodeJS.Process,
      exit: (c) => exitCodes.push(c),
      stderr: (t) => stderr.push(t),
      logWrite: log.write,
      isTTY: false,
      onListening: (running, reload) => resolve({ running, reload, exitCodes, signals, stderr, log, result }),
    });
    result.then((code) => {
      if (!exitCodes.length || code !== 0) reject(new Error(`exited ${code}: ${stderr.join("")}`));
    }, reject);
  });
}

const fakes = (): PlatformFactories & { built: SlackOptions[]; handlers: FakeHandler[] } => {
  const built: SlackOptions[] = [];
  const handlers: FakeHandler[] = [];
  return {
    built,
    handlers,
    slack: async (o) => {
      built.push(o);
      const h = fakeHandler({ label: `slack#${built.length}` });
      handlers.push(h);
      return h;
    },
    teams: () => fakeHandler({ label: "teams" }),
  };
};

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe("configuration errors", () => {
  it("prints every problem, exits 1 and never listens or builds an adapter", async () => {
    const stderr: string[] = [];
    const exitCodes: number[] = [];
    const f = fakes();
    let listened = false;
    const code = await startFromEnvironment({
      env: {
        NODE_ENV: "production",
        PORT: "99999",
        SLACK_BOT_TOKEN: SLACK_ENV.SLACK_BOT_TOKEN,
        MicrosoftAppPassword: TEAMS_ENV.MicrosoftAppPassword,
        LOG_LEVEL: "chatty",
      },
      factories: f,
      exit: (c) => exitCodes.push(c),
      stderr: (t) => stderr.push(t),
      logWrite: () => {},
      onListening: () => {
        listened = true;
      },
    });
    expect(code).toBe(1);
    expect(exitCodes).toEqual([1]);
    expect(listened).toBe(false);
    expect(f.built).toHaveLength(0);
    const text = stderr.join("");
    expect(text).toMatch(/^upstream: the server did not start: 4 configuration problem\(s\)/);
    for (const name of ["PORT", "LOG_LEVEL", "SLACK_SIGNING_SECRET", "MicrosoftAppId"])
      expect(text).toMatch(new RegExp(`^  - ${name}: `, "m"));
    expect(text).not.toContain(SLACK_ENV.SLACK_BOT_TOKEN);
    expect(text).not.toContain(TEAMS_ENV.MicrosoftAppPassword);
  });

  it("names an unreadable secrets directory", async () => {
    const stderr: string[] = [];
    const code = await startFromEnvironment({
      env: { SECRETS_DIR: "/proc/self/nonexistent-dir/../../../dev/null" },
      factories: fakes(),
      exit: () => {},
      stderr: (t) => stderr.push(t),
    });
    expect(code).toBe(1);
    expect(stderr.join("")).toMatch(/SECRETS_DIR: cannot read \/dev\/null\/SLACK_BOT_TOKEN \(ENOTDIR\)/);
  });
});

describe("signals", () => {
  it("shuts down on SIGTERM and exits 0", async () => {
    const s = await launch(SLACK_ENV, fakes());
    expect((await send(s.running.url, "/readyz")).status).toBe(200);
    s.signals.emit("SIGTERM", "SIGTERM");
    expect(await s.result).toBe(0);
    expect(s.exitCodes).toEqual([0]);
    expect(s.log.records().map((r) => r.msg)).toContain("shutdown complete");
  });

  it("exits at once with 1 on a second signal while draining", async () => {
    const slack = fakeHandler({ hold: true });
    const s = await launch(SLACK_ENV, { slack: async () => slack, teams: () => fakeHandler() });
    const stuck = send(s.running.url, "/slack/events", { method: "POST", body: "a=1" }).catch(() => null);
    while (slack.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    s.signals.emit("SIGINT", "SIGINT");
    s.signals.emit("SIGINT", "SIGINT");
    expect(await s.result).toBe(1);
    slack.release();
    await s.running.shutdown("cleanup");
    expect(s.exitCodes).toEqual([1]);
    await stuck;
  });
});

describe("the live catalog", () => {
  it("refreshes after listening; a failed refresh keeps the bundled catalog, ready, and shows in /readyz and /metrics", async () => {
    const upstream = nock("https://upstream.example").get("/README.md").reply(500, "down");
    const s = await launch(
      { ...SLACK_ENV, CATALOG_URL: "https://upstream.example/README.md", CATALOG_REFRESH_INTERVAL: "1h" },
      fakes(),
    );
    type Ready = {
      catalog: { origin: string; refresh: { consecutiveFailures: number; lastFailure?: { kind: string } } };
    };
    let ready = (await send(s.running.url, "/readyz")).json() as Ready;
    while (ready.catalog.refresh.consecutiveFailures === 0) {
      await new Promise((r) => setTimeout(r, 10));
      ready = (await send(s.running.url, "/readyz")).json() as Ready;
    }
    upstream.done();
    expect(ready.catalog.origin).toBe("bundled");
    expect(ready.catalog.refresh.lastFailure?.kind).toBe("http_status");
    expect((await send(s.running.url, "/readyz")).status).toBe(200);
    const metrics = (await send(s.running.url, "/metrics")).body;
    expect(metrics).toContain('upstream_catalog_refreshes_total{outcome="failed"} 1');
    expect(metrics).toContain('upstream_catalog_refresh_failures_total{cause="http_status"} 1');
    expect(metrics).toContain("upstream_catalog_refresh_consecutive_failures 1");
    s.signals.emit("SIGTERM", "SIGTERM");
    expect(await s.result).toBe(0);
  });
});

describe("secret files (Secrets Store CSI driver) and rotation (case 50)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "upstream-secrets-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads secrets from files, rebuilds only Slack when its secret rotates, and retires the old handler", async () => {
    writeFileSync(join(dir, "SLACK_BOT_TOKEN"), `${SLACK_ENV.SLACK_BOT_TOKEN}\n`);
    writeFileSync(join(dir, "SLACK_SIGNING_SECRET"), `${SLACK_ENV.SLACK_SIGNING_SECRET}\n`);
    const f = fakes();
    // The environment's stale copy loses to the file: only the file follows Key Vault.
    const s = await launch(
      { SECRETS_DIR: dir, SECRETS_POLL_INTERVAL: "0", SLACK_SIGNING_SECRET: "stale-env-secret-0000" },
      f,
    );
    expect(f.built.map((o) => o.signingSecret)).toEqual([SLACK_ENV.SLACK_SIGNING_SECRET]);
    expect((await send(s.running.url, "/slack/events", { method: "POST", body: "a" })).json()).toMatchObject({
      by: "slack#1",
    });

    const rotated = "0123456789abcdef0123456789abcdef";
    writeFileSync(join(dir, "SLACK_SIGNING_SECRET"), rotated);
    await s.reload();
    expect(f.built.map((o) => o.signingSecret)).toEqual([SLACK_ENV.SLACK_SIGNING_SECRET, rotated]);
    // The rebuilt handler shares the event store, so a redelivery of an event #1 answered is still a repeat.
    expect(f.built[1]?.eventStore).toBeDefined();
    expect(f.built[1]?.eventStore).toBe(f.built[0]?.eventStore);
    expect((await send(s.running.url, "/slack/events", { method: "POST", body: "b" })).json()).toMatchObject({
      by: "slack#2",
    });
    await s.running.platforms.drain();
    expect(f.handlers[0]?.stopped).toBe(true);
    expect(f.handlers[1]?.stopped).toBe(false);

    // Half-written rotation: the token without its signing secret is refused; #2 keeps serving.
    unlinkSync(join(dir, "SLACK_SIGNING_SECRET"));
    await s.reload();
    expect(f.built).toHaveLength(2);
    expect((await send(s.running.url, "/slack/events", { method: "POST", body: "c" })).json()).toMatchObject({
      by: "slack#2",
    });
    const refused = s.log
      .records()
      .find((r) => String(r.msg).startsWith("secret files changed but are not a valid"));
    expect(refused?.problems).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET: is required/)]);
    const metrics = await s.running.metrics.registry.metrics();
    expect(metrics).toContain('upstream_secret_reloads_total{outcome="applied"} 1');
    expect(metrics).toContain('upstream_secret_reloads_total{outcome="refused"} 1');

    s.signals.emit("SIGTERM", "SIGTERM");
    expect(await s.result).toBe(0);
    expect(f.handlers[1]?.stopped).toBe(true);
  });

  it("polls the directory on its interval and reports each change once", async () => {
    writeFileSync(join(dir, "SLACK_SIGNING_SECRET"), "first-secret-value-1234");
    const seen: (string | undefined)[] = [];
    let notify: () => void = () => {};
    const watcher = watchSecretFiles(
      dir,
      20,
      { SLACK_SIGNING_SECRET: "first-secret-value-1234" },
      (v) => {
        seen.push(v.SLACK_SIGNING_SECRET);
        notify();
      },
      (e) => {
        throw e;
      },
    );
    const changed = new Promise<void>((r) => {
      notify = r;
    });
    writeFileSync(join(dir, "SLACK_SIGNING_SECRET"), "second-secret-value-5678\n");
    await changed;
    await new Promise((r) => setTimeout(r, 80));
    watcher.stop();
    expect(seen).toEqual(["second-secret-value-5678"]);
  });
});

describe("no secret in any log line", () => {
  it("keeps every configured and rotated secret out of the logs, whatever an adapter logs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "upstream-secrets-"));
    try {
      writeFileSync(join(dir, "SLACK_SIGNING_SECRET"), SLACK_ENV.SLACK_SIGNING_SECRET);
      const secrets = [
        SLACK_ENV.SLACK_BOT_TOKEN,
        SLACK_ENV.SLACK_SIGNING_SECRET,
        TEAMS_ENV.MicrosoftAppPassword,
        "xapp-1-A0000000-1111-deadbeefcafe",
      ];
      // A careless adapter: logs its whole options object, a nested SDK error with headers, and a token in a message.
      const careless: PlatformFactories = {
        slack: async (o) => {
          o.logger.info({ options: o }, "slack options");
          o.logger.info(o, "slack options, top level");
          const err = Object.assign(new Error(`request failed with token ${o.botToken}`), {
            original: { config: { headers: { Authorization: `Bearer ${o.botToken}` } } },
          });
          o.logger.error({ err }, "web api call failed");
          o.logger.warn(`signing secret is ${o.signingSecret}`);
          return fakeHandler();
        },
        teams: (o) => {
          o.logger.info({ deep: { deeper: { creds: { appPassword: o.appPassword } } } }, "teams creds");
          o.logger.info(`password=${o.appPassword}`);
          return fakeHandler();
        },
      };
      const s = await launch(
        {
          SLACK_BOT_TOKEN: SLACK_ENV.SLACK_BOT_TOKEN,
          SLACK_APP_TOKEN: "xapp-1-A0000000-1111-deadbeefcafe",
          ...TEAMS_ENV,
          SECRETS_DIR: dir,
          SECRETS_POLL_INTERVAL: "0",
          LOG_LEVEL: "trace",
        },
        careless,
      );
      await send(s.running.url, "/api/messages", {
        method: "POST",
        headers: { authorization: `Bearer ${TEAMS_ENV.MicrosoftAppPassword}` },
        body: "{}",
      });
      s.running.telemetry.answered({
        platform: "slack",
        trigger: "command",
        intent: "unknown",
        kind: "not_found",
        ms: 2,
        query: `what is ${SLACK_ENV.SLACK_BOT_TOKEN}`,
      });
      s.running.telemetry.failed({
        platform: "teams",
        stage: "sendActivity",
        error: Object.assign(new Error("401"), {
          request: { headers: { authorization: TEAMS_ENV.MicrosoftAppPassword } },
        }),
      });
      // Rotation brings a new secret; it must be hidden from the moment it is read.
      const rotated = "fedcba9876543210fedcba9876543210";
      secrets.push(rotated);
      writeFileSync(join(dir, "SLACK_SIGNING_SECRET"), rotated);
      await s.reload();
      s.signals.emit("SIGTERM", "SIGTERM");
      expect(await s.result).toBe(0);

      const lines = s.log.lines;
      expect(lines.length).toBeGreaterThan(10);
      expect(lines.some((l) => l.includes("[redacted]"))).toBe(true);
      for (const line of lines) for (const secret of secrets) expect(line).not.toContain(secret);
      // The not-found query was still logged, minus the token.
      expect(lines.find((l) => l.includes('"kind":"not_found"'))).toContain("what is [redacted]");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
