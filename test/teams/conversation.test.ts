// Conversations end to end: signed activities into a real server and CloudAdapter, the real core,
// replies captured at the nocked connector (RELIABILITY 41, 42, 45, 46; issue 5 behaviour).
import { Writable } from "node:stream";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { loadCatalogFile } from "../../src/catalog/catalog-files.js";
import type { HelpAnswer } from "../../src/core/answer.js";
import { type Core, createCore } from "../../src/core/core.js";
import { createLogger } from "../../src/log.js";
import { renderAnswer, renderWelcome } from "../../src/teams/cards.js";
import { countingCore, refreshedCore } from "../support/counting-core.js";
import {
  type ActivityJson,
  botAdded,
  channelClaims,
  channelMention,
  makeKey,
  nockReply,
  nockToken,
  personalMessage,
  post,
  realCore,
  replyPath,
  SERVICE_URL,
  type SentActivity,
  signToken,
  useTeamsServer,
} from "./support.js";

const key = makeKey("k-conversation");
const token = () => signToken(key, channelClaims());
const logLines: string[] = [];
/** The Core the handler serves: the real one, swapped by the refresh test. */
let current: Core = realCore();

const h = useTeamsServer({
  keys: [key],
  overrides: {
    logger: createLogger({
      level: "debug",
      destination: new Writable({
        write(chunk, _enc, cb) {
          logLines.push(String(chunk));
          cb();
        },
      }),
    }),
    getCore: () => current,
  },
});

afterEach(async () => {
  await h.handler.drain();
  nock.cleanAll();
  nockToken();
});

/** Posts one activity, waits for its reply to reach the connector, returns what was sent. */
async function ask(activity: ActivityJson): Promise<SentActivity> {
  const sent: SentActivity[] = [];
  const scope = nockReply(activity.conversation.id, activity.id, sent);
  const res = await post(h.url, activity, token());
  expect(res.status).toBe(200);
  await h.handler.drain();
  expect(scope.isDone()).toBe(true);
  expect(sent).toHaveLength(1);
  return sent[0] as SentActivity;
}

const cardOf = (s: SentActivity) => (s.body.attachments as { content: unknown }[])[0]?.content;

describe("messages", () => {
  it("personal chat: the reply is the answer's card, addressed to the person's message", async () => {
    const q = "what replaced aad pod identity?";
    const activity = personalMessage(q);
    const sent = await ask(activity);
    const answer = realCore().ask(q);
    expect(sent.body).toMatchObject({
      type: "message",
      replyToId: activity.id,
      conversation: { id: "a:1personal-chat" },
      from: { id: activity.recipient && (activity.recipient as { id: string }).id },
      summary:
        "AAD Pod Identity (Archived): Enables K8s applications to access cloud resources securely with Azure Active Directory",
    });
    expect(sent.body.text).toBeUndefined();
    expect(sent.body.entities).toBeUndefined();
    expect(cardOf(sent)).toEqual(renderAnswer(answer));
    // The card names the successor with a button that opens its card.
    expect(JSON.stringify(cardOf(sent))).toContain(
      '{"type":"Action.Submit","title":"Azure Workload Identity","data":{"action":"open_project","id":"azure-workload-identity"}}',
    );
    expect(h.telemetry.answeredEvents.at(-1)).toMatchObject({
      platform: "teams",
      trigger: "dm",
      kind: "alternatives",
      intent: "alternatives",
    });
  });

  it("a channel @mention: the mention is stripped before the core and the reply goes to the same thread", async () => {
    const activity = channelMention("xyzzy frobnicate");
    const sent = await ask(activity);
    expect(sent.path).toBe(replyPath("19:abc123@thread.tacv2;messageid=1717000000000", activity.id));
    const answer = realCore().ask("xyzzy frobnicate");
    expect(answer.kind).toBe("not_found");
    expect(cardOf(sent)).toEqual(renderAnswer(answer));
    expect(h.telemetry.answeredEvents.at(-1)).toMatchObject({
      trigger: "mention",
      kind: "not_found",
      query: "xyzzy frobnicate",
    });
  });

  it('"hi", "hello" and "help" always answer with the help card', async () => {
    for (const q of ["hi", "hello", "help"]) {
      const sent = await ask(personalMessage(q));
      expect(cardOf(sent)).toEqual(renderAnswer(realCore().ask(q)));
      expect((cardOf(sent) as { fallbackText: string }).fallbackText).toMatch(
        /^I answer questions about the \d+ projects/,
      );
    }
  });

  it("a successor button (Action.Submit open_project) answers with that project's card", async () => {
    const activity = personalMessage("", {
      text: undefined,
      value: { action: "open_project", id: "azure-workload-identity" },
    });
    const sent = await ask(activity);
    expect(cardOf(sent)).toEqual(renderAnswer(realCore().project("azure-workload-identity")));
    expect(h.telemetry.answeredEvents.at(-1)).toMatchObject({ trigger: "action", kind: "project" });
  });

  it("an example button (ask) answers its question; a choice for kms offers both projects as buttons", async () => {
    const sent = await ask(personalMessage("", { text: undefined, value: { action: "ask", text: "kms" } }));
    const answer = realCore().ask("kms");
    expect(answer.kind).toBe("choices");
    expect(cardOf(sent)).toEqual(renderAnswer(answer));
    const json = JSON.stringify(cardOf(sent));
    expect(json).toContain('"data":{"action":"open_project","id":"kmsv2"}');
    expect(json).toContain('"data":{"action":"open_project","id":"kms-plugin-for-key-vault"}');
  });

  it("a value that is not one of our buttons is treated as typed text", async () => {
    const sent = await ask(personalMessage("eraser", { value: { action: "delete_everything" } }));
    expect(cardOf(sent)).toEqual(renderAnswer(realCore().ask("eraser")));
  });
});

describe("welcome", () => {
  it("the bot added (or the app installed) → the welcome card with example questions", async () => {
    const core = realCore();
    const sent = await ask(botAdded("personal"));
    expect(cardOf(sent)).toEqual(renderWelcome(core.overview(), core.ask("help") as HelpAnswer));
    expect(JSON.stringify(cardOf(sent))).toContain('"data":{"action":"ask","text":"eraser"}');
  });

  it("another member joining → no message", async () => {
    const activity = { ...botAdded("groupChat"), membersAdded: [{ id: "29:someone-else" }] };
    const scope = nockReply(activity.conversation.id, activity.id, []);
    expect((await post(h.url, activity, token())).status).toBe(200);
    await h.handler.drain();
    expect(scope.isDone()).toBe(false);
  });
});

describe("reliability", () => {
  it("42: the same activity delivered twice is answered once", async () => {
    const activity = personalMessage("gatekeeper");
    const sent: SentActivity[] = [];
    const scope = nock(SERVICE_URL.replace(/\/amer\/$/, ""))
      .post(replyPath(activity.conversation.id, activity.id))
      .times(2)
      .reply(200, (_uri, body) => {
        sent.push({ path: "", authorization: undefined, body: body as Record<string, unknown> });
        return { id: "r" };
      });
    const first = await post(h.url, activity, token());
    const second = await post(h.url, activity, token());
    await h.handler.drain();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(sent).toHaveLength(1);
    expect(scope.pendingMocks()).toHaveLength(1);
    expect(logLines.some((l) => l.includes("replayed activity ignored"))).toBe(true);
  });

  it("41: the HTTP request is answered before the reply is delivered (reply sent after the turn)", async () => {
    const activity = personalMessage("eraser");
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let delivered = false;
    nock(SERVICE_URL.replace(/\/amer\/$/, ""))
      .post(replyPath(activity.conversation.id, activity.id))
      .reply((_uri, _body, cb) => {
        void gate.then(() => {
          delivered = true;
          cb(null, [200, { id: "r" }]);
        });
      });
    // If the turn waited for the connector, this would never resolve (the gate opens only after).
    const res = await post(h.url, activity, token());
    expect(res.status).toBe(200);
    expect(delivered).toBe(false);
    release();
    await h.handler.drain();
    expect(delivered).toBe(true);
  });

  it("45: user text is echoed literally: no markdown link, emphasis, mention entity or card expression", async () => {
    const typed = "**zzqx** [qqxz](https://qqxz.invalid) {{TIME(2017-02-14T06:08:39Z)}} <at>Everyone</at>";
    const answer = realCore().ask(typed);
    expect(answer.kind).toBe("not_found");
    const sent = await ask(personalMessage(typed));
    const card = cardOf(sent);
    expect(card).toEqual(renderAnswer(answer));
    expect(sent.body.entities).toBeUndefined();
    const json = JSON.stringify(card);
    expect(json).not.toContain("<at>");
    expect(json).not.toContain("{{");
    // The echo is a TextRun (never parsed as markdown); markdown-parsed text is escaped.
    expect(json).toContain('{"type":"TextRun","text":"“**zzqx** [qqxz](https://qqxz.invalid) {\u200b{TIME');
    const fallback = (card as { fallbackText: string }).fallbackText;
    expect(fallback).toContain("\\*\\*zzqx\\*\\* \\[qqxz\\]\\(https://qqxz.invalid\\)");
  });

  it("46: 20 concurrent messages are all answered with no use of a finished TurnContext", async () => {
    const activities = Array.from({ length: 20 }, (_, i) => personalMessage(i % 2 ? "eraser" : "kms"));
    const sent: SentActivity[] = [];
    for (const a of activities) nockReply(a.conversation.id, a.id, sent);
    const failedBefore = h.telemetry.failedEvents.length;
    const results = await Promise.all(activities.map((a) => post(h.url, a, token())));
    await h.handler.drain();
    expect(results.map((r) => r.status)).toEqual(activities.map(() => 200));
    expect(sent).toHaveLength(20);
    expect(new Set(sent.map((s) => s.body.replyToId))).toEqual(new Set(activities.map((a) => a.id)));
    expect(h.telemetry.failedEvents.length).toBe(failedBefore);
    expect(logLines.filter((l) => /revoked|"level":50/.test(l))).toEqual([]);
  });
});

describe("an activity without an id", () => {
  it("is answered with a new message in its conversation, since there is nothing to reply to", async () => {
    const { id: _none, ...activity } = personalMessage("eraser");
    const sent: SentActivity[] = [];
    const scope = nock(SERVICE_URL.replace(/\/amer\/$/, ""))
      .post(`/amer/v3/conversations/${encodeURIComponent(activity.conversation.id)}/activities`)
      .reply((uri, body) => {
        sent.push({ path: uri, authorization: undefined, body: body as Record<string, unknown> });
        return [200, { id: "new-1" }];
      });
    expect((await post(h.url, activity, token())).status).toBe(200);
    await h.handler.drain();
    expect(scope.isDone()).toBe(true);
    expect(sent[0]?.body).toMatchObject({ type: "message", conversation: { id: activity.conversation.id } });
    expect(sent[0]?.body.replyToId).toBeUndefined();
  });
});

describe("rendered replies", () => {
  it("the same question reuses the rendered card until the catalog changes", async () => {
    const before = countingCore(createCore(loadCatalogFile()));
    current = before;
    try {
      const first = await ask(personalMessage("eraser"));
      const second = await ask(personalMessage("eraser"));
      expect(before.calls).toBe(1);
      expect(second.body.attachments).toEqual(first.body.attachments);
      // Each reply is still addressed to its own message.
      expect(second.body.replyToId).not.toBe(first.body.replyToId);

      const after = refreshedCore("A goal only the refreshed catalog has");
      current = after;
      const third = await ask(personalMessage("eraser"));
      expect(after.calls).toBe(1);
      expect(JSON.stringify(first.body)).not.toContain("A goal only the refreshed catalog has");
      expect(JSON.stringify(third.body)).toContain("A goal only the refreshed catalog has");
    } finally {
      current = realCore();
    }
  });
});
