// Both real adapters mounted on the one server: a signed Slack command still verifies over the raw
// bytes (RELIABILITY case 40, with 1–3), a Bot Framework-authenticated Teams message is answered
// (29, 30), oversized bodies stop at the cap (12), and each answer becomes metrics and a (debug) log line.
// nock only at the network edge: Bot Framework OpenID/JWKS, the token endpoint and the connector.
import { randomUUID } from "node:crypto";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { adapterFactories } from "../../src/server/platforms.js";
import { type RunningServer, startServer } from "../../src/server/start.js";
import { channelClaims, makeKey, signToken } from "../support/bot-framework-token.js";
import { slackSignature as sign } from "../support/slack-signature.js";
import { captureLines, send, testConfig } from "./helpers.js";

const SIGNING_SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const APP_ID = "3c0b5f7e-9a1d-4e2b-8c6f-0d1e2f3a4b5c";
const SERVICE_URL = "https://smba.trafficmanager.net/amer/";
const OPENID = "https://login.botframework.com";

const slackSignature = (body: string) => sign(body, SIGNING_SECRET);
const channelToken = () => signToken(key, channelClaims(APP_ID, SERVICE_URL));

let running: RunningServer;
const log = captureLines();
const key = makeKey(`kid-${randomUUID()}`);

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  running = await startServer(
    testConfig({
      SLACK_BOT_TOKEN: "xoxb-0000-1111-integrationtoken",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_ID: "B0INTEGR8",
      SLACK_BOT_USER_ID: "U0INTEGR8",
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: "integration-client-secret",
      BODY_LIMIT_BYTES: "65536",
    }),
    // debug: the per-answer lines too, so that the credential check below sees every line.
    { factories: adapterFactories, logger: createLogger({ level: "debug", destination: log }) },
  );
});
afterAll(async () => {
  expect((await running.shutdown("test over")).code).toBe(0);
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("Slack on the shared server", () => {
  const form = new URLSearchParams({
    token: "legacy",
    team_id: "T0INTEGR8",
    channel_id: "C0INTEGR8",
    user_id: "U0ASKER",
    command: "/upstream",
    text: "eraser",
    response_url: "https://hooks.slack.com/commands/T0INTEGR8/1/abc",
    trigger_id: "1.2.3",
  }).toString();

  it("answers a command signed over the raw form bytes (cases 1, 40)", async () => {
    const r = await send(running.url, "/slack/events", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...slackSignature(form) },
      body: form,
    });
    expect(r.status).toBe(200);
    const ack = r.json() as { response_type: string; blocks: unknown[] };
    expect(ack.response_type).toBe("ephemeral");
    expect(JSON.stringify(ack.blocks)).toContain("Eraser");
  });

  it("refuses a signature computed over a re-serialised body, and a missing one (cases 2, 3)", async () => {
    const reordered = form.split("&").reverse().join("&");
    const bad = await send(running.url, "/slack/events", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...slackSignature(reordered) },
      body: form,
    });
    expect(bad.status).toBe(401);
    const unsigned = await send(running.url, "/slack/events", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
    });
    expect(unsigned.status).toBe(401);
  });

  it("stops a chunked body over BODY_LIMIT_BYTES with 413 (case 12)", async () => {
    const r = await send(running.url, "/slack/events", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "transfer-encoding": "chunked",
        ...slackSignature("{}"),
      },
      body: `{"pad":"${"x".repeat(200_000)}"}`,
    }).catch((e: NodeJS.ErrnoException) => ({ status: e.code }));
    // Either the 413 arrives, or the socket is cut once the cap is reached; never a 2xx.
    expect([413, "ECONNRESET", "EPIPE"]).toContain(r.status);
  });
});

describe("Teams on the shared server", () => {
  it("answers a Bot Framework-authenticated message through the connector (case 29)", async () => {
    nock(OPENID)
      .get("/v1/.well-known/openidconfiguration")
      .reply(200, { issuer: "https://api.botframework.com", jwks_uri: `${OPENID}/v1/.well-known/keys` })
      .get("/v1/.well-known/keys")
      .reply(200, {
        keys: [key.jwk],
      });
    nock("https://login.microsoftonline.com")
      .persist()
      .post(/\/oauth2\/v2\.0\/token/)
      .reply(200, { token_type: "Bearer", expires_in: 3600, ext_expires_in: 3600, access_token: "outbound" });
    const sent: { text?: string; attachments?: { contentType: string }[] }[] = [];
    const conversation = "a:1integration";
    const activityId = `1:${randomUUID()}`;
    const reply = nock("https://smba.trafficmanager.net")
      .post(
        `/amer/v3/conversations/${encodeURIComponent(conversation)}/activities/${encodeURIComponent(activityId)}`,
      )
      .reply((_uri, body) => {
        sent.push(body as (typeof sent)[number]);
        return [200, { id: "reply-1" }];
      });

    const activity = {
      type: "message",
      id: activityId,
      channelId: "msteams",
      serviceUrl: SERVICE_URL,
      timestamp: new Date().toISOString(),
      from: { id: "29:1user", name: "Ada" },
      recipient: { id: `28:${APP_ID}`, name: "Upstream" },
      conversation: { id: conversation, conversationType: "personal", tenantId: "72f988bf" },
      channelData: { tenant: { id: "72f988bf" } },
      text: "eraser",
    };
    const r = await send(running.url, "/api/messages", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${channelToken()}`,
      },
      body: JSON.stringify(activity),
    });
    expect(r.status).toBeLessThan(300);
    await running.platforms.drain();
    reply.done();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.attachments?.[0]?.contentType).toBe("application/vnd.microsoft.card.adaptive");
  });

  it("refuses a request without Authorization when an app id is configured, and sends nothing (case 30)", async () => {
    const r = await send(running.url, "/api/messages", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "message", text: "eraser", serviceUrl: SERVICE_URL }),
    });
    expect(r.status).toBe(401);
  });
});

describe("telemetry from both adapters", () => {
  it("logs one debug line per answer with platform, trigger, intent, kind and latency, and counts it", async () => {
    const answered = log.records().filter((l) => l.msg === "answered");
    expect(answered.map((l) => l.platform).sort()).toEqual(["slack", "teams"]);
    for (const l of answered) {
      expect(l).toMatchObject({ level: 20, kind: "project", intent: "project" });
      expect(typeof l.trigger).toBe("string");
      expect(typeof l.ms).toBe("number");
      expect(l).not.toHaveProperty("query");
    }
    const metrics = (await send(running.url, "/metrics")).body;
    expect(metrics).toContain('upstream_requests_total{platform="slack",outcome="answered"} 1');
    expect(metrics).toContain('upstream_requests_total{platform="teams",outcome="answered"} 1');
    expect(metrics).toMatch(/upstream_requests_total\{platform="slack",outcome="rejected"\} [1-9]/);
    expect(metrics).toMatch(/upstream_requests_total\{platform="teams",outcome="rejected"\} [1-9]/);
  });

  it("a stream of forged requests is counted in full and logged once per reason", async () => {
    const body = "command=%2Fupstream&text=eraser";
    for (let i = 0; i < 25; i++) {
      const r = await send(running.url, "/slack/events", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          ...sign(body, "0000000000000000not-our-secret00"),
        },
        body,
      });
      expect(r.status).toBe(401);
    }
    // With the refusal of case 2 above, at least 26 in the same minute: one warning.
    const mismatches = log
      .records()
      .filter(
        (l) => l.msg === "request refused" && l.platform === "slack" && l.reason === "signature_mismatch",
      );
    expect(mismatches).toEqual([expect.objectContaining({ level: 40, status: 401 })]);
    const metrics = (await send(running.url, "/metrics")).body;
    const counted = /upstream_rejected_total\{platform="slack",reason="signature_mismatch"\} (\d+)/.exec(
      metrics,
    );
    expect(Number(counted?.[1])).toBeGreaterThanOrEqual(26);
  });

  it("never logs a credential, whatever the adapters logged along the way", () => {
    expect(log.lines.length).toBeGreaterThan(5);
    for (const line of log.lines)
      for (const secret of [SIGNING_SECRET, "xoxb-0000-1111-integrationtoken", "integration-client-secret"])
        expect(line).not.toContain(secret);
  });
});
