// Prometheus metrics for GET /metrics (prom-client, text exposition format). A registry per server
// rather than the global one, so that tests and a secret rotation never register a metric twice.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { AnswerSource } from "../core/answer.js";

export type Route = "slack" | "teams" | "healthz" | "readyz" | "metrics" | "unknown";

export interface CatalogFacts {
  source: AnswerSource;
  projects: number;
  /** From a live catalog's status(), when it has one. */
  refresh?: RefreshFacts;
}

/** The numeric parts of a live catalog's status() that become metrics. */
export interface RefreshFacts {
  ageSeconds?: number;
  consecutiveFailures?: number;
  refreshes?: Record<string, number>;
  failures?: Record<string, number>;
}

/** Reads RefreshFacts out of a provider's status() without trusting its shape. */
export function refreshFacts(status: unknown): RefreshFacts | undefined {
  if (!status || typeof status !== "object") return undefined;
  const s = status as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  const counts = (v: unknown) =>
    v && typeof v === "object"
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).filter(
            (e): e is [string, number] => num(e[1]) !== undefined,
          ),
        )
      : undefined;
  const facts: RefreshFacts = {};
  const age = num(s.ageSeconds);
  const consecutive = num(s.consecutiveFailures);
  const refreshes = counts(s.refreshes);
  const failures = counts(s.failures);
  if (age !== undefined) facts.ageSeconds = age;
  if (consecutive !== undefined) facts.consecutiveFailures = consecutive;
  if (refreshes) facts.refreshes = refreshes;
  if (failures) facts.failures = failures;
  return facts;
}

export interface ServerMetrics {
  registry: Registry;
  httpRequests: Counter<"route" | "method" | "status">;
  httpDuration: Histogram<"route">;
  inFlight: Gauge;
  requests: Counter<"platform" | "outcome">;
  answers: Counter<"platform" | "trigger" | "intent" | "kind">;
  notFound: Counter<"platform">;
  answerDuration: Histogram<"platform" | "kind">;
  rejected: Counter<"platform" | "reason">;
  failures: Counter<"platform" | "stage">;
  secretReloads: Counter<"outcome">;
}

/** Slack waits 3 s and Teams about 15 s: the buckets resolve both deadlines. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 3, 5, 10, 15];

export function createMetrics(opts: {
  catalog: () => CatalogFacts | null;
  ready: () => boolean;
}): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  new Gauge({
    name: "upstream_catalog_age_seconds",
    help: "Age of the catalog being served: since it was last confirmed upstream (live) or since the bundled snapshot's date",
    registers,
    collect() {
      const c = opts.catalog();
      if (c) this.set(c.refresh?.ageSeconds ?? catalogAgeSeconds(c.source));
    },
  });
  new Counter({
    name: "upstream_catalog_refreshes_total",
    help: "Live catalog refreshes by outcome (updated, unchanged, not_modified, failed)",
    labelNames: ["outcome"],
    registers,
    collect() {
      this.reset();
      for (const [outcome, n] of Object.entries(opts.catalog()?.refresh?.refreshes ?? {}))
        this.inc({ outcome: labelValue(outcome) }, n);
    },
  });
  new Counter({
    name: "upstream_catalog_refresh_failures_total",
    help: "Failed live catalog refreshes by cause; the last good catalog keeps being served",
    labelNames: ["cause"],
    registers,
    collect() {
      this.reset();
      for (const [cause, n] of Object.entries(opts.catalog()?.refresh?.failures ?? {}))
        this.inc({ cause: labelValue(cause) }, n);
    },
  });
  new Gauge({
    name: "upstream_catalog_refresh_consecutive_failures",
    help: "Failed live catalog refreshes since the last success (alert when it keeps growing)",
    registers,
    collect() {
      this.set(opts.catalog()?.refresh?.consecutiveFailures ?? 0);
    },
  });
  new Gauge({
    name: "upstream_catalog_info",
    help: "The catalog being served (always 1; the labels carry the facts)",
    labelNames: ["origin", "snapshot_date", "snapshot_commit"],
    registers,
    collect() {
      this.reset();
      const c = opts.catalog();
      if (c)
        this.set(
          {
            origin: c.source.origin,
            snapshot_date: c.source.snapshot.date,
            snapshot_commit: c.source.snapshot.commit,
          },
          1,
        );
    },
  });
  new Gauge({
    name: "upstream_catalog_projects",
    help: "Projects in the catalog being served",
    registers,
    collect() {
      const c = opts.catalog();
      if (c) this.set(c.projects);
    },
  });
  new Gauge({
    name: "upstream_ready",
    help: "1 when /readyz answers 200",
    registers,
    collect() {
      this.set(opts.ready() ? 1 : 0);
    },
  });
  return {
    registry,
    httpRequests: new Counter({
      name: "upstream_http_requests_total",
      help: "HTTP requests by route, method and status code",
      labelNames: ["route", "method", "status"],
      registers,
    }),
    httpDuration: new Histogram({
      name: "upstream_http_request_duration_seconds",
      help: "Time from request to response end, by route",
      labelNames: ["route"],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    inFlight: new Gauge({
      name: "upstream_http_in_flight_requests",
      help: "Requests being served",
      registers,
    }),
    requests: new Counter({
      name: "upstream_requests_total",
      help: "Chat requests by platform and outcome (answered, not_found, rejected, failed)",
      labelNames: ["platform", "outcome"],
      registers,
    }),
    answers: new Counter({
      name: "upstream_answers_total",
      help: "Answers by platform, trigger, intent and answer kind",
      labelNames: ["platform", "trigger", "intent", "kind"],
      registers,
    }),
    notFound: new Counter({
      name: "upstream_not_found_total",
      help: "Questions the catalog had no answer for (candidates for new aliases)",
      labelNames: ["platform"],
      registers,
    }),
    answerDuration: new Histogram({
      name: "upstream_answer_duration_seconds",
      help: "Time adapters took to answer, by platform and answer kind",
      labelNames: ["platform", "kind"],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    rejected: new Counter({
      name: "upstream_rejected_total",
      help: "Inbound requests refused before any handler ran, by reason",
      labelNames: ["platform", "reason"],
      registers,
    }),
    failures: new Counter({
      name: "upstream_failures_total",
      help: "Replies that failed after the answer was computed, by stage",
      labelNames: ["platform", "stage"],
      registers,
    }),
    secretReloads: new Counter({
      name: "upstream_secret_reloads_total",
      help: "Secret file changes picked up (applied) or refused (invalid)",
      labelNames: ["outcome"],
      registers,
    }),
  };
}

export function catalogAgeSeconds(source: AnswerSource, now = Date.now()): number {
  const since = Date.parse(source.fetchedAt ?? `${source.snapshot.date}T00:00:00Z`);
  return Number.isNaN(since) ? 0 : Math.max(0, Math.round((now - since) / 1000));
}

/** Adapters choose trigger/stage/reason strings; keep label values short and bounded whatever they pass. */
export function labelValue(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9_.:-]+/g, "_")
      .slice(0, 40) || "unknown"
  );
}
