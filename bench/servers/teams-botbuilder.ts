// Baseline B for Teams: a bare botbuilder CloudAdapter with an ActivityHandler that replies with a
// fixed text during the turn, on node:http with JSON.parse as its only middleware (the leanest host
// botbuilder allows). Channel keys come from the local OpenID metadata, the outbound token from
// botbuilder's token cache (seeded by ../lib/seed-token-cache.ts), replies go to the activity's
// local serviceUrl.
// https://learn.microsoft.com/azure/bot-service/bot-builder-basics
import { createServer } from "node:http";
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from "botbuilder";
import { APP_ID, APP_PASSWORD, PROBE_PATH, TEAMS_PATH } from "../lib/constants.js";
import { eventLoopProbe } from "../lib/event-loop-probe.js";

const probe = eventLoopProbe();
const adapter = new CloudAdapter(
  new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: APP_PASSWORD,
    // botbuilder takes these all or none: the public cloud's values, with the OpenID metadata local.
    ToBotFromChannelOpenIdMetadataUrl: String(process.env.OPENID_URL),
    ToChannelFromBotLoginUrl: "https://login.microsoftonline.com/botframework.com",
    ToChannelFromBotOAuthScope: "https://api.botframework.com",
    ToBotFromChannelTokenIssuer: "https://api.botframework.com",
    OAuthUrl: "https://api.botframework.com",
    ToBotFromEmulatorOpenIdMetadataUrl:
      "https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration",
    CallerId: "urn:botframework:azure",
    ValidateAuthority: true,
  }),
);
adapter.onTurnError = async (_ctx, error) => {
  process.stderr.write(`turn error: ${error instanceof Error ? error.message : String(error)}\n`);
};

class FixedReplyBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (ctx, next) => {
      await ctx.sendActivity("Eraser: a tool that removes unused images from Kubernetes nodes.");
      await next();
    });
  }
}
const bot = new FixedReplyBot();

const server = createServer((req, res) => {
  if (req.url === PROBE_PATH) return probe(res);
  if (req.method !== "POST" || req.url !== TEAMS_PATH) {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", async () => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400).end();
      return;
    }
    // The express-shaped response CloudAdapter.process writes to.
    let status = 500;
    let payload: unknown;
    const shim = {
      socket: null,
      status(code: number) {
        status = code;
        return shim;
      },
      header() {
        return shim;
      },
      send(b: unknown) {
        payload = b;
        return shim;
      },
      end() {
        return shim;
      },
    };
    try {
      await adapter.process(
        { method: req.method ?? "POST", headers: req.headers, body } as never,
        shim as never,
        (ctx) => bot.run(ctx),
      );
    } catch {
      status = 500;
    }
    const text = payload === undefined ? "" : typeof payload === "string" ? payload : JSON.stringify(payload);
    res.writeHead(status, { "content-length": Buffer.byteLength(text) });
    res.end(text);
  });
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => process.exit(0));
