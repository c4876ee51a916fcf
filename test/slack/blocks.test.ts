// The Answer → Block Kit renderer: exact JSON for a synthetic card (escaping, cases 24–26) and
// golden files for real answers from the real core (project, deprecated, alternatives, list,
// choices, not_found, help), plus Block Kit limits on every card and long lists (27, 28).
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Answer, AnswerSource, ListAnswer, ProjectSummary } from "../../src/core/answer.js";
import type { Catalog, Project } from "../../src/core/catalog-schema.js";
import { createCore } from "../../src/core/core.js";
import { renderAnswer } from "../../src/slack/blocks.js";
import { escapeText, escapeTruncated, link, safeUrl } from "../../src/slack/escape.js";
import { renderHome } from "../../src/slack/home.js";
import { MAX_HOME_BLOCKS, MAX_MESSAGE_TEXT } from "../../src/slack/limits.js";
import { renderUnfurl } from "../../src/slack/unfurl.js";
import {
  allowOnlyLocalhost,
  eventEnvelope,
  realCatalog,
  realCore,
  sendEvent,
  slackApi,
  startSlack,
} from "./helpers.js";
import { limitViolations } from "./limits-check.js";

const SNAP = {
  date: "2025-09-02",
  commit: "9b7e339",
  url: "https://github.com/Azure/container-upstream/blob/9b7e339/README.md",
};
const SOURCE: AnswerSource = {
  origin: "bundled",
  snapshot: SNAP,
  upstreamUrl: "https://github.com/Azure/container-upstream",
};
const REPORT = "https://github.com/Azure/container-upstream/issues/new?title=Outdated%20info";

function synthetic(over: Partial<Project> = {}): Project {
  return {
    id: "r-d-tools",
    name: "R&D <tools>",
    area: "Tools & <things>",
    areaId: "tools",
    goal: "Makes R&D <faster> & safer",
    url: "https://github.com/example/rd-tools",
    links: [{ label: "releases", url: "https://github.com/example/rd-tools/releases", kind: "releases" }],
    maturity: { raw: "CNCF: sandbox; API: v1", cncf: "sandbox", api: "v1", other: [] },
    channels: [
      {
        kind: "slack",
        label: "#rd-tools",
        url: "https://kubernetes.slack.com/archives/C1",
        workspace: "kubernetes.slack.com",
      },
      { kind: "github_issues", label: "GitHub issues", url: "https://github.com/example/rd-tools/issues" },
      { kind: "mailing_list", label: "rd@lists <dev>" },
    ],
    azure: [{ label: "Use with AKS", url: "https://learn.microsoft.com/azure/aks/rd?a=1&b=2" }],
    lifecycle: "active",
    listed: true,
    firstListed: SNAP,
    pastProject: false,
    successors: [],
    aliases: [],
    topics: [],
    notes: [],
    provenance: { snapshot: SNAP, row: 1 },
    ...over,
  };
}

const md = (text: string) => ({ type: "mrkdwn", text, verbatim: true });
const FOOTER = {
  type: "context",
  elements: [
    md(
      "Source: <https://github.com/Azure/container-upstream/blob/9b7e339/README.md|upstream list of 2025-09-02 (9b7e339)> · " +
        "<https://github.com/Azure/container-upstream/issues/new?title=Outdated%20info|Report outdated info>",
    ),
  ],
};

describe("escaping (cases 24–26)", () => {
  it("escapes &, < and > exactly once, and nothing else", () => {
    expect(escapeText(`R&D <tools> "it's" &amp;`)).toBe(`R&amp;D &lt;tools&gt; "it's" &amp;amp;`);
    expect(escapeTruncated("a&b&c&d", 8)).toBe("a&amp;b…");
    expect(safeUrl("javascript:alert(1)")).toBeNull();
    expect(safeUrl("https://x.example/?a=1&b=<2>|3")).toBe("https://x.example/?a=1&amp;b=%3C2%3E%7C3");
    expect(link("https://x.example", "<!here>")).toBe("<https://x.example|&lt;!here&gt;>");
    expect(link("ftp://x.example", "label")).toBe("label");
  });

  it("25/26: renders a synthetic card exactly: catalog text escaped once, the query as plain_text", () => {
    const answer: Answer = {
      kind: "project",
      query: "R&D <tools>",
      intent: "project",
      project: synthetic(),
      source: SOURCE,
      reportUrl: REPORT,
    };
    const m = renderAnswer(answer, { echoQuery: true, share: { kind: "project", id: "r-d-tools" } });
    expect(m).toEqual({
      text: "R&amp;D &lt;tools&gt; (Active) — Makes R&amp;D &lt;faster&gt; &amp; safer — https://github.com/example/rd-tools",
      blocks: [
        { type: "context", elements: [{ type: "plain_text", text: "You asked: “R&amp;D &lt;tools&gt;”" }] },
        { type: "header", text: { type: "plain_text", text: "R&amp;D &lt;tools&gt; · Active" } },
        { type: "section", text: md("Makes R&amp;D &lt;faster&gt; &amp; safer") },
        {
          type: "section",
          fields: [
            md("*Area*\nTools &amp; &lt;things&gt;"),
            md("*Maturity*\nCNCF: sandbox"),
            md("*API*\nv1"),
          ],
        },
        {
          type: "section",
          text: md(
            "*Links:* <https://github.com/example/rd-tools|Repository> · <https://github.com/example/rd-tools/releases|releases>",
          ),
        },
        {
          type: "section",
          text: md(
            "*Talk to the community*\n• <https://kubernetes.slack.com/archives/C1|#rd-tools> on kubernetes.slack.com\n" +
              "• rd@lists &lt;dev&gt; (no link given)",
          ),
        },
        {
          type: "section",
          text: md("*Report an issue*\n• <https://github.com/example/rd-tools/issues|GitHub issues>"),
        },
        {
          type: "section",
          text: md("*Use on Azure*\n• <https://learn.microsoft.com/azure/aks/rd?a=1&amp;b=2|Use with AKS>"),
        },
        {
          type: "actions",
          elements: [
            {
              type: "button",
              action_id: "share_in_channel",
              text: { type: "plain_text", text: "Share in channel" },
              value: "p:r-d-tools",
            },
          ],
        },
        FOOTER,
      ],
    });
    expect(JSON.stringify(m)).not.toContain("&amp;amp;");
  });

  it("renders a retired synthetic project: the warning first, successor buttons, focus on Azure", () => {
    const p = synthetic({
      lifecycle: "deprecated",
      listed: {
        date: "2024-09-10",
        commit: "5bfcabd",
        url: "https://github.com/Azure/container-upstream/blob/5bfcabd/README.md",
      },
      successors: [
        {
          name: "New <Thing>",
          url: "https://example.com/new",
          id: "new-thing",
          wording: "Use New Thing.",
          source: "https://example.com/why",
        },
        {
          name: "Elsewhere",
          url: "https://example.org/",
          wording: "Or this.",
          source: "https://example.org/why",
        },
      ],
      channels: [],
    });
    const m = renderAnswer({
      kind: "project",
      query: "rd",
      intent: "azure",
      project: p,
      focus: "azure",
      source: SOURCE,
      reportUrl: REPORT,
    });
    expect(m.blocks.slice(0, 3)).toEqual([
      {
        type: "section",
        text: md(
          ":warning: *R&amp;D &lt;tools&gt;* is *deprecated* and no longer on the upstream list (last listed 2024-09-10).\n" +
            "Use instead:\n" +
            "• *<https://example.com/new|New &lt;Thing&gt;>*: “Use New Thing.” (<https://example.com/why|source>)\n" +
            "• *<https://example.org/|Elsewhere>*: “Or this.” (<https://example.org/why|source>)",
        ),
      },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: "open_project_s0",
            text: { type: "plain_text", text: "Open New &lt;Thing&gt;" },
            value: "new-thing",
          },
          {
            type: "button",
            action_id: "link_s1",
            text: { type: "plain_text", text: "Elsewhere ↗" },
            url: "https://example.org/",
          },
        ],
      },
      { type: "header", text: { type: "plain_text", text: "R&amp;D &lt;tools&gt; · Deprecated" } },
    ]);
    const titles = m.blocks
      .map((b) => JSON.stringify(b).match(/\*(Use on Azure|Talk to the community|Report an issue)\*/)?.[1])
      .filter(Boolean);
    expect(titles).toEqual(["Use on Azure"]);
    expect(m.text).toBe(
      "R&amp;D &lt;tools&gt; (Deprecated) — Makes R&amp;D &lt;faster&gt; &amp; safer — Use instead: New &lt;Thing&gt;, Elsewhere. — https://github.com/example/rd-tools",
    );
  });

  describe("24: hostile catalog text and queries", () => {
    const HOSTILE = [
      "<!here>",
      "<!everyone>",
      "<@U123>",
      "<!subteam^S1>",
      "<https://evil.example|click>",
      "<!channel>",
    ];
    let hostile: Catalog;
    beforeAll(() => {
      const c = structuredClone(realCatalog());
      const p = c.projects.find((x) => x.id === "aad-pod-identity") as Project;
      p.name = `AAD ${HOSTILE[0]} Pod Identity`;
      p.goal = `Goal ${HOSTILE.join(" ")}`;
      p.area = `Past ${HOSTILE[2]}`;
      p.channels = [
        {
          kind: "slack",
          label: HOSTILE[5] as string,
          url: "https://kubernetes.slack.com/archives/C1",
          workspace: HOSTILE[1],
        },
      ];
      p.azure = [{ label: HOSTILE[4] as string, url: "https://learn.microsoft.com/x" }];
      p.notes = [{ text: HOSTILE[3] as string, source: "https://example.com/note" }];
      for (const s of p.successors) s.wording = `${s.wording} ${HOSTILE[0]}`;
      p.maturity = { ...p.maturity, azure: HOSTILE[1] as string, api: HOSTILE[2] as string };
      hostile = c;
    });

    const assertInert = (json: string) => {
      expect(json).not.toMatch(/<[!@]/);
      expect(json).not.toContain("<https://evil");
      expect(json).not.toMatch(/"(link_names|parse)"/);
    };

    it("renders every surface with only &lt;…&gt; forms", () => {
      const core = createCore(hostile);
      for (const a of [
        core.project("aad-pod-identity"),
        core.ask("what replaced aad pod identity?"),
        core.ask("list"),
        core.ask("deprecated"),
      ])
        assertInert(
          JSON.stringify(renderAnswer(a, { echoQuery: true, share: { kind: "query", query: a.query } })),
        );
      assertInert(JSON.stringify(renderHome(core.overview())));
      const unfurl = core.unfurl("https://github.com/Azure/aad-pod-identity");
      expect(unfurl).not.toBeNull();
      assertInert(JSON.stringify(renderUnfurl(unfurl as NonNullable<typeof unfurl>)));
    });

    it("posts through chat.postMessage with nothing that could ping (real Bolt app)", async () => {
      allowOnlyLocalhost();
      const core = createCore(hostile);
      const h = await startSlack({ getCore: () => core });
      try {
        const api = slackApi("chat.postMessage");
        await sendEvent(
          h.url,
          eventEnvelope("message_im", { text: "&lt;!channel&gt; aad pod identity <@U999>" }, "Ev24"),
        );
        await h.handler.drain();
        expect(api.bodies).toHaveLength(1);
        assertInert(JSON.stringify(api.bodies[0]));
        expect(JSON.stringify(api.bodies[0])).toContain("AAD &lt;!here&gt; Pod Identity");
      } finally {
        await h.close();
        nock.cleanAll();
      }
    });
  });
});

describe("golden cards from the real catalog", () => {
  const core = realCore();
  const cases: [string, () => Answer][] = [
    ["project-eraser", () => core.ask("eraser")],
    ["project-deprecated-aad-pod-identity", () => core.ask("aad pod identity")],
    ["alternatives-aad-pod-identity", () => core.ask("what replaced aad pod identity?")],
    ["project-no-successor-brigade", () => core.ask("brigade")],
    ["project-contact-gatekeeper", () => core.ask("who do I ask about gatekeeper?")],
    ["list", () => core.ask("list")],
    ["choices-kms", () => core.ask("kms")],
    ["not-found", () => core.ask("zzzz")],
    ["help", () => core.ask("help")],
  ];
  it.each(cases)("%s", async (name, make) => {
    const a = make();
    const m = renderAnswer(a, {
      echoQuery: true,
      invocation: "/upstream ",
      share: { kind: "query", query: a.query },
    });
    await expect(`${JSON.stringify(m, null, 2)}\n`).toMatchFileSnapshot(
      `../fixtures/slack/cards/${name}.json`,
    );
    expect(limitViolations(m)).toEqual([]);
  });

  it("the answer kinds are the ones the goldens are named for", () => {
    expect(cases.map(([n, make]) => [n.split("-")[0], make().kind])).toEqual([
      ["project", "project"],
      ["project", "project"],
      ["alternatives", "alternatives"],
      ["project", "project"],
      ["project", "project"],
      ["list", "list"],
      ["choices", "choices"],
      ["not", "not_found"],
      ["help", "help"],
    ]);
  });
});

describe("limits (cases 27, 28)", () => {
  const core = realCore();

  it("every project's card, every area and the largest list stay within Block Kit limits", () => {
    const queries = [
      "list",
      "deprecated",
      "what's new?",
      "cncf graduated",
      "wasm",
      "security projects",
      "help",
    ];
    for (const q of queries)
      expect([q, limitViolations(renderAnswer(core.ask(q), { echoQuery: true }))]).toEqual([q, []]);
    for (const p of core.catalog.projects) {
      const m = renderAnswer(core.project(p.id), { echoQuery: true, share: { kind: "project", id: p.id } });
      expect([p.id, limitViolations(m)]).toEqual([p.id, []]);
    }
  });

  it("the full list shows every listed project without a cut", () => {
    const a = core.ask("list") as ListAnswer;
    const m = renderAnswer(a, { echoQuery: true, share: { kind: "query", query: "list" } });
    const shown = m.blocks.flatMap((b) =>
      "accessory" in b && b.accessory && "options" in b.accessory ? (b.accessory.options ?? []) : [],
    );
    expect(shown.map((o) => o.value)).toEqual(a.projects.map((p) => p.id));
    expect(JSON.stringify(m)).not.toContain("more. Ask about an area");
  });

  const summary = (i: number, area: string, goal: string): ProjectSummary => ({
    id: `p-${i}`,
    name: `Project ${i}`,
    area,
    goal,
    url: `https://github.com/example/p-${i}`,
    lifecycle: i % 7 === 0 ? "deprecated" : "active",
    listed: true,
  });
  const list = (projects: ProjectSummary[]): ListAnswer => ({
    kind: "list",
    query: "list",
    intent: "list",
    title: `All ${projects.length} projects`,
    projects,
    source: SOURCE,
    reportUrl: REPORT,
  });
  const shownOf = (m: ReturnType<typeof renderAnswer>) =>
    m.blocks.flatMap((b) =>
      "accessory" in b && b.accessory && "options" in b.accessory ? (b.accessory.options ?? []) : [],
    ).length;

  it("27: 60 results in 60 areas → at most 50 blocks and an exact 'and N more'", () => {
    const a = list(Array.from({ length: 60 }, (_, i) => summary(i, `Area ${i}`, "Short goal")));
    const m = renderAnswer(a, { echoQuery: true, share: { kind: "query", query: "list" } });
    expect(limitViolations(m)).toEqual([]);
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    const shown = shownOf(m);
    expect(shown).toBeLessThan(60);
    expect(JSON.stringify(m.blocks.at(-3))).toContain(`…and ${60 - shown} more.`);
  });

  it("27: 60 results with very long goals → within the text budget, cut with 'and N more'", () => {
    const a = list(
      Array.from({ length: 60 }, (_, i) => summary(i, `Area ${Math.floor(i / 10)}`, "x".repeat(2000))),
    );
    const m = renderAnswer(a);
    expect(limitViolations(m)).toEqual([]);
    const shown = shownOf(m);
    expect(shown).toBeGreaterThan(0);
    expect(JSON.stringify(m)).toContain(`…and ${60 - shown} more.`);
  });

  it("28: the text fallback is always set and at most 40,000 characters", () => {
    const help = core.ask("help");
    if (help.kind !== "help") throw new Error(`expected help, got ${help.kind}`);
    const huge = renderAnswer({ ...help, text: "<&>".repeat(30_000) });
    expect(huge.text.length).toBeLessThanOrEqual(MAX_MESSAGE_TEXT);
    expect(huge.text.endsWith("…")).toBe(true);
    expect(huge.text).not.toMatch(/&[a-z]*…$/);
    for (const q of ["eraser", "list", "kms", "zzzz", "help", "what replaced aad pod identity?"])
      expect(renderAnswer(core.ask(q)).text.length).toBeGreaterThan(0);
  });
});

describe("App Home and unfurls", () => {
  const core = realCore();

  it("Home lists every area and what replaced each retired project, within 100 blocks", () => {
    const view = renderHome(core.overview());
    expect(view.type).toBe("home");
    expect(view.blocks.length).toBeLessThanOrEqual(MAX_HOME_BLOCKS);
    expect(limitViolations({ text: "home", blocks: view.blocks }, MAX_HOME_BLOCKS)).toEqual([]);
    const json = JSON.stringify(view);
    for (const a of core.overview().areas.filter((x) => x.projects.length))
      expect(json).toContain(escapeText(a.name));
    expect(json).toContain(
      "*AAD Pod Identity* (archived) → <https://azure.github.io/azure-workload-identity/|Azure Workload Identity>",
    );
    expect(json).toContain("*Brigade* (archived): no successor named upstream.");
  });

  it("an unfurl of a retired project carries the warning and its successor; an active one does not", () => {
    const aad = renderUnfurl(
      core.unfurl("https://github.com/Azure/aad-pod-identity/issues/1") as NonNullable<
        ReturnType<typeof core.unfurl>
      >,
    );
    expect(aad.blocks[0]).toEqual({
      type: "section",
      text: md(
        "*<https://github.com/Azure/aad-pod-identity|AAD Pod Identity>* · Archived\nEnables K8s applications to access cloud resources securely with Azure Active Directory",
      ),
    });
    expect(aad.blocks[1]).toEqual({
      type: "section",
      text: md(
        ":warning: Archived. Use instead: <https://azure.github.io/azure-workload-identity/|Azure Workload Identity>.",
      ),
    });
    const eraser = renderUnfurl(
      core.unfurl("https://github.com/eraser-dev/eraser") as NonNullable<ReturnType<typeof core.unfurl>>,
    );
    expect(eraser.blocks).toHaveLength(2);
  });
});

afterEach(() => nock.cleanAll());
