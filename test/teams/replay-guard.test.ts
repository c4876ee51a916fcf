// The replay guard behind RELIABILITY 42: an id is answered once within its window, memory stays bounded.
import { describe, expect, it } from "vitest";
import { createReplayGuard } from "../../src/teams/replay-guard.js";

describe("replay guard", () => {
  it("says first time once per key, again after the window has passed", () => {
    let now = 0;
    const g = createReplayGuard({ ttlMs: 1000, now: () => now });
    expect([g.firstTime("a"), g.firstTime("a"), g.firstTime("b")]).toEqual([true, false, true]);
    now = 999;
    expect(g.firstTime("a")).toBe(false);
    now = 1001;
    expect(g.firstTime("a")).toBe(true);
  });

  it("forgets the oldest ids past maxEntries", () => {
    const g = createReplayGuard({ maxEntries: 2, ttlMs: 60_000, now: () => 0 });
    for (const k of ["a", "b", "c", "d"]) expect(g.firstTime(k)).toBe(true);
    expect(g.firstTime("d")).toBe(false);
    expect(g.firstTime("a")).toBe(true);
  });
});
