// The help answer and the command table it is built from. The Teams manifest's
// commandLists and the Slack manifest's usage hint are checked against this table.
import type { AnswerSource, HelpAnswer, HelpExample } from "./answer.js";
import type { CatalogIndex } from "./search-index.js";

/** Shown in help, in Teams' command menu (title ≤ 32 chars, description ≤ 128) and in docs. */
export const COMMANDS: { title: string; description: string; example: string }[] = [
  { title: "help", description: "What the bot can do, with examples", example: "help" },
  {
    title: "eraser",
    description: "A project's card: status, links, channels, how to use it on Azure",
    example: "eraser",
  },
  {
    title: "what replaced aad pod identity?",
    description: "What to use instead of a deprecated or archived project",
    example: "what replaced aad pod identity?",
  },
  {
    title: "who do I ask about gatekeeper?",
    description: "Where to talk to a project's people and report issues",
    example: "who do I ask about gatekeeper?",
  },
  {
    title: "security projects",
    description: "Projects in an area: security, service mesh, container runtime…",
    example: "security projects",
  },
  {
    title: "cncf graduated",
    description: "Projects by maturity: cncf graduated, sandbox, GA on AKS",
    example: "cncf graduated",
  },
  { title: "deprecated", description: "Deprecated, archived and delisted projects", example: "deprecated" },
  {
    title: "wasm",
    description: "Projects by topic: wasm, identity, secrets, encryption at rest",
    example: "wasm",
  },
  { title: "what's new?", description: "What changed in the upstream list", example: "what's new?" },
  { title: "list", description: "Every project on the list, by area", example: "list" },
];

export const USAGE_HINT = "[project, question, area or topic]";

export function helpExamples(): HelpExample[] {
  return COMMANDS.map((c) => ({ example: c.example, description: c.description }));
}

export function helpAnswer(index: CatalogIndex, source: AnswerSource, query: string): HelpAnswer {
  const n = index.catalog.projects.length;
  return {
    kind: "help",
    query,
    intent: "help",
    source,
    reportUrl: index.reportUrl(),
    text:
      `I answer questions about the ${n} projects of the Azure Core Container Upstream list: ` +
      "what a project is, its status, where to talk to its people, where to report issues, " +
      "how to use it on Azure, and what replaced a deprecated one.",
    examples: helpExamples(),
  };
}
