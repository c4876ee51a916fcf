// Where the benchmarks find the repository, its built bench files and the built server, whether
// they run from build/bench/ (npm run bench) or from bench/ (the tests that import them).
import { fileURLToPath } from "node:url";

export const REPO_ROOT = new URL(
  import.meta.url.includes("/build/") ? "../../../" : "../../",
  import.meta.url,
);
const root = fileURLToPath(REPO_ROOT);
/** The compiled benchmarks (tsconfig.bench.json). */
export const BUILD_DIR = `${root}build/bench/`;
/** The server as shipped. */
export const CLI = `${root}dist/terminal/cli.js`;
