// The server's logger: ../log.ts (pino with path redaction) plus a last line of defence that
// replaces the configured secret values wherever they appear in a line, whatever field or message
// carried them. JSON in production; pretty only for a developer's terminal.
import { writeSync } from "node:fs";
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

/** Where the server's log lines go. */
export interface LineOutput {
  write(line: string): void;
  /**
   * Writes out every line written so far, in order, before the process exits. Lines written
   * after this go out synchronously. Resolves within `ms` even if stdout never drains.
   */
  end(ms?: number): Promise<void>;
}

export interface StdoutLinesOptions {
  /**
   * Lines waiting for stdout beyond this are dropped: a log reader that stalls costs log lines,
   * not the heap (the buffer is JavaScript strings) nor the answers.
   */
  maxBufferedBytes?: number;
  /** Told, after the first line that fits again, how many lines were dropped before it. */
  onDropped?: (lines: number) => void;
}

/** About 5 s of answers at 5,000/s (~170 bytes a line), and 4% of the image's 96 MB old space. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * Lines to stdout without one blocking write per line: pino's asynchronous destination
 * (sonic-boom) writes at once when idle and batches the lines that arrive while a write is under
 * way, so a slow log reader delays log lines rather than answers. On process.exit pino flushes
 * the buffered lines synchronously, but a batch already handed to libuv is written after them:
 * the server calls end() before it exits so that its last lines keep their order. It stops
 * writing on EPIPE; any other stdout error is ignored too, as there is nowhere left to log it.
 */
export function stdoutLines(opts: StdoutLinesOptions = {}): LineOutput {
  const out = pino.destination({
    dest: 1,
    sync: false,
    maxLength: opts.maxBufferedBytes ?? MAX_BUFFERED_BYTES,
  });
  out.on("error", () => {});
  let dropped = 0;
  out.on("drop", () => {
    dropped++;
  });
  let ended: Promise<void> | null = null;
  return {
    write(line) {
      if (!ended) {
        const before = dropped;
        out.write(line);
        // Reported once a line fits again, so that the report itself is not dropped with the rest.
        if (before > 0 && dropped === before) {
          dropped = 0;
          opts.onDropped?.(before);
        }
        return;
      }
      try {
        writeSync(1, line);
      } catch {
        // As above: nowhere left to report it.
      }
    },
    end(ms = 1_000) {
      ended ??= new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        out.once("close", done);
        out.once("error", done);
        try {
          out.end();
        } catch {
          done();
        }
      });
      return ended;
    },
  };
}

/** The logger and the output its lines go to. */
export interface ServerLog {
  logger: Logger;
  /** Lets the last lines out before the process exits (LineOutput.end). */
  end(): Promise<void>;
}

export async function createServerLogger(opts: ServerLoggerOptions): Promise<ServerLog> {
  let output: LineOutput | null = null;
  let write = opts.write;
  if (!write && opts.pretty) {
    const pretty = await loadPretty();
    if (pretty) write = (line) => void pretty.write(line);
  }
  if (!write) {
    const stdout = stdoutLines({
      onDropped: (dropped) =>
        logger.warn({ dropped }, "log lines dropped: stdout was not keeping up with them"),
    });
    output = stdout;
    write = (line) => stdout.write(line);
  }
  const lines = write;
  const logger: Logger = createLogger({
    level: opts.level,
    destination: { write: (line: string) => lines(opts.scrubber.scrub(line)) },
  });
  return { logger, end: async () => output?.end() };
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
