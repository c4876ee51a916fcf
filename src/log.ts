// One logger for the whole process (pino). JSON by default; secrets are redacted by path
// so that no token, signing secret, app password or Authorization header reaches a log line.
import { pino } from "pino";
import { compileRedaction, redact } from "./redact.js";

export type Logger = pino.Logger;

export const REDACT_PATHS = [
  "token",
  "*.token",
  "botToken",
  "*.botToken",
  "appToken",
  "*.appToken",
  "signingSecret",
  "*.signingSecret",
  "appPassword",
  "*.appPassword",
  "MicrosoftAppPassword",
  "*.MicrosoftAppPassword",
  "password",
  "*.password",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  'headers["x-slack-signature"]',
  '*.headers["x-slack-signature"]',
  "secret",
  "*.secret",
];

export const CENSOR = "[redacted]";

/**
 * REDACT_PATHS applied to every line's object, to the base bindings and to every child's bindings,
 * rather than with pino's `redact` option: pino 10's redactor parses every path again for every key
 * of every line (about 10 µs a line here, a tenth of a Slack answer's CPU in the benchmarks); this
 * one compiles them once and skips primitive values.
 */
const REDACTION = compileRedaction(REDACT_PATHS);
const formatters: pino.LoggerOptions["formatters"] = {
  log: (obj) => redact(obj, REDACTION, CENSOR),
  bindings: (bindings) => redact(bindings, REDACTION, CENSOR),
};

/** pino applies formatters.bindings to the root only; children inherit this `child` and so redact theirs. */
function redactingChildren(logger: Logger): Logger {
  const child = logger.child as unknown as (
    this: Logger,
    bindings: pino.Bindings,
    options?: pino.ChildLoggerOptions,
  ) => Logger;
  logger.child = function (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) {
    return child.call(this, redact(bindings, REDACTION, CENSOR), options);
  } as unknown as Logger["child"];
  return logger;
}

export interface LoggerOptions {
  level?: string;
  /** Human-readable output; only for a developer's terminal, never in production. */
  pretty?: boolean;
  /** Where lines go (tests pass a stream to read them back). */
  destination?: pino.DestinationStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const base: pino.LoggerOptions = {
    level: opts.level ?? "info",
    formatters,
    base: { app: "upstream-bot" },
  };
  if (opts.destination) return redactingChildren(pino(base, opts.destination));
  if (opts.pretty)
    return redactingChildren(
      pino({ ...base, transport: { target: "pino-pretty", options: { colorize: true } } }),
    );
  return redactingChildren(pino(base));
}

/** A logger that drops everything: for tests and the terminal command. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
