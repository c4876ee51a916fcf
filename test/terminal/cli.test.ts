// The `upstream` command as a user runs it: the built entry point in a child process.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/catalog/catalog-files.js";

const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8"));
const BIN = join(PROJECT_ROOT, pkg.bin.upstream);
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, [BIN, ...args], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    input,
    timeout: 20_000,
  });

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first (npm test does)`);
});

describe("upstream", () => {
  it("--json prints the Answer", () => {
    const r = run(["--json", "what", "replaced", "aad", "pod", "identity?"]);
    expect(r.status).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.kind).toBe("alternatives");
    expect(a.project.name).toBe("AAD Pod Identity");
    expect(a.alternatives[0].name).toBe("Azure Workload Identity");
  });

  it("--json --batch answers one line per stdin line in one process", () => {
    const r = run(["--json", "--batch"], "eraser\nkms\n\nasdfghjkl\n");
    expect(r.status).toBe(0);
    const kinds = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).kind);
    expect(kinds).toEqual(["project", "choices", "help", "not_found"]);
  });

  it("prints a plain card when piped, with the warning and the source footer", () => {
    const r = run(["osm"]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain("\u001b[");
    expect(r.stdout).toMatch(/⚠ Open Service Mesh \(OSM\) is DEPRECATED\. Use instead: Istio\./);
    expect(r.stdout).toMatch(/Source: upstream list 2025-09-02 \(9b7e339\)/);
    expect(r.stdout).toMatch(
      /Outdated\? https:\/\/github\.com\/Azure\/container-upstream\/issues\/new\?title=/,
    );
  });

  it.each([[[]], [["--bogus"]], [["--batch"]], [["--json", "--batch", "extra"]], [["catalog", "nope"]]])(
    "bad usage %j prints usage and exits 2",
    (args) => {
      const r = run(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^upstream: .*\nusage:/);
    },
  );

  it("--help prints usage and exits 0", () => {
    const r = run(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage:/);
  });

  it("chat answers each line and quits at end of input", () => {
    const r = run(["chat"], "eraser\nhelp\n");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Eraser/);
    expect(r.stdout).toMatch(/Try:/);
  });

  it("catalog check agrees with the committed catalog", () => {
    const r = run(["catalog", "check"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^catalog: 50 projects \(48 listed, 2 delisted\) in 11 areas; \d+ curated facts; \d+ warnings\n$/,
    );
  });
});
