// Interactivity: choice, successor and list buttons replace the message with a card; "Share in
// channel" reposts visibly and deletes the private copy (two response_url posts, case 20).
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  allowOnlyLocalhost,
  fixture,
  type Harness,
  HOOKS,
  responseUrl,
  sendAction,
  startSlack,
} from "./helpers.js";

type Payload = Record<string, unknown> & {
  actions: Record<string, unknown>[];
  container: Record<string, unknown>;
};

function payload(action: Record<string, unknown>, container: Record<string, unknown> = {}): Payload {
  const p = fixture<Payload>("block_actions");
  p.actions = [{ ...(p.actions[0] as object), ...action }];
  p.container = { ...p.container, ...container };
  return p;
}

let h: Harness;
beforeAll(async () => {
  allowOnlyLocalhost();
  h = await startSlack();
});
afterAll(() => h.close());
afterEach(() => nock.cleanAll());

const HOOK = "/actions/T0001/1234/abcd";

describe("project buttons", () => {
  it("a choice button replaces the private message with that project's card, shareable", async () => {
    const hook = responseUrl(HOOK);
    const res = await sendAction(h.url, payload({}));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    await h.handler.drain();
    expect(hook.bodies).toHaveLength(1);
    const body = hook.bodies[0] as { replace_original: boolean; text: string; blocks: unknown[] };
    expect(body.replace_original).toBe(true);
    expect(body.text).toContain("KMSv2");
    expect(JSON.stringify(body.blocks)).toContain('"value":"p:kmsv2"');
    expect(h.telemetry.answers.at(-1)).toEqual(
      expect.objectContaining({ trigger: "action", kind: "project" }),
    );
  });

  it("a successor button in a visible message replaces it without offering to share again", async () => {
    const hook = responseUrl(HOOK);
    await sendAction(
      h.url,
      payload({ action_id: "open_project_s0", value: "azure-workload-identity" }, { is_ephemeral: false }),
    );
    await h.handler.drain();
    const body = hook.bodies[0] as { text: string; blocks: unknown[] };
    expect(body.text).toContain("Azure Workload Identity");
    expect(JSON.stringify(body.blocks)).not.toContain("share_in_channel");
  });

  it("a list's select opens the chosen project's card", async () => {
    const hook = responseUrl(HOOK);
    await sendAction(
      h.url,
      payload({
        type: "static_select",
        action_id: "open_project_a2",
        value: undefined,
        selected_option: { text: { type: "plain_text", text: "Eraser" }, value: "eraser" },
      }),
    );
    await h.handler.drain();
    expect(String((hook.bodies[0] as { text: string }).text)).toMatch(/^Eraser \(Active\)/);
  });

  it("an unknown project id becomes a not-found card, not an error", async () => {
    const hook = responseUrl(HOOK);
    await sendAction(h.url, payload({ value: "no-such-project" }));
    await h.handler.drain();
    expect(h.telemetry.answers.at(-1)).toEqual(expect.objectContaining({ kind: "not_found" }));
    expect(hook.bodies).toHaveLength(1);
  });

  it("a URL button is acknowledged and nothing else happens", async () => {
    const hook = responseUrl(HOOK);
    const res = await sendAction(
      h.url,
      payload({ action_id: "link_s0", url: "https://example.com", value: undefined }),
    );
    expect(res.status).toBe(200);
    await h.handler.drain();
    expect(hook.bodies).toEqual([]);
  });

  it("an action no listener knows → 404 with X-Slack-No-Retry at once", async () => {
    const res = await sendAction(h.url, payload({ action_id: "something_else" }));
    expect(res.status).toBe(404);
    expect(res.headers.get("x-slack-no-retry")).toBe("1");
  });
});

describe("Share in channel (case 20)", () => {
  it("posts the card visibly, then deletes the private copy: two posts to the response_url", async () => {
    const hook = responseUrl(HOOK, 3);
    await sendAction(
      h.url,
      payload({ action_id: "share_in_channel", value: "q:what replaced aad pod identity?" }),
    );
    await h.handler.drain();
    expect(hook.bodies).toHaveLength(2);
    const [visible, remove] = hook.bodies as [Record<string, unknown>, Record<string, unknown>];
    expect(visible).toMatchObject({ response_type: "in_channel", replace_original: false });
    expect(String(visible.text)).toContain("Use instead: Azure Workload Identity");
    expect(JSON.stringify(visible.blocks)).toContain("You asked: “what replaced aad pod identity?”");
    expect(JSON.stringify(visible.blocks)).not.toContain("share_in_channel");
    expect(remove).toEqual({ delete_original: true });
    expect(h.telemetry.answers.at(-1)).toEqual(
      expect.objectContaining({ trigger: "share", kind: "alternatives" }),
    );
  });

  it("shares a project card chosen by button (p:<id>)", async () => {
    const hook = responseUrl(HOOK, 2);
    await sendAction(h.url, payload({ action_id: "share_in_channel", value: "p:kmsv2" }));
    await h.handler.drain();
    expect(String(hook.bodies[0]?.text)).toContain("KMSv2");
    expect(JSON.stringify(hook.bodies[0]?.blocks)).not.toContain("You asked");
  });

  it("keeps the private copy when the visible post fails, and reports it", async () => {
    const scope = nock(HOOKS).post(HOOK).reply(500, "error");
    const deleted = responseUrl(HOOK);
    await sendAction(h.url, payload({ action_id: "share_in_channel", value: "p:eraser" }));
    await h.handler.drain();
    expect(scope.isDone()).toBe(true);
    expect(deleted.bodies).toEqual([]);
    expect(h.telemetry.failures.at(-1)).toEqual(expect.objectContaining({ stage: "response_url" }));
  });

  it("never posts to a response_url outside Slack", async () => {
    const evil = nock("https://evil.example").post("/hook").reply(200, "ok");
    const p = payload({ action_id: "share_in_channel", value: "p:eraser" });
    p.response_url = "https://evil.example/hook";
    await sendAction(h.url, p);
    await h.handler.drain();
    expect(evil.isDone()).toBe(false);
    expect(h.telemetry.failures.at(-1)).toEqual(expect.objectContaining({ stage: "response_url" }));
  });
});
