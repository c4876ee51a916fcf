// Answer → Adaptive Card for Microsoft Teams (schema 1.5, see limits.ts for why). Pure functions:
// no botbuilder, no I/O. https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-reference
// Untrusted text (the person's words, catalog data) goes into TextRuns, which Teams never parses
// as markdown, or through escapeMarkdown where only markdown-parsed fields exist (FactSet).
import {
  type AlternativesAnswer,
  type Answer,
  type AnswerSource,
  type ChoicesAnswer,
  type HelpAnswer,
  type ListAnswer,
  type ListChange,
  type NotFoundAnswer,
  type ProjectAnswer,
  type ProjectSummary,
  sourceLine,
} from "../core/answer.js";
import type { Channel, Project, Successor } from "../core/catalog-schema.js";
import type { Overview } from "../core/core.js";
import { CARD_VERSION, MAX_ACTIONS_PER_SET, MAX_CARD_UTF16_BYTES, MAX_CHOICE_ACTIONS } from "./limits.js";
import { escapeMarkdown, literal, truncate } from "./safe-text.js";

export const ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
const SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json";
/** Short enough for a phone; the card's own fallbackText is what a client without cards shows. */
const MAX_FALLBACK_CHARS = 1000;
const MAX_GOAL_IN_LIST = 120;

/** What a button sends back to the bot (Action.Submit `data`, delivered as the message's `value`). */
export type SubmitData = { action: "open_project"; id: string } | { action: "ask"; text: string };

export type CardAction =
  | { type: "Action.OpenUrl"; title: string; url: string }
  | { type: "Action.Submit"; title: string; data: SubmitData };

export interface TextRun {
  type: "TextRun";
  text: string;
  weight?: "Bolder";
  size?: "Small" | "Medium" | "Large";
  color?: "Good" | "Warning" | "Attention";
  isSubtle?: boolean;
  italic?: boolean;
}

export type CardElement = { type: string } & Record<string, unknown>;

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: string;
  fallbackText: string;
  msteams: { width: "Full" };
  body: CardElement[];
}

export interface CardOptions {
  /**
   * False for cards a person inserts with the search extension or a link unfurl: such a card is
   * sent by the person, so an Action.Submit could reach no bot; links replace the buttons.
   */
  interactive: boolean;
}

const INTERACTIVE: CardOptions = { interactive: true };

// ——— building blocks ———

type RunStyle = Omit<TextRun, "type" | "text">;

function run(text: string, style: RunStyle = {}): TextRun {
  return { type: "TextRun", text: literal(text), ...style };
}

function rich(inlines: TextRun[], extra: Record<string, unknown> = {}): CardElement {
  return { type: "RichTextBlock", inlines, ...extra };
}

function para(text: string, style: RunStyle = {}): CardElement {
  return rich([run(text, style)]);
}

/** Our own fixed words only: a TextBlock is markdown. */
function heading(text: string): CardElement {
  return { type: "TextBlock", text, weight: "Bolder", spacing: "Medium", wrap: true };
}

function openUrl(title: string, url: string): CardAction {
  return { type: "Action.OpenUrl", title: literal(title), url };
}

function submit(title: string, data: SubmitData): CardAction {
  return { type: "Action.Submit", title: literal(title), data };
}

/** A project button: opens its card in the bot's chat, or its repository where no bot can answer. */
function projectAction(p: { id: string; name: string; url: string }, opts: CardOptions): CardAction {
  return opts.interactive ? submit(p.name, { action: "open_project", id: p.id }) : openUrl(p.name, p.url);
}

/** Action sets of at most MAX_ACTIONS_PER_SET, at most `maxActions` in all, then "and N more". */
function actionRows(actions: CardAction[], maxActions = MAX_ACTIONS_PER_SET): CardElement[] {
  const shown = actions.slice(0, maxActions);
  const out: CardElement[] = [];
  for (let i = 0; i < shown.length; i += MAX_ACTIONS_PER_SET)
    out.push({ type: "ActionSet", actions: shown.slice(i, i + MAX_ACTIONS_PER_SET) });
  if (actions.length > shown.length)
    out.push(para(`and ${actions.length - shown.length} more`, { isSubtle: true }));
  return out;
}

function section(title: string, actions: CardAction[], extra: CardElement[] = []): CardElement[] {
  if (actions.length === 0 && extra.length === 0) return [];
  return [heading(title), ...actionRows(actions), ...extra];
}

interface Badge {
  text: string;
  color: "Good" | "Warning" | "Attention";
}

export function badge(p: Pick<Project, "lifecycle"> & { listed: Project["listed"] | boolean }): Badge {
  if (p.lifecycle === "deprecated") return { text: "Deprecated", color: "Warning" };
  if (p.lifecycle === "archived") return { text: "Archived", color: "Attention" };
  if (p.listed !== true) return { text: "Delisted", color: "Attention" };
  return { text: "Active", color: "Good" };
}

function footer(source: AnswerSource, reportUrl: string): CardElement {
  return {
    type: "Container",
    separator: true,
    spacing: "Medium",
    items: [
      para(`Source: ${sourceLine(source)}`, { size: "Small", isSubtle: true }),
      {
        type: "ActionSet",
        actions: [openUrl("Source", source.snapshot.url), openUrl("Report outdated info", reportUrl)],
      },
    ],
  };
}

function card(body: CardElement[], fallback: string): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: SCHEMA_URL,
    version: CARD_VERSION,
    fallbackText: truncate(fallback, MAX_FALLBACK_CHARS),
    msteams: { width: "Full" },
    body,
  };
}

/** The size Teams counts: the card's JSON in UTF-16 code units, two bytes each. */
export function cardUtf16Bytes(c: unknown): number {
  return JSON.stringify(c).length * 2;
}

// ——— project ———

function retiredState(p: Project): string {
  if (p.lifecycle !== "active") return `${p.name} is ${p.lifecycle}.`;
  return p.listed === true
    ? `${p.name} is active.`
    : `${p.name} is no longer on the upstream list (last listed ${p.listed.date}).`;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** The "use something else" box: state, named successors (a button each), or upstream's own words. */
function successorBox(
  p: Project,
  successors: Successor[],
  noSuccessor: string | undefined,
  opts: CardOptions,
): CardElement {
  const warn = p.lifecycle !== "active" || p.listed !== true;
  const items: CardElement[] = [];
  if (warn) items.push(rich([run(`⚠ ${retiredState(p)}`, { weight: "Bolder" })]));
  if (successors.length > 0) {
    items.push(
      rich([run("Use instead: "), run(successors.map((s) => s.name).join(", "), { weight: "Bolder" })]),
    );
    for (const w of unique(successors.map((s) => s.wording))) items.push(para(`“${w}”`, { italic: true }));
    items.push(
      ...actionRows(
        successors.map((s) =>
          s.id ? projectAction({ id: s.id, name: s.name, url: s.url }, opts) : openUrl(s.name, s.url),
        ),
      ),
    );
  } else if (noSuccessor) {
    items.push(rich([run("No successor is named upstream: "), run(`“${noSuccessor}”`, { italic: true })]));
  } else if (!warn) {
    items.push(para("No successor is named upstream."));
  }
  return {
    type: "Container",
    style: !warn ? "emphasis" : p.lifecycle === "deprecated" ? "warning" : "attention",
    items,
  };
}

function channelSection(title: string, channels: Channel[]): CardElement[] {
  const linked = channels.filter((c): c is Channel & { url: string } => c.url !== undefined);
  const unlinked = channels.filter((c) => c.url === undefined);
  return section(
    title,
    linked.map((c) => openUrl(c.label, c.url)),
    unlinked.map((c) => para(`${c.label} (no link given)`)),
  );
}

function projectBody(p: Project, focus?: ProjectAnswer["focus"]): CardElement[] {
  const b = badge(p);
  const out: CardElement[] = [
    {
      type: "ColumnSet",
      columns: [
        { type: "Column", width: "stretch", items: [para(p.name, { size: "Large", weight: "Bolder" })] },
        {
          type: "Column",
          width: "auto",
          verticalContentAlignment: "Center",
          items: [para(b.text, { weight: "Bolder", color: b.color })],
        },
      ],
    },
  ];
  if (p.goal) out.push(para(p.goal));
  const facts = [{ title: "Area", value: escapeMarkdown(p.area) }];
  if (p.maturity.raw) facts.push({ title: "Maturity", value: escapeMarkdown(p.maturity.raw) });
  if (p.maturity.api) facts.push({ title: "API", value: escapeMarkdown(p.maturity.api) });
  out.push({ type: "FactSet", facts });

  const links = section("Links", [
    openUrl("Repository", p.url),
    ...p.links.map((l) => openUrl(l.label, l.url)),
  ]);
  const community = channelSection(
    "Talk to the community",
    p.channels.filter((c) => c.kind !== "github_issues"),
  );
  const report = channelSection(
    "Report an issue",
    p.channels.filter((c) => c.kind === "github_issues"),
  );
  const azure = section(
    "Use on Azure",
    p.azure.map((a) => openUrl(a.label, a.url)),
  );
  const order =
    focus === "azure"
      ? [azure, community, report, links]
      : focus === "contact"
        ? [community, report, links, azure]
        : [links, community, report, azure];
  for (const s of order) out.push(...s);
  for (const n of p.notes)
    out.push(rich([run("Note: ", { weight: "Bolder" }), run(n.text)], { spacing: "Medium" }));
  return out;
}

function renderProject(a: ProjectAnswer, opts: CardOptions): AdaptiveCard {
  const p = a.project;
  const body: CardElement[] = [];
  if (a.statusLine) body.push(para(a.statusLine, { weight: "Bolder" }));
  if (p.lifecycle !== "active" || p.listed !== true)
    body.push(successorBox(p, p.successors, p.noSuccessor?.wording, opts));
  body.push(...projectBody(p, a.focus), footer(a.source, a.reportUrl));
  return card(body, answerText(a, { markdown: true }));
}

function renderAlternatives(a: AlternativesAnswer, opts: CardOptions): AdaptiveCard {
  const p = a.project;
  const body = [
    successorBox(p, a.alternatives, a.noSuccessorReason ?? p.noSuccessor?.wording, opts),
    ...projectBody(p),
    footer(a.source, a.reportUrl),
  ];
  return card(body, answerText(a, { markdown: true }));
}

// ——— lists and choices ———

function changeWords(c: ListChange): string {
  switch (c.change) {
    case "added":
      return "new";
    case "removed":
      return "removed from the list";
    case "moved":
      return c.from ? `moved from ${c.from}` : "moved";
    case "lifecycle":
      return c.from && c.to ? `${c.from} → ${c.to}` : "status changed";
  }
}

function summaryRuns(p: ProjectSummary, withGoal: boolean, change?: ListChange): TextRun[] {
  const b = badge(p);
  const inlines = [run(p.name, { weight: "Bolder" })];
  if (b.text !== "Active") inlines.push(run(` ${b.text}`, { color: b.color }));
  if (change) inlines.push(run(` · ${changeWords(change)}`, { isSubtle: true }));
  if (withGoal && p.goal) inlines.push(run(` — ${truncate(p.goal, MAX_GOAL_IN_LIST)}`, { isSubtle: true }));
  return inlines;
}

function listItems(a: ListAnswer, count: number, withGoals: boolean, opts: CardOptions): CardElement[] {
  const changes = new Map((a.changes ?? []).map((c) => [c.id, c]));
  const out: CardElement[] = [];
  let area = "";
  for (const p of a.projects.slice(0, count)) {
    if (p.area !== area) {
      area = p.area;
      out.push(para(area, { weight: "Bolder", isSubtle: true }));
    }
    const select: CardAction = opts.interactive
      ? { type: "Action.Submit", title: literal(p.name), data: { action: "open_project", id: p.id } }
      : { type: "Action.OpenUrl", title: literal(p.name), url: p.url };
    out.push({
      type: "Container",
      selectAction: select,
      items: [rich(summaryRuns(p, withGoals, changes.get(p.id)))],
    });
  }
  return out;
}

/**
 * The list card within MAX_CARD_UTF16_BYTES: every project with its goal if that fits, else every
 * project without goals, else as many as fit and an "and N more" line.
 */
function renderList(a: ListAnswer, opts: CardOptions): AdaptiveCard {
  const fallback = answerText(a, { markdown: true });
  const build = (count: number, withGoals: boolean): AdaptiveCard => {
    const body: CardElement[] = [para(a.title, { size: "Medium", weight: "Bolder" })];
    if (a.projects.length === 0) body.push(para("No projects.", { isSubtle: true }));
    body.push(...listItems(a, count, withGoals, opts));
    const rest = a.projects.length - count;
    if (rest > 0)
      body.push(
        para(`and ${rest} more: ask for an area or a topic to see fewer at a time.`, { isSubtle: true }),
      );
    body.push(footer(a.source, a.reportUrl));
    return card(body, fallback);
  };
  const fits = (c: AdaptiveCard) => cardUtf16Bytes(c) <= MAX_CARD_UTF16_BYTES;
  const all = a.projects.length;
  const full = build(all, true);
  if (fits(full)) return full;
  const bare = build(all, false);
  if (fits(bare)) return bare;
  let lo = 0;
  let hi = all;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(build(mid, false))) lo = mid;
    else hi = mid - 1;
  }
  return build(lo, false);
}

function renderChoices(a: ChoicesAnswer, opts: CardOptions): AdaptiveCard {
  const shown = a.projects.slice(0, MAX_CHOICE_ACTIONS);
  const body: CardElement[] = [para(a.prompt, { weight: "Bolder" })];
  for (const p of shown) body.push(rich(summaryRuns(p, true)));
  body.push(
    ...actionRows(
      a.projects.map((p) => projectAction(p, opts)),
      MAX_CHOICE_ACTIONS,
    ),
    footer(a.source, a.reportUrl),
  );
  return card(body, answerText(a, { markdown: true }));
}

// ——— not found, help, welcome ———

function askButtons(opts: CardOptions): CardElement[] {
  if (!opts.interactive) return [];
  return [
    {
      type: "ActionSet",
      actions: [
        submit("Help", { action: "ask", text: "help" }),
        submit("Every project", { action: "ask", text: "list" }),
      ],
    },
  ];
}

function renderNotFound(a: NotFoundAnswer, opts: CardOptions): AdaptiveCard {
  const body: CardElement[] = [
    rich([run("Nothing in the catalog matches "), run(`“${a.query}”`, { italic: true }), run(".")]),
  ];
  if (a.suggestions.length > 0)
    body.push(heading("Did you mean"), ...actionRows(a.suggestions.map((p) => projectAction(p, opts))));
  body.push(
    para('Type "help" for examples, or "list" for every project.', { isSubtle: true }),
    ...askButtons(opts),
    footer(a.source, a.reportUrl),
  );
  return card(body, answerText(a, { markdown: true }));
}

/** Up to six example questions as buttons; "help" itself is left out of them. */
function exampleButtons(help: HelpAnswer, opts: CardOptions): CardElement[] {
  if (!opts.interactive) return [];
  const examples = help.examples.filter((e) => e.example !== "help").slice(0, MAX_ACTIONS_PER_SET);
  return [
    {
      type: "ActionSet",
      actions: examples.map((e) => submit(e.example, { action: "ask", text: e.example })),
    },
  ];
}

function renderHelp(a: HelpAnswer, opts: CardOptions): AdaptiveCard {
  const body: CardElement[] = [
    {
      type: "TextBlock",
      text: "Azure Core Container Upstream",
      size: "Medium",
      weight: "Bolder",
      wrap: true,
    },
    para(a.text),
    heading("Ask me, for example"),
    ...a.examples.map((e) =>
      rich([run(e.example, { weight: "Bolder" }), run(` — ${e.description}`, { isSubtle: true })]),
    ),
    ...exampleButtons(a, opts),
    footer(a.source, a.reportUrl),
  ];
  return card(body, answerText(a, { markdown: true }));
}

/** The card sent when the app is installed or the bot is added to a chat or team. */
export function renderWelcome(overview: Overview, help: HelpAnswer): AdaptiveCard {
  const body: CardElement[] = [
    {
      type: "TextBlock",
      text: "Hi! I know the upstream project list.",
      size: "Medium",
      weight: "Bolder",
      wrap: true,
    },
    para(help.text),
    heading("Try one of these"),
    ...exampleButtons(help, INTERACTIVE),
    para("In a channel or group chat, @mention me with your question.", { isSubtle: true }),
    footer(overview.source, overview.reportUrl),
  ];
  const examples = help.examples.map((e) => `• ${e.example}`).join("\n");
  return card(body, `${help.text}\n\nTry:\n${examples}`);
}

export function renderAnswer(a: Answer, opts: CardOptions = INTERACTIVE): AdaptiveCard {
  switch (a.kind) {
    case "project":
      return renderProject(a, opts);
    case "alternatives":
      return renderAlternatives(a, opts);
    case "list":
      return renderList(a, opts);
    case "choices":
      return renderChoices(a, opts);
    case "not_found":
      return renderNotFound(a, opts);
    case "help":
      return renderHelp(a, opts);
  }
}

// ——— plain text ———

/**
 * The answer as text: the card's fallbackText, and the whole message when Teams refuses a card.
 * With `markdown`, untrusted text is escaped because Teams renders message text as markdown;
 * URLs are left whole (they come from the validated catalog and Teams links them itself).
 */
export function answerText(a: Answer, opts: { markdown: boolean }): string {
  const t = opts.markdown ? escapeMarkdown : literal;
  const lines: string[] = [];
  const project = (p: Project, skipWarning: boolean) => {
    if (!skipWarning && (p.lifecycle !== "active" || p.listed !== true)) {
      const use = p.successors.length ? ` Use instead: ${p.successors.map((s) => s.name).join(", ")}.` : "";
      lines.push(t(`⚠ ${retiredState(p)}${use}`));
    }
    lines.push(t(`${p.name} (${badge(p).text})${p.goal ? `: ${p.goal}` : ""}`));
    lines.push(t(`Area: ${p.area}${p.maturity.raw ? `. Maturity: ${p.maturity.raw}` : ""}`));
    lines.push(`${t("Repository:")} ${p.url}`);
    for (const c of p.channels)
      lines.push(c.url ? `${t(`${c.label}:`)} ${c.url}` : t(`${c.label} (no link given)`));
    for (const z of p.azure) lines.push(`${t(`${z.label}:`)} ${z.url}`);
  };
  switch (a.kind) {
    case "help":
      lines.push(t(a.text), t("Try:"), ...a.examples.map((e) => t(`• ${e.example}: ${e.description}`)));
      break;
    case "project":
      if (a.statusLine) lines.push(t(a.statusLine));
      project(a.project, false);
      break;
    case "alternatives":
      lines.push(t(`⚠ ${retiredState(a.project)}`));
      if (a.alternatives.length === 0)
        lines.push(t(`No successor is named upstream. ${a.noSuccessorReason ?? ""}`.trim()));
      for (const s of a.alternatives) lines.push(`${t(`Use instead: ${s.name}`)} ${s.url}`);
      project(a.project, true);
      break;
    case "list":
      lines.push(
        t(a.title),
        ...a.projects.map((p) => t(`• ${p.name}${p.lifecycle !== "active" ? ` (${p.lifecycle})` : ""}`)),
      );
      break;
    case "choices":
      lines.push(t(a.prompt), ...a.projects.map((p) => t(`• ${p.name}`)));
      break;
    case "not_found":
      lines.push(t(`Nothing in the catalog matches “${a.query}”.`));
      if (a.suggestions.length)
        lines.push(t(`Did you mean: ${a.suggestions.map((s) => s.name).join(", ")}?`));
      lines.push(t('Type "help" for examples, or "list" for every project.'));
      break;
  }
  lines.push(t(`Source: ${sourceLine(a.source)}`), `${t("Outdated?")} ${a.reportUrl}`);
  return lines.join(opts.markdown ? "\n\n" : "\n");
}

/** One line for notifications and previews. */
export function answerSummary(a: Answer): string {
  switch (a.kind) {
    case "project":
    case "alternatives":
      return literal(
        `${a.project.name} (${badge(a.project).text})${a.project.goal ? `: ${a.project.goal}` : ""}`,
      );
    case "list":
      return literal(a.title);
    case "choices":
      return literal(a.prompt);
    case "not_found":
      return literal(`Nothing in the catalog matches “${a.query}”.`);
    case "help":
      return "What I can answer, with examples";
  }
}
