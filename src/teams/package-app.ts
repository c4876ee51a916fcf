// Builds the Teams app package (manifest.json with placeholders filled from the environment, plus
// the two icons) as build/teams-app.zip, and draws the icons. Run by `npm run teams:package` and
// `npm run teams:icons`. https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { zipSync } from "fflate";
import { PNG } from "pngjs";
import { PROJECT_ROOT } from "../catalog/catalog-files.js";

export const MANIFEST_DIR = join(PROJECT_ROOT, "manifests", "teams");
export const PACKAGE_FILE = join(PROJECT_ROOT, "build", "teams-app.zip");

const PLACEHOLDER = /\$\{\{([A-Z][A-Z0-9_]*)\}\}/g;

export class PackageError extends Error {
  override name = "PackageError";
}

/** The variables a manifest template needs, in order of first use. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/** The manifest with every ${{NAME}} replaced; throws naming every variable that is missing. */
export function fillManifest(template: string, env: Record<string, string | undefined>): string {
  const missing = placeholders(template).filter((name) => !env[name]?.trim());
  if (missing.length > 0)
    throw new PackageError(
      `Set ${missing.join(", ")} to build the Teams app package (see manifests/teams/README.md).`,
    );
  // JSON-escape each value: the template is JSON text.
  const filled = template.replace(PLACEHOLDER, (_m, name: string) =>
    JSON.stringify((env[name] as string).trim()).slice(1, -1),
  );
  JSON.parse(filled);
  return filled;
}

// ——— icons ———

type Shape = (x: number, y: number) => boolean;

/** An upward arrow over a base line: "upstream". Coordinates are fractions of the icon size. */
const arrow: Shape = (x, y) => {
  const head = y >= 0.18 && y <= 0.5 && Math.abs(x - 0.5) <= (y - 0.18) * 0.95;
  const stem = y > 0.49 && y <= 0.72 && Math.abs(x - 0.5) <= 0.09;
  const base = y >= 0.77 && y <= 0.84 && x >= 0.22 && x <= 0.78;
  return head || stem || base;
};

const roundedSquare: Shape = (x, y) => {
  const r = 0.18;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};

/** Draws with 4×4 supersampling so edges are smooth at 32 px too. */
function draw(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const png = new PNG({ width: size, height: size });
  const n = 4;
  for (let py = 0; py < size; py++)
    for (let px = 0; px < size; px++) {
      let [ar, ag, ab, aa] = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++)
        for (let sx = 0; sx < n; sx++) {
          const [r, g, b, a] = pixel((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          ar += r * a;
          ag += g * a;
          ab += b * a;
          aa += a;
        }
      const i = (py * size + px) * 4;
      png.data[i] = aa ? Math.round(ar / aa) : 0;
      png.data[i + 1] = aa ? Math.round(ag / aa) : 0;
      png.data[i + 2] = aa ? Math.round(ab / aa) : 0;
      png.data[i + 3] = Math.round(aa / (n * n));
    }
  return PNG.sync.write(png);
}

const AZURE_BLUE: [number, number, number] = [0x00, 0x78, 0xd4];

/** color.png 192×192 (full colour) and outline.png 32×32 (white on transparent, as Teams requires). */
export function renderIcons(): { color: Buffer; outline: Buffer } {
  return {
    color: draw(192, (x, y) => {
      if (!roundedSquare(x, y)) return [0, 0, 0, 0];
      return arrow(x, y) ? [255, 255, 255, 255] : [...AZURE_BLUE, 255];
    }),
    outline: draw(32, (x, y) => (arrow(x, y) ? [255, 255, 255, 255] : [255, 255, 255, 0])),
  };
}

// ——— package ———

export function buildAppPackage(env: Record<string, string | undefined>, dir = MANIFEST_DIR): Uint8Array {
  const manifest = fillManifest(readFileSync(join(dir, "manifest.json"), "utf8"), env);
  return zipSync(
    {
      "manifest.json": new TextEncoder().encode(manifest),
      "color.png": readFileSync(join(dir, "color.png")),
      "outline.png": readFileSync(join(dir, "outline.png")),
    },
    { level: 9, mtime: new Date("2025-01-01T00:00:00Z") },
  );
}

function main(argv: string[]): void {
  if (argv[0] === "icons") {
    const { color, outline } = renderIcons();
    writeFileSync(join(MANIFEST_DIR, "color.png"), color);
    writeFileSync(join(MANIFEST_DIR, "outline.png"), outline);
    process.stdout.write(`wrote ${join(MANIFEST_DIR, "color.png")} and outline.png\n`);
    return;
  }
  const zip = buildAppPackage(process.env);
  mkdirSync(join(PROJECT_ROOT, "build"), { recursive: true });
  writeFileSync(PACKAGE_FILE, zip);
  process.stdout.write(
    `wrote ${PACKAGE_FILE} (${zip.length} bytes): upload it in Teams → Apps → Manage your apps\n`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
