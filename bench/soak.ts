// `npm run bench:soak`: 100,000 mixed signed requests at a fixed rate against the real built server
// (`node dist/terminal/cli.js serve`, Slack and Teams both on): slash commands, @mentions, DMs and
// button clicks for Slack, personal messages and channel mentions for Teams. Everything the server
// calls is the local edge on 127.0.0.1 (Slack Web API, response_url via lib/loopback-hooks.ts, Bot
// Framework OpenID metadata and connector). Pass: no non-2xx answer, every reply delivered, RSS
// growth under 10% from the end of the warm-up (first 20%) to the end, and no more active handles
// at the end than after the warm-up. SOAK_REQUESTS and SOAK_RATE change the size. Prints a table,
// then one JSON line.
// The server runs with the production image's NODE_OPTIONS (heap limits; SOAK_NODE_FLAGS overrides
// them): Node sets the heap limit from the whole memory it sees (nodejs/node#64646), so without a
// cap V8 lets garbage pile up past the pod's 256 MiB limit before a full collection — measured
// here: 315 MB RSS after 30,000 requests, a live set of ~60 MB.
import { performance } from "node:perf_hooks";
import { bothPlatformsEnv } from "./lib/constants.js";
import { BUILD_DIR, CLI } from "./lib/paths.js";
import {
  freePort,
  httpJson,
  imageNodeOptions,
  rssMb,
  SERVER_CPU,
  spawnPinned,
  stop,
  waitReady,
} from "./lib/processes.js";
import { SOAK_KINDS } from "./lib/requests.js";
import { startRig } from "./lib/rig.js";
import { fmt, median, round, table } from "./lib/stats.js";
import type { LoadSummary } from "./load-worker.js";

const TOTAL = Number(process.env.SOAK_REQUESTS ?? 100_000);
const RATE = Number(process.env.SOAK_RATE ?? 400);
const NODE_FLAGS =
  process.env.SOAK_NODE_FLAGS !== undefined
    ? process.env.SOAK_NODE_FLAGS.split(" ").filter(Boolean)
    : imageNodeOptions();
const CHUNKS = 20;
const WARMUP_CHUNKS = CHUNKS / 5;
const log = (s: string) => process.stderr.write(`${s}\n`);

/** A number from a /metrics text (first series of that name, labels ignored unless given). */
function metric(text: string, name: string, labels = ""): number {
  const re = new RegExp(`^${name}${labels ? `\\{${labels}\\}` : "(?:\\{[^}]*\\})?"} (\\S+)$`, "m");
  const m = re.exec(text);
  return m?.[1] ? Number(m[1]) : 0;
}

function sumMetric(text: string, name: string): number {
  const re = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "gm");
  return [...text.matchAll(re)].reduce((a, m) => a + Number(m[1]), 0);
}

async function main() {
  const started = performance.now();
  const { edge, token, load } = await startRig("soak-key");
  const port = await freePort();
  const server = spawnPinned(
    SERVER_CPU,
    [
      ...NODE_FLAGS,
      "--import",
      `${BUILD_DIR}lib/seed-token-cache.js`,
      "--import",
      `${BUILD_DIR}lib/loopback-hooks.js`,
      CLI,
      "serve",
    ],
    {
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      CATALOG_REFRESH_INTERVAL: "0",
      ...bothPlatformsEnv(edge),
      BENCH_SEED_TOKEN: "1",
      BENCH_HOOKS_URL: edge.url,
    },
  );
  await waitReady(server, port, () => ({ method: "GET", path: "/readyz" }));
  const rssStart = rssMb(server.pid);

  interface Chunk {
    load: LoadSummary;
    rss: number;
    rssSamples: number[];
    handles: number;
    resources: number;
    heapUsed: number;
    eventLoopP99: number;
  }
  const chunks: Chunk[] = [];
  const per = Math.round(TOTAL / CHUNKS);
  for (let i = 0; i < CHUNKS; i++) {
    const samples: number[] = [];
    const timer = setInterval(() => samples.push(rssMb(server.pid)), 1000);
    const result = await load.run({
      url: `http://127.0.0.1:${port}/slack/events`,
      target: { kind: "soak", token, serviceUrl: edge.serviceUrl },
      connections: 0,
      duration: per / RATE,
      rate: RATE,
      paced: true,
    });
    clearInterval(timer);
    const metrics = await httpJson(port, "/metrics");
    chunks.push({
      load: result,
      rss: rssMb(server.pid),
      rssSamples: samples,
      handles: metric(metrics, "nodejs_active_handles_total"),
      resources: metric(metrics, "nodejs_active_resources_total"),
      heapUsed: metric(metrics, "nodejs_heap_size_used_bytes") / 1048576,
      eventLoopP99: Math.max(0, metric(metrics, "nodejs_eventloop_lag_p99_seconds") * 1000 - 10),
    });
    const c = chunks[chunks.length - 1] as Chunk;
    log(
      `chunk ${i + 1}/${CHUNKS}${i < WARMUP_CHUNKS ? " (warm-up)" : ""}: ${result.total} answered, non-2xx ${result.non2xx}, ` +
        `errors ${result.errors}, p99 ${fmt(result.p99)} ms, RSS ${fmt(c.rss)} MB, heap used ${fmt(c.heapUsed)} MB, handles ${c.handles}`,
    );
  }
  // Let background replies finish, then count what reached the edge.
  await new Promise((r) => setTimeout(r, 2000));
  const finalMetrics = await httpJson(port, "/metrics");
  const idleHandles = metric(finalMetrics, "nodejs_active_handles_total");
  const failures = sumMetric(finalMetrics, "upstream_failures_total");
  const code = await stop(server);
  load.close();
  await edge.close();

  const measured = chunks.slice(WARMUP_CHUNKS);
  const all = chunks.map((c) => c.load);
  const sent = all.reduce((a, r) => a + r.total + r.errors, 0);
  const non2xx = all.reduce((a, r) => a + r.non2xx, 0);
  const errors = all.reduce((a, r) => a + r.errors, 0);
  const warm = chunks[WARMUP_CHUNKS - 1] as Chunk;
  const last = chunks[CHUNKS - 1] as Chunk;
  // Medians of the per-second samples, so one garbage-collection peak does not decide.
  const rssWarm = median(warm.rssSamples.length ? warm.rssSamples : [warm.rss]);
  const rssEnd = median(last.rssSamples.length ? last.rssSamples : [last.rss]);
  const growth = (rssEnd - rssWarm) / rssWarm;
  // Each chunk cycles through the kinds from the first one again: kind k of a chunk of n gets
  // floor(n / 6) requests, plus one if k < n mod 6.
  const ofKind = (k: number) =>
    all.reduce((a, r) => {
      const n = r.total + r.errors;
      return a + Math.floor(n / SOAK_KINDS.length) + (k < n % SOAK_KINDS.length ? 1 : 0);
    }, 0);
  const expected = {
    slackPosts: ofKind(1) + ofKind(2), // mentions and DMs answer with chat.postMessage
    responseUrlPosts: ofKind(3), // each button click replaces the card through response_url
    teamsReplies: ofKind(4) + ofKind(5), // personal messages and channel mentions
  };
  const delivered = {
    slackPosts: edge.slackMethods.get("chat.postMessage") ?? 0,
    responseUrlPosts: edge.counts.response_url,
    teamsReplies: edge.counts.connector,
  };
  const checks = {
    noNon2xx: non2xx === 0 && errors === 0,
    allDelivered:
      delivered.slackPosts === expected.slackPosts &&
      delivered.responseUrlPosts === expected.responseUrlPosts &&
      delivered.teamsReplies === expected.teamsReplies,
    noFailures: failures === 0,
    rssGrowthUnder10Percent: growth < 0.1,
    noHandleGrowth: last.handles <= warm.handles && idleHandles <= warm.handles,
    exitedCleanly: code === 0,
  };

  const rows = [
    ["requests sent", String(sent)],
    ["rate (req/s, paced)", String(RATE)],
    ["server flags", NODE_FLAGS.join(" ") || "(none)"],
    ["non-2xx / errors", `${non2xx} / ${errors}`],
    [
      "p50 / p99 / max ms (after warm-up, median of chunks)",
      `${fmt(median(measured.map((c) => c.load.p50)))} / ${fmt(median(measured.map((c) => c.load.p99)))} / ${fmt(Math.max(...measured.map((c) => c.load.max)))}`,
    ],
    ["event-loop delay p99 ms (median of chunks)", fmt(median(measured.map((c) => c.eventLoopP99)))],
    ["RSS at start / end of warm-up / end MB", `${fmt(rssStart)} / ${fmt(rssWarm)} / ${fmt(rssEnd)}`],
    ["RSS growth after warm-up", `${fmt(growth * 100)} %`],
    ["active handles after warm-up / end / idle", `${warm.handles} / ${last.handles} / ${idleHandles}`],
    ["chat.postMessage (expected)", `${delivered.slackPosts} (${expected.slackPosts})`],
    ["response_url posts (expected)", `${delivered.responseUrlPosts} (${expected.responseUrlPosts})`],
    ["Teams replies (expected)", `${delivered.teamsReplies} (${expected.teamsReplies})`],
    ["upstream_failures_total", String(failures)],
    ...Object.entries(checks).map(([k, v]) => [`check: ${k}`, v ? "pass" : "FAIL"]),
  ];
  const seconds = Math.round((performance.now() - started) / 1000);
  process.stdout.write(`${table(["soak", "value"], rows)}\n\n${seconds} s in all, Node ${process.version}\n`);
  process.stdout.write(
    `${JSON.stringify({
      bench: "soak",
      node: process.version,
      date: new Date().toISOString(),
      seconds,
      requests: sent,
      rate: RATE,
      nodeFlags: NODE_FLAGS,
      mix: SOAK_KINDS,
      non2xx,
      errors,
      p50Ms: round(median(measured.map((c) => c.load.p50))),
      p99Ms: round(median(measured.map((c) => c.load.p99))),
      maxMs: round(Math.max(...measured.map((c) => c.load.max))),
      eventLoopP99Ms: round(median(measured.map((c) => c.eventLoopP99))),
      rssMb: { start: round(rssStart), warm: round(rssWarm), end: round(rssEnd), growth: round(growth, 4) },
      handles: { warm: warm.handles, end: last.handles, idle: idleHandles },
      resources: { warm: warm.resources, end: last.resources },
      expected,
      delivered,
      failures,
      checks,
      pass: Object.values(checks).every(Boolean),
    })}\n`,
  );
  if (!Object.values(checks).every(Boolean)) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`soak failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
