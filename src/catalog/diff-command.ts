// `upstream catalog diff [file-or-url] [--json]`: what a version of the upstream list would
// change. No argument: the newest bundled snapshot against the previous one. A file or URL:
// that list merged exactly as a live refresh would merge it, against the bundled catalog.
import { readFileSync } from "node:fs";
import type { Catalog } from "../core/catalog-schema.js";
import { slugify } from "../core/text.js";
import { buildCatalog, CatalogValidationError } from "./build-catalog.js";
import { buildLiveCatalog, checkDrop, ListDropError, liveSnapshotRef } from "./build-live-catalog.js";
import { type CatalogDiff, diffCatalogs, refLabel, renderDiffText } from "./catalog-diff.js";
import { loadCatalogFile, readCuration, readSnapshots } from "./catalog-files.js";
import { curationFor } from "./catalog-history.js";
import type { Curation } from "./curation.js";
import { fetchUpstream, UpstreamFetchError } from "./fetch-upstream.js";
import { type ImportedSnapshot, importSnapshot, SnapshotFormatError } from "./import-snapshot.js";
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_DROP_SHARE, DEFAULT_TIMEOUT_MS } from "./live-catalog.js";

/** A file or URL that cannot be read or merged; the message says which and why. */
export class DiffInputError extends Error {
  override name = "DiffInputError";
}

export interface DiffCommandOptions {
  json: boolean;
  color?: boolean;
  fetch?: typeof fetch;
  now?: () => Date;
  /** Defaults: data/catalog.json, data/curation.json, data/upstream/. */
  bundled?: Catalog;
  curation?: Curation;
  snapshots?: ImportedSnapshot[];
}

export interface DiffReport {
  /** The file or URL compared, or null for the bundled history. */
  candidate: string | null;
  diff: CatalogDiff;
  /** Set when a live refresh would keep the current catalog instead of this list. */
  refusedBecause?: string;
}

export async function catalogDiff(arg: string | undefined, o: DiffCommandOptions): Promise<DiffReport> {
  if (arg === undefined) return { candidate: null, diff: bundledHistoryDiff(o) };
  const bundled = o.bundled ?? loadCatalogFile();
  const curation = o.curation ?? readCuration();
  const isUrl = /^https?:\/\//i.test(arg);
  const markdown = isUrl ? await download(arg, o) : readLocal(arg);
  const at = (o.now ?? (() => new Date()))();
  const ref = liveSnapshotRef(isUrl ? arg : bundled.upstream.readme, at, bundled);
  let imported: ImportedSnapshot;
  try {
    imported = importSnapshot(markdown, ref);
  } catch (e) {
    if (e instanceof SnapshotFormatError)
      throw new DiffInputError(`${arg} is not a readable upstream list: ${e.message}`);
    throw e;
  }
  let next: Catalog;
  try {
    next = buildLiveCatalog(bundled, curation, imported);
  } catch (e) {
    if (e instanceof CatalogValidationError)
      throw new DiffInputError(`a live refresh would refuse ${arg}: ${e.message}`);
    throw e;
  }
  let refusedBecause: string | undefined;
  try {
    checkDrop(bundled, imported, DEFAULT_MAX_DROP_SHARE);
  } catch (e) {
    if (!(e instanceof ListDropError)) throw e;
    refusedBecause = e.message;
  }
  return { candidate: arg, diff: diffCatalogs(bundled, next), ...(refusedBecause ? { refusedBecause } : {}) };
}

export function formatDiffReport(r: DiffReport, o: { json: boolean; color?: boolean }): string {
  if (o.json) return JSON.stringify({ candidate: r.candidate, ...r.diff, refusedBecause: r.refusedBecause });
  const text = renderDiffText(r.diff, {
    fromLabel: `bundled ${refLabel(r.diff.from)}`,
    toLabel: r.candidate ?? `bundled ${refLabel(r.diff.to)}`,
    color: o.color ?? false,
  });
  return r.refusedBecause ? `${text}\n\nA live refresh would refuse this list: ${r.refusedBecause}` : text;
}

/** The newest bundled snapshot against the one before it, each with the curation that applies to it. */
function bundledHistoryDiff(o: DiffCommandOptions): CatalogDiff {
  const snapshots = [...(o.snapshots ?? readSnapshots())].sort((a, b) =>
    a.snapshot.date.localeCompare(b.snapshot.date),
  );
  const curation = o.curation ?? readCuration();
  if (snapshots.length < 2)
    throw new DiffInputError("only one bundled snapshot in data/upstream: nothing to compare it with");
  const older = snapshots.slice(0, -1);
  const ids = new Set(older.flatMap((s) => s.projects.map((p) => p.id)));
  const areas = new Set(older.flatMap((s) => [...s.areas, ...s.projects.map((p) => p.area)].map(slugify)));
  return diffCatalogs(
    buildCatalog(older, curationFor(curation, ids, areas)),
    buildCatalog(snapshots, curation),
  );
}

function readLocal(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (e as Error).message;
    throw new DiffInputError(`cannot read ${path}: ${why}`);
  }
}

async function download(url: string, o: DiffCommandOptions): Promise<string> {
  try {
    const got = await fetchUpstream({
      url,
      timeoutMs: DEFAULT_TIMEOUT_MS,
      maxBytes: DEFAULT_MAX_BYTES,
      ...(o.fetch ? { fetch: o.fetch } : {}),
    });
    if (got.status !== "ok") throw new DiffInputError(`cannot fetch ${url}: unexpected 304`);
    return got.text;
  } catch (e) {
    if (e instanceof UpstreamFetchError) throw new DiffInputError(`cannot fetch ${url}: ${e.message}`);
    throw e;
  }
}
