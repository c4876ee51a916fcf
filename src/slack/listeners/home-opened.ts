// App Home: publish the catalog overview when someone opens the Home tab.
// https://docs.slack.dev/reference/events/app_home_opened
import type { KnownEventFromType } from "@slack/bolt";
import { stage } from "../errors.js";
import { renderHome } from "../home.js";
import { withRateLimit } from "../web-client.js";
import type { ListenerDeps } from "./deps.js";

export function homeOpenedHandler(deps: ListenerDeps) {
  return async (event: KnownEventFromType<"app_home_opened">): Promise<void> => {
    if (event.tab !== "home") return;
    const view = renderHome(deps.getCore().overview());
    await stage("views.publish", () =>
      withRateLimit(() => deps.web.views.publish({ user_id: event.user, view }), {
        maxRetryAfterSeconds: deps.maxRetryAfterSeconds,
      }),
    );
  };
}
