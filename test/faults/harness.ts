// The full server (both adapters mounted on the one node:http server, as `upstream serve` runs
// them) in front of a local edge (test/support/local-edge.ts) that can be told to fail: the Slack
// Web API, response_url, the Bot Framework connector and the channel's OpenID metadata. Timeouts
// are shortened so that a timeout fault takes a second, not the production 5–10 s; everything
// else is the real code path. Log lines are captured as parsed JSON.
import { APP_ID, BOT_USER_ID, bothPlatformsEnv, SIGNING_SECRET } from "../../bench/lib/constants.js";
import { redirectSlackHooks } from "../../bench/lib/loopback-hooks.js";
import { commandForm } from "../../bench/lib/requests.js";
import { seedTokenCache } from "../../bench/lib/seed-token-cache.js";
import { createLogger } from "../../src/log.js";
import { adapterFactories, type PlatformFactories } from "../../src/server/platforms.js";
import { type RunningServer, startServer } from "../../src/server/start.js";
import { captureLines, type Reply, send, testConfig } from "../server/helpers.js";
import { channelClaims, makeKey, signToken } from "../support/bot-framework-token.js";
import { type LocalEdge, startLocalEdge } from "../support/local-edge.js";
import { slackSignature } from "../support/slack-signature.js";
import { teamsMessage } from "../support/teams-activity.js";

export { APP_ID, SIGNING_SECRET };

/** What the fault runs shorten (production: 5 s Web API timeout, 10 s connector attempt, 5 s keys). */
export const FAST = { webApiTimeoutMs: 300, attemptTimeoutMs: 300, authDeadlineMs: 500 };

export interface FullServer {
  running: RunningServer;
  edge: LocalEdge;
  token: string;
  logs: () => Record<string, unknown>[];
  /** A signed `/upstream <text>` slash command. */
  command(text: string): Promise<Reply>;
  /** A signed Events API envelope (an @mention by default) with a fresh event id. */
  mention(text: string, channel: string): Promise<Reply>;
  /** A Teams personal message with a valid channel token. */
  teams(text: string, conversationId: string): Promise<Reply>;
  close(): Promise<void>;
}

let seq = 0;

export async function startFullServer(): Promise<FullServer> {
  const key = makeKey(`faults-${Date.now()}`);
  const edge = await startLocalEdge({ keys: [key] });
  const token = signToken(key, channelClaims(APP_ID, edge.serviceUrl));
  seedTokenCache(APP_ID);
  const realFetch = globalThis.fetch;
  redirectSlackHooks(edge.url);
  const log = captureLines();
  const factories: PlatformFactories = {
    slack: (o) => adapterFactories.slack({ ...o, webApiTimeoutMs: FAST.webApiTimeoutMs }),
    teams: (o) =>
      adapterFactories.teams({
        ...o,
        outboundRetry: { jitterMs: 0, attemptTimeoutMs: FAST.attemptTimeoutMs },
        authDeadlineMs: FAST.authDeadlineMs,
      }),
  };
  const running = await startServer(
    testConfig({
      ...bothPlatformsEnv(edge),
      LOG_LEVEL: "debug",
    }),
    { factories, logger: createLogger({ level: "debug", destination: log }) },
  );
  const slack = (body: string, type: string) =>
    send(running.url, "/slack/events", {
      method: "POST",
      headers: { "content-type": type, ...slackSignature(body, SIGNING_SECRET) },
      body,
    });
  return {
    running,
    edge,
    token,
    logs: () => log.records(),
    command: (text) => slack(commandForm(text), "application/x-www-form-urlencoded"),
    mention: (text, channel) =>
      slack(
        JSON.stringify({
          token: "x",
          team_id: "T0001",
          api_app_id: "A123456",
          type: "event_callback",
          event_id: `EvFault${++seq}`,
          event_time: 1,
          event: {
            type: "app_mention",
            user: "U0ASKER",
            text: `<@${BOT_USER_ID}> ${text}`,
            ts: `${seq}.0001`,
            channel,
          },
          authorizations: [{ team_id: "T0001", user_id: BOT_USER_ID, is_bot: true }],
        }),
        "application/json",
      ),
    teams: (text, conversationId) =>
      send(running.url, "/api/messages", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify(
          teamsMessage(text, {
            serviceUrl: edge.serviceUrl,
            appId: APP_ID,
            id: `1:fault-${++seq}`,
            conversationId,
          }),
        ),
      }),
    close: async () => {
      await running.shutdown("faults over");
      await edge.close();
      globalThis.fetch = realFetch;
    },
  };
}

/** Log lines at warn or above (pino levels 40+). */
export function problems(lines: Record<string, unknown>[]): Record<string, unknown>[] {
  return lines.filter((l) => Number(l.level) >= 40);
}
