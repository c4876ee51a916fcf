// RELIABILITY cases 1–13 and 18: what reaches the Bolt app over HTTP, and what is refused.
import { request } from "node:http";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.js";
import { createSlackHandler, SlackConfigError } from "../../src/slack/index.js";
import { noTelemetry } from "../../src/telemetry.js";
import {
  allowOnlyLocalhost,
  eventEnvelope,
  fixture,
  formBody,
  type Harness,
  nowSeconds,
  post,
  realCore,
  SECRET,
  sendCommand,
  sendEvent,
  sendForm,
  sign,
  slackApi,
  startSlack,
} from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  allowOnlyLocalhost();
  h = await startSlack();
});
afterAll(async () => {
  await h.close();
});
afterEach(async () => {
  await h.handler.drain();
  nock.cleanAll();
  h.telemetry.answers.length = 0;
  h.telemetry.rejections.length = 0;
});

/** Sends a raw request and resolves with the status as soon as the response head arrives. */
function rawPost(
  url: string,
  headers: Record<string, string>,
  totalBytes: number,
  chunkBytes = 64 * 1024,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers });
    let sent = 0;
    let done = false;
    req.on("response", (res) => {
      done = true;
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on("error", (e) => {
      if (!done) reject(e);
    });
    const chunk = Buffer.alloc(chunkBytes, "a");
    const pump = () => {
      while (!done && sent < totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!done) req.end();
    };
    pump();
  });
}

describe("signed requests (cases 1, 2)", () => {
  it("1: a form body signed over its raw bytes with ts=now → 200 and the command runs once", async () => {
    const res = await sendCommand(h.url, "eraser");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response_type: string; text: string; blocks: unknown[] };
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("Eraser");
    expect(h.telemetry.answers).toEqual([
      expect.objectContaining({ platform: "slack", trigger: "command", kind: "project" }),
    ]);
  });

  it("2: an HMAC over a re-serialised JSON body (whitespace or key order changed) → 401", async () => {
    const env = eventEnvelope("message_im");
    const raw = JSON.stringify(env, null, 2);
    const reserialised = JSON.stringify(JSON.parse(raw));
    const res = await post(h.url, raw, "application/json", { headers: sign(reserialised) });
    expect(res.status).toBe(401);
    const { event_id, ...rest } = env;
    const reordered = JSON.stringify({ event_id, ...rest });
    const res2 = await post(h.url, JSON.stringify(env), "application/json", { headers: sign(reordered) });
    expect(res2.status).toBe(401);
    expect(h.telemetry.answers).toEqual([]);
  });

  it("2: an HMAC over a re-encoded form body (keys reordered) → 401", async () => {
    const fields = { ...fixture<Record<string, string>>("command"), text: "eraser" };
    const raw = formBody(fields);
    const reordered = formBody(Object.fromEntries(Object.entries(fields).reverse()));
    const res = await post(h.url, raw, "application/x-www-form-urlencoded", { headers: sign(reordered) });
    expect(res.status).toBe(401);
    expect(h.telemetry.answers).toEqual([]);
  });
});

describe("signature headers (cases 3–6)", () => {
  it("3: a missing X-Slack-Signature or X-Slack-Request-Timestamp → 401, no listener", async () => {
    const body = formBody({ ...fixture<Record<string, string>>("command"), text: "eraser" });
    const { "x-slack-signature": signature, "x-slack-request-timestamp": ts } = sign(body);
    const noSig = await post(h.url, body, "application/x-www-form-urlencoded", {
      unsigned: true,
      headers: { "x-slack-request-timestamp": ts as string },
    });
    const noTs = await post(h.url, body, "application/x-www-form-urlencoded", {
      unsigned: true,
      headers: { "x-slack-signature": signature as string },
    });
    const neither = await post(h.url, body, "application/x-www-form-urlencoded", { unsigned: true });
    expect([noSig.status, noTs.status, neither.status]).toEqual([401, 401, 401]);
    expect(h.telemetry.answers).toEqual([]);
  });

  it("4: ts = now − 301 s with a correct HMAC → 401; now − 299 s → 200", async () => {
    expect((await sendCommand(h.url, "eraser", { ts: nowSeconds() - 301 })).status).toBe(401);
    expect((await sendCommand(h.url, "eraser", { ts: nowSeconds() - 299 })).status).toBe(200);
  });

  it("5: ts = now + 301 s with a correct HMAC → 401 (stricter than bolt); now + 299 s → 200", async () => {
    expect((await sendCommand(h.url, "eraser", { ts: nowSeconds() + 301 })).status).toBe(401);
    expect((await sendCommand(h.url, "eraser", { ts: nowSeconds() + 299 })).status).toBe(200);
  });

  it("6: a non-numeric timestamp → 401; a v1= signature → 401", async () => {
    expect((await sendCommand(h.url, "eraser", { ts: "abc" })).status).toBe(401);
    expect((await sendCommand(h.url, "eraser", { ts: `${nowSeconds()}.5` })).status).toBe(401);
    const body = formBody({ ...fixture<Record<string, string>>("command"), text: "eraser" });
    const headers = sign(body);
    headers["x-slack-signature"] = (headers["x-slack-signature"] as string).replace(/^v0=/, "v1=");
    expect((await post(h.url, body, "application/x-www-form-urlencoded", { headers })).status).toBe(401);
    expect(h.telemetry.rejections).toEqual([
      "bad_timestamp",
      "bad_timestamp",
      "unsupported_signature_version",
    ]);
  });

  it("a signature made with another secret → 401", async () => {
    const body = formBody({ ...fixture<Record<string, string>>("command"), text: "eraser" });
    const res = await post(h.url, body, "application/x-www-form-urlencoded", {
      headers: sign(body, nowSeconds(), `${SECRET}x`),
    });
    expect(res.status).toBe(401);
    expect(h.telemetry.rejections).toEqual(["signature_mismatch"]);
  });
});

describe("start-up (case 7)", () => {
  it("7: an empty or blank signing secret refuses to start", async () => {
    const base = {
      botToken: "xoxb-1",
      getCore: () => realCore(),
      telemetry: noTelemetry,
      logger: silentLogger(),
    };
    await expect(createSlackHandler({ ...base, signingSecret: "" })).rejects.toBeInstanceOf(SlackConfigError);
    await expect(createSlackHandler({ ...base, signingSecret: "  " })).rejects.toThrow(
      /SLACK_SIGNING_SECRET is empty/,
    );
  });
});

describe("ssl_check and url_verification (cases 8–11)", () => {
  it("8: unsigned ssl_check=1&token=x → 200 with an empty body, no listener", async () => {
    const res = await sendForm(h.url, { ssl_check: "1", token: "x" }, { unsigned: true });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(h.telemetry.answers).toEqual([]);
  });

  it("9: unsigned ssl_check=1 with a smuggled event payload → 200 and nothing dispatched", async () => {
    const api = slackApi("chat.postMessage");
    const payload = JSON.stringify(eventEnvelope("app_mention", {}, "EvSMUGGLED"));
    const res = await sendForm(h.url, { ssl_check: "1", payload }, { unsigned: true });
    expect(res.status).toBe(200);
    await h.handler.drain();
    expect(api.bodies).toEqual([]);
    expect(h.telemetry.answers).toEqual([]);
  });

  it("10: unsigned ssl_check=0, ssl_check=true, ssl_check= and JSON {ssl_check:'1'} → 401", async () => {
    const statuses = [
      (await sendForm(h.url, { ssl_check: "0", token: "x" }, { unsigned: true })).status,
      (await sendForm(h.url, { ssl_check: "true", token: "x" }, { unsigned: true })).status,
      (await sendForm(h.url, { ssl_check: "", token: "x" }, { unsigned: true })).status,
      (await post(h.url, JSON.stringify({ ssl_check: "1" }), "application/json", { unsigned: true })).status,
      (await post(h.url, "ssl_check=1&ssl_check=1", "application/x-www-form-urlencoded", { unsigned: true }))
        .status,
    ];
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
  });

  it("11: url_verification answers the challenge only when signed", async () => {
    const body = JSON.stringify({
      token: "t",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      type: "url_verification",
    });
    const ok = await post(h.url, body, "application/json");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
    expect((await post(h.url, body, "application/json", { unsigned: true })).status).toBe(401);
    const bad = sign(body, nowSeconds(), "not-the-secret");
    expect((await post(h.url, body, "application/json", { headers: bad })).status).toBe(401);
  });
});

describe("body size (case 12)", () => {
  const FIVE_MB = 5 * 1024 * 1024;

  it("12: an unsigned 5 MB body → refused after reading a few KiB at most", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push(
        await rawPost(
          h.url,
          { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" },
          FIVE_MB,
        ),
      );
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    // Socket bytes include Node's read-ahead; far below 5 MB means the body was never buffered.
    for (const n of h.bytesRead.slice(-5)) expect(n).toBeLessThan(512 * 1024);
  });

  it("12: a signed body declaring 5 MB → 413 before reading it", async () => {
    const status = await rawPost(
      h.url,
      { "content-type": "application/json", "content-length": String(FIVE_MB), ...sign("irrelevant") },
      FIVE_MB,
    );
    expect(status).toBe(413);
    expect(h.bytesRead[h.bytesRead.length - 1]).toBeLessThan(512 * 1024);
  });

  it("12: a signed chunked body that grows past 64 KiB → 413 once the cap is crossed", async () => {
    const status = await rawPost(
      h.url,
      { "content-type": "application/json", "transfer-encoding": "chunked", ...sign("irrelevant") },
      FIVE_MB,
      16 * 1024,
    );
    expect(status).toBe(413);
    expect(h.bytesRead[h.bytesRead.length - 1]).toBeLessThan(512 * 1024);
    expect(h.telemetry.rejections).toEqual(["body_too_large"]);
  });
});

describe("malformed and unsupported payloads (cases 13, 18)", () => {
  it("13: a valid signature over malformed JSON → 400", async () => {
    expect((await post(h.url, '{"type":"event_callback",', "application/json")).status).toBe(400);
    expect((await sendForm(h.url, { payload: "{not json" })).status).toBe(400);
    expect((await post(h.url, "[1,2,3]", "application/json")).status).toBe(400);
  });

  it("18: an unsupported payload → 400 with X-Slack-No-Retry: 1", async () => {
    const res = await post(h.url, JSON.stringify({ type: "something_new", foo: 1 }), "application/json");
    expect(res.status).toBe(400);
    expect(res.headers.get("x-slack-no-retry")).toBe("1");
    const media = await post(h.url, "<xml/>", "text/xml");
    expect(media.status).toBe(415);
    expect(media.headers.get("x-slack-no-retry")).toBe("1");
  });

  it("18: a command no listener handles → 404 with X-Slack-No-Retry: 1, answered at once", async () => {
    const res = await sendForm(h.url, { ...fixture<Record<string, string>>("command"), command: "/other" });
    expect(res.status).toBe(404);
    expect(res.headers.get("x-slack-no-retry")).toBe("1");
  });

  it("a GET → 405", async () => {
    const res = await fetch(h.url);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("app_rate_limited from Slack → 200 and a warning", async () => {
    const res = await post(
      h.url,
      JSON.stringify({ type: "app_rate_limited", minute_rate_limited: 1518467820 }),
      "application/json",
    );
    expect(res.status).toBe(200);
    expect(h.logs.some((l) => String(l.msg).includes("app_rate_limited"))).toBe(true);
  });
});

describe("mode", () => {
  it("is HTTP without an app token and exposes the Bolt app", () => {
    expect(h.handler.mode).toBe("http");
    expect(typeof h.handler.app.processEvent).toBe("function");
  });

  it("answers signed events without ever calling Slack's API at start-up", async () => {
    // nock.disableNetConnect() with no interceptor: any start-up call would have failed the request.
    const res = await sendEvent(h.url, eventEnvelope("app_home_opened", { tab: "messages" }, "EvNOAPI"));
    expect(res.status).toBe(200);
  });
});
