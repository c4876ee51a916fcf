// The Slack adapter: a Bolt app on our own HTTP receiver (or Socket Mode for development),
// with listeners that forward Slack payloads to the core and render its answers as Block Kit.
// https://docs.slack.dev/tools/bolt-js/concepts/receiver
import type { IncomingMessage, ServerResponse } from "node:http";
import { App } from "@slack/bolt";
import type { Core } from "../core/core.js";
import type { Logger } from "../log.js";
import type { PlatformHandler } from "../platform-handler.js";
import type { Telemetry } from "../telemetry.js";
import { createBoltLogger } from "./bolt-logger.js";
import { createBotIdentity } from "./bot-identity.js";
import { createChannelLimiter } from "./channel-limiter.js";
import { SlackStageError } from "./errors.js";
import { createMemoryEventStore, type EventStore } from "./event-store.js";
import type { ListenerDeps } from "./listeners/deps.js";
import { registerListeners } from "./listeners/index.js";
import { createPoster } from "./post-message.js";
import { SlackHttpReceiver } from "./receiver.js";
import {
  createWebClient,
  DEFAULT_WEB_API_TIMEOUT_MS,
  MAX_RETRY_AFTER_SECONDS,
  webClientOptions,
} from "./web-client.js";

export type { EventStore } from "./event-store.js";
export { createMemoryEventStore } from "./event-store.js";

export interface SlackOptions {
  botToken: string;
  signingSecret: string;
  /** App-level token (xapp-…): Socket Mode instead of HTTP. For development only. */
  appToken?: string;
  botId?: string;
  botUserId?: string;
  slackApiUrl?: string;
  getCore: () => Core;
  telemetry: Telemetry;
  logger: Logger;
  /** Dedupe of event ids across replicas; default: in-memory with a TTL (this process only). */
  eventStore?: EventStore;
  /** Largest request body read; default 64 KiB (Slack's payloads are a few KiB). */
  bodyLimitBytes?: number;
  /** Timeout of each Web API call and response_url post; default 5000 ms. */
  webApiTimeoutMs?: number;
  /** How long a slash command may take before we ack "Looking that up…"; default 1000 ms. */
  ackBudgetMs?: number;
  /** A listener that has not acked by then gets a 500; default 2500 ms (Slack waits 3 s). */
  ackDeadlineMs?: number;
  /** Longest Retry-After (s) waited once on a 429 before giving up; default 10. */
  maxRetryAfterSeconds?: number;
}

export type SlackHandler = PlatformHandler & { mode: "http" | "socket"; app: App };

export class SlackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SlackConfigError";
  }
}

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

export async function createSlackHandler(opts: SlackOptions): Promise<SlackHandler> {
  if (!opts.signingSecret?.trim())
    throw new SlackConfigError(
      "SLACK_SIGNING_SECRET is empty: refusing to start, since no request could be verified. " +
        "Copy it from your Slack app's Basic Information page.",
    );
  if (!opts.botToken?.trim())
    throw new SlackConfigError(
      "SLACK_BOT_TOKEN is empty: set the app's xoxb- bot token (OAuth & Permissions).",
    );

  const log = opts.logger.child({ platform: "slack" });
  const boltLogger = createBoltLogger(log);
  const timeoutMs = opts.webApiTimeoutMs ?? DEFAULT_WEB_API_TIMEOUT_MS;
  const policy = {
    ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}),
    timeoutMs,
    logger: boltLogger,
  };
  const web = createWebClient(opts.botToken, policy);
  const identity = createBotIdentity({
    botToken: opts.botToken,
    ...(opts.botId ? { botId: opts.botId } : {}),
    ...(opts.botUserId ? { botUserId: opts.botUserId } : {}),
    web,
    logger: log,
  });

  const mode = opts.appToken ? "socket" : "http";
  const receiver =
    mode === "http"
      ? new SlackHttpReceiver({
          signingSecret: opts.signingSecret,
          bodyLimitBytes: opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
          eventStore: opts.eventStore ?? createMemoryEventStore(),
          logger: log,
          telemetry: opts.telemetry,
          ...(opts.ackDeadlineMs ? { ackDeadlineMs: opts.ackDeadlineMs } : {}),
        })
      : undefined;

  const app = new App({
    ...(receiver ? { receiver } : { socketMode: true, appToken: opts.appToken }),
    // Our authorize returns the token at once and never waits for auth.test (start-up rule).
    authorize: identity.authorize,
    logger: boltLogger,
    logLevel: boltLogger.getLevel(),
    clientOptions: webClientOptions(policy),
    convoStore: false,
  });

  // The one place listener failures become log lines and telemetry. Rethrown so the receiver
  // answers 500 when nothing was acked and releases the event id for Slack's retry.
  app.error(async (error) => {
    const original = (error as { original?: unknown }).original ?? error;
    const stage = original instanceof SlackStageError ? original.stage : "listener";
    const cause = original instanceof SlackStageError ? original.cause : original;
    log.error({ err: original, stage }, `Slack listener failed at ${stage}`);
    opts.telemetry.failed({ platform: "slack", stage, error: cause });
    throw error;
  });

  // Listener work in flight in Socket Mode, so drain() can wait for replies before shutdown. Over
  // HTTP the receiver tracks each event until its listeners finish, without a middleware that
  // every request would pay for.
  const inflight = new Set<Promise<unknown>>();
  if (mode === "socket")
    app.use(async ({ next }) => {
      const p = next();
      inflight.add(p);
      try {
        await p;
      } finally {
        inflight.delete(p);
      }
    });

  const deps: ListenerDeps = {
    getCore: opts.getCore,
    telemetry: opts.telemetry,
    logger: log,
    web,
    poster: createPoster({ web, limiter: createChannelLimiter(), logger: log }),
    ackBudgetMs: opts.ackBudgetMs ?? 1000,
    responseTimeoutMs: timeoutMs,
    maxRetryAfterSeconds: opts.maxRetryAfterSeconds ?? MAX_RETRY_AFTER_SECONDS,
  };
  registerListeners(app, deps);

  let stopped = false;
  let reconnect: NodeJS.Timeout | undefined;
  if (mode === "socket") {
    // Connecting calls Slack's API, so it runs in the background: a failure is logged and
    // retried with backoff; the socket-mode client reconnects by itself once connected.
    const connect = async (attempt: number): Promise<void> => {
      try {
        await app.start();
        log.info("Slack Socket Mode connected");
      } catch (e) {
        if (stopped) return;
        const delay = Math.min(60_000, 1000 * 2 ** attempt);
        log.error({ err: e, retryInMs: delay }, "Slack Socket Mode could not connect");
        reconnect = setTimeout(() => void connect(attempt + 1), delay);
        reconnect.unref();
      }
    };
    void connect(0);
  }

  const drain = async () => {
    if (receiver) await receiver.drain();
    while (inflight.size) await Promise.allSettled([...inflight]);
    await identity.settled();
  };

  return {
    mode,
    app,
    handle: receiver ? receiver.handle : socketModeHttp,
    drain,
    async stop() {
      stopped = true;
      clearTimeout(reconnect);
      if (mode === "socket")
        await app.stop().catch((e: unknown) => log.warn({ err: e }, "Socket Mode did not stop cleanly"));
    },
  };
}

/** In Socket Mode, events arrive over the WebSocket; the HTTP route only says so. */
async function socketModeHttp(_req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
  res.end("Slack Socket Mode is on: events arrive over the WebSocket, not this URL.\n");
}
