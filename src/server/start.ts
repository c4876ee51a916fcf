// `upstream serve`: configuration → logger → catalog → platform handlers → one HTTP server, and a
// bounded graceful shutdown on SIGTERM/SIGINT that fits inside Kubernetes' 30 s grace period
// (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination).
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { loadCatalogFile, readCuration } from "../catalog/catalog-files.js";
import { createLiveCatalog } from "../catalog/live-catalog.js";
import { type Config, loadConfig, SECRET_VARIABLES } from "../config.js";
import { createCore } from "../core/core.js";
import type { Logger } from "../log.js";
import type { Telemetry } from "../telemetry.js";
import { type ConsoleLike, routeConsoleToLogger } from "./console-lines.js";
import {
  type CatalogProvider,
  createHttpServer,
  type ServerTimeouts,
  type UpstreamHttpServer,
} from "./http-server.js";
import { createMetrics, refreshFacts, type ServerMetrics } from "./metrics.js";
import { adapterFactories, type PlatformFactories, PlatformSet } from "./platforms.js";
import { readSecretFiles, type SecretFilesWatcher, watchSecretFiles } from "./secret-files.js";
import { createScrubber, createServerLogger, type SecretScrubber } from "./server-logger.js";
import { createServerTelemetry } from "./telemetry.js";

export interface ServerDeps {
  factories: PlatformFactories;
  logger: Logger;
  /** Defaults to the bundled data/catalog.json. */
  catalog?: CatalogProvider;
  timeouts?: Partial<ServerTimeouts>;
}

export interface ShutdownReport {
  code: 0 | 1;
  ms: number;
  /** True when the deadline passed and remaining connections were dropped. */
  forced: boolean;
}

export interface RunningServer {
  config: Config;
  catalog: CatalogProvider;
  address: AddressInfo;
  url: string;
  http: UpstreamHttpServer;
  platforms: PlatformSet;
  metrics: ServerMetrics;
  telemetry: Telemetry;
  /** Idempotent: a second call returns the first call's promise. */
  shutdown(reason: string): Promise<ShutdownReport>;
  /** Called during shutdown, before the platforms stop (e.g. the secret file watcher). */
  onShutdown(fn: () => void): void;
}

/** The bundled catalog, refreshed from CATALOG_URL every CATALOG_REFRESH_INTERVAL (issue 8). */
export function liveCatalog(config: Config, logger: Logger): CatalogProvider {
  return createLiveCatalog({
    url: config.catalog.url,
    intervalMs: config.catalog.refreshIntervalMs,
    bundled: loadCatalogFile(),
    curation: readCuration(),
    logger,
  });
}

export function bundledCatalog(): CatalogProvider {
  const core = createCore(loadCatalogFile());
  return { getCore: () => core };
}

export async function startServer(config: Config, deps: ServerDeps): Promise<RunningServer> {
  const { logger } = deps;
  const catalog = deps.catalog ?? bundledCatalog();
  let shuttingDown = false;
  let http: UpstreamHttpServer | undefined;
  const metrics = createMetrics({
    catalog: () => {
      try {
        const core = catalog.getCore();
        const refresh = refreshFacts(catalog.status?.());
        return {
          source: core.source,
          projects: core.catalog.projects.length,
          ...(refresh ? { refresh } : {}),
        };
      } catch {
        return null;
      }
    },
    ready: () => http?.isReady() ?? false,
  });
  const telemetry = createServerTelemetry(logger, metrics);
  const platforms = new PlatformSet(deps.factories, {
    getCore: () => catalog.getCore(),
    telemetry,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
  });
  await platforms.apply(config);
  for (const p of config.platformLines) logger[p.level]({ platform: p.platform }, p.line);

  http = createHttpServer({
    catalog,
    routes: { slack: () => platforms.route("slack"), teams: () => platforms.route("teams") },
    platforms: () => platforms.describe(),
    metrics,
    telemetry,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    ...(deps.timeouts ? { timeouts: deps.timeouts } : {}),
  });
  const server = http;
  let address: AddressInfo;
  try {
    address = await server.listen(config.port, config.host);
  } catch (e) {
    await platforms.stop();
    throw e;
  }
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url, catalog: catalogSummary(catalog), env: config.nodeEnv }, `listening on ${url}`);

  const hooks: (() => void)[] = [];
  let done: Promise<ShutdownReport> | null = null;
  const shutdown = (reason: string): Promise<ShutdownReport> => {
    done ??= (async () => {
      shuttingDown = true;
      const t0 = performance.now();
      server.beginShutdown();
      logger.info({ reason, inFlight: server.inFlight() }, "shutting down: /readyz now answers 503");
      for (const h of hooks) h();
      const finished = await withDeadline(
        (async () => {
          // For platforms without a preStop hook: give the load balancer time to see the 503.
          if (config.shutdownDelayMs > 0) await sleep(config.shutdownDelayMs);
          await server.closeGracefully();
          logger.info({ ms: Math.round(performance.now() - t0) }, "in-flight requests finished");
          await platforms.drain().catch((e: unknown) => {
            logger.error(
              { err: e instanceof Error ? e.message : String(e) },
              "draining background work failed",
            );
          });
          logger.info({ ms: Math.round(performance.now() - t0) }, "background replies finished");
        })(),
        config.shutdownTimeoutMs,
      );
      if (!finished) {
        logger.error(
          { inFlight: server.inFlight(), timeoutMs: config.shutdownTimeoutMs },
          "shutdown deadline passed: dropping the remaining connections",
        );
        server.closeNow();
      }
      // Stopping must not hang the exit either (a Socket Mode close that never completes).
      await withDeadline(Promise.allSettled([platforms.stop(), catalog.stop?.()]), 2_000);
      const ms = Math.round(performance.now() - t0);
      logger.info({ ms, forced: !finished }, "shutdown complete");
      return { code: finished ? 0 : 1, ms, forced: !finished };
    })();
    return done;
  };

  return {
    config,
    catalog,
    address,
    url,
    http: server,
    platforms,
    metrics,
    telemetry,
    shutdown,
    onShutdown: (fn) => {
      if (shuttingDown) fn();
      else hooks.push(fn);
    },
  };
}

export interface EnvironmentDeps {
  env?: Record<string, string | undefined>;
  factories?: PlatformFactories;
  catalog?: CatalogProvider;
  /** Where SIGTERM/SIGINT come from (tests pass an EventEmitter). */
  signals?: Pick<NodeJS.Process, "on" | "off">;
  exit?: (code: number) => void;
  /** Where configuration errors go (before a logger exists). */
  stderr?: (text: string) => void;
  /** Where log lines go; defaults to stdout. */
  logWrite?: (line: string) => void;
  isTTY?: boolean;
  /**
   * Whose console.error/warn go to the logger while the server runs (console-lines.ts): the
   * global console when signals are the process's own, none otherwise, so that tests running
   * servers in-process keep their console.
   */
  console?: ConsoleLike | null;
  /** Receives the running server (tests). */
  onListening?: (running: RunningServer, reloadSecrets: () => Promise<void>) => void;
}

/**
 * Runs the server until SIGTERM/SIGINT and resolves with the exit code after calling `exit`.
 * Configuration errors are printed, every one of them, and nothing listens.
 */
export async function startFromEnvironment(deps: EnvironmentDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const exit = deps.exit ?? ((code: number) => process.exit(code));
  const stderr = deps.stderr ?? ((text: string) => void process.stderr.write(text));
  const signals = deps.signals ?? process;

  const fail = (problems: string[]): number => {
    stderr(
      `upstream: the server did not start: ${problems.length} configuration problem(s)\n` +
        `${problems.map((p) => `  - ${p}`).join("\n")}\n` +
        "Every variable is described in .env.example.\n",
    );
    exit(1);
    return 1;
  };

  let files: Record<string, string> = {};
  const dir = env.SECRETS_DIR?.trim();
  if (dir) {
    try {
      files = readSecretFiles(dir);
    } catch (e) {
      return fail([e instanceof Error ? e.message : String(e)]);
    }
  }
  // A mounted secret file wins over the environment: only the file follows a Key Vault rotation.
  const result = loadConfig({ ...env, ...files });
  if (!result.ok) return fail(result.problems);
  const config = result.config;

  const scrubber = createScrubber();
  scrubber.add(secretValues({ ...env, ...files }));
  const log = await createServerLogger({
    level: config.logLevel,
    pretty: !config.production && (deps.isTTY ?? !!process.stdout.isTTY),
    scrubber,
    ...(deps.logWrite ? { write: deps.logWrite } : {}),
  });
  const logger = log.logger;
  if (dir) logger.info({ dir, variables: Object.keys(files) }, "read secrets from files");
  const consoleTarget = deps.console === undefined ? (deps.signals ? null : console) : deps.console;
  const restoreConsole = consoleTarget ? routeConsoleToLogger(consoleTarget, logger) : () => {};

  let running: RunningServer;
  try {
    running = await startServer(config, {
      factories: deps.factories ?? adapterFactories,
      logger,
      catalog: deps.catalog ?? liveCatalog(config, logger),
    });
  } catch (e) {
    logger.fatal({ err: e instanceof Error ? e.message : String(e) }, "the server did not start");
    restoreConsole();
    await log.end();
    exit(1);
    return 1;
  }

  // Refreshing starts once we listen: readiness never waits on the network, the bundled catalog serves meanwhile.
  running.catalog.start?.();
  const reloadSecrets = dir
    ? rotation(running, { env, dir, files, scrubber, logger })
    : { check: async () => {}, stop: () => {} };
  running.onShutdown(() => reloadSecrets.stop());

  return new Promise<number>((resolve) => {
    let signalled = false;
    let finished = false;
    const finish = (code: number) => {
      if (finished) return;
      finished = true;
      signals.off("SIGTERM", onSignal);
      signals.off("SIGINT", onSignal);
      restoreConsole();
      void log.end().then(() => {
        exit(code);
        resolve(code);
      });
    };
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        // A second Ctrl-C from a developer who does not want to wait.
        logger.warn({ signal }, "second signal: exiting without waiting");
        finish(1);
        return;
      }
      signalled = true;
      running.shutdown(signal).then(
        (report) => finish(report.code),
        () => finish(1),
      );
    };
    signals.on("SIGTERM", onSignal);
    signals.on("SIGINT", onSignal);
    // A stray rejection (e.g. inside @slack/socket-mode's own reconnect) must cost a log line, not
    // every conversation in flight. Thrown exceptions still crash: their state is unknown.
    if (!deps.signals)
      process.on("unhandledRejection", (reason: unknown) => {
        logger.error(
          { err: reason instanceof Error ? reason.message : String(reason) },
          "unhandled promise rejection",
        );
      });
    deps.onListening?.(running, () => reloadSecrets.check());
  });
}

/**
 * Rotation policy (RELIABILITY case 50): the CSI driver rewrites mounted files on its own poll
 * (2 minutes on AKS by default); we re-read them every SECRETS_POLL_INTERVAL (default 2 minutes)
 * and rebuild only the platform whose credentials changed, without a restart. So a new secret is
 * accepted at most about 4 minutes after Key Vault has it. A change that makes the configuration
 * invalid (e.g. a token written before its signing secret) is refused and logged; the running
 * handlers keep working until a later poll sees a valid set.
 */
function rotation(
  running: RunningServer,
  o: {
    env: Record<string, string | undefined>;
    dir: string;
    files: Record<string, string>;
    scrubber: SecretScrubber;
    logger: Logger;
  },
): SecretFilesWatcher {
  const { logger } = o;
  const fromFiles = new Set(Object.keys(o.files));
  return watchSecretFiles(
    o.dir,
    running.config.secrets.pollIntervalMs,
    o.files,
    async (values) => {
      o.scrubber.add(secretValues(values));
      // A variable once read from a file stays file-only: a deleted file must not revive a stale environment value.
      for (const name of Object.keys(values)) fromFiles.add(name);
      const env = Object.fromEntries(Object.entries(o.env).filter(([name]) => !fromFiles.has(name)));
      const result = loadConfig({ ...env, ...values });
      if (!result.ok) {
        running.metrics.secretReloads.inc({ outcome: "refused" });
        logger.error(
          { problems: result.problems },
          "secret files changed but are not a valid configuration; keeping the current credentials",
        );
        return;
      }
      if (result.config.teams.mode === "local-only" && running.config.teams.mode !== "local-only") {
        running.metrics.secretReloads.inc({ outcome: "refused" });
        logger.error(
          "secret files no longer set MicrosoftAppId; unauthenticated Teams needs a restart, keeping the current credentials",
        );
        return;
      }
      try {
        const changed = await running.platforms.apply(result.config);
        running.metrics.secretReloads.inc({ outcome: "applied" });
        logger.info({ rebuilt: changed }, "secret files changed: handlers rebuilt with the new credentials");
      } catch (e) {
        running.metrics.secretReloads.inc({ outcome: "refused" });
        logger.error(
          { err: e instanceof Error ? e.message : String(e) },
          "rebuilding a handler with the new secrets failed; keeping the current one",
        );
      }
    },
    (e) =>
      logger.error({ err: e instanceof Error ? e.message : String(e) }, "reading the secret files failed"),
  );
}

function secretValues(env: Record<string, string | undefined>): string[] {
  return SECRET_VARIABLES.map((n) => env[n]?.trim()).filter((v): v is string => !!v);
}

function catalogSummary(catalog: CatalogProvider): Record<string, unknown> {
  try {
    const { origin, snapshot, fetchedAt } = catalog.getCore().source;
    return { origin, snapshot: snapshot.date, ...(fetchedAt ? { fetchedAt } : {}) };
  } catch (e) {
    // A live catalog may still be loading; /readyz says 503 until it is.
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** True when `work` settled before the deadline. */
async function withDeadline(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
