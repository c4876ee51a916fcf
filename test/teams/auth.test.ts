// Inbound authentication of POST /api/messages through the real CloudAdapter and real JWT
// validation: our key is the "channel" key served by nocked OpenID metadata (RELIABILITY 29–36, 39).
import { createHmac, createPublicKey } from "node:crypto";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../../src/log.js";
import { renderAnswer } from "../../src/teams/cards.js";
import { createTeamsHandler, TeamsConfigError } from "../../src/teams/index.js";
import { noTelemetry } from "../../src/telemetry.js";
import {
  APP_ID,
  channelClaims,
  LOGIN_HOST,
  makeKey,
  nockOpenId,
  nockReply,
  nockToken,
  noneToken,
  nowSeconds,
  OUTBOUND_TOKEN,
  personalMessage,
  post,
  realCore,
  SERVICE_URL,
  type SentActivity,
  signToken,
  startTeams,
  useTeamsServer,
} from "./support.js";

const teamsKey = makeKey("k-teams", ["msteams"]);
const webchatKey = makeKey("k-webchat", ["webchat"]);
const strangerKey = makeKey("k-stranger", ["msteams"]);
const forgerKey = makeKey("k-teams", ["msteams"]); // same kid as the real key, different key

const h = useTeamsServer({ keys: [teamsKey, webchatKey] });
const unexpected: string[] = [];
const onNoMatch = (req: { method?: string; href?: string; path?: string; hostname?: string }) => {
  const where = `${req.method} ${req.href ?? `${req.hostname}${req.path}`}`;
  if (!/127\.0\.0\.1/.test(where)) unexpected.push(where);
};

beforeAll(() => {
  // botbuilder reports every refused token on console.error; the assertions below say what matters.
  vi.spyOn(console, "error").mockImplementation(() => {});
  nock.emitter.on("no match", onNoMatch);
});

afterAll(() => {
  nock.emitter.off("no match", onNoMatch);
});

afterEach(async () => {
  await h.handler.drain();
  expect(unexpected).toEqual([]);
  // The channel keys stay cached in botbuilder for the whole file; only per-test mocks go.
  nock.cleanAll();
  nockToken();
});

/** Posts a message that must be refused: 401, no turn, no reply. */
async function expectRefused(
  activity: ReturnType<typeof personalMessage>,
  token?: string,
  reason = "invalid_token",
) {
  const sent: SentActivity[] = [];
  const reply = nockReply(activity.conversation.id, activity.id, sent);
  const answeredBefore = h.telemetry.answeredEvents.length;
  const res = await post(h.url, activity, token);
  await h.handler.drain();
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ error: reason });
  expect(h.telemetry.rejectedReasons.at(-1)).toBe(reason);
  expect(h.telemetry.answeredEvents.length).toBe(answeredBefore);
  expect(reply.isDone()).toBe(false);
  expect(sent).toEqual([]);
}

describe("accepted tokens", () => {
  it("29: an RS256 channel token for our app id and the activity's serviceUrl runs the turn and replies", async () => {
    const activity = personalMessage("eraser");
    const sent: SentActivity[] = [];
    const reply = nockReply(activity.conversation.id, activity.id, sent);
    const res = await post(h.url, activity, signToken(teamsKey, channelClaims()));
    expect(res.status).toBe(200);
    await h.handler.drain();
    expect(reply.isDone()).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.authorization).toBe(`Bearer ${OUTBOUND_TOKEN}`);
    expect(sent[0]?.body.replyToId).toBe(activity.id);
    expect(sent[0]?.body.attachments).toEqual([
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        content: renderAnswer(realCore().ask("eraser")),
      },
    ]);
  });

  it("31: a token that expired 4 minutes ago is still inside the 5-minute clock tolerance", async () => {
    const activity = personalMessage("gatekeeper");
    const sent: SentActivity[] = [];
    nockReply(activity.conversation.id, activity.id, sent);
    const exp = nowSeconds() - 4 * 60;
    const res = await post(
      h.url,
      activity,
      signToken(teamsKey, channelClaims({ exp, nbf: exp - 3600, iat: exp - 3600 })),
    );
    expect(res.status).toBe(200);
    await h.handler.drain();
    expect(sent).toHaveLength(1);
  });
});

describe("refused tokens", () => {
  it("30: no Authorization header → 401 before the body is read", async () => {
    await expectRefused(personalMessage("eraser"), undefined, "missing_token");
  });

  it("30: a non-Bearer scheme → 401", async () => {
    const activity = personalMessage("eraser");
    const res = await post(h.url, activity, undefined, { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: "missing_token" });
  });

  it("31: expired an hour ago → 401; 6 minutes ago (past the tolerance) → 401", async () => {
    for (const ago of [3600, 6 * 60]) {
      const exp = nowSeconds() - ago;
      await expectRefused(
        personalMessage("eraser"),
        signToken(teamsKey, channelClaims({ exp, nbf: exp - 3600, iat: exp - 3600 })),
      );
    }
  });

  it("32: a token for another app id (aud) → 401", async () => {
    await expectRefused(
      personalMessage("eraser"),
      signToken(teamsKey, channelClaims({ aud: "another-bot-app-id" })),
    );
  });

  it("32: a token from an unknown issuer → 401", async () => {
    await expectRefused(
      personalMessage("eraser"),
      signToken(teamsKey, channelClaims({ iss: "https://evil.example/issuer" })),
    );
  });

  it("32: an AAD tenant issuer on a channel token → 401 (not trusted as the channel)", async () => {
    const tenant = "3b5e9c1a-0000-4000-8000-00000000abcd";
    await expectRefused(
      personalMessage("eraser"),
      signToken(teamsKey, channelClaims({ iss: `https://sts.windows.net/${tenant}/` })),
    );
    // With a `tid` claim botbuilder treats it as an Emulator/AAD token and checks it against
    // AAD's keys (nocked here without our key): still refused.
    const aad = nock(LOGIN_HOST)
      .get("/common/v2.0/.well-known/openid-configuration")
      .reply(200, { jwks_uri: `${LOGIN_HOST}/common/discovery/v2.0/keys` })
      .get("/common/discovery/v2.0/keys")
      .reply(200, { keys: [strangerKey.jwk] });
    await expectRefused(
      personalMessage("eraser"),
      signToken(
        teamsKey,
        channelClaims({ iss: `https://sts.windows.net/${tenant}/`, tid: tenant, appid: APP_ID, ver: "1.0" }),
      ),
    );
    expect(aad.isDone()).toBe(true);
  });

  it("33: serviceurl claim ≠ activity.serviceUrl → 401 and no request to the activity's serviceUrl", async () => {
    const evil = nock("https://evil.example").post(/.*/).reply(200, {});
    const activity = personalMessage("eraser", { serviceUrl: "https://evil.example/" });
    await expectRefused(activity, signToken(teamsKey, channelClaims({ serviceurl: SERVICE_URL })));
    expect(evil.isDone()).toBe(false);
  });

  it("34: a key endorsed only for webchat cannot sign an msteams activity → 401", async () => {
    await expectRefused(personalMessage("eraser"), signToken(webchatKey, channelClaims()));
  });

  it("35: alg none → 401", async () => {
    await expectRefused(personalMessage("eraser"), noneToken(teamsKey.kid, channelClaims()));
  });

  it("35: HS256 signed with the public key as the HMAC secret → 401", async () => {
    const publicPem = createPublicKey(teamsKey.privateKey).export({ type: "pkcs1", format: "pem" }) as string;
    const h64 = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT", kid: teamsKey.kid })).toString(
      "base64url",
    );
    const p64 = Buffer.from(JSON.stringify(channelClaims())).toString("base64url");
    const mac = createHmac("sha256", publicPem).update(`${h64}.${p64}`).digest("base64url");
    await expectRefused(personalMessage("eraser"), `${h64}.${p64}.${mac}`);
  });

  it("35: a forged RS256 signature under the real kid → 401", async () => {
    await expectRefused(personalMessage("eraser"), signToken(forgerKey, channelClaims()));
  });

  it("36: an unknown kid → 401 without refetching the keys (at most one refresh an hour)", async () => {
    const refresh = nockOpenId([teamsKey, webchatKey, strangerKey]);
    await expectRefused(personalMessage("eraser"), signToken(strangerKey, channelClaims()));
    expect(refresh.isDone()).toBe(false);
  });
});

describe("39: request shape", () => {
  const token = () => signToken(teamsKey, channelClaims());

  it("GET → 405 with Allow: POST", async () => {
    const res = await fetch(h.url, { method: "GET" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("a body that is not JSON → 400", async () => {
    const res = await post(h.url, null, token(), { rawBody: "type=message&text=hi" });
    expect(res).toEqual({ status: 400, body: { error: "bad_json" } });
  });

  it("JSON that is not an object → 400", async () => {
    const res = await post(h.url, [personalMessage("hi")], token());
    expect(res).toEqual({ status: 400, body: { error: "bad_json" } });
  });

  it("an activity without a type → 400", async () => {
    const { type: _type, ...untyped } = personalMessage("hi");
    const res = await post(h.url, untyped, token());
    expect(res).toEqual({ status: 400, body: { error: "no_activity_type" } });
  });

  it("a body over the limit → 413, whether or not Content-Length announces it", async () => {
    const big = personalMessage("x".repeat(300 * 1024));
    expect(await post(h.url, big, token())).toEqual({ status: 413, body: { error: "body_too_large" } });
    const chunked = await fetch(h.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token()}` },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 40; i++) c.enqueue(new TextEncoder().encode("x".repeat(10 * 1024)));
          c.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });
});

describe("configuration", () => {
  const base = {
    getCore: realCore,
    telemetry: noTelemetry,
    logger: silentLogger(),
    allowUnauthenticated: false,
  };

  it("38: an app id with an empty or blank password is refused at start, never served open", () => {
    for (const appPassword of [undefined, "", "   "])
      expect(() => createTeamsHandler({ ...base, appId: APP_ID, appPassword })).toThrow(TeamsConfigError);
    expect(() => createTeamsHandler({ ...base, appId: APP_ID, appPassword: "" })).toThrow(
      /MicrosoftAppPassword is empty/,
    );
  });

  it("a password without an app id, SingleTenant without a tenant, MSI with a password are refused", () => {
    expect(() => createTeamsHandler({ ...base, appPassword: "secret" })).toThrow(/MicrosoftAppId is empty/);
    expect(() =>
      createTeamsHandler({ ...base, appId: APP_ID, appPassword: "s", appType: "SingleTenant" }),
    ).toThrow(/MicrosoftAppTenantId is required/);
    expect(() =>
      createTeamsHandler({
        ...base,
        appId: APP_ID,
        appPassword: "s",
        appType: "UserAssignedMSI",
        tenantId: "t",
      }),
    ).toThrow(/must be empty/);
  });

  it("without an app id and without allowUnauthenticated every request is 401 and no turn runs", async () => {
    const closed = await startTeams({
      appId: undefined,
      appPassword: undefined,
      allowUnauthenticated: false,
    });
    try {
      const res = await post(closed.url, personalMessage("eraser"), signToken(teamsKey, channelClaims()));
      expect(res).toEqual({ status: 401, body: { error: "teams_disabled" } });
      expect(closed.telemetry.answeredEvents).toEqual([]);
    } finally {
      await closed.close();
    }
  });

  it("local development without an app id: unauthenticated requests are answered, replies carry no token", async () => {
    const open = await startTeams({ appId: undefined, appPassword: undefined, allowUnauthenticated: true });
    try {
      const activity = personalMessage("eraser");
      const sent: SentActivity[] = [];
      nockReply(activity.conversation.id, activity.id, sent);
      const res = await post(open.url, activity);
      expect(res.status).toBe(200);
      await open.handler.drain();
      expect(sent).toHaveLength(1);
      expect(sent[0]?.authorization).toBeUndefined();
    } finally {
      await open.close();
    }
  });
});
