// Chat markup stripping and the bounds on input size.
import { describe, expect, it } from "vitest";
import { cleanChatText, MAX_QUERY_CHARS, matchKey, queryKey, slugify } from "../../src/core/text.js";

describe("cleanChatText", () => {
  it.each([
    ["<@U123ABC> eraser", "eraser"],
    ["<@U123ABC|bot> eraser", "eraser"],
    ["<!channel> eraser", "eraser"],
    ["<!here|here> eraser", "eraser"],
    ["<!subteam^S123|@team> eraser", "eraser"],
    ["&lt;!channel&gt; eraser", "eraser"],
    ["&lt;@U999&gt; eraser", "eraser"],
    ["<#C123|general> eraser", "#general eraser"],
    ["<https://github.com/eraser-dev/eraser|the eraser repo>", "the eraser repo"],
    ["<https://istio.io>", "https://istio.io"],
    ["<at>upstream</at> capz", "capz"],
    ["<at>Upstream Bot</at>&nbsp;what replaced osm?", "what replaced osm?"],
    ["<p>eraser</p>", "eraser"],
    ["R&amp;D tools", "R&D tools"],
    ["eraser\u0000\u0007\u200b\n\t now", "eraser now"],
    ["   spaced    out   ", "spaced out"],
  ])("%j → %j", (raw, clean) => {
    expect(cleanChatText(raw)).toBe(clean);
  });

  it("cuts long input to a bounded length before any other work", () => {
    expect(cleanChatText("a".repeat(100_000)).length).toBe(MAX_QUERY_CHARS);
    expect(cleanChatText(`${"<@U1> ".repeat(50_000)}eraser`).length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
  });
});

describe("keys", () => {
  it("a question's key is cut to MAX_QUERY_CHARS even when NFKD makes it longer than the text", () => {
    // U+33AE (㎮) is "rad∕s" and U+FB04 (ﬄ) "ffl" under NFKD: within the limit as typed, beyond it as keys.
    for (const text of ["\u33AE".repeat(MAX_QUERY_CHARS), "\uFB04 ".repeat(MAX_QUERY_CHARS / 2)]) {
      expect(text.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
      expect(matchKey(text).length).toBeGreaterThan(MAX_QUERY_CHARS);
      const key = queryKey(text);
      expect(key.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
      expect(matchKey(text).startsWith(key)).toBe(true);
    }
    expect(queryKey("  Café—Dual-Stack!  ")).toBe("cafe dual stack");
  });

  it("slugify and matchKey fold case, accents and punctuation", () => {
    expect(slugify("Open Service Mesh (OSM)")).toBe("open-service-mesh-osm");
    expect(slugify("IPv4/v6 Dual-Stack")).toBe("ipv4-v6-dual-stack");
    expect(matchKey("  Café—Dual-Stack!  ")).toBe("cafe dual stack");
  });
});
