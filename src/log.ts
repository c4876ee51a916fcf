// One logger for the whole process (pino). JSON by default; secrets are redacted by path
// so that no token, signing secret, app password or Authorization header reaches a log line.
import { pino } from "pino";

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
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    base: { app: "upstream-bot" },
  };
  if (opts.destination) return pino(base, opts.destination);
  if (opts.pretty)
    return pino({ ...base, transport: { target: "pino-pretty", options: { colorize: true } } });
  return pino(base);
}

/** A logger that drops everything: for tests and the terminal command. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
