// Button and select clicks. Choice, suggestion, successor and list buttons carry a project id
// and replace the message with that project's card; "Share in channel" reposts the card
// visibly and deletes the private copy; URL buttons only need an ack.
// https://docs.slack.dev/reference/interaction-payloads/block_actions-payload
import type { App, BlockAction, BlockElementAction, SlackActionMiddlewareArgs } from "@slack/bolt";
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

type ActionArgs = Pick<SlackActionMiddlewareArgs<BlockAction>, "ack" | "body" | "action">;

/**
 * One Bolt listener for every block action (Bolt runs each listener's matchers for every request;
 * see ./events.ts), routed by action id. An id with no handler is not acked: the receiver then
 * answers 404 at once rather than leave Slack waiting.
 */
export function registerActions(app: App, deps: ListenerDeps): void {
  const openProject = openProjectHandler(deps);
  const share = shareHandler(deps);
  app.action<BlockAction>({ type: "block_actions" }, async (args) => {
    const id = args.action.action_id;
    if (OPEN_PROJECT_PATTERN.test(id)) return openProject(args);
    if (id === SHARE_IN_CHANNEL) return share(args);
    // URL buttons: Slack opens the link itself and only needs the ack.
    if (LINK_PATTERN.test(id)) return args.ack();
  });
}

function openProjectHandler(deps: ListenerDeps) {
  return async ({ ack, body, action }: ActionArgs): Promise<void> => {
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
  };
}

function shareHandler(deps: ListenerDeps) {
  return async ({ ack, body, action }: ActionArgs): Promise<void> => {
    await ack();
    const target = action.type === "button" && action.value ? decodeShare(action.value) : null;
    if (!target || !body.response_url) {
      deps.logger.warn("share button without a valid value or response_url; ignored");
      return;
    }
    const started = performance.now();
    const answer: Answer =
      target.kind === "query"
        ? await stage("core", () => ask(deps.getCore(), target.query))
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
  };
}
