// Child processes of the benchmarks: servers pinned to one core and the load generator to the
// other (taskset, util-linux), readiness polling, RSS from /proc/<pid>/status, and stopping.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { performance } from "node:perf_hooks";
import type { LoadRun, LoadSummary } from "../load-worker.js";
import { REPO_ROOT } from "./paths.js";

/**
 * The Node flags the production image runs the server with (the Dockerfile's
 * `ENV NODE_OPTIONS="…"`), read from the Dockerfile so that benchmarks measure what ships.
 */
export function imageNodeOptions(dockerfile = new URL("Dockerfile", REPO_ROOT)): string[] {
  const m = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(readFileSync(dockerfile, "utf8"));
  if (!m?.[1]) throw new Error(`no ENV NODE_OPTIONS="…" line in ${dockerfile.pathname}`);
  return m[1].split(/\s+/).filter(Boolean);
}

export const SERVER_CPU = "1";
export const LOAD_CPU = "0";

/** Fails with an actionable message when taskset or the second core is missing. */
export function checkPinning(): void {
  try {
    execFileSync("taskset", ["-c", SERVER_CPU, "true"], { stdio: "pipe" });
  } catch (e) {
    throw new Error(
      `the benchmark pins servers and load to separate cores with taskset (util-linux), which failed: ${
        e instanceof Error ? e.message : e
      }. Install util-linux and run it on a machine with at least 2 cores.`,
    );
  }
}

/** Moves this process (the parent: local edge and sampling) onto the load generator's core. */
export function pinSelf(cpu: string): void {
  // -a: every thread (libuv's pool, V8's), not only the main one.
  execFileSync("taskset", ["-a", "-pc", cpu, String(process.pid)], { stdio: "pipe" });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Spawned {
  child: ChildProcess;
  pid: number;
  spawnedAt: number;
  stderr: () => string;
}

/** `taskset -c <cpu> node <args>`: taskset execs node, so the pid is node's. */
export function spawnPinned(cpu: string, args: string[], env: Record<string, string>): Spawned {
  const spawnedAt = performance.now();
  const child = spawn("taskset", ["-c", cpu, process.execPath, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (c: Buffer) => {
    err = (err + c.toString("utf8")).slice(-4000);
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${args.join(" ")}`);
  return { child, pid: child.pid, spawnedAt, stderr: () => err };
}

export interface HttpProbe {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export function httpStatus(port: number, probe: HttpProbe, timeoutMs = 2000): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: probe.method,
        path: probe.path,
        headers: probe.headers,
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(0));
    req.on("timeout", () => req.destroy());
    req.end(probe.body);
  });
}

export async function httpJson(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => {
        body += c.toString("utf8");
      });
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Polls until `probe` answers 2xx; resolves with ms since spawn. */
export async function waitReady(s: Spawned, port: number, probe: () => HttpProbe, limitMs = 15_000) {
  for (;;) {
    if (s.child.exitCode !== null) throw new Error(`server exited (${s.child.exitCode}): ${s.stderr()}`);
    const status = await httpStatus(port, probe(), 1000);
    if (status >= 200 && status < 300) return performance.now() - s.spawnedAt;
    if (performance.now() - s.spawnedAt > limitMs)
      throw new Error(`server not ready after ${limitMs} ms (last status ${status}): ${s.stderr()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Resident set size in MB, from /proc/<pid>/status (VmRSS). */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m?.[1] ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time the process has used so far, user plus system, all threads (libuv's pool and V8's
 * included), in µs: fields 14 and 15 of /proc/<pid>/stat, counted after the ")" that ends the
 * command name since that name may contain spaces.
 */
export function cpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** Samples RSS every `everyMs` until stopped; returns the peak. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    const v = rssMb(pid);
    if (v > peak || Number.isNaN(peak)) peak = v;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMb(pid));
    },
  };
}

export async function stop(s: Spawned, graceMs = 15_000): Promise<number | null> {
  if (s.child.exitCode !== null) return s.child.exitCode;
  const exited = new Promise<number | null>((r) => s.child.once("exit", (code) => r(code)));
  s.child.kill("SIGTERM");
  const timer = setTimeout(() => s.child.kill("SIGKILL"), graceMs);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

export interface LoadGenerator {
  run(job: LoadRun): Promise<LoadSummary>;
  close(): void;
}

/** The autocannon process (bench/load-worker.ts) pinned to `cpu`, driven over IPC. */
export async function startLoadGenerator(workerPath: string, cpu: string): Promise<LoadGenerator> {
  // taskset execs node, which finds the IPC channel in the environment spawn() sets up.
  const child = spawn("taskset", ["-c", cpu, process.execPath, workerPath], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  if (child.pid === undefined) throw new Error("could not start the load generator");
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`load generator exited (${code})`)));
  });
  let next = 0;
  const waiting = new Map<number, { resolve: (r: LoadSummary) => void; reject: (e: Error) => void }>();
  child.on("message", (m: { id: number; result?: LoadSummary; error?: string }) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.result) w.resolve(m.result);
    else w.reject(new Error(`load generator: ${m.error}`));
  });
  return {
    run: (job) =>
      new Promise((resolve, reject) => {
        const id = ++next;
        waiting.set(id, { resolve, reject });
        child.send({ id, job });
      }),
    close: () => void child.kill(),
  };
}
