// The Adaptive Card renderer on its own: exact JSON for recorded answers of the real core, Teams'
// size and action limits, and literal rendering of untrusted text (RELIABILITY 44, 45).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Answer, HelpAnswer, ListAnswer, NotFoundAnswer, ProjectAnswer } from "../../src/core/answer.js";
import { answerText, cardUtf16Bytes, renderAnswer, renderWelcome } from "../../src/teams/cards.js";
import { MAX_ACTIONS_PER_SET, MAX_CARD_UTF16_BYTES } from "../../src/teams/limits.js";
import { answerReply } from "../../src/teams/messages.js";
import { escapeMarkdown, literal } from "../../src/teams/safe-text.js";
import { realCore } from "./support.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "teams");
const answerFixture = <T extends Answer>(name: string) =>
  JSON.parse(readFileSync(join(FIXTURES, "answers", `${name}.json`), "utf8")) as T;
const cardFixture = (name: string) =>
  JSON.parse(readFileSync(join(FIXTURES, "cards", `${name}.json`), "utf8"));
const names = readdirSync(join(FIXTURES, "answers")).map((f) => f.replace(/\.json$/, ""));

type Node = { type?: string; [k: string]: unknown };
/** Every element and action in a card, depth first. */
function nodes(x: unknown): Node[] {
  if (Array.isArray(x)) return x.flatMap(nodes);
  if (typeof x !== "object" || x === null) return [];
  const n = x as Node;
  return [n, ...Object.values(n).flatMap(nodes)];
}

describe("exact cards for recorded answers", () => {
  it.each(names)("%s", (name) => {
    expect(renderAnswer(answerFixture(name))).toEqual(cardFixture(name));
  });

  it("the recorded answers are still what the core answers (so the fixtures stay honest)", () => {
    const questions: Record<string, string> = {
      "alternatives-aad-pod-identity": "what replaced aad pod identity?",
      "choices-kms": "kms",
      "not-found": "xyzzy frobnicate",
      help: "help",
    };
    for (const [name, q] of Object.entries(questions)) expect(realCore().ask(q)).toEqual(answerFixture(name));
  });

  it("not_found, written out by hand: the echo is a TextRun, suggestions and help are buttons", () => {
    const a = answerFixture<NotFoundAnswer>("not-found");
    const report =
      "https://github.com/Azure/container-upstream/issues/new?title=Outdated%20info%20in%20the%20project%20list";
    expect(renderAnswer(a).body).toEqual([
      {
        type: "RichTextBlock",
        inlines: [
          { type: "TextRun", text: "Nothing in the catalog matches " },
          { type: "TextRun", text: "“xyzzy frobnicate”", italic: true },
          { type: "TextRun", text: "." },
        ],
      },
      {
        type: "RichTextBlock",
        inlines: [
          { type: "TextRun", text: 'Type "help" for examples, or "list" for every project.', isSubtle: true },
        ],
      },
      {
        type: "ActionSet",
        actions: [
          { type: "Action.Submit", title: "Help", data: { action: "ask", text: "help" } },
          { type: "Action.Submit", title: "Every project", data: { action: "ask", text: "list" } },
        ],
      },
      {
        type: "Container",
        separator: true,
        spacing: "Medium",
        items: [
          {
            type: "RichTextBlock",
            inlines: [
              {
                type: "TextRun",
                text: "Source: upstream list 2025-09-02 (9b7e339)",
                size: "Small",
                isSubtle: true,
              },
            ],
          },
          {
            type: "ActionSet",
            actions: [
              {
                type: "Action.OpenUrl",
                title: "Source",
                url: "https://github.com/Azure/container-upstream/blob/9b7e339/README.md",
              },
              { type: "Action.OpenUrl", title: "Report outdated info", url: report },
            ],
          },
        ],
      },
    ]);
  });

  it("a deprecated or archived project leads with a warning box naming its successor, with a button", () => {
    const card = renderAnswer(answerFixture("project-aad-pod-identity"));
    expect(card.version).toBe("1.5");
    expect(card.body[0]).toEqual({
      type: "Container",
      style: "attention",
      items: [
        {
          type: "RichTextBlock",
          inlines: [{ type: "TextRun", text: "⚠ AAD Pod Identity is archived.", weight: "Bolder" }],
        },
        {
          type: "RichTextBlock",
          inlines: [
            { type: "TextRun", text: "Use instead: " },
            { type: "TextRun", text: "Azure Workload Identity", weight: "Bolder" },
          ],
        },
        {
          type: "RichTextBlock",
          inlines: [{ type: "TextRun", text: "“Please use Azure Workload Identity instead.”", italic: true }],
        },
        {
          type: "ActionSet",
          actions: [
            {
              type: "Action.Submit",
              title: "Azure Workload Identity",
              data: { action: "open_project", id: "azure-workload-identity" },
            },
          ],
        },
      ],
    });
    const titles = nodes(card.body)
      .filter((n) => n.type === "TextBlock")
      .map((n) => n.text);
    expect(titles).toEqual(["Links", "Talk to the community", "Report an issue", "Use on Azure"]);
  });

  it("a project retired without a successor quotes upstream instead of inventing one", () => {
    const json = JSON.stringify(renderAnswer(answerFixture("project-brigade")));
    expect(json).toContain('"text":"No successor is named upstream: "');
  });

  it("the welcome card: example questions as buttons, and the source footer", () => {
    const core = realCore();
    const card = renderWelcome(core.overview(), core.ask("help") as HelpAnswer);
    const buttons = nodes(card.body).filter((n) => n.type === "Action.Submit");
    expect(buttons.map((b) => b.data)).toEqual(
      (core.ask("help") as HelpAnswer).examples
        .filter((e) => e.example !== "help")
        .slice(0, 6)
        .map((e) => ({ action: "ask", text: e.example })),
    );
    expect(JSON.stringify(card)).toContain("Report outdated info");
  });
});

describe("44: Teams limits", () => {
  const sixty = (): ListAnswer => {
    const all = realCore().ask("list") as ListAnswer;
    const projects = Array.from({ length: 60 }, (_, i) => {
      const p = all.projects[i % all.projects.length];
      if (!p) throw new Error("the catalog has projects");
      return { ...p, id: `${p.id}-${i}`, name: `${p.name} ${i}` };
    });
    return { ...all, title: "Sixty projects", projects };
  };

  it("a 60-result list fits the 24 KB budget (UTF-16), says how many more, and the activity stays under 40 KB", () => {
    const card = renderAnswer(sixty());
    expect(cardUtf16Bytes(card)).toBeLessThanOrEqual(MAX_CARD_UTF16_BYTES);
    expect(cardUtf16Bytes(card)).toBeLessThanOrEqual(28 * 1024);
    expect(JSON.stringify(card)).toMatch(/and \d+ more: ask for an area or a topic/);
    expect(cardUtf16Bytes(answerReply(sixty()).card)).toBeLessThanOrEqual(40 * 1024);
  });

  it("the whole catalog list fits too, every project still clickable", () => {
    const list = realCore().ask("list") as ListAnswer;
    const card = renderAnswer(list);
    expect(cardUtf16Bytes(card)).toBeLessThanOrEqual(MAX_CARD_UTF16_BYTES);
    const shown = nodes(card.body).filter((n) => n.type === "Container" && n.selectAction);
    const more = JSON.stringify(card).match(/and (\d+) more: ask/);
    expect(shown.length + Number(more?.[1] ?? 0)).toBe(list.projects.length);
  });

  it("no action set has more than 6 actions; extra choices are named in an 'and N more' line", () => {
    const list = sixty();
    const choices: Answer = {
      ...list,
      kind: "choices",
      prompt: "Which one?",
      projects: list.projects.slice(0, 20),
    };
    const p = (realCore().ask("eraser") as ProjectAnswer).project;
    const manyLinks: Answer = {
      ...(realCore().ask("eraser") as ProjectAnswer),
      project: {
        ...p,
        links: Array.from({ length: 9 }, (_, i) => ({
          label: `L${i}`,
          url: `https://x.test/${i}`,
          kind: "other" as const,
        })),
      },
    };
    const cards = [
      ...names.map((n) => renderAnswer(answerFixture(n))),
      renderAnswer(choices),
      renderAnswer(manyLinks),
    ];
    for (const card of cards)
      for (const set of nodes(card.body).filter((n) => n.type === "ActionSet"))
        expect((set.actions as unknown[]).length).toBeLessThanOrEqual(MAX_ACTIONS_PER_SET);
    expect(JSON.stringify(renderAnswer(choices))).toContain('"text":"and 8 more"');
    expect(JSON.stringify(renderAnswer(manyLinks))).toContain('"text":"and 4 more"');
  });

  it("every message carries a summary and the card a plain-text fallback", () => {
    for (const n of names) {
      const reply = answerReply(answerFixture(n));
      expect(reply.card.summary.length).toBeGreaterThan(0);
      expect(reply.card.summary.length).toBeLessThanOrEqual(200);
      expect((reply.card.attachments?.[0]?.content.fallbackText ?? "").length).toBeGreaterThan(0);
      expect(reply.fallback.text?.length).toBeGreaterThan(0);
    }
  });
});

describe("45: untrusted text is shown literally", () => {
  const hostile =
    "R&D <tools> [Login](https://evil.example) **bold** {{DATE(2017-02-14T06:08:39Z, SHORT)}} <at>Everyone</at>";

  it("catalog text with markdown, HTML, a mention and a card expression: TextRuns verbatim (braces split), FactSet escaped", () => {
    const a = realCore().ask("eraser") as ProjectAnswer;
    const evil: ProjectAnswer = {
      ...a,
      project: { ...a.project, name: hostile, area: hostile, goal: hostile },
    };
    const card = renderAnswer(evil);
    const runs = nodes(card.body)
      .filter((n) => n.type === "TextRun")
      .map((n) => n.text);
    expect(runs).toContain(literal(hostile));
    expect(literal(hostile)).toBe(
      "R&D <tools> [Login](https://evil.example) **bold** {\u200b{DATE(2017-02-14T06:08:39Z, SHORT)}\u200b} <at>Everyone</at>",
    );
    const facts = nodes(card.body).find((n) => n.type === "FactSet")?.facts as { value: string }[];
    expect(facts[0]?.value).toBe(
      "R&D \\<tools\\> \\[Login\\]\\(https://evil.example\\) \\*\\*bold\\*\\* {\u200b{DATE\\(2017-02-14T06:08:39Z, SHORT\\)}\u200b} \\<at\\>Everyone\\</at\\>",
    );
    // No TextBlock (markdown) ever carries catalog or user text, and nothing builds mention entities.
    for (const tb of nodes(card.body).filter((n) => n.type === "TextBlock"))
      expect(String(tb.text)).not.toContain("evil");
    expect(JSON.stringify(card)).not.toContain('"mentioned"');
    expect(JSON.stringify(card)).not.toContain("{{");
  });

  it("literal() splits every pair of braces, runs of three or more included (found by the fuzz test)", () => {
    for (const s of ["{{{0", "}}}", "{{{{DATE(x)}}}}", "a{{b}}c{{{"])
      expect(literal(s)).not.toMatch(/\{\{|\}\}/);
    expect(literal("{{{")).toBe("{\u200b{\u200b{");
    expect(literal("{x}")).toBe("{x}");
  });

  it("escapeMarkdown neutralises list markers, and literal() drops control and bidi characters", () => {
    expect(escapeMarkdown("- a\n1. b")).toBe("\\- a\n1\\. b");
    expect(literal("a\u202Eb\u0007c\nd")).toBe("a b c\nd");
  });

  it("the text fallback escapes what Teams would render as markdown", () => {
    const nf = { ...answerFixture<NotFoundAnswer>("not-found"), query: "[Login](https://evil.example)" };
    expect(answerText(nf, { markdown: true })).toContain("“\\[Login\\]\\(https://evil.example\\)”");
    expect(answerText(nf, { markdown: false })).toContain("“[Login](https://evil.example)”");
  });
});

describe("boundary", () => {
  it("the renderer and its helpers import no platform SDK (they are pure and reusable after a swap)", () => {
    const dir = join(import.meta.dirname, "..", "..", "src", "teams");
    for (const f of ["cards.ts", "messages.ts", "safe-text.ts", "limits.ts"])
      expect(readFileSync(join(dir, f), "utf8")).not.toMatch(/from "(botbuilder|botframework-|@microsoft\/)/);
  });
});
