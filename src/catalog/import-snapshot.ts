// Reads one snapshot of the upstream README (Azure/container-upstream) into projects.
// Real rows are irregular; nothing is silently dropped: every cell or piece of a cell that
// cannot be interpreted becomes a warning naming the row (file line) and the column.
import type {
  Channel,
  ImportWarning,
  Lifecycle,
  Link,
  Maturity,
  SnapshotRef,
  Successor,
} from "../core/catalog-schema.js";
import { slugify } from "../core/text.js";
import { collapse, leftover, lines, links, type MdLink, plainText, tableAfter } from "./markdown.js";

export const PAST_PROJECTS = "Past Projects";

/** A project as one snapshot states it, before curation. */
export interface ImportedProject {
  id: string;
  name: string;
  area: string;
  areaId: string;
  goal: string;
  url: string;
  links: Link[];
  maturity: Maturity;
  channels: Channel[];
  azure: { label: string; url: string }[];
  lifecycle: Lifecycle;
  lifecycleSource?: { wording: string; source: string };
  pastProject: boolean;
  successors: Successor[];
  /** Name words in parentheses, e.g. "OSM" in "Open Service Mesh (OSM)". */
  nameAliases: string[];
  row: number;
}

export interface ImportedSnapshot {
  snapshot: SnapshotRef;
  label: string;
  projects: ImportedProject[];
  areas: string[];
  warnings: ImportWarning[];
}

export class SnapshotFormatError extends Error {
  constructor(
    readonly label: string,
    message: string,
  ) {
    super(`${label}: ${message}`);
    this.name = "SnapshotFormatError";
  }
}

const COLUMNS = ["area", "project", "goal", "state", "communication", "azure"] as const;
type Column = (typeof COLUMNS)[number];

export const UPSTREAM_REPO = "https://github.com/Azure/container-upstream";

export function snapshotRef(date: string, commit: string): SnapshotRef {
  return { date, commit, url: `${UPSTREAM_REPO}/blob/${commit}/README.md` };
}

/** `2024-09-10-5bfcabd-README.md` → its date and commit. */
export function snapshotFromFileName(file: string): SnapshotRef | null {
  const m = /(\d{4}-\d{2}-\d{2})-([0-9a-f]{7,40})-README\.md$/.exec(file);
  return m?.[1] && m[2] ? snapshotRef(m[1], m[2]) : null;
}

export function importSnapshot(markdown: string, snapshot: SnapshotRef): ImportedSnapshot {
  const label = `${snapshot.date}-${snapshot.commit ?? "live"}`;
  const table = tableAfter(markdown, /^#{1,3}\s*Project list\b/i);
  if (!table) throw new SnapshotFormatError(label, 'no "## Project list" table found');
  const header = table.header.map((h) => plainText(h).toLowerCase());
  if (header.length < 5 || !header[1]?.includes("project") || !header[2]?.includes("goal")) {
    throw new SnapshotFormatError(label, `unexpected table header: ${table.header.join(" | ")}`);
  }

  const warnings: ImportWarning[] = [];
  const warn = (row: number, column: Column | "row", message: string) =>
    warnings.push({ snapshot: label, row, column, message });

  const projects: ImportedProject[] = [];
  const areas: string[] = [];
  let area: string | null = null;

  for (const { line, cells } of table.rows) {
    const [areaCell = "", projectCell = "", ...rest] = cells;
    if (plainText(areaCell) && !plainText(projectCell)) {
      area = plainText(areaCell);
      if (!areas.includes(area)) areas.push(area);
      const extra = rest.filter((c) => plainText(c));
      if (extra.length) warn(line, "row", `area row has text in other cells, ignored: ${extra.join(" / ")}`);
      continue;
    }
    if (!plainText(projectCell)) {
      if (cells.some((c) => plainText(c))) warn(line, "project", "row without a project name, ignored");
      continue;
    }
    if (plainText(areaCell)) warn(line, "area", `area cell on a project row ignored: ${plainText(areaCell)}`);
    if (!area) {
      warn(line, "area", "project row before any area row; skipped");
      continue;
    }
    if (cells.length < COLUMNS.length) {
      const missing = COLUMNS.slice(cells.length).join(", ");
      warn(
        line,
        "row",
        `row has ${cells.length} of ${COLUMNS.length} cells; missing ${missing} read as empty`,
      );
    }
    const project = importRow(cells, line, area, snapshot, (column, message) => warn(line, column, message));
    if (project) projects.push(project);
  }

  flagCopiedGoals(projects, (row, message) => warn(row, "goal", message));
  return { snapshot, label, projects, areas, warnings };
}

function importRow(
  cells: string[],
  row: number,
  area: string,
  snapshot: SnapshotRef,
  warn: (column: Column, message: string) => void,
): ImportedProject | null {
  const [, projectCell = "", goalCell = "", stateCell = "", commCell = "", azureCell = ""] = cells;
  const projectLinks = links(projectCell);
  const first = projectLinks[0];
  if (!first?.text) {
    warn("project", `no linked project name in "${plainText(projectCell)}"; row skipped`);
    return null;
  }
  const url = absoluteUrl(first.url);
  if (!url) {
    warn("project", `project link is not an http(s) URL: ${first.url}; row skipped`);
    return null;
  }
  const name = collapse(first.text);
  const extraLinks: Link[] = [];
  for (const l of projectLinks.slice(1)) {
    const u = absoluteUrl(l.url);
    if (u) extraLinks.push({ label: l.text, url: u, kind: linkKind(l.text) });
    else warn("project", `link "${l.text}" is not an http(s) URL: ${l.url}`);
  }
  const stray = leftover(projectCell.replace(/<\/?br\s*\/?>/gi, " "));
  if (stray) warn("project", `text outside links ignored: "${stray}"`);

  const goal = plainText(goalCell);
  if (!goal) warn("goal", "empty goal");

  const state = parseState(stateCell, snapshot, warn);
  return {
    id: slugify(name.replace(/\([^)]*\)/g, " ")),
    name,
    area,
    areaId: slugify(area),
    goal,
    url,
    links: extraLinks,
    maturity: state.maturity,
    channels: parseChannels(commCell, warn),
    azure: parseAzure(azureCell, warn),
    lifecycle: state.lifecycle,
    ...(state.lifecycleSource ? { lifecycleSource: state.lifecycleSource } : {}),
    pastProject: area === PAST_PROJECTS,
    successors: state.successors,
    nameAliases: [...name.matchAll(/\(([^)]+)\)/g)].map((m) => (m[1] ?? "").trim()).filter(Boolean),
    row,
  };
}

function linkKind(label: string): Link["kind"] {
  const l = label.toLowerCase();
  if (l.includes("release")) return "releases";
  if (l.includes("test")) return "tests";
  if (l.includes("build")) return "builds";
  if (l.includes("blog")) return "blog";
  if (l.includes("board")) return "board";
  if (l.includes("doc")) return "docs";
  return "other";
}

function absoluteUrl(raw: string): string | null {
  try {
    const u = new URL(raw);
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : null;
  } catch {
    return null;
  }
}

interface ParsedState {
  maturity: Maturity;
  lifecycle: Lifecycle;
  lifecycleSource?: { wording: string; source: string };
  successors: Successor[];
}

const CNCF_LEVELS = ["sandbox", "incubating", "graduated", "archived"] as const;

function parseState(
  cell: string,
  snapshot: SnapshotRef,
  warn: (column: Column, message: string) => void,
): ParsedState {
  const maturity: Maturity = { raw: lines(cell).map(plainText).join("; "), other: [] };
  let lifecycle: Lifecycle = "active";
  let lifecycleSource: ParsedState["lifecycleSource"];
  const successors: Successor[] = [];

  for (const piece of lines(cell)) {
    const text = plainText(piece);
    if (!text) continue;
    if (/\b(deprecated|archived)\b/i.test(text)) {
      const archived = /\barchived\b/i.test(text);
      lifecycle = archived ? "archived" : "deprecated";
      lifecycleSource = { wording: text, source: snapshot.url };
      if (/consider using|use .* instead|replaced by/i.test(text)) {
        for (const l of links(piece)) {
          const url = absoluteUrl(l.url);
          if (url) successors.push({ name: l.text, url, wording: text, source: snapshot.url });
        }
      }
    }
    const kv = /^([A-Za-z][A-Za-z0-9 -]*?)\s*:\s*(.*)$/.exec(text);
    const key = kv?.[1]?.trim().toLowerCase();
    const value = kv?.[2]?.trim() ?? "";
    if (kv && key) {
      if (key === "cncf") {
        const level = CNCF_LEVELS.find((c) => value.toLowerCase().startsWith(c));
        if (level) maturity.cncf = level;
        else maturity.other.push({ key: kv[1] ?? key, value });
      } else if (key === "kubernetes" || key === "kubernetes sigs") {
        if (value) maturity.kubernetes = value;
      } else if (key === "azure") {
        maturity.azure = value;
      } else if (key === "api" || key === "apis") {
        maturity.api = value;
      } else {
        maturity.other.push({ key: kv[1] ?? key, value });
      }
      continue;
    }
    const cncf = /^CNCF\s+(sandbox|incubating|graduated|archived)\b/i.exec(text);
    if (cncf?.[1]) {
      maturity.cncf = cncf[1].toLowerCase() as Maturity["cncf"];
      continue;
    }
    const azure = /^Azure\s+(.+)$/i.exec(text);
    if (azure?.[1]) {
      maturity.azure = azure[1];
      continue;
    }
    if (/^(alpha|beta|stable|ga|proposed|maintenance)\b/i.test(text)) {
      maturity.other.push({ key: "stage", value: text });
      continue;
    }
    if (lifecycleSource?.wording === text) continue;
    maturity.other.push({ key: "", value: text });
    warn("state", `state text not understood, kept as is: "${text}"`);
  }
  return { maturity, lifecycle, ...(lifecycleSource ? { lifecycleSource } : {}), successors };
}

function parseChannels(cell: string, warn: (column: Column, message: string) => void): Channel[] {
  const out: Channel[] = [];
  for (const piece of lines(cell)) {
    const found = links(piece);
    for (const l of found) {
      const url = absoluteUrl(l.url);
      if (!url) {
        warn("communication", `link "${l.text}" is not an http(s) URL: ${l.url}`);
        continue;
      }
      out.push(classifyChannel(l, url));
    }
    const rest = leftover(piece);
    if (!rest) continue;
    const plainChannel = /^#([\w.-]+)$/.exec(rest);
    if (plainChannel?.[1]) {
      out.push({ kind: "slack", label: rest, channel: plainChannel[1] });
      warn(
        "communication",
        `channel "${rest}" is plain text without a link or workspace; kept without a URL`,
      );
    } else {
      warn("communication", `text outside links ignored: "${rest}"`);
    }
  }
  return out;
}

function classifyChannel(l: MdLink, url: string): Channel {
  const host = new URL(url).hostname.toLowerCase();
  const path = new URL(url).pathname;
  const label = collapse(l.text);
  const lower = label.toLowerCase();
  const named = /^#([\w.-]+)/.exec(label)?.[1];
  if (host.includes("discord")) return withChannel({ kind: "discord", label, url, workspace: host }, named);
  if (
    host.endsWith("slack.com") ||
    host.startsWith("slack.") ||
    lower.includes("slack") ||
    path.includes("slack")
  ) {
    const fromPath = /\/messages\/([\w.-]+)/.exec(path)?.[1];
    const channel = named && !/slack/i.test(named) ? named : fromPath;
    return withChannel({ kind: "slack", label, url, workspace: host }, channel);
  }
  if (lower.includes("@") || host.startsWith("groups.google.") || url.startsWith("mailto:"))
    return { kind: "mailing_list", label, url };
  if (host === "github.com" && /\/(issues|labels|pulls)\b/.test(path))
    return { kind: "github_issues", label, url };
  if (lower.includes("forum") || host.startsWith("discuss.") || host.startsWith("forums."))
    return { kind: "forum", label, url };
  if (/\bissues?\b/.test(lower)) return { kind: "github_issues", label, url };
  return { kind: "other", label, url };
}

function withChannel(c: Channel, channel: string | undefined): Channel {
  return channel ? { ...c, channel } : c;
}

function parseAzure(cell: string, warn: (column: Column, message: string) => void): ImportedProject["azure"] {
  const out: ImportedProject["azure"] = [];
  for (const piece of lines(cell)) {
    for (const l of links(piece)) {
      const url = absoluteUrl(l.url);
      if (url) out.push({ label: collapse(l.text), url });
      else warn("azure", `link "${l.text}" is not an http(s) URL: ${l.url}`);
    }
    const rest = leftover(piece);
    if (rest) warn("azure", `text outside links ignored: "${rest}"`);
  }
  return out;
}

/** A goal repeated word for word from another row is almost always a copy-paste slip (Karpenter, 2025-09). */
function flagCopiedGoals(projects: ImportedProject[], warn: (row: number, message: string) => void): void {
  const seen = new Map<string, ImportedProject>();
  for (const p of projects) {
    if (!p.goal) continue;
    const key = p.goal.toLowerCase();
    const earlier = seen.get(key);
    if (earlier) warn(p.row, `goal repeats ${earlier.name}'s goal word for word (likely copy-pasted)`);
    else seen.set(key, p);
  }
}
