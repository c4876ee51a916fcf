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

/** The parts of @azure/core-rest-pipeline's types we use (it is botbuilder's dependency, not ours). */
export interface PipelineResponseLike {
  status: number;
  headers: { get(name: string): string | undefined };
}
export interface PipelinePolicyLike {
  name: string;
  sendRequest(
    request: unknown,
    next: (request: unknown) => Promise<PipelineResponseLike>,
  ): Promise<PipelineResponseLike>;
}
interface PipelineLike {
  removePolicy(options: { name?: string }): unknown;
  addPolicy(
    policy: PipelinePolicyLike,
    options?: { phase?: "Serialize" | "Sign" | "Retry" | "Deserialize" },
  ): void;
  getOrderedPolicies(): { name: string }[];
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

export const RETRY_POLICY_NAME = "upstreamBotThrottlingRetry";
const SDK_RETRY_POLICY_NAME = "defaultRetryPolicy";

/** Retry-After in seconds or as an HTTP date → milliseconds from `now`; undefined if absent or bad. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function throttlingRetryPolicy(options: Partial<RetryOptions> = {}): PipelinePolicyLike {
  const o = { ...DEFAULT_RETRY, ...options };
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = o.random ?? Math.random;
  return {
    name: RETRY_POLICY_NAME,
    async sendRequest(request, next) {
      for (let attempt = 0; ; attempt++) {
        const response = await withDeadline(request, o.attemptTimeoutMs, next);
        if (response.status !== 429 || attempt >= o.maxRetries) return response;
        const asked = retryAfterMs(response.headers.get("retry-after"));
        const wait = asked ?? o.baseDelayMs * 2 ** attempt;
        if (wait > o.maxRetryAfterMs) return response;
        await sleep(wait + Math.floor(random() * o.jitterMs));
      }
    },
  };
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

/** The fields of @azure/core-rest-pipeline's PipelineRequest that bound an attempt. */
interface AbortableRequest {
  abortSignal?: AbortSignal;
}

/**
 * Runs one attempt with an abort signal that fires after `ms` (joined to the caller's own): the
 * HTTP client then destroys the socket, whether it is waiting for headers or for the body.
 */
async function withDeadline(
  request: unknown,
  ms: number,
  next: (request: unknown) => Promise<PipelineResponseLike>,
): Promise<PipelineResponseLike> {
  const req = request as AbortableRequest;
  const caller = req.abortSignal;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), ms);
  req.abortSignal = caller ? AbortSignal.any([caller, deadline.signal]) : deadline.signal;
  try {
    return await next(request);
  } catch (e) {
    // The HTTP client reports only "aborted": say that it was our deadline, and which.
    if (deadline.signal.aborted && !caller?.aborted) throw new ConnectorTimeoutError(ms, e);
    throw e;
  } finally {
    clearTimeout(timer);
    req.abortSignal = caller;
  }
}

/**
 * Puts `policy` in place of the SDK's retry policy on a ConnectorClient. botframework-connector
 * offers no option for this; its pipeline is reachable as `client.pipeline` (a TypeScript-private
 * field). If a botbuilder upgrade moves it, this throws at the first reply instead of silently
 * keeping the SDK's duplicate-prone retries, and the tests fail.
 */
export function replaceRetryPolicy(connector: object, policy: PipelinePolicyLike): void {
  const pipeline = (connector as { client?: { pipeline?: PipelineLike } }).client?.pipeline;
  if (!pipeline || typeof pipeline.addPolicy !== "function" || typeof pipeline.removePolicy !== "function")
    throw new Error(
      "botframework-connector's ConnectorClient no longer exposes client.pipeline: update src/teams/outbound-retry.ts",
    );
  if (pipeline.getOrderedPolicies().some((p) => p.name === RETRY_POLICY_NAME)) return;
  pipeline.removePolicy({ name: SDK_RETRY_POLICY_NAME });
  pipeline.addPolicy(policy, { phase: "Retry" });
}
