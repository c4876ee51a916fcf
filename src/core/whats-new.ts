// "What's new?" / "what changed in the list?": the changes a live list made since the
// bundled snapshot when there are any, otherwise what the newest bundled snapshot changed
// against the one before it. Both come from the catalog alone, so the answer stays pure.
import {
  type AnswerSource,
  formatUtc,
  type ListAnswer,
  type ListChange,
  type ProjectSummary,
  summarize,
} from "./answer.js";
import { type CatalogChanges, type Project, type SnapshotRef, sameSnapshot } from "./catalog-schema.js";
import type { CatalogIndex } from "./search-index.js";

type Base = { query: string; source: AnswerSource; reportUrl: string };

export function whatsNew(index: CatalogIndex, base: Base): ListAnswer {
  const live = index.catalog.changes;
  if (live && changeCount(live) > 0) return liveChanges(index, base, live);
  return bundledChanges(index, base, live);
}

function changeCount(c: CatalogChanges): number {
  return c.added.length + c.removed.length + c.moved.length + c.lifecycle.length;
}

function liveChanges(index: CatalogIndex, base: Base, c: CatalogChanges): ListAnswer {
  const changes: ListChange[] = [];
  const name = (id: string) => index.byId.get(id)?.name ?? id;
  for (const id of c.added) changes.push({ id, name: name(id), change: "added" });
  for (const id of c.removed) changes.push({ id, name: name(id), change: "removed" });
  for (const l of c.lifecycle)
    changes.push({ id: l.id, name: name(l.id), change: "lifecycle", from: l.from, to: l.to });
  for (const m of c.moved)
    changes.push({ id: m.id, name: name(m.id), change: "moved", from: m.from, to: m.to });

  const fetched = index.catalog.snapshot.fetchedAt;
  const counts = [
    `${c.added.length} added`,
    `${c.removed.length} removed`,
    ...(c.lifecycle.length ? [`${c.lifecycle.length} changed lifecycle`] : []),
    ...(c.moved.length ? [`${c.moved.length} moved to another area`] : []),
  ];
  return {
    ...base,
    kind: "list",
    intent: "whats_new",
    title:
      `Changes in the live list${fetched ? ` (fetched ${formatUtc(fetched)})` : ""} ` +
      `since the bundled ${c.since.date} list: ${counts.join(", ")}`,
    projects: uniqueSummaries(index, changes),
    changes,
    since: c.since,
  };
}

/** What the newest bundled snapshot added and removed against the one before it. */
function bundledChanges(index: CatalogIndex, base: Base, live: CatalogChanges | undefined): ListAnswer {
  const { catalog } = index;
  const newest = live?.since ?? catalog.snapshot;
  const at = catalog.snapshots.findIndex((s) => sameSnapshot(s, newest));
  const previous: SnapshotRef | undefined = at > 0 ? catalog.snapshots[at - 1] : undefined;
  const added = catalog.projects.filter((p) => p.listed === true && sameSnapshot(p.firstListed, newest));
  const removed = catalog.projects.filter(
    (p) => p.listed !== true && previous !== undefined && sameSnapshot(p.listed, previous),
  );
  const changes: ListChange[] = [
    ...added.map((p) => change(p, "added")),
    ...removed.map((p) => change(p, "removed")),
  ];
  const fetched = catalog.snapshot.fetchedAt;
  const unchangedLive = live
    ? `The live list${fetched ? ` (fetched ${formatUtc(fetched)})` : ""} adds, removes, moves or retires ` +
      `no project since the bundled ${newest.date} list. `
    : "";
  const since = previous ? ` since ${previous.date}` : "";
  return {
    ...base,
    kind: "list",
    intent: "whats_new",
    title: `${unchangedLive}Changes in the ${newest.date} list${since}: ${added.length} added, ${removed.length} removed`,
    projects: [...added, ...removed].map(summarize),
    changes,
    ...(previous ? { since: previous } : {}),
  };
}

function change(p: Project, kind: ListChange["change"]): ListChange {
  return { id: p.id, name: p.name, change: kind };
}

function uniqueSummaries(index: CatalogIndex, changes: ListChange[]): ProjectSummary[] {
  const seen = new Set<string>();
  const out: ProjectSummary[] = [];
  for (const c of changes) {
    const p = index.byId.get(c.id);
    if (!p || seen.has(c.id)) continue;
    seen.add(c.id);
    out.push(summarize(p));
  }
  return out;
}
