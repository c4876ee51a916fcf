// .env.example documents every variable the schema reads, and nothing else.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ENV_NAMES, loadConfig, SECRET_VARIABLES } from "../../src/config.js";

const text = readFileSync(join(import.meta.dirname, "..", "..", ".env.example"), "utf8");
const lines = text.split("\n");
const entries = lines.flatMap((l, i) => {
  const m = /^([A-Za-z_]+)=(.*)$/.exec(l);
  return m?.[1] ? [{ name: m[1], value: m[2] ?? "", line: i }] : [];
});

describe(".env.example", () => {
  it("lists every variable of the schema exactly once, and no other", () => {
    expect(entries.map((e) => e.name).sort()).toEqual([...ENV_NAMES].sort());
  });

  it("has a comment above every variable", () => {
    for (const e of entries) {
      let i = e.line - 1;
      while (i >= 0 && /^[A-Za-z_]+=/.test(lines[i] ?? "")) i--;
      expect(lines[i], e.name).toMatch(/^# \S/);
    }
  });

  it("holds no secret values, and parses as a valid development configuration", () => {
    for (const e of entries.filter((x) => (SECRET_VARIABLES as readonly string[]).includes(x.name)))
      expect(e.value, e.name).toBe("");
    const env = Object.fromEntries(entries.map((e) => [e.name, e.value]));
    expect(loadConfig(env)).toMatchObject({ ok: true });
  });
});
