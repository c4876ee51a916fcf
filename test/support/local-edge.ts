// A stand-in for everything the bot talks to over the network, on 127.0.0.1: the Slack Web API
// (SLACK_API_URL), response_url posts, the Bot Framework channel's OpenID metadata and keys
// (TEAMS_OPENID_METADATA_URL) and the Bot Framework connector (an activity's serviceUrl). Used where nock cannot reach: a server
// running in another process (benchmarks, soak). Every route can be told to fail, for fault runs.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CHANNEL_ISSUER, type SigningKey } from "./bot-framework-token.js";

export type EdgeRoute = "slack_api" | "response_url" | "openid" | "jwks" | "connector";

/** What a route answers instead of success; `hang` accepts the request and never answers. */
export type EdgeFault =
  | { status: number; headers?: Record<string, string>; body?: unknown; times?: number }
  | { hang: true; times?: number };

export interface LocalEdge {
  url: string;
  port: number;
  /** `${url}/api/`: for SLACK_API_URL. */
  slackApiUrl: string;
  openIdMetadataUrl: string;
  /** `${url}/`: an activity's serviceUrl, so that replies come here. */
  serviceUrl: string;
  /** Requests per route (all of them, answered or failed). */
  counts: Record<EdgeRoute, number>;
  /** Slack Web API calls by method name (answered or failed). */
  slackMethods: Map<string, number>;
  /** Keys the JWKS lists; replace to rotate. */
  keys: SigningKey[];
  fail(route: EdgeRoute, fault: EdgeFault): void;
  heal(route?: EdgeRoute): void;
  /** Requests being held by a `hang` fault right now. */
  hanging(route?: EdgeRoute): number;
  /** Answers the held requests of a route normally, as if the network came back. */
  release(route: EdgeRoute): void;
  close(): Promise<void>;
}

function route(req: IncomingMessage): EdgeRoute | null {
  const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
  if (path.startsWith("/api/")) return "slack_api";
  if (path.startsWith("/hooks/")) return "response_url";
  if (path === "/openid") return "openid";
  if (path === "/jwks") return "jwks";
  if (path.startsWith("/v3/conversations/")) return "connector";
  return null;
}

export async function startLocalEdge(opts: { keys?: SigningKey[] } = {}): Promise<LocalEdge> {
  const counts: Record<EdgeRoute, number> = {
    slack_api: 0,
    response_url: 0,
    openid: 0,
    jwks: 0,
    connector: 0,
  };
  const slackMethods = new Map<string, number>();
  const faults = new Map<EdgeRoute, EdgeFault>();
  const held = new Set<{ route: EdgeRoute; res: ServerResponse }>();
  let base = "";
  let replies = 0;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  };

  const answer = (r: EdgeRoute, res: ServerResponse) => {
    switch (r) {
      case "slack_api":
        return json(res, 200, { ok: true, channel: "C0EDGE", ts: `${Date.now() / 1000}` });
      case "response_url":
        res.writeHead(200, { "content-type": "text/plain" });
        return res.end("ok");
      case "openid":
        return json(res, 200, { issuer: CHANNEL_ISSUER, jwks_uri: `${base}/jwks` });
      case "jwks":
        return json(res, 200, { keys: edge.keys.map((k) => k.jwk) });
      case "connector":
        return json(res, 200, { id: `edge-reply-${++replies}` });
    }
  };

  const server: Server = createServer((req, res) => {
    const r = route(req);
    // Read the whole body before answering, as a real endpoint does (and so no socket is reset).
    req.resume();
    req.once("end", () => {
      if (!r) return json(res, 404, { error: "not a route of the local edge" });
      counts[r]++;
      if (r === "slack_api") {
        const method = (req.url ?? "").slice("/api/".length).split("?", 1)[0] ?? "";
        slackMethods.set(method, (slackMethods.get(method) ?? 0) + 1);
      }
      const fault = faults.get(r);
      if (fault) {
        if (fault.times !== undefined && --fault.times <= 0) faults.delete(r);
        if ("hang" in fault) {
          const entry = { route: r, res };
          held.add(entry);
          res.once("close", () => held.delete(entry));
          return;
        }
        return json(
          res,
          fault.status,
          fault.body ?? { error: `local edge fault ${fault.status}` },
          fault.headers,
        );
      }
      answer(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;

  const edge: LocalEdge = {
    url: base,
    port,
    slackApiUrl: `${base}/api/`,
    openIdMetadataUrl: `${base}/openid`,
    serviceUrl: `${base}/`,
    counts,
    slackMethods,
    keys: opts.keys ?? [],
    fail: (r, fault) => void faults.set(r, { ...fault }),
    heal: (r) => (r ? void faults.delete(r) : faults.clear()),
    hanging: (r) => [...held].filter((h) => !r || h.route === r).length,
    release: (r) => {
      for (const h of [...held])
        if (h.route === r) {
          held.delete(h);
          answer(h.route, h.res);
        }
    },
    close: async () => {
      for (const h of held) h.res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return edge;
}
