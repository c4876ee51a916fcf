// Puts a Bot Framework access token into botframework-connector's public token cache
// (AppCredentials.cache), as if the first token request had already happened. Loaded with
// `node --import` into the Teams servers B and C of the benchmarks (it reads MicrosoftAppId), and
// called by the in-process soak test; never used in production. The password flow goes through
// MSAL, which only accepts an https authority and asks login.microsoftonline.com to validate any
// other host, so a local token endpoint cannot stand in for it; with the cache seeded no token
// request is made at all, and every other step of sending a reply runs as in production.
import { createRequire } from "node:module";

export function seedTokenCache(appId: string): void {
  // Resolved from the working directory (the repository), so it is the instance botbuilder uses.
  const require = createRequire(`${process.cwd()}/`);
  const { AppCredentials } = require("botframework-connector") as {
    AppCredentials: { cache: Map<string, { accessToken: string; expiresOn: Date }> };
  };
  AppCredentials.cache.set(`${appId}https://api.botframework.com-cache`, {
    accessToken: "benchmark-access-token",
    expiresOn: new Date(Date.now() + 24 * 3600_000),
  });
}

const appId = process.env.MicrosoftAppId;
if (appId && process.env.BENCH_SEED_TOKEN === "1") seedTokenCache(appId);
