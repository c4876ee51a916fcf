// diffCatalogs on real and edited catalogs, and the `catalog diff` command's logic on the
// bundled history, a file and a nocked URL, including every input it must refuse.
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { diffCatalogs, isEmptyDiff, renderDiffText } from "../../src/catalog/catalog-diff.js";
import { loadCatalogFile, PROJECT_ROOT } from "../../src/catalog/catalog-files.js";
import { catalogDiff, DiffInputError, formatDiffReport } from "../../src/catalog/diff-command.js";
import type { Catalog, Project } from "../../src/core/catalog-schema.js";

const bundled = loadCatalogFile();
const fixture = (f: string) => join(PROJECT_ROOT, "test", "fixtures", "upstream", f);
const NOW = () => new Date("2026-03-01T12:00:00.000Z");
const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

function edited(edit: (byId: (id: string) => Project, c: Catalog) => void): Catalog {
  const c = structuredClone(bundled);
  edit((id) => {
    const p = c.projects.find((x) => x.id === id);
    if (!p) throw new Error(`no ${id}`);
    return p;
  }, c);
  return c;
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
afterEach(() => nock.cleanAll());

describe("diffCatalogs", () => {
  it("finds nothing between a catalog and itself", () => {
    const d = diffCatalogs(bundled, bundled);
    expect(isEmptyDiff(d)).toBe(true);
    expect(d.listed).toEqual({ before: 48, after: 48 });
    expect(renderDiffText(d)).toMatch(/No differences\.$/);
  });

  it("reports each kind of change once, where it belongs", () => {
    const next = edited((p, c) => {
      const istio = p("istio");
      istio.area = "Platforms";
      istio.areaId = "platforms";
      istio.maturity = { ...istio.maturity, raw: "CNCF: graduated" };
      istio.links = [...istio.links, { label: "Docs", url: "https://istio.io/latest/docs/", kind: "docs" }];
      p("eraser").lifecycle = "archived";
      p("eraser").channels = p("eraser").channels.slice(1);
      p("copacetic").listed = bundled.snapshot;
      c.projects.push({ ...structuredClone(p("dalec")), id: "new-thing", name: "New Thing" });
    });
    const d = diffCatalogs(bundled, next);
    expect(ids(d.added)).toEqual(["new-thing"]);
    expect(ids(d.removed)).toEqual(["copacetic"]);
    expect(d.moved).toEqual([
      { id: "istio", name: "Istio", area: "Platforms", from: "Cloud Native Service Mesh", to: "Platforms" },
    ]);
    expect(d.lifecycle).toEqual([
      {
        id: "eraser",
        name: "Eraser",
        area: "Cloud Native Governance and Security",
        from: "active",
        to: "archived",
      },
    ]);
    const istio = d.changed.find((c) => c.id === "istio");
    expect(istio?.changes).toEqual([
      {
        field: "maturity",
        from: bundled.projects.find((x) => x.id === "istio")?.maturity.raw,
        to: "CNCF: graduated",
      },
      { field: "links", added: [{ label: "Docs", url: "https://istio.io/latest/docs/" }], removed: [] },
    ]);
    const eraserChannel = bundled.projects.find((x) => x.id === "eraser")?.channels[0];
    expect(d.changed.find((c) => c.id === "eraser")?.changes).toEqual([
      { field: "channels", added: [], removed: [{ label: eraserChannel?.label, url: eraserChannel?.url }] },
    ]);
    expect(ids(d.changed)).toEqual(["eraser", "istio"]); // in the newer catalog's order
  });

  it("the terminal report names every change and never passes control characters through", () => {
    const next = edited((p) => {
      p("eraser").goal = "Removes images \u001b[31mred\u001b[0m";
    });
    const text = renderDiffText(diffCatalogs(bundled, next));
    expect(text).toMatch(/Changed \(1\)\n {2}\* Eraser\n {6}goal: ".*" → "Removes images {2}\[31mred \[0m"/);
    expect(text.includes("\u001b")).toBe(false);
  });
});

describe("catalog diff without an argument: the bundled history", () => {
  it("compares the newest bundled snapshot with the previous one", async () => {
    const { candidate, diff } = await catalogDiff(undefined, { json: true });
    expect(candidate).toBeNull();
    expect(diff.from).toMatchObject({ date: "2024-09-10", commit: "5bfcabd" });
    expect(diff.to).toMatchObject({ date: "2025-09-02", commit: "9b7e339" });
    expect(diff.listed).toEqual({ before: 34, after: 48 });
    expect(ids(diff.added)).toEqual(expect.arrayContaining(["envoy-proxy", "dalec", "karpenter", "ray"]));
    expect(diff.added).toHaveLength(16);
    expect(ids(diff.removed).sort()).toEqual(["multi-cluster-service-apis", "spiderlightning"]);
    expect(diff.moved.map((m) => [m.id, m.to])).toEqual([
      ["service-mesh-interface-spec", "Past Projects"],
      ["open-service-mesh", "Past Projects"],
    ]);
    expect(diff.lifecycle).toMatchObject([
      { id: "service-mesh-interface-spec", from: "active", to: "deprecated" },
    ]);
  });
});

describe("catalog diff with a file or URL: what a live refresh would change", () => {
  it("a changed list: one added, one removed, one deprecated (with its successor)", async () => {
    const r = await catalogDiff(fixture("changed-README.md"), { json: false, now: NOW });
    expect(r.refusedBecause).toBeUndefined();
    expect(ids(r.diff.added)).toEqual(["headlamp"]);
    expect(ids(r.diff.removed)).toEqual(["copacetic"]);
    expect(r.diff.moved).toEqual([]);
    expect(r.diff.lifecycle).toMatchObject([{ id: "porter", from: "active", to: "deprecated" }]);
    expect(r.diff.changed.find((c) => c.id === "porter")?.changes).toContainEqual({
      field: "successors",
      added: [{ label: "Helm", url: "https://helm.sh/" }],
      removed: [],
    });
    const text = formatDiffReport(r, { json: false });
    expect(text.split("\n").slice(0, 2)).toEqual([
      `Catalog diff: bundled 2025-09-02 (9b7e339) → ${fixture("changed-README.md")}`,
      "48 → 48 listed projects: 1 added, 1 removed, 0 moved, 1 lifecycle change, 1 otherwise changed",
    ]);
    expect(text).toContain("Added (1)\n  + Headlamp [Kubernetes Cluster Management]");
    expect(text).toContain(
      "Removed (kept as delisted) (1)\n  - Copacetic [Cloud Native Governance and Security]",
    );
    expect(text).toContain("Lifecycle (1)\n  ! Porter: active → deprecated");

    const json = JSON.parse(formatDiffReport(r, { json: true }));
    expect(json).toMatchObject({ candidate: fixture("changed-README.md"), added: [{ id: "headlamp" }] });
  });

  it("the same list from a URL", async () => {
    const scope = nock("https://example.com")
      .get("/README.md")
      .replyWithFile(200, fixture("changed-README.md"));
    const r = await catalogDiff("https://example.com/README.md", { json: true, now: NOW });
    scope.done();
    expect(ids(r.diff.added)).toEqual(["headlamp"]);
    expect(r.diff.to).toMatchObject({ url: "https://example.com/README.md", fetchedAt: NOW().toISOString() });
  });

  it("says when a live refresh would refuse the list for losing most projects", async () => {
    const r = await catalogDiff(fixture("lost-most-rows-README.md"), { json: false, now: NOW });
    expect(r.refusedBecause).toMatch(/drops 40 of 48 listed projects/);
    expect(r.diff.removed).toHaveLength(40);
    expect(formatDiffReport(r, { json: false })).toMatch(
      /\n\nA live refresh would refuse this list: the new list drops/,
    );
  });

  it.each([
    ["a missing file", () => fixture("no-such-README.md"), /cannot read .*no-such-README\.md: no such file/],
    ["a directory", () => fixture(""), /it is a directory/],
    [
      "garbage markdown",
      () => fixture("garbage-README.md"),
      /is not a readable upstream list: .*no "## Project list" table/,
    ],
    [
      "a URL that answers 500",
      () => {
        nock("https://example.com").get("/README.md").reply(500);
        return "https://example.com/README.md";
      },
      /cannot fetch https:\/\/example\.com\/README\.md: upstream answered HTTP 500/,
    ],
    [
      "an unreachable URL",
      () => {
        nock("https://example.com")
          .get("/README.md")
          .replyWithError({ code: "ENOTFOUND", message: "getaddrinfo" });
        return "https://example.com/README.md";
      },
      /cannot fetch https:\/\/example\.com\/README\.md: cannot reach example\.com/,
    ],
  ])("%s is a clear error", async (_what, arg, message) => {
    const p = catalogDiff(arg(), { json: false, now: NOW });
    await expect(p).rejects.toThrow(DiffInputError);
    await expect(p).rejects.toThrow(message);
  });
});
