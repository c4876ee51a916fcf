// Baseline A for Slack: plain node:http that buffers the body, verifies the v0 HMAC over the raw
// bytes (±300 s), parses the form and returns a fixed JSON ack. The least any correct slash-command
// endpoint must do. https://docs.slack.dev/authentication/verifying-requests-from-slack
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { PROBE_PATH, SIGNING_SECRET, SLACK_PATH } from "../lib/constants.js";
import { eventLoopProbe } from "../lib/event-loop-probe.js";

const ACK = JSON.stringify({ response_type: "ephemeral", text: "ok" });
const probe = eventLoopProbe();

function end(res: ServerResponse, status: number, body?: string) {
  res.writeHead(status, body ? { "content-type": "application/json" } : {});
  res.end(body);
}

function verified(req: IncomingMessage, raw: Buffer): boolean {
  const ts = req.headers["x-slack-request-timestamp"];
  const sig = req.headers["x-slack-signature"];
  if (typeof ts !== "string" || typeof sig !== "string") return false;
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
  const mac = `v0=${createHmac("sha256", SIGNING_SECRET).update(`v0:${ts}:`).update(raw).digest("hex")}`;
  return mac.length === sig.length && timingSafeEqual(Buffer.from(mac), Buffer.from(sig));
}

const server = createServer((req, res) => {
  if (req.url === PROBE_PATH) return probe(res);
  if (req.method !== "POST" || req.url !== SLACK_PATH) return end(res, 404);
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const raw = Buffer.concat(chunks);
    if (!verified(req, raw)) return end(res, 401);
    const form = new URLSearchParams(raw.toString("utf8"));
    if (form.get("command") !== "/upstream") return end(res, 404);
    end(res, 200, ACK);
  });
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => process.exit(0));
