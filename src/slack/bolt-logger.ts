// Bolt's Logger contract (@slack/logger: debug/info/warn/error plus setLevel/getLevel/setName)
// over our pino logger, so Bolt and the Web API client write the same redacted JSON lines.
// The process log level stays authoritative: Bolt may ask for a level, it cannot lower ours.
import { inspect } from "node:util";
import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../log.js";

const ORDER: LogLevel[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

/** pino's level name → the nearest Bolt level (Bolt has no trace, fatal or silent). */
function fromPino(level: string): LogLevel {
  if (level === "trace" || level === "debug") return LogLevel.DEBUG;
  if (level === "info") return LogLevel.INFO;
  if (level === "warn") return LogLevel.WARN;
  return LogLevel.ERROR;
}

export function createBoltLogger(base: Logger, name = "bolt"): BoltLogger {
  let log = base.child({ component: name });
  let requested: LogLevel | undefined;
  const enabled = (level: LogLevel) =>
    requested === undefined || ORDER.indexOf(level) >= ORDER.indexOf(requested);
  const write = (level: LogLevel, args: unknown[]) => {
    if (!enabled(level)) return;
    const err = args.find((a): a is Error => a instanceof Error);
    // Objects go into the line as data, where pino's redaction paths (token, secret…) apply.
    const data = args.filter((a) => typeof a === "object" && a !== null && !(a instanceof Error));
    const msg = args
      .filter((a) => a !== err && !data.includes(a))
      .map((a) => (typeof a === "string" ? a : inspect(a)))
      .join(" ");
    const fields = {
      ...(err ? { err } : {}),
      ...(data.length === 1 ? { data: data[0] } : data.length ? { data } : {}),
    };
    log[level](fields, msg || err?.message || "");
  };
  return {
    debug: (...a: unknown[]) => write(LogLevel.DEBUG, a),
    info: (...a: unknown[]) => write(LogLevel.INFO, a),
    warn: (...a: unknown[]) => write(LogLevel.WARN, a),
    error: (...a: unknown[]) => write(LogLevel.ERROR, a),
    setLevel(level: LogLevel) {
      requested = level;
    },
    getLevel: () => requested ?? fromPino(base.level),
    setName(n: string) {
      log = base.child({ component: n });
    },
  };
}
