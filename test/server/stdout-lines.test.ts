// The server's stdout destination is asynchronous (server-logger.ts): nothing written before an
// exit may be lost, whether the process ends on its own or through process.exit in mid-burst.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/catalog/catalog-files.js";

const MODULE = JSON.stringify(join(PROJECT_ROOT, "dist", "server", "server-logger.js"));

function run(body: string): { status: number | null; lines: string[] } {
  const r = spawnSync(
    process.execPath,
    ["--input-type=module", "-e", `const { stdoutLines } = await import(${MODULE});\n${body}`],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  return { status: r.status, lines: r.stdout.split("\n").filter(Boolean) };
}

describe("stdoutLines", () => {
  it("delivers every line of a burst when process.exit follows at once", () => {
    const { status, lines } = run(`
      const write = stdoutLines();
      for (let i = 0; i < 20000; i++) write(JSON.stringify({ i, msg: "x".repeat(100) }) + "\\n");
      process.exit(3);
    `);
    expect(status).toBe(3);
    expect(lines).toHaveLength(20000);
    expect(lines.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual([...Array(20000).keys()]);
  });

  it("delivers lines written across ticks before a natural end", () => {
    const { status, lines } = run(`
      const write = stdoutLines();
      let n = 0;
      const t = setInterval(() => { for (let i = 0; i < 100; i++) write(\`line \${n++}\\n\`); if (n >= 1000) clearInterval(t); }, 1);
    `);
    expect(status).toBe(0);
    expect(lines).toHaveLength(1000);
    expect(lines.at(-1)).toBe("line 999");
  });
});
