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

  it("drops what a stalled stdout cannot take, within the bound, and reports how many", () => {
    // One synchronous burst: the first line is handed to libuv, the rest wait in the buffer until
    // the event loop turns, so everything past 64 KB is over the bound.
    const { status, lines } = run(`
      const out = stdoutLines({
        maxBufferedBytes: 64 * 1024,
        onDropped: (n) => out.write(JSON.stringify({ dropped: n }) + "\\n"),
      });
      for (let i = 0; i < 5000; i++) out.write(JSON.stringify({ i, msg: "x".repeat(90) }) + "\\n");
      await new Promise((r) => setTimeout(r, 100));
      out.write(JSON.stringify({ i: "after" }) + "\\n");
      await out.end();
    `);
    expect(status).toBe(0);
    const records = lines.map((l) => JSON.parse(l) as { i?: number | string; dropped?: number });
    const kept = records.filter((r) => typeof r.i === "number").map((r) => r.i);
    // The lines that fitted arrive complete and in order: a prefix of the burst.
    expect(kept).toEqual([...Array(kept.length).keys()]);
    expect(kept.length).toBeGreaterThan(500);
    expect(kept.length).toBeLessThan(1000);
    // Then the line that fitted again, then the report that counts every line lost.
    expect(records.slice(-2)).toEqual([{ i: "after" }, { dropped: 5000 - kept.length }]);
  });

  it("the server's logger reports dropped lines as a warning of its own", () => {
    // 60,000 lines of ~170 bytes in one tick: over the default 4 MiB bound.
    const { status, lines } = run(`
      const { createServerLogger, createScrubber } = await import(${MODULE});
      const { logger, end } = await createServerLogger({ level: "info", pretty: false, scrubber: createScrubber() });
      for (let i = 0; i < 60000; i++) logger.info({ i }, "x".repeat(80));
      await new Promise((r) => setTimeout(r, 200));
      logger.info("after");
      await end();
    `);
    expect(status).toBe(0);
    const records = lines.map(
      (l) => JSON.parse(l) as { i?: number; msg: string; dropped?: number; level: number },
    );
    const kept = records.filter((r) => typeof r.i === "number").length;
    expect(kept).toBeGreaterThan(10_000);
    expect(kept).toBeLessThan(60_000);
    expect(records.slice(-2)).toMatchObject([
      { msg: "after" },
      { level: 40, dropped: 60_000 - kept, msg: "log lines dropped: stdout was not keeping up with them" },
    ]);
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
