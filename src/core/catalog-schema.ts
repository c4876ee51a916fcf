// The catalog's types. Everything the bot says comes from a value of `Catalog`, so the
// schema is the single definition of a project; `data/catalog.json` is parsed with it at
// start-up (parse, don't validate) and the importer builds values that must pass it.
import { z } from "zod";

export const Slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be a lower-case slug");
export const HttpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL");

export const Lifecycle = z.enum(["active", "deprecated", "archived"]);
export type Lifecycle = z.infer<typeof Lifecycle>;

/**
 * One snapshot of the upstream README: the catalog's primary source. A bundled snapshot
 * names its commit; a live fetch of the raw README has no commit id, so it names the time
 * it was fetched instead (one of the two is always there, so a footer can say which).
 */
export const SnapshotRef = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    commit: z
      .string()
      .regex(/^[0-9a-f]{7,40}$/)
      .optional(),
    url: HttpUrl,
    /** ISO time of a live fetch. */
    fetchedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((s) => s.commit !== undefined || s.fetchedAt !== undefined, {
    message: "a snapshot names its commit or the time it was fetched",
  });
export type SnapshotRef = z.infer<typeof SnapshotRef>;

/** Same snapshot: the same commit, or the same live fetch. */
export function sameSnapshot(a: SnapshotRef, b: SnapshotRef): boolean {
  return a.date === b.date && a.commit === b.commit && a.fetchedAt === b.fetchedAt && a.url === b.url;
}

export const LinkKind = z.enum(["releases", "tests", "builds", "blog", "docs", "board", "other"]);
export const Link = z.object({ label: z.string().min(1), url: HttpUrl, kind: LinkKind });
export type Link = z.infer<typeof Link>;

export const ChannelKind = z.enum(["slack", "mailing_list", "forum", "github_issues", "discord", "other"]);
export type ChannelKind = z.infer<typeof ChannelKind>;
export const Channel = z.object({
  kind: ChannelKind,
  label: z.string().min(1),
  /** Absent when the list names a channel in plain text without a link. */
  url: HttpUrl.optional(),
  /** Slack or Discord workspace host, e.g. `kubernetes.slack.com`. */
  workspace: z.string().optional(),
  /** Channel name without `#`, when the list names one. */
  channel: z.string().optional(),
});
export type Channel = z.infer<typeof Channel>;

export const Maturity = z.object({
  /** The list's cell as text, `<br>` turned into "; ". */
  raw: z.string(),
  cncf: z.enum(["sandbox", "incubating", "graduated", "archived"]).optional(),
  /** Kubernetes (or Kubernetes SIGs) stage: alpha, beta, stable, GA, proposed, maintenance. */
  kubernetes: z.string().optional(),
  /** Azure's own status, e.g. "GA (AKS and Arc)", "incubating", "Deprecated". */
  azure: z.string().optional(),
  api: z.string().optional(),
  /** Facets the parser recognised but that have no field of their own ("Spec: 1.1", "DeisLabs: alpha"). */
  other: z.array(z.object({ key: z.string(), value: z.string() })),
});
export type Maturity = z.infer<typeof Maturity>;

/** A fact someone added on top of the list; it must say where it comes from. */
export const Sourced = z.object({ source: HttpUrl });

export const Successor = z.object({
  name: z.string().min(1),
  url: HttpUrl,
  /** Set when the successor is itself in the catalog, so a card can link to it. */
  id: Slug.optional(),
  /** The source's own words, quoted, never paraphrased. */
  wording: z.string().min(1),
  source: HttpUrl,
});
export type Successor = z.infer<typeof Successor>;

export const Note = z.object({ text: z.string().min(1), source: HttpUrl });
export type Note = z.infer<typeof Note>;

export const Project = z.object({
  id: Slug,
  name: z.string().min(1),
  area: z.string().min(1),
  areaId: Slug,
  goal: z.string(),
  url: HttpUrl,
  links: z.array(Link),
  maturity: Maturity,
  channels: z.array(Channel),
  azure: z.array(z.object({ label: z.string().min(1), url: HttpUrl })),
  lifecycle: Lifecycle,
  /** Why the lifecycle is what it is: the list's wording or a curated source. */
  lifecycleSource: z.object({ wording: z.string(), source: HttpUrl }).optional(),
  /** True when the newest snapshot lists it; otherwise the last snapshot that did. */
  listed: z.union([z.literal(true), SnapshotRef]),
  /** The oldest bundled snapshot that lists it: "what's new" compares these. */
  firstListed: SnapshotRef,
  /** Under the list's "Past Projects" heading (not the same as deprecated: Virtual Kubelet is active). */
  pastProject: z.boolean(),
  successors: z.array(Successor),
  /** Set when upstream retired a project without naming a successor (Brigade): say so, never invent one. */
  noSuccessor: z.object({ wording: z.string().min(1), source: HttpUrl }).optional(),
  aliases: z.array(z.string().min(1)),
  topics: z.array(Slug),
  notes: z.array(Note),
  provenance: z.object({ snapshot: SnapshotRef, row: z.number().int().positive() }),
});
export type Project = z.infer<typeof Project>;

export const Area = z.object({
  id: Slug,
  name: z.string(),
  projects: z.number().int().nonnegative(),
  /** Words people use for the area ("security", "runtimes"); vocabulary, not facts. */
  keywords: z.array(z.string()),
});
export type Area = z.infer<typeof Area>;

export const ImportWarning = z.object({
  snapshot: z.string(),
  row: z.number().int(),
  column: z.string(),
  message: z.string(),
});
export type ImportWarning = z.infer<typeof ImportWarning>;

/**
 * What a live list changed against the bundled catalog it was merged onto; only a live
 * catalog carries it, so "what's new?" can answer with changes the bundled history lacks.
 */
export const CatalogChanges = z.object({
  /** The bundled snapshot the changes are counted from. */
  since: SnapshotRef,
  added: z.array(Slug),
  removed: z.array(Slug),
  moved: z.array(z.object({ id: Slug, from: z.string(), to: z.string() })),
  lifecycle: z.array(z.object({ id: Slug, from: Lifecycle, to: Lifecycle })),
});
export type CatalogChanges = z.infer<typeof CatalogChanges>;

export const Catalog = z.object({
  schemaVersion: z.literal(1),
  /** The newest snapshot: it decides what is listed. */
  snapshot: SnapshotRef,
  snapshots: z.array(SnapshotRef).min(1),
  upstream: z.object({ repository: HttpUrl, readme: HttpUrl, issues: HttpUrl }),
  areas: z.array(Area),
  /** Ambiguous short names: the bot offers these projects to choose from instead of guessing. */
  ambiguous: z.array(z.object({ alias: z.string(), ids: z.array(Slug).min(2), source: HttpUrl.optional() })),
  topics: z.array(z.object({ id: Slug, label: z.string(), keywords: z.array(z.string()) })),
  projects: z.array(Project).min(1),
  curatedFacts: z.number().int().nonnegative(),
  warnings: z.array(ImportWarning),
  changes: CatalogChanges.optional(),
});
export type Catalog = z.infer<typeof Catalog>;
