// Our retry policy for replies to the Bot Framework connector, replacing the SDK's default.
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
//
// What botframework-connector 4.23 does by default (measured by counting nocked requests, see
// test/teams/outbound-retry.test.ts): @azure/core-rest-pipeline's defaultRetryPolicy, i.e. up to
// 3 retries of 429/503 after Retry-After, and up to 3 retries with exponential backoff of every
// 5xx (500, 502, 504…) and of network errors: a reply that reached Teams before a gateway error
// is posted again, and one slow reply can hold a turn for many seconds.
//
// Our choice: retry only 429 (the one status that says the message was *not* accepted), after
// Retry-After plus jitter, at most `maxRetries` times, and give up when Retry-After is longer
// than `maxRetryAfterMs` (the answer is stale by then). No retry of 5xx or network errors: a
// duplicate answer in a thread is worse than a missing one the person can ask again.
// Every attempt is also bounded in time, response body included (`attemptTimeoutMs`): the SDK sets
// no timeout, and a connector that never answers (or cuts a response short) would hold the reply,
// and shutdown's drain, forever.

/** What the retry loop needs of one attempt's answer. */
export interface AttemptResult {
  status: number;
  /** The Retry-After header, if any. */
  retryAfter: string | undefined;
}

export interface RetryOptions {
  maxRetries: number;
  /** Wait when a 429 carries no Retry-After; doubled on each retry. */
  baseDelayMs: number;
  /** Longest Retry-After we wait for; past it the reply fails (and is logged). */
  maxRetryAfterMs: number;
  /** Up to this much is added to each wait, so that replicas throttled together spread out. */
  jitterMs: number;
  /** Longest one attempt may take, from sending to the end of the response body; then it is aborted. */
  attemptTimeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxRetries: 3,
  baseDelayMs: 1000,
  maxRetryAfterMs: 10_000,
  jitterMs: 250,
  attemptTimeoutMs: 10_000,
};

/** Retry-After in seconds or as an HTTP date → milliseconds from `now`; undefined if absent or bad. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Runs `attempt` until it answers something other than 429, or the retries run out, or the
 * connector asks for a longer wait than `maxRetryAfterMs`; returns the last answer. Each attempt
 * gets a signal that aborts it after `attemptTimeoutMs` (then ConnectorTimeoutError is thrown).
 * Network errors and timeouts are not retried.
 */
export async function withThrottlingRetry<R extends AttemptResult>(
  attempt: (signal: AbortSignal) => Promise<R>,
  options: Partial<RetryOptions> = {},
): Promise<R> {
  const o = { ...DEFAULT_RETRY, ...options };
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = o.random ?? Math.random;
  for (let n = 0; ; n++) {
    const response = await withDeadline(o.attemptTimeoutMs, attempt);
    if (response.status !== 429 || n >= o.maxRetries) return response;
    const wait = retryAfterMs(response.retryAfter) ?? o.baseDelayMs * 2 ** n;
    if (wait > o.maxRetryAfterMs) return response;
    await sleep(wait + Math.floor(random() * o.jitterMs));
  }
}

export class ConnectorTimeoutError extends Error {
  override name = "ConnectorTimeoutError";
  constructor(
    readonly timeoutMs: number,
    cause: unknown,
  ) {
    super(`the Bot Framework connector did not answer within ${timeoutMs} ms`, { cause });
  }
}

/** One attempt with a signal that fires after `ms`: the HTTP client then destroys the socket. */
async function withDeadline<R>(ms: number, attempt: (signal: AbortSignal) => Promise<R>): Promise<R> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), ms);
  try {
    return await attempt(deadline.signal);
  } catch (e) {
    // The HTTP client reports only "aborted": say that it was our deadline, and which.
    if (deadline.signal.aborted) throw new ConnectorTimeoutError(ms, e);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
