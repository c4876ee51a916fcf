// Small constructors for Block Kit objects that apply our two rules everywhere: all text is
// escaped once (escape.ts) and mrkdwn is `verbatim`, so Slack never auto-links or parses
// mentions out of catalog or user text. https://docs.slack.dev/reference/block-kit/composition-objects/text-object
import type { types } from "@slack/bolt";
import { escapeTruncated } from "./escape.js";
import {
  MAX_BUTTON_TEXT,
  MAX_BUTTON_VALUE,
  MAX_HEADER_TEXT,
  MAX_OPTION_TEXT,
  MAX_OPTION_VALUE,
  MAX_SECTION_TEXT,
  MAX_SELECT_OPTIONS,
} from "./limits.js";

export type Block = types.KnownBlock;

/** A plain_text object from RAW text (escaped and cut here). */
export function plainText(raw: string, max = MAX_SECTION_TEXT): types.PlainTextElement {
  return { type: "plain_text", text: escapeTruncated(raw, max) };
}

/** A mrkdwn object from ALREADY ESCAPED mrkdwn (built with escape.ts). */
export function mrkdwn(escaped: string): types.MrkdwnElement {
  return { type: "mrkdwn", text: escaped, verbatim: true };
}

export function header(raw: string): types.HeaderBlock {
  return { type: "header", text: plainText(raw, MAX_HEADER_TEXT) };
}

export function section(escaped: string, accessory?: types.StaticSelect): types.SectionBlock {
  return accessory
    ? { type: "section", text: mrkdwn(escaped), accessory }
    : { type: "section", text: mrkdwn(escaped) };
}

export function plainSection(raw: string): types.SectionBlock {
  return { type: "section", text: plainText(raw) };
}

export function fieldsSection(escapedFields: string[]): types.SectionBlock {
  return { type: "section", fields: escapedFields.map(mrkdwn) };
}

export function context(elements: (types.PlainTextElement | types.MrkdwnElement)[]): types.ContextBlock {
  return { type: "context", elements };
}

export function actions(elements: types.Button[]): types.ActionsBlock {
  return { type: "actions", elements };
}

export function divider(): types.DividerBlock {
  return { type: "divider" };
}

/** A button that sends `value` back to us. */
export function valueButton(label: string, actionId: string, value: string): types.Button {
  return {
    type: "button",
    action_id: actionId,
    text: plainText(label, MAX_BUTTON_TEXT),
    value: value.slice(0, MAX_BUTTON_VALUE),
  };
}

/** A button that opens a URL (Slack still sends us a block_actions payload to acknowledge). */
export function urlButton(label: string, actionId: string, url: string): types.Button {
  return { type: "button", action_id: actionId, text: plainText(label, MAX_BUTTON_TEXT), url };
}

export function staticSelect(
  placeholder: string,
  actionId: string,
  options: { label: string; value: string }[],
): types.StaticSelect {
  return {
    type: "static_select",
    action_id: actionId,
    placeholder: plainText(placeholder, MAX_OPTION_TEXT),
    options: options.slice(0, MAX_SELECT_OPTIONS).map((o) => ({
      text: plainText(o.label, MAX_OPTION_TEXT),
      value: o.value.slice(0, MAX_OPTION_VALUE),
    })),
  };
}

/**
 * Joins already escaped lines with newlines while they fit in `max` characters; a single line
 * longer than `max` is never emitted (callers cut their lines well below the limit).
 */
export function fitLines(lines: string[], max = MAX_SECTION_TEXT): { text: string; used: number } {
  let text = "";
  let used = 0;
  for (const line of lines) {
    const next = used === 0 ? line : `${text}\n${line}`;
    if (next.length > max) break;
    text = next;
    used += 1;
  }
  return { text, used };
}

/** Characters of text a person can see in these blocks: every text object's `text`, options included. */
export function blockTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + blockTextLength(v), 0);
  if (!value || typeof value !== "object") return 0;
  const o = value as Record<string, unknown>;
  if ((o.type === "plain_text" || o.type === "mrkdwn") && typeof o.text === "string") return o.text.length;
  let n = 0;
  for (const v of Object.values(o)) n += blockTextLength(v);
  return n;
}
