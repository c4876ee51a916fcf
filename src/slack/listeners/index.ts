// Registers every listener on the Bolt app: one file per trigger.
import type { App } from "@slack/bolt";
import { registerActions } from "./actions.js";
import { registerCommand } from "./command.js";
import type { ListenerDeps } from "./deps.js";
import { registerDirectMessage } from "./direct-message.js";
import { registerHomeOpened } from "./home-opened.js";
import { registerLinkShared } from "./link-shared.js";
import { registerMention } from "./mention.js";

export function registerListeners(app: App, deps: ListenerDeps): void {
  registerCommand(app, deps);
  registerMention(app, deps);
  registerDirectMessage(app, deps);
  registerActions(app, deps);
  registerHomeOpened(app, deps);
  registerLinkShared(app, deps);
}
