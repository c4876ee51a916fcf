// `/upstream`: the card in the ack, help when empty, the ack budget with response_url delivery
// (case 14), failures before and after ack (case 15), response_url use (case 20) and escaping
// of the echoed query (cases 24, 26) — all through the real Bolt app over HTTP.
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCatalogFile } from "../../src/catalog/catalog-files.js";
import type { Answer } from "../../src/core/answer.js";
import { type Core, createCore } from "../../src/core/core.js";
import { ERROR_TEXT, LOOKING_UP_TEXT } from "../../src/slack/listeners/command.js";
import { countingCore, refreshedCore } from "../support/counting-core.js";
import {
  allowOnlyLocalhost,
  fixture,
  type Harness,
  realCore,
  responseUrl,
  sendCommand,
  sendForm,
  startSlack,
} from "./helpers.js";

interface Ack {
  response_type: string;
  text: string;
  blocks?: { type: string; [k: string]: unknown }[];
}

beforeAll(() => allowOnlyLocalhost());
afterEach(() => nock.cleanAll());

describe("answers in the ack", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSlack();
  });
  afterAll(() => h.close());

  it("answers `/upstream eraser` ephemerally with the card, the restated query and a Share button", async () => {
    const res = await sendCommand(h.url, "eraser");
    const ack = (await res.json()) as Ack;
    expect(ack.response_type).toBe("ephemeral");
    expect(ack.text.length).toBeGreaterThan(0);
    expect(ack.blocks?.[0]).toEqual({
      type: "context",
      elements: [{ type: "plain_text", text: "You asked: “eraser”" }],
    });
    expect(ack.blocks?.find((b) => b.type === "header")).toEqual({
      type: "header",
      text: { type: "plain_text", text: "Eraser · Active" },
    });
    expect(JSON.stringify(ack.blocks)).toContain('"action_id":"share_in_channel"');
    expect(JSON.stringify(ack.blocks)).toContain('"value":"q:eraser"');
  });

  it("answers `/upstream` alone with help", async () => {
    const ack = (await (await sendCommand(h.url, "")).json()) as Ack;
    expect(ack.blocks?.[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "What I can tell you" },
    });
    expect(JSON.stringify(ack.blocks)).toContain("`/upstream what replaced aad pod identity?`");
    expect(h.telemetry.answers.at(-1)).toEqual(expect.objectContaining({ kind: "help", trigger: "command" }));
  });

  it("offers no Share button on help or on a question back", async () => {
    for (const q of ["help", "kms", "xyzzy-nothing"]) {
      const ack = (await (await sendCommand(h.url, q)).json()) as Ack;
      expect(JSON.stringify(ack.blocks)).not.toContain("share_in_channel");
    }
  });

  it("reports a not_found query to telemetry, and only then", async () => {
    await sendCommand(h.url, "xyzzy-nothing");
    expect(h.telemetry.answers.at(-1)).toEqual(
      expect.objectContaining({ kind: "not_found", query: "xyzzy-nothing", trigger: "command" }),
    );
    await sendCommand(h.url, "eraser");
    expect(h.telemetry.answers.at(-1)).not.toHaveProperty("query");
  });

  it("24/26: a query with <!channel>, <@U…> and a link is echoed only as escaped plain_text", async () => {
    const text = "&lt;!channel&gt; hi <@U123> <!here> <https://evil.example|click> *bold* R&D";
    const res = await sendCommand(h.url, text);
    const raw = await res.text();
    expect(raw).not.toMatch(/<[!@#]/);
    expect(raw).not.toContain("<https://evil");
    const ack = JSON.parse(raw) as Ack;
    const echo = ack.blocks?.find((b) => b.type === "context" && JSON.stringify(b).includes("You asked"));
    expect(echo).toEqual({
      type: "context",
      elements: [{ type: "plain_text", text: "You asked: “hi click *bold* R&amp;D”" }],
    });
  });
});

describe("the ack budget (case 14) and response_url (case 20)", () => {
  let h: Harness;
  let ask: (text: string) => Answer | Promise<Answer>;
  beforeAll(async () => {
    const real = realCore();
    const slow = { ...real, ask: (t: string) => ask(t) } as unknown as Core;
    h = await startSlack({ getCore: () => slow, ackBudgetMs: 50 });
  });
  afterAll(() => h.close());

  it("14: a core slower than the budget → ack 'Looking that up…' and the card posted once to response_url", async () => {
    const real = realCore();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    ask = async (t) => {
      await gate;
      return real.ask(t);
    };
    const hook = responseUrl("/commands/1234/5678", 2);
    const res = await sendCommand(h.url, "eraser");
    // The ack came back while the core was still blocked on the gate.
    expect(await res.json()).toEqual({ response_type: "ephemeral", text: LOOKING_UP_TEXT });
    expect(hook.bodies).toEqual([]);
    release();
    await h.handler.drain();
    expect(hook.bodies).toHaveLength(1);
    expect(hook.bodies[0]).toMatchObject({ response_type: "ephemeral", replace_original: true });
    expect(JSON.stringify(hook.bodies[0])).toContain("Eraser · Active");
    expect(h.telemetry.answers.at(-1)).toEqual(
      expect.objectContaining({ kind: "project", trigger: "command" }),
    );
  });

  it("20: when the slow answer fails, the 'Looking that up…' message is replaced by an error: one post in all", async () => {
    ask = () => new Promise((_r, reject) => setTimeout(() => reject(new Error("core exploded")), 150));
    const hook = responseUrl("/commands/1234/5678", 3);
    const res = await sendCommand(h.url, "eraser");
    expect(await res.json()).toEqual({ response_type: "ephemeral", text: LOOKING_UP_TEXT });
    await h.handler.drain();
    expect(hook.bodies).toEqual([{ response_type: "ephemeral", replace_original: true, text: ERROR_TEXT }]);
    expect(h.telemetry.failures.at(-1)).toEqual(
      expect.objectContaining({ platform: "slack", stage: "core" }),
    );
  });

  it("a fast async core still answers in the ack, with no response_url post", async () => {
    const real = realCore();
    ask = async (t) => real.ask(t);
    const hook = responseUrl("/commands/1234/5678");
    const ack = (await (await sendCommand(h.url, "eraser")).json()) as Ack;
    expect(ack.blocks?.length).toBeGreaterThan(3);
    await h.handler.drain();
    expect(hook.bodies).toEqual([]);
  });
});

describe("a repeated command", () => {
  it("reuses the rendered ack for the same text and catalog, and renders afresh for a new catalog", async () => {
    const before = countingCore(createCore(loadCatalogFile()));
    let current: Core = before;
    const h = await startSlack({ getCore: () => current });
    try {
      const first = await (await sendCommand(h.url, "eraser")).text();
      const second = await (await sendCommand(h.url, "eraser")).text();
      expect(second).toBe(first);
      expect(before.calls).toBe(1);
      // Every answer is still reported, cached or not.
      expect(h.telemetry.answers.filter((a) => a.trigger === "command")).toHaveLength(2);
      await sendCommand(h.url, "gatekeeper");
      expect(before.calls).toBe(2);

      // A live refresh swaps the Core: the next ack comes from the new catalog.
      const after = refreshedCore("A goal only the refreshed catalog has");
      current = after;
      const third = await (await sendCommand(h.url, "eraser")).text();
      expect(after.calls).toBe(1);
      expect(first).not.toContain("A goal only the refreshed catalog has");
      expect(third).toContain("A goal only the refreshed catalog has");
    } finally {
      await h.close();
    }
  });
});

describe("failures before and after ack (case 15)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSlack();
    // Test-only commands on the same Bolt app: one throws before ack, one after.
    h.handler.app.command("/boom-before", async () => {
      throw new Error("before ack");
    });
    h.handler.app.command("/boom-after", async ({ ack }) => {
      await ack();
      throw new Error("after ack");
    });
  });
  afterAll(() => h.close());

  const command = (name: string) =>
    sendForm(h.url, { ...fixture<Record<string, string>>("command"), command: name });
  const errorLines = (msg: string) => h.logs.filter((l) => l.level >= 50 && JSON.stringify(l).includes(msg));

  it("15: a listener that throws before ack → 500 at once, logged", async () => {
    const res = await command("/boom-before");
    expect(res.status).toBe(500);
    await h.handler.drain();
    expect(errorLines("before ack").length).toBeGreaterThan(0);
  });

  it("15: a listener that throws after ack → the 200 stands, no second write, logged", async () => {
    const res = await command("/boom-after");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    await h.handler.drain();
    expect(errorLines("after ack").length).toBeGreaterThan(0);
    expect(h.logs.some((l) => String(l.msg).includes("did not ack in time"))).toBe(false);
  });

  it("15: our command acks with an apology when the core throws, and reports the failure", async () => {
    const real = realCore();
    const broken = {
      ...real,
      ask: () => {
        throw new Error("resolver bug");
      },
    } as unknown as Core;
    const h2 = await startSlack({ getCore: () => broken });
    try {
      const res = await sendCommand(h2.url, "eraser");
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ response_type: "ephemeral", text: ERROR_TEXT });
      await h2.handler.drain();
      expect(h2.telemetry.failures).toEqual([expect.objectContaining({ platform: "slack", stage: "core" })]);
    } finally {
      await h2.close();
    }
  });

  it("15: a listener that never acks gets a 500 from the ack deadline, not Bolt's 3001 ms 404", async () => {
    const h2 = await startSlack({ ackDeadlineMs: 100 });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    h2.handler.app.command("/stuck", async () => {
      await gate;
    });
    try {
      const res = await sendForm(h2.url, {
        ...fixture<Record<string, string>>("command"),
        command: "/stuck",
      });
      expect(res.status).toBe(500);
    } finally {
      release();
      await h2.close();
    }
  });
});
