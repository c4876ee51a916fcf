// The HTTP edge of the Teams endpoint on a plain node:http server: reading the JSON body with a
// size cap (there is no global body parser: the Slack route needs its raw bytes), and the small
// express-like request/response pair that botbuilder's CloudAdapter.process expects.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";

export type BodyResult =
  | { ok: true; activity: Record<string, unknown> & { type: string } }
  | {
      ok: false;
      status: 400 | 413;
      reason: "body_too_large" | "bad_json" | "no_activity_type" | "read_error";
    };

/** Reads and parses an activity; stops reading as soon as `limit` bytes are exceeded. */
export function readActivity(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit)
    return Promise.resolve({ ok: false, status: 413, reason: "body_too_large" });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult) => {
      if (done) return;
      done = true;
      req.off("data", onData);
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ ok: false, status: 413, reason: "body_too_large" });
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("error", () => finish({ ok: false, status: 400, reason: "read_error" }));
    req.on("aborted", () => finish({ ok: false, status: 400, reason: "read_error" }));
    req.on("end", () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return finish({ ok: false, status: 400, reason: "bad_json" });
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        return finish({ ok: false, status: 400, reason: "bad_json" });
      const type = (parsed as { type?: unknown }).type;
      if (typeof type !== "string" || type.trim() === "")
        return finish({ ok: false, status: 400, reason: "no_activity_type" });
      finish({ ok: true, activity: parsed as Record<string, unknown> & { type: string } });
    });
  });
}

/** What CloudAdapter reads from a request: method, headers and an already-parsed body. */
export interface AdapterRequest {
  method: "POST";
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/**
 * What CloudAdapter.process writes: it calls status(), then send(body) if there is a body, then
 * end(). We only record it; the handler decides what actually goes on the wire.
 */
export class AdapterResponse {
  statusCode = 500;
  body: unknown;
  readonly headers: Record<string, string> = {};
  socket: unknown = null;
  ended = false;

  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  header(name: string, value: unknown): this {
    this.headers[name.toLowerCase()] = String(value);
    return this;
  }
  send(body: unknown): this {
    this.body = body;
    return this;
  }
  end(): this {
    this.ended = true;
    return this;
  }
}

export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function writeEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-length": 0, ...headers });
  res.end();
}
