// The process environment as one zod schema, parsed once at start (the t3-env pattern): empty
// strings count as unset, every problem is reported at once, and the platforms are enabled by
// their credentials. Nothing else in the code base reads process.env.
import { z } from "zod";
import { DEFAULT_CATALOG_URL } from "./catalog/live-catalog.js";

export const DEFAULT_PORT = 3978;

/** Variables that may also come from files in SECRETS_DIR (Secrets Store CSI driver mounts). */
export const FILE_VARIABLES = [
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "MicrosoftAppId",
  "MicrosoftAppPassword",
  "MicrosoftAppTenantId",
] as const;

/** Values that must never be printed, not even in an error message. */
export const SECRET_VARIABLES = [
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "MicrosoftAppPassword",
] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "90s", "30m", "6h", "250ms"; a bare number means seconds; "0" turns the timer off. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(text.trim());
  if (!m?.[1]) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
  return Number(m[1]) * unit;
}

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      const ms = parseDuration(s);
      if (ms === null) {
        ctx.addIssue({
          code: "custom",
          message: 'must be a duration like "90s", "30m" or "6h" (0 turns it off)',
        });
        return z.NEVER;
      }
      return ms;
    });

const integer = (min: number, max: number, fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .transform((s, ctx) => {
      const n = /^\d+$/.test(s.trim()) ? Number(s) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

const httpUrl = z.string().refine((s) => {
  try {
    return ["http:", "https:"].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}, "must be an http(s) URL");

function isLoopback(url: string): boolean {
  try {
    return ["127.0.0.1", "[::1]", "localhost"].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

const noSpace = (what: string) => z.string().regex(/^\S+$/, `must be ${what} without spaces`);

export const EnvSchema = z.object({
  PORT: integer(0, 65535, DEFAULT_PORT),
  HOST: z.string().optional(),
  NODE_ENV: z
    .enum(["development", "production", "test"], {
      error: 'must be "development", "production" or "test"',
    })
    .default("development"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "must be one of fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),

  SLACK_BOT_TOKEN: z.string().startsWith("xoxb-", 'must be a bot token starting with "xoxb-"').optional(),
  SLACK_SIGNING_SECRET: noSpace("the app's signing secret")
    .min(16, "is too short for a signing secret")
    .optional(),
  SLACK_APP_TOKEN: z
    .string()
    .startsWith("xapp-", 'must be an app-level token starting with "xapp-"')
    .optional(),
  SLACK_API_URL: httpUrl.optional(),
  SLACK_BOT_ID: z
    .string()
    .regex(/^B[A-Z0-9]+$/, 'must be a bot id like "B012ABCDEF"')
    .optional(),
  SLACK_BOT_USER_ID: z
    .string()
    .regex(/^[UW][A-Z0-9]+$/, 'must be a user id like "U012ABCDEF"')
    .optional(),

  MicrosoftAppId: z.string().regex(GUID, "must be the bot's app id (a GUID)").optional(),
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppTenantId: z.string().regex(GUID, "must be a tenant id (a GUID)").optional(),
  MicrosoftAppType: z
    .enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"], {
      error: 'must be "MultiTenant", "SingleTenant" or "UserAssignedMSI"',
    })
    .default("MultiTenant"),
  /**
   * Benchmarks and tests only: where the Teams endpoint fetches the Bot Framework channel's OpenID
   * metadata (and so its signing keys) instead of login.botframework.com. Loopback URLs only.
   */
  TEAMS_OPENID_METADATA_URL: httpUrl
    .refine(
      (s) => isLoopback(s),
      "must be a loopback URL (127.0.0.1, [::1] or localhost): it is for benchmarks and tests",
    )
    .optional(),

  CATALOG_URL: httpUrl.default(DEFAULT_CATALOG_URL),
  CATALOG_REFRESH_INTERVAL: duration("6h"),

  SHUTDOWN_TIMEOUT_MS: integer(100, 300_000, 10_000),
  SHUTDOWN_DELAY_MS: integer(0, 60_000, 0),
  BODY_LIMIT_BYTES: integer(1024, 10 * 1024 * 1024, 256 * 1024),
  SECRETS_DIR: z.string().optional(),
  SECRETS_POLL_INTERVAL: duration("2m"),
});

export type Env = z.output<typeof EnvSchema>;
export type EnvName = keyof typeof EnvSchema.shape;
export const ENV_NAMES = Object.keys(EnvSchema.shape) as EnvName[];

export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  appToken?: string;
  apiUrl?: string;
  botId?: string;
  botUserId?: string;
}

export type TeamsConfig =
  | {
      mode: "authenticated";
      appId: string;
      appPassword?: string;
      tenantId?: string;
      appType: Env["MicrosoftAppType"];
      /** Benchmarks and tests only (TEAMS_OPENID_METADATA_URL): a local stand-in for login.botframework.com. */
      openIdMetadataUrl?: string;
    }
  /** No app id outside production: unauthenticated, for the Bot Framework Emulator only. */
  | { mode: "local-only" }
  /** No app id in production: /api/messages is off and never runs a turn. */
  | { mode: "off" };

export interface Config {
  port: number;
  /** Undefined: every interface. */
  host?: string;
  production: boolean;
  nodeEnv: Env["NODE_ENV"];
  logLevel: Env["LOG_LEVEL"];
  slack: SlackConfig | null;
  teams: TeamsConfig;
  catalog: { url: string; refreshIntervalMs: number };
  shutdownTimeoutMs: number;
  shutdownDelayMs: number;
  bodyLimitBytes: number;
  secrets: { dir?: string; pollIntervalMs: number };
  /** One line per platform for the start-up log (never contains a secret). */
  platformLines: { platform: "slack" | "teams"; level: "info" | "warn"; line: string }[];
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

type RawEnv = Record<string, string | undefined>;

/** Keeps our variables only, with empty or blank strings treated as unset. */
function normalize(env: RawEnv): Partial<Record<EnvName, string>> {
  const out: Partial<Record<EnvName, string>> = {};
  for (const name of ENV_NAMES) {
    const v = env[name];
    if (v !== undefined && v.trim() !== "") out[name] = v.trim();
  }
  return out;
}

/** Parses the environment; never throws, never includes a secret value in a problem. */
export function loadConfig(rawEnv: RawEnv): ConfigResult {
  const env = normalize(rawEnv);
  const problems: string[] = [];
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? "environment");
      problems.push(`${name}: ${issue.message}${shownValue(name, env)}`);
    }
  }
  problems.push(...crossChecks(env));
  if (!parsed.success || problems.length) return { ok: false, problems };
  return { ok: true, config: toConfig(parsed.data) };
}

function shownValue(name: string, env: Partial<Record<EnvName, string>>): string {
  if ((SECRET_VARIABLES as readonly string[]).includes(name)) return "";
  const v = env[name as EnvName];
  return v === undefined ? "" : ` (got ${JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)})`;
}

/** Rules between variables; they look at presence only so that they run even when a value is malformed. */
function crossChecks(env: Partial<Record<EnvName, string>>): string[] {
  const has = (n: EnvName) => env[n] !== undefined;
  const problems: string[] = [];
  if (has("SLACK_BOT_TOKEN") && !has("SLACK_SIGNING_SECRET"))
    problems.push(
      "SLACK_SIGNING_SECRET: is required when SLACK_BOT_TOKEN is set (Slack signs every request)",
    );
  if (has("SLACK_SIGNING_SECRET") && !has("SLACK_BOT_TOKEN"))
    problems.push("SLACK_BOT_TOKEN: is required when SLACK_SIGNING_SECRET is set (the bot posts with it)");
  if (has("SLACK_APP_TOKEN") && !(has("SLACK_BOT_TOKEN") && has("SLACK_SIGNING_SECRET")))
    problems.push("SLACK_APP_TOKEN: Socket Mode also needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET");

  const appType = env.MicrosoftAppType ?? "MultiTenant";
  if (!has("MicrosoftAppId")) {
    for (const n of ["MicrosoftAppPassword", "MicrosoftAppTenantId"] as const)
      if (has(n)) problems.push(`MicrosoftAppId: is required when ${n} is set`);
  } else {
    if (appType !== "UserAssignedMSI" && !has("MicrosoftAppPassword"))
      problems.push(
        `MicrosoftAppPassword: is required when MicrosoftAppId is set (MicrosoftAppType=${appType}); an empty secret must never mean an open endpoint`,
      );
    if (appType !== "MultiTenant" && !has("MicrosoftAppTenantId"))
      problems.push(`MicrosoftAppTenantId: is required when MicrosoftAppType=${appType}`);
  }

  const production = env.NODE_ENV === "production";
  if (production && !has("SLACK_BOT_TOKEN") && !has("SLACK_SIGNING_SECRET") && !has("MicrosoftAppId"))
    problems.push(
      "NODE_ENV=production but no platform is configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (Slack) " +
        "and/or MicrosoftAppId and MicrosoftAppPassword (Teams), or SECRETS_DIR pointing at files with those names",
    );
  return problems;
}

function toConfig(env: Env): Config {
  const production = env.NODE_ENV === "production";
  const slack: SlackConfig | null =
    env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET
      ? {
          botToken: env.SLACK_BOT_TOKEN,
          signingSecret: env.SLACK_SIGNING_SECRET,
          ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
          ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
          ...(env.SLACK_BOT_ID ? { botId: env.SLACK_BOT_ID } : {}),
          ...(env.SLACK_BOT_USER_ID ? { botUserId: env.SLACK_BOT_USER_ID } : {}),
        }
      : null;
  const teams: TeamsConfig = env.MicrosoftAppId
    ? {
        mode: "authenticated",
        appId: env.MicrosoftAppId,
        appType: env.MicrosoftAppType,
        ...(env.MicrosoftAppPassword ? { appPassword: env.MicrosoftAppPassword } : {}),
        ...(env.MicrosoftAppTenantId ? { tenantId: env.MicrosoftAppTenantId } : {}),
        ...(env.TEAMS_OPENID_METADATA_URL ? { openIdMetadataUrl: env.TEAMS_OPENID_METADATA_URL } : {}),
      }
    : production
      ? { mode: "off" }
      : { mode: "local-only" };
  // Unauthenticated Teams traffic must not be reachable from the network unless someone asked for it.
  const host = env.HOST ?? (teams.mode === "local-only" ? "127.0.0.1" : undefined);
  return {
    port: env.PORT,
    ...(host ? { host } : {}),
    production,
    nodeEnv: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    slack,
    teams,
    catalog: { url: env.CATALOG_URL, refreshIntervalMs: env.CATALOG_REFRESH_INTERVAL },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    shutdownDelayMs: env.SHUTDOWN_DELAY_MS,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    secrets: {
      ...(env.SECRETS_DIR ? { dir: env.SECRETS_DIR } : {}),
      pollIntervalMs: env.SECRETS_POLL_INTERVAL,
    },
    platformLines: [slackLine(slack), teamsLine(teams, env.HOST)],
  };
}

function slackLine(slack: SlackConfig | null): Config["platformLines"][number] {
  if (!slack)
    return {
      platform: "slack",
      level: "info",
      line: "slack: disabled (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to enable POST /slack/events)",
    };
  return {
    platform: "slack",
    level: "info",
    line: slack.appToken
      ? "slack: enabled in Socket Mode (SLACK_APP_TOKEN is set; POST /slack/events is off)"
      : "slack: enabled on POST /slack/events",
  };
}

function teamsLine(teams: TeamsConfig, explicitHost: string | undefined): Config["platformLines"][number] {
  switch (teams.mode) {
    case "authenticated":
      return teams.openIdMetadataUrl
        ? {
            platform: "teams",
            level: "warn",
            line:
              `teams: enabled on POST /api/messages (app ${teams.appId}, ${teams.appType}), trusting the signing keys of ` +
              `${teams.openIdMetadataUrl} (TEAMS_OPENID_METADATA_URL: benchmarks and tests only)`,
          }
        : {
            platform: "teams",
            level: "info",
            line: `teams: enabled on POST /api/messages (app ${teams.appId}, ${teams.appType})`,
          };
    case "off":
      return {
        platform: "teams",
        level: "info",
        line: "teams: disabled (set MicrosoftAppId and MicrosoftAppPassword to enable POST /api/messages; it answers 404 until then)",
      };
    case "local-only":
      return {
        platform: "teams",
        level: "warn",
        line:
          "teams: LOCAL-ONLY and UNAUTHENTICATED — MicrosoftAppId is not set, so POST /api/messages accepts " +
          `unsigned requests (Bot Framework Emulator); ${explicitHost ? `HOST=${explicitHost} was set explicitly` : "listening on 127.0.0.1 only"}. ` +
          "Never run like this in production (NODE_ENV=production turns it off).",
      };
  }
}

/** True when `upstream start` should run the server rather than the local chat. */
export function wantsServer(rawEnv: RawEnv): boolean {
  const env = normalize(rawEnv);
  return (
    env.NODE_ENV === "production" ||
    env.SECRETS_DIR !== undefined ||
    (
      [
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "MicrosoftAppId",
        "MicrosoftAppPassword",
      ] as const
    ).some((n) => env[n] !== undefined)
  );
}
