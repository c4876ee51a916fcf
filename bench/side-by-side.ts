// `npm run bench`: three servers side by side on one machine with the same Node and the same
// signed request — A plain node:http, B the bare SDK (Bolt / botbuilder), C this bot's built server
// (`node dist/terminal/cli.js serve`) — for Slack's `/upstream eraser` slash command and a Teams
// message with a locally signed channel JWT. Servers run pinned to one core, the load generator
// (autocannon) to the other; each run starts a fresh server; each run is repeated and the medians
// are reported. Prints tables, then one JSON line with every figure. Method: docs/benchmarks.md.
import { performance } from "node:perf_hooks";
import { slackSignature } from "../test/support/slack-signature.js";
import { teamsMessage } from "../test/support/teams-activity.js";
import {
  APP_ID,
  APP_PASSWORD,
  BOT_ID,
  BOT_TOKEN,
  BOT_USER_ID,
  COMMAND_TEXT,
  PROBE_PATH,
  SIGNING_SECRET,
  SLACK_PATH,
  TEAMS_PATH,
  TEAMS_TEXT,
} from "./lib/constants.js";
import { BUILD_DIR, CLI } from "./lib/paths.js";
import {
  cpuMicros,
  freePort,
  type HttpProbe,
  httpJson,
  imageNodeOptions,
  LOAD_CPU,
  rssMb,
  SERVER_CPU,
  sampleRss,
  spawnPinned,
  stop,
  waitReady,
} from "./lib/processes.js";
import { commandForm, type LoadKind } from "./lib/requests.js";
import { startRig } from "./lib/rig.js";
import { fmt, max, median, round, table } from "./lib/stats.js";
import type { LoadSummary } from "./load-worker.js";

type Platform = "slack" | "teams";
type ServerName = "A" | "B" | "C";
const ALL_SERVERS: ServerName[] = ["A", "B", "C"];
const LABELS: Record<Platform, Record<ServerName, string>> = {
  slack: { A: "A node:http", B: "B Bolt 5.1", C: "C upstream-bot" },
  teams: { A: "A node:http", B: "B botbuilder 4.23", C: "C upstream-bot" },
};

interface RunPlan {
  name: "saturation" | "saturationDistinct" | "rate50" | "rate200" | "burst200" | "badAuth" | "largeBody";
  label: string;
  kind: Record<Platform, LoadKind>;
  connections: number;
  duration: number;
  rate?: number;
  /** Evenly spread arrivals (lib/paced.ts) rather than autocannon's per-second bursts. */
  paced?: boolean;
  /** Seconds of unmeasured load first (same requests, as fast as possible). */
  warmup: number;
}

const QUICK = process.env.BENCH_QUICK === "1";
const REPEATS = Number(process.env.BENCH_REPEATS ?? (QUICK ? 1 : 3));
const scale = (s: number) => (QUICK ? Math.max(1, Math.round(s / 2)) : s);
const VALID: Record<Platform, LoadKind> = { slack: "slack-command", teams: "teams-message" };
/** Comma-separated subsets for profiling one case (e.g. BENCH_PLATFORMS=slack BENCH_RUNS=saturation). */
const only = <T extends string>(name: string, all: readonly T[]): T[] => {
  const v = process.env[name];
  if (!v) return [...all];
  const picked = v.split(",").map((x) => x.trim()) as T[];
  const unknown = picked.filter((x) => !all.includes(x));
  if (unknown.length)
    throw new Error(`${name}: unknown ${unknown.join(", ")}; choose from ${all.join(", ")}`);
  return picked;
};
/**
 * Node flags of every server (A, B and C alike): the production image's NODE_OPTIONS (heap
 * limits), unless BENCH_NODE_DEFAULTS=1 asks for Node's defaults; then BENCH_NODE_ARGS, for
 * profiling (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p").
 */
const NODE_ARGS = [
  ...(process.env.BENCH_NODE_DEFAULTS === "1" ? [] : imageNodeOptions()),
  ...(process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean),
];

const ALL_RUNS: RunPlan[] = [
  {
    name: "saturation",
    label: "saturation, 50 connections",
    kind: VALID,
    connections: 50,
    duration: scale(5),
    warmup: 1,
  },
  {
    name: "saturationDistinct",
    label: "saturation, 400 distinct questions",
    kind: { slack: "slack-command-distinct", teams: "teams-message-distinct" },
    connections: 50,
    duration: scale(5),
    warmup: 1,
  },
  {
    name: "rate50",
    label: "50 req/s, paced",
    kind: VALID,
    connections: 0,
    duration: scale(4),
    rate: 50,
    paced: true,
    warmup: 1,
  },
  {
    name: "rate200",
    label: "200 req/s, paced",
    kind: VALID,
    connections: 0,
    duration: scale(4),
    rate: 200,
    paced: true,
    warmup: 1,
  },
  {
    name: "burst200",
    label: "200 req/s, autocannon overallRate (bursts)",
    kind: VALID,
    connections: 20,
    duration: scale(3),
    rate: 200,
    warmup: 1,
  },
  {
    name: "badAuth",
    label: "bad signature/token, 200 req/s paced",
    kind: { slack: "slack-bad-signature", teams: "teams-bad-token" },
    connections: 0,
    duration: scale(2),
    rate: 200,
    paced: true,
    warmup: 1,
  },
  {
    name: "largeBody",
    label: "1 MB body, 20 req/s paced",
    kind: { slack: "slack-large", teams: "teams-large" },
    connections: 0,
    duration: scale(2),
    rate: 20,
    paced: true,
    warmup: 0,
  },
];
const SERVERS = only("BENCH_SERVERS", ALL_SERVERS);
const PLATFORMS = only<Platform>("BENCH_PLATFORMS", ["slack", "teams"]);
const RUNS = (() => {
  const names = only(
    "BENCH_RUNS",
    ALL_RUNS.map((r) => r.name),
  );
  return ALL_RUNS.filter((r) => names.includes(r.name));
})();

interface Sample {
  load: LoadSummary;
  /**
   * Teams replies the connector stand-in received per second of the measured run. Our server
   * answers 200 before it replies (B replies within the request), so this shows that its replies
   * keep pace with its 2xx rather than pile up.
   */
  repliesPerSecond: number;
  rssIdle: number;
  rssPeak: number;
  rssAfter: number;
  eventLoopP99: number;
  /**
   * The server's CPU time (user + system, all threads) per 2xx during the measured run. Unlike
   * throughput it does not move when the VM lends the core to a neighbour, so it shows what a
   * request costs when the req/s figures are noisy.
   */
  cpuMicrosPerOk: number;
  readyMs: number;
}

const log = (s: string) => process.stderr.write(`${s}\n`);

async function main() {
  const started = performance.now();
  const { edge, token, load } = await startRig("bench-key");

  let probeSeq = 0;
  const readyProbe = (platform: Platform, server: ServerName): HttpProbe => {
    if (server === "C") return { method: "GET", path: "/readyz" };
    if (platform === "slack") {
      const body = commandForm(COMMAND_TEXT);
      return {
        method: "POST",
        path: SLACK_PATH,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          ...slackSignature(body, SIGNING_SECRET),
        },
        body,
      };
    }
    return {
      method: "POST",
      path: TEAMS_PATH,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(
        teamsMessage(TEAMS_TEXT, { serviceUrl: edge.serviceUrl, appId: APP_ID, id: `1:ready-${++probeSeq}` }),
      ),
    };
  };

  const command = (
    platform: Platform,
    server: ServerName,
    port: number,
  ): { args: string[]; env: Record<string, string> } => {
    const PORT = String(port);
    // Teams B and C find an outbound token in botbuilder's cache (see lib/seed-token-cache.ts).
    const seed = platform === "teams" ? ["--import", `${BUILD_DIR}lib/seed-token-cache.js`] : [];
    if (server === "C") {
      const common = { NODE_ENV: "production", HOST: "127.0.0.1", PORT, CATALOG_REFRESH_INTERVAL: "0" };
      return {
        args: [...NODE_ARGS, ...seed, CLI, "serve"],
        env:
          platform === "slack"
            ? {
                ...common,
                SLACK_BOT_TOKEN: BOT_TOKEN,
                SLACK_SIGNING_SECRET: SIGNING_SECRET,
                SLACK_BOT_ID: BOT_ID,
                SLACK_BOT_USER_ID: BOT_USER_ID,
                SLACK_API_URL: edge.slackApiUrl,
              }
            : {
                ...common,
                MicrosoftAppId: APP_ID,
                MicrosoftAppPassword: APP_PASSWORD,
                BENCH_SEED_TOKEN: "1",
                TEAMS_OPENID_METADATA_URL: edge.openIdMetadataUrl,
              },
      };
    }
    const file = {
      slack: { A: "slack-plain", B: "slack-bolt" },
      teams: { A: "teams-plain", B: "teams-botbuilder" },
    }[platform][server];
    return {
      args: [...NODE_ARGS, ...(server === "B" ? seed : []), `${BUILD_DIR}servers/${file}.js`],
      env: {
        PORT,
        SLACK_API_URL: edge.slackApiUrl,
        OPENID_URL: edge.openIdMetadataUrl,
        MicrosoftAppId: APP_ID,
        BENCH_SEED_TOKEN: "1",
      },
    };
  };

  /**
   * Event-loop delay p99 (ms) since the previous read: C's from /metrics, A's and B's from their
   * probe. Both sample a 10 ms timer and record the time between its ticks, so the interval itself
   * is taken off: what remains is how late the loop ran the timer.
   */
  const eventLoopP99 = async (server: ServerName, port: number): Promise<number> => {
    let p99: number;
    if (server === "C") {
      const text = await httpJson(port, "/metrics");
      const m = /^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(text);
      p99 = m?.[1] ? Number(m[1]) * 1000 : Number.NaN;
    } else p99 = (JSON.parse(await httpJson(port, PROBE_PATH)) as { p99Ms: number }).p99Ms;
    return Math.max(0, p99 - 10);
  };

  const one = async (platform: Platform, server: ServerName, plan: RunPlan): Promise<Sample> => {
    const port = await freePort();
    const { args, env } = command(platform, server, port);
    const s = spawnPinned(SERVER_CPU, args, env);
    try {
      const readyMs = await waitReady(s, port, () => readyProbe(platform, server));
      const rssIdle = rssMb(s.pid);
      const url = `http://127.0.0.1:${port}${platform === "slack" ? SLACK_PATH : TEAMS_PATH}`;
      const target = { kind: plan.kind[platform], token, serviceUrl: edge.serviceUrl };
      if (plan.warmup) {
        await load.run({ url, target, connections: 50, duration: plan.warmup });
        await new Promise((r) => setTimeout(r, 300));
      }
      await eventLoopP99(server, port); // resets the histogram: the run alone is measured
      const repliesBefore = edge.counts.connector;
      const rss = sampleRss(s.pid);
      const cpuBefore = cpuMicros(s.pid);
      const result = await load.run({
        url,
        target,
        connections: plan.connections,
        duration: plan.duration,
        ...(plan.rate ? { rate: plan.rate } : {}),
        ...(plan.paced ? { paced: true } : {}),
      });
      const cpuUsed = cpuMicros(s.pid) - cpuBefore;
      const rssPeak = rss.stop();
      const repliesDuring = edge.counts.connector - repliesBefore;
      const eld = await eventLoopP99(server, port);
      await new Promise((r) => setTimeout(r, 500));
      return {
        load: result,
        repliesPerSecond: repliesDuring / plan.duration,
        rssIdle,
        rssPeak,
        rssAfter: rssMb(s.pid),
        eventLoopP99: eld,
        cpuMicrosPerOk: cpuUsed / result.ok,
        readyMs,
      };
    } finally {
      const code = await stop(s);
      if (server === "C" && code !== 0) log(`  warning: server C exited with ${code}: ${s.stderr()}`);
    }
  };

  const samples = new Map<string, Sample[]>();
  const keyOf = (p: Platform, s: ServerName, r: string) => `${p}/${s}/${r}`;
  for (const platform of PLATFORMS)
    for (const plan of RUNS)
      for (let rep = 1; rep <= REPEATS; rep++)
        // Interleaved, so that drift of the machine spreads over the three servers alike.
        for (const server of SERVERS) {
          const t0 = performance.now();
          const sample = await one(platform, server, plan);
          const list = samples.get(keyOf(platform, server, plan.name)) ?? [];
          list.push(sample);
          samples.set(keyOf(platform, server, plan.name), list);
          log(
            `${platform} ${plan.name} #${rep} ${server}: ${fmt(sample.load.okRps, 0)} 2xx/s, p99 ${fmt(sample.load.p99)} ms, ` +
              `non-2xx ${sample.load.non2xx}, errors ${sample.load.errors}, RSS ${fmt(sample.rssPeak)} MB ` +
              `(${((performance.now() - t0) / 1000).toFixed(1)} s)`,
          );
        }
  load.close();
  await edge.close();

  // ——— report ———
  const med = (p: Platform, s: ServerName, r: string, f: (x: Sample) => number) =>
    median((samples.get(keyOf(p, s, r)) ?? []).map(f));
  const figures: Record<string, unknown> = {};
  const out: string[] = [];
  const targets: Record<string, { value: number; target: string; met: boolean }> = {};

  for (const platform of PLATFORMS) {
    const rows: string[][] = [];
    const perServer: Record<string, Record<string, unknown>> = {};
    for (const plan of RUNS) {
      for (const [label, f, digits] of [
        ["2xx req/s", (x: Sample) => x.load.okRps, 0],
        ...(platform === "teams"
          ? [["connector replies/s", (x: Sample) => x.repliesPerSecond, 0] as const]
          : []),
        ["p50 ms", (x: Sample) => x.load.p50, 1],
        ["p99 ms", (x: Sample) => x.load.p99, 1],
        ["max ms", (x: Sample) => x.load.max, 1],
        ["non-2xx (status)", (x: Sample) => x.load.non2xx, 0],
        ["errors", (x: Sample) => x.load.errors, 0],
        ["RSS peak MB", (x: Sample) => x.rssPeak, 1],
        ["RSS after MB", (x: Sample) => x.rssAfter, 1],
        ["event-loop p99 ms", (x: Sample) => x.eventLoopP99, 1],
        ["server CPU µs per 2xx", (x: Sample) => x.cpuMicrosPerOk, 0],
      ] as [string, (x: Sample) => number, number][]) {
        rows.push([
          label === "2xx req/s" ? `${plan.label}: ${label}` : `  ${label}`,
          ...SERVERS.map((s) => {
            const v = med(platform, s, plan.name, f);
            if (label !== "non-2xx (status)") return fmt(v, digits);
            const statuses = (samples.get(keyOf(platform, s, plan.name)) ?? [])[0]?.load.status ?? {};
            const codes = Object.keys(statuses).filter((c) => !c.startsWith("2"));
            return `${fmt(v, 0)}${codes.length ? ` (${codes.join(",")})` : ""}`;
          }),
        ]);
      }
      for (const s of SERVERS) {
        const pick = (f: (x: Sample) => number) => round(med(platform, s, plan.name, f));
        perServer[s] ??= {};
        (perServer[s] as Record<string, unknown>)[plan.name] = {
          okRps: round(
            med(platform, s, plan.name, (x) => x.load.okRps),
            0,
          ),
          ...(platform === "teams"
            ? {
                repliesPerSecond: round(
                  med(platform, s, plan.name, (x) => x.repliesPerSecond),
                  0,
                ),
              }
            : {}),
          p50: pick((x) => x.load.p50),
          p99: pick((x) => x.load.p99),
          max: pick((x) => x.load.max),
          non2xx: pick((x) => x.load.non2xx),
          errors: pick((x) => x.load.errors),
          status: (samples.get(keyOf(platform, s, plan.name)) ?? [])[0]?.load.status ?? {},
          rssIdleMb: pick((x) => x.rssIdle),
          rssPeakMb: pick((x) => x.rssPeak),
          rssAfterMb: pick((x) => x.rssAfter),
          eventLoopP99Ms: pick((x) => x.eventLoopP99),
          cpuMicrosPerOk: pick((x) => x.cpuMicrosPerOk),
        };
      }
    }
    const ready = Object.fromEntries(
      SERVERS.map((s) => {
        const all = RUNS.flatMap((r) =>
          (samples.get(keyOf(platform, s, r.name)) ?? []).map((x) => x.readyMs),
        );
        return [s, { samples: all.length, medianMs: round(median(all), 0), maxMs: round(max(all), 0) }];
      }),
    );
    rows.push([
      "spawn → ready ms (median / max)",
      ...SERVERS.map(
        (s) => `${fmt(ready[s]?.medianMs ?? Number.NaN, 0)} / ${fmt(ready[s]?.maxMs ?? Number.NaN, 0)}`,
      ),
    ]);
    const sat = (s: ServerName) => med(platform, s, "saturation", (x) => x.load.okRps);
    const p99 = (s: ServerName, r: string) => med(platform, s, r, (x) => x.load.p99);
    const cpu = (s: ServerName) => med(platform, s, "saturation", (x) => x.cpuMicrosPerOk);
    const ratios = {
      throughputCOverB: round(sat("C") / sat("B"), 3),
      /** B's CPU per request over C's: the throughput ratio a core of its own would give. */
      cpuCostBOverC: round(cpu("B") / cpu("C"), 3),
      throughputBOverA: round(sat("B") / sat("A"), 3),
      throughputCOverA: round(sat("C") / sat("A"), 3),
      deltaP99CMinusBMs: {
        saturation: round(p99("C", "saturation") - p99("B", "saturation")),
        rate50: round(p99("C", "rate50") - p99("B", "rate50")),
        rate200: round(p99("C", "rate200") - p99("B", "rate200")),
        burst200: round(p99("C", "burst200") - p99("B", "burst200")),
      },
    };
    const rssWorst = max(RUNS.map((r) => med(platform, "C", r.name, (x) => x.rssPeak)));
    targets[`${platform}.throughputCOverB`] = {
      value: ratios.throughputCOverB,
      target: "≥ 0.9",
      met: ratios.throughputCOverB >= 0.9,
    };
    targets[`${platform}.p99At200Ms`] = {
      value: round(p99("C", "rate200")),
      target: "≤ 20",
      met: p99("C", "rate200") <= 20,
    };
    targets[`${platform}.spawnToReadyMs`] = {
      value: ready.C?.maxMs ?? Number.NaN,
      target: "≤ 1000 (max of all samples)",
      met: (ready.C?.maxMs ?? Number.POSITIVE_INFINITY) <= 1000,
    };
    targets[`${platform}.rssPeakMb`] = { value: round(rssWorst), target: "≤ 120", met: rssWorst <= 120 };
    figures[platform] = { servers: perServer, ready, ratios };

    const title =
      platform === "slack"
        ? `Slack: POST /slack/events, signed "/upstream ${COMMAND_TEXT}" (medians of ${REPEATS})`
        : `Teams: POST /api/messages, "${TEAMS_TEXT}" with a channel JWT (medians of ${REPEATS})`;
    out.push(title, table(["", ...SERVERS.map((s) => LABELS[platform][s])], rows), "");
    out.push(
      `  C/B throughput ${fmt(ratios.throughputCOverB, 3)}, B/A ${fmt(ratios.throughputBOverA, 3)}, C/A ${fmt(ratios.throughputCOverA, 3)}; ` +
        `CPU per request B/C ${fmt(ratios.cpuCostBOverC, 3)}; ` +
        `Δp99 C−B: saturation ${fmt(ratios.deltaP99CMinusBMs.saturation, 2)} ms, 50/s ${fmt(ratios.deltaP99CMinusBMs.rate50, 2)} ms, ` +
        `200/s ${fmt(ratios.deltaP99CMinusBMs.rate200, 2)} ms, 200/s bursts ${fmt(ratios.deltaP99CMinusBMs.burst200, 2)} ms`,
      "",
    );
  }
  out.push(
    table(
      ["target (server C)", "value", "target", "met"],
      Object.entries(targets).map(([k, t]) => [k, fmt(t.value, 2), t.target, t.met ? "yes" : "NO"]),
    ),
  );
  const seconds = Math.round((performance.now() - started) / 1000);
  out.push(
    "",
    `${REPEATS} repeat(s), ${seconds} s in all, Node ${process.version} ${NODE_ARGS.join(" ") || "(default flags)"} for every server, taskset: servers on CPU ${SERVER_CPU}, load on CPU ${LOAD_CPU}`,
  );
  process.stdout.write(`${out.join("\n")}\n`);
  process.stdout.write(
    `${JSON.stringify({
      bench: "side-by-side",
      node: process.version,
      nodeFlags: NODE_ARGS,
      date: new Date().toISOString(),
      repeats: REPEATS,
      seconds,
      runs: Object.fromEntries(
        RUNS.map((r) => [
          r.name,
          {
            seconds: r.duration,
            rate: r.rate ?? null,
            generator: r.paced ? "paced" : "autocannon",
            connections: r.paced ? null : r.connections,
          },
        ]),
      ),
      ...figures,
      targets,
    })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
