// The short soak of the test suite (the full 100,000 requests run in `npm run bench:soak`): 4,800
// mixed signed requests at a fixed rate against the real server with both adapters mounted —
// Slack commands, @mentions, DMs, button clicks; Teams messages and channel mentions. Every request
// is answered 2xx, every reply reaches the edge exactly once, and from the end of the warm-up to the
// end neither the live heap (after a full GC) nor the number of active handles grows.
// RSS is asserted by `npm run bench:soak`, where the server has a process of its own: here the
// server shares the test runner's process and a second test file's CPU, and its RSS follows the
// largest backlog the scheduling happened to produce (V8 keeps pages it grew into), not leaks.
// The edge is test/support/local-edge.ts on 127.0.0.1, not nock: with nock active, every request
// (even one passed through to 127.0.0.1) stayed reachable, ~50 KB each, which is exactly the growth
// this test must not see. The outbound Bot Framework token comes from botbuilder's token cache.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ID, bothPlatformsEnv } from "../../bench/lib/constants.js";
import { redirectSlackHooks } from "../../bench/lib/loopback-hooks.js";
import { paced } from "../../bench/lib/paced.js";
import { requestsFor, SOAK_KINDS } from "../../bench/lib/requests.js";
import { seedTokenCache } from "../../bench/lib/seed-token-cache.js";
import { silentLogger } from "../../src/log.js";
import { adapterFactories } from "../../src/server/platforms.js";
import { type RunningServer, startServer } from "../../src/server/start.js";
import { testConfig } from "../server/helpers.js";
import { channelClaims, makeKey, signToken } from "../support/bot-framework-token.js";
import { type LocalEdge, startLocalEdge } from "../support/local-edge.js";

const WARMUP = 1_200;
const MEASURED = 3_600;
const RATE = 400;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Live memory after two full collections, in MB: the heap and buffers still reachable. */
function memory(): { heap: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: (m.heapUsed + m.external + m.arrayBuffers) / 1048576 };
}

/** Active handles and requests (sockets, timers, …), as Node reports them. */
function handles(): number {
  return process.getActiveResourcesInfo().filter((t) => t !== "TTYWrap").length;
}

const key = makeKey("soak-test-key");
let edge: LocalEdge;
let token: string;
let running: RunningServer;
const realFetch = globalThis.fetch;

beforeAll(async () => {
  edge = await startLocalEdge({ keys: [key] });
  token = signToken(key, channelClaims(APP_ID, edge.serviceUrl));
  seedTokenCache(APP_ID);
  redirectSlackHooks(edge.url);
  running = await startServer(
    testConfig({
      ...bothPlatformsEnv(edge),
    }),
    { factories: adapterFactories, logger: silentLogger() },
  );
});

afterAll(async () => {
  await running?.shutdown("soak over");
  await edge?.close();
  globalThis.fetch = realFetch;
});

async function send(n: number) {
  return paced({
    url: `${running.url}/slack/events`,
    requests: requestsFor({ kind: "soak", token, serviceUrl: edge.serviceUrl }),
    rate: RATE,
    seconds: n / RATE,
  });
}

describe("soak: mixed signed traffic at a fixed rate", () => {
  it(`${WARMUP + MEASURED} requests: all 2xx, every reply delivered once, no growth in memory or handles`, async () => {
    const warm = await send(WARMUP);
    await running.platforms.drain();
    await new Promise((r) => setTimeout(r, 200));
    const before = { ...memory(), handles: handles() };

    const measured = await send(MEASURED);
    await running.platforms.drain();
    await new Promise((r) => setTimeout(r, 200));
    const after = { ...memory(), handles: handles() };

    // One expectation with what a failure needs to be read: the statuses and the latency.
    for (const r of [warm, measured])
      expect(
        { non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts },
        `statuses ${JSON.stringify(r.status)}, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms`,
      ).toEqual({ non2xx: 0, errors: 0, timeouts: 0 });
    const total = warm.total + measured.total;
    expect(total).toBe(WARMUP + MEASURED);
    // Each kind is a sixth of the mix: mentions and DMs post once, clicks replace their card once,
    // Teams messages and mentions get one reply each.
    const perKind = total / SOAK_KINDS.length;
    expect({
      postMessage: edge.slackMethods.get("chat.postMessage"),
      responseUrl: edge.counts.response_url,
      teamsReplies: edge.counts.connector,
    }).toEqual({ postMessage: 2 * perKind, responseUrl: perKind, teamsReplies: 2 * perKind });
    expect(await running.metrics.registry.getSingleMetricAsString("upstream_failures_total")).not.toMatch(
      /\} [1-9]/,
    );

    expect(after.heap, `live heap ${before.heap.toFixed(1)} → ${after.heap.toFixed(1)} MB`).toBeLessThan(
      before.heap * 1.1,
    );
    expect(after.handles, `handles ${before.handles} → ${after.handles}`).toBeLessThanOrEqual(before.handles);
  }, 60_000);
});
