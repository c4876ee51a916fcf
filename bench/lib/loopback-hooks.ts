// Sends response_url posts for hooks.slack.com to a local edge instead. Loaded with `node --import`
// into the server of `npm run bench:soak` (it reads BENCH_HOOKS_URL), and called by the in-process
// soak test; never used in production. The Slack adapter only posts to Slack's own hosts, so
// without this the soak's button clicks would try to reach the internet; every other request of
// the server is left as it is.
export function redirectSlackHooks(target: string): void {
  const real = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.hostname !== "hooks.slack.com") return real(input, init);
    return real(`${target.replace(/\/$/, "")}/hooks${url.pathname}${url.search}`, init);
  };
}

if (process.env.BENCH_HOOKS_URL) redirectSlackHooks(process.env.BENCH_HOOKS_URL);
