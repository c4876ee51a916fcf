// Small, forgiving readers for the markdown the upstream README uses in its project
// table: pipe tables, inline links, `<br>`/`</br>` line breaks and `<li>` items.
// Only what the list really contains; anything else is left for the importer to warn about.

export interface MdLink {
  text: string;
  url: string;
}

const LINK = /\[([^\]]*)\]\(([^)\s]+)\)/g;

export function links(cell: string): MdLink[] {
  return [...cell.matchAll(LINK)].map((m) => ({ text: (m[1] ?? "").trim(), url: m[2] ?? "" }));
}

/** Replaces links by their text and drops HTML tags: the cell as a reader sees it. */
export function plainText(cell: string): string {
  return collapse(
    cell
      .replace(LINK, "$1")
      .replace(/<\/?(?:br|li|ul)\s*\/?>/gi, " ")
      .replace(/<[^>]+>/g, " "),
  );
}

export function collapse(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

/** Splits a cell on `<br>`, `</br>`, `<br/>` and `<li>` items; empty parts are dropped. */
export function lines(cell: string): string[] {
  return cell
    .split(/<\/?br\s*\/?>|<\/?li>|<\/?ul>/i)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** What is left of a piece once its links and decoration are removed. */
export function leftover(piece: string): string {
  return collapse(piece.replace(LINK, " ").replace(/[(),;]/g, " "));
}

export interface TableRow {
  /** 1-based line number in the file. */
  line: number;
  cells: string[];
}

/**
 * The rows of the first pipe table after `heading` (e.g. "## Project list"), header and
 * separator excluded. Cells are trimmed; a row keeps however many cells it really has.
 */
export function tableAfter(markdown: string, heading: RegExp): { header: string[]; rows: TableRow[] } | null {
  const all = markdown.split(/\r?\n/);
  const start = all.findIndex((l) => heading.test(l));
  if (start < 0) return null;
  let i = start + 1;
  while (i < all.length && !all[i]?.trimStart().startsWith("|")) {
    if (/^#{1,6}\s/.test(all[i] ?? "")) return null;
    i++;
  }
  const header = splitRow(all[i] ?? "");
  if (header.length === 0 || !/^\s*\|?\s*:?-{3,}/.test(all[i + 1] ?? "")) return null;
  const rows: TableRow[] = [];
  for (let j = i + 2; j < all.length; j++) {
    const text = all[j] ?? "";
    if (!text.trimStart().startsWith("|")) break;
    rows.push({ line: j + 1, cells: splitRow(text) });
  }
  return { header, rows };
}

function splitRow(line: string): string[] {
  let s = line.trim();
  if (!s.startsWith("|")) return [];
  s = s.slice(1);
  if (s.endsWith("|") && !s.endsWith("\\|")) s = s.slice(0, -1);
  return s.split(/(?<!\\)\|/).map((c) => c.trim());
}
