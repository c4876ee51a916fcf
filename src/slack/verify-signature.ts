// Slack request signing (v0): HMAC-SHA256 over `v0:<timestamp>:<raw body bytes>`, compared in
// constant time. Stricter than bolt's verify-request.ts: the timestamp must be an integer and
// within 300 s in BOTH directions, and the header checks run before any body byte is read.
// https://docs.slack.dev/authentication/verifying-requests-from-slack
import { createHmac, timingSafeEqual } from "node:crypto";

export const MAX_CLOCK_SKEW_SECONDS = 300;

export type SignatureFailure =
  | "missing_signature_headers"
  | "bad_timestamp"
  | "stale_timestamp"
  | "unsupported_signature_version"
  | "signature_mismatch";

export class SignatureError extends Error {
  constructor(readonly reason: SignatureFailure) {
    super(`Slack request signature rejected: ${reason}`);
    this.name = "SignatureError";
  }
}

export interface SignatureHeaders {
  signature: string;
  timestamp: number;
}

const V0 = /^v0=([0-9a-f]{64})$/;

/**
 * Checks the headers alone (cheap, before reading the body): both present and single, an
 * integer timestamp within the allowed skew of `nowMs`, a `v0=` signature of the right shape.
 */
export function checkSignatureHeaders(
  signature: string | string[] | undefined,
  timestamp: string | string[] | undefined,
  nowMs: number = Date.now(),
): SignatureHeaders {
  if (typeof signature !== "string" || typeof timestamp !== "string")
    throw new SignatureError("missing_signature_headers");
  if (!/^\d{1,12}$/.test(timestamp)) throw new SignatureError("bad_timestamp");
  const ts = Number(timestamp);
  if (Math.abs(Math.floor(nowMs / 1000) - ts) > MAX_CLOCK_SKEW_SECONDS)
    throw new SignatureError("stale_timestamp");
  if (!V0.test(signature)) throw new SignatureError("unsupported_signature_version");
  return { signature, timestamp: ts };
}

export function computeSignature(signingSecret: string, timestamp: number, rawBody: Buffer): string {
  const hmac = createHmac("sha256", signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest("hex")}`;
}

/** Verifies the HMAC over the raw bytes exactly as received (never a re-serialised body). */
export function verifySignature(signingSecret: string, headers: SignatureHeaders, rawBody: Buffer): void {
  const expected = Buffer.from(computeSignature(signingSecret, headers.timestamp, rawBody), "utf8");
  const given = Buffer.from(headers.signature, "utf8");
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    throw new SignatureError("signature_mismatch");
}
