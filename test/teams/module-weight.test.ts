// The Teams adapter loads the parts of botbuilder it uses, not the SDK's index (see the imports of
// src/teams/handler.ts): checked in a fresh Node process on the built server, where nothing else
// has loaded botbuilder first.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/catalog/catalog-files.js";

const probe = `
  const { createRequire } = await import("node:module");
  await import(${JSON.stringify(join(PROJECT_ROOT, "dist", "teams", "index.js"))});
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  console.log(JSON.stringify({
    botbuilderIndex: loaded.some((f) => /node_modules\\/botbuilder\\/lib\\/index\\.js$/.test(f)),
    cloudAdapter: loaded.some((f) => /node_modules\\/botbuilder\\/lib\\/cloudAdapter\\.js$/.test(f)),
  }));
`;

describe("Teams adapter's share of botbuilder", () => {
  it("loads CloudAdapter and botbuilder-core but not botbuilder's index", () => {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", probe], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
    });
    expect(JSON.parse(out)).toEqual({ botbuilderIndex: false, cloudAdapter: true });
  });
});
