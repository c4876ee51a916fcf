// What the adapters report becomes metrics for every event and log lines for what an operator
// should read: a question nobody could answer (info, with its text), an answered one at debug
// only; refused requests once per platform and reason per window, with the adapter's detail, the
// next warning saying how many were held back.
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { createMetrics } from "../../src/server/metrics.js";
import { createServerTelemetry } from "../../src/server/telemetry.js";
import { captureLines } from "./helpers.js";

function setup(level = "info") {
  const log = captureLines();
  const metrics = createMetrics({ catalog: () => null, ready: () => true });
  let t = 0;
  const telemetry = createServerTelemetry(createLogger({ level, destination: log }), metrics, {
    windowMs: 60_000,
    now: () => t,
  });
  const refused = () => log.records().filter((l) => l.msg === "request refused");
  const at = (ms: number) => {
    t = ms;
  };
  return { telemetry, metrics, refused, at, records: () => log.records() };
}

describe("server telemetry: answers", () => {
  const found = {
    platform: "slack",
    trigger: "command",
    intent: "project",
    kind: "project",
    ms: 1.4,
  } as const;
  const missed = {
    platform: "teams",
    trigger: "dm",
    intent: "unknown",
    kind: "not_found",
    ms: 0.6,
    query: "what is flurbo?",
  } as const;

  it("at info, logs the questions nobody could answer, with their text, and counts every answer", async () => {
    const { telemetry, metrics, records } = setup("info");
    for (let i = 0; i < 3; i++) telemetry.answered(found);
    telemetry.answered(missed);
    expect(records()).toEqual([
      expect.objectContaining({
        level: 30,
        msg: "answered",
        platform: "teams",
        kind: "not_found",
        query: "what is flurbo?",
      }),
    ]);
    const text = await metrics.registry.metrics();
    expect(text).toContain('upstream_requests_total{platform="slack",outcome="answered"} 3');
    expect(text).toContain('upstream_requests_total{platform="teams",outcome="not_found"} 1');
    expect(text).toContain('upstream_not_found_total{platform="teams"} 1');
  });

  it("at debug, logs the answered ones too, without their text", () => {
    const { telemetry, records } = setup("debug");
    telemetry.answered({ ...found, query: "eraser" });
    expect(records()).toEqual([
      expect.objectContaining({ level: 20, msg: "answered", platform: "slack", kind: "project", ms: 1 }),
    ]);
    expect(records()[0]).not.toHaveProperty("query");
  });
});

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
