// ProjectAnswer → a compact link unfurl: name, badge and goal, and for a retired project the
// warning with its successors. No buttons: unfurl attachments have no response_url to answer through.
// https://docs.slack.dev/messaging/unfurling-links-in-messages
import type { types } from "@slack/bolt";
import { needsWarning, type ProjectAnswer } from "../core/answer.js";
import { type Block, context, mrkdwn, section } from "./block-kit.js";
import { sourceLine } from "./blocks.js";
import { escapeTruncated, link } from "./escape.js";
import { lifecycleBadge } from "./fallback-text.js";

export function renderUnfurl(a: ProjectAnswer): { blocks: types.KnownBlock[] } {
  const p = a.project;
  const blocks: Block[] = [
    section(`*${link(p.url, p.name, 120)}* · ${lifecycleBadge(p)}\n${escapeTruncated(p.goal, 500)}`),
  ];
  if (needsWarning(p)) {
    const instead = p.successors.length
      ? `Use instead: ${p.successors.map((s) => link(s.url, s.name, 120)).join(", ")}.`
      : p.noSuccessor
        ? `No successor is named upstream: “${escapeTruncated(p.noSuccessor.wording, 300)}”`
        : "";
    const state = p.lifecycle === "active" ? "No longer on the upstream list." : `${lifecycleBadge(p)}.`;
    blocks.push(section(`:warning: ${state}${instead ? ` ${instead}` : ""}`));
  }
  blocks.push(context([mrkdwn(`${sourceLine(a.source)} · ${link(a.reportUrl, "Report outdated info")}`)]));
  return { blocks };
}
