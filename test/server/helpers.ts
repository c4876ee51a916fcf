// Shared test helpers for the server: tiny PlatformHandler fakes that behave like the real adapters
// (own body cap, background work after the response), a config from an env record, and an HTTP client.
import {
  type Agent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from "node:http";
import { type Config, loadConfig } from "../../src/config.js";
import type { PlatformHandler } from "../../src/platform-handler.js";
import type { SlackHandler } from "../../src/server/platforms.js";

export interface FakeHandler extends SlackHandler {
  calls: { path: string; bytes: number; headers: IncomingHttpHeaders }[];
  backgroundDone: number;
  stopped: boolean;
  /** Lets every held request answer (when created with `hold: true`). */
  release(): void;
}

export interface FakeOptions {
  mode?: "http" | "socket";
  /** Keep each request open until release(). */
  hold?: boolean;
  /** Background work per request after the response (a reply posted later). */
  backgroundMs?: number;
  limit?: number;
  label?: string;
}

export function fakeHandler(opts: FakeOptions = {}): FakeHandler {
  const pending = new Set<Promise<void>>();
  let releaseAll: () => void = () => {};
  let released = new Promise<void>((r) => {
    releaseAll = r;
  });
  const limit = opts.limit ?? 1024 * 1024;
  const h: FakeHandler = {
    mode: opts.mode ?? "http",
    calls: [],
    backgroundDone: 0,
    stopped: false,
    release: () => {
      releaseAll();
      released = Promise.resolve();
    },
    async handle(req, res) {
      let bytes = 0;
      const chunks: Buffer[] = [];
      for await (const c of req as AsyncIterable<Buffer>) {
        bytes += c.length;
        if (bytes > limit) {
          res.writeHead(413, { connection: "close" }).end();
          req.destroy();
          return;
        }
        chunks.push(c);
      }
      h.calls.push({ path: req.url ?? "", bytes, headers: req.headers });
      if (opts.hold) await released;
      if (opts.backgroundMs !== undefined) {
        const work = new Promise<void>((r) => setTimeout(r, opts.backgroundMs)).then(() => {
          h.backgroundDone++;
        });
        pending.add(work);
        void work.finally(() => pending.delete(work));
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, by: opts.label ?? "fake", bytes }));
    },
    async drain() {
      while (pending.size) await Promise.all([...pending]);
    },
    async stop() {
      h.stopped = true;
    },
  };
  return h;
}

export const SLACK_ENV = {
  SLACK_BOT_TOKEN: "xoxb-1111-2222-abcdefghijklmnop",
  SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99yyyzzz85a5",
};
export const TEAMS_ENV = {
  MicrosoftAppId: "00000000-1111-2222-3333-444444444444",
  MicrosoftAppPassword: "teams~app~password~0123456789abcdef",
};

export function testConfig(env: Record<string, string | undefined> = {}): Config {
  const r = loadConfig({ PORT: "0", HOST: "127.0.0.1", NODE_ENV: "test", ...env });
  if (!r.ok) throw new Error(r.problems.join("\n"));
  return r.config;
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json(): unknown;
}

export function send(
  url: string,
  path: string,
  opts: {
    method?: string;
    headers?: Record<string, string | number>;
    body?: string | Buffer;
    agent?: Agent;
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${path}`,
      { method: opts.method ?? "GET", headers: opts.headers, agent: opts.agent ?? false },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

export function captureLines() {
  const lines: string[] = [];
  return {
    lines,
    write: (line: string) => {
      lines.push(line);
    },
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export type { PlatformHandler };
