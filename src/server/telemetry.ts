// The server's Telemetry (../telemetry.ts): one log line per answered request and the matching
// Prometheus metrics; failures are counted (the adapters log them). Message text is logged only
// for not-found queries (so maintainers can add aliases).
import type { Logger } from "../log.js";
import type { Telemetry } from "../telemetry.js";
import { labelValue, type ServerMetrics } from "./metrics.js";

const MAX_LOGGED_QUERY = 200;

export function createServerTelemetry(logger: Logger, metrics: ServerMetrics): Telemetry {
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
      logger.info(
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
    rejected(platform, reason) {
      metrics.requests.inc({ platform, outcome: "rejected" });
      metrics.rejected.inc({ platform, reason: labelValue(reason) });
      // Scanners and misconfigured apps can send many of these: useful, but not a warning each.
      logger.info({ platform, reason }, "request rejected");
    },
  };
}
