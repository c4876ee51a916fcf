import { describe, expect, it } from "vitest";
import type { ProjectAnswer } from "../../src/core/answer.js";
import { SEARCH_PROMPT } from "../../src/teams/bot.js";
import { renderAnswer } from "../../src/teams/cards.js";
import { channelClaims, invoke, makeKey, post, realCore, signToken, useTeamsServer } from "./support.js";

const key = makeKey("k-search");
const h = useTeamsServer({ keys: [key] });

const query = (searchQuery: string, queryOptions = { skip: 0, count: 25 }) =>
  invoke("composeExtension/query", {
    commandId: "searchProjects",
    parameters: [{ name: "searchQuery", value: searchQuery }],
    queryOptions,
  });

async function call(activity: ReturnType<typeof invoke>) {
  const res = await post(h.url, activity, signToken(key, channelClaims()));
  await h.handler.drain();
  return res;
}

/** The attachment Teams inserts for a project: a non-interactive card plus its list preview. */
function expected(a: ProjectAnswer, text: string) {
  return {
    contentType: "application/vnd.microsoft.card.adaptive",
    content: renderAnswer(a, { interactive: false }),
    preview: {
      contentType: "application/vnd.microsoft.card.thumbnail",
      content: { title: a.project.name, text },
    },
  };
}

describe("search extension (composeExtension/query)", () => {
  it("a project name → that project's card with a preview", async () => {
    const res = await call(query("eraser"));
    expect(res.status).toBe(200);
    const eraser = realCore().project("eraser") as ProjectAnswer;
    expect(res.body).toEqual({
      composeExtension: {
        type: "result",
        attachmentLayout: "list",
        attachments: [
          expected(
            eraser,
            "Active · Cloud Native Governance and Security · Cleaning up images from Kubernetes nodes",
          ),
        ],
      },
    });
    expect(h.telemetry.answeredEvents.at(-1)).toMatchObject({ trigger: "search", kind: "project" });
  });

  it("a question about a retired project → its successors first, then the project", async () => {
    const res = await call(query("what replaced aad pod identity?"));
    const titles = (
      res.body as { composeExtension: { attachments: { preview: { content: { title: string } } }[] } }
    ).composeExtension.attachments.map((a) => a.preview.content.title);
    expect(titles).toEqual(["Azure Workload Identity", "AAD Pod Identity"]);
  });

  it("inserted cards carry no Action.Submit (a person sends them, no bot would receive the click)", async () => {
    const res = await call(query("deprecated"));
    const json = JSON.stringify(res.body);
    expect(json).toContain('"type":"Action.OpenUrl"');
    expect(json).not.toContain("Action.Submit");
  });

  it("at most 10 results, and skip pages through the rest", async () => {
    const first = (await call(query("list"))).body as { composeExtension: { attachments: unknown[] } };
    const second = (await call(query("list", { skip: 10, count: 25 }))).body as {
      composeExtension: { attachments: { preview: { content: { title: string } } }[] };
    };
    expect(first.composeExtension.attachments).toHaveLength(10);
    const all = realCore().ask("list");
    if (all.kind !== "list") throw new Error("precondition: 'list' lists projects");
    expect(second.composeExtension.attachments.map((a) => a.preview.content.title)).toEqual(
      all.projects.slice(10, 20).map((p) => p.name),
    );
  });

  it("nothing typed yet → a prompt; nothing found → says so, with the text escaped", async () => {
    expect((await call(query(""))).body).toEqual({
      composeExtension: { type: "message", text: SEARCH_PROMPT },
    });
    expect((await call(query("xyzzy [x](https://evil.example)"))).body).toEqual({
      composeExtension: {
        type: "message",
        text: "Nothing in the catalog matches “xyzzy \\[x\\]\\(https://evil.example\\)”.",
      },
    });
  });
});

describe("link unfurling (composeExtension/queryLink)", () => {
  it("a catalog project's URL unfurls into its card", async () => {
    const url = "https://github.com/eraser-dev/eraser/releases/tag/v1.3.1";
    const res = await call(invoke("composeExtension/queryLink", { url }));
    expect(res.status).toBe(200);
    const answer = realCore().unfurl(url);
    expect(answer?.project.id).toBe("eraser");
    expect(res.body).toEqual({
      composeExtension: {
        type: "result",
        attachmentLayout: "list",
        attachments: [
          expected(
            answer as ProjectAnswer,
            "Active · Cloud Native Governance and Security · Cleaning up images from Kubernetes nodes",
          ),
        ],
      },
    });
    expect(h.telemetry.answeredEvents.at(-1)).toMatchObject({ trigger: "unfurl", kind: "project" });
  });

  it("the same works where the app is not installed (anonymousQueryLink)", async () => {
    const res = await call(
      invoke("composeExtension/anonymousQueryLink", { url: "https://github.com/eraser-dev/eraser" }),
    );
    expect(JSON.stringify(res.body)).toContain('"title":"Eraser"');
  });

  it("a URL that is not in the catalog → an empty result (Teams shows the plain link)", async () => {
    const res = await call(
      invoke("composeExtension/queryLink", { url: "https://example.com/not-a-project" }),
    );
    expect(res).toEqual({
      status: 200,
      body: { composeExtension: { type: "result", attachmentLayout: "list", attachments: [] } },
    });
  });
});
