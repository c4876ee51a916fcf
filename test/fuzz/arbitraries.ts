// Generators shared by the fuzz tests: what people type (any Unicode, chat markup, catalog words,
// URLs, very long text) and mutations of recorded platform payloads (dropped, retyped, oversized
// and hostile fields).
import fc from "fast-check";
import type { Catalog } from "../../src/core/catalog-schema.js";

/** Text that tries to ping, link or format when echoed (Slack and Teams syntax alike). */
export const HOSTILE = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<@U0123ABC>",
  "<#C0123|general>",
  "<!subteam^S1>",
  "<https://evil.example|click>",
  "&lt;!channel&gt;",
  "&amp;amp;",
  "<at>Everyone</at>",
  "[Login](https://evil.example)",
  "**bold**",
  "_it_",
  "`code`",
  "{{DATE(2017-02-14T06:08:39Z, SHORT)}}",
  "$\u{7b}{ secrets }}",
  "\u202e",
  "\u0000",
  "\r\n",
];

/** Words of the real catalog: names, aliases, areas, so that generated questions reach real answers. */
export function catalogWords(catalog: Catalog): string[] {
  const words = new Set<string>();
  for (const p of catalog.projects) {
    words.add(p.name);
    words.add(p.id);
    for (const a of p.aliases) words.add(a);
    words.add(p.area);
  }
  for (const w of [
    "what replaced",
    "alternative to",
    "is",
    "deprecated?",
    "who do I contact about",
    "slack channel for",
    "list",
    "projects",
    "security",
    "help",
    "what's new",
    "cncf graduated",
    "azure",
    "status of",
  ])
    words.add(w);
  return [...words];
}

/** Anything a person could type into a chat box, and worse. */
export function chatText(catalog: Catalog): fc.Arbitrary<string> {
  const word = fc.constantFrom(...catalogWords(catalog));
  const piece = fc.oneof(
    { weight: 4, arbitrary: word },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }) },
    { weight: 1, arbitrary: fc.webUrl() },
    { weight: 1, arbitrary: fc.constantFrom(" ", "  ", "?", "!", ",", "\n", "\t") },
  );
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(piece, { maxLength: 12 }).map((p) => p.join(" ")) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 200 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
    // Far past every cut: the work must stay bounded whatever the length.
    {
      weight: 1,
      arbitrary: fc
        .tuple(piece, fc.integer({ min: 500, max: 20_000 }))
        .map(([p, n]) => p.repeat(Math.ceil(n / Math.max(1, p.length))).slice(0, n)),
    },
  );
}

/** A JSON value of any shape, for replacing a payload field. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 1 }).map((s) => s.repeat(5000)),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

type Json = Record<string, unknown>;

/** Paths to every field of a JSON object (objects only; arrays by index). */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== "object") return [prefix];
  const entries: [string | number, unknown][] = Array.isArray(v)
    ? v.map((x, i) => [i, x] as [number, unknown])
    : Object.entries(v as Json);
  return [prefix, ...entries.flatMap(([k, x]) => paths(x, [...prefix, k]))];
}

function setAt(root: Json, path: (string | number)[], value: unknown, remove: boolean): Json {
  const copy = structuredClone(root);
  let cur: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) {
    const next = cur[k];
    if (next === null || typeof next !== "object") return copy;
    cur = next as Record<string | number, unknown>;
  }
  const last = path.at(-1);
  if (last === undefined) return copy;
  if (remove) delete cur[last];
  else cur[last] = value;
  return copy;
}

/** A payload with a few of its fields removed or replaced by values of any type (except `keep`). */
export function mutated(base: Json, keep: string[] = []): fc.Arbitrary<Json> {
  const all = paths(base).filter((p) => p.length > 0 && !keep.includes(p.join(".")));
  const edit = fc.record({
    path: fc.constantFrom(...all),
    value: anyJson,
    remove: fc.boolean(),
  });
  return fc
    .array(edit, { minLength: 1, maxLength: 4 })
    .map((edits) => edits.reduce((acc, e) => setAt(acc, e.path, e.value, e.remove), base));
}

/** A body's raw text after byte-level damage: truncation, a flipped character, junk appended. */
export function damagedText(text: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: text.length }).map((n) => text.slice(0, n)),
    fc
      .tuple(fc.nat({ max: Math.max(0, text.length - 1) }), fc.string({ minLength: 1, maxLength: 1 }))
      .map(([i, c]) => `${text.slice(0, i)}${c}${text.slice(i + 1)}`),
    fc.string({ maxLength: 30 }).map((junk) => `${text}${junk}`),
    fc.constantFrom("", "{", "[]", "null", "42", '"text"', "{}", "payload=", "payload=%7B", "a=b&a=c"),
  );
}
