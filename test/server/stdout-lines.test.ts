// The server's stdout destination is asynchronous (server-logger.ts): the lines written before the
// server exits must all arrive, in the order they were written. The hazard is a batch already
// handed to libuv's thread pool when process.exit runs: pino's exit hook writes the lines behind
// it first. A pool of one thread kept busy makes that deterministic.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/catalog/catalog-files.js";

const MODULE = JSON.stringify(join(PROJECT_ROOT, "dist", "server", "server-logger.js"));

function run(body: string): { status: number | null; lines: string[] } {
  const r = spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const { stdoutLines } = await import(${MODULE});
       const { pbkdf2 } = await import("node:crypto");
       // Occupies the only pool thread, so the first write waits in libuv's queue.
       const busyPool = () => pbkdf2("x", "y", 200000, 32, "sha256", () => {});
       ${body}`,
    ],
    {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { PATH: process.env.PATH ?? "", UV_THREADPOOL_SIZE: "1" },
    },
  );
  return { status: r.status, lines: r.stdout.split("\n").filter(Boolean) };
}

describe("stdoutLines", () => {
  it("keeps the last lines in order when end() precedes process.exit, the pool busy", () => {
    const { status, lines } = run(`
      const out = stdoutLines();
      busyPool();
      out.write("background replies finished\\n");
      out.write("shutdown complete\\n");
      await out.end();
      process.exit(3);
    `);
    expect(status).toBe(3);
    expect(lines).toEqual(["background replies finished", "shutdown complete"]);
  });

  it("delivers every line of a burst, in order, when end() precedes process.exit", () => {
    const { status, lines } = run(`
      const out = stdoutLines();
      busyPool();
      for (let i = 0; i < 20000; i++) out.write(JSON.stringify({ i, msg: "x".repeat(100) }) + "\\n");
      await out.end();
      process.exit(3);
    `);
    expect(status).toBe(3);
    expect(lines.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual([...Array(20000).keys()]);
  });

  it("still writes a line that comes after end()", () => {
    const { status, lines } = run(`
      const out = stdoutLines();
      out.write("before\\n");
      await out.end();
      out.write("after\\n");
      process.exit(0);
    `);
    expect(status).toBe(0);
    expect(lines).toEqual(["before", "after"]);
  });

  it("delivers lines written across ticks before a natural end", () => {
    const { status, lines } = run(`
      const out = stdoutLines();
      let n = 0;
      const t = setInterval(() => { for (let i = 0; i < 100; i++) out.write(\`line \${n++}\\n\`); if (n >= 1000) clearInterval(t); }, 1);
    `);
    expect(status).toBe(0);
    expect(lines).toHaveLength(1000);
    expect(lines.at(-1)).toBe("line 999");
  });
});
