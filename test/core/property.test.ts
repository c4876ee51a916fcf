// Arbitrary input never throws, always yields a well-formed Answer, and costs bounded work
// (the text is cut before matching). Timing is measured in `npm run bench:core`, not here.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadCatalogFile } from "../../src/catalog/catalog-files.js";
import { createCore } from "../../src/core/core.js";
import { MAX_QUERY_CHARS } from "../../src/core/text.js";

const core = createCore(loadCatalogFile());
const KINDS = ["project", "alternatives", "list", "choices", "not_found", "help"];

function wellFormed(raw: string): void {
  const a = core.ask(raw);
  expect(KINDS).toContain(a.kind);
  expect(a.query.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
  expect([...a.query].some((ch) => (ch.codePointAt(0) ?? 0) < 0x20)).toBe(false);
  expect(() => JSON.stringify(a)).not.toThrow();
  if (a.kind === "choices") {
    expect(a.projects.length).toBeGreaterThanOrEqual(2);
    expect(a.projects.length).toBeLessThanOrEqual(5);
  }
}

describe("arbitrary input", () => {
  it("unicode strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 400 }), (s) => wellFormed(s)),
      { numRuns: 2000 },
    );
  });

  it("binary-ish strings with control characters", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (s) => wellFormed(s)),
      { numRuns: 2000 },
    );
  });

  it("chat-markup soup", () => {
    const piece = fc.constantFrom(
      "<@U1>",
      "<!channel>",
      "&lt;",
      "&gt;",
      "&amp;",
      "<at>",
      "</at>",
      "<",
      ">",
      "|",
      "eraser",
      "kms",
      " ",
      "?",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), (parts) => wellFormed(parts.join(""))),
      { numRuns: 2000 },
    );
  });

  it("very long inputs", () => {
    for (const s of [
      "a".repeat(100_000),
      "eraser ".repeat(20_000),
      "🙂".repeat(50_000),
      "\u0000".repeat(100_000),
    ])
      wellFormed(s);
  });

  it("non-strings from a careless caller", () => {
    for (const v of [undefined, null, 42, {}, []]) expect(core.ask(v as unknown as string).kind).toBe("help");
  });
});
