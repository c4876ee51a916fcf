// What the Slack app registers: the slash command, the events it subscribes to and the action
// ids its cards use. The manifest test checks manifests/slack/manifest.yaml against these.

export const COMMAND = "/upstream";

/** Events API subscriptions, named as in the manifest (`message.im` is the `message` event in a DM). */
export const BOT_EVENTS = ["app_mention", "message.im", "app_home_opened", "link_shared"] as const;

/** Buttons and selects that open a project's card carry this prefix plus a unique suffix. */
export const OPEN_PROJECT = "open_project";
export const OPEN_PROJECT_PATTERN = /^open_project(?:_[a-z0-9_]+)?$/;
export const SHARE_IN_CHANNEL = "share_in_channel";
/** URL buttons: Slack still sends a block_actions payload, which only needs an ack. */
export const LINK_PREFIX = "link";
export const LINK_PATTERN = /^link(?:_[a-z0-9_]+)?$/;

/** What a "Share in channel" button re-renders: a typed question or a project card. */
export type ShareTarget = { kind: "query"; query: string } | { kind: "project"; id: string };

export function encodeShare(t: ShareTarget): string {
  return t.kind === "query" ? `q:${t.query}` : `p:${t.id}`;
}

export function decodeShare(value: string): ShareTarget | null {
  if (value.startsWith("q:")) return { kind: "query", query: value.slice(2) };
  if (value.startsWith("p:") && value.length > 2) return { kind: "project", id: value.slice(2) };
  return null;
}
