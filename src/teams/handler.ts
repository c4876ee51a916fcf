// The Teams endpoint (POST /api/messages) as a PlatformHandler: body cap, method and shape checks,
// then botbuilder's CloudAdapter for JWT authentication and the turn; replies are sent after the
// turn with the turn's credentials (connector-replies.ts), addressed by its conversation reference,
// and tracked for drain().
// https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference
import type { IncomingMessage, ServerResponse } from "node:http";
// botbuilder's index loads all of the SDK (skills, streaming, inspection, transcripts…): these two
// modules of it and botbuilder-core are 6.5 MB less resident memory and 30 ms less start-up
// (docs/benchmarks.md). botbuilder is archived and pinned, so its file layout will not move.
import { CloudAdapter } from "botbuilder/lib/cloudAdapter.js";
import { type Activity, TurnContext } from "botbuilder-core";
import type { Core } from "../core/core.js";
import type { Logger } from "../log.js";
import type { PlatformHandler } from "../platform-handler.js";
import type { Telemetry } from "../telemetry.js";
import { UpstreamTeamsBot } from "./bot.js";
import {
  createBotAuthentication,
  type TeamsAppType,
  type TeamsAuthMode,
  teamsAuthMode,
} from "./bot-authentication.js";
import { createReplySender, credentialsOf, type OutgoingActivity } from "./connector-replies.js";
import { AdapterResponse, readActivity, writeEmpty, writeJson } from "./http-shim.js";
import type { Reply } from "./messages.js";
import type { RetryOptions } from "./outbound-retry.js";
import { createReplayGuard, type ReplayGuard } from "./replay-guard.js";

export interface TeamsOptions {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType?: TeamsAppType;
  /** Benchmarks and tests only: a local stand-in for the channel's OpenID metadata (login.botframework.com). */
  openIdMetadataUrl?: string;
  /** Only true in local development (the server decides: never with NODE_ENV=production). */
  allowUnauthenticated: boolean;
  getCore: () => Core;
  telemetry: Telemetry;
  logger: Logger;
  /** Largest request body read; Bot Framework activities are a few KB. */
  bodyLimitBytes?: number;
  /** Outbound 429 handling (see outbound-retry.ts); tests shorten the waits. */
  outboundRetry?: Partial<RetryOptions>;
  /** Where answered activity ids are remembered; in memory unless a shared store is given. */
  replayGuard?: ReplayGuard;
  /** Longest wait for authentication (the channel's keys) before the request is refused with 401. */
  authDeadlineMs?: number;
}

/** The channel's keys normally load in well under a second; Bot Framework gives up after 15 s. */
export const DEFAULT_AUTH_DEADLINE_MS = 5000;

/** True when `work` settled (either way) within `ms`. */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;

/** Connector errors that mean "this card is too big": answered with the text fallback instead. */
function isTooLarge(err: unknown): boolean {
  const e = err as { statusCode?: unknown; code?: unknown };
  return e?.statusCode === 413 || e?.code === "MessageSizeTooBig";
}

function describe(mode: TeamsAuthMode): string {
  switch (mode.kind) {
    case "authenticated":
      return "Teams endpoint on: Bot Framework tokens are required";
    case "open":
      return "Teams endpoint accepts UNAUTHENTICATED requests (no MicrosoftAppId): local development only";
    case "closed":
      return "Teams endpoint is off: no MicrosoftAppId is configured, every request is refused with 401";
  }
}

/** Throws TeamsConfigError for an unsafe configuration (e.g. an app id with an empty password). */
export function createTeamsHandler(opts: TeamsOptions): PlatformHandler {
  const mode = teamsAuthMode(opts);
  const log = opts.logger.child({ platform: "teams" });
  const { telemetry } = opts;
  const limit = opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const authDeadlineMs = opts.authDeadlineMs ?? DEFAULT_AUTH_DEADLINE_MS;
  if (mode.kind === "authenticated") log.info({ appType: opts.appType ?? "MultiTenant" }, describe(mode));
  else log.warn(describe(mode));

  const reject = (
    res: ServerResponse,
    status: number,
    reason: string,
    headers: Record<string, string> = {},
    detail: Record<string, unknown> = {},
  ) => {
    telemetry.rejected("teams", reason, { status, ...detail });
    writeJson(res, status, { error: reason }, headers);
  };

  let stopped = false;
  const pending = new Set<Promise<void>>();

  const adapter = mode.kind === "closed" ? null : new CloudAdapter(createBotAuthentication(opts, mode));
  const replies = createReplySender({ retry: opts.outboundRetry });

  if (adapter) {
    adapter.onTurnError = async (_ctx, error) => {
      log.error({ err: error }, "teams: turn failed");
      telemetry.failed({ platform: "teams", stage: "turn", error });
    };
  }

  const sendFailed = (error: unknown, activityId: string | undefined): void => {
    const status = (error as { statusCode?: number }).statusCode;
    log.error({ err: error, status, activityId }, "teams: reply failed");
    telemetry.failed({ platform: "teams", stage: "sendActivity", error });
  };

  const deliver = (ctx: TurnContext, reply: Reply): void => {
    if (!adapter) return;
    // After the turn, with the turn's credentials: the HTTP request is answered at once, and the
    // TurnContext is not touched late. Addressed as TurnContext.sendActivity would: a reply to the
    // person's activity (in a channel, the conversation id already names the thread).
    // continueConversationAsync, used before, ran a second turn per reply, and botbuilder's
    // ConnectorClient cost more than the turn (see connector-replies.ts, docs/benchmarks.md).
    const connector = ctx.turnState.get<unknown>(adapter.ConnectorClientKey);
    const reference = TurnContext.getConversationReference(ctx.activity);
    const send = async (activity: Partial<Activity>) => {
      const out = TurnContext.applyConversationReference({ type: "message", ...activity }, reference);
      await replies.send(out as OutgoingActivity, credentialsOf(connector));
    };
    const task = (async () => {
      try {
        await send(reply.card);
      } catch (err) {
        if (!isTooLarge(err)) return sendFailed(err, reference.activityId);
        log.warn(
          { activityId: reference.activityId },
          "teams: card refused as too large, sending text instead",
        );
        telemetry.failed({ platform: "teams", stage: "sendActivity:card_too_large", error: err });
        await send(reply.fallback).catch((e: unknown) => sendFailed(e, reference.activityId));
      }
    })().finally(() => pending.delete(task));
    pending.add(task);
  };

  const replays = opts.replayGuard ?? createReplayGuard();
  const bot = new UpstreamTeamsBot({ getCore: opts.getCore, telemetry, logger: log, replays, deliver });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method !== "POST") return reject(res, 405, "method_not_allowed", { allow: "POST" });
      if (stopped) return reject(res, 503, "stopping");
      if (!adapter) return reject(res, 401, "teams_disabled");
      // Cheap early refusal: without a bearer token the adapter would refuse anyway, after the body.
      if (mode.kind === "authenticated" && !/^Bearer \S+$/.test(req.headers.authorization ?? ""))
        return reject(res, 401, "missing_token");
      const body = await readActivity(req, limit);
      if (!body.ok)
        return reject(res, body.status, body.reason, body.status === 413 ? { connection: "close" } : {});

      let turnStarted = false;
      let abandoned = false;
      const out = new AdapterResponse();
      const processing = adapter.process(
        { method: "POST", headers: req.headers, body: body.activity },
        out,
        async (ctx) => {
          // Refused already for taking too long to authenticate: the late turn must not answer.
          if (abandoned) return;
          turnStarted = true;
          await bot.run(ctx);
        },
      );
      if (!(await settlesWithin(processing, authDeadlineMs)) && !turnStarted) {
        // botbuilder fetches the channel's keys without a timeout: an OpenID endpoint that never
        // answers would hold this request (and every one after it) open. Fail closed instead.
        abandoned = true;
        processing.catch(() => {});
        return reject(
          res,
          401,
          "keys_unavailable",
          {},
          {
            waitedMs: authDeadlineMs,
            cause: "the channel's signing keys did not load in time",
          },
        );
      }
      await processing;
      if (!turnStarted && out.statusCode >= 400) {
        // Nothing ran, so it failed in authentication: botbuilder answers 500 for some token
        // errors (a bad signature, alg "none") and for an unreachable key endpoint. Fail closed.
        return reject(
          res,
          401,
          "invalid_token",
          {},
          {
            sdkStatus: out.statusCode,
            sdkMessage: String(out.body ?? "").slice(0, 200),
            activityType: body.activity.type,
          },
        );
      }
      if (out.body === undefined || out.body === null || out.body === "")
        return writeEmpty(res, out.statusCode);
      return writeJson(res, out.statusCode, out.body);
    } catch (error) {
      log.error({ err: error }, "teams: request failed");
      telemetry.failed({ platform: "teams", stage: "request", error });
      if (!res.headersSent) writeJson(res, 500, { error: "internal_error" });
      else res.end();
    }
  }

  return {
    handle,
    async drain() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async stop() {
      stopped = true;
      replays.clear();
      replies.close();
    },
  };
}
