// @mention in a channel: answer in the thread of the mention, never as a new top-level message.
// The core strips the mention markup. https://docs.slack.dev/reference/events/app_mention
import type { KnownEventFromType } from "@slack/bolt";
import { renderAnswer } from "../blocks.js";
import { stage } from "../errors.js";
import { ask, isDirectChannel, type ListenerDeps, report } from "./deps.js";

export const MENTION_INVOCATION = "@upstream ";

export function mentionHandler(deps: ListenerDeps) {
  return async (event: KnownEventFromType<"app_mention">): Promise<void> => {
    // Bots (ourselves included) never get an answer: no loops (case 19). DMs go to the message listener.
    if (event.bot_id || event.subtype || isDirectChannel(event.channel)) return;
    const started = performance.now();
    const answer = await stage("core", () => ask(deps.getCore(), event.text));
    await stage("chat.postMessage", () =>
      deps.poster.post(
        { channel: event.channel, thread_ts: event.thread_ts ?? event.ts },
        renderAnswer(answer, { echoQuery: true, invocation: MENTION_INVOCATION }),
      ),
    );
    report(deps, "mention", answer, started);
  };
}
