// Test harness for the Teams adapter: an RSA key that plays the Bot Framework channel's signing
// key (served through nocked OpenID metadata and JWKS), tokens signed with it, Teams-shaped
// activities, a real node:http server on 127.0.0.1 running the handler, and the nocked connector.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { afterAll, beforeAll } from "vitest";
import { loadCatalogFile } from "../../src/catalog/catalog-files.js";
import { type Core, createCore } from "../../src/core/core.js";
import { silentLogger } from "../../src/log.js";
import type { PlatformHandler } from "../../src/platform-handler.js";
import { createTeamsHandler, type TeamsOptions } from "../../src/teams/index.js";
import type { AnsweredEvent, FailedEvent, Telemetry } from "../../src/telemetry.js";
import {
  CHANNEL_ISSUER,
  channelClaims as claimsFor,
  type SigningKey,
} from "../support/bot-framework-token.js";

export const APP_ID = "6f1f4a0e-3b8c-4c1e-9d57-2a3c0f5b7e11";
export const BOT_ID = `28:${APP_ID}`;
export const SERVICE_URL = "https://smba.trafficmanager.net/amer/";
export { CHANNEL_ISSUER };
export const OPENID_HOST = "https://login.botframework.com";
export const OPENID_PATH = "/v1/.well-known/openidconfiguration";
export const JWKS_PATH = "/v1/.well-known/keys";
export const LOGIN_HOST = "https://login.microsoftonline.com";
export const TOKEN_PATH = "/botframework.com/oauth2/v2.0/token";
export const OUTBOUND_TOKEN = "outbound-access-token";

// ——— keys and tokens (test/support/bot-framework-token.ts) ———

export { makeKey, noneToken, type SigningKey, signToken } from "../support/bot-framework-token.js";

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Claims of a token the Bot Framework channel sends to our bot. */
export function channelClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return claimsFor(APP_ID, SERVICE_URL, overrides);
}

// ——— nock ———

/** The channel's OpenID metadata and its JWKS; `times` bounds how often each may be fetched. */
export function nockOpenId(keys: SigningKey[], times = 1): nock.Scope {
  return nock(OPENID_HOST)
    .get(OPENID_PATH)
    .times(times)
    .reply(200, { issuer: CHANNEL_ISSUER, jwks_uri: `${OPENID_HOST}${JWKS_PATH}` })
    .get(JWKS_PATH)
    .times(times)
    .reply(200, { keys: keys.map((k) => k.jwk) });
}

export function nockToken(): nock.Scope {
  return nock(LOGIN_HOST).persist().post(TOKEN_PATH).query(true).reply(200, {
    token_type: "Bearer",
    expires_in: 3600,
    ext_expires_in: 3600,
    access_token: OUTBOUND_TOKEN,
  });
}

export interface SentActivity {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export function replyPath(conversationId: string, activityId: string): string {
  return `/amer/v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent(activityId)}`;
}

/** The connector's reply endpoint for one activity; records what the bot sent. */
export function nockReply(
  conversationId: string,
  activityId: string,
  sent: SentActivity[],
  status = 200,
  headers: Record<string, string> = {},
): nock.Scope {
  return nock(SERVICE_URL.replace(/\/amer\/$/, ""))
    .post(replyPath(conversationId, activityId))
    .reply(function (uri, body) {
      sent.push({
        path: uri,
        authorization: this.req.headers.authorization as string | undefined,
        body: body as Record<string, unknown>,
      });
      return [status, status < 300 ? { id: `reply-${sent.length}` } : errorBody(status), headers];
    });
}

function errorBody(status: number) {
  if (status === 413) return { error: { code: "MessageSizeTooBig", message: "Message size too big" } };
  if (status === 429) return { error: { code: "TooManyRequests", message: "Too many requests" } };
  return { error: { code: "ServiceError", message: `status ${status}` } };
}

// ——— activities ———

export interface ActivityJson {
  id: string;
  type: string;
  conversation: { id: string; [k: string]: unknown };
  [k: string]: unknown;
}

const base = (conversation: { id: string; [k: string]: unknown }) => ({
  id: `1:${randomUUID()}`,
  channelId: "msteams",
  serviceUrl: SERVICE_URL,
  timestamp: new Date().toISOString(),
  locale: "en-US",
  from: { id: "29:1user", name: "Ada Lovelace", aadObjectId: "00000000-0000-0000-0000-0000000000a1" },
  recipient: { id: BOT_ID, name: "Upstream" },
  conversation,
  channelData: { tenant: { id: "72f988bf-0000-0000-0000-000000000000" } },
});

export function personalMessage(text: string, extra: Record<string, unknown> = {}): ActivityJson {
  return {
    ...base({ id: "a:1personal-chat", conversationType: "personal", tenantId: "72f988bf" }),
    type: "message",
    text,
    textFormat: "plain",
    ...extra,
  };
}

/** A channel post in a thread, @mentioning the bot the way Teams does. */
export function channelMention(question: string): ActivityJson {
  const mention = "<at>Upstream</at>";
  return {
    ...base({
      id: "19:abc123@thread.tacv2;messageid=1717000000000",
      conversationType: "channel",
      isGroup: true,
      tenantId: "72f988bf",
    }),
    type: "message",
    text: `${mention} ${question}`,
    textFormat: "plain",
    entities: [{ type: "mention", text: mention, mentioned: { id: BOT_ID, name: "Upstream" } }],
    channelData: {
      tenant: { id: "72f988bf" },
      teamsChannelId: "19:abc123@thread.tacv2",
      teamsTeamId: "19:team@thread.tacv2",
      channel: { id: "19:abc123@thread.tacv2" },
      team: { id: "19:team@thread.tacv2" },
    },
  };
}

export function botAdded(conversationType: "personal" | "groupChat" | "channel" = "personal"): ActivityJson {
  return {
    ...base({ id: `a:welcome-${conversationType}`, conversationType, tenantId: "72f988bf" }),
    type: "conversationUpdate",
    membersAdded: [{ id: BOT_ID }],
  };
}

export function invoke(name: string, value: unknown): ActivityJson {
  return {
    ...base({ id: "19:chat@thread.v2", conversationType: "groupChat", tenantId: "72f988bf" }),
    type: "invoke",
    name,
    value,
  };
}

// ——— the handler on a real server ———

export interface Recorded extends Telemetry {
  answeredEvents: AnsweredEvent[];
  failedEvents: FailedEvent[];
  rejectedReasons: string[];
}

export function recordingTelemetry(): Recorded {
  const t: Recorded = {
    answeredEvents: [],
    failedEvents: [],
    rejectedReasons: [],
    answered: (e) => void t.answeredEvents.push(e),
    failed: (e) => void t.failedEvents.push(e),
    rejected: (_p, reason) => void t.rejectedReasons.push(reason),
  };
  return t;
}

let sharedCore: Core | undefined;
export function realCore(): Core {
  sharedCore ??= createCore(loadCatalogFile());
  return sharedCore;
}

export interface Harness {
  url: string;
  handler: PlatformHandler;
  telemetry: Recorded;
  close(): Promise<void>;
}

export async function startTeams(overrides: Partial<TeamsOptions> = {}): Promise<Harness> {
  const telemetry = recordingTelemetry();
  const handler = createTeamsHandler({
    appId: APP_ID,
    appPassword: "test-client-secret",
    allowUnauthenticated: false,
    getCore: realCore,
    telemetry,
    logger: silentLogger(),
    outboundRetry: { jitterMs: 0 },
    ...overrides,
  });
  const server: Server = createServer((req, res) => void handler.handle(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/messages`,
    handler,
    telemetry,
    close: async () => {
      await handler.drain();
      await handler.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export interface TeamsServerSetup {
  /** Keys the nocked channel OpenID metadata serves; without them each test nocks its own. */
  keys?: SigningKey[];
  /** How many times the metadata and JWKS may be fetched (default 1: botbuilder caches them). */
  metadataFetches?: number;
  overrides?: Partial<TeamsOptions>;
}

/**
 * A Teams server for the enclosing file or describe: before its tests the network is isolated,
 * Bot Framework's token endpoint (and the channel's OpenID metadata) nocked and the handler
 * started; after them it is closed and the network restored. The harness it returns is usable
 * from beforeAll on.
 */
export function useTeamsServer(setup: TeamsServerSetup = {}): Harness {
  let started: Harness | undefined;
  const current = (): Harness => {
    if (!started) throw new Error("the Teams server starts in beforeAll; use it inside a test or hook");
    return started;
  };
  beforeAll(async () => {
    isolateNetwork();
    if (setup.keys) nockOpenId(setup.keys, setup.metadataFetches);
    nockToken();
    started = await startTeams(setup.overrides);
  });
  afterAll(async () => {
    await started?.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });
  return {
    get url() {
      return current().url;
    },
    get handler() {
      return current().handler;
    },
    get telemetry() {
      return current().telemetry;
    },
    close: () => current().close(),
  };
}

export interface PostResult {
  status: number;
  body: unknown;
}

export async function post(
  url: string,
  activity: unknown,
  token?: string,
  init: { method?: string; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<PostResult> {
  const headers: Record<string, string> = { "content-type": "application/json", ...init.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  const method = init.method ?? "POST";
  const res = await fetch(url, {
    method,
    headers,
    ...(method === "GET" || method === "HEAD" ? {} : { body: init.rawBody ?? JSON.stringify(activity) }),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

/** Network isolation for every Teams test file: only loopback may be reached for real. */
export function isolateNetwork(): void {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
}
