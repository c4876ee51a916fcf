// The one HTTP server (plain node:http: no framework, no global body parser, so Slack's route sees
// the raw bytes it verifies). Routes: POST /slack/events, POST /api/messages, GET /healthz, /readyz,
// /metrics. Probes follow https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Core } from "../core/core.js";
import type { Logger } from "../log.js";
import type { PlatformHandler } from "../platform-handler.js";
import type { Platform, Telemetry } from "../telemetry.js";
import { catalogAgeSeconds, type Route, type ServerMetrics } from "./metrics.js";

/** Where the Core comes from: the bundled catalog, or a live refresh that swaps it (issue 8). */
export interface CatalogProvider {
  getCore(): Core;
  /** Refresh state for /readyz details (last attempt, last error…); shape owned by the provider. */
  status?(): unknown;
  /** Starts refreshing (called once the server listens). */
  start?(): void;
  /** Stops refresh timers at shutdown. */
  stop?(): void | Promise<void>;
}

/** What a platform route does right now; read per request so that a secret rotation can swap handlers. */
export type PlatformRoute =
  | { state: "enabled"; handler: PlatformHandler }
  | { state: "off"; status: 401 | 404; reason: string };

export interface HttpServerOptions {
  catalog: CatalogProvider;
  routes: { slack: () => PlatformRoute; teams: () => PlatformRoute };
  /** One word per platform for /readyz ("enabled", "socket-mode", "local-only", "disabled"). */
  platforms: () => Record<string, string>;
  metrics: ServerMetrics;
  telemetry: Telemetry;
  logger: Logger;
  bodyLimitBytes: number;
  timeouts?: Partial<ServerTimeouts>;
}

export interface ServerTimeouts {
  /** Whole request, headers and body: Teams gives up after about 15 s, Slack after 3 s. */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  /** Above the 60 s idle timeout of common proxies, so that the proxy closes first and never reuses a socket we closed. */
  keepAliveTimeoutMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 65_000,
};

export interface UpstreamHttpServer {
  server: Server;
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** False from beginShutdown() on: /readyz answers 503 at once. */
  isReady(): boolean;
  beginShutdown(): void;
  /** Stops accepting, closes idle keep-alive sockets, resolves when no request is in flight. */
  closeGracefully(): Promise<void>;
  /** The deadline passed: drop whatever is left. */
  closeNow(): void;
  inFlight(): number;
}

const ADAPTER_ROUTES: Record<string, "slack" | "teams"> = {
  "/slack/events": "slack",
  "/api/messages": "teams",
};
const PROBE_ROUTES = new Set(["/healthz", "/readyz", "/metrics"]);

export function createHttpServer(opts: HttpServerOptions): UpstreamHttpServer {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  let shuttingDown = false;
  let inFlight = 0;
  const open = new Set<ServerResponse>();
  let idleWaiters: (() => void)[] = [];

  const server = createServer(
    {
      requestTimeout: timeouts.requestTimeoutMs,
      headersTimeout: timeouts.headersTimeoutMs,
      keepAliveTimeout: timeouts.keepAliveTimeoutMs,
      // How often Node checks the two timeouts above; its 30 s default would let a slow client overstay.
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
      inFlight++;
      open.add(res);
      opts.metrics.inFlight.inc();
      const started = process.hrtime.bigint();
      let route: Route = "unknown";
      res.once("close", () => {
        inFlight--;
        open.delete(res);
        opts.metrics.inFlight.dec();
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        opts.metrics.httpRequests.inc({
          route,
          method: methodLabel(req.method),
          status: String(res.statusCode),
        });
        opts.metrics.httpDuration.observe({ route }, seconds);
        if (shuttingDown) server.closeIdleConnections();
        if (inFlight === 0) {
          const waiters = idleWaiters;
          idleWaiters = [];
          for (const w of waiters) w();
        }
      });
      // During shutdown a request on a kept-alive socket is still served, then the socket closes.
      if (shuttingDown) res.setHeader("connection", "close");
      route = dispatch(req, res);
    },
  );

  const dispatch = (req: IncomingMessage, res: ServerResponse): Route => {
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    const platform = ADAPTER_ROUTES[path];
    if (platform) {
      void adapterRoute(platform, req, res);
      return platform;
    }
    if (PROBE_ROUTES.has(path)) {
      if (req.method !== "GET" && req.method !== "HEAD") {
        refuseBody(req, res);
        sendJson(res, 405, { error: "method not allowed" }, { allow: "GET, HEAD" });
      } else {
        refuseBody(req, res);
        void probeRoute(path, res);
      }
      return path.slice(1) as Route;
    }
    refuseBody(req, res);
    sendJson(res, 404, { error: "not found" });
    return "unknown";
  };

  const adapterRoute = async (platform: "slack" | "teams", req: IncomingMessage, res: ServerResponse) => {
    const route = opts.routes[platform]();
    if (route.state === "off") {
      refuseBody(req, res);
      sendJson(res, route.status, { error: route.reason });
      return;
    }
    if (req.method !== "POST") {
      refuseBody(req, res);
      sendJson(res, 405, { error: "method not allowed" }, { allow: "POST" });
      return;
    }
    // A declared length over the cap is refused before a byte is read; chunked bodies are capped by the adapter.
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > opts.bodyLimitBytes) {
      opts.telemetry.rejected(platform as Platform, "body_too_large");
      refuseBody(req, res);
      sendJson(res, 413, { error: `request body larger than ${opts.bodyLimitBytes} bytes` });
      return;
    }
    try {
      await route.handler.handle(req, res);
    } catch (e) {
      // The contract says handle() never throws; if one does, the request still gets an answer.
      opts.logger.error({ platform, err: e instanceof Error ? e.message : String(e) }, "handler threw");
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.end();
    }
  };

  const probeRoute = async (path: string, res: ServerResponse) => {
    if (path === "/healthz") {
      // Liveness: the event loop answers. Nothing here may wait on Slack, Teams, Key Vault or the catalog.
      sendJson(res, 200, { status: "ok" });
      return;
    }
    if (path === "/readyz") {
      const { ready, body } = readiness();
      sendJson(res, ready ? 200 : 503, body);
      return;
    }
    try {
      const text = await opts.metrics.registry.metrics();
      res.writeHead(200, { "content-type": opts.metrics.registry.contentType, "cache-control": "no-store" });
      res.end(text);
    } catch (e) {
      opts.logger.error({ err: e instanceof Error ? e.message : String(e) }, "metrics collection failed");
      sendJson(res, 500, { error: "metrics collection failed" });
    }
  };

  const readiness = (): { ready: boolean; body: Record<string, unknown> } => {
    let catalog: Record<string, unknown>;
    let catalogReady = false;
    try {
      const core = opts.catalog.getCore();
      catalogReady = core.catalog.projects.length > 0;
      catalog = {
        origin: core.source.origin,
        snapshot: { date: core.source.snapshot.date, commit: core.source.snapshot.commit },
        ...(core.source.fetchedAt ? { fetchedAt: core.source.fetchedAt } : {}),
        ageSeconds: catalogAgeSeconds(core.source),
        projects: core.catalog.projects.length,
      };
    } catch (e) {
      catalog = { error: e instanceof Error ? e.message : String(e) };
    }
    let refresh: unknown;
    try {
      refresh = opts.catalog.status?.();
    } catch (e) {
      refresh = { error: e instanceof Error ? e.message : String(e) };
    }
    const ready = catalogReady && !shuttingDown;
    return {
      ready,
      body: {
        status: shuttingDown ? "shutting_down" : catalogReady ? "ready" : "catalog_not_loaded",
        catalog: refresh === undefined ? catalog : { ...catalog, refresh },
        platforms: opts.platforms(),
      },
    };
  };

  function beginShutdown() {
    shuttingDown = true;
    // Answers still being computed will close their socket, so no client reuses it after we stop.
    for (const res of open) if (!res.headersSent) res.setHeader("connection", "close");
  }

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    isReady: () => !shuttingDown && readiness().ready,
    beginShutdown,
    closeGracefully: () =>
      new Promise<void>((resolve) => {
        beginShutdown();
        // close() stops accepting and (Node ≥ 19) closes idle sockets; say so explicitly for clarity and Node 18 habits.
        server.close();
        server.closeIdleConnections();
        if (inFlight === 0) resolve();
        else idleWaiters.push(resolve);
      }),
    closeNow: () => {
      server.closeAllConnections();
    },
    inFlight: () => inFlight,
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

/**
 * The server never reads a body it does not route to an adapter. Node would otherwise drain an
 * unread body to keep the socket alive; closing the socket instead bounds what a client can make us read.
 */
function refuseBody(req: IncomingMessage, res: ServerResponse) {
  const hasBody =
    (req.headers["content-length"] ?? "0") !== "0" || req.headers["transfer-encoding"] !== undefined;
  if (hasBody) res.setHeader("connection", "close");
}

function methodLabel(method: string | undefined): string {
  return method && ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"].includes(method)
    ? method
    : "other";
}
