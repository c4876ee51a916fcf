// The Answer contract: what the core returns for any text, and what `upstream --json`
// prints. Adapters (Slack, Teams, terminal) render it and never decide anything else.
// Keep the field names stable: the checks in ../shared/tools and other code read them.
import type { Lifecycle, Project, SnapshotRef, Successor } from "./catalog-schema.js";

export type AnswerKind = "project" | "alternatives" | "list" | "choices" | "not_found" | "help";

/** What the user seemed to ask; kept on every answer for logs and metrics. */
export type Intent =
  | "help"
  | "project"
  | "alternatives"
  | "status"
  | "contact"
  | "azure"
  | "list"
  | "whats_new"
  | "unknown";

/** Where an answer's facts come from: every card shows it in its footer. */
export interface AnswerSource {
  /** "bundled": data/catalog.json shipped with the bot; "live": fetched from upstream at `fetchedAt`. */
  origin: "bundled" | "live";
  snapshot: SnapshotRef;
  fetchedAt?: string;
  upstreamUrl: string;
}

/** A short form of a project, for lists, choices and suggestions. */
export interface ProjectSummary {
  id: string;
  name: string;
  area: string;
  goal: string;
  url: string;
  lifecycle: Lifecycle;
  listed: boolean;
}

interface AnswerBase {
  /** The user's text after chat markup was stripped; adapters must escape it before echoing. */
  query: string;
  intent: Intent;
  source: AnswerSource;
  /** A new-issue link on the upstream repository with a prefilled title. */
  reportUrl: string;
}

export type Focus = "contact" | "azure" | "status";

export interface ProjectAnswer extends AnswerBase {
  kind: "project";
  project: Project;
  /** What part of the card to put first. */
  focus?: Focus;
  /** A one-line direct answer to a yes/no question, e.g. "Virtual Kubelet is not deprecated." */
  statusLine?: string;
}

export interface AlternativesAnswer extends AnswerBase {
  kind: "alternatives";
  project: Project;
  alternatives: Successor[];
  /** Set when no successor is named upstream (Brigade): say so rather than invent one. */
  noSuccessorReason?: string;
}

export interface ListAnswer extends AnswerBase {
  kind: "list";
  title: string;
  projects: ProjectSummary[];
  /** "What's new": one entry per change; `projects` holds each changed project once. */
  changes?: ListChange[];
  /** "What's new": the snapshot the changes are counted from. */
  since?: SnapshotRef;
}

/** One change in "what's new": added to or removed from the list, moved area, or retired/revived. */
export interface ListChange {
  id: string;
  name: string;
  change: "added" | "removed" | "moved" | "lifecycle";
  /** Area name (moved) or lifecycle (lifecycle) before… */
  from?: string;
  /** …and after. */
  to?: string;
}

export interface ChoicesAnswer extends AnswerBase {
  kind: "choices";
  prompt: string;
  projects: ProjectSummary[];
}

export interface NotFoundAnswer extends AnswerBase {
  kind: "not_found";
  suggestions: ProjectSummary[];
}

export interface HelpExample {
  example: string;
  description: string;
}

export interface HelpAnswer extends AnswerBase {
  kind: "help";
  text: string;
  examples: HelpExample[];
}

export type Answer =
  | ProjectAnswer
  | AlternativesAnswer
  | ListAnswer
  | ChoicesAnswer
  | NotFoundAnswer
  | HelpAnswer;

export function summarize(p: Project): ProjectSummary {
  return {
    id: p.id,
    name: p.name,
    area: p.area,
    goal: p.goal,
    url: p.url,
    lifecycle: p.lifecycle,
    listed: p.listed === true,
  };
}

/** True when a card must carry the prominent "use something else" warning. */
export function needsWarning(p: Pick<Project, "lifecycle" | "listed">): boolean {
  return p.lifecycle !== "active" || p.listed !== true;
}

/**
 * The footer's words for where an answer comes from: "upstream list 2025-09-02 (9b7e339)"
 * for the bundled catalog, "upstream list, live, fetched 2026-02-20 14:03 UTC" for a live one.
 */
export function sourceLine(source: AnswerSource): string {
  const { snapshot } = source;
  const fetchedAt = source.fetchedAt ?? snapshot.fetchedAt;
  if (source.origin === "live" && fetchedAt) return `upstream list, live, fetched ${formatUtc(fetchedAt)}`;
  return `upstream list ${snapshot.date}${snapshot.commit ? ` (${snapshot.commit})` : ""}`;
}

/** "2026-02-20T14:03:27.000Z" → "2026-02-20 14:03 UTC"; anything unparsable is returned as is. */
export function formatUtc(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
