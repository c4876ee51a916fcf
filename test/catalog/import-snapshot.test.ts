// The importer on both real snapshots and on each kind of irregular row they contain.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DATA_DIR } from "../../src/catalog/catalog-files.js";
import { importSnapshot, SnapshotFormatError, snapshotRef } from "../../src/catalog/import-snapshot.js";

const read = (f: string) => readFileSync(join(DATA_DIR, "upstream", f), "utf8");
const REF = snapshotRef("2030-01-01", "abcdef1");
const HEADER = `# Title

## Project list

| Project Area | Project & (artifacts) | Goal | Project State & <br> API Version | Communication | Use on Azure |
| --- | --- | --- | --- | --- | --- |
`;
const table = (...rows: string[]) => `${HEADER}${rows.join("\n")}\n\n## Maturity\n`;

describe("the real snapshots", () => {
  it("reads the 2024-09-10 list as 34 projects in 9 areas", () => {
    const s = importSnapshot(read("2024-09-10-5bfcabd-README.md"), snapshotRef("2024-09-10", "5bfcabd"));
    expect(s.projects).toHaveLength(34);
    expect(s.areas).toHaveLength(9);
    expect(s.areas).toContain("Past Projects");
  });

  it("reads the 2025-09-02 list as 48 projects in 11 areas, with the new AI and Virtualization areas", () => {
    const s = importSnapshot(read("2025-09-02-9b7e339-README.md"), snapshotRef("2025-09-02", "9b7e339"));
    expect(s.projects).toHaveLength(48);
    expect(s.areas).toHaveLength(11);
    expect(s.areas).toEqual(expect.arrayContaining(["AI", "Virtualization"]));
    const names = s.projects.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(["Envoy Proxy", "DALEC", "Kubernetes AI Toolchain Operator (KAITO)"]),
    );
    expect(names).not.toContain("SpiderLightning");
    expect(names).not.toContain("Multi-Cluster Service APIs (MCS)");
  });

  it("keeps names exactly as the list writes them", () => {
    const s = importSnapshot(read("2025-09-02-9b7e339-README.md"), snapshotRef("2025-09-02", "9b7e339"));
    expect(s.projects.map((p) => p.name)).toContain("Open Service Mesh (OSM)");
    expect(s.projects.find((p) => p.name === "Open Service Mesh (OSM)")?.nameAliases).toEqual(["OSM"]);
  });

  it("reports the real irregularities as warnings, not silence", () => {
    const s = importSnapshot(read("2025-09-02-9b7e339-README.md"), snapshotRef("2025-09-02", "9b7e339"));
    const messages = s.warnings.map((w) => `${w.column}: ${w.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^communication: channel "#Hyperlight" is plain text/),
        expect.stringMatching(/^goal: goal repeats Cluster Autoscaler's goal/),
        expect.stringMatching(/^row: row has 5 of 6 cells/),
      ]),
    );
  });
});

describe("irregular rows", () => {
  const area = "| Area One | | | | | |";

  it("splits cells on </br> as well as <br>", () => {
    const s = importSnapshot(
      table(
        area,
        "| | [P](https://p.example/) | Goal | CNCF Sandbox | #chan </br> [GitHub Issues](https://github.com/o/p/issues) | |",
      ),
      REF,
    );
    const p = s.projects[0];
    expect(p?.channels.map((c) => c.kind)).toEqual(["slack", "github_issues"]);
    expect(p?.maturity.cncf).toBe("sandbox");
  });

  it("reads a row with missing trailing cells as empty and warns with row and column", () => {
    const s = importSnapshot(table(area, "| | [P](https://p.example/) | Goal | Azure: GA |"), REF);
    expect(s.projects).toHaveLength(1);
    expect(s.projects[0]?.azure).toEqual([]);
    expect(s.warnings).toContainEqual({
      snapshot: "2030-01-01-abcdef1",
      row: 8,
      column: "row",
      message: "row has 4 of 6 cells; missing communication, azure read as empty",
    });
  });

  it("keeps a plain-text channel without a URL and warns", () => {
    const s = importSnapshot(table(area, "| | [P](https://p.example/) | Goal | | #Plain | |"), REF);
    expect(s.projects[0]?.channels).toEqual([{ kind: "slack", label: "#Plain", channel: "Plain" }]);
    expect(s.warnings.find((w) => w.column === "communication")?.row).toBe(8);
  });

  it("turns markdown links inside the goal into their text", () => {
    const s = importSnapshot(
      table(
        area,
        "| | [P](https://p.example/) | Integrates via a [Container Storage Interface (CSI)](https://csi.example/) volume | | | |",
      ),
      REF,
    );
    expect(s.projects[0]?.goal).toBe("Integrates via a Container Storage Interface (CSI) volume");
  });

  it("accepts an empty state cell and an area row with empty cells", () => {
    const s = importSnapshot(
      table("| Area One | | | | |", "| | [P](https://p.example/) | Goal | | | |"),
      REF,
    );
    expect(s.projects[0]?.maturity).toEqual({ raw: "", other: [] });
    expect(s.projects[0]?.area).toBe("Area One");
    expect(s.warnings).toEqual([]);
  });

  it("flags a goal copied word for word from another row", () => {
    const s = importSnapshot(
      table(
        area,
        "| | [A](https://a.example/) | Same goal. | | | |",
        "| | [B](https://b.example/) | Same goal. | | | |",
      ),
      REF,
    );
    expect(s.warnings).toContainEqual(expect.objectContaining({ row: 9, column: "goal" }));
  });

  it("reads lifecycle and successors from the state text", () => {
    const s = importSnapshot(
      table(
        area,
        "| | [Old](https://old.example/) | Goal | Deprecated; consider using [New](https://new.example/) | | |",
      ),
      REF,
    );
    const p = s.projects[0];
    expect(p?.lifecycle).toBe("deprecated");
    expect(p?.successors).toEqual([
      {
        name: "New",
        url: "https://new.example/",
        wording: "Deprecated; consider using New",
        source: REF.url,
      },
    ]);
  });

  it("warns about state text it cannot read instead of dropping it", () => {
    const s = importSnapshot(table(area, "| | [P](https://p.example/) | Goal | something odd | | |"), REF);
    expect(s.projects[0]?.maturity.other).toEqual([{ key: "", value: "something odd" }]);
    expect(s.warnings[0]).toMatchObject({
      column: "state",
      message: expect.stringContaining("something odd"),
    });
  });

  it("skips a project row without a link, with a warning", () => {
    const s = importSnapshot(table(area, "| | Just text | Goal | | | |"), REF);
    expect(s.projects).toEqual([]);
    expect(s.warnings[0]).toMatchObject({ row: 8, column: "project" });
  });

  it("refuses markdown without the project table", () => {
    expect(() => importSnapshot("# Nothing here\n\nJust prose.\n", REF)).toThrow(SnapshotFormatError);
  });
});
