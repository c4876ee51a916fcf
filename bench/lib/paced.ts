// An open-loop load generator for the fixed-rate runs: request i is due at start + i/rate, sent
// on a pool of keep-alive connections whether or not earlier ones have been answered, and its
// latency is counted from when it was due (so a stalled server cannot hide its queue: no
// coordinated omission). autocannon's overallRate is not used for these runs: it lets each
// connection send its per-second quota back to back at the start of every second, so its p99 at
// "200 req/s" is the time to drain a 200-request burst (measured: A 6 ms, B 29 ms, C 56 ms).
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import type { RawRequest, RequestSpec } from "autocannon";
import type { LoadSummary } from "../load-worker.js";

export interface PacedRun {
  url: string;
  requests: RequestSpec[];
  rate: number;
  seconds: number;
  /** Give up on a request after this long (counted as an error). */
  timeoutMs?: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export async function paced(run: PacedRun): Promise<LoadSummary> {
  const url = new URL(run.url);
  // Enough sockets that a slow answer never delays the next request's departure.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(run.rate * run.seconds);
  const interval = 1000 / run.rate;
  const latencies: number[] = [];
  const status: Record<string, number> = {};
  let errors = 0;
  let timeouts = 0;
  let ok = 0;
  const inflight = new Set<Promise<void>>();

  const send = (i: number, due: number): Promise<void> => {
    const spec = run.requests[i % run.requests.length] as RequestSpec;
    const { setupRequest, ...base } = spec;
    const req: RawRequest = setupRequest ? setupRequest({ ...base }, {}) : base;
    const body = req.body;
    return new Promise<void>((resolve) => {
      const r = request(
        {
          host: url.hostname,
          port: url.port,
          method: req.method ?? "POST",
          path: req.path ?? url.pathname,
          headers: {
            ...req.headers,
            ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}),
          },
          agent,
          timeout: run.timeoutMs ?? 10_000,
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            const code = String(res.statusCode ?? 0);
            status[code] = (status[code] ?? 0) + 1;
            // Every answer counts, refusals included: the rejection runs measure how fast they come.
            latencies.push(performance.now() - due);
            if (code.startsWith("2")) ok++;
            resolve();
          });
          res.on("error", () => {
            errors++;
            resolve();
          });
        },
      );
      r.on("timeout", () => {
        timeouts++;
        r.destroy(new Error("timeout"));
      });
      r.on("error", () => {
        errors++;
        resolve();
      });
      r.end(body);
    });
  };

  const start = performance.now() + 20;
  let next = 0;
  while (next < total) {
    const now = performance.now();
    // Send everything that is due (several at once if the timer woke late).
    while (next < total && start + next * interval <= now) {
      const p = send(next, start + next * interval);
      inflight.add(p);
      void p.then(() => inflight.delete(p));
      next++;
    }
    if (next < total) {
      const wait = start + next * interval - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
  await Promise.all([...inflight]);
  agent.destroy();
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const answered = Object.values(status).reduce((a, b) => a + b, 0);
  return {
    rps: answered / seconds,
    okRps: ok / seconds,
    total: answered,
    ok,
    non2xx: answered - ok,
    errors,
    timeouts,
    status,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.length ? (latencies[latencies.length - 1] as number) : Number.NaN,
    seconds,
  };
}
