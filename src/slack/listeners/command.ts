// `/upstream <question>`: answer in the ack body when the core is quick (it is sub-millisecond),
// otherwise ack "Looking that up…" within the budget and deliver the card once via response_url.
// Acks already rendered for the same text and catalog are reused (../../render-cache.ts).
// https://docs.slack.dev/interactivity/implementing-slash-commands
import type { App } from "@slack/bolt";
import type { Answer } from "../../core/answer.js";
import { createRenderCache } from "../../render-cache.js";
import { COMMAND } from "../app-surface.js";
import { renderAnswer } from "../blocks.js";
import { stage } from "../errors.js";
import { serializeOnce } from "../serialized-json.js";
import { ask, type ListenerDeps, report, responder, shareable } from "./deps.js";

export const LOOKING_UP_TEXT = "Looking that up…";
export const ERROR_TEXT = "Sorry, something went wrong while answering. Please try again in a moment.";
export const INVOCATION = `${COMMAND} `;

const TOO_SLOW = Symbol("too slow");

function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TOO_SLOW> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof TOO_SLOW>((r) => {
    timer = setTimeout(() => r(TOO_SLOW), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

function card(answer: Answer) {
  return renderAnswer(answer, {
    echoQuery: true,
    invocation: INVOCATION,
    ...(shareable(answer) ? { share: { kind: "query" as const, query: answer.query } } : {}),
  });
}

function ackBody(answer: Answer) {
  return serializeOnce({ response_type: "ephemeral" as const, ...card(answer) });
}

export function registerCommand(app: App, deps: ListenerDeps): void {
  const acks = createRenderCache<{ answer: Answer; body: ReturnType<typeof ackBody> }>();
  app.command(COMMAND, async ({ command, ack }) => {
    const started = performance.now();
    const text = command.text ?? "";
    const core = deps.getCore();
    const known = acks.get(core, text);
    if (known) {
      await ack(known.body);
      report(deps, "command", known.answer, started);
      return;
    }
    const receivedAt = Date.now();
    let acked = false;
    const ackOnce = async (body: Parameters<typeof ack>[0]) => {
      acked = true;
      await ack(body);
    };
    const pending = stage("core", () => ask(core, text));
    // A rejection is handled through `within` or the await below; never left unobserved.
    pending.catch(() => {});
    try {
      const quick = await within(pending, deps.ackBudgetMs);
      if (quick !== TOO_SLOW) {
        const body = ackBody(quick);
        acks.set(core, text, { answer: quick, body });
        await ackOnce(body);
        report(deps, "command", quick, started);
        return;
      }
      await ackOnce({ response_type: "ephemeral", text: LOOKING_UP_TEXT });
      const reply = responder(deps, command.response_url, receivedAt);
      try {
        const answer = await pending;
        await stage("response_url", () =>
          reply.post({ response_type: "ephemeral", replace_original: true, ...card(answer) }),
        );
        report(deps, "command", answer, started);
      } catch (e) {
        // Replace "Looking that up…" rather than leave it hanging; second and last post (case 20).
        if (reply.uses === 0)
          await reply
            .post({ response_type: "ephemeral", replace_original: true, text: ERROR_TEXT })
            .catch((err) => deps.logger.warn({ err }, "could not tell the user the answer failed"));
        throw e;
      }
    } catch (e) {
      if (!acked) await ackOnce({ response_type: "ephemeral", text: ERROR_TEXT });
      throw e;
    }
  });
}
