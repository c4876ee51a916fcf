// Link unfurls: a posted URL of a catalog project gets a compact card (for a retired project,
// the warning and its successors). Other URLs are left alone.
// https://docs.slack.dev/messaging/unfurling-links-in-messages
import type { KnownEventFromType, webApi } from "@slack/bolt";
import type { ProjectAnswer } from "../../core/answer.js";
import { stage } from "../errors.js";
import { renderUnfurl } from "../unfurl.js";
import { withRateLimit } from "../web-client.js";
import { type ListenerDeps, report } from "./deps.js";

/** Slack sends at most a handful of links per message; never more work than this per event. */
const MAX_LINKS = 10;

export function linkSharedHandler(deps: ListenerDeps) {
  return async (event: KnownEventFromType<"link_shared">): Promise<void> => {
    const started = performance.now();
    const core = deps.getCore();
    const answers: ProjectAnswer[] = [];
    const unfurls: Record<string, ReturnType<typeof renderUnfurl>> = {};
    for (const { url } of event.links.slice(0, MAX_LINKS)) {
      const answer = core.unfurl(url);
      if (!answer) continue;
      unfurls[url] = renderUnfurl(answer);
      answers.push(answer);
    }
    if (!answers.length) return;
    // Links typed in the message composer are unfurled by id; posted ones by channel and ts.
    const source = event.source;
    const args: webApi.ChatUnfurlArguments =
      event.unfurl_id && (source === "composer" || source === "conversations_history")
        ? { unfurls, unfurl_id: event.unfurl_id, source }
        : { unfurls, channel: event.channel, ts: event.message_ts };
    await stage("chat.unfurl", () =>
      withRateLimit(() => deps.web.chat.unfurl(args), {
        maxRetryAfterSeconds: deps.maxRetryAfterSeconds,
      }),
    );
    for (const a of answers) report(deps, "unfurl", a, started);
  };
}
