// The core stays platform-agnostic: no Slack, Teams, HTTP or file-system imports in src/core.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/catalog/catalog-files.js";

const CORE = join(PROJECT_ROOT, "src", "core");
const ALLOWED = new Set(["zod", "fuse.js"]);

describe("core boundary", () => {
  const files = readdirSync(CORE).filter((f) => f.endsWith(".ts"));

  it("has source files to check", () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files)("%s imports only zod, fuse.js and other core modules", (file) => {
    const src = readFileSync(join(CORE, file), "utf8");
    const specifiers = [
      ...src.matchAll(/(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1] ?? m[2] ?? "");
    for (const s of specifiers) {
      const ok = s.startsWith("./") || ALLOWED.has(s);
      expect(ok, `${file} imports ${s}`).toBe(true);
    }
    expect(src).not.toMatch(/\b(process\.env|require\()/);
  });
});
