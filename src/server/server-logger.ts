// The server's logger: ../log.ts (pino with path redaction) plus a last line of defence that
// replaces the configured secret values wherever they appear in a line, whatever field or message
// carried them. JSON in production; pretty only for a developer's terminal.
import pino from "pino";
import { createLogger, type Logger } from "../log.js";

export interface SecretScrubber {
  /** Adds values to hide (rotation adds the new ones; the old ones stay hidden too). */
  add(values: Iterable<string | undefined>): void;
  scrub(line: string): string;
}

/** Shorter values would redact ordinary words; every real token or secret is longer. */
const MIN_SCRUBBED_LENGTH = 8;

export function createScrubber(): SecretScrubber {
  const secrets = new Set<string>();
  return {
    add(values) {
      for (const v of values) if (v && v.length >= MIN_SCRUBBED_LENGTH) secrets.add(v);
    },
    scrub(line) {
      let out = line;
      for (const s of secrets) if (out.includes(s)) out = out.split(s).join("[redacted]");
      // Tokens we were never told about (a user pasting one, an SDK echoing a header).
      return out
        .replace(/\bx(?:ox[abposre]|app)-[A-Za-z0-9-]{6,}/g, "[redacted]")
        .replace(/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g, "Bearer [redacted]");
    },
  };
}

export interface ServerLoggerOptions {
  level: string;
  /** Pretty output: only a developer's terminal, never production or a pipe. */
  pretty: boolean;
  scrubber: SecretScrubber;
  /** Where scrubbed lines go; defaults to stdout (stdoutLines below). */
  write?: (line: string) => void;
}

/**
 * Lines to stdout without one blocking write per line: pino's asynchronous destination
 * (sonic-boom) writes at once when idle and batches the lines that arrive while a write is under
 * way, so a busy server makes one write per batch instead of one per answer (docs/benchmarks.md).
 * pino flushes what is buffered, synchronously, when the process exits and stops writing on
 * EPIPE; any other stdout error is ignored too, as there is nowhere left to log it.
 */
export function stdoutLines(): (line: string) => void {
  const out = pino.destination({ dest: 1, sync: false });
  out.on("error", () => {});
  return (line) => void out.write(line);
}

export async function createServerLogger(opts: ServerLoggerOptions): Promise<Logger> {
  let write = opts.write;
  if (!write && opts.pretty) {
    const pretty = await loadPretty();
    if (pretty) write = (line) => void pretty.write(line);
  }
  write ??= stdoutLines();
  const lines = write;
  return createLogger({
    level: opts.level,
    destination: { write: (line: string) => lines(opts.scrubber.scrub(line)) },
  });
}

/** pino-pretty is a dev dependency: absent from the production image, where JSON is right anyway. */
async function loadPretty(): Promise<{ write(s: string): unknown } | null> {
  try {
    const mod = (await import("pino-pretty")) as unknown as {
      default: (o: object) => { write(s: string): unknown };
    };
    return mod.default({ colorize: true, destination: 1 });
  } catch {
    return null;
  }
}
