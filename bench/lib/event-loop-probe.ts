// Event-loop delay for the baseline servers, measured the way prom-client's default
// nodejs_eventloop_lag_p99_seconds is in server C (monitorEventLoopDelay, 10 ms resolution,
// reset at each read), so the three servers report comparable numbers.
import type { ServerResponse } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";

export function eventLoopProbe(): (res: ServerResponse) => void {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  return (res) => {
    const body = JSON.stringify({ p99Ms: h.percentile(99) / 1e6, maxMs: h.max / 1e6 });
    h.reset();
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
  };
}
