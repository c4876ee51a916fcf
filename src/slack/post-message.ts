// Posts a rendered answer with chat.postMessage: paced per channel, no link previews, no
// link_names or parse (so nothing we send can ping), and one text-only retry when Slack refuses
// the blocks. https://docs.slack.dev/reference/methods/chat.postMessage
import type { Logger } from "../log.js";
import type { SlackMessage } from "./blocks.js";
import type { ChannelLimiter } from "./channel-limiter.js";
import { platformError, type WebClient, withRateLimit } from "./web-client.js";

/** Errors that mean "these blocks are not acceptable", where the plain-text fallback still is. */
export const BLOCK_ERRORS = new Set(["invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"]);

export interface PostTarget {
  channel: string;
  thread_ts?: string;
}

export interface Poster {
  post(target: PostTarget, message: SlackMessage): Promise<void>;
}

export function createPoster(deps: { web: WebClient; limiter: ChannelLimiter; logger: Logger }): Poster {
  const send = (target: PostTarget, message: Partial<SlackMessage> & { text: string }) =>
    withRateLimit(() =>
      deps.web.chat.postMessage({
        channel: target.channel,
        ...(target.thread_ts ? { thread_ts: target.thread_ts } : {}),
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks } : {}),
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
  return {
    async post(target, message) {
      await deps.limiter.wait(target.channel);
      try {
        await send(target, message);
      } catch (e) {
        const code = platformError(e);
        if (!code || !BLOCK_ERRORS.has(code)) throw e;
        deps.logger.warn(
          { error: code, channel: target.channel },
          "Slack refused the blocks; posting the text only",
        );
        await send(target, { text: message.text });
      }
    },
  };
}
