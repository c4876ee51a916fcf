// What every listener gets: the core (through getCore, because a catalog refresh swaps it),
// the ports it reports through, and the Slack-side senders built with our failure policy.
import type { Answer } from "../../core/answer.js";
import type { Core } from "../../core/core.js";
import type { Logger } from "../../log.js";
import type { Telemetry } from "../../telemetry.js";
import type { Poster } from "../post-message.js";
import { createResponder, type Responder } from "../response-url.js";
import type { WebClient } from "../web-client.js";

export interface ListenerDeps {
  getCore: () => Core;
  telemetry: Telemetry;
  logger: Logger;
  web: WebClient;
  poster: Poster;
  /** How long a slash command may think before we ack with "Looking that up…" instead. */
  ackBudgetMs: number;
  responseTimeoutMs: number;
  maxRetryAfterSeconds: number;
}

/**
 * The core answers synchronously today; typing the call as possibly async lets the command's
 * ack budget cover a slower core (or a test's) without changing any listener.
 */
type MaybeAsyncAsk = (text: string) => Answer | Promise<Answer>;

export async function ask(core: Core, text: string): Promise<Answer> {
  return (core.ask as MaybeAsyncAsk).call(core, text);
}

export function report(deps: ListenerDeps, trigger: string, answer: Answer, startedMs: number): void {
  deps.telemetry.answered({
    platform: "slack",
    trigger,
    intent: answer.intent,
    kind: answer.kind,
    ms: performance.now() - startedMs,
    ...(answer.kind === "not_found" ? { query: answer.query } : {}),
  });
}

export function responder(deps: ListenerDeps, url: string, receivedAt: number): Responder {
  return createResponder(url, { receivedAt, timeoutMs: deps.responseTimeoutMs });
}

/** DM channel ids start with D: the `message` listener answers those, not app_mention. */
export function isDirectChannel(channel: string | undefined): boolean {
  return typeof channel === "string" && channel.startsWith("D");
}

/** Answers worth reposting to a channel: cards and lists, not help or a question back. */
export function shareable(a: Answer): boolean {
  return a.kind === "project" || a.kind === "alternatives" || a.kind === "list";
}
