// Socket Mode (development only): chosen by the app token, started in the background so start-up
// never waits for Slack, and a failed connection is logged and retried instead of crashing.
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { allowOnlyLocalhost, SLACK_API, startSlack } from "./helpers.js";

beforeAll(() => allowOnlyLocalhost());
afterEach(() => nock.cleanAll());

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 10));
  expect(check(), what).toBe(true);
}

describe("Socket Mode", () => {
  it("starts without waiting for Slack, logs a refused connection, and stops cleanly", async () => {
    let opens = 0;
    nock(SLACK_API)
      .post("/api/apps.connections.open")
      .times(5)
      .reply(200, () => {
        opens += 1;
        return { ok: false, error: "invalid_auth" };
      });
    const h = await startSlack({ appToken: "xapp-1-test" });
    try {
      expect(h.handler.mode).toBe("socket");
      await until(
        () => h.logs.some((l) => l.level >= 50 && String(l.msg).includes("Socket Mode could not connect")),
        "the failed connection is logged",
      );
      expect(opens).toBeGreaterThanOrEqual(1);
      const res = await fetch(h.url, { method: "POST", body: "{}" });
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("Socket Mode");
    } finally {
      await h.close();
    }
  });
});
