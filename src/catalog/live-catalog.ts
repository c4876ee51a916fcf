// The live catalog: serves the bundled catalog, refreshes it from the upstream README at
// start and on an interval, and swaps in a new Core only when a fetched list was read,
// merged and validated in full. Any failure keeps the last good catalog, logs one warning
// and shows in status(), which /readyz details and the metrics read.
import { createHash } from "node:crypto";
import type { AnswerSource } from "../core/answer.js";
import type { Catalog, CatalogChanges, SnapshotRef } from "../core/catalog-schema.js";
import { type Core, createCore } from "../core/core.js";
import type { Logger } from "../log.js";
import { CatalogValidationError } from "./build-catalog.js";
import { buildLiveCatalog, checkDrop, ListDropError, liveSnapshotRef } from "./build-live-catalog.js";
import type { Curation } from "./curation.js";
import { type FetchFailureKind, fetchUpstream, UpstreamFetchError } from "./fetch-upstream.js";
import { importSnapshot, SnapshotFormatError } from "./import-snapshot.js";

export const DEFAULT_CATALOG_URL =
  "https://raw.githubusercontent.com/Azure/container-upstream/main/README.md";
export const DEFAULT_REFRESH_INTERVAL_MS = 6 * 60 * 60 * 1000;
export const DEFAULT_TIMEOUT_MS = 15_000;
/** The README is about 75 KB; 1 MiB leaves room to grow and still bounds memory. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_MAX_DROP_SHARE = 0.3;

export interface LiveCatalogOptions {
  url: string;
  /** 0 disables the refresh: start() then serves the bundled catalog only. */
  intervalMs: number;
  timeoutMs?: number;
  maxBytes?: number;
  /** Refuse a list that loses more than this share (0–1) of the projects listed now. */
  maxDropShare?: number;
  bundled: Catalog;
  curation: Curation;
  logger: Logger;
  fetch?: typeof fetch;
  now?: () => Date;
}

export type RefreshFailureKind =
  | Exclude<FetchFailureKind, "aborted">
  /** The importer cannot read the markdown (no project table, wrong header). */
  | "unreadable"
  /** The merged catalog fails validation (schema, curation consistency). */
  | "invalid"
  /** The list loses more than maxDropShare of the listed projects. */
  | "drop"
  /** A bug: anything else thrown while refreshing. */
  | "internal";

export interface RefreshFailure {
  kind: RefreshFailureKind;
  message: string;
  at: string;
}

export type RefreshOutcome =
  /** A new list was accepted and is now served. */
  | "updated"
  /** Upstream sent the same bytes as the copy being served. */
  | "unchanged"
  /** Upstream answered 304 to the conditional request. */
  | "not_modified"
  | "failed"
  /** stop() cancelled it; not a failure of upstream. */
  | "stopped";

export interface RefreshResult {
  outcome: RefreshOutcome;
  at: string;
  failure?: RefreshFailure;
  /** What the served catalog changes against the bundled one (after "updated"). */
  changes?: CatalogChanges;
}

/** What /readyz details and the metrics show. Times are ISO strings. */
export interface LiveStatus {
  url: string;
  /** 0 when the refresh is disabled. */
  intervalMs: number;
  /** start() was called and stop() was not. */
  running: boolean;
  refreshing: boolean;
  /** Where the served catalog comes from. */
  origin: "bundled" | "live";
  snapshot: SnapshotRef;
  /** When the served live copy was fetched (absent for the bundled catalog). */
  fetchedAt?: string;
  /** Seconds since the served catalog was last known to match upstream: its last accepted fetch or 304 when live, its snapshot date when bundled. */
  ageSeconds: number;
  listedProjects: number;
  lastAttemptAt?: string;
  /** Last refresh that ended "updated", "unchanged" or "not_modified". */
  lastSuccessAt?: string;
  /** Last time the served catalog was swapped. */
  lastUpdateAt?: string;
  lastFailureAt?: string;
  /** The most recent failure, kept after a recovery for context (compare its time with lastSuccessAt). */
  lastFailure?: RefreshFailure;
  /** 0 when the last refresh succeeded. */
  consecutiveFailures: number;
  /** Refreshes since start by outcome; monotonic, for Prometheus counters. */
  refreshes: Record<Exclude<RefreshOutcome, "stopped">, number>;
  /** Failed refreshes since start by cause; monotonic. */
  failures: Record<RefreshFailureKind, number>;
}

export interface LiveCatalog {
  /** The Core to answer with now; a refresh replaces it whole. */
  getCore(): Core;
  status(): LiveStatus;
  /** Refreshes now and then every intervalMs; no-op when intervalMs is 0 or already started. */
  start(): void;
  /** Cancels the timer and any fetch in flight. */
  stop(): void;
  /** One refresh; joins the one in flight rather than starting a second. Never rejects. */
  refreshNow(): Promise<RefreshResult>;
}

const MAX_MESSAGE = 1000;

export function createLiveCatalog(opts: LiveCatalogOptions): LiveCatalog {
  const url = checkUrl(opts.url);
  const intervalMs = checkNumber("intervalMs", opts.intervalMs, 0, 2 ** 31 - 1);
  const timeoutMs = checkNumber("timeoutMs", opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1, 10 * 60_000);
  const maxBytes = checkNumber("maxBytes", opts.maxBytes ?? DEFAULT_MAX_BYTES, 1, 64 * 1024 * 1024);
  const maxDropShare = checkNumber("maxDropShare", opts.maxDropShare ?? DEFAULT_MAX_DROP_SHARE, 0, 1);
  const now = opts.now ?? (() => new Date());
  const log = opts.logger.child({ component: "live-catalog" });
  const { bundled, curation } = opts;

  let core = createCore(bundled);
  /** Validators and content hash of the served live copy; only an accepted list sets them. */
  let served: { etag?: string; lastModified?: string; sha256: string } | null = null;
  let confirmedAt: Date | null = null;
  let inflight: Promise<RefreshResult> | null = null;
  let controller: AbortController | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running = false;

  const st = {
    lastAttemptAt: undefined as string | undefined,
    lastSuccessAt: undefined as string | undefined,
    lastUpdateAt: undefined as string | undefined,
    lastFailure: undefined as RefreshFailure | undefined,
    consecutiveFailures: 0,
    refreshes: { updated: 0, unchanged: 0, not_modified: 0, failed: 0 },
    failures: {
      network: 0,
      timeout: 0,
      http_status: 0,
      too_large: 0,
      not_text: 0,
      unreadable: 0,
      invalid: 0,
      drop: 0,
      internal: 0,
    } satisfies Record<RefreshFailureKind, number>,
  };

  function succeeded(outcome: "updated" | "unchanged" | "not_modified", at: Date): RefreshResult {
    const iso = at.toISOString();
    if (st.consecutiveFailures > 0)
      log.info(
        { catalogRefresh: { outcome, after: st.consecutiveFailures } },
        `catalog refresh recovered after ${st.consecutiveFailures} failed attempt(s)`,
      );
    st.refreshes[outcome]++;
    st.consecutiveFailures = 0;
    st.lastSuccessAt = iso;
    confirmedAt = at;
    return { outcome, at: iso };
  }

  function failed(kind: RefreshFailureKind, message: string, at: Date): RefreshResult {
    const failure: RefreshFailure = { kind, message: clip(message), at: at.toISOString() };
    st.refreshes.failed++;
    st.failures[kind]++;
    st.consecutiveFailures++;
    st.lastFailure = failure;
    const c = core.catalog.snapshot;
    // One warning per failed refresh, carrying the cause: the operator's only signal.
    log.warn(
      {
        catalogRefresh: {
          outcome: "failed",
          cause: kind,
          url,
          consecutiveFailures: st.consecutiveFailures,
          serving: core.source.origin,
        },
      },
      `catalog refresh failed (${kind}): ${failure.message}; still serving the ${core.source.origin} catalog of ${c.date}`,
    );
    return { outcome: "failed", at: failure.at, failure };
  }

  async function refreshOnce(signal: AbortSignal): Promise<RefreshResult> {
    const at = now();
    st.lastAttemptAt = at.toISOString();
    const stopped = (): RefreshResult => {
      log.debug("catalog refresh stopped");
      return { outcome: "stopped", at: at.toISOString() };
    };
    try {
      const got = await fetchUpstream({
        url,
        timeoutMs,
        maxBytes,
        signal,
        ...(served?.etag ? { etag: served.etag } : {}),
        ...(served?.lastModified ? { lastModified: served.lastModified } : {}),
        ...(opts.fetch ? { fetch: opts.fetch } : {}),
      });
      if (signal.aborted) return stopped();
      if (got.status === "not_modified") {
        log.debug("catalog refresh: upstream list not modified (304)");
        return succeeded("not_modified", at);
      }
      const sha256 = createHash("sha256").update(got.text).digest("hex");
      if (served && served.sha256 === sha256) {
        served = { ...served, ...validators(got) };
        log.debug("catalog refresh: upstream list unchanged");
        return succeeded("unchanged", at);
      }

      const ref = liveSnapshotRef(url, at, bundled);
      const imported = importSnapshot(got.text, ref);
      checkDrop(core.catalog, imported, maxDropShare);
      const catalog = buildLiveCatalog(bundled, curation, imported);
      const source: AnswerSource = {
        origin: "live",
        snapshot: catalog.snapshot,
        fetchedAt: ref.fetchedAt ?? at.toISOString(),
        upstreamUrl: catalog.upstream.repository,
      };
      const next = createCore(catalog, source);
      if (signal.aborted) return stopped();
      // The swap: one assignment, after everything above succeeded.
      core = next;
      served = { sha256, ...validators(got) };
      st.lastUpdateAt = at.toISOString();
      const ch = catalog.changes;
      log.info(
        {
          catalogRefresh: {
            outcome: "updated",
            url,
            bytes: got.bytes,
            listed: catalog.projects.filter((p) => p.listed === true).length,
            warnings: imported.warnings.length,
            sinceBundled: ch && {
              added: ch.added.length,
              removed: ch.removed.length,
              lifecycle: ch.lifecycle.length,
              moved: ch.moved.length,
            },
          },
        },
        "catalog refreshed from upstream",
      );
      return { ...succeeded("updated", at), ...(ch ? { changes: ch } : {}) };
    } catch (e) {
      if (signal.aborted || (e instanceof UpstreamFetchError && e.kind === "aborted")) return stopped();
      const [kind, message] = classify(e);
      return failed(kind, message, at);
    }
  }

  function schedule(): void {
    if (!running || intervalMs <= 0) return;
    timer = setTimeout(tick, intervalMs);
    // A pending refresh must never keep the process alive (tests, shutdown).
    timer.unref();
  }

  function tick(): void {
    timer = null;
    void refreshNow().then(schedule, schedule);
  }

  const refreshNow = (): Promise<RefreshResult> => {
    if (inflight) return inflight;
    const ctl = new AbortController();
    controller = ctl;
    inflight = refreshOnce(ctl.signal)
      .catch((e: unknown) => failed("internal", describe(e), now()))
      .finally(() => {
        inflight = null;
        if (controller === ctl) controller = null;
      });
    return inflight;
  };

  return {
    getCore: () => core,
    refreshNow,
    start() {
      if (running) return;
      running = true;
      if (intervalMs <= 0) {
        log.info({ catalogRefresh: { url } }, "live catalog refresh disabled; serving the bundled catalog");
        return;
      }
      tick();
    },
    stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      controller?.abort(new Error("live catalog stopped"));
    },
    status(): LiveStatus {
      const at = now();
      const origin = core.source.origin;
      const since =
        origin === "live" && confirmedAt ? confirmedAt.getTime() : Date.parse(core.catalog.snapshot.date);
      return {
        url,
        intervalMs,
        running,
        refreshing: inflight !== null,
        origin,
        snapshot: core.catalog.snapshot,
        ...(core.source.fetchedAt ? { fetchedAt: core.source.fetchedAt } : {}),
        ageSeconds: Math.max(0, Math.round((at.getTime() - since) / 1000)),
        listedProjects: core.catalog.projects.filter((p) => p.listed === true).length,
        ...(st.lastAttemptAt ? { lastAttemptAt: st.lastAttemptAt } : {}),
        ...(st.lastSuccessAt ? { lastSuccessAt: st.lastSuccessAt } : {}),
        ...(st.lastUpdateAt ? { lastUpdateAt: st.lastUpdateAt } : {}),
        ...(st.lastFailure ? { lastFailureAt: st.lastFailure.at, lastFailure: { ...st.lastFailure } } : {}),
        consecutiveFailures: st.consecutiveFailures,
        refreshes: { ...st.refreshes },
        failures: { ...st.failures },
      };
    },
  };
}

function validators(got: { etag?: string; lastModified?: string }): { etag?: string; lastModified?: string } {
  return {
    ...(got.etag ? { etag: got.etag } : {}),
    ...(got.lastModified ? { lastModified: got.lastModified } : {}),
  };
}

function classify(e: unknown): [RefreshFailureKind, string] {
  if (e instanceof UpstreamFetchError && e.kind !== "aborted") return [e.kind, e.message];
  if (e instanceof SnapshotFormatError)
    return ["unreadable", `the importer cannot read the list: ${e.message}`];
  if (e instanceof ListDropError) return ["drop", e.message];
  if (e instanceof CatalogValidationError)
    return ["invalid", `the merged catalog is invalid: ${e.problems.join("; ")}`];
  return ["internal", describe(e)];
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function clip(s: string): string {
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE - 1)}…` : s;
}

function checkUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new TypeError(`live catalog: CATALOG_URL is not a URL: "${raw}"`);
  }
  if (u.protocol !== "https:" && u.protocol !== "http:")
    throw new TypeError(`live catalog: CATALOG_URL must be http(s), got "${u.protocol}"`);
  return u.toString();
}

function checkNumber(name: string, v: number, min: number, max: number): number {
  if (!Number.isFinite(v) || v < min || v > max)
    throw new RangeError(`live catalog: ${name} must be a number from ${min} to ${max}, got ${v}`);
  return v;
}
