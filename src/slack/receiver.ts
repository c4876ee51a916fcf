// A Bolt Receiver whose request listener is the server's POST /slack/events handler on a plain
// node:http server. Order: header checks (no body read) → capped body → v0 HMAC over the raw
// bytes → ssl_check → parse → url_verification → event-id dedupe → app.processEvent with an ack
// that answers at once. Modelled on bolt's HTTPReceiver, stricter where RELIABILITY.md says so.
// https://docs.slack.dev/apis/events-api#receiving-events
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import type { App, Receiver, ReceiverEvent } from "@slack/bolt";
import type { Logger } from "../log.js";
import type { Telemetry } from "../telemetry.js";
import type { EventStore } from "./event-store.js";
import { BodyTooLargeError, readBody } from "./read-body.js";
import { serializedJson } from "./serialized-json.js";
import {
  checkSignatureHeaders,
  SignatureError,
  type SignatureHeaders,
  verifySignature,
} from "./verify-signature.js";

export interface ReceiverOptions {
  signingSecret: string;
  bodyLimitBytes: number;
  eventStore: EventStore;
  logger: Logger;
  telemetry: Telemetry;
  /** A listener that has not acked by then gets a 500 from us, well before Slack's 3 s. */
  ackDeadlineMs?: number;
  now?: () => number;
}

/** Unsigned requests can only be `ssl_check=1&token=…`, which is tiny. */
export const UNSIGNED_BODY_LIMIT = 4096;
const DEFAULT_ACK_DEADLINE_MS = 2500;
/** Slack does not retry a response carrying this header: for requests that can never succeed. */
const NO_RETRY = { "x-slack-no-retry": "1" };

type Body = Record<string, unknown>;
type Parsed =
  | { kind: "ssl_check" }
  | { kind: "body"; body: Body }
  | { kind: "malformed" }
  | { kind: "media" };

export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;
  private readonly background = new Set<Promise<void>>();
  private readonly log: Logger;

  constructor(private readonly o: ReceiverOptions) {
    if (!o.signingSecret) throw new Error("SlackHttpReceiver: the signing secret is empty");
    this.log = o.logger.child({ component: "slack-receiver" });
  }

  init(app: App): void {
    this.app = app;
  }

  /** The server owns the socket: nothing to listen on here. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {
    await this.drain();
  }

  /** Resolves once every event dispatched so far has finished its listeners (posts included). */
  async drain(): Promise<void> {
    while (this.background.size) await Promise.allSettled([...this.background]);
  }

  /** The request listener for POST /slack/events. Always ends the response; never throws. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await this.dispatch(req, res);
    } catch (e) {
      this.log.error({ err: e }, "Slack request failed before a listener ran");
      if (!res.headersSent) reply(res, 500);
      else if (!res.writableEnded) res.end();
    }
  };

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "POST") return reply(res, 405, { allow: "POST" });
    const sig = req.headers["x-slack-signature"];
    const ts = req.headers["x-slack-request-timestamp"];
    if (sig === undefined && ts === undefined) return this.unsigned(req, res);

    let headers: SignatureHeaders;
    try {
      headers = checkSignatureHeaders(sig, ts, this.now());
    } catch (e) {
      return this.refuse(req, res, 401, e instanceof SignatureError ? e.reason : "bad_signature_headers");
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, this.o.bodyLimitBytes);
    } catch (e) {
      if (e instanceof BodyTooLargeError) return this.refuse(req, res, 413, "body_too_large");
      return this.refuse(req, res, 400, "body_unreadable");
    }
    try {
      verifySignature(this.o.signingSecret, headers, raw);
    } catch (e) {
      return this.refuse(req, res, 401, e instanceof SignatureError ? e.reason : "signature_mismatch");
    }

    const parsed = parse(req.headers["content-type"], raw);
    if (parsed.kind === "ssl_check") return reply(res, 200);
    if (parsed.kind === "media") return this.refuse(req, res, 415, "unsupported_media_type", NO_RETRY);
    if (parsed.kind === "malformed") return this.refuse(req, res, 400, "malformed_body");
    const { body } = parsed;

    if (body.type === "url_verification") {
      if (typeof body.challenge !== "string") return this.refuse(req, res, 400, "malformed_body");
      return replyJson(res, { challenge: body.challenge });
    }
    if (body.type === "app_rate_limited") {
      // Slack's notice that it is dropping our events for a minute: worth a warning, nothing to answer.
      this.log.warn(
        { minute: body.minute_rate_limited },
        "Slack reports the app is rate limited (app_rate_limited)",
      );
      return reply(res, 200);
    }
    if (!isSupported(body)) return this.refuse(req, res, 400, "unsupported_payload", NO_RETRY);

    const eventId =
      body.type === "event_callback" && typeof body.event_id === "string" ? body.event_id : undefined;
    if (eventId) {
      let claimed: boolean;
      try {
        claimed = await this.o.eventStore.claim(eventId);
      } catch (e) {
        // Without the store we cannot tell a redelivery from a first delivery: let Slack retry later.
        this.log.error({ err: e, eventId }, "event store unavailable; asking Slack to retry");
        this.o.telemetry.failed({ platform: "slack", stage: "event_store", error: e });
        return reply(res, 500);
      }
      if (!claimed) {
        // Acknowledged without answering again.
        this.o.telemetry.rejected("slack", "duplicate_event", {
          eventId,
          retryNum: retryNum(req),
          retryReason: header(req, "x-slack-retry-reason"),
        });
        return reply(res, 200);
      }
    }

    const ack = new HttpAck(res, this.log);
    const event: ReceiverEvent = {
      body,
      ack: ack.ack,
      ...(retryNum(req) !== undefined ? { retryNum: retryNum(req) } : {}),
      ...(header(req, "x-slack-retry-reason") ? { retryReason: header(req, "x-slack-retry-reason") } : {}),
    };
    const work = this.process(event, ack, eventId);
    this.background.add(work);
    void work.finally(() => this.background.delete(work));
    // The request is done when it is answered; listeners may go on (posts), tracked for drain().
    await Promise.race([ack.answered, work]);
  }

  private async process(event: ReceiverEvent, ack: HttpAck, eventId: string | undefined): Promise<void> {
    const app = this.app;
    const deadline = setTimeout(() => {
      if (ack.sent) return;
      this.log.error("a Slack listener did not ack in time; answering 500");
      ack.send(500);
    }, this.o.ackDeadlineMs ?? DEFAULT_ACK_DEADLINE_MS);
    try {
      if (!app) throw new Error("SlackHttpReceiver used before App#init");
      await app.processEvent(event);
      // No listener took it (an unknown command or action): say so now rather than after 3 s.
      if (!ack.sent) ack.send(404, NO_RETRY);
      if (eventId) await this.settle(() => this.o.eventStore.complete(eventId), eventId);
    } catch (e) {
      // Already logged by app.error(); here only the HTTP answer and the dedupe record.
      this.log.debug({ err: e }, "processEvent rejected");
      if (!ack.sent) ack.send(500);
      if (eventId) await this.settle(() => this.o.eventStore.release(eventId), eventId);
    } finally {
      clearTimeout(deadline);
    }
  }

  private async settle(op: () => Promise<void>, eventId: string): Promise<void> {
    try {
      await op();
    } catch (e) {
      this.log.error({ err: e, eventId }, "event store update failed");
    }
  }

  /** Unsigned requests: only Slack's `ssl_check=1` form post is answered (RELIABILITY 8–10). */
  private async unsigned(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw: Buffer;
    try {
      raw = await readBody(req, UNSIGNED_BODY_LIMIT);
    } catch {
      return this.refuse(req, res, 401, "missing_signature_headers");
    }
    // The one unsigned request Slack sends; parse() decides what counts as one, as for signed ones.
    if (parse(req.headers["content-type"], raw).kind === "ssl_check") return reply(res, 200);
    return this.refuse(req, res, 401, "missing_signature_headers");
  }

  private refuse(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    reason: string,
    extra: Record<string, string> = {},
  ): void {
    this.o.telemetry.rejected("slack", reason, { status });
    if (!req.complete) {
      // The rest of the body is never read: close the connection once the answer is out.
      reply(res, status, { ...extra, connection: "close" });
      res.once("finish", () => {
        const t = setTimeout(() => req.socket.destroy(), 200);
        t.unref();
        req.socket.once("close", () => clearTimeout(t));
      });
      return;
    }
    reply(res, status, extra);
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }
}

/** Bolt's ack for one HTTP request: the first call answers; later calls are logged and ignored. */
class HttpAck {
  sent = false;
  private resolve!: () => void;
  readonly answered = new Promise<void>((r) => {
    this.resolve = r;
  });

  constructor(
    private readonly res: ServerResponse,
    private readonly log: Logger,
  ) {}

  readonly ack = async (response?: unknown): Promise<void> => {
    if (this.sent) {
      this.log.warn("ack() called after the request was already answered; ignored");
      return;
    }
    if (response === undefined || response === "") this.send(200);
    else if (typeof response === "string") {
      this.mark();
      this.res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      this.res.end(response);
    } else {
      this.mark();
      replyJson(this.res, response);
    }
  };

  send(status: number, headers: Record<string, string> = {}): void {
    this.mark();
    reply(this.res, status, headers);
  }

  private mark(): void {
    this.sent = true;
    this.resolve();
  }
}

function reply(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, headers);
  res.end();
}

function replyJson(res: ServerResponse, body: unknown): void {
  if (res.headersSent) return;
  const json = serializedJson(body) ?? JSON.stringify(body);
  res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
  res.end(json);
}

function mediaType(h: string | undefined): string {
  return (h ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

function parse(contentType: string | undefined, raw: Buffer): Parsed {
  const type = mediaType(contentType);
  const text = raw.toString("utf8");
  try {
    if (type === "application/x-www-form-urlencoded") {
      // node:querystring rather than URLSearchParams: the same decoding in two thirds of the time on a
      // slash command's form (measured 3.3 vs 5.0 µs), and this runs for every Slack request.
      const form = parseQuery(text, "&", "=", { maxKeys: 0 });
      // Exactly one ssl_check of "1": "0", "true", "" or a repeat are not, and any payload beside it
      // is ignored.
      if (form.ssl_check === "1") return { kind: "ssl_check" };
      const payload = form.payload;
      if (payload !== undefined)
        return asBody(JSON.parse(Array.isArray(payload) ? (payload[0] ?? "") : payload));
      // A repeated field keeps its last value; fromEntries makes "__proto__" a plain own field.
      const fields = Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v.at(-1) : v]);
      return { kind: "body", body: Object.fromEntries(fields) };
    }
    if (type === "application/json") return asBody(JSON.parse(text));
    return { kind: "media" };
  } catch {
    return { kind: "malformed" };
  }
}

function asBody(v: unknown): Parsed {
  return v && typeof v === "object" && !Array.isArray(v)
    ? { kind: "body", body: v as Body }
    : { kind: "malformed" };
}

const isObject = (v: unknown): v is Body => typeof v === "object" && v !== null && !Array.isArray(v);
/** Absent, null, or an object: how Slack sends optional objects such as `team` and `enterprise`. */
const optionalObject = (v: unknown) => v === undefined || v === null || isObject(v);

/**
 * What this app has listeners for (Events API callbacks, slash commands and block actions), in the
 * shape Slack documents for the fields Bolt reads before any listener runs (ids for authorize, the
 * conversation, each action's action_id): Bolt throws on anything else, which would be answered 500
 * and retried by Slack, although no retry can ever succeed.
 */
function isSupported(body: Body): boolean {
  if (body.type === "event_callback") {
    const ev = body.event;
    return (
      isObject(ev) &&
      typeof ev.type === "string" &&
      (ev.user === undefined || typeof ev.user === "string" || isObject(ev.user)) &&
      optionalObject(ev.item) &&
      (ev.channel === undefined || typeof ev.channel === "string" || isObject(ev.channel)) &&
      (body.authorizations === undefined ||
        (Array.isArray(body.authorizations) && body.authorizations.every(isObject)))
    );
  }
  if (typeof body.command === "string") return true;
  return (
    body.type === "block_actions" &&
    isObject(body.user) &&
    optionalObject(body.team) &&
    optionalObject(body.enterprise) &&
    (body.channel === undefined || isObject(body.channel)) &&
    Array.isArray(body.actions) &&
    body.actions.every((a) => isObject(a) && typeof a.action_id === "string")
  );
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function retryNum(req: IncomingMessage): number | undefined {
  const v = header(req, "x-slack-retry-num");
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}
