// Docker engines do not run here, so the Dockerfile's structure is checked instead: stages, base
// image, production-only dependencies, non-root user, exec-form CMD that lets node receive SIGTERM,
// EXPOSE matching the server's default port, and a .dockerignore that keeps secrets and junk out.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { imageNodeOptions } from "../../bench/lib/processes.js";
import { DEFAULT_PORT } from "../../src/config.js";

const ROOT = join(import.meta.dirname, "..", "..");

interface Instruction {
  op: string;
  args: string;
}

function instructions(text: string): Instruction[] {
  const logical = text
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  return logical.map((l) => {
    const m = /^(\w+)\s+(.*)$/.exec(l);
    if (!m?.[1] || m[2] === undefined) throw new Error(`cannot read Dockerfile line: ${l}`);
    return { op: m[1].toUpperCase(), args: m[2] };
  });
}

function stages(all: Instruction[]) {
  const out: { from: string; name: string; body: Instruction[] }[] = [];
  for (const i of all) {
    if (i.op === "FROM") {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(i.args);
      out.push({ from: m?.[1] ?? "", name: m?.[2] ?? "", body: [] });
    } else out.at(-1)?.body.push(i);
  }
  return out;
}

const all = instructions(readFileSync(join(ROOT, "Dockerfile"), "utf8"));
const [build, runtime, ...extra] = stages(all);

describe("Dockerfile", () => {
  it("has a build stage and a runtime stage on a maintained Node LTS image", () => {
    expect(extra).toHaveLength(0);
    expect(build?.name).toBe("build");
    expect(runtime?.name).toBe("runtime");
    const arg = all.find((i) => i.op === "ARG" && i.args.startsWith("NODE_IMAGE="));
    expect(arg?.args).toMatch(/^NODE_IMAGE=node:(22|24)(-bookworm)?-slim$/);
    // Both stages use the one ARG, so the build and the runtime can never drift apart.
    const fromArg = ["$", "{NODE_IMAGE}"].join("");
    expect(build?.from).toBe(fromArg);
    expect(runtime?.from).toBe(fromArg);
  });

  it("builds with dev dependencies and runs with production dependencies only", () => {
    const buildRuns = build?.body.filter((i) => i.op === "RUN").map((i) => i.args) ?? [];
    expect(buildRuns[0]).toMatch(/^npm ci\b/);
    expect(buildRuns[0]).not.toMatch(/--omit=dev/);
    expect(buildRuns).toContain("npm run build");
    const runtimeRuns = runtime?.body.filter((i) => i.op === "RUN").map((i) => i.args) ?? [];
    expect(runtimeRuns).toHaveLength(1);
    // `prepare` runs tsc, which is a dev dependency and has no sources in this stage.
    expect(runtimeRuns[0]).toMatch(/^npm ci --omit=dev --ignore-scripts\b/);
    const copies = runtime?.body.filter((i) => i.op === "COPY").map((i) => i.args) ?? [];
    expect(copies).toEqual([
      "package.json package-lock.json ./",
      "--from=build /app/dist ./dist",
      "data ./data",
    ]);
    for (const c of [...copies, ...(build?.body.filter((i) => i.op === "COPY").map((i) => i.args) ?? [])]) {
      if (c.startsWith("--from")) continue;
      for (const src of c.split(/\s+/).slice(0, -1)) expect(existsSync(join(ROOT, src)), src).toBe(true);
    }
  });

  it("runs as the non-root node user, in production mode, on the server's default port", () => {
    const body = runtime?.body ?? [];
    const user = body.findIndex((i) => i.op === "USER");
    expect(body[user]?.args).toBe("node");
    // Nothing after USER may need root.
    expect(body.slice(user).filter((i) => i.op === "RUN")).toEqual([]);
    const env = body
      .filter((i) => i.op === "ENV")
      .map((i) => i.args)
      .join(" ");
    expect(env).toMatch(/\bNODE_ENV=production\b/);
    expect(env).toMatch(new RegExp(`\\bPORT=${DEFAULT_PORT}\\b`));
    expect(body.filter((i) => i.op === "EXPOSE").map((i) => i.args)).toEqual([String(DEFAULT_PORT)]);
  });

  it("caps the V8 heap in the runtime image, with the flags the benchmarks run every server with", () => {
    const env = (runtime?.body ?? []).filter((i) => i.op === "ENV").map((i) => i.args);
    const line = env.find((e) => e.startsWith("NODE_OPTIONS="));
    const flags = imageNodeOptions();
    expect(line).toBe(`NODE_OPTIONS="${flags.join(" ")}"`);
    const oldSpace = Number(
      /^--max-old-space-size=(\d+)$/.exec(flags.find((f) => f.startsWith("--max-old")) ?? "")?.[1],
    );
    // Well under the Deployment's 256 MiB limit: V8 must collect long before the pod is killed.
    expect(oldSpace).toBeGreaterThanOrEqual(64);
    expect(oldSpace).toBeLessThanOrEqual(128);
    expect(flags.some((f) => /^--max-semi-space-size=\d+$/.test(f))).toBe(true);
    // One V8 worker thread for the Deployment's one CPU (see the Dockerfile's comment).
    expect(flags).toContain("--v8-pool-size=1");
  });

  it("sets only flags Node accepts in NODE_OPTIONS (any other would stop the container at start)", () => {
    const out = execFileSync(process.execPath, ["-e", "console.log('started')"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", NODE_OPTIONS: imageNodeOptions().join(" ") },
    });
    expect(out.trim()).toBe("started");
  });

  it("starts node directly in exec form, so node is PID 1 and gets SIGTERM (npm would swallow it)", () => {
    const cmds = all.filter((i) => i.op === "CMD");
    expect(cmds).toHaveLength(1);
    expect(JSON.parse(cmds[0]?.args ?? "")).toEqual(["node", "dist/terminal/cli.js", "serve"]);
    expect(all.some((i) => i.op === "ENTRYPOINT")).toBe(false);
    expect(existsSync(join(ROOT, "src/terminal/cli.ts"))).toBe(true);
    expect(all.find((i) => i.op === "STOPSIGNAL")?.args ?? "SIGTERM").toBe("SIGTERM");
    const health = all.find((i) => i.op === "HEALTHCHECK");
    expect(health?.args).toContain("/healthz");
    expect(health?.args).toMatch(/CMD \["node",/);
  });
});

describe(".dockerignore", () => {
  const rules = readFileSync(join(ROOT, ".dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));

  it("keeps local secrets, git history, dependencies and build output out of the context", () => {
    for (const r of [".git", ".env", ".env.*", "node_modules", "dist", "test"]) expect(rules).toContain(r);
    expect(rules).toContain("!.env.example");
  });

  it("keeps everything the Dockerfile copies", () => {
    for (const needed of ["src", "data", "package.json", "package-lock.json", "tsconfig.json"])
      expect(rules.filter((r) => r === needed || r === `${needed}/` || r === "*")).toEqual([]);
  });
});
