// Merging a fetched list onto the bundled catalog: the bundled history survives the round
// trip unchanged, and a live list delists, adds and dates projects as the bundled build does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCatalog } from "../../src/catalog/build-catalog.js";
import {
  buildLiveCatalog,
  checkDrop,
  ListDropError,
  liveSnapshotRef,
} from "../../src/catalog/build-live-catalog.js";
import {
  loadCatalogFile,
  PROJECT_ROOT,
  readCuration,
  serializeCatalog,
} from "../../src/catalog/catalog-files.js";
import { historyFromCatalog } from "../../src/catalog/catalog-history.js";
import { importSnapshot } from "../../src/catalog/import-snapshot.js";
import { Catalog, SnapshotRef } from "../../src/core/catalog-schema.js";

const bundled = loadCatalogFile();
const curation = readCuration();
const fixture = (f: string) => readFileSync(join(PROJECT_ROOT, "test", "fixtures", "upstream", f), "utf8");
const URL = "https://raw.githubusercontent.com/Azure/container-upstream/main/README.md";
const AT = new Date("2026-03-01T12:00:00.000Z");

describe("the bundled history, recovered from data/catalog.json", () => {
  it("rebuilds data/catalog.json byte for byte", () => {
    const again = buildCatalog(historyFromCatalog(bundled), curation);
    expect(serializeCatalog(again)).toBe(serializeCatalog(bundled));
  });
});

describe("a live list merged onto it", () => {
  const ref = liveSnapshotRef(URL, AT, bundled);
  const live = buildLiveCatalog(bundled, curation, importSnapshot(fixture("changed-README.md"), ref));
  const byId = (id: string) => live.projects.find((p) => p.id === id);

  it("is a valid catalog whose newest snapshot is the live fetch, after the bundled ones", () => {
    expect(Catalog.safeParse(live).success).toBe(true);
    expect(live.snapshot).toEqual({ date: "2026-03-01", url: URL, fetchedAt: AT.toISOString() });
    expect(live.snapshots).toEqual([...bundled.snapshots, live.snapshot]);
  });

  it("dates a new project to the live fetch and delists a removed one at the bundled snapshot", () => {
    expect(byId("headlamp")).toMatchObject({ listed: true, firstListed: live.snapshot });
    expect(byId("copacetic")?.listed).toEqual(bundled.snapshot);
    expect(byId("envoy-proxy")).toMatchObject({ listed: true, firstListed: bundled.snapshot });
    expect(byId("eraser")).toMatchObject({ listed: true, firstListed: bundled.snapshots[0] });
    expect(byId("spiderlightning")?.listed).toEqual(bundled.snapshots[0]);
  });

  it("applies the curation overlay to the new rows (a curated link rewrite, a successor with its wording)", () => {
    expect(byId("eraser")?.url).toBe("https://github.com/eraser-dev/eraser");
    expect(byId("porter")).toMatchObject({
      lifecycle: "deprecated",
      successors: [{ name: "Helm", url: "https://helm.sh/", wording: "Deprecated; consider using Helm" }],
    });
  });

  it("keeps what it changed since the bundle for 'what's new?'", () => {
    expect(live.changes).toEqual({
      since: bundled.snapshot,
      added: ["headlamp"],
      removed: ["copacetic"],
      moved: [],
      lifecycle: [{ id: "porter", from: "active", to: "deprecated" }],
    });
  });
});

describe("the drop check", () => {
  const ref = liveSnapshotRef(URL, AT, bundled);

  it("refuses a list that loses more than the allowed share of listed projects", () => {
    const lost = importSnapshot(fixture("lost-most-rows-README.md"), ref);
    expect(() => checkDrop(bundled, lost, 0.3)).toThrow(ListDropError);
    expect(() => checkDrop(bundled, lost, 0.9)).not.toThrow();
  });

  it("accepts a list that loses one project", () => {
    expect(() => checkDrop(bundled, importSnapshot(fixture("changed-README.md"), ref), 0.3)).not.toThrow();
  });
});

describe("live snapshot references", () => {
  it("carry the fetch time instead of a commit, and are never older than the bundle", () => {
    const behind = liveSnapshotRef(URL, new Date("2020-01-01T00:00:00Z"), bundled);
    expect(behind.date).toBe(bundled.snapshot.date);
    expect(behind.fetchedAt).toBe("2020-01-01T00:00:00.000Z");
    expect(SnapshotRef.safeParse(behind).success).toBe(true);
  });

  it("a reference with neither a commit nor a fetch time is invalid", () => {
    expect(SnapshotRef.safeParse({ date: "2026-03-01", url: URL }).success).toBe(false);
  });
});
