// Escaping for Slack text: exactly `&`, `<` and `>`, exactly once, for every piece of user or
// catalog text, so nothing we echo can become a mention (<!here>, <@U…>) or a link.
// https://docs.slack.dev/messaging/formatting-message-text#escaping
import { MAX_URL } from "./limits.js";

/** Escapes `&`, `<` and `>` only: Slack decodes no other entity (no `&#39;`, mack PR #21). */
export function escapeText(raw: string): string {
  return raw.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The escaped form of `raw`, cut to at most `max` characters on a character boundary of the
 * RAW text (never inside an entity), with an ellipsis when cut.
 */
export function escapeTruncated(raw: string, max: number): string {
  const full = escapeText(raw);
  if (full.length <= max) return full;
  let out = "";
  for (const ch of raw) {
    const piece = escapeText(ch);
    if (out.length + piece.length + 1 > max) break;
    out += piece;
  }
  return `${out}…`;
}

/** A URL fit for `<url|label>`: http(s) only, and no character that could end the link early. */
export function safeUrl(url: string): string | null {
  if (!/^https?:\/\//i.test(url) || url.length > MAX_URL) return null;
  return url.replace(/&/g, "&amp;").replace(/</g, "%3C").replace(/>/g, "%3E").replace(/\|/g, "%7C");
}

/** A mrkdwn link whose label is escaped text; an unsafe URL leaves only the label. */
export function link(url: string, label: string, maxLabel = 200): string {
  const u = safeUrl(url);
  const text = escapeTruncated(label, maxLabel);
  return u ? `<${u}|${text}>` : text;
}
