// The bundled catalog turned back into the snapshot history it was built from, so a live
// list can be merged onto it with the same buildCatalog (and so delist projects the same
// way) even where the raw snapshot files are not shipped, e.g. in the container image.
import type { Catalog, Project, SnapshotRef } from "../core/catalog-schema.js";
import { sameSnapshot } from "../core/catalog-schema.js";
import type { Curation } from "./curation.js";
import type { ImportedProject, ImportedSnapshot } from "./import-snapshot.js";

/**
 * One pseudo-snapshot per bundled snapshot holding each project's last-known row where it
 * was first and last listed: buildCatalog reads nothing else (first and latest listing), so
 * `buildCatalog(historyFromCatalog(c), curation)` gives `c` back (a test checks it).
 * Rows carry curated values; curation applied again over them yields the same values.
 */
export function historyFromCatalog(catalog: Catalog): ImportedSnapshot[] {
  const history = catalog.snapshots.map((snapshot, i) => ({
    snapshot,
    label: snapshot.commit ? `${snapshot.date}-${snapshot.commit}` : `${snapshot.date}-live`,
    projects: [] as ImportedProject[],
    areas: [] as string[],
    warnings: i === 0 ? catalog.warnings : [],
  }));
  const at = (ref: SnapshotRef) => {
    const found = history.find((h) => sameSnapshot(h.snapshot, ref));
    if (!found) throw new Error(`bundled catalog names a snapshot it does not list: ${ref.date}`);
    return found;
  };
  const newest = at(catalog.snapshot);
  newest.areas = catalog.areas.map((a) => a.name);
  for (const p of catalog.projects) {
    const row = toRow(p);
    const first = at(p.firstListed);
    const last = p.listed === true ? newest : at(p.listed);
    first.projects.push(row);
    if (last !== first) last.projects.push(row);
  }
  return history;
}

function toRow(p: Project): ImportedProject {
  return {
    id: p.id,
    name: p.name,
    area: p.area,
    areaId: p.areaId,
    goal: p.goal,
    url: p.url,
    links: p.links,
    maturity: p.maturity,
    channels: p.channels,
    azure: p.azure,
    lifecycle: p.lifecycle,
    ...(p.lifecycleSource ? { lifecycleSource: p.lifecycleSource } : {}),
    pastProject: p.pastProject,
    successors: p.successors,
    nameAliases: p.aliases,
    row: p.provenance.row,
  };
}

/**
 * The curation entries that concern only the given projects and areas: an older snapshot
 * built on its own must not fail for naming projects that did not exist yet.
 */
export function curationFor(curation: Curation, ids: Set<string>, areaIds: Set<string>): Curation {
  return {
    ...curation,
    areas: Object.fromEntries(Object.entries(curation.areas).filter(([id]) => areaIds.has(id))),
    ambiguous: curation.ambiguous
      .map((a) => ({ ...a, ids: a.ids.filter((id) => ids.has(id)) }))
      .filter((a) => a.ids.length >= 2),
    projects: Object.fromEntries(
      Object.entries(curation.projects)
        .filter(([id]) => ids.has(id))
        .map(([id, p]) => [
          id,
          { ...p, successors: p.successors.filter((s) => s.id === undefined || ids.has(s.id)) },
        ]),
    ),
  };
}
