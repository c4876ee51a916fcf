// Slack's v0 request signature, computed independently of the code under test: HMAC-SHA256 over
// `v0:<timestamp>:<raw body>`. https://docs.slack.dev/authentication/verifying-requests-from-slack
// Shared by the Slack, server, fuzz, soak and fault tests and by the benchmarks (no test framework here).
import { createHmac } from "node:crypto";

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The two headers Slack sends with a request whose body is `body`. */
export function slackSignature(
  body: string | Buffer,
  secret: string,
  ts: number | string = nowSeconds(),
): { "x-slack-signature": string; "x-slack-request-timestamp": string } {
  const mac = createHmac("sha256", secret).update(`v0:${ts}:`).update(body).digest("hex");
  return { "x-slack-signature": `v0=${mac}`, "x-slack-request-timestamp": String(ts) };
}
