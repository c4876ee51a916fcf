// Button and select clicks. Choice, suggestion, successor and list buttons carry a project id
// and replace the message with that project's card; "Share in channel" reposts the card
// visibly and deletes the private copy; URL buttons only need an ack.
// https://docs.slack.dev/reference/interaction-payloads/block_actions-payload
import type { App, BlockAction, BlockElementAction } from "@slack/bolt";
import type { Answer } from "../../core/answer.js";
import { decodeShare, LINK_PATTERN, OPEN_PROJECT_PATTERN, SHARE_IN_CHANNEL } from "../app-surface.js";
import { renderAnswer } from "../blocks.js";
import { stage } from "../errors.js";
import { INVOCATION } from "./command.js";
import { ask, type ListenerDeps, report, responder, shareable } from "./deps.js";

function projectId(action: BlockElementAction): string | undefined {
  if (action.type === "button") return action.value;
  if (action.type === "static_select") return action.selected_option?.value;
  return undefined;
}

export function registerActions(app: App, deps: ListenerDeps): void {
  app.action<BlockAction>(
    { type: "block_actions", action_id: OPEN_PROJECT_PATTERN },
    async ({ ack, body, action }) => {
      await ack();
      const id = projectId(action);
      if (!id || !body.response_url) {
        deps.logger.warn(
          { actionId: action.action_id },
          "project button without a value or response_url; ignored",
        );
        return;
      }
      const started = performance.now();
      const answer = deps.getCore().project(id);
      // Only a private (ephemeral) card can offer to share itself; a visible one already is.
      const ephemeral = body.container?.is_ephemeral === true;
      const message = renderAnswer(answer, {
        invocation: INVOCATION,
        ...(ephemeral && shareable(answer) ? { share: { kind: "project" as const, id } } : {}),
      });
      await stage("response_url", () =>
        responder(deps, body.response_url, Date.now()).post({ replace_original: true, ...message }),
      );
      report(deps, "action", answer, started);
    },
  );

  app.action<BlockAction>(
    { type: "block_actions", action_id: SHARE_IN_CHANNEL },
    async ({ ack, body, action }) => {
      await ack();
      const target = action.type === "button" && action.value ? decodeShare(action.value) : null;
      if (!target || !body.response_url) {
        deps.logger.warn("share button without a valid value or response_url; ignored");
        return;
      }
      const started = performance.now();
      const answer: Answer =
        target.kind === "query"
          ? await stage("core", () => ask(deps, target.query))
          : deps.getCore().project(target.id);
      const reply = responder(deps, body.response_url, Date.now());
      await stage("response_url", () =>
        reply.post({
          response_type: "in_channel",
          replace_original: false,
          ...renderAnswer(answer, { echoQuery: target.kind === "query", invocation: INVOCATION }),
        }),
      );
      // Only once the visible copy is posted: a failure above leaves the private card in place.
      await stage("response_url", () => reply.post({ delete_original: true }));
      report(deps, "share", answer, started);
    },
  );

  app.action<BlockAction>({ type: "block_actions", action_id: LINK_PATTERN }, async ({ ack }) => {
    await ack();
  });
}
