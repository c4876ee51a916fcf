// What one catalog changes against another: projects added to or removed from the list,
// moved between areas, retired or revived, and edits to their maturity, links and channels.
// Pure; `upstream catalog diff` prints it and a live catalog keeps a summary of it.
import type { Catalog, CatalogChanges, Lifecycle, Project, SnapshotRef } from "../core/catalog-schema.js";

export interface ProjectRef {
  id: string;
  name: string;
  /** The area in the newer catalog (the older one for removed projects). */
  area: string;
}

export interface LinkRef {
  label: string;
  url?: string;
}

export type FieldChange =
  | { field: "name" | "goal" | "url" | "maturity"; from: string; to: string }
  | { field: "links" | "channels" | "azure" | "successors"; added: LinkRef[]; removed: LinkRef[] };

export interface CatalogDiff {
  from: SnapshotRef;
  to: SnapshotRef;
  /** Listed projects before and after. */
  listed: { before: number; after: number };
  /** On the newer list and not on the older one (new, or listed again). */
  added: ProjectRef[];
  /** On the older list and not on the newer one: the catalog keeps them as delisted. */
  removed: ProjectRef[];
  moved: (ProjectRef & { from: string; to: string })[];
  lifecycle: (ProjectRef & { from: Lifecycle; to: Lifecycle })[];
  /** Other edits to projects listed in both. */
  changed: (ProjectRef & { changes: FieldChange[] })[];
}

export function diffCatalogs(old: Catalog, next: Catalog): CatalogDiff {
  const before = new Map(old.projects.filter((p) => p.listed === true).map((p) => [p.id, p]));
  const after = new Map(next.projects.filter((p) => p.listed === true).map((p) => [p.id, p]));
  const diff: CatalogDiff = {
    from: old.snapshot,
    to: next.snapshot,
    listed: { before: before.size, after: after.size },
    added: [],
    removed: [],
    moved: [],
    lifecycle: [],
    changed: [],
  };
  for (const p of before.values()) if (!after.has(p.id)) diff.removed.push(ref(p));
  for (const p of after.values()) {
    const o = before.get(p.id);
    if (!o) {
      diff.added.push(ref(p));
      continue;
    }
    if (o.areaId !== p.areaId) diff.moved.push({ ...ref(p), from: o.area, to: p.area });
    if (o.lifecycle !== p.lifecycle) diff.lifecycle.push({ ...ref(p), from: o.lifecycle, to: p.lifecycle });
    const changes = fieldChanges(o, p);
    if (changes.length) diff.changed.push({ ...ref(p), changes });
  }
  return diff;
}

export function isEmptyDiff(d: CatalogDiff): boolean {
  return !(d.added.length || d.removed.length || d.moved.length || d.lifecycle.length || d.changed.length);
}

/** The part of a diff that "what's new?" answers with, kept on a live catalog. */
export function summarizeChanges(d: CatalogDiff): CatalogChanges {
  return {
    since: d.from,
    added: d.added.map((p) => p.id),
    removed: d.removed.map((p) => p.id),
    moved: d.moved.map((m) => ({ id: m.id, from: m.from, to: m.to })),
    lifecycle: d.lifecycle.map((l) => ({ id: l.id, from: l.from, to: l.to })),
  };
}

function ref(p: Project): ProjectRef {
  return { id: p.id, name: p.name, area: p.area };
}

function fieldChanges(o: Project, p: Project): FieldChange[] {
  const out: FieldChange[] = [];
  const text = (field: "name" | "goal" | "url", a: string, b: string) => {
    if (a !== b) out.push({ field, from: a, to: b });
  };
  text("name", o.name, p.name);
  text("goal", o.goal, p.goal);
  text("url", o.url, p.url);
  if (o.maturity.raw !== p.maturity.raw)
    out.push({ field: "maturity", from: o.maturity.raw, to: p.maturity.raw });
  const lists = [
    ["links", o.links, p.links],
    ["channels", o.channels, p.channels],
    ["azure", o.azure, p.azure],
    ["successors", o.successors.map(named), p.successors.map(named)],
  ] as const;
  for (const [field, a, b] of lists) {
    const { added, removed } = setDiff(a, b);
    if (added.length || removed.length) out.push({ field, added, removed });
  }
  return out;
}

function named(s: { name: string; url: string }): LinkRef {
  return { label: s.name, url: s.url };
}

function setDiff(a: readonly LinkRef[], b: readonly LinkRef[]): { added: LinkRef[]; removed: LinkRef[] } {
  const key = (l: LinkRef) => `${l.label}\u0000${l.url ?? ""}`;
  const ka = new Set(a.map(key));
  const kb = new Set(b.map(key));
  const plain = (l: LinkRef): LinkRef => (l.url ? { label: l.label, url: l.url } : { label: l.label });
  return {
    added: b.filter((l) => !ka.has(key(l))).map(plain),
    removed: a.filter((l) => !kb.has(key(l))).map(plain),
  };
}

export interface DiffTextOptions {
  /** How to name each side in the heading, e.g. "bundled 2025-09-02 (9b7e339)" and a file path. */
  fromLabel?: string;
  toLabel?: string;
  color?: boolean;
}

/** A readable terminal report; control characters from the list never reach the terminal. */
export function renderDiffText(d: CatalogDiff, opts: DiffTextOptions = {}): string {
  const bold = (s: string) => (opts.color ? `\x1b[1m${s}\x1b[22m` : s);
  const dim = (s: string) => (opts.color ? `\x1b[2m${s}\x1b[22m` : s);
  const safe = (s: string) => s.replace(/[\p{Cc}]/gu, " ");
  const out: string[] = [
    bold(
      `Catalog diff: ${safe(opts.fromLabel ?? refLabel(d.from))} → ${safe(opts.toLabel ?? refLabel(d.to))}`,
    ),
    `${d.listed.before} → ${d.listed.after} listed projects: ${d.added.length} added, ${d.removed.length} removed, ` +
      `${d.moved.length} moved, ${d.lifecycle.length} lifecycle ${d.lifecycle.length === 1 ? "change" : "changes"}, ` +
      `${d.changed.length} otherwise changed`,
  ];
  if (isEmptyDiff(d)) {
    out.push("", "No differences.");
    return out.join("\n");
  }
  const section = (title: string, lines: string[]) => {
    if (lines.length) out.push("", bold(`${title} (${lines.length})`), ...lines);
  };
  section(
    "Added",
    d.added.map((p) => `  + ${safe(p.name)} ${dim(`[${safe(p.area)}]`)}`),
  );
  section(
    "Removed (kept as delisted)",
    d.removed.map((p) => `  - ${safe(p.name)} ${dim(`[${safe(p.area)}]`)}`),
  );
  section(
    "Moved between areas",
    d.moved.map((m) => `  ~ ${safe(m.name)}: ${safe(m.from)} → ${safe(m.to)}`),
  );
  section(
    "Lifecycle",
    d.lifecycle.map((l) => `  ! ${safe(l.name)}: ${l.from} → ${l.to}`),
  );
  const changed: string[] = [];
  for (const c of d.changed) {
    changed.push(`  * ${safe(c.name)}`);
    for (const f of c.changes) {
      if ("from" in f) changed.push(`      ${f.field}: "${safe(f.from)}" → "${safe(f.to)}"`);
      else {
        for (const l of f.added) changed.push(`      ${f.field} + ${linkText(l, safe)}`);
        for (const l of f.removed) changed.push(`      ${f.field} - ${linkText(l, safe)}`);
      }
    }
  }
  if (d.changed.length) out.push("", bold(`Changed (${d.changed.length})`), ...changed);
  return out.join("\n");
}

function linkText(l: LinkRef, safe: (s: string) => string): string {
  return l.url ? `${safe(l.label)} ${safe(l.url)}` : `${safe(l.label)} (no link)`;
}

/** "2025-09-02 (9b7e339)" or "2026-02-20 (live, fetched …)". */
export function refLabel(r: SnapshotRef): string {
  if (r.commit) return `${r.date} (${r.commit})`;
  return r.fetchedAt ? `${r.date} (live, fetched ${r.fetchedAt})` : r.date;
}
