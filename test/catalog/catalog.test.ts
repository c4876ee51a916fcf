// The built catalog: the facts it must get right, its integrity rules, and that the
// committed data/catalog.json is exactly what a fresh build produces.
import { describe, expect, it } from "vitest";
import { buildCatalog, CatalogValidationError } from "../../src/catalog/build-catalog.js";
import {
  buildFromData,
  committedCatalogDiffers,
  readCuration,
  readSnapshots,
  summaryLine,
} from "../../src/catalog/catalog-files.js";
import { Curation } from "../../src/catalog/curation.js";
import type { Project } from "../../src/core/catalog-schema.js";
import { matchKey } from "../../src/core/text.js";

const catalog = buildFromData();
const byName = (name: string): Project => {
  const p = catalog.projects.find((x) => x.name === name);
  if (!p) throw new Error(`no project named ${name}`);
  return p;
};

describe("facts the catalog must get right", () => {
  it("AAD Pod Identity is archived and names Azure Workload Identity in the README's words", () => {
    const p = byName("AAD Pod Identity");
    expect(p.lifecycle).toBe("archived");
    expect(p.successors).toEqual([
      expect.objectContaining({
        name: "Azure Workload Identity",
        id: "azure-workload-identity",
        wording: "Please use Azure Workload Identity instead.",
        source: "https://github.com/Azure/aad-pod-identity",
      }),
    ]);
  });

  it("Open Service Mesh is deprecated in favour of Istio, quoting the list", () => {
    const p = byName("Open Service Mesh (OSM)");
    expect(p.lifecycle).toBe("deprecated");
    expect(p.successors[0]).toMatchObject({
      name: "Istio",
      id: "istio",
      wording: "Deprecated; consider using Istio",
    });
  });

  it("SMI is deprecated in favour of Gateway API", () => {
    const p = byName("Service Mesh Interface (SMI) Spec");
    expect(p.lifecycle).toBe("deprecated");
    expect(p.successors.map((s) => s.id)).toEqual(["gateway-api"]);
  });

  it("AKS Engine points at AKS (outside the catalog) and at Cluster API Azure Provider", () => {
    const p = byName("AKS Engine");
    expect(p.lifecycle).not.toBe("active");
    const aks = p.successors.find((s) => s.name === "AKS");
    expect(aks?.id).toBeUndefined();
    expect(aks?.url).toMatch(/^https:\/\/azure\.microsoft\.com\//);
    expect(p.successors.find((s) => s.name === "Cluster API Azure Provider")?.id).toBe(
      "cluster-api-azure-provider",
    );
  });

  it("Brigade is archived and honestly names no successor", () => {
    const p = byName("Brigade");
    expect(p.lifecycle).toBe("archived");
    expect(p.successors).toEqual([]);
    expect(p.noSuccessor?.source).toBe("https://github.com/cncf/toc/pull/915");
  });

  it("Containerd Wasm Shims are archived, the Spin shim moved to SpinKube", () => {
    const p = byName("Containerd Wasm Shims");
    expect(p.lifecycle).toBe("archived");
    expect(p.lifecycleSource?.wording).toContain("Jul 14, 2025");
    expect(p.successors.map((s) => s.name)).toContain("SpinKube");
  });

  it("SpiderLightning is archived and delisted, pointing to wasi-cloud-core", () => {
    const p = byName("SpiderLightning");
    expect(p.lifecycle).toBe("archived");
    expect(p.listed).toMatchObject({ date: "2024-09-10", commit: "5bfcabd" });
    expect(p.successors.map((s) => s.name)).toEqual(["wasi-cloud-core", "Spin", "wasmCloud", "Wasmtime"]);
  });

  it("Virtual Kubelet is a past project but not deprecated", () => {
    const p = byName("Virtual Kubelet");
    expect(p.pastProject).toBe(true);
    expect(p.lifecycle).toBe("active");
    expect(p.listed).toBe(true);
  });

  it("MCS is delisted but not deprecated", () => {
    const p = byName("Multi-Cluster Service APIs (MCS)");
    expect(p.lifecycle).toBe("active");
    expect(p.listed).not.toBe(true);
  });

  it("applies link corrections: Eraser moved to eraser-dev, runwasi has its own Slack channel", () => {
    expect(byName("Eraser").url).toBe("https://github.com/eraser-dev/eraser");
    expect(JSON.stringify(byName("Eraser"))).not.toContain("github.com/Azure/eraser");
    const runwasi = byName("Containerd runwasi").channels.find((c) => c.label === "#runwasi");
    expect(runwasi?.url).toBe("https://cloud-native.slack.com/archives/C04LTPB6Z0V");
  });

  it("the newest snapshot decides what is listed", () => {
    expect(catalog.snapshot).toMatchObject({ date: "2025-09-02", commit: "9b7e339" });
    expect(summaryLine(catalog)).toMatch(
      /^catalog: 50 projects \(48 listed, 2 delisted\) in 11 areas; \d+ curated facts; \d+ warnings$/,
    );
  });
});

describe("integrity", () => {
  it("every URL in the catalog parses as http(s)", () => {
    const urls: string[] = [];
    JSON.stringify(catalog, (k, v) => {
      if ((k === "url" || k === "source") && typeof v === "string") urls.push(v);
      return v;
    });
    expect(urls.length).toBeGreaterThan(200);
    for (const u of urls) expect(new URL(u).protocol, u).toMatch(/^https?:$/);
  });

  it("no two projects share an id, a name or an alias unless declared ambiguous", () => {
    const ambiguous = new Set(catalog.ambiguous.map((a) => matchKey(a.alias)));
    const seen = new Map<string, string>();
    for (const p of catalog.projects)
      for (const k of new Set([p.id, p.name, ...p.aliases].map(matchKey))) {
        expect(ambiguous.has(k), k).toBe(false);
        expect(seen.get(k) ?? p.id, k).toBe(p.id);
        seen.set(k, p.id);
      }
  });

  it("every successor id and every ambiguous id names a catalog project", () => {
    const ids = new Set(catalog.projects.map((p) => p.id));
    for (const p of catalog.projects)
      for (const s of p.successors) if (s.id) expect(ids.has(s.id), s.id).toBe(true);
    for (const a of catalog.ambiguous) for (const id of a.ids) expect(ids.has(id), id).toBe(true);
  });

  it("every deprecated or archived project names successors or why there are none", () => {
    for (const p of catalog.projects.filter((x) => x.lifecycle !== "active"))
      expect(p.successors.length > 0 || p.noSuccessor !== undefined, p.name).toBe(true);
  });

  it("a curated fact without a source is a validation error", () => {
    const raw = { projects: { eraser: { aliases: [{ names: ["Zap"] }] } } };
    expect(Curation.safeParse(raw).success).toBe(false);
    const successor = {
      projects: { brigade: { successors: [{ name: "X", url: "https://x.example/", wording: "use X" }] } },
    };
    expect(Curation.safeParse(successor).success).toBe(false);
  });

  it("rejects an alias claimed by two projects", () => {
    const curation = readCuration();
    curation.projects.moby = {
      ...curation.projects.moby!,
      aliases: [{ names: ["Eraser"], source: "https://x.example/" }],
    };
    expect(() => buildCatalog(readSnapshots(), curation)).toThrow(CatalogValidationError);
  });

  it("rejects curation for a project that does not exist", () => {
    const curation = readCuration();
    curation.projects["no-such-project"] = {
      aliases: [],
      topics: [],
      successors: [],
      notes: [],
      channels: [],
    };
    expect(() => buildCatalog(readSnapshots(), curation)).toThrow(/unknown project id "no-such-project"/);
  });

  it("the committed data/catalog.json matches a fresh build", () => {
    expect(committedCatalogDiffers(catalog)).toBeNull();
  });
});
