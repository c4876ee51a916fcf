// The real built process (`node dist/terminal/cli.js serve`) under SIGTERM (RELIABILITY case 47):
// readiness turns 503, a request still being uploaded is answered, the replies the Teams adapter
// sends after its turns all reach the connector, and the process exits 0 on its own.
// The connector is a local server that holds every reply until the test releases it.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "./helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const OUT = join(ROOT, "build", "server-test");

let connector: Server;
let connectorUrl: string;
const held: ServerResponse[] = [];
const replies: string[] = [];

beforeAll(async () => {
  // Compile the sources as `npm run build` does, into a folder of our own (build/ is git-ignored).
  // tsc emits even when another module has a type error, which the typecheck step reports anyway.
  try {
    execFileSync(
      process.execPath,
      [
        join(ROOT, "node_modules/typescript/bin/tsc"),
        "-p",
        join(ROOT, "tsconfig.json"),
        "--outDir",
        join(OUT, "dist"),
      ],
      {
        stdio: "pipe",
      },
    );
  } catch {
    // Type errors elsewhere in the tree still emit JavaScript; a missing entry point fails below.
  }
  connector = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      replies.push(`${req.method} ${req.url} ${body.length}`);
      held.push(res);
    });
  });
  await new Promise<void>((r) => connector.listen(0, "127.0.0.1", r));
  connectorUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((r) => connector.close(() => r())));

function activity(i: number) {
  return {
    type: "message",
    id: `act-${i}`,
    channelId: "msteams",
    serviceUrl: connectorUrl,
    from: { id: "29:user", name: "Ada" },
    recipient: { id: "28:bot", name: "Upstream" },
    conversation: { id: `a:conv-${i}`, conversationType: "personal" },
    text: i % 2 ? "eraser" : "what replaced aad pod identity?",
  };
}

describe("the built server process", () => {
  it("drains in-flight requests and background replies on SIGTERM, then exits 0", async () => {
    const child = spawn(process.execPath, [join(OUT, "dist/terminal/cli.js"), "serve"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "development",
        HOST: "127.0.0.1",
        PORT: "0",
        CATALOG_REFRESH_INTERVAL: "0",
        SHUTDOWN_DELAY_MS: "300",
        SHUTDOWN_TIMEOUT_MS: "10000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // "close", not "exit": the last log lines are flushed as the process exits, and "exit" can
    // arrive before the parent has read them from the pipe.
    const exited = once(child, "close") as Promise<[number | null, NodeJS.Signals | null]>;
    const lines: Record<string, unknown>[] = [];
    let url = "";
    const listening = new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on("line", (line) => {
        const rec = JSON.parse(line) as Record<string, unknown>;
        lines.push(rec);
        if (typeof rec.url === "string" && String(rec.msg).startsWith("listening on")) {
          url = rec.url;
          resolve();
        }
      });
      void exited.then(([code]) => reject(new Error(`exited ${code} before listening`)));
    });
    let stderr = "";
    child.stderr.on("data", (c) => {
      stderr += c;
    });
    await listening.catch((e: Error) => {
      throw new Error(`${e.message}\n${stderr}`);
    });

    // Ten answered turns whose replies are still on their way to the connector.
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        send(url, "/api/messages", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(activity(i)),
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    while (held.length < 10) await new Promise((r) => setTimeout(r, 10));

    // One more request, half uploaded when the signal arrives.
    const body = JSON.stringify(activity(10));
    const slow = new Promise<number>((resolve, reject) => {
      const req = request(`${url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.write(body.slice(0, 40));
      setTimeout(() => req.end(body.slice(40)), 500);
    });
    await new Promise((r) => setTimeout(r, 100));

    const t0 = performance.now();
    child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 100));
    const ready = await send(url, "/readyz");
    expect(ready.status).toBe(503);

    expect(await slow).toBe(200);
    while (held.length < 11) await new Promise((r) => setTimeout(r, 10));
    // The connector answers only now: the process must have waited for these replies.
    await new Promise((r) => setTimeout(r, 200));
    expect(child.exitCode).toBeNull();
    const released = performance.now();
    for (const res of held.splice(0))
      res.writeHead(200, { "content-type": "application/json" }).end('{"id":"r"}');

    const [code, signal] = await exited;
    const ms = Math.round(performance.now() - t0);
    const afterRelease = Math.round(performance.now() - released);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(replies).toHaveLength(11);
    const messages = lines.map((l) => l.msg);
    expect(messages).toContain("background replies finished");
    expect(messages.at(-1)).toBe("shutdown complete");
    expect(lines.find((l) => l.msg === "shutdown complete")).toMatchObject({ forced: false });
    // Not a timing assertion: printed for the report.
    console.info(
      `SIGTERM → exit 0 in ${ms} ms; ${afterRelease} ms after the connector released the last reply`,
    );
  });
});
