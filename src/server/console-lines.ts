// Libraries in the server write to the console on their own: botbuilder prints two lines for every
// refused Teams token (the channel's public key, then the error with its stack), so a stream of bad
// tokens is a stream of unstructured, multi-line stderr that log pipelines split into fragments.
// In `serve`, console.error and console.warn go to the server's logger instead: one structured
// warning per distinct message, then at most one per window saying how many were held back.
import { format } from "node:util";
import type { Logger } from "../log.js";
import { createThrottle, type ThrottleOptions } from "./log-throttle.js";

export interface ConsoleLike {
  error(...args: unknown[]): void;
  warn(...args: unknown[]): void;
}

/** Longest text kept from one console call (a stack, a PEM key): enough to act on, bounded. */
const MAX_DETAIL = 1000;

/** The first line of the first argument: what makes two calls "the same message" (cheap: no formatting). */
function messageKey(first: unknown): string {
  const text =
    first instanceof Error
      ? `${first.name}: ${first.message}`
      : typeof first === "string"
        ? first
        : format(first);
  const line = text.split("\n", 1)[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** Replaces `target`'s error and warn; returns a function that puts them back. */
export function routeConsoleToLogger(
  target: ConsoleLike,
  logger: Logger,
  options: ThrottleOptions = {},
): () => void {
  const throttle = createThrottle(options);
  const original = { error: target.error, warn: target.warn };

  const log = (level: "error" | "warn", args: unknown[]): void => {
    const key = messageKey(args[0]);
    const admitted = throttle.admit(key);
    if (!admitted) return;
    const held = admitted.heldBack;
    const detail = format(...args);
    logger.warn(
      {
        source: `console.${level}`,
        ...(detail !== key ? { detail: detail.slice(0, MAX_DETAIL) } : {}),
        ...(held ? { heldBack: held, windowMs: throttle.windowMs } : {}),
      },
      key,
    );
  };

  const route =
    (level: "error" | "warn") =>
    (...args: unknown[]): void => {
      try {
        log(level, args);
      } catch {
        // A value whose inspection throws must not break the library that logged it.
      }
    };

  target.error = route("error");
  target.warn = route("warn");
  return () => {
    target.error = original.error;
    target.warn = original.warn;
  };
}
