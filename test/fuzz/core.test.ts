// 40,000 generated questions through the real core (scaled by FUZZ_RUNS): no exception, a
// well-formed Answer every time, and bounded work by construction — the text is cut to
// MAX_QUERY_CHARS, and fuse.js (Bitap, quadratic in the pattern) only ever sees patterns of at most
// 32 characters over a short list of keys, a bounded number of times per question.
import fc from "fast-check";
import Fuse from "fuse.js";
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from "vitest";
import { loadCatalogFile } from "../../src/catalog/catalog-files.js";
import type { Answer } from "../../src/core/answer.js";
import { createCore } from "../../src/core/core.js";
import { MAX_QUERY_CHARS } from "../../src/core/text.js";
import { chatText } from "./arbitraries.js";
import { runs, timeLimit } from "./runs.js";

const catalog = loadCatalogFile();
const core = createCore(catalog);
const KINDS = new Set(["project", "alternatives", "list", "choices", "not_found", "help"]);
const ids = new Set(catalog.projects.map((p) => p.id));

/** Bitap's pattern limit in fuse.js: resolve.ts cuts every typo candidate to this. */
const FUZZY_MAX_CHARS = 32;
/** The typo search scores a shortlist of this many keys (search-index.ts TYPO_SHORTLIST). */
const MAX_SCORED_KEYS = 16;
/** One search for the whole subject plus one per word of 4+ letters in MAX_QUERY_CHARS characters. */
const MAX_SEARCHES = 1 + Math.floor((MAX_QUERY_CHARS + 1) / 5);

let searches: { pattern: string; keys: number }[] = [];
let spy: MockInstance;
beforeAll(() => {
  const original = Fuse.prototype.search;
  spy = vi.spyOn(Fuse.prototype, "search").mockImplementation(function (this: Fuse<unknown>, pattern, opts) {
    searches.push({ pattern: String(pattern), keys: this.getIndex().size() });
    return original.call(this, pattern, opts);
  });
});
afterAll(() => spy.mockRestore());

function wellFormed(a: Answer): void {
  expect(KINDS.has(a.kind)).toBe(true);
  expect(a.query.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
  expect(a.reportUrl.startsWith("https://")).toBe(true);
  switch (a.kind) {
    case "project":
    case "alternatives":
      expect(ids.has(a.project.id)).toBe(true);
      break;
    case "list":
    case "choices":
      for (const p of a.projects) expect(ids.has(p.id)).toBe(true);
      if (a.kind === "choices") expect(a.projects.length).toBeGreaterThanOrEqual(2);
      break;
    case "not_found":
      for (const p of a.suggestions) expect(ids.has(p.id)).toBe(true);
      break;
    case "help":
      expect(a.examples.length).toBeGreaterThan(0);
  }
  // An answer is data only: it survives JSON (it is what `upstream --json` prints).
  expect(JSON.parse(JSON.stringify(a)).kind).toBe(a.kind);
}

function boundedWork(): void {
  expect(searches.length).toBeLessThanOrEqual(MAX_SEARCHES);
  for (const s of searches) {
    expect(s.pattern.length).toBeLessThanOrEqual(FUZZY_MAX_CHARS);
    expect(s.keys).toBeLessThanOrEqual(MAX_SCORED_KEYS);
  }
}

describe("core.ask under generated input", () => {
  it(
    "never throws, always answers well-formed, with bounded search work",
    () => {
      fc.assert(
        fc.property(chatText(catalog), (text) => {
          searches = [];
          wellFormed(core.ask(text));
          boundedWork();
        }),
        { numRuns: runs(34_000) },
      );
    },
    timeLimit(40_000),
  );

  it("characters that NFKD expands (U+33AE, found by this test with seed 237727033) keep the bound", () => {
    for (const text of ["\u33AE".repeat(MAX_QUERY_CHARS), "\uFB04 ".repeat(MAX_QUERY_CHARS / 2)]) {
      searches = [];
      wellFormed(core.ask(text));
      boundedWork();
    }
  });

  it("button values and unfurled URLs from outside: project(id) and unfurl(url) never throw", () => {
    const id = fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 300 }));
    const url = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc
        .constantFrom(...catalog.projects.map((p) => p.url))
        .chain((u) => fc.string({ maxLength: 40 }).map((tail) => `${u}${tail}`)),
      fc.string({ maxLength: 300 }),
    );
    fc.assert(
      fc.property(id, url, (i, u) => {
        searches = [];
        wellFormed(core.project(i));
        const card = core.unfurl(u);
        if (card) wellFormed(card);
        boundedWork();
      }),
      { numRuns: runs(6_000) },
    );
  });
});
