// Baseline B for Slack: a bare Bolt app (its default HTTPReceiver: raw-body, signature check,
// parsing, routing) with a no-op /upstream handler. Bot id and bot user id are given, so Bolt never
// calls auth.test; the Web API points at the local edge anyway. https://docs.slack.dev/tools/bolt-js/
import { App } from "@slack/bolt";
import { BOT_ID, BOT_TOKEN, BOT_USER_ID, PROBE_PATH, SIGNING_SECRET } from "../lib/constants.js";
import { eventLoopProbe } from "../lib/event-loop-probe.js";

const probe = eventLoopProbe();
const app = new App({
  token: BOT_TOKEN,
  signingSecret: SIGNING_SECRET,
  botId: BOT_ID,
  botUserId: BOT_USER_ID,
  ...(process.env.SLACK_API_URL ? { clientOptions: { slackApiUrl: process.env.SLACK_API_URL } } : {}),
  customRoutes: [{ path: PROBE_PATH, method: ["GET"], handler: (_req, res) => probe(res) }],
});
app.command("/upstream", async ({ ack }) => {
  await ack();
});
await app.start({ port: Number(process.env.PORT), host: "127.0.0.1" });
process.on("SIGTERM", () => process.exit(0));
