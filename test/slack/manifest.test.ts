// manifests/slack/manifest.yaml against the app: the command, its usage hint and the bot events
// in the manifest are exactly what the app registers and answers (each exercised over HTTP).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../src/catalog/catalog-files.js";
import { USAGE_HINT } from "../../src/core/help.js";
import { BOT_EVENTS, COMMAND } from "../../src/slack/app-surface.js";
import {
  allowOnlyLocalhost,
  eventEnvelope,
  type Harness,
  sendCommand,
  sendEvent,
  slackApi,
  startSlack,
} from "./helpers.js";

const FILE = join(PROJECT_ROOT, "manifests", "slack", "manifest.yaml");
const raw = readFileSync(FILE, "utf8");

interface Manifest {
  features: {
    slash_commands: { command: string; url: string; usage_hint: string; description: string }[];
    unfurl_domains: string[];
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}
const manifest = parse(raw) as Manifest;

describe("the Slack manifest", () => {
  it("declares the one command with the usage hint from the core's help table", () => {
    expect(manifest.features.slash_commands.map((c) => [c.command, c.usage_hint])).toEqual([
      [COMMAND, USAGE_HINT],
    ]);
  });

  it("subscribes to exactly the events the app listens for", () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([...BOT_EVENTS]);
  });

  it("points commands, events and interactivity at one placeholder URL", () => {
    const urls = [
      ...manifest.features.slash_commands.map((c) => c.url),
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ];
    expect(new Set(urls)).toEqual(new Set(["https://YOUR-HOST/slack/events"]));
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it("asks for the minimal bot scopes, each group with a comment", () => {
    expect(manifest.oauth_config.scopes.bot).toEqual([
      "commands",
      "app_mentions:read",
      "chat:write",
      "im:history",
      "links:read",
      "links:write",
    ]);
    const block = raw.slice(raw.indexOf("    bot:"), raw.indexOf("settings:"));
    const lines = block
      .split("\n")
      .slice(1)
      .map((l) => l.trim())
      .filter(Boolean);
    expect(lines[0]?.startsWith("#")).toBe(true);
    expect(lines.filter((l) => l.startsWith("#")).length).toBeGreaterThanOrEqual(4);
  });

  it("enables the Home tab and DMs, and names at most five unfurl domains", () => {
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.features.unfurl_domains.length).toBeLessThanOrEqual(5);
    expect(manifest.features.unfurl_domains).toContain("github.com");
  });
});

describe("the app answers everything the manifest subscribes to", () => {
  let h: Harness;
  beforeAll(async () => {
    allowOnlyLocalhost();
    h = await startSlack();
  });
  afterAll(() => h.close());
  afterEach(() => nock.cleanAll());

  it("answers the manifest's command (a command it did not register gets 404)", async () => {
    const [command] = manifest.features.slash_commands;
    const res = await sendCommand(h.url, "eraser", { headers: {} });
    expect(command?.command).toBe(COMMAND);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { blocks: unknown[] }).blocks.length).toBeGreaterThan(0);
  });

  const calls: Record<string, [fixture: string, method: string]> = {
    app_mention: ["app_mention", "chat.postMessage"],
    "message.im": ["message_im", "chat.postMessage"],
    app_home_opened: ["app_home_opened", "views.publish"],
    link_shared: ["link_shared", "chat.unfurl"],
  };
  it.each(manifest.settings.event_subscriptions.bot_events)(
    "handles %s with a Slack API call",
    async (name) => {
      const entry = calls[name];
      expect(entry, `no fixture for subscribed event ${name}`).toBeDefined();
      const [fixtureName, method] = entry as [string, string];
      const api = slackApi(method);
      const res = await sendEvent(h.url, eventEnvelope(fixtureName, {}, `EvManifest_${name}`));
      expect(res.status).toBe(200);
      await h.handler.drain();
      expect(api.bodies).toHaveLength(1);
    },
  );
});
