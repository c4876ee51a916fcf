// Overview → the App Home tab: the catalog by area, what is retired and what replaced it, and
// how to ask. Text and links only: Home has no response_url for buttons to answer through.
// https://docs.slack.dev/surfaces/app-home
import type { types } from "@slack/bolt";
import type { Overview } from "../core/core.js";
import { helpExamples } from "../core/help.js";
import { COMMAND } from "./app-surface.js";
import { type Block, context, divider, fitLines, header, mrkdwn, section } from "./block-kit.js";
import { sourceLine } from "./blocks.js";
import { escapeTruncated, link } from "./escape.js";
import { lifecycleBadge } from "./fallback-text.js";
import { MAX_HOME_BLOCKS } from "./limits.js";

export function renderHome(o: Overview): types.HomeView {
  const blocks: Block[] = [
    header("Azure Core Container Upstream"),
    section(
      `${o.total} projects on the ${link(o.source.upstreamUrl, "upstream list")}. ` +
        `Ask with \`${COMMAND} …\`, mention me in a thread, or send me a direct message.`,
    ),
    section(
      fitLines([
        "*Try*",
        ...helpExamples()
          .slice(0, 6)
          .map(
            (e) =>
              `• \`${COMMAND} ${escapeTruncated(e.example, 100)}\` — ${escapeTruncated(e.description, 200)}`,
          ),
      ]).text,
    ),
    divider(),
    header("Projects by area"),
  ];
  for (const a of o.areas) {
    if (!a.projects.length) continue;
    const names = a.projects.map((p) => {
      const badge = p.lifecycle !== "active" || !p.listed ? ` _(${lifecycleBadge(p).toLowerCase()})_` : "";
      return `${link(p.url, p.name, 120)}${badge}`;
    });
    const title = `*${escapeTruncated(a.name, 120)}* (${a.projects.length})`;
    // Names joined on one line read better than a bullet list; fitLines keeps the section legal.
    blocks.push(section(fitLines([title, ...chunkJoin(names, " · ", 2500)]).text));
  }
  if (o.retired.length) {
    blocks.push(divider(), header("Deprecated, archived or delisted"));
    const lines = o.retired.map((r) => {
      const state = `*${escapeTruncated(r.project.name, 120)}* (${lifecycleBadge(r.project).toLowerCase()})`;
      if (r.successors.length)
        return `• ${state} → ${r.successors.map((s) => link(s.url, s.name, 120)).join(", ")}`;
      if (r.noSuccessor)
        return `• ${state}: no successor named upstream. “${escapeTruncated(r.noSuccessor, 300)}”`;
      return `• ${state}`;
    });
    let rest = lines;
    while (rest.length && blocks.length < MAX_HOME_BLOCKS - 1) {
      const { text, used } = fitLines(rest);
      if (!used) break;
      blocks.push(section(text));
      rest = rest.slice(used);
    }
  }
  blocks.push(context([mrkdwn(`${sourceLine(o.source)} · ${link(o.reportUrl, "Report outdated info")}`)]));
  return { type: "home", blocks: blocks.slice(0, MAX_HOME_BLOCKS) };
}

/** Joins items with `sep` into lines of at most `max` characters. */
function chunkJoin(items: string[], sep: string, max: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    const next = line ? `${line}${sep}${item}` : item;
    if (next.length > max && line) {
      lines.push(line);
      line = item;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}
