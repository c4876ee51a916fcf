// The Teams app package: manifest valid against the vendored v1.25 schema once placeholders are
// filled, command list in step with the core's COMMANDS, icons of the required sizes (and the
// committed PNGs are what the icon script draws), and the zip `npm run teams:package` writes.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { loadCatalogFile } from "../../src/catalog/catalog-files.js";
import { COMMANDS } from "../../src/core/help.js";
import { SEARCH_PARAMETER } from "../../src/teams/bot.js";
import { MAX_COMMAND_DESCRIPTION, MAX_COMMAND_TITLE, MAX_COMMANDS } from "../../src/teams/limits.js";
import {
  buildAppPackage,
  fillManifest,
  MANIFEST_DIR,
  PackageError,
  placeholders,
  renderIcons,
} from "../../src/teams/package-app.js";

// ajv-draft-04 and ajv-formats are CommonJS; require() gives their constructors without interop guesswork.
const require = createRequire(import.meta.url);
const AjvDraft04 = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;

const template = readFileSync(join(MANIFEST_DIR, "manifest.json"), "utf8");
const schema = JSON.parse(readFileSync(join(MANIFEST_DIR, "schema", "MicrosoftTeams.schema.json"), "utf8"));

const ENV = {
  TEAMS_APP_ID: "0f8b3c5e-6a1d-4d2b-9c7e-3a5f1b2c4d6e",
  BOT_ID: "6f1f4a0e-3b8c-4c1e-9d57-2a3c0f5b7e11",
  BOT_DOMAIN: "upstream-bot.example.com",
  DEVELOPER_NAME: "Contoso Platform Team",
  PRIVACY_URL: "https://contoso.example.com/privacy",
  TERMS_OF_USE_URL: "https://contoso.example.com/terms",
};

type Manifest = {
  $schema: string;
  manifestVersion: string;
  bots: { botId: string; commandLists: { commands: { title: string; description: string }[] }[] }[];
  composeExtensions: {
    commands: { id: string; type: string; parameters: { name: string }[] }[];
    messageHandlers: { type: string; value: { domains: string[] } }[];
  }[];
};

const filled = () => JSON.parse(fillManifest(template, ENV)) as Manifest;

describe("manifest", () => {
  it("uses the current schema it is validated against ($schema and manifestVersion agree)", () => {
    const m = JSON.parse(template) as Manifest;
    expect(m.$schema).toBe(
      "https://developer.microsoft.com/en-us/json-schemas/teams/v1.25/MicrosoftTeams.schema.json",
    );
    expect(m.manifestVersion).toBe("1.25");
    expect(schema.properties.manifestVersion.const).toBe("1.25");
  });

  it("is valid against the schema once its placeholders are filled", () => {
    const ajv = new AjvDraft04({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const ok = validate(filled());
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the schema check can fail: a bot id that is not a GUID is rejected", () => {
    const ajv = new AjvDraft04({ allErrors: true, strict: false });
    addFormats(ajv);
    const m = filled();
    m.bots[0] = { ...(m.bots[0] as Manifest["bots"][number]), botId: "not-a-guid" };
    expect(ajv.compile(schema)(m)).toBe(false);
  });

  it("names its placeholders: ids, the bot's domain and the publisher's pages", () => {
    expect(placeholders(template).sort()).toEqual(Object.keys(ENV).sort());
  });

  it("the bot's command menu is the core's COMMANDS, within Teams' limits", () => {
    const commands = filled().bots[0]?.commandLists[0]?.commands ?? [];
    expect(commands).toEqual(COMMANDS.map(({ title, description }) => ({ title, description })));
    expect(commands.length).toBeLessThanOrEqual(MAX_COMMANDS);
    for (const c of commands) {
      expect(c.title.length).toBeLessThanOrEqual(MAX_COMMAND_TITLE);
      expect(c.description.length).toBeLessThanOrEqual(MAX_COMMAND_DESCRIPTION);
    }
  });

  it("declares the search command the bot reads, and link unfurling for every catalog project's host", () => {
    const ext = filled().composeExtensions[0];
    expect(ext?.commands[0]).toMatchObject({ type: "query", parameters: [{ name: SEARCH_PARAMETER }] });
    const domains = ext?.messageHandlers[0]?.value.domains ?? [];
    const covered = (host: string) =>
      domains.some((d) => (d.startsWith("*.") ? host.endsWith(d.slice(1)) : host === d));
    const hosts = [...new Set(loadCatalogFile().projects.map((p) => new URL(p.url).host))];
    expect(hosts.filter((h) => !covered(h))).toEqual([]);
  });
});

describe("icons", () => {
  const read = (f: string) => PNG.sync.read(readFileSync(join(MANIFEST_DIR, f)));

  it("color.png is 192×192 and outline.png 32×32, white on transparent", () => {
    const color = read("color.png");
    const outline = read("outline.png");
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    for (let i = 0; i < outline.data.length; i += 4) {
      const alpha = outline.data[i + 3] ?? 0;
      if (alpha > 0)
        expect([outline.data[i], outline.data[i + 1], outline.data[i + 2]]).toEqual([255, 255, 255]);
    }
  });

  it("the committed PNGs are what `npm run teams:icons` draws", () => {
    const drawn = renderIcons();
    expect(PNG.sync.read(drawn.color).data.equals(read("color.png").data)).toBe(true);
    expect(PNG.sync.read(drawn.outline).data.equals(read("outline.png").data)).toBe(true);
  });
});

describe("package", () => {
  it("missing variables → one clear error naming all of them", () => {
    expect(() => fillManifest(template, { TEAMS_APP_ID: ENV.TEAMS_APP_ID, BOT_ID: " " })).toThrow(
      PackageError,
    );
    expect(() => fillManifest(template, { TEAMS_APP_ID: ENV.TEAMS_APP_ID })).toThrow(
      "Set DEVELOPER_NAME, PRIVACY_URL, TERMS_OF_USE_URL, BOT_ID, BOT_DOMAIN to build the Teams app package",
    );
  });

  it("values are JSON-escaped, so a quote in a name cannot break the manifest", () => {
    const m = JSON.parse(fillManifest(template, { ...ENV, DEVELOPER_NAME: 'Contoso "Platform"' }));
    expect(m.developer.name).toBe('Contoso "Platform"');
  });

  it("the zip holds the filled manifest and both icons at its root", () => {
    const files = unzipSync(buildAppPackage(ENV));
    expect(Object.keys(files).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
    const manifest = new TextDecoder().decode(files["manifest.json"]);
    expect(manifest).not.toContain("${{");
    expect(JSON.parse(manifest).id).toBe(ENV.TEAMS_APP_ID);
    expect(Buffer.from(files["color.png"] ?? []).equals(readFileSync(join(MANIFEST_DIR, "color.png")))).toBe(
      true,
    );
  });
});
