// Direct messages to the bot (message.im): answer in the DM (in its thread when the person
// wrote in one). Edits, joins and every bot's messages are ignored, so two bots never loop.
// https://docs.slack.dev/reference/events/message.im
import type { KnownEventFromType } from "@slack/bolt";
import { renderAnswer } from "../blocks.js";
import { stage } from "../errors.js";
import { ask, type ListenerDeps, report } from "./deps.js";

export function directMessageHandler(deps: ListenerDeps) {
  return async (message: KnownEventFromType<"message">): Promise<void> => {
    if (message.channel_type !== "im") return;
    // Only plain messages from people: a subtype means an edit, a bot_message, a join…
    if (message.subtype !== undefined || message.bot_id || !message.user) return;
    const started = performance.now();
    const answer = await stage("core", () => ask(deps.getCore(), message.text ?? ""));
    await stage("chat.postMessage", () =>
      deps.poster.post(
        { channel: message.channel, ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}) },
        renderAnswer(answer, { echoQuery: true, invocation: "" }),
      ),
    );
    report(deps, "dm", answer, started);
  };
}
