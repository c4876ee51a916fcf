// Baseline A for Teams: plain node:http that verifies the channel's RS256 JWT with node:crypto
// against keys fetched once from the (local) OpenID metadata — signature, issuer, audience,
// lifetime with 5 min skew, endorsement and serviceUrl claim — and returns 200 without replying.
// https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import { APP_ID, PROBE_PATH, TEAMS_PATH } from "../lib/constants.js";
import { eventLoopProbe } from "../lib/event-loop-probe.js";

const ISSUER = "https://api.botframework.com";
const probe = eventLoopProbe();

interface Jwk {
  kid: string;
  endorsements?: string[];
  [k: string]: unknown;
}

const metadata = (await (await fetch(String(process.env.OPENID_URL))).json()) as { jwks_uri: string };
const jwks = (await (await fetch(metadata.jwks_uri)).json()) as { keys: Jwk[] };
const keys = new Map<string, { key: KeyObject; endorsements: string[] }>(
  jwks.keys.map((k) => [
    k.kid,
    { key: createPublicKey({ key: k, format: "jwk" }), endorsements: k.endorsements ?? [] },
  ]),
);

function end(res: ServerResponse, status: number) {
  res.writeHead(status, { "content-length": 0 });
  res.end();
}

const json = (part: string | undefined) => JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8"));

function authorized(header: string | undefined, activity: { serviceUrl?: unknown; channelId?: unknown }) {
  const m = /^Bearer (\S+)$/.exec(header ?? "");
  const [h, p, s] = (m?.[1] ?? "").split(".");
  if (!h || !p || !s) return false;
  const head = json(h) as { alg?: string; kid?: string };
  const signer = head.alg === "RS256" && head.kid ? keys.get(head.kid) : undefined;
  if (!signer || !verify("sha256", Buffer.from(`${h}.${p}`), signer.key, Buffer.from(s, "base64url")))
    return false;
  const c = json(p) as Record<string, unknown>;
  const now = Date.now() / 1000;
  return (
    c.iss === ISSUER &&
    c.aud === APP_ID &&
    typeof c.exp === "number" &&
    c.exp + 300 > now &&
    (typeof c.nbf !== "number" || c.nbf - 300 < now) &&
    c.serviceurl === activity.serviceUrl &&
    signer.endorsements.includes(String(activity.channelId))
  );
}

const server = createServer((req, res) => {
  if (req.url === PROBE_PATH) return probe(res);
  if (req.method !== "POST" || req.url !== TEAMS_PATH) return end(res, 404);
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    try {
      const activity = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      end(res, authorized(req.headers.authorization, activity) ? 200 : 401);
    } catch {
      end(res, 400);
    }
  });
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => process.exit(0));
