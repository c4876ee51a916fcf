// Core resolve time over a fixed mix of queries on the full catalog, and index build time.
// Target (issue 3): p99 ≤ 0.5 ms per resolve. Prints a table, then one JSON line.
import { performance } from "node:perf_hooks";
import { loadCatalogFile } from "../src/catalog/catalog-files.js";
import { createCore } from "../src/core/core.js";

const MIX = [
  "eraser",
  "erasr",
  "capz",
  "the AKS image cleaner",
  "Tell me about copacetic please",
  "what replaced aad pod identity?",
  "osm alternative",
  "is aks engine deprecated?",
  "who do I contact about gatekeeper?",
  "slack channel for eraser",
  "list security projects",
  "cncf graduated",
  "deprecated",
  "wasm",
  "kms",
  "help",
  "asdfghjkl",
  "a tool that patches container images",
  "<@U123> what is moby?",
  "x".repeat(10_000),
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const catalog = loadCatalogFile();
const builds: number[] = [];
for (let i = 0; i < 50; i++) {
  const t = performance.now();
  createCore(catalog);
  builds.push(performance.now() - t);
}
const core = createCore(catalog);
for (let i = 0; i < 200; i++) for (const q of MIX) core.ask(q); // warm-up

const times: number[] = [];
const perQuery = new Map<string, number[]>();
for (let round = 0; round < 500; round++)
  for (const q of MIX) {
    const t = performance.now();
    core.ask(q);
    const ms = performance.now() - t;
    times.push(ms);
    const list = perQuery.get(q) ?? [];
    list.push(ms);
    perQuery.set(q, list);
  }
times.sort((a, b) => a - b);
builds.sort((a, b) => a - b);

const result = {
  queries: times.length,
  resolve_p50_ms: +percentile(times, 50).toFixed(4),
  resolve_p99_ms: +percentile(times, 99).toFixed(4),
  resolve_max_ms: +(times[times.length - 1] ?? 0).toFixed(4),
  index_build_p50_ms: +percentile(builds, 50).toFixed(3),
  index_build_max_ms: +(builds[builds.length - 1] ?? 0).toFixed(3),
  target_p99_ms: 0.5,
};
console.log("query".padEnd(42), "p50 ms".padStart(8), "p99 ms".padStart(8));
for (const [q, ts] of perQuery) {
  ts.sort((a, b) => a - b);
  console.log(
    JSON.stringify(q.slice(0, 38)).padEnd(42),
    percentile(ts, 50).toFixed(4).padStart(8),
    percentile(ts, 99).toFixed(4).padStart(8),
  );
}
console.log(
  `all: p50 ${result.resolve_p50_ms} ms, p99 ${result.resolve_p99_ms} ms (target ≤ 0.5); index build p50 ${result.index_build_p50_ms} ms`,
);
console.log(JSON.stringify(result));
