// Registers the app's listeners on the Bolt app: one per kind of payload (slash command, Events
// API callback, block action), each routing to one small handler per file.
import type { App } from "@slack/bolt";
import { registerActions } from "./actions.js";
import { registerCommand } from "./command.js";
import type { ListenerDeps } from "./deps.js";
import { registerEvents } from "./events.js";

export function registerListeners(app: App, deps: ListenerDeps): void {
  registerCommand(app, deps);
  registerEvents(app, deps);
  registerActions(app, deps);
}
