// Where the catalog lives on disk, and the build/check commands over those files.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Catalog } from "../core/catalog-schema.js";
import { buildCatalog } from "./build-catalog.js";
import { Curation } from "./curation.js";
import { type ImportedSnapshot, importSnapshot, snapshotFromFileName } from "./import-snapshot.js";

/** The project root: the nearest folder above this file with a package.json (src/, dist/ or build/ alike). */
export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return resolve(from, "..", "..");
  }
}
export const DATA_DIR = join(PROJECT_ROOT, "data");
export const CATALOG_FILE = join(DATA_DIR, "catalog.json");

export function readSnapshots(dir = join(DATA_DIR, "upstream")): ImportedSnapshot[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith("-README.md"))
    .sort()
    .map((f) => {
      const ref = snapshotFromFileName(f);
      if (!ref) throw new Error(`${f}: snapshot file names must look like YYYY-MM-DD-<commit>-README.md`);
      return importSnapshot(readFileSync(join(dir, f), "utf8"), ref);
    });
}

export function readCuration(file = join(DATA_DIR, "curation.json")): Curation {
  return Curation.parse(JSON.parse(readFileSync(file, "utf8")));
}

export function buildFromData(): Catalog {
  return buildCatalog(readSnapshots(), readCuration());
}

/** Stable, diff-friendly serialisation: the committed file must equal a fresh build byte for byte. */
export function serializeCatalog(c: Catalog): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}

export function loadCatalogFile(file = CATALOG_FILE): Catalog {
  return Catalog.parse(JSON.parse(readFileSync(file, "utf8")));
}

export function summaryLine(c: Catalog): string {
  const listed = c.projects.filter((p) => p.listed === true).length;
  return (
    `catalog: ${c.projects.length} projects (${listed} listed, ${c.projects.length - listed} delisted) ` +
    `in ${c.areas.length} areas; ${c.curatedFacts} curated facts; ${c.warnings.length} warnings`
  );
}

export function writeCatalog(c: Catalog, file = CATALOG_FILE): void {
  writeFileSync(file, serializeCatalog(c));
}

/** Null when the committed file matches a fresh build; otherwise why not. */
export function committedCatalogDiffers(fresh: Catalog, file = CATALOG_FILE): string | null {
  let committed: string;
  try {
    committed = readFileSync(file, "utf8");
  } catch {
    return `${file} is missing; run npm run catalog:build`;
  }
  return committed === serializeCatalog(fresh)
    ? null
    : `${file} differs from a fresh build of data/upstream + data/curation.json; run npm run catalog:build and commit it`;
}
