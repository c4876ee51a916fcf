// The plain-text `text` every message carries next to its blocks: what notifications, search
// and screen readers show. Escaped like everything else, never longer than Slack keeps.
// https://docs.slack.dev/reference/methods/chat.postMessage#text_usage
import type { Answer, ProjectSummary } from "../core/answer.js";
import { needsWarning } from "../core/answer.js";
import type { Project } from "../core/catalog-schema.js";
import { escapeTruncated } from "./escape.js";
import { MAX_MESSAGE_TEXT } from "./limits.js";

export function lifecycleBadge(p: Pick<Project, "lifecycle"> & { listed: unknown }): string {
  if (p.lifecycle === "deprecated") return "Deprecated";
  if (p.lifecycle === "archived") return "Archived";
  return p.listed === true ? "Active" : "Delisted";
}

function names(ps: { name: string }[]): string {
  return ps.map((p) => p.name).join(", ");
}

function projectLine(p: Project): string {
  const parts = [`${p.name} (${lifecycleBadge(p)})`];
  if (p.goal) parts.push(p.goal);
  if (needsWarning(p) && p.successors.length) parts.push(`Use instead: ${names(p.successors)}.`);
  parts.push(p.url);
  return parts.join(" — ");
}

/** Raw fallback for an answer; the user's own words are never part of it (they are only shown as plain_text). */
function rawFallback(a: Answer): string {
  switch (a.kind) {
    case "project":
      return a.statusLine ? `${a.statusLine} ${projectLine(a.project)}` : projectLine(a.project);
    case "alternatives":
      return a.alternatives.length
        ? `${a.project.name} is ${lifecycleBadge(a.project).toLowerCase()}. Use instead: ${names(a.alternatives)}.`
        : `${a.project.name} is ${lifecycleBadge(a.project).toLowerCase()}. No successor is named upstream.`;
    case "list":
      return `${a.title}: ${summaryNames(a.projects)}`;
    case "choices":
      return `Which project did you mean? ${summaryNames(a.projects)}`;
    case "not_found":
      return a.suggestions.length
        ? `Nothing in the catalog matches that. Did you mean: ${summaryNames(a.suggestions)}?`
        : "Nothing in the catalog matches that. Try help for examples, or list for every project.";
    case "help":
      return a.text;
  }
}

function summaryNames(ps: ProjectSummary[]): string {
  return ps.length ? names(ps) : "none";
}

export function fallbackText(a: Answer): string {
  return escapeTruncated(rawFallback(a), MAX_MESSAGE_TEXT);
}
