// The Teams bot: turns each kind of activity into a question for the core and its answer into a
// reply or an invoke response. Convert and forward only: the core decides, cards.ts renders.
// https://learn.microsoft.com/microsoftteams/platform/bots/bot-basics
// Not botbuilder's index: see the imports of handler.ts.
import { TeamsActivityHandler } from "botbuilder/lib/teamsActivityHandler.js";
import {
  type AppBasedLinkQuery,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
  TurnContext,
} from "botbuilder-core";
import type { Answer, HelpAnswer, ProjectAnswer } from "../core/answer.js";
import type { Core } from "../core/core.js";
import type { Logger } from "../log.js";
import { createRenderCache } from "../render-cache.js";
import type { Telemetry } from "../telemetry.js";
import type { SubmitData } from "./cards.js";
import { MAX_SEARCH_RESULTS } from "./limits.js";
import { answerReply, type Reply, searchMessage, searchResponse, welcomeReply } from "./messages.js";
import type { ReplayGuard } from "./replay-guard.js";
import { escapeMarkdown, truncate } from "./safe-text.js";

/** The search command's parameter name, as declared in manifests/teams/manifest.json. */
export const SEARCH_PARAMETER = "searchQuery";

export const SEARCH_PROMPT = "Type a project name, an area or a topic.";

export interface BotDeps {
  getCore: () => Core;
  telemetry: Telemetry;
  logger: Logger;
  replays: ReplayGuard;
  /**
   * Sends a reply to the activity of `ctx` after the turn has ended, through a conversation
   * reference (so the HTTP request is answered at once and the TurnContext is never used late).
   */
  deliver: (ctx: TurnContext, reply: Reply) => void;
}

/** A button's data, if it is one of ours; anything else is treated as typed text. */
export function parseSubmit(value: unknown): SubmitData | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.action === "open_project" && typeof v.id === "string" && v.id.length <= 200)
    return { action: "open_project", id: v.id };
  if (v.action === "ask" && typeof v.text === "string") return { action: "ask", text: v.text };
  return null;
}

/** The projects a search result list shows for an answer, in the answer's order. */
function resultIds(a: Answer): string[] {
  switch (a.kind) {
    case "project":
      return [a.project.id];
    case "alternatives":
      return [...a.alternatives.flatMap((s) => (s.id ? [s.id] : [])), a.project.id];
    case "list":
    case "choices":
      return a.projects.map((p) => p.id);
    case "not_found":
      return a.suggestions.map((p) => p.id);
    case "help":
      return [];
  }
}

export class UpstreamTeamsBot extends TeamsActivityHandler {
  /** Replies already rendered for the same text (or button) and catalog (../render-cache.ts). */
  private readonly replies = createRenderCache<{ answer: Answer; reply: Reply }>();

  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (ctx, next) => {
      this.answerMessage(ctx);
      await next();
    });
    // MembersAdded, not TeamsMembersAdded: the Teams variant fetches every added member's
    // profile from the connector, which a welcome does not need.
    this.onMembersAdded(async (ctx, next) => {
      this.welcome(ctx);
      await next();
    });
  }

  /** False (and logged) when this activity was already handled: the channel redelivered it. */
  private firstTime(ctx: TurnContext): boolean {
    const { id, conversation, type } = ctx.activity;
    if (!id) return true;
    const first = this.deps.replays.firstTime(`${conversation?.id ?? ""}|${id}`);
    if (!first)
      this.deps.logger.info({ activityId: id, activityType: type }, "teams: replayed activity ignored");
    return first;
  }

  private report(trigger: string, a: Answer, started: number): void {
    this.deps.telemetry.answered({
      platform: "teams",
      trigger,
      intent: a.intent,
      kind: a.kind,
      ms: performance.now() - started,
      ...(a.kind === "not_found" ? { query: a.query } : {}),
    });
  }

  private answerMessage(ctx: TurnContext): void {
    if (!this.firstTime(ctx)) return;
    const started = performance.now();
    const core = this.deps.getCore();
    const activity = ctx.activity;
    const submitted = parseSubmit(activity.value);
    let trigger = "action";
    let key: string;
    let resolve: () => Answer;
    if (submitted?.action === "open_project") {
      const { id } = submitted;
      key = `p:${id}`;
      resolve = () => core.project(id);
    } else {
      let text: string;
      if (submitted?.action === "ask") text = submitted.text;
      else {
        // In channels and group chats the text starts with "<at>Bot</at>"; the core's text
        // cleaning also drops any other <at>…</at> left over.
        text = (activity.recipient?.id ? TurnContext.removeRecipientMention(activity) : activity.text) ?? "";
        trigger = activity.conversation?.conversationType === "personal" ? "dm" : "mention";
      }
      key = `q:${text}`;
      resolve = () => core.ask(text);
    }
    let entry = this.replies.get(core, key);
    if (!entry) {
      const answer = resolve();
      entry = { answer, reply: answerReply(answer) };
      this.replies.set(core, key, entry);
    }
    this.deps.deliver(ctx, entry.reply);
    this.report(trigger, entry.answer, started);
  }

  /** A welcome when the bot itself is among the added members: app installed or bot added. */
  private welcome(ctx: TurnContext): void {
    const { membersAdded, recipient } = ctx.activity;
    if (!recipient?.id || !membersAdded?.some((m) => m.id === recipient.id)) return;
    if (!this.firstTime(ctx)) return;
    const core = this.deps.getCore();
    const help = core.ask("help");
    this.deps.deliver(
      ctx,
      help.kind === "help" ? welcomeReply(core.overview(), help as HelpAnswer) : answerReply(help),
    );
    this.deps.logger.info(
      { conversationType: ctx.activity.conversation?.conversationType },
      "teams: welcome sent",
    );
  }

  protected override async handleTeamsMessagingExtensionQuery(
    _ctx: TurnContext,
    query: MessagingExtensionQuery,
  ): Promise<MessagingExtensionResponse> {
    const started = performance.now();
    const raw = query.parameters?.find((p) => p.name === SEARCH_PARAMETER)?.value;
    const text = typeof raw === "string" ? raw : "";
    if (text.trim() === "") return searchMessage(SEARCH_PROMPT);
    const core = this.deps.getCore();
    const answer = core.ask(text);
    const skip = Math.max(0, query.queryOptions?.skip ?? 0);
    const count = Math.min(MAX_SEARCH_RESULTS, Math.max(1, query.queryOptions?.count ?? MAX_SEARCH_RESULTS));
    const results = resultIds(answer)
      .slice(skip, skip + count)
      .map((id) => core.project(id))
      .filter((a): a is ProjectAnswer => a.kind === "project");
    this.report("search", answer, started);
    if (results.length === 0 && skip === 0)
      return searchMessage(
        answer.kind === "help"
          ? SEARCH_PROMPT
          : `Nothing in the catalog matches “${escapeMarkdown(truncate(answer.query, 80))}”.`,
      );
    return searchResponse(results);
  }

  protected override async handleTeamsAppBasedLinkQuery(
    _ctx: TurnContext,
    query: AppBasedLinkQuery,
  ): Promise<MessagingExtensionResponse> {
    return this.unfurl(query.url);
  }

  /** Link unfurling in chats where the app is not installed ("zero install"): same answer. */
  protected override async handleTeamsAnonymousAppBasedLinkQuery(
    _ctx: TurnContext,
    query: AppBasedLinkQuery,
  ): Promise<MessagingExtensionResponse> {
    return this.unfurl(query.url);
  }

  private unfurl(url: string | undefined): MessagingExtensionResponse {
    const started = performance.now();
    const answer = typeof url === "string" ? this.deps.getCore().unfurl(url) : null;
    if (!answer) return searchResponse([]);
    this.report("unfurl", answer, started);
    return searchResponse([answer]);
  }
}
