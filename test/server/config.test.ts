// The environment schema: defaults, empty-as-unset, every problem named, platform rules.
import { describe, expect, it } from "vitest";
import { DEFAULT_PORT, loadConfig, parseDuration, wantsServer } from "../../src/config.js";
import { SLACK_ENV, TEAMS_ENV } from "./helpers.js";

function problems(env: Record<string, string>): string[] {
  const r = loadConfig(env);
  if (r.ok) throw new Error("expected configuration problems");
  return r.problems;
}

describe("loadConfig", () => {
  it("uses the documented defaults when nothing is set", () => {
    const r = loadConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.port).toBe(DEFAULT_PORT);
    expect(r.config.port).toBe(3978);
    expect(r.config.nodeEnv).toBe("development");
    expect(r.config.catalog.refreshIntervalMs).toBe(6 * 3600_000);
    expect(r.config.secrets.pollIntervalMs).toBe(120_000);
    expect(r.config.shutdownTimeoutMs).toBe(10_000);
    expect(r.config.slack).toBeNull();
    // No app id outside production: the Emulator path, on loopback only.
    expect(r.config.teams).toEqual({ mode: "local-only" });
    expect(r.config.host).toBe("127.0.0.1");
  });

  it("treats empty and blank strings as unset", () => {
    const r = loadConfig({ PORT: "", SLACK_BOT_TOKEN: "", SLACK_SIGNING_SECRET: "  ", MicrosoftAppId: "" });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.config.port).toBe(3978);
      expect(r.config.slack).toBeNull();
    }
  });

  it("names every bad variable at once, not just the first", () => {
    const found = problems({
      PORT: "eighty",
      NODE_ENV: "prod",
      LOG_LEVEL: "loud",
      SLACK_BOT_TOKEN: "xoxp-user-token-not-a-bot-token",
      SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99yyyzzz85a5",
      SLACK_API_URL: "ftp://slack.example",
      MicrosoftAppId: "not-a-guid",
      MicrosoftAppPassword: "pw-value-123456",
      MicrosoftAppType: "Anyone",
      CATALOG_REFRESH_INTERVAL: "soon",
      BODY_LIMIT_BYTES: "12",
      SHUTDOWN_TIMEOUT_MS: "-5",
    });
    for (const name of [
      "PORT",
      "NODE_ENV",
      "LOG_LEVEL",
      "SLACK_BOT_TOKEN",
      "SLACK_API_URL",
      "MicrosoftAppId",
      "MicrosoftAppType",
      "CATALOG_REFRESH_INTERVAL",
      "BODY_LIMIT_BYTES",
      "SHUTDOWN_TIMEOUT_MS",
    ])
      expect(
        found.some((p) => p.startsWith(`${name}:`)),
        `${name} in ${found.join(" | ")}`,
      ).toBe(true);
    // Non-secret values are echoed to help; secret ones never are.
    expect(found.join("\n")).toContain('"eighty"');
    expect(found.join("\n")).not.toContain("xoxp-user-token");
  });

  it("requires both Slack variables and says which one is missing (case 7)", () => {
    expect(problems({ SLACK_BOT_TOKEN: SLACK_ENV.SLACK_BOT_TOKEN })).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET: is required when SLACK_BOT_TOKEN is set/),
    ]);
    expect(problems({ SLACK_SIGNING_SECRET: SLACK_ENV.SLACK_SIGNING_SECRET })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN: is required/),
    ]);
    expect(problems({ SLACK_APP_TOKEN: "xapp-1-A1-2-abc" })).toEqual([
      expect.stringMatching(/^SLACK_APP_TOKEN:/),
    ]);
  });

  it("never lets a Teams app id run without its password, nor a password without an id", () => {
    expect(problems({ MicrosoftAppId: TEAMS_ENV.MicrosoftAppId })).toEqual([
      expect.stringMatching(/^MicrosoftAppPassword: is required when MicrosoftAppId is set/),
    ]);
    expect(problems({ MicrosoftAppPassword: TEAMS_ENV.MicrosoftAppPassword })).toEqual([
      "MicrosoftAppId: is required when MicrosoftAppPassword is set",
    ]);
    expect(problems({ ...TEAMS_ENV, MicrosoftAppType: "SingleTenant" })).toEqual([
      "MicrosoftAppTenantId: is required when MicrosoftAppType=SingleTenant",
    ]);
  });

  it("refuses a production start with no platform configured (case 38)", () => {
    expect(problems({ NODE_ENV: "production" })).toEqual([
      expect.stringMatching(/^NODE_ENV=production but no platform is configured: set SLACK_BOT_TOKEN/),
    ]);
    // An empty app id is no app id: still refused, never anonymous.
    expect(problems({ NODE_ENV: "production", MicrosoftAppId: "" })).toHaveLength(1);
  });

  it("turns Teams off in production without an app id, and a Slack-only deployment works", () => {
    const r = loadConfig({ NODE_ENV: "production", ...SLACK_ENV });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.teams).toEqual({ mode: "off" });
    expect(r.config.host).toBeUndefined();
    expect(r.config.platformLines.map((l) => l.line)).toEqual([
      "slack: enabled on POST /slack/events",
      expect.stringMatching(/^teams: disabled \(set MicrosoftAppId and MicrosoftAppPassword to enable/),
    ]);
  });

  it("logs a loud line for unauthenticated local Teams, and keeps an explicit HOST", () => {
    const r = loadConfig({ HOST: "0.0.0.0", ...SLACK_ENV });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.host).toBe("0.0.0.0");
    const teams = r.config.platformLines.find((l) => l.platform === "teams");
    expect(teams?.level).toBe("warn");
    expect(teams?.line).toMatch(/LOCAL-ONLY and UNAUTHENTICATED.*HOST=0\.0\.0\.0 was set explicitly/);
  });

  it("describes an enabled Teams and Socket Mode Slack", () => {
    const r = loadConfig({ ...SLACK_ENV, SLACK_APP_TOKEN: "xapp-1-A1-2-abc", ...TEAMS_ENV });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.slack?.appToken).toBe("xapp-1-A1-2-abc");
    expect(r.config.teams).toMatchObject({ mode: "authenticated", appType: "MultiTenant" });
    expect(r.config.platformLines.map((l) => l.line)).toEqual([
      "slack: enabled in Socket Mode (SLACK_APP_TOKEN is set; POST /slack/events is off)",
      `teams: enabled on POST /api/messages (app ${TEAMS_ENV.MicrosoftAppId}, MultiTenant)`,
    ]);
  });
});

describe("parseDuration", () => {
  it("reads units, treats a bare number as seconds and rejects the rest", () => {
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("90")).toBe(90_000);
    expect(parseDuration("2m")).toBe(120_000);
    expect(parseDuration("6h")).toBe(21_600_000);
    expect(parseDuration("0")).toBe(0);
    expect(parseDuration("1.5h")).toBeNull();
    expect(parseDuration("-1s")).toBeNull();
  });
});

describe("wantsServer (npm start: server or local chat)", () => {
  it("chooses the chat only when nothing platform-related is set outside production", () => {
    expect(wantsServer({})).toBe(false);
    expect(wantsServer({ SLACK_BOT_TOKEN: "" })).toBe(false);
    expect(wantsServer({ SLACK_BOT_TOKEN: "xoxb-1" })).toBe(true);
    expect(wantsServer({ MicrosoftAppId: TEAMS_ENV.MicrosoftAppId })).toBe(true);
    expect(wantsServer({ NODE_ENV: "production" })).toBe(true);
    expect(wantsServer({ SECRETS_DIR: "/mnt/secrets-store" })).toBe(true);
  });
});
