// The Web API client's failure policy, chosen explicitly instead of @slack/web-api's default of
// ten retries over about 30 minutes: a per-request timeout, two quick retries for network and
// HTTP errors, and 429s handled here — wait Retry-After once if it is short, else fail.
// https://docs.slack.dev/apis/web-api/rate-limits

import type { Logger as BoltLogger } from "@slack/bolt";
import { webApi } from "@slack/bolt";

export const DEFAULT_WEB_API_TIMEOUT_MS = 5000;
/** Attempts after the first for network errors, timeouts and 5xx (each bounded by the timeout). */
export const WEB_API_RETRIES = 2;
/** A 429 asking for a longer pause than this fails instead of holding a reply for minutes. */
export const MAX_RETRY_AFTER_SECONDS = 10;

export type WebClient = webApi.WebClient;

export interface WebClientPolicy {
  slackApiUrl?: string;
  timeoutMs: number;
  logger: BoltLogger;
}

export function webClientOptions(p: WebClientPolicy): webApi.WebClientOptions {
  return {
    ...(p.slackApiUrl
      ? { slackApiUrl: p.slackApiUrl.endsWith("/") ? p.slackApiUrl : `${p.slackApiUrl}/` }
      : {}),
    timeout: p.timeoutMs,
    retryConfig: { retries: WEB_API_RETRIES, factor: 2, minTimeout: 200, maxTimeout: 1000, randomize: true },
    // Surface 429s as WebAPIRateLimitedError so withRateLimit decides; the library would otherwise
    // pause every call of this client for as long as Slack asks, however long that is.
    rejectRateLimitedCalls: true,
    logger: p.logger,
  };
}

export function createWebClient(token: string, p: WebClientPolicy): WebClient {
  return new webApi.WebClient(token, webClientOptions(p));
}

export function isRateLimited(e: unknown): e is webApi.WebAPIRateLimitedError {
  return (
    typeof e === "object" &&
    e !== null &&
    (e as { code?: unknown }).code === webApi.ErrorCode.RateLimitedError &&
    typeof (e as { retryAfter?: unknown }).retryAfter === "number"
  );
}

export function platformError(e: unknown): string | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  if ((e as { code?: unknown }).code !== webApi.ErrorCode.PlatformError) return undefined;
  const data = (e as { data?: { error?: unknown } }).data;
  return typeof data?.error === "string" ? data.error : undefined;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs a Web API call; on a 429 with a short Retry-After, waits that long and tries once more. */
export async function withRateLimit<T>(
  call: () => Promise<T>,
  opts: { maxRetryAfterSeconds?: number; wait?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const max = opts.maxRetryAfterSeconds ?? MAX_RETRY_AFTER_SECONDS;
    if (!isRateLimited(e) || e.retryAfter > max) throw e;
    await (opts.wait ?? sleep)(e.retryAfter * 1000);
    return call();
  }
}
