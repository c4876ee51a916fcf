// The activities and invoke responses the Teams bot sends, built from rendered cards. Plain
// objects, no botbuilder: the Bot Framework activity and messaging-extension response shapes.
// https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/search-commands/respond-to-search
import type { Answer, HelpAnswer, ProjectAnswer } from "../core/answer.js";
import type { Overview } from "../core/core.js";
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  type AdaptiveCard,
  answerSummary,
  answerText,
  badge,
  renderAnswer,
  renderWelcome,
} from "./cards.js";
import { MAX_SUMMARY_CHARS, MAX_TEXT_CHARS } from "./limits.js";
import { escapeMarkdown, literal, truncate } from "./safe-text.js";

export interface CardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: AdaptiveCard;
}

/** A message activity before botbuilder adds addressing (conversation, from, recipient, replyToId). */
export interface OutgoingMessage {
  type: "message";
  /** Notification and chat-list preview text: every card message carries one. */
  summary: string;
  text?: string;
  textFormat?: "markdown";
  attachments?: CardAttachment[];
}

/** A card message, and the text message to send instead if Teams refuses the card (413). */
export interface Reply {
  card: OutgoingMessage;
  fallback: OutgoingMessage;
}

function cardMessage(card: AdaptiveCard, summary: string): OutgoingMessage {
  return {
    type: "message",
    summary: truncate(summary, MAX_SUMMARY_CHARS),
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }],
  };
}

function textMessage(text: string, summary: string): OutgoingMessage {
  return {
    type: "message",
    summary: truncate(summary, MAX_SUMMARY_CHARS),
    text: truncate(text, MAX_TEXT_CHARS),
    textFormat: "markdown",
  };
}

export function answerReply(a: Answer): Reply {
  const summary = answerSummary(a);
  return {
    card: cardMessage(renderAnswer(a), summary),
    fallback: textMessage(answerText(a, { markdown: true }), summary),
  };
}

export function welcomeReply(overview: Overview, help: HelpAnswer): Reply {
  const summary = `I answer questions about the ${overview.total} projects of the upstream list`;
  return {
    card: cardMessage(renderWelcome(overview, help), summary),
    fallback: textMessage(answerText(help, { markdown: true }), summary),
  };
}

// ——— messaging extension (search and link unfurling) ———

export interface SearchAttachment extends CardAttachment {
  preview: {
    contentType: "application/vnd.microsoft.card.thumbnail";
    content: { title: string; text: string };
  };
}

export interface ComposeExtensionResponse {
  composeExtension:
    | { type: "result"; attachmentLayout: "list"; attachments: SearchAttachment[] }
    | { type: "message"; text: string };
}

/** One result: the list entry people pick from (preview) and the card it inserts. */
function searchAttachment(a: ProjectAnswer): SearchAttachment {
  const p = a.project;
  return {
    contentType: ADAPTIVE_CARD_CONTENT_TYPE,
    content: renderAnswer(a, { interactive: false }),
    preview: {
      contentType: "application/vnd.microsoft.card.thumbnail",
      content: {
        title: literal(p.name),
        text: escapeMarkdown(
          truncate(`${badge(p).text} · ${p.area}${p.goal ? ` · ${p.goal}` : ""}`, MAX_SUMMARY_CHARS),
        ),
      },
    },
  };
}

export function searchResponse(answers: ProjectAnswer[]): ComposeExtensionResponse {
  return {
    composeExtension: {
      type: "result",
      attachmentLayout: "list",
      attachments: answers.map(searchAttachment),
    },
  };
}

/** Shown in place of results, e.g. before anything is typed. */
export function searchMessage(text: string): ComposeExtensionResponse {
  return { composeExtension: { type: "message", text } };
}
