// The server's Telemetry (../telemetry.ts): Prometheus metrics for every answered request, and a
// log line (info for a question nobody could answer, with its text so maintainers can add an
// alias; debug otherwise); failures are counted (the adapters log them); refusals are counted,
// and logged once per platform and reason per window.
import type { Logger } from "../log.js";
import type { Telemetry } from "../telemetry.js";
import { createThrottle, type ThrottleOptions } from "./log-throttle.js";
import { labelValue, type ServerMetrics } from "./metrics.js";

const MAX_LOGGED_QUERY = 200;

export function createServerTelemetry(
  logger: Logger,
  metrics: ServerMetrics,
  throttle: ThrottleOptions = {},
): Telemetry {
  const refusals = createThrottle(throttle);
  return {
    answered(e) {
      const notFound = e.kind === "not_found";
      metrics.requests.inc({ platform: e.platform, outcome: notFound ? "not_found" : "answered" });
      metrics.answers.inc({
        platform: e.platform,
        trigger: labelValue(e.trigger),
        intent: e.intent,
        kind: e.kind,
      });
      if (notFound) metrics.notFound.inc({ platform: e.platform });
      metrics.answerDuration.observe({ platform: e.platform, kind: e.kind }, Math.max(0, e.ms) / 1000);
      // A question nobody could answer is worth an operator's attention (an alias to add); an
      // answered one says nothing the metrics above do not, and cost about 5% of a Slack answer
      // (docs/benchmarks.md, items 11 and 13), so it is a debug line.
      const level = notFound ? "info" : "debug";
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          platform: e.platform,
          trigger: e.trigger,
          intent: e.intent,
          kind: e.kind,
          ms: Math.round(e.ms),
          ...(notFound && e.query ? { query: e.query.slice(0, MAX_LOGGED_QUERY) } : {}),
        },
        "answered",
      );
    },
    failed(e) {
      // Counted only: every adapter logs its failures itself, with the cause, where they happen
      // (Slack's app.error, Teams' reply and turn handlers), and a failure is logged once.
      metrics.requests.inc({ platform: e.platform, outcome: "failed" });
      metrics.failures.inc({ platform: e.platform, stage: labelValue(e.stage) });
    },
    rejected(platform, reason, detail) {
      metrics.requests.inc({ platform, outcome: "rejected" });
      metrics.rejected.inc({ platform, reason: labelValue(reason) });
      // Scanners, forged tokens and a misconfigured app can send thousands of these: the metrics
      // count every one; the log has one warning per platform and reason per window.
      const admitted = refusals.admit(`${platform} ${reason}`);
      if (!admitted) return;
      logger.warn(
        {
          ...detail,
          platform,
          reason,
          ...(admitted.heldBack ? { heldBack: admitted.heldBack, windowMs: refusals.windowMs } : {}),
        },
        "request refused",
      );
    },
  };
}
