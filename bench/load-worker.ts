// The load generator: a child process (pinned to its own core by the caller) that runs autocannon
// for each run the parent asks for over IPC and sends back a summary. Keeping it out of the
// parent means the parent's local edge and sampling never share an event loop with the load.
import autocannon, { type Result } from "autocannon";
import { paced } from "./lib/paced.js";
import { type LoadTarget, requestsFor } from "./lib/requests.js";

export interface LoadRun {
  url: string;
  target: LoadTarget;
  connections: number;
  /** Seconds; or `amount` requests. */
  duration?: number;
  amount?: number;
  /**
   * Requests per second. With `paced`, arrivals are spread evenly (lib/paced.ts); otherwise it is
   * autocannon's overallRate (each connection's quota sent back to back at each second's start).
   */
  rate?: number;
  paced?: boolean;
}

export interface LoadSummary {
  /** Responses per second, any status. */
  rps: number;
  /** 2xx responses per second: the throughput compared between servers. */
  okRps: number;
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  status: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
  seconds: number;
}

function summary(r: Result): LoadSummary {
  const status = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
  const total = Object.values(status).reduce((a, b) => a + b, 0);
  return {
    rps: total / r.duration,
    okRps: r["2xx"] / r.duration,
    total,
    ok: r["2xx"],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    status,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    seconds: r.duration,
  };
}

async function run(job: LoadRun): Promise<LoadSummary> {
  const requests = requestsFor(job.target);
  if (job.paced && job.rate)
    return paced({ url: job.url, requests, rate: job.rate, seconds: job.duration ?? 5 });
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    requests,
    timeout: 10,
    ...(job.amount ? { amount: job.amount } : { duration: job.duration ?? 5 }),
    ...(job.rate ? { overallRate: job.rate } : {}),
  });
  return summary(result);
}

process.on("message", (msg: { id: number; job: LoadRun }) => {
  run(msg.job).then(
    (result) => process.send?.({ id: msg.id, result }),
    (e: unknown) => process.send?.({ id: msg.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
process.send?.({ ready: true });
