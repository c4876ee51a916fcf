// Every Events API callback the app answers, through one Bolt listener. Bolt runs each registered
// listener's matcher chain for every request; at saturation each listener cost ~5 µs of a
// ~200 µs slash command (docs/benchmarks.md), so events share one listener that routes by type.
import type { App } from "@slack/bolt";
import type { ListenerDeps } from "./deps.js";
import { directMessageHandler } from "./direct-message.js";
import { homeOpenedHandler } from "./home-opened.js";
import { linkSharedHandler } from "./link-shared.js";
import { mentionHandler } from "./mention.js";

/** The Events API types with a handler; `message` covers `message.im` of BOT_EVENTS. */
export const EVENT_TYPES = /^(?:app_mention|message|app_home_opened|link_shared)$/;

export function registerEvents(app: App, deps: ListenerDeps): void {
  const mention = mentionHandler(deps);
  const directMessage = directMessageHandler(deps);
  const homeOpened = homeOpenedHandler(deps);
  const linkShared = linkSharedHandler(deps);
  app.event(EVENT_TYPES, async ({ event }) => {
    switch (event.type) {
      case "app_mention":
        return mention(event);
      case "message":
        return directMessage(event);
      case "app_home_opened":
        return homeOpened(event);
      case "link_shared":
        return linkShared(event);
    }
  });
}
