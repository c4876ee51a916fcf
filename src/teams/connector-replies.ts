// Posts replies to the Bot Framework connector's REST API (the two calls botframework-connector's
// ConnectorClient wraps: replyToActivity and sendToConversation) on keep-alive connections, signed
// by botbuilder's own credentials for the turn (same token, same cache, same audience).
// https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference
//
// Why not the ConnectorClient itself: its request pipeline (core-http-compat over
// core-rest-pipeline, the model serializer, eight policies) cost more per reply than the whole
// inbound turn, and the garbage it left made the one-core server's full GCs come every second at
// 200 messages/s (docs/benchmarks.md, profiling item 7). Outbound proxies are not
// read from the environment (neither is Slack's WebClient configured for one).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { type RetryOptions, withThrottlingRetry } from "./outbound-retry.js";

/** What signing needs of botframework-connector's AppCredentials (the connector client's `credentials`). */
export interface ConnectorCredentials {
  signRequest(request: { headers: { set(name: string, value: string): void } }): Promise<unknown>;
}

/** The fields of an outgoing activity that address it (set by TurnContext.applyConversationReference). */
export interface OutgoingActivity {
  serviceUrl?: string;
  conversation?: { id?: string };
  replyToId?: string;
  [field: string]: unknown;
}

/** The connector refused the reply; `code` is the Bot Framework error code from the body, if any. */
export class ConnectorError extends Error {
  override name = "ConnectorError";
  constructor(
    readonly statusCode: number,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`the Bot Framework connector answered ${statusCode}${code ? ` ${code}` : ""}: ${detail}`);
  }
}

export interface ReplySender {
  send(activity: OutgoingActivity, credentials: ConnectorCredentials): Promise<void>;
  /** Closes the idle keep-alive connections (shutdown). */
  close(): void;
}

/** Error bodies are read up to this much (the Bot Framework's are a few hundred bytes). */
const MAX_ERROR_BODY = 16 * 1024;

/**
 * botbuilder keeps the credentials on the connector client it made for the turn; this is the one
 * place that reaches for them. If an upgrade moves them, the first reply fails with this message
 * (and the Teams tests fail) rather than a reply going out unsigned.
 */
export function credentialsOf(connector: unknown): ConnectorCredentials {
  const credentials = (connector as { credentials?: Partial<ConnectorCredentials> } | undefined)?.credentials;
  if (typeof credentials?.signRequest !== "function")
    throw new Error(
      "botbuilder's connector client no longer carries `credentials.signRequest`: update src/teams/connector-replies.ts",
    );
  return credentials as ConnectorCredentials;
}

/** `{serviceUrl}v3/conversations/{id}/activities[/{replyToId}]`, ids encoded as the ConnectorClient does. */
export function replyUrl(activity: OutgoingActivity): URL {
  const serviceUrl = activity.serviceUrl ?? "";
  const conversationId = activity.conversation?.id ?? "";
  if (!serviceUrl || !conversationId) throw new Error("the reply has no service URL or conversation id");
  const base = serviceUrl.endsWith("/") ? serviceUrl : `${serviceUrl}/`;
  const path = `v3/conversations/${encodeURIComponent(conversationId)}/activities`;
  return new URL(activity.replyToId ? `${path}/${encodeURIComponent(activity.replyToId)}` : path, base);
}

function errorCode(body: string): string | undefined {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } })?.error?.code;
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
}

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

/** Reads an answer: the body of an error (capped), nothing of a success (drained so the socket is reused). */
function readAnswer(res: IncomingMessage): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const status = res.statusCode ?? 0;
    const retryAfter = res.headers["retry-after"];
    let body = "";
    if (status < 300) res.resume();
    else {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        if (body.length < MAX_ERROR_BODY) body += chunk.slice(0, MAX_ERROR_BODY - body.length);
      });
    }
    res.once("end", () => resolve({ status, retryAfter, body }));
    res.once("error", reject);
    res.once("aborted", () => reject(new Error("the connector's response was cut short")));
  });
}

export function createReplySender(options: { retry?: Partial<RetryOptions> } = {}): ReplySender {
  // Replies to a conversation go to a handful of regional service URLs: a small warm pool each.
  // Idle sockets close after 30 s, before the connector's load balancers drop them, so a reply
  // is not sent on a connection the far end has already closed (it would fail and not be retried).
  const agentOptions = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16, timeout: 30_000 };
  const agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };

  const post = (url: URL, body: string, headers: Record<string, string>, signal: AbortSignal) =>
    new Promise<Answer>((resolve, reject) => {
      const secure = url.protocol === "https:";
      const req = (secure ? httpsRequest : httpRequest)(
        url,
        { method: "POST", headers, agent: secure ? agents.https : agents.http, signal },
        (res) => readAnswer(res).then(resolve, reject),
      );
      req.once("error", reject);
      req.end(body);
    });

  return {
    async send(activity, credentials) {
      const url = replyUrl(activity);
      const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
      await credentials.signRequest({
        headers: {
          set(name, value) {
            headers[name.toLowerCase()] = value;
          },
        },
      });
      const body = JSON.stringify(activity);
      headers["content-length"] = String(Buffer.byteLength(body));
      const answer = await withThrottlingRetry((signal) => post(url, body, headers, signal), options.retry);
      if (answer.status >= 300)
        throw new ConnectorError(
          answer.status,
          errorCode(answer.body),
          answer.body.slice(0, 200) || "(no body)",
        );
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
