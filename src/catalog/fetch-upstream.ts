// Fetches the upstream README for a live refresh: bounded in time (AbortSignal.timeout) and
// in size (the body is streamed and reading stops past the cap), conditional on the last
// copy's ETag / Last-Modified (RFC 9110 §13.1) so an unchanged list costs a 304.
// https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/Conditional_requests

export type FetchFailureKind = "network" | "timeout" | "http_status" | "too_large" | "not_text" | "aborted";

export class UpstreamFetchError extends Error {
  constructor(
    readonly kind: FetchFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "UpstreamFetchError";
  }
}

export interface FetchUpstreamOptions {
  url: string;
  timeoutMs: number;
  maxBytes: number;
  /** Validators of the copy in use; sent as If-None-Match / If-Modified-Since. */
  etag?: string;
  lastModified?: string;
  /** Aborts the request (stop()); reported as "aborted", not as a failure of upstream. */
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export type FetchedList =
  | { status: "not_modified" }
  | { status: "ok"; text: string; bytes: number; etag?: string; lastModified?: string };

export async function fetchUpstream(o: FetchUpstreamOptions): Promise<FetchedList> {
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
  const fail = (e: unknown) => classify(e, o, timeout);
  const headers: Record<string, string> = {
    accept: "text/plain, text/markdown;q=0.9, */*;q=0.1",
    "user-agent": "upstream-bot (live catalog refresh)",
  };
  if (o.etag) headers["if-none-match"] = o.etag;
  if (o.lastModified) headers["if-modified-since"] = o.lastModified;

  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(o.url, { headers, signal, redirect: "follow" });
  } catch (e) {
    throw fail(e);
  }
  if (res.status === 304) {
    await discard(res);
    return { status: "not_modified" };
  }
  if (res.status !== 200) {
    await discard(res);
    throw new UpstreamFetchError(
      "http_status",
      `upstream answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`,
    );
  }
  const declared = Number(res.headers.get("content-length") ?? Number.NaN);
  if (declared > o.maxBytes) {
    await discard(res);
    throw tooLarge(o.maxBytes, `declares ${declared} bytes`);
  }

  let bytes: Uint8Array;
  try {
    bytes = await readCapped(res, o.maxBytes);
  } catch (e) {
    throw e instanceof UpstreamFetchError ? e : fail(e);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (e) {
    throw new UpstreamFetchError("not_text", "the body is not UTF-8 text", { cause: e });
  }
  const etag = res.headers.get("etag") ?? undefined;
  const lastModified = res.headers.get("last-modified") ?? undefined;
  return {
    status: "ok",
    text,
    bytes: bytes.byteLength,
    ...(etag ? { etag } : {}),
    ...(lastModified ? { lastModified } : {}),
  };
}

/** Reads at most maxBytes; one byte more cancels the stream, so a huge body is never held. */
async function readCapped(res: Response, maxBytes: number): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes, `sent more than that`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function tooLarge(maxBytes: number, detail: string): UpstreamFetchError {
  return new UpstreamFetchError(
    "too_large",
    `the list is larger than the ${maxBytes}-byte cap (upstream ${detail})`,
  );
}

async function discard(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => {});
}

function classify(e: unknown, o: FetchUpstreamOptions, timeout: AbortSignal): UpstreamFetchError {
  if (o.signal?.aborted) return new UpstreamFetchError("aborted", "the refresh was stopped", { cause: e });
  if (timeout.aborted)
    return new UpstreamFetchError("timeout", `no complete answer within ${o.timeoutMs} ms`, { cause: e });
  return new UpstreamFetchError("network", `cannot reach ${hostOf(o.url)}: ${describe(e)}`, { cause: e });
}

/** fetch() hides the reason in `cause` ("fetch failed" ← ECONNREFUSED); show the useful part. */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" ? `${code} (${cause.message})` : cause.message;
  }
  return e.message;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
