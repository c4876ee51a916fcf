// Making untrusted text (what a person typed, catalog data) safe to show in Teams: it must read
// literally and never become a link, a mention, markup or an Adaptive Card expression.
// https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format

/** Control and format characters (zero-width joiners, bidi overrides) that could disguise text. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

/**
 * Text for a TextRun, a button title or a card's fallbackText: TextRun is never parsed as
 * markdown, but Teams still evaluates `{{DATE(…)}}`/`{{TIME(…)}}` in card text, so the braces are
 * split with a zero-width space (inserted after stripping, so it is the only one left).
 */
export function literal(s: string): string {
  return (
    s
      .replace(INVISIBLE, (c) => (c === "\n" ? "\n" : " "))
      // Every adjacent pair: "{{{" must become "{\u200b{\u200b{", not "{\u200b{{".
      .replace(/\{(?=\{)/g, "{\u200b")
      .replace(/\}(?=\})/g, "}\u200b")
  );
}

/** Characters that start markdown constructs Teams renders: emphasis, links, code, HTML, tables. */
const MARKDOWN_SPECIAL = /[\\`*_[\]()<>#~|!]/g;

/**
 * Text for places Teams parses as markdown (FactSet values, message `text`): every character
 * that could start a link, emphasis, an `<at>` mention or HTML is backslash-escaped, and a
 * leading list marker is escaped so "- x" or "1. x" stays text.
 */
export function escapeMarkdown(s: string): string {
  return literal(s)
    .replace(MARKDOWN_SPECIAL, "\\$&")
    .replace(/^(\s*)([-+])(\s)/gm, "$1\\$2$3")
    .replace(/^(\s*)(\d+)\.(\s)/gm, "$1$2\\.$3");
}

/** Cut to `max` characters on a word boundary when one is near, adding an ellipsis. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}
