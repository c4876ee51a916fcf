// Lookup structures built once per catalog: exact names and aliases, ambiguous short
// names, area and topic vocabularies, URL prefixes for unfurls, and a fuse.js index for
// typos. Building is cheap (see `npm run bench:core`); resolving reads only these maps.
import Fuse from "fuse.js";
import type { Catalog, Project } from "./catalog-schema.js";
import { matchKey } from "./text.js";

export interface KeyEntry {
  key: string;
  id: string;
}

export interface CatalogIndex {
  catalog: Catalog;
  byId: Map<string, Project>;
  /** Name, id, alias or derived short name → the one project it names. */
  exact: Map<string, string>;
  /** Successors outside the catalog ("SpinKube") → the retired projects that name them. */
  successorOf: Map<string, string[]>;
  /** Short names that name several projects: offer a choice. */
  ambiguous: Map<string, string[]>;
  /** Longest key in words, to bound the n-gram scan. */
  maxKeyWords: number;
  areaKeys: Map<string, string>;
  topicKeys: Map<string, string>;
  /** Typo search: fuse.js scores a few candidates that share letter pairs with the text. */
  typos(text: string, limit: number): { entry: KeyEntry; score: number }[];
  /** Content words of each project's name, goal, aliases and topics, for "a tool that patches images". */
  words: Map<string, Set<string>>;
  byUrl(url: string): Project | null;
  reportUrl(projectName?: string): string;
}

const GENERIC_PREFIX = new Set(["azure", "containerd", "kubernetes", "cncf", "move"]);
const GENERIC_SUFFIX = new Set(["spec", "specification", "proxy", "driver", "project", "in tree"]);

/** Short forms the list's own names imply: "Open Service Mesh (OSM)" → "Open Service Mesh". */
function derivedKeys(p: Project): string[] {
  const bare = matchKey(p.name.replace(/\([^)]*\)/g, " "));
  const out = [bare];
  const words = bare.split(" ");
  if (words.length > 1 && GENERIC_PREFIX.has(words[0] ?? "")) out.push(words.slice(1).join(" "));
  const last = words[words.length - 1] ?? "";
  if (words.length > 1 && GENERIC_SUFFIX.has(last)) out.push(words.slice(0, -1).join(" "));
  return out;
}

export function buildIndex(catalog: Catalog): CatalogIndex {
  const byId = new Map(catalog.projects.map((p) => [p.id, p]));
  const ambiguous = new Map(catalog.ambiguous.map((a) => [matchKey(a.alias), a.ids]));

  const exact = new Map<string, string>();
  const derivedOwners = new Map<string, Set<string>>();
  for (const p of catalog.projects) {
    for (const k of [p.name, p.id, ...p.aliases].map(matchKey)) if (k) exact.set(k, p.id);
    for (const k of derivedKeys(p)) {
      const owners = derivedOwners.get(k) ?? new Set<string>();
      owners.add(p.id);
      derivedOwners.set(k, owners);
    }
  }
  // A derived short form is used only when it names exactly one project and nothing else claims it.
  for (const [k, owners] of derivedOwners)
    if (k && owners.size === 1 && !exact.has(k) && !ambiguous.has(k)) exact.set(k, [...owners][0] as string);

  const successorOf = new Map<string, string[]>();
  for (const p of catalog.projects)
    for (const s of p.successors) {
      const k = matchKey(s.name);
      // Short names ("AKS") are too broad to stand for one retired project.
      if (s.id || k.length < 4 || exact.has(k)) continue;
      successorOf.set(k, [...(successorOf.get(k) ?? []), p.id]);
    }

  const areaKeys = new Map<string, string>();
  for (const a of catalog.areas) {
    const name = matchKey(a.name);
    areaKeys.set(name, a.id);
    areaKeys.set(name.replace(/^(kubernetes|cloud native) /, ""), a.id);
    for (const k of a.keywords) areaKeys.set(matchKey(k), a.id);
  }
  const topicKeys = new Map<string, string>();
  for (const t of catalog.topics) {
    topicKeys.set(matchKey(t.label), t.id);
    for (const k of t.keywords) topicKeys.set(matchKey(k), t.id);
  }

  const entries: KeyEntry[] = [...exact].map(([key, id]) => ({ key, id }));
  const entryPairs = entries.map((e) => letterPairs(e.key));

  const words = new Map<string, Set<string>>();
  const topicLabel = new Map(catalog.topics.map((t) => [t.id, t.label]));
  for (const p of catalog.projects) {
    const text = [p.name, p.goal, ...p.aliases, ...p.topics.map((t) => topicLabel.get(t) ?? t)].join(" ");
    words.set(p.id, new Set(matchKey(text).split(" ").map(stem)));
  }

  const urlPrefixes = buildUrlPrefixes(catalog.projects);
  const issues = catalog.upstream.issues;
  return {
    catalog,
    byId,
    exact,
    successorOf,
    ambiguous,
    maxKeyWords: Math.max(...[...exact.keys(), ...ambiguous.keys()].map((k) => k.split(" ").length)),
    areaKeys,
    topicKeys,
    typos: (text, limit) => {
      // Bitap over every key costs ~0.3 ms here; letter pairs pick the few keys worth scoring.
      const pairs = letterPairs(text);
      if (pairs.size === 0) return [];
      const shortlist = entries
        .map((entry, i) => ({ entry, shared: overlap(pairs, entryPairs[i] as Set<string>) }))
        .filter((c) => c.shared > 0)
        .sort((a, b) => b.shared - a.shared)
        .slice(0, TYPO_SHORTLIST)
        .map((c) => c.entry);
      return new Fuse(shortlist, FUSE_OPTIONS)
        .search(text, { limit })
        .map((r) => ({ entry: r.item, score: r.score ?? 1 }));
    },
    words,
    byUrl: (url) => {
      const key = urlKey(url);
      if (!key) return null;
      let best: { prefix: string; id: string } | null = null;
      for (const [prefix, id] of urlPrefixes)
        if ((key === prefix || key.startsWith(`${prefix}/`)) && (!best || prefix.length > best.prefix.length))
          best = { prefix, id };
      return best ? (byId.get(best.id) ?? null) : null;
    },
    reportUrl: (name) =>
      `${issues}/new?title=${encodeURIComponent(name ? `Outdated info: ${name}` : "Outdated info in the project list")}`,
  };
}

const TYPO_SHORTLIST = 16;
const FUSE_OPTIONS = { keys: ["key"], includeScore: true, threshold: 0.45, ignoreLocation: true };

function letterPairs(s: string): Set<string> {
  const out = new Set<string>();
  for (const word of s.split(" ")) {
    if (word.length === 1) out.add(word);
    for (let i = 0; i + 1 < word.length; i++) out.add(word.slice(i, i + 2));
  }
  return out;
}

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}

/** A crude English stem: enough for "patching" ≈ "patch", "images" ≈ "image". */
export function stem(w: string): string {
  return w.length > 5 ? w.replace(/(ing|ers|er|es|ed|s)$/, "") : w.replace(/s$/, "");
}

/** host/path, lower case, no scheme, "www.", query, fragment or trailing slash. */
export function urlKey(raw: string): string | null {
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    const host = u.hostname.toLowerCase().replace(/^www\./, "");
    const path = u.pathname.replace(/\/+$/, "").toLowerCase();
    return `${host}${path}`;
  } catch {
    return null;
  }
}

/**
 * URL prefixes that identify one project: its main URL, and the GitHub repository behind
 * its releases/issues links. A prefix shared by several projects (kubernetes/kubernetes,
 * used by every KEP) identifies none of them and is dropped.
 */
function buildUrlPrefixes(projects: Project[]): Map<string, string> {
  const owners = new Map<string, Set<string>>();
  const add = (url: string | undefined, id: string) => {
    const key = url ? urlKey(url) : null;
    if (!key) return;
    const set = owners.get(key) ?? new Set<string>();
    set.add(id);
    owners.set(key, set);
  };
  for (const p of projects) {
    add(p.url, p.id);
    const urls = [p.url, ...p.links.map((l) => l.url), ...p.channels.map((c) => c.url ?? "")];
    for (const u of urls) {
      const m = /^https?:\/\/(?:www\.)?github\.com\/([^/]+)\/([^/#?]+)/i.exec(u);
      if (m) add(`https://github.com/${m[1]}/${m[2]}`, p.id);
    }
  }
  const out = new Map<string, string>();
  for (const [k, ids] of owners) if (ids.size === 1) out.set(k, [...ids][0] as string);
  return out;
}
