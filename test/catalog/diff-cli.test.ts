// `upstream catalog diff` as a user runs it: the built entry point in a child process, reading
// a fixture file and a URL served by a real HTTP server on 127.0.0.1.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/catalog/catalog-files.js";

const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8"));
const BIN = join(PROJECT_ROOT, pkg.bin.upstream);
const CHANGED = join("test", "fixtures", "upstream", "changed-README.md");

/** Async, so the in-process HTTP server below can answer the child. */
function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

let server: Server;
let base: string;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first (npm test does)`);
  server = createServer((req, res) => {
    if (req.url === "/README.md")
      res.writeHead(200, { "content-type": "text/plain" }).end(readFileSync(join(PROJECT_ROOT, CHANGED)));
    else res.writeHead(404).end("not found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("upstream catalog diff", () => {
  it("no argument: a readable report of the bundled history", async () => {
    const r = await run(["catalog", "diff"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^Catalog diff: bundled 2024-09-10 \(5bfcabd\) → bundled 2025-09-02 \(9b7e339\)\n/,
    );
    expect(r.stdout).toContain("Added (16)");
    expect(r.stdout).toContain("  - SpiderLightning [Web Assembly / WASI]");
  });

  it("a file, --json: the diff as JSON", async () => {
    const r = await run(["catalog", "diff", CHANGED, "--json"]);
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d).toMatchObject({ candidate: CHANGED, listed: { before: 48, after: 48 } });
    expect(d.added.map((p: { id: string }) => p.id)).toEqual(["headlamp"]);
    expect(d.removed.map((p: { id: string }) => p.id)).toEqual(["copacetic"]);
    expect(d.lifecycle).toMatchObject([{ id: "porter", from: "active", to: "deprecated" }]);
  });

  it("a URL", async () => {
    const r = await run(["catalog", "diff", `${base}/README.md`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("  + Headlamp [Kubernetes Cluster Management]");
  });

  it.each([
    [
      ["catalog", "diff", "missing-README.md"],
      /^upstream catalog diff: cannot read missing-README\.md: no such file\n$/,
    ],
    [["catalog", "diff", "test"], /^upstream catalog diff: cannot read test: it is a directory\n$/],
  ])("%j: exit 1 with the reason", async (args, message) => {
    const r = await run(args);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
  });

  it("a URL that answers 404: exit 1 with the reason", async () => {
    const r = await run(["catalog", "diff", `${base}/nope.md`]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `upstream catalog diff: cannot fetch ${base}/nope.md: upstream answered HTTP 404 Not Found\n`,
    );
  });
});
