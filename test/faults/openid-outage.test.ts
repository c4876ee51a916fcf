// The Bot Framework channel's OpenID metadata unreachable, against the full server: refused,
// failing with 500, or never answering. Teams requests fail closed (401, no turn, no reply), Slack
// and the probes are unaffected, and the first request after recovery is answered. The per-adapter
// version (metadata and JWKS 500, RELIABILITY 37) is test/teams/auth-metadata-outage.test.ts.
// botbuilder caches the keys once it has them, so the outages come first, in this order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { send } from "../server/helpers.js";
import { FAST, type FullServer, problems, startFullServer } from "./harness.js";

let s: FullServer;
beforeAll(async () => {
  s = await startFullServer();
});
afterAll(async () => {
  await s.close();
});

/** Slack, /healthz and /readyz do not depend on Teams' keys. */
async function restUnaffected() {
  expect((await s.command("eraser")).status).toBe(200);
  expect((await send(s.running.url, "/healthz")).status).toBe(200);
  expect((await send(s.running.url, "/readyz")).status).toBe(200);
}

describe("OpenID metadata outage on the full server", () => {
  it("500 from the metadata → 401, no turn and no reply; the refusal is logged once with its cause", async () => {
    s.edge.fail("openid", { status: 500 });
    const before = s.logs().length;
    const r = await s.teams("eraser", "a:oid-500");
    await s.running.platforms.drain();
    expect(r.status).toBe(401);
    expect(s.edge.counts.connector).toBe(0);
    const refused = problems(s.logs().slice(before));
    expect(refused).toHaveLength(1);
    expect(JSON.stringify(refused[0])).toMatch(/openID config: 500/);
    await restUnaffected();
  });

  it("no answer at all → refused with 401 at the deadline, not held open; a late answer runs no turn", async () => {
    s.edge.fail("openid", { hang: true });
    const before = s.logs().length;
    const t0 = performance.now();
    const r = await s.teams("eraser", "a:oid-hang");
    expect(r.status).toBe(401);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(FAST.authDeadlineMs - 50);
    expect(s.edge.hanging("openid")).toBe(1);
    const refused = problems(s.logs().slice(before));
    expect(refused).toHaveLength(1);
    expect(JSON.stringify(refused[0])).toMatch(/signing keys did not load in time/);
    await restUnaffected();
    // The metadata finally answers: botbuilder finishes authenticating that request, but the
    // request was already refused, so no turn runs and nothing is sent.
    s.edge.heal("openid");
    s.edge.release("openid");
    await new Promise((r) => setTimeout(r, 300));
    await s.running.platforms.drain();
    expect(s.edge.counts.connector).toBe(0);
  });

  it("after recovery the next Teams message is authenticated, answered and replied to", async () => {
    s.edge.heal();
    const r = await s.teams("eraser", "a:oid-recovered");
    await s.running.platforms.drain();
    expect(r.status).toBe(200);
    expect(s.edge.counts.connector).toBe(1);
  });
});

describe("TEAMS_OPENID_METADATA_URL (benchmarks and tests only)", () => {
  const base = {
    NODE_ENV: "test",
    MicrosoftAppId: "5e1c7a52-3f0d-4b8e-9a61-7c2d4e8f0b13",
    MicrosoftAppPassword: "x",
  };

  it("accepts a loopback URL and says so loudly at start-up", () => {
    const r = loadConfig({ ...base, TEAMS_OPENID_METADATA_URL: "http://127.0.0.1:9999/openid" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.teams).toMatchObject({
      mode: "authenticated",
      openIdMetadataUrl: "http://127.0.0.1:9999/openid",
    });
    expect(r.config.platformLines.find((l) => l.platform === "teams")).toMatchObject({ level: "warn" });
  });

  it("refuses any other host: the channel's keys can only be replaced on this machine", () => {
    const r = loadConfig({ ...base, TEAMS_OPENID_METADATA_URL: "https://login.evil.example/openid" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.join("\n")).toMatch(/TEAMS_OPENID_METADATA_URL: must be a loopback URL/);
  });
});
