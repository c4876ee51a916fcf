// The resolver, intent by intent, on the real catalog: names, aliases and typos; what
// replaced a retired project; contacts; lists by area, maturity, lifecycle and topic;
// ambiguity; help; not found; and text as chat platforms deliver it.
import { describe, expect, it } from "vitest";
import { loadCatalogFile } from "../../src/catalog/catalog-files.js";
import type { Answer } from "../../src/core/answer.js";
import { createCore } from "../../src/core/core.js";

const core = createCore(loadCatalogFile());
const names = (a: Answer): string[] =>
  a.kind === "list" || a.kind === "choices"
    ? a.projects.map((p) => p.name)
    : a.kind === "not_found"
      ? a.suggestions.map((p) => p.name)
      : a.kind === "alternatives"
        ? a.alternatives.map((p) => p.name)
        : [];

describe("a project by name, id, alias, typo or in a sentence", () => {
  it.each([
    ["eraser", "Eraser"],
    ["erasr", "Eraser"],
    ["ERASER!!!", "Eraser"],
    ["capz", "Cluster API Azure Provider"],
    ["cluster-api-azure-provider", "Cluster API Azure Provider"],
    ["copa", "Copacetic"],
    ["the AKS image cleaner", "Eraser"],
    ["Tell me about copacetic please", "Copacetic"],
    ["what is moby?", "Moby"],
    ["gatekeepr", "OPA Gatekeeper"],
    ["OPA", "OPA Gatekeeper"],
    ["azwi", "Azure Workload Identity"],
    ["Microsoft Entra Workload ID", "Azure Workload Identity"],
    ["VK", "Virtual Kubelet"],
    ["AKV", "Azure KeyVault Provider for Secrets Store CSI Driver"],
    ["SVM", "Move Storage Version Migrator in-tree"],
    ["slight", "SpiderLightning"],
    ["aks-engine", "AKS Engine"],
    ["pod identity", "AAD Pod Identity"],
    ["CAAPH", "Cluster API Add-on Provider for Helm"],
    ["osm", "Open Service Mesh (OSM)"],
    ["kaito", "Kubernetes AI Toolchain Operator (KAITO)"],
    ["KEP-3299", "KMSv2"],
    ["dual stack", "IPv4/v6 Dual-Stack"],
    ["runwasi", "Containerd runwasi"],
    ["a tool that patches container images", "Copacetic"],
    ["windows", "Windows containers"],
  ])("%s → %s", (q, name) => {
    const a = core.ask(q);
    expect(a.kind).toBe("project");
    expect(a.kind === "project" && a.project.name).toBe(name);
  });
});

describe("what replaced a retired project", () => {
  it.each([
    ["what replaced aad pod identity?", "AAD Pod Identity", ["Azure Workload Identity"]],
    ["osm alternative", "Open Service Mesh (OSM)", ["Istio"]],
    ["is aks engine deprecated?", "AKS Engine", ["AKS", "Cluster API Azure Provider"]],
    ["what should I use instead of smi", "Service Mesh Interface (SMI) Spec", ["Gateway API"]],
    ["is spin shim still supported?", "Containerd Wasm Shims", ["SpinKube"]],
    ["migrate from osm to istio", "Open Service Mesh (OSM)", ["Istio"]],
    ["successor of spiderlightning", "SpiderLightning", ["wasi-cloud-core", "Spin", "wasmCloud", "Wasmtime"]],
  ])("%s", (q, project, successors) => {
    const a = core.ask(q);
    expect(a.kind).toBe("alternatives");
    if (a.kind !== "alternatives") return;
    expect(a.project.name).toBe(project);
    expect(names(a)).toEqual(expect.arrayContaining(successors));
    for (const s of a.alternatives) expect(s.wording.length).toBeGreaterThan(0);
  });

  it("links successors that are in the catalog by id", () => {
    const a = core.ask("what replaced aad pod identity");
    expect(a.kind === "alternatives" && a.alternatives[0]?.id).toBe("azure-workload-identity");
  });

  it("says no successor is named when upstream named none", () => {
    const a = core.ask("is brigade deprecated?");
    expect(a.kind).toBe("alternatives");
    expect(a.kind === "alternatives" && a.alternatives).toEqual([]);
    expect(a.kind === "alternatives" && a.noSuccessorReason).toMatch(/no active maintainers/);
  });

  it.each([
    ["is virtual kubelet deprecated?", "Virtual Kubelet", /not deprecated.*Past Projects/],
    [
      "is mcs still supported?",
      "Multi-Cluster Service APIs (MCS)",
      /not deprecated.*no longer on the upstream list/,
    ],
    ["what replaced istio", "Istio", /active and not deprecated/],
  ])("an active project asked about is a project card with a plain status line: %s", (q, name, line) => {
    const a = core.ask(q);
    expect(a.kind).toBe("project");
    if (a.kind !== "project") return;
    expect(a.project.name).toBe(name);
    expect(a.focus).toBe("status");
    expect(a.statusLine).toMatch(line);
  });
});

describe("where to talk to people", () => {
  it.each([
    ["who do I contact about gatekeeper?", "OPA Gatekeeper"],
    ["slack channel for eraser", "Eraser"],
    ["mailing list for cluster autoscaler", "Cluster Autoscaler"],
    ["how do I report a bug in copa", "Copacetic"],
    ["who do I contact about the secrets store csi driver?", "Secrets Store CSI Driver"],
    ["where can I file an issue for karpenter", "Karpenter"],
  ])("%s", (q, name) => {
    const a = core.ask(q);
    expect(a.kind).toBe("project");
    if (a.kind !== "project") return;
    expect(a.project.name).toBe(name);
    expect(a.focus).toBe("contact");
    expect(a.project.channels.length).toBeGreaterThan(0);
  });

  it("how to use a project on Azure puts the Azure docs first", () => {
    const a = core.ask("how do I use eraser on aks");
    expect(a.kind === "project" && a.focus).toBe("azure");
  });
});

describe("lists", () => {
  it.each([
    [
      "list security projects",
      ["OPA Gatekeeper", "Copacetic", "Eraser", "Azure Workload Identity"],
      ["Istio"],
    ],
    ["security", ["KMS Plugin for Key Vault"], ["Moby"]],
    ["container runtimes", ["Moby", "Containerd", "Containerd runwasi"], ["Istio"]],
    ["service mesh", ["Istio", "Gateway API", "Envoy Proxy"], ["Moby"]],
    ["past projects", ["AKS Engine", "Virtual Kubelet", "AAD Pod Identity", "SpiderLightning"], ["Eraser"]],
    ["cncf graduated", ["Istio", "Containerd", "OPA Gatekeeper", "Envoy Proxy"], ["Eraser", "Moby"]],
    ["sandbox projects", ["Eraser", "Copacetic", "Hyperlight"], ["Istio"]],
    ["GA on AKS", ["Eraser", "Azure Workload Identity", "KMS Plugin for Key Vault"], ["Istio", "Moby"]],
    [
      "deprecated",
      ["Open Service Mesh (OSM)", "AKS Engine", "AAD Pod Identity", "Brigade"],
      ["Eraser", "Virtual Kubelet"],
    ],
    ["archived", ["AAD Pod Identity", "Brigade", "Containerd Wasm Shims"], ["Istio"]],
    ["wasm", ["Containerd runwasi", "Containerd Wasm Shims", "SpiderLightning", "Hyperlight-Wasm"], ["Moby"]],
    ["identity", ["Azure Workload Identity", "AAD Pod Identity"], ["Moby"]],
    ["encryption at rest", ["KMSv2", "KMS Plugin for Key Vault"], ["Eraser"]],
    [
      "deprecated service mesh projects",
      ["Open Service Mesh (OSM)", "Service Mesh Interface (SMI) Spec"],
      ["Istio"],
    ],
    ["delisted", ["Multi-Cluster Service APIs (MCS)", "SpiderLightning"], ["Eraser"]],
    [
      "v1beta1 apis",
      ["Cluster API Azure Provider", "Cluster Trust Bundles", "OPA Gatekeeper"],
      ["Eraser", "KMSv2"],
    ],
    ["security projects with a v1 api", ["Eraser", "OPA Gatekeeper"], ["Cluster Trust Bundles", "Moby"]],
  ])("%s", (q, include, exclude) => {
    const a = core.ask(q);
    expect(a.kind).toBe("list");
    expect(names(a)).toEqual(expect.arrayContaining(include));
    for (const n of exclude) expect(names(a)).not.toContain(n);
  });

  it("'list' is every listed project, and no delisted one", () => {
    const a = core.ask("list");
    expect(a.kind).toBe("list");
    expect(names(a)).toHaveLength(48);
    expect(names(a)).not.toContain("SpiderLightning");
  });

  it("'what's new?' lists what the newest snapshot added and removed", () => {
    const a = core.ask("what's new?");
    expect(a.kind).toBe("list");
    expect(a.intent).toBe("whats_new");
    expect(names(a)).toEqual(expect.arrayContaining(["Envoy Proxy", "DALEC", "SpiderLightning"]));
    expect(names(a)).not.toContain("Eraser");
  });
});

describe("ambiguity, help and not found", () => {
  it.each([
    ["kms", ["KMSv2", "KMS Plugin for Key Vault"]],
    ["key vault", ["Azure KeyVault Provider for Secrets Store CSI Driver", "KMS Plugin for Key Vault"]],
    ["autoscaler", ["Cluster Autoscaler", "Karpenter"]],
    ["moby vs containerd", ["Moby", "Containerd"]],
  ])("%s offers a choice, never a guess", (q, options) => {
    const a = core.ask(q);
    expect(a.kind).toBe("choices");
    expect(names(a)).toEqual(expect.arrayContaining(options));
    expect(names(a).length).toBeGreaterThanOrEqual(2);
    expect(names(a).length).toBeLessThanOrEqual(5);
  });

  it("a named project settles an ambiguous word next to it", () => {
    const a = core.ask("kms plugin for key vault");
    expect(a.kind === "project" && a.project.id).toBe("kms-plugin-for-key-vault");
  });

  it.each([
    "help",
    "what can you do?",
    "",
    "   ",
    "hi",
    "@upstream",
    "upstream help",
    "help me please",
    "slack?",
    "thanks",
  ])("%j is help", (q) => {
    const a = core.ask(q);
    expect(a.kind).toBe("help");
    expect(a.kind === "help" && a.examples.length).toBeGreaterThan(3);
  });

  it("nothing found is a friendly not_found with the query", () => {
    const a = core.ask("asdfghjkl");
    expect(a.kind).toBe("not_found");
    expect(a.query).toBe("asdfghjkl");
  });

  it.each([
    "date",
    "short",
    "login",
    "**zzqx** [x](https://evil.example/login) {{DATE(2017-02-14T06:08:39Z, SHORT)}}",
  ])("a common word inside a longer name is not taken for a typo of it: %s", (q) => {
    expect(core.ask(q).kind).toBe("not_found");
  });

  it("not_found suggests close names", () => {
    const a = core.ask("kubraytor");
    expect(a.kind).toBe("not_found");
    expect(names(a)).toContain("Kuberay");
  });

  it("a successor outside the catalog leads to the project it replaced", () => {
    const a = core.ask("spinkube");
    expect(a.kind).toBe("alternatives");
    expect(a.kind === "alternatives" && a.project.name).toBe("Containerd Wasm Shims");
  });
});

describe("text as chat delivers it", () => {
  it.each([
    ["<@U123ABC> eraser", "Eraser"],
    ["<@U123ABC|upstream> who do I ask about gatekeeper?", "OPA Gatekeeper"],
    ["<at>upstream</at> capz", "Cluster API Azure Provider"],
    ["&lt;!channel&gt; eraser", "Eraser"],
    ["<!here> copa", "Copacetic"],
    ["  *eraser*  ", "Eraser"],
    ["upstream eraser", "Eraser"],
    ["<https://github.com/eraser-dev/eraser|eraser>", "Eraser"],
  ])("%s", (q, name) => {
    const a = core.ask(q);
    expect(a.kind === "project" && a.project.name).toBe(name);
    expect(a.query).not.toMatch(/[<>]|&lt;|!channel|!here|@U123/);
  });
});

describe("every answer says where its facts come from", () => {
  it.each(["eraser", "what replaced aad pod identity", "list", "kms", "asdfghjkl", "help"])("%s", (q) => {
    const a = core.ask(q);
    expect(a.source).toMatchObject({
      origin: "bundled",
      snapshot: { date: "2025-09-02", commit: "9b7e339" },
    });
    expect(a.source.upstreamUrl).toBe("https://github.com/Azure/container-upstream");
    expect(new URL(a.reportUrl).pathname).toBe("/Azure/container-upstream/issues/new");
    expect(new URL(a.reportUrl).searchParams.get("title")).toMatch(/^Outdated info/);
  });
});

describe("buttons and links", () => {
  it("project(id) opens a card; an unknown id is not found", () => {
    expect(core.project("istio").kind).toBe("project");
    expect(core.project("no-such-id").kind).toBe("not_found");
  });

  it.each([
    ["https://github.com/Azure/aad-pod-identity", "AAD Pod Identity"],
    ["https://github.com/Azure/aad-pod-identity/issues/1349", "AAD Pod Identity"],
    ["http://www.github.com/open-policy-agent/gatekeeper/", "OPA Gatekeeper"],
    ["https://istio.io/", "Istio"],
    [
      "https://github.com/kubernetes/enhancements/tree/master/keps/sig-auth/3299-kms-v2-improvements",
      "KMSv2",
    ],
  ])("unfurls %s", (url, name) => {
    expect(core.unfurl(url)?.project.name).toBe(name);
  });

  it.each([
    "https://github.com/kubernetes/kubernetes/issues",
    "https://example.com/",
    "not a url",
    "javascript:alert(1)",
  ])("does not unfurl %s", (url) => {
    expect(core.unfurl(url)).toBeNull();
  });

  it("the overview names every retired project with its successors", () => {
    const o = core.overview();
    expect(o.total).toBe(50);
    const retired = o.retired.map((r) => r.project.name);
    expect(retired).toEqual(
      expect.arrayContaining(["AAD Pod Identity", "Brigade", "Multi-Cluster Service APIs (MCS)"]),
    );
    expect(o.areas.reduce((n, a) => n + a.projects.length, 0)).toBe(50);
  });
});
