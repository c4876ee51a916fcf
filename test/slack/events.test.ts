// Events API: mentions answered in thread, DMs answered in the DM, App Home, link unfurls, bots
// ignored (case 19), redeliveries deduped across replicas (16, 17), the text-only retry (27),
// and start-up that never waits for Slack's API.
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMemoryEventStore, type EventStore } from "../../src/slack/index.js";
import {
  allowOnlyLocalhost,
  BOT_ID,
  BOT_USER_ID,
  eventEnvelope,
  type Harness,
  SLACK_API,
  sendEvent,
  slackApi,
  startSlack,
} from "./helpers.js";

beforeAll(() => allowOnlyLocalhost());
afterEach(() => nock.cleanAll());

describe("mentions and DMs", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSlack();
  });
  afterAll(() => h.close());

  it("answers an @mention in the thread of the mention, without link_names or parse", async () => {
    const api = slackApi("chat.postMessage");
    const res = await sendEvent(h.url, eventEnvelope("app_mention", {}, "EvMention1"));
    expect(res.status).toBe(200);
    await h.handler.drain();
    expect(api.bodies).toHaveLength(1);
    const body = api.bodies[0] as Record<string, unknown>;
    expect(body).toMatchObject({
      channel: "C0LAN2Q65",
      thread_ts: "1515449438.000011",
      unfurl_links: "false",
    });
    expect(body).not.toHaveProperty("link_names");
    expect(body).not.toHaveProperty("parse");
    expect(String(body.text)).toContain(
      "AAD Pod Identity is archived. Use instead: Azure Workload Identity.",
    );
    expect(JSON.stringify(body.blocks)).toContain("Open Azure Workload Identity");
    expect(h.telemetry.answers.at(-1)).toEqual(
      expect.objectContaining({ trigger: "mention", kind: "alternatives" }),
    );
  });

  it("answers a mention inside a thread in that thread (thread_ts, not ts)", async () => {
    const api = slackApi("chat.postMessage");
    await sendEvent(
      h.url,
      eventEnvelope(
        "app_mention",
        { channel: "C_THREAD", thread_ts: "1515449000.000001", text: "<@U0LAN0Z89> eraser" },
        "EvMention2",
      ),
    );
    await h.handler.drain();
    expect(api.bodies[0]).toMatchObject({ thread_ts: "1515449000.000001" });
  });

  it("answers a direct message in the DM", async () => {
    const api = slackApi("chat.postMessage");
    await sendEvent(h.url, eventEnvelope("message_im", {}, "EvDm1"));
    await h.handler.drain();
    expect(api.bodies).toHaveLength(1);
    expect(api.bodies[0]).toMatchObject({ channel: "D024BE91L" });
    expect(api.bodies[0]).not.toHaveProperty("thread_ts");
    expect(h.telemetry.answers.at(-1)).toEqual(expect.objectContaining({ trigger: "dm", kind: "project" }));
  });

  describe("19: no loops", () => {
    const cases: [string, string, Record<string, unknown>][] = [
      [
        "our own bot_message in a DM",
        "message_im",
        { subtype: "bot_message", bot_id: BOT_ID, user: undefined },
      ],
      ["another bot's DM message", "message_im", { bot_id: "B_OTHER" }],
      ["a DM message from our bot user (ignoreSelf)", "message_im", { user: BOT_USER_ID }],
      ["an edited DM message", "message_im", { subtype: "message_changed" }],
      ["a mention posted by a bot", "app_mention", { bot_id: "B_OTHER" }],
      ["a mention posted by ourselves", "app_mention", { bot_id: BOT_ID, user: BOT_USER_ID }],
      ["a mention inside a DM (the message listener answers those)", "app_mention", { channel: "D024BE91L" }],
    ];
    it.each(cases)("ignores %s", async (_name, fixtureName, change) => {
      const api = slackApi("chat.postMessage");
      const res = await sendEvent(h.url, eventEnvelope(fixtureName, change, `EvBot${Math.random()}`));
      expect(res.status).toBe(200);
      await h.handler.drain();
      expect(api.bodies).toEqual([]);
    });
  });
});

describe("redeliveries (cases 16, 17)", () => {
  let a: Harness;
  let b: Harness;
  let store: EventStore;
  beforeAll(async () => {
    store = createMemoryEventStore();
    a = await startSlack({ eventStore: store });
    b = await startSlack({ eventStore: store });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });
  const retry = (n: number) => ({
    headers: { "x-slack-retry-num": String(n), "x-slack-retry-reason": "http_timeout" },
  });

  it("16: the same event_id redelivered to a second replica (shared store) → 200 and one post", async () => {
    const api = slackApi("chat.postMessage", undefined, 2);
    const env = eventEnvelope("app_mention", {}, "EvRetry16");
    expect((await sendEvent(a.url, env)).status).toBe(200);
    await a.handler.drain();
    expect((await sendEvent(b.url, env, retry(1))).status).toBe(200);
    expect((await sendEvent(a.url, env, retry(2))).status).toBe(200);
    await b.handler.drain();
    expect(api.bodies).toHaveLength(1);
    expect(b.telemetry.rejections).toEqual(["duplicate_event"]);
  });

  it("16: a redelivery that arrives while the first attempt is still posting is not answered twice", async () => {
    const posted: unknown[] = [];
    const slow = nock(SLACK_API)
      .post("/api/chat.postMessage")
      .delay(300)
      .times(2)
      .reply(200, (_u, body) => {
        posted.push(body);
        return { ok: true };
      });
    const env = eventEnvelope("app_mention", { channel: "C16B" }, "EvRetry16b");
    await sendEvent(a.url, env);
    expect((await sendEvent(b.url, env, retry(1))).status).toBe(200);
    await a.handler.drain();
    await b.handler.drain();
    expect(posted).toHaveLength(1);
    expect(slow.pendingMocks()).toHaveLength(1);
  });

  it("17: a first attempt that failed before its side effect is processed on retry", async () => {
    let calls = 0;
    const api = slackApi(
      "chat.postMessage",
      () => {
        calls += 1;
        // Three failures exhaust the first attempt's retry budget; the redelivery then succeeds.
        return calls <= 3 ? [500, "upstream error"] : [200, { ok: true }];
      },
      4,
    );
    const env = eventEnvelope("app_mention", { channel: "C17" }, "EvRetry17");
    expect((await sendEvent(a.url, env)).status).toBe(200);
    await a.handler.drain();
    expect(a.telemetry.failures.at(-1)).toEqual(expect.objectContaining({ stage: "chat.postMessage" }));
    expect((await sendEvent(b.url, env, retry(1))).status).toBe(200);
    await b.handler.drain();
    expect(api.bodies).toHaveLength(4);
    expect(b.telemetry.answers.at(-1)).toEqual(expect.objectContaining({ trigger: "mention" }));
    // …and once it succeeded, a further redelivery is a duplicate.
    await sendEvent(a.url, env, retry(2));
    await a.handler.drain();
    expect(api.bodies).toHaveLength(4);
  });

  it("17: an event store that fails → 500 so Slack retries; the retry is processed", async () => {
    let fail = true;
    const inner = createMemoryEventStore();
    const flaky: EventStore = {
      claim: (id) => (fail ? Promise.reject(new Error("store down")) : inner.claim(id)),
      complete: (id) => inner.complete(id),
      release: (id) => inner.release(id),
    };
    const h = await startSlack({ eventStore: flaky });
    try {
      const api = slackApi("chat.postMessage");
      const env = eventEnvelope("app_mention", { channel: "C17S" }, "EvStore17");
      expect((await sendEvent(h.url, env)).status).toBe(500);
      fail = false;
      expect((await sendEvent(h.url, env, retry(1))).status).toBe(200);
      await h.handler.drain();
      expect(api.bodies).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});

describe("27: blocks Slack refuses", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSlack();
  });
  afterAll(() => h.close());

  it.each(["invalid_blocks", "msg_blocks_too_long"])(
    "retries once with the text only when chat.postMessage answers %s",
    async (error) => {
      const api = slackApi(
        "chat.postMessage",
        (_b, n) => (n === 1 ? [200, { ok: false, error }] : [200, { ok: true }]),
        2,
      );
      await sendEvent(
        h.url,
        eventEnvelope("message_im", { text: "list", channel: `D27${error}` }, `Ev27${error}`),
      );
      await h.handler.drain();
      expect(api.bodies).toHaveLength(2);
      expect(api.bodies[0]).toHaveProperty("blocks");
      expect(api.bodies[1]).not.toHaveProperty("blocks");
      expect(api.bodies[1]?.text).toBe(api.bodies[0]?.text);
    },
  );

  it("does not retry other platform errors", async () => {
    const api = slackApi("chat.postMessage", () => [200, { ok: false, error: "channel_not_found" }]);
    await sendEvent(h.url, eventEnvelope("message_im", { channel: "D27OTHER" }, "Ev27other"));
    await h.handler.drain();
    expect(api.bodies).toHaveLength(1);
    expect(h.telemetry.failures.at(-1)).toEqual(expect.objectContaining({ stage: "chat.postMessage" }));
  });
});

describe("App Home and unfurls", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSlack();
  });
  afterAll(() => h.close());

  it("publishes the overview when the Home tab opens", async () => {
    const api = slackApi("views.publish");
    await sendEvent(h.url, eventEnvelope("app_home_opened", {}, "EvHome1"));
    await h.handler.drain();
    expect(api.bodies).toHaveLength(1);
    expect(api.bodies[0]).toMatchObject({ user_id: "U061F7AUR", view: { type: "home" } });
    expect(JSON.stringify(api.bodies[0]?.view)).toContain("Azure Workload Identity");
  });

  it("does nothing when the Messages tab opens", async () => {
    const api = slackApi("views.publish");
    await sendEvent(h.url, eventEnvelope("app_home_opened", { tab: "messages" }, "EvHome2"));
    await h.handler.drain();
    expect(api.bodies).toEqual([]);
  });

  it("unfurls a catalog project's URL (with its warning) and leaves other URLs alone", async () => {
    const api = slackApi("chat.unfurl");
    await sendEvent(h.url, eventEnvelope("link_shared", {}, "EvLink1"));
    await h.handler.drain();
    expect(api.bodies).toHaveLength(1);
    const body = api.bodies[0] as { unfurls: Record<string, unknown>; unfurl_id: string; source: string };
    expect(body.unfurl_id).toBe("C123ABC456.1234567890.123456.12345abcdef");
    expect(body.source).toBe("conversations_history");
    expect(Object.keys(body.unfurls)).toEqual(["https://github.com/Azure/aad-pod-identity"]);
    expect(JSON.stringify(body.unfurls)).toContain(
      "Use instead: <https://azure.github.io/azure-workload-identity/|Azure Workload Identity>",
    );
    expect(h.telemetry.answers.at(-1)).toEqual(
      expect.objectContaining({ trigger: "unfurl", kind: "project" }),
    );
  });

  it("unfurls by channel and ts when Slack gives no unfurl_id", async () => {
    const api = slackApi("chat.unfurl");
    await sendEvent(
      h.url,
      eventEnvelope("link_shared", { unfurl_id: undefined, source: undefined }, "EvLink2"),
    );
    await h.handler.drain();
    expect(api.bodies[0]).toMatchObject({ channel: "C123ABC456", ts: "1234567890.123456" });
  });

  it("makes no call when no link is a catalog project", async () => {
    const api = slackApi("chat.unfurl");
    await sendEvent(
      h.url,
      eventEnvelope(
        "link_shared",
        { links: [{ domain: "example.com", url: "https://example.com/x" }] },
        "EvLink3",
      ),
    );
    await h.handler.drain();
    expect(api.bodies).toEqual([]);
  });
});

describe("start-up without Slack's API", () => {
  it("answers while auth.test fails, and looks the bot's ids up lazily in the background", async () => {
    const h = await startSlack({ botId: undefined, botUserId: undefined });
    try {
      const auth = slackApi("auth.test", () => [500, "down"], 3);
      const api = slackApi("chat.postMessage");
      await sendEvent(h.url, eventEnvelope("message_im", {}, "EvLazy1"));
      await h.handler.drain();
      expect(api.bodies).toHaveLength(1);
      expect(auth.bodies).toHaveLength(3);
    } finally {
      await h.close();
    }
  });

  it("uses the ids auth.test returned to ignore its own user's messages", async () => {
    const h = await startSlack({ botId: undefined, botUserId: undefined });
    try {
      const auth = slackApi("auth.test", () => [200, { ok: true, user_id: "U_LAZY", bot_id: "B_LAZY" }]);
      const api = slackApi("chat.postMessage", undefined, 2);
      await sendEvent(h.url, eventEnvelope("message_im", {}, "EvLazy2"));
      await h.handler.drain();
      expect(auth.bodies).toHaveLength(1);
      await sendEvent(h.url, eventEnvelope("message_im", { user: "U_LAZY" }, "EvLazy3"));
      await h.handler.drain();
      expect(api.bodies).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});
