// Answers through an interaction's response_url: the way to reply to a slash command or a
// button click after the ack. Slack accepts at most five posts within 30 minutes; each post has
// a timeout and is never retried, because a retry after a lost response would post twice.
// https://docs.slack.dev/interactivity/handling-user-interaction#message_responses

export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
/** Margin under Slack's 30 minutes, so a post never lands on an expired URL. */
const LIFETIME_MARGIN_MS = 60_000;

export class ResponseUrlError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ResponseUrlError";
  }
}

export interface ResponseBody {
  text?: string;
  blocks?: unknown[];
  response_type?: "ephemeral" | "in_channel";
  replace_original?: boolean;
  delete_original?: boolean;
}

export interface Responder {
  post(body: ResponseBody): Promise<void>;
  readonly uses: number;
}

export interface ResponderOptions {
  /** When Slack sent the interaction that carried this URL (ms since the epoch). */
  receivedAt: number;
  timeoutMs: number;
  now?: () => number;
}

/** response_urls come from signed payloads; still, only Slack's own hosts get our posts. */
function isSlackHook(url: URL): boolean {
  return (
    url.protocol === "https:" &&
    (url.hostname.endsWith(".slack.com") || url.hostname.endsWith(".slack-gov.com")) &&
    !url.username &&
    !url.password
  );
}

export function createResponder(responseUrl: string, o: ResponderOptions): Responder {
  const now = o.now ?? Date.now;
  let uses = 0;
  return {
    get uses() {
      return uses;
    },
    async post(body) {
      let url: URL;
      try {
        url = new URL(responseUrl);
      } catch (e) {
        throw new ResponseUrlError("response_url is not a URL", undefined, { cause: e });
      }
      if (!isSlackHook(url)) throw new ResponseUrlError(`response_url host ${url.hostname} is not Slack's`);
      if (uses >= RESPONSE_URL_MAX_USES)
        throw new ResponseUrlError(`response_url already used ${RESPONSE_URL_MAX_USES} times`);
      if (now() - o.receivedAt > RESPONSE_URL_LIFETIME_MS - LIFETIME_MARGIN_MS)
        throw new ResponseUrlError("response_url has expired (30 minutes)");
      uses += 1;
      let res: Response;
      try {
        res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8" },
          body: JSON.stringify(body),
          redirect: "error",
          signal: AbortSignal.timeout(o.timeoutMs),
        });
      } catch (e) {
        throw new ResponseUrlError(
          `response_url post failed: ${e instanceof Error ? e.message : e}`,
          undefined,
          {
            cause: e,
          },
        );
      }
      const text = await res.text().catch(() => "");
      if (!res.ok)
        throw new ResponseUrlError(`response_url answered ${res.status}: ${text.slice(0, 200)}`, res.status);
    },
  };
}
