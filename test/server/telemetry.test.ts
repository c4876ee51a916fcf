// Refused requests reach the server's telemetry from every adapter. Every one is counted; the log
// gets one warning per platform and reason per window, carrying the adapter's detail, and the next
// warning says how many were held back.
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { createMetrics } from "../../src/server/metrics.js";
import { createServerTelemetry } from "../../src/server/telemetry.js";
import { captureLines } from "./helpers.js";

function setup() {
  const log = captureLines();
  const metrics = createMetrics({ catalog: () => null, ready: () => true });
  let t = 0;
  const telemetry = createServerTelemetry(createLogger({ destination: log }), metrics, {
    windowMs: 60_000,
    now: () => t,
  });
  const refused = () => log.records().filter((l) => l.msg === "request refused");
  const at = (ms: number) => {
    t = ms;
  };
  return { telemetry, metrics, refused, at };
}

describe("server telemetry: refused requests", () => {
  it("counts every refusal, and logs one warning per platform and reason per window", async () => {
    const { telemetry, metrics, refused, at } = setup();
    for (let i = 0; i < 500; i++) telemetry.rejected("slack", "bad_signature", { status: 401 });
    telemetry.rejected("slack", "stale_timestamp", { status: 401 });
    telemetry.rejected("teams", "invalid_token", { status: 401, sdkMessage: "invalid signature" });
    at(30_000);
    for (let i = 0; i < 20; i++) telemetry.rejected("teams", "invalid_token", { status: 401 });
    at(60_000);
    telemetry.rejected("slack", "bad_signature", { status: 401 });

    expect(refused()).toEqual([
      expect.objectContaining({ level: 40, platform: "slack", reason: "bad_signature", status: 401 }),
      expect.objectContaining({ platform: "slack", reason: "stale_timestamp" }),
      expect.objectContaining({
        platform: "teams",
        reason: "invalid_token",
        sdkMessage: "invalid signature",
      }),
      expect.objectContaining({
        platform: "slack",
        reason: "bad_signature",
        heldBack: 499,
        windowMs: 60_000,
      }),
    ]);
    expect(refused()[0]).not.toHaveProperty("heldBack");
    const text = await metrics.registry.metrics();
    expect(text).toContain('upstream_rejected_total{platform="slack",reason="bad_signature"} 501');
    expect(text).toContain('upstream_rejected_total{platform="teams",reason="invalid_token"} 21');
    expect(text).toContain('upstream_requests_total{platform="slack",outcome="rejected"} 502');
  });

  it("keeps its own platform and reason when the detail names the same fields", () => {
    const { telemetry, refused } = setup();
    telemetry.rejected("slack", "bad_signature", { platform: "teams", reason: "forged" });
    expect(refused()).toEqual([expect.objectContaining({ platform: "slack", reason: "bad_signature" })]);
  });
});
