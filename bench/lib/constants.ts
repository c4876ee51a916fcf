// Fixed credentials and identities of the benchmark: the same for servers A, B and C so that each
// verifies the very same signed request. None of them is real; traffic never leaves 127.0.0.1.
export const SIGNING_SECRET = "b3nchmark5ecret0123456789abcdef0";
export const BOT_TOKEN = "xoxb-0000-1111-benchmarktoken";
export const BOT_ID = "B0BENCH01";
export const BOT_USER_ID = "U0BENCH01";

export const APP_ID = "5e1c7a52-3f0d-4b8e-9a61-7c2d4e8f0b13";
/** Never sent anywhere: the servers find a token in their cache (lib/seed-token-cache.ts). */
export const APP_PASSWORD = "benchmark-client-secret";

/** The slash command every Slack run sends (RELIABILITY's `/upstream eraser`). */
export const COMMAND_TEXT = "eraser";
/** The message every Teams run sends. */
export const TEAMS_TEXT = "eraser";
/** Size of the oversized bodies in the rejection runs. */
export const LARGE_BODY_BYTES = 1024 * 1024;

export const SLACK_PATH = "/slack/events";
export const TEAMS_PATH = "/api/messages";
/** Where the baseline servers report their event-loop delay (C reports it in /metrics). */
export const PROBE_PATH = "/__bench/event-loop";

/** The environment of our server with both platforms configured against a local edge. */
export function bothPlatformsEnv(edge: {
  slackApiUrl: string;
  openIdMetadataUrl: string;
}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_ID: BOT_ID,
    SLACK_BOT_USER_ID: BOT_USER_ID,
    SLACK_API_URL: edge.slackApiUrl,
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: APP_PASSWORD,
    TEAMS_OPENID_METADATA_URL: edge.openIdMetadataUrl,
  };
}
