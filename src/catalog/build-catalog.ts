// Snapshots + curation → one validated Catalog. The newest snapshot decides what is
// listed; a project only older snapshots have stays, marked delisted with its last-known
// data, so the bot can still say what it was and what to use now.
import { Catalog, type ImportWarning, type Project, type Successor } from "../core/catalog-schema.js";
import { matchKey, slugify } from "../core/text.js";
import { type Curation, countCuratedFacts } from "./curation.js";
import { type ImportedProject, type ImportedSnapshot, UPSTREAM_REPO } from "./import-snapshot.js";

export class CatalogValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`catalog is invalid:\n  - ${problems.join("\n  - ")}`);
    this.name = "CatalogValidationError";
  }
}

export const UPSTREAM = {
  repository: UPSTREAM_REPO,
  readme: "https://raw.githubusercontent.com/Azure/container-upstream/main/README.md",
  issues: `${UPSTREAM_REPO}/issues`,
};

/** Snapshots in any order; the one with the latest date is the newest. */
export function buildCatalog(snapshots: ImportedSnapshot[], curation: Curation): Catalog {
  if (snapshots.length === 0) throw new CatalogValidationError(["no snapshot to build from"]);
  const ordered = [...snapshots].sort((a, b) => a.snapshot.date.localeCompare(b.snapshot.date));
  const newest = ordered[ordered.length - 1] as ImportedSnapshot;
  const problems: string[] = [];

  // Last-known row of every project ever listed, with the snapshot that last listed it.
  const latest = new Map<string, { row: ImportedProject; from: ImportedSnapshot }>();
  const first = new Map<string, ImportedSnapshot>();
  for (const snap of ordered)
    for (const row of snap.projects) {
      latest.set(row.id, { row, from: snap });
      if (!first.has(row.id)) first.set(row.id, snap);
    }

  const order = [
    ...newest.projects.map((p) => p.id),
    ...[...latest.keys()].filter((id) => !newest.projects.some((p) => p.id === id)),
  ];

  const rewrite = linkRewriter(curation);
  const projects: Project[] = order.map((id) => {
    const { row, from } = latest.get(id) as { row: ImportedProject; from: ImportedSnapshot };
    const cur = curation.projects[id];
    const project: Project = {
      id,
      name: row.name,
      area: row.area,
      areaId: row.areaId,
      goal: cur?.goal?.text ?? row.goal,
      url: rewrite(row.url),
      links: row.links.map((l) => ({ ...l, url: rewrite(l.url) })),
      maturity: row.maturity,
      channels: row.channels.map((c) => {
        const fix = cur?.channels.find((f) => f.match === c.label);
        const url = fix?.url ?? c.url;
        return {
          ...c,
          ...(url ? { url: rewrite(url) } : {}),
          ...(fix?.workspace ? { workspace: fix.workspace } : {}),
          ...(fix?.kind ? { kind: fix.kind } : {}),
        };
      }),
      azure: row.azure.map((a) => ({ ...a, url: rewrite(a.url) })),
      lifecycle: cur?.lifecycle?.value ?? row.lifecycle,
      ...(cur?.lifecycle
        ? { lifecycleSource: { wording: cur.lifecycle.wording, source: cur.lifecycle.source } }
        : row.lifecycleSource
          ? { lifecycleSource: row.lifecycleSource }
          : {}),
      listed: from === newest ? true : from.snapshot,
      firstListed: (first.get(id) ?? from).snapshot,
      pastProject: row.pastProject,
      successors: mergeSuccessors(row.successors, cur?.successors ?? []).map((s) => ({
        ...s,
        url: rewrite(s.url),
      })),
      ...(cur?.noSuccessor ? { noSuccessor: cur.noSuccessor } : {}),
      aliases: dedupe([...row.nameAliases, ...(cur?.aliases.flatMap((a) => a.names) ?? [])]),
      topics: dedupe(cur?.topics ?? []),
      notes: cur?.notes ?? [],
      provenance: { snapshot: from.snapshot, row: row.row },
    };
    return project;
  });

  for (const id of Object.keys(curation.projects))
    if (!latest.has(id)) problems.push(`curation names unknown project id "${id}"`);

  linkSuccessors(projects, problems);
  checkTopics(projects, curation, problems);
  checkAliases(projects, curation, problems);

  const areaNames = dedupe([...newest.areas, ...projects.map((p) => p.area)]);
  const areas = areaNames.map((name) => {
    const id = slugify(name);
    return {
      id,
      name,
      projects: projects.filter((p) => p.areaId === id).length,
      keywords: curation.areas[id] ?? [],
    };
  });
  for (const id of Object.keys(curation.areas))
    if (!areas.some((a) => a.id === id)) problems.push(`curation has keywords for unknown area "${id}"`);

  const warnings: ImportWarning[] = ordered.flatMap((s) => s.warnings);
  const candidate = {
    schemaVersion: 1 as const,
    snapshot: newest.snapshot,
    snapshots: ordered.map((s) => s.snapshot),
    upstream: UPSTREAM,
    areas,
    ambiguous: curation.ambiguous,
    topics: curation.topics,
    projects,
    curatedFacts: countCuratedFacts(curation),
    warnings,
  };
  const parsed = Catalog.safeParse(candidate);
  if (!parsed.success)
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join(".")}: ${issue.message}`);
  if (problems.length) throw new CatalogValidationError(problems);
  return parsed.data as Catalog;
}

function dedupe(xs: string[]): string[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = matchKey(x);
    if (!k || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The list's own successors first; a curated one with the same name replaces its wording and source. */
function mergeSuccessors(fromList: Successor[], curated: Successor[]): Successor[] {
  const out = [...fromList];
  for (const c of curated) {
    const i = out.findIndex((s) => matchKey(s.name) === matchKey(c.name));
    if (i >= 0) out[i] = c;
    else out.push(c);
  }
  return out;
}

function linkRewriter(curation: Curation): (url: string) => string {
  return (url) => {
    let out = url;
    for (const r of curation.linkRewrites) {
      const from = r.from.endsWith("/") ? r.from : r.from;
      if (out === from) out = r.to;
      else if (out.startsWith(from) && (from.endsWith("/") || /^[/#?]/.test(out.slice(from.length))))
        out = r.to + out.slice(from.length);
    }
    return out;
  };
}

/** Successors name catalog projects by name or alias; give them the id so cards can link. */
function linkSuccessors(projects: Project[], problems: string[]): void {
  const byKey = new Map<string, string>();
  for (const p of projects) for (const k of [p.name, p.id, ...p.aliases]) byKey.set(matchKey(k), p.id);
  const ids = new Set(projects.map((p) => p.id));
  for (const p of projects) {
    p.successors = p.successors.map((s) => {
      if (s.id) {
        if (!ids.has(s.id)) problems.push(`${p.id}: successor "${s.name}" points at unknown id "${s.id}"`);
        return s;
      }
      const id = byKey.get(matchKey(s.name));
      return id ? { ...s, id } : s;
    });
    if (p.lifecycle !== "active" && p.successors.length === 0 && !p.noSuccessor)
      problems.push(`${p.id} is ${p.lifecycle} but names no successor and no reason for having none`);
  }
}

function checkTopics(projects: Project[], curation: Curation, problems: string[]): void {
  const known = new Set(curation.topics.map((t) => t.id));
  for (const p of projects)
    for (const t of p.topics) if (!known.has(t)) problems.push(`${p.id}: unknown topic "${t}"`);
}

/** No two projects may share a name, id or alias unless curation declares it ambiguous. */
function checkAliases(projects: Project[], curation: Curation, problems: string[]): void {
  const ambiguous = new Set(curation.ambiguous.map((a) => matchKey(a.alias)));
  const ids = new Set(projects.map((p) => p.id));
  for (const a of curation.ambiguous)
    for (const id of a.ids)
      if (!ids.has(id)) problems.push(`ambiguous alias "${a.alias}" names unknown id "${id}"`);
  const owner = new Map<string, string>();
  for (const p of projects) {
    for (const k of dedupe([p.name, p.id, ...p.aliases]).map(matchKey)) {
      const other = owner.get(k);
      if (other && other !== p.id && !ambiguous.has(k))
        problems.push(`"${k}" names both ${other} and ${p.id}; declare it ambiguous or remove one`);
      owner.set(k, p.id);
      if (ambiguous.has(k))
        problems.push(`"${k}" is declared ambiguous but is also a name or alias of ${p.id}`);
    }
  }
}
