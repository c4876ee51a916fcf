// Text helpers shared by the importer and the resolver: ids, matching keys, and turning
// chat text (Slack mrkdwn, Teams HTML) back into what the person typed.

/** Longest text the resolver looks at; anything past it is cut before any other work. */
export const MAX_QUERY_CHARS = 300;
/** Longer raw inputs are cut to this before markup stripping, so absurd input costs O(1)-ish. */
const MAX_RAW_CHARS = 4 * MAX_QUERY_CHARS;

/** A matching key: lower case, ASCII letters and digits separated by single spaces. */
export function matchKey(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/**
 * The matching key of a question, cut to MAX_QUERY_CHARS like the text it comes from: NFKD
 * turns one character into several ("\u33AE" is "rad∕s"), so a question within the limit can
 * have a key far beyond it, and with it more words to search than any typed question.
 */
export function queryKey(query: string): string {
  const key = matchKey(query);
  return key.length > MAX_QUERY_CHARS ? key.slice(0, MAX_QUERY_CHARS).trim() : key;
}

/** An id: the matching key with dashes, e.g. "Open Service Mesh (OSM)" → "open-service-mesh-osm". */
export function slugify(s: string): string {
  return matchKey(s).replaceAll(" ", "-");
}

const ENTITIES: Record<string, string> = {
  "&lt;": "<",
  "&gt;": ">",
  "&amp;": "&",
  "&quot;": '"',
  "&#39;": "'",
  "&nbsp;": " ",
};

/**
 * What the person typed, from the text a chat platform delivers: Slack's `<@U123>`,
 * `<!channel>`, `<#C1|name>`, `<https://x|label>` and HTML entities; Teams' `<at>Bot</at>`
 * and HTML; control characters. The result is plain text, never markup to re-emit.
 */
export function cleanChatText(raw: string): string {
  let s = raw.length > MAX_RAW_CHARS ? raw.slice(0, MAX_RAW_CHARS) : raw;
  s = s
    .replace(/<at>[^<]{0,200}<\/at>/gi, " ")
    .replace(/<(?:@|!)[^>]{0,100}>/g, " ")
    .replace(/<#[A-Z0-9]+\|([^>]{0,100})>/g, "#$1")
    .replace(/<((?:https?|mailto):[^>|]{0,500})\|([^>]{0,200})>/g, "$2")
    .replace(/<((?:https?|mailto):[^>]{0,500})>/g, "$1")
    .replace(/<\/?[a-z][^>]{0,200}>/gi, " ");
  s = s.replace(/&(?:lt|gt|amp|quot|#39|nbsp);/g, (e) => ENTITIES[e] ?? e);
  // Slack escapes user-typed <!channel> as &lt;!channel&gt;: after decoding, drop such tokens too.
  s = s.replace(/<(?:@|!)[^>]{0,100}>/g, " ");
  s = s.replace(/[\p{Cc}\p{Cf}]/gu, " ");
  s = s.replace(/\s+/g, " ").trim();
  return s.length > MAX_QUERY_CHARS ? s.slice(0, MAX_QUERY_CHARS).trim() : s;
}
