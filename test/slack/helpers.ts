// Test harness for the Slack adapter: the real Bolt app behind a real node:http server on
// 127.0.0.1, requests signed the way Slack signs them, and nock only at Slack's edge.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Writable } from "node:stream";
import nock from "nock";
import { loadCatalogFile } from "../../src/catalog/catalog-files.js";
import type { Catalog } from "../../src/core/catalog-schema.js";
import { type Core, createCore } from "../../src/core/core.js";
import { createLogger } from "../../src/log.js";
import { createSlackHandler, type SlackHandler, type SlackOptions } from "../../src/slack/index.js";
import type { AnsweredEvent, FailedEvent, Telemetry } from "../../src/telemetry.js";
import { nowSeconds, slackSignature } from "../support/slack-signature.js";

export { nowSeconds };

export const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
export const SLACK_API = "https://slack.com";
export const HOOKS = "https://hooks.slack.com";
export const BOT_ID = "B_OURS";
export const BOT_USER_ID = "U0LAN0Z89";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "slack");

let catalog: Catalog | undefined;
export function realCatalog(): Catalog {
  catalog ??= loadCatalogFile();
  return catalog;
}

export function realCore(): Core {
  return createCore(realCatalog());
}

/** A fixture payload without its `_comment`, deep-copied so tests can change it. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  const v = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8")) as Record<string, unknown>;
  delete v._comment;
  return v as T;
}

export interface Recorder extends Telemetry {
  answers: AnsweredEvent[];
  failures: FailedEvent[];
  rejections: string[];
}

export function recorder(): Recorder {
  const r: Recorder = {
    answers: [],
    failures: [],
    rejections: [],
    answered: (e) => r.answers.push(e),
    failed: (e) => r.failures.push(e),
    rejected: (_p, reason) => r.rejections.push(reason),
  };
  return r;
}

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export interface Harness {
  url: string;
  handler: SlackHandler;
  telemetry: Recorder;
  logs: LogLine[];
  /** Bytes the server read from the socket of each finished request, in order. */
  bytesRead: number[];
  close(): Promise<void>;
}

export async function startSlack(overrides: Partial<SlackOptions> = {}): Promise<Harness> {
  const telemetry = recorder();
  const logs: LogLine[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split("\n")) if (line.trim()) logs.push(JSON.parse(line) as LogLine);
      cb();
    },
  });
  const core = realCore();
  const handler = await createSlackHandler({
    botToken: "xoxb-test-token",
    signingSecret: SECRET,
    botId: BOT_ID,
    botUserId: BOT_USER_ID,
    slackApiUrl: `${SLACK_API}/api/`,
    getCore: () => core,
    telemetry,
    logger: createLogger({ level: "debug", destination }),
    webApiTimeoutMs: 2000,
    ...overrides,
  });
  const bytesRead: number[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.once("finish", () => bytesRead.push(req.socket.bytesRead));
    void handler.handle(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    handler,
    telemetry,
    logs,
    bytesRead,
    async close() {
      await handler.drain();
      await handler.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export function allowOnlyLocalhost(): void {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
}

/** Slack's v0 signature, computed here independently of the code under test. */
export function sign(
  body: string | Buffer,
  ts: number | string = nowSeconds(),
  secret = SECRET,
): Record<string, string> {
  return slackSignature(body, secret, ts);
}

export interface SendOptions {
  headers?: Record<string, string>;
  /** Skip signing (the request carries only `headers`). */
  unsigned?: boolean;
  ts?: number | string;
}

export async function post(
  url: string,
  body: string,
  contentType: string,
  o: SendOptions = {},
): Promise<Response> {
  const headers = { "content-type": contentType, ...(o.unsigned ? {} : sign(body, o.ts)), ...o.headers };
  return fetch(url, { method: "POST", headers, body });
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export function sendForm(
  url: string,
  fields: Record<string, string>,
  o: SendOptions = {},
): Promise<Response> {
  return post(url, formBody(fields), "application/x-www-form-urlencoded", o);
}

export function sendCommand(url: string, text: string, o: SendOptions = {}): Promise<Response> {
  return sendForm(url, { ...fixture<Record<string, string>>("command"), text }, o);
}

export function sendEvent(url: string, envelope: unknown, o: SendOptions = {}): Promise<Response> {
  return post(url, JSON.stringify(envelope), "application/json", o);
}

export function sendAction(url: string, payload: unknown, o: SendOptions = {}): Promise<Response> {
  return sendForm(url, { payload: JSON.stringify(payload) }, o);
}

/** A Web API request body as the handler sent it (form-encoded; blocks etc. as JSON strings). */
export type ApiBody = Record<string, unknown>;

function decodeApiBody(body: unknown): ApiBody {
  const raw: Record<string, unknown> =
    typeof body === "string" ? Object.fromEntries(new URLSearchParams(body)) : { ...(body as object) };
  for (const k of ["blocks", "unfurls", "view"])
    if (typeof raw[k] === "string") raw[k] = JSON.parse(raw[k] as string);
  return raw;
}

/** Intercepts one Slack Web API method, recording each body; replies with `reply`. */
export function slackApi(
  method: string,
  reply: (body: ApiBody, n: number) => [number, unknown, Record<string, string>?] = () => [200, { ok: true }],
  times = 1,
): { bodies: ApiBody[]; at: number[]; scope: nock.Scope } {
  const bodies: ApiBody[] = [];
  const at: number[] = [];
  const scope = nock(SLACK_API)
    .post(`/api/${method}`)
    .times(times)
    .reply((_uri, body) => {
      const decoded = decodeApiBody(body);
      bodies.push(decoded);
      at.push(Date.now());
      const [status, json, headers] = reply(decoded, bodies.length);
      return [status, json as nock.Body, headers ?? {}];
    });
  return { bodies, at, scope };
}

/** Intercepts posts to a response_url path on hooks.slack.com. */
export function responseUrl(
  path: string,
  times = 1,
): { bodies: Record<string, unknown>[]; scope: nock.Scope } {
  const bodies: Record<string, unknown>[] = [];
  const scope = nock(HOOKS)
    .post(path)
    .times(times)
    .reply(200, (_uri, body) => {
      bodies.push((typeof body === "string" ? JSON.parse(body) : body) as Record<string, unknown>);
      return "ok";
    });
  return { bodies, scope };
}

export function eventEnvelope(
  name: string,
  event: Record<string, unknown> = {},
  eventId?: string,
): Record<string, unknown> {
  const env = fixture(name);
  env.event = { ...(env.event as object), ...event };
  if (eventId) env.event_id = eventId;
  return env;
}
