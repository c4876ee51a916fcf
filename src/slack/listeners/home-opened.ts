// App Home: publish the catalog overview when someone opens the Home tab.
// https://docs.slack.dev/reference/events/app_home_opened
import type { App } from "@slack/bolt";
import { stage } from "../errors.js";
import { renderHome } from "../home.js";
import { withRateLimit } from "../web-client.js";
import type { ListenerDeps } from "./deps.js";

export function registerHomeOpened(app: App, deps: ListenerDeps): void {
  app.event("app_home_opened", async ({ event }) => {
    if (event.tab !== "home") return;
    const view = renderHome(deps.getCore().overview());
    await stage("views.publish", () =>
      withRateLimit(() => deps.web.views.publish({ user_id: event.user, view }), {
        maxRetryAfterSeconds: deps.maxRetryAfterSeconds,
      }),
    );
  });
}
