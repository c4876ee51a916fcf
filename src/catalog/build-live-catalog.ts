// A freshly fetched upstream list → a catalog: merged onto the bundled history with the
// same buildCatalog and curation overlay (projects that disappear become delisted), checked
// for a suspicious drop of projects, and annotated with what it changed since the bundle.
import { Catalog, type SnapshotRef } from "../core/catalog-schema.js";
import { buildCatalog, CatalogValidationError } from "./build-catalog.js";
import { diffCatalogs, summarizeChanges } from "./catalog-diff.js";
import { historyFromCatalog } from "./catalog-history.js";
import type { Curation } from "./curation.js";
import type { ImportedSnapshot } from "./import-snapshot.js";

/** Refused because the new list loses too many of the projects listed now (a broken edit, not a cleanup). */
export class ListDropError extends Error {
  constructor(
    readonly lost: string[],
    readonly listedBefore: number,
    readonly maxShare: number,
  ) {
    super(
      `the new list drops ${lost.length} of ${listedBefore} listed projects ` +
        `(${percent(lost.length / Math.max(1, listedBefore))}, more than the ${percent(maxShare)} allowed)` +
        `${lost.length ? `: ${lost.slice(0, 5).join(", ")}${lost.length > 5 ? ", …" : ""}` : ""}`,
    );
    this.name = "ListDropError";
  }
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/**
 * The reference of a live fetch: no commit id (the raw README does not carry one), the
 * fetch time instead. Its date is never older than the bundled snapshot's, so the live list
 * is always the newest one even when the clock is behind the bundle.
 */
export function liveSnapshotRef(url: string, fetchedAt: Date, bundled: Catalog): SnapshotRef {
  const today = fetchedAt.toISOString().slice(0, 10);
  const date = today.localeCompare(bundled.snapshot.date) < 0 ? bundled.snapshot.date : today;
  return { date, url, fetchedAt: fetchedAt.toISOString() };
}

/** Throws ListDropError when `next` loses more than `maxShare` of the projects `current` lists. */
export function checkDrop(current: Catalog, next: ImportedSnapshot, maxShare: number): void {
  const listed = current.projects.filter((p) => p.listed === true);
  const ids = new Set(next.projects.map((p) => p.id));
  const lost = listed.filter((p) => !ids.has(p.id));
  if (listed.length === 0 || lost.length / listed.length <= maxShare) return;
  throw new ListDropError(
    lost.map((p) => p.name),
    listed.length,
    maxShare,
  );
}

/** Throws CatalogValidationError when the merged catalog is invalid; never returns a partial one. */
export function buildLiveCatalog(bundled: Catalog, curation: Curation, live: ImportedSnapshot): Catalog {
  const merged = buildCatalog([...historyFromCatalog(bundled), live], curation);
  const changes = summarizeChanges(diffCatalogs(bundled, merged));
  const parsed = Catalog.safeParse({ ...merged, changes });
  if (!parsed.success)
    throw new CatalogValidationError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  return parsed.data as Catalog;
}
