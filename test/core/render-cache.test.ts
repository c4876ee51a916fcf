// The per-catalog cache of rendered answers (src/render-cache.ts) and the frozen catalog it relies on.
import { describe, expect, it } from "vitest";
import { loadCatalogFile } from "../../src/catalog/catalog-files.js";
import { type Core, createCore } from "../../src/core/core.js";
import { createRenderCache } from "../../src/render-cache.js";

const core = (): Core => createCore(loadCatalogFile());

describe("render cache", () => {
  it("returns what was stored for the same Core and text, nothing for another text", () => {
    const c = core();
    const cache = createRenderCache<{ n: number }>();
    cache.set(c, "eraser", { n: 1 });
    expect(cache.get(c, "eraser")).toEqual({ n: 1 });
    expect(cache.get(c, "Eraser")).toBeUndefined();
  });

  it("a new Core (a catalog refresh) misses, and storing with it drops the old catalog's entries", () => {
    const before = core();
    const after = core();
    const cache = createRenderCache<string>();
    cache.set(before, "eraser", "old card");
    cache.set(before, "gatekeeper", "old card 2");
    expect(cache.get(after, "eraser")).toBeUndefined();
    cache.set(after, "eraser", "new card");
    expect(cache.size).toBe(1);
    expect(cache.get(after, "eraser")).toBe("new card");
    expect(cache.get(before, "gatekeeper")).toBeUndefined();
  });

  it("evicts the least recently used entry; a hit counts as a use", () => {
    const c = core();
    const cache = createRenderCache<string>({ maxEntries: 2, maxTextLength: 200 });
    cache.set(c, "a", "A");
    cache.set(c, "b", "B");
    expect(cache.get(c, "a")).toBe("A");
    cache.set(c, "c", "C");
    expect(cache.size).toBe(2);
    expect(cache.get(c, "b")).toBeUndefined();
    expect(cache.get(c, "a")).toBe("A");
    expect(cache.get(c, "c")).toBe("C");
  });

  it("never stores texts longer than the limit", () => {
    const c = core();
    const cache = createRenderCache<string>({ maxEntries: 10, maxTextLength: 5 });
    cache.set(c, "123456", "long");
    cache.set(c, "12345", "short");
    expect(cache.get(c, "123456")).toBeUndefined();
    expect(cache.get(c, "12345")).toBe("short");
  });

  it("stores values deep-frozen: a later request cannot change what the next one gets", () => {
    const c = core();
    const cache = createRenderCache<{ blocks: { text: string }[] }>();
    cache.set(c, "eraser", { blocks: [{ text: "card" }] });
    const v = cache.get(c, "eraser");
    expect(() => {
      if (v?.blocks[0]) v.blocks[0].text = "changed";
    }).toThrow(TypeError);
    expect(cache.get(c, "eraser")?.blocks[0]?.text).toBe("card");
  });
});

describe("createCore", () => {
  it("freezes the catalog it serves, since answers and cached cards share its objects", () => {
    const c = core();
    const eraser = c.catalog.projects.find((p) => p.id === "eraser");
    expect(eraser).toBeDefined();
    expect(() => {
      if (eraser) (eraser as { goal: string }).goal = "changed";
    }).toThrow(TypeError);
    expect(Object.isFrozen(c.source)).toBe(true);
  });
});
