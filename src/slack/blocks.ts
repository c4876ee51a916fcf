// Answer → Block Kit message: one pure function per answer kind, tested with exact JSON.
// The core decides what to say; this module only lays it out within Slack's limits.
// https://docs.slack.dev/reference/block-kit/blocks
import type { types } from "@slack/bolt";
import {
  type AlternativesAnswer,
  type Answer,
  type AnswerSource,
  type ChoicesAnswer,
  type Focus,
  type HelpAnswer,
  type ListAnswer,
  type NotFoundAnswer,
  needsWarning,
  type ProjectSummary,
} from "../core/answer.js";
import type { Channel, Project, Successor } from "../core/catalog-schema.js";
import { encodeShare, LINK_PREFIX, OPEN_PROJECT, SHARE_IN_CHANNEL, type ShareTarget } from "./app-surface.js";
import {
  actions,
  type Block,
  blockTextLength,
  context,
  fieldsSection,
  fitLines,
  header,
  mrkdwn,
  plainSection,
  plainText,
  section,
  staticSelect,
  urlButton,
  valueButton,
} from "./block-kit.js";
import { escapeText, escapeTruncated, link } from "./escape.js";
import { fallbackText, lifecycleBadge } from "./fallback-text.js";
import {
  MAX_ACTION_ELEMENTS,
  MAX_BLOCKS,
  MAX_CONTEXT_ELEMENTS,
  MAX_FIELD_TEXT,
  MAX_HEADER_TEXT,
  MAX_SECTION_TEXT,
  MAX_TOTAL_BLOCK_TEXT,
} from "./limits.js";

export interface SlackMessage {
  /** Plain-text fallback (notifications, search, screen readers); always set. */
  text: string;
  blocks: Block[];
}

export interface RenderOptions {
  /** Restate the person's question at the top: answers to typed text. */
  echoQuery?: boolean;
  /** Adds a "Share in channel" button that re-renders this target visibly. */
  share?: ShareTarget;
  /** How people invoke the bot where the answer appears, for examples: "/upstream ", "@upstream ", "". */
  invocation?: string;
}

/** Room kept for the footer and notices when a list fills the text budget. */
const LIST_TEXT_RESERVE = 1500;
/** Catalog goals are one sentence; cut runaway ones so one project never crowds out the rest. */
const MAX_GOAL_IN_LIST = 140;
const MAX_NAME = 120;

export function renderAnswer(a: Answer, opts: RenderOptions = {}): SlackMessage {
  const top: Block[] = [];
  if (opts.echoQuery && a.query.trim()) top.push(context([plainText(`You asked: “${a.query}”`, 300)]));
  const bottom: Block[] = [];
  if (opts.share)
    bottom.push(actions([valueButton("Share in channel", SHARE_IN_CHANNEL, encodeShare(opts.share))]));
  bottom.push(footer(a.source, a.reportUrl));
  const room = MAX_BLOCKS - top.length - bottom.length;
  return {
    text: fallbackText(a),
    blocks: [...top, ...bodyBlocks(a, room, opts.invocation ?? ""), ...bottom],
  };
}

function bodyBlocks(a: Answer, room: number, invocation: string): Block[] {
  switch (a.kind) {
    case "project":
      return projectBlocks(a.project, { focus: a.focus, statusLine: a.statusLine });
    case "alternatives":
      return alternativesBlocks(a);
    case "list":
      return listBlocks(a, room);
    case "choices":
      return choicesBlocks(a);
    case "not_found":
      return notFoundBlocks(a, invocation);
    case "help":
      return helpBlocks(a, invocation);
  }
}

// ---------------------------------------------------------------- project card

interface CardOptions {
  focus?: Focus;
  statusLine?: string;
  skipWarning?: boolean;
}

export function projectBlocks(p: Project, o: CardOptions = {}): Block[] {
  const out: Block[] = [];
  if (!o.skipWarning && needsWarning(p))
    out.push(
      ...warningBlocks(
        p,
        p.successors,
        p.noSuccessor && { wording: p.noSuccessor.wording, source: p.noSuccessor.source },
      ),
    );
  out.push(header(cardTitle(p)));
  if (o.statusLine) out.push(section(`*${escapeTruncated(o.statusLine, 500)}*`));
  out.push(section(p.goal ? escapeTruncated(p.goal, MAX_SECTION_TEXT) : "_The list gives no description._"));
  out.push(fieldsSection(facts(p)));
  out.push(section(linksLine(p)));
  const community = p.channels.filter((c) => c.kind !== "github_issues");
  const issues = p.channels.filter((c) => c.kind === "github_issues");
  const groups: Record<"contact" | "report" | "azure", Block | null> = {
    contact: listSection("Talk to the community", community.map(channelLine)),
    report: listSection("Report an issue", issues.map(channelLine)),
    azure: listSection(
      "Use on Azure",
      p.azure.map((z) => `• ${link(z.url, z.label)}`),
    ),
  };
  const order =
    o.focus === "azure"
      ? (["azure", "contact", "report"] as const)
      : (["contact", "report", "azure"] as const);
  for (const k of order) {
    const b = groups[k];
    if (b) out.push(b);
  }
  if (p.notes.length)
    out.push(
      context(
        p.notes
          .slice(0, MAX_CONTEXT_ELEMENTS)
          .map((n) => mrkdwn(`Note: ${escapeTruncated(n.text, 1000)} (${link(n.source, "source")})`)),
      ),
    );
  return out;
}

function cardTitle(p: Project): string {
  const badge = ` · ${lifecycleBadge(p)}`;
  const name =
    p.name.length + badge.length > MAX_HEADER_TEXT
      ? `${p.name.slice(0, MAX_HEADER_TEXT - badge.length - 1)}…`
      : p.name;
  return `${name}${badge}`;
}

function facts(p: Project): string[] {
  const m = p.maturity;
  const parts = [
    m.cncf && `CNCF: ${m.cncf}`,
    m.kubernetes && `Kubernetes: ${m.kubernetes}`,
    m.azure && `Azure: ${m.azure}`,
    ...m.other.map((o) => `${o.key}: ${o.value}`),
  ].filter((s): s is string => Boolean(s));
  const maturity = parts.length ? parts.join("; ") : m.raw || "Not given";
  const fields = [field("Area", p.area), field("Maturity", maturity)];
  if (m.api) fields.push(field("API", m.api));
  return fields;
}

function field(label: string, raw: string): string {
  const prefix = `*${label}*\n`;
  return prefix + escapeTruncated(raw, MAX_FIELD_TEXT - prefix.length);
}

function linksLine(p: Project): string {
  const links = [link(p.url, "Repository"), ...p.links.map((l) => link(l.url, l.label, 80))];
  return fitLines([`*Links:* ${links.join(" · ")}`]).text || `*Links:* ${link(p.url, "Repository")}`;
}

function channelLine(c: Channel): string {
  const where =
    c.kind === "slack" && c.workspace && !c.label.includes(c.workspace)
      ? ` on ${escapeText(c.workspace)}`
      : "";
  return c.url
    ? `• ${link(c.url, c.label)}${where}`
    : `• ${escapeTruncated(c.label, 200)}${where} (no link given)`;
}

function listSection(title: string, lines: string[]): Block | null {
  if (!lines.length) return null;
  return section(fitLines([`*${title}*`, ...lines]).text);
}

/** The prominent "use something else" warning, and buttons that open the successors' cards. */
function warningBlocks(
  p: Project,
  successors: Successor[],
  none: { wording: string; source?: string } | undefined,
): Block[] {
  const name = `*${escapeTruncated(p.name, MAX_NAME)}*`;
  const delisted =
    p.listed === true ? "" : `no longer on the upstream list (last listed ${escapeText(p.listed.date)})`;
  const state =
    p.lifecycle === "active"
      ? `${name} is ${delisted}.`
      : `${name} is *${p.lifecycle}*${delisted ? ` and ${delisted}` : ""}.`;
  const lines = [`:warning: ${state}`];
  if (successors.length) {
    lines.push("Use instead:");
    for (const s of successors)
      lines.push(
        `• *${link(s.url, s.name, MAX_NAME)}*: “${escapeTruncated(s.wording, 400)}” (${link(s.source, "source")})`,
      );
  } else if (none) {
    const src = none.source ? ` (${link(none.source, "source")})` : "";
    lines.push(`No successor is named upstream: “${escapeTruncated(none.wording, 400)}”${src}`);
  }
  const out: Block[] = [section(fitLines(lines).text)];
  const buttons = successors
    .slice(0, MAX_ACTION_ELEMENTS)
    .map((s, i) =>
      s.id
        ? valueButton(`Open ${s.name}`, `${OPEN_PROJECT}_s${i}`, s.id)
        : urlButton(`${s.name} ↗`, `${LINK_PREFIX}_s${i}`, s.url),
    );
  if (buttons.length) out.push(actions(buttons));
  return out;
}

function alternativesBlocks(a: AlternativesAnswer): Block[] {
  const p = a.project;
  const none = a.noSuccessorReason
    ? { wording: a.noSuccessorReason, ...(p.noSuccessor ? { source: p.noSuccessor.source } : {}) }
    : undefined;
  return [...warningBlocks(p, a.alternatives, none), ...projectBlocks(p, { skipWarning: true })];
}

// ---------------------------------------------------------------- lists and choices

function summaryLine(p: ProjectSummary): string {
  const badge = p.lifecycle !== "active" || !p.listed ? ` _(${lifecycleBadge(p).toLowerCase()})_` : "";
  const goal = p.goal ? ` — ${escapeTruncated(p.goal, MAX_GOAL_IN_LIST)}` : "";
  return `• ${link(p.url, p.name, MAX_NAME)}${badge}${goal}`;
}

const textLength = blockTextLength;

/**
 * Projects grouped by area, one section per area (split when an area outgrows a section), each
 * with a select that opens a project's card. Stops at the block or text budget with "and N more".
 */
function listBlocks(a: ListAnswer, room: number): Block[] {
  const out: Block[] = [header(a.title)];
  if (!a.projects.length) return [...out, section("_No projects match._")];
  const groups: { area: string; projects: ProjectSummary[] }[] = [];
  for (const p of a.projects) {
    const last = groups[groups.length - 1];
    if (last && last.area === p.area) last.projects.push(p);
    else groups.push({ area: p.area, projects: [p] });
  }
  // One block is kept back for the "and N more" notice.
  const maxBlocks = room - 1;
  let budget = MAX_TOTAL_BLOCK_TEXT - LIST_TEXT_RESERVE - textLength(out[0] as Block);
  let shown = 0;
  let g = 0;
  outer: for (const group of groups) {
    let rest = group.projects;
    let first = true;
    while (rest.length) {
      if (out.length >= maxBlocks) break outer;
      const title = `*${escapeTruncated(group.area, MAX_NAME)}*${first ? "" : " (continued)"}`;
      const { text, used } = fitLines([title, ...rest.map(summaryLine)]);
      const take = rest.slice(0, Math.max(0, used - 1));
      if (!take.length) break outer;
      const select = staticSelect(
        "Open a card",
        `${OPEN_PROJECT}_a${g}`,
        take.map((p) => ({ label: p.name, value: p.id })),
      );
      const block = section(text, select);
      const cost = textLength(block);
      if (cost > budget) {
        // Fit what the remaining budget allows, line by line, before giving up.
        const fitted = fitWithin(title, take, budget, g);
        if (fitted) {
          out.push(fitted.block);
          shown += fitted.count;
        }
        break outer;
      }
      out.push(block);
      budget -= cost;
      shown += take.length;
      rest = rest.slice(take.length);
      first = false;
      g += 1;
    }
  }
  const more = a.projects.length - shown;
  if (more > 0)
    out.push(
      context([
        mrkdwn(
          `…and ${more} more. Ask about an area, a topic or a maturity (for example \`security projects\`) to narrow the list.`,
        ),
      ]),
    );
  return out;
}

function fitWithin(
  title: string,
  projects: ProjectSummary[],
  budget: number,
  g: number,
): { block: Block; count: number } | null {
  for (let n = projects.length - 1; n > 0; n -= 1) {
    const take = projects.slice(0, n);
    const block = section(
      [title, ...take.map(summaryLine)].join("\n"),
      staticSelect(
        "Open a card",
        `${OPEN_PROJECT}_a${g}`,
        take.map((p) => ({ label: p.name, value: p.id })),
      ),
    );
    if (textLength(block) <= budget) return { block, count: n };
  }
  return null;
}

function projectButtons(ps: ProjectSummary[], prefix: string): Block[] {
  const out: Block[] = [];
  const buttons = ps
    .slice(0, MAX_ACTION_ELEMENTS)
    .map((p, i) => valueButton(p.name, `${OPEN_PROJECT}_${prefix}${i}`, p.id));
  if (buttons.length) out.push(actions(buttons));
  if (ps.length > MAX_ACTION_ELEMENTS)
    out.push(context([mrkdwn(`…and ${ps.length - MAX_ACTION_ELEMENTS} more.`)]));
  return out;
}

function choicesBlocks(a: ChoicesAnswer): Block[] {
  const lines = a.projects.slice(0, MAX_ACTION_ELEMENTS).map((p) => {
    const goal = p.goal ? ` — ${escapeTruncated(p.goal, MAX_GOAL_IN_LIST)}` : "";
    return `• *${escapeTruncated(p.name, MAX_NAME)}* (${escapeTruncated(p.area, MAX_NAME)})${goal}`;
  });
  return [plainSection(a.prompt), section(fitLines(lines).text), ...projectButtons(a.projects, "c")];
}

function notFoundBlocks(a: NotFoundAnswer, invocation: string): Block[] {
  const out: Block[] = [plainSection(`Nothing in the catalog matches “${a.query}”.`)];
  if (a.suggestions.length)
    out.push(section("Did you mean one of these?"), ...projectButtons(a.suggestions, "n"));
  const inv = escapeText(invocation);
  out.push(context([mrkdwn(`Try \`${inv}help\` for examples, or \`${inv}list\` for every project.`)]));
  return out;
}

function helpBlocks(a: HelpAnswer, invocation: string): Block[] {
  const inv = escapeText(invocation);
  const examples = a.examples.map(
    (e) => `• \`${inv}${escapeTruncated(e.example, 100)}\` — ${escapeTruncated(e.description, 200)}`,
  );
  return [
    header("What I can tell you"),
    section(escapeTruncated(a.text, MAX_SECTION_TEXT)),
    section(fitLines(["*Try*", ...examples]).text),
    context([mrkdwn("Ask with `/upstream …`, mention me in a thread, or send me a direct message.")]),
  ];
}

// ---------------------------------------------------------------- footer

export function sourceLine(source: AnswerSource): string {
  const snap = source.snapshot;
  const fetched =
    source.origin === "live" && source.fetchedAt ? `, fetched ${escapeText(source.fetchedAt)}` : "";
  return `Source: ${link(snap.url, `upstream list of ${snap.date} (${snap.commit})`)}${fetched}`;
}

function footer(source: AnswerSource, reportUrl: string): types.ContextBlock {
  return context([mrkdwn(`${sourceLine(source)} · ${link(reportUrl, "Report outdated info")}`)]);
}
