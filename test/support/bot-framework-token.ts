// Bot Framework channel tokens made locally: an RSA key that plays the channel's signing key (its
// JWK carries the `endorsements` the SDK checks) and RS256 JWTs signed with it.
// https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
// Shared by the Teams, server, fuzz, soak and fault tests and by the benchmarks (no test framework here).
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";

export const CHANNEL_ISSUER = "https://api.botframework.com";

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  /** The public half as the channel's JWKS lists it. */
  jwk: Record<string, unknown>;
}

export function makeKey(kid: string, endorsements: string[] = ["msteams"]): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pub = publicKey.export({ format: "jwk" });
  return { kid, privateKey, jwk: { kty: "RSA", use: "sig", kid, n: pub.n, e: pub.e, endorsements } };
}

export const b64url = (x: Buffer | string): string => Buffer.from(x).toString("base64url");

export function signToken(
  key: SigningKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const h = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: key.kid, ...header }));
  const p = b64url(JSON.stringify(claims));
  const sig = sign("sha256", Buffer.from(`${h}.${p}`), key.privateKey);
  return `${h}.${p}.${b64url(sig)}`;
}

/** An unsigned token with `alg: none`. */
export function noneToken(kid: string, claims: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: "none", typ: "JWT", kid }))}.${b64url(JSON.stringify(claims))}.`;
}

/** Claims of a token the channel sends to the bot `appId` for activities from `serviceUrl`, valid for an hour. */
export function channelClaims(
  appId: string,
  serviceUrl: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: CHANNEL_ISSUER,
    aud: appId,
    serviceurl: serviceUrl,
    nbf: now - 60,
    iat: now - 60,
    exp: now + 3600,
    ...overrides,
  };
}
