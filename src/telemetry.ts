// What adapters report about each answered request; the server turns it into Prometheus metrics
// and a log line (server/telemetry.ts). Adapters depend on this interface only.
import type { AnswerKind, Intent } from "./core/answer.js";

export type Platform = "slack" | "teams" | "terminal";

export interface AnsweredEvent {
  platform: Platform;
  /** e.g. "command", "mention", "dm", "action", "unfurl", "message", "search". */
  trigger: string;
  intent: Intent;
  kind: AnswerKind;
  ms: number;
  /** Present only for not_found answers, so maintainers can add aliases; never logged otherwise. */
  query?: string;
}

export interface FailedEvent {
  platform: Platform;
  /** Where it failed, e.g. "chat.postMessage", "response_url", "sendActivity". */
  stage: string;
  error: unknown;
}

export interface Telemetry {
  answered(e: AnsweredEvent): void;
  failed(e: FailedEvent): void;
  /**
   * An inbound request refused before any handler ran (bad signature, bad token, too large…),
   * with what the adapter knows about why (status, the SDK's reason…): the server logs it.
   */
  rejected(platform: Platform, reason: string, detail?: Record<string, unknown>): void;
}

export const noTelemetry: Telemetry = { answered() {}, failed() {}, rejected() {} };
