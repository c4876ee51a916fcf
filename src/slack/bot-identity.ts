// Bolt's authorize function for our one workspace: the bot token at once, and the bot's own
// ids (for ignoreSelf) either as configured or found lazily with auth.test in the background.
// Start-up and request handling never wait for Slack's API (RELIABILITY; issue 4).
import type { Authorize, AuthorizeResult } from "@slack/bolt";
import type { Logger } from "../log.js";
import type { WebClient } from "./web-client.js";

export interface BotIdentity {
  authorize: Authorize<boolean>;
  /** Resolves when a lookup in flight has finished (for drain). */
  settled(): Promise<void>;
}

export interface BotIdentityOptions {
  botToken: string;
  botId?: string;
  botUserId?: string;
  web: WebClient;
  logger: Logger;
  /** After a failed lookup, wait this long before trying again. */
  retryAfterMs?: number;
  now?: () => number;
}

export function createBotIdentity(o: BotIdentityOptions): BotIdentity {
  let ids: { botId?: string; botUserId?: string } = {
    ...(o.botId ? { botId: o.botId } : {}),
    ...(o.botUserId ? { botUserId: o.botUserId } : {}),
  };
  let inflight: Promise<void> | undefined;
  let failedAt = Number.NEGATIVE_INFINITY;
  const now = o.now ?? Date.now;
  const retryAfter = o.retryAfterMs ?? 60_000;

  const lookUp = () => {
    if ((ids.botId && ids.botUserId) || inflight || now() - failedAt < retryAfter) return;
    inflight = o.web.auth
      .test()
      .then((r) => {
        ids = {
          ...(r.bot_id ? { botId: r.bot_id } : {}),
          ...(r.user_id ? { botUserId: r.user_id } : {}),
          ...ids,
        };
        o.logger.info({ botId: ids.botId, botUserId: ids.botUserId }, "resolved the Slack bot's ids");
      })
      .catch((e) => {
        failedAt = now();
        o.logger.warn({ err: e }, "auth.test failed; bot messages are still ignored by their bot_id field");
      })
      .finally(() => {
        inflight = undefined;
      });
  };

  return {
    authorize: async () => {
      lookUp();
      const result: AuthorizeResult = { botToken: o.botToken, ...ids };
      return result;
    },
    settled: () => inflight ?? Promise.resolve(),
  };
}
