// Answer → a readable terminal card. Colour only when asked (a TTY); plain text otherwise,
// so piped output and logs stay clean.
import { type Answer, type ProjectSummary, sourceLine } from "../core/answer.js";
import type { Channel, Project } from "../core/catalog-schema.js";

interface Style {
  bold(s: string): string;
  dim(s: string): string;
  warn(s: string): string;
  ok(s: string): string;
}

const PLAIN: Style = { bold: (s) => s, dim: (s) => s, warn: (s) => s, ok: (s) => s };
const ANSI: Style = {
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  warn: (s) => `\x1b[33m${s}\x1b[39m`,
  ok: (s) => `\x1b[32m${s}\x1b[39m`,
};

/** Control characters in catalog or user text must not drive the terminal. */
function safe(s: string): string {
  return s.replace(/[\p{Cc}]/gu, " ");
}

export function renderText(a: Answer, opts: { color: boolean } = { color: false }): string {
  const st = opts.color ? ANSI : PLAIN;
  const out: string[] = [];
  switch (a.kind) {
    case "help":
      out.push(st.bold("upstream: the Azure Core Container Upstream catalog"), a.text, "", "Try:");
      for (const e of a.examples) out.push(`  ${e.example.padEnd(36)} ${st.dim(e.description)}`);
      break;
    case "project":
      if (a.statusLine) out.push(st.ok(a.statusLine), "");
      out.push(...projectCard(a.project, st, a.focus));
      break;
    case "alternatives":
      out.push(...warning(a.project, st));
      if (a.alternatives.length === 0)
        out.push(
          `No successor is named upstream.${a.noSuccessorReason ? ` "${safe(a.noSuccessorReason)}"` : ""}`,
        );
      for (const s of a.alternatives) {
        out.push(`  → ${st.bold(safe(s.name))}  ${s.url}${s.id ? st.dim(`  (ask: ${s.id})`) : ""}`);
        out.push(st.dim(`    "${safe(s.wording)}" (${s.source})`));
      }
      out.push("", ...projectCard(a.project, st, undefined, true));
      break;
    case "list":
      out.push(st.bold(safe(a.title)));
      out.push(...groupedList(a.projects, st));
      break;
    case "choices":
      out.push(safe(a.prompt));
      for (const p of a.projects) out.push(`  • ${st.bold(safe(p.name))} ${st.dim(`(ask: ${p.id})`)}`);
      break;
    case "not_found":
      out.push(`Nothing in the catalog matches "${safe(a.query)}".`);
      if (a.suggestions.length)
        out.push(`Did you mean: ${a.suggestions.map((s) => st.bold(safe(s.name))).join(", ")}?`);
      out.push(st.dim('Type "help" for examples, or "list" for every project.'));
      break;
  }
  const src = a.source;
  out.push(
    "",
    st.dim(`Source: ${safe(sourceLine(src))} ${src.snapshot.url}`),
    st.dim(`Outdated? ${a.reportUrl}`),
  );
  return out.join("\n");
}

function warning(p: Project, st: Style): string[] {
  const state =
    p.lifecycle !== "active"
      ? `${p.name} is ${p.lifecycle.toUpperCase()}.`
      : `${p.name} is no longer on the upstream list.`;
  const use = p.successors.length ? ` Use instead: ${p.successors.map((s) => s.name).join(", ")}.` : "";
  return [st.warn(`⚠ ${safe(state + use)}`)];
}

function projectCard(p: Project, st: Style, focus?: string, skipWarning = false): string[] {
  const out: string[] = [];
  if (!skipWarning && (p.lifecycle !== "active" || p.listed !== true)) out.push(...warning(p, st));
  out.push(
    `${st.bold(safe(p.name))}  ${st.dim(`[${p.lifecycle}${p.listed === true ? "" : `, delisted after ${p.listed.date}`}]`)}`,
  );
  out.push(safe(p.goal));
  out.push(`Area: ${safe(p.area)}${p.maturity.raw ? `   Maturity: ${safe(p.maturity.raw)}` : ""}`);
  out.push(`Repository: ${p.url}`);
  for (const l of p.links) out.push(`  ${safe(l.label)}: ${l.url}`);
  const community = p.channels.filter((c) => c.kind !== "github_issues");
  const issues = p.channels.filter((c) => c.kind === "github_issues");
  const contact = ["Talk to the community:", ...community.map((c) => `  ${channelLine(c)}`)];
  const report = ["Report an issue:", ...issues.map((c) => `  ${channelLine(c)}`)];
  const azure = ["Use on Azure:", ...p.azure.map((a) => `  ${safe(a.label)}: ${a.url}`)];
  const sections = focus === "azure" ? [azure, contact, report] : [contact, report, azure];
  for (const s of sections) if (s.length > 1) out.push(...s);
  for (const n of p.notes) out.push(st.dim(`Note: ${safe(n.text)} (${n.source})`));
  return out;
}

function channelLine(c: Channel): string {
  return `${safe(c.label)}${c.url ? `: ${c.url}` : " (no link given)"}`;
}

function groupedList(projects: ProjectSummary[], st: Style): string[] {
  const out: string[] = [];
  let area = "";
  for (const p of projects) {
    if (p.area !== area) {
      area = p.area;
      out.push("", st.bold(safe(area)));
    }
    const badge =
      p.lifecycle !== "active" ? st.warn(` [${p.lifecycle}]`) : p.listed ? "" : st.warn(" [delisted]");
    out.push(`  • ${safe(p.name)}${badge}${st.dim(` — ${safe(p.goal)}`)}`);
  }
  if (projects.length === 0) out.push("  (none)");
  return out;
}
