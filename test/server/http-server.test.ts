// The real server on an ephemeral port with fake adapters: routing, probes, metrics, body cap.
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import type { CatalogProvider } from "../../src/server/http-server.js";
import type { PlatformFactories } from "../../src/server/platforms.js";
import { bundledCatalog, type RunningServer, startServer } from "../../src/server/start.js";
import {
  captureLines,
  type FakeHandler,
  fakeHandler,
  SLACK_ENV,
  send,
  TEAMS_ENV,
  testConfig,
} from "./helpers.js";

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.shutdown("test over");
  running = undefined;
});

function factories(slack: FakeHandler, teams: FakeHandler, built: string[] = []): PlatformFactories {
  return {
    slack: async () => {
      built.push("slack");
      return slack;
    },
    teams: () => {
      built.push("teams");
      return teams;
    },
  };
}

async function start(env: Record<string, string> = {}, catalog?: CatalogProvider) {
  const slack = fakeHandler({ label: "slack" });
  const teams = fakeHandler({ label: "teams" });
  const log = captureLines();
  const built: string[] = [];
  running = await startServer(testConfig({ ...SLACK_ENV, ...TEAMS_ENV, BODY_LIMIT_BYTES: "2048", ...env }), {
    factories: factories(slack, teams, built),
    logger: createLogger({ destination: log }),
    ...(catalog ? { catalog } : {}),
  });
  return { url: running.url, slack, teams, log, built, running };
}

describe("routes", () => {
  it("sends POST /slack/events and POST /api/messages to their adapters, bodies untouched", async () => {
    const { url, slack, teams } = await start();
    const form = "token=x&command=%2Fupstream&text=eraser";
    const a = await send(url, "/slack/events", { method: "POST", body: form });
    expect(a.status).toBe(200);
    expect(a.json()).toEqual({ ok: true, by: "slack", bytes: form.length });
    const b = await send(url, "/api/messages", { method: "POST", body: '{"type":"message"}' });
    expect(b.json()).toMatchObject({ by: "teams" });
    expect(slack.calls).toHaveLength(1);
    expect(teams.calls).toHaveLength(1);
  });

  it("answers 404 for an unknown path and 405 for a wrong method", async () => {
    const { url, slack } = await start();
    expect((await send(url, "/nope")).status).toBe(404);
    expect((await send(url, "/slack/events/")).status).toBe(404);
    const get = await send(url, "/slack/events");
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe("POST");
    const post = await send(url, "/healthz", { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
    expect(slack.calls).toHaveLength(0);
  });

  it("keeps Teams off in production without an app id: 404, and no turn runs (case 38)", async () => {
    const { url, teams, built, log } = await start({
      NODE_ENV: "production",
      MicrosoftAppId: "",
      MicrosoftAppPassword: "",
    });
    const r = await send(url, "/api/messages", { method: "POST", body: '{"type":"message","text":"hi"}' });
    expect(r.status).toBe(404);
    expect(r.json()).toEqual({ error: "Teams is not configured on this server" });
    expect(built).toEqual(["slack"]);
    expect(teams.calls).toHaveLength(0);
    expect(log.records().map((l) => l.msg)).toContain(
      "teams: disabled (set MicrosoftAppId and MicrosoftAppPassword to enable POST /api/messages; it answers 404 until then)",
    );
  });

  it("turns POST /slack/events off in Socket Mode", async () => {
    const slack = fakeHandler({ mode: "socket" });
    running = await startServer(testConfig({ ...SLACK_ENV, SLACK_APP_TOKEN: "xapp-1-A-2-b" }), {
      factories: factories(slack, fakeHandler()),
      logger: createLogger({ destination: captureLines() }),
    });
    const r = await send(running.url, "/slack/events", { method: "POST", body: "x=1" });
    expect(r.status).toBe(404);
    expect(slack.calls).toHaveLength(0);
  });
});

describe("body-size cap", () => {
  it("refuses a declared length over BODY_LIMIT_BYTES with 413 before the adapter runs", async () => {
    const { url, slack, running } = await start();
    const r = await send(url, "/slack/events", { method: "POST", body: "x".repeat(4096) });
    expect(r.status).toBe(413);
    expect(r.headers.connection).toBe("close");
    expect(slack.calls).toHaveLength(0);
    const metrics = await running.metrics.registry.metrics();
    expect(metrics).toContain('upstream_rejected_total{platform="slack",reason="body_too_large"} 1');
  });

  it("passes BODY_LIMIT_BYTES to both adapters, which cap chunked bodies themselves", async () => {
    const seen: (number | undefined)[] = [];
    running = await startServer(testConfig({ ...SLACK_ENV, BODY_LIMIT_BYTES: "4096" }), {
      factories: {
        slack: async (o) => {
          seen.push(o.bodyLimitBytes);
          return fakeHandler();
        },
        teams: (o) => {
          seen.push(o.bodyLimitBytes);
          return fakeHandler();
        },
      },
      logger: createLogger({ destination: captureLines() }),
    });
    expect(seen).toEqual([4096, 4096]);
  });

  it("never reads a body sent to a probe: the socket is closed instead", async () => {
    const { running } = await start();
    const socket = connect(running.address.port, "127.0.0.1");
    const received: Buffer[] = [];
    socket.on("data", (c) => received.push(c));
    const closed = new Promise<void>((r) => socket.on("close", () => r()));
    socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n");
    socket.write("z".repeat(1024));
    await closed;
    const text = Buffer.concat(received).toString();
    expect(text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(text).toMatch(/connection: close/i);
  });
});

describe("probes", () => {
  it("GET /healthz is 200 and needs nothing but the event loop", async () => {
    const { url } = await start();
    const r = await send(url, "/healthz");
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ status: "ok" });
    expect(r.headers["cache-control"]).toBe("no-store");
  });

  it("GET /readyz is 200 with the catalog's origin, snapshot and age, and the platforms", async () => {
    const { url } = await start();
    const r = await send(url, "/readyz");
    expect(r.status).toBe(200);
    const body = r.json() as {
      status: string;
      catalog: { origin: string; snapshot: { date: string }; ageSeconds: number; projects: number };
      platforms: Record<string, string>;
    };
    const core = bundledCatalog().getCore();
    expect(body.status).toBe("ready");
    expect(body.catalog).toMatchObject({
      origin: "bundled",
      snapshot: { date: core.source.snapshot.date, commit: core.source.snapshot.commit },
      projects: core.catalog.projects.length,
    });
    expect(body.catalog.ageSeconds).toBeGreaterThan(0);
    expect(body.platforms).toEqual({ slack: "enabled", teams: "enabled" });
  });

  it("includes the provider's refresh status in /readyz", async () => {
    const core = bundledCatalog().getCore();
    const { url } = await start(
      {},
      { getCore: () => core, status: () => ({ lastError: "HTTP 500 from upstream" }) },
    );
    const body = (await send(url, "/readyz")).json() as { catalog: { refresh: unknown } };
    expect(body.catalog.refresh).toEqual({ lastError: "HTTP 500 from upstream" });
  });

  it("/readyz is 503 while the catalog is not loaded, /healthz stays 200 (case 49)", async () => {
    let core: ReturnType<CatalogProvider["getCore"]> | null = null;
    const bundled = bundledCatalog().getCore();
    const { url } = await start(
      {},
      {
        getCore: () => {
          if (!core) throw new Error("catalog not indexed yet");
          return core;
        },
      },
    );
    const r = await send(url, "/readyz");
    expect(r.status).toBe(503);
    expect(r.json()).toMatchObject({
      status: "catalog_not_loaded",
      catalog: { error: "catalog not indexed yet" },
    });
    expect((await send(url, "/healthz")).status).toBe(200);
    core = bundled;
    expect((await send(url, "/readyz")).status).toBe(200);
  });
});

describe("GET /metrics", () => {
  it("exposes Prometheus text with requests, answers, not-found, latency, catalog age and process metrics", async () => {
    const { url, running } = await start();
    const { telemetry } = running;
    telemetry.answered({ platform: "slack", trigger: "command", intent: "project", kind: "project", ms: 12 });
    telemetry.answered({
      platform: "teams",
      trigger: "message",
      intent: "unknown",
      kind: "not_found",
      ms: 3,
      query: "zzz",
    });
    telemetry.rejected("slack", "bad_signature");
    telemetry.failed({ platform: "slack", stage: "chat.postMessage", error: new Error("ratelimited") });
    await send(url, "/healthz");
    const r = await send(url, "/metrics");
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = r.body;
    for (const line of [
      'upstream_requests_total{platform="slack",outcome="answered"} 1',
      'upstream_requests_total{platform="teams",outcome="not_found"} 1',
      'upstream_requests_total{platform="slack",outcome="rejected"} 1',
      'upstream_requests_total{platform="slack",outcome="failed"} 1',
      'upstream_answers_total{platform="slack",trigger="command",intent="project",kind="project"} 1',
      'upstream_not_found_total{platform="teams"} 1',
      'upstream_answer_duration_seconds_bucket{le="0.025",platform="slack",kind="project"} 1',
      'upstream_http_requests_total{route="healthz",method="GET",status="200"} 1',
      "upstream_ready 1",
    ])
      expect(text).toContain(line);
    expect(text).toMatch(/^upstream_catalog_age_seconds \d+$/m);
    expect(text).toMatch(
      /^upstream_catalog_info\{origin="bundled",snapshot_date="\d{4}-\d{2}-\d{2}",snapshot_commit="[0-9a-f]+"\} 1$/m,
    );
    expect(text).toMatch(/^upstream_http_request_duration_seconds_count\{route="healthz"\} 1$/m);
    expect(text).toContain("process_resident_memory_bytes");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
  });
});
