// Small statistics and formatting helpers for the benchmark tables.

export function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return Number.NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

export function max(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x));
  return v.length ? Math.max(...v) : Number.NaN;
}

/** Rounds for the JSON line: 3 significant decimals at most. */
export function round(n: number, digits = 2): number {
  if (!Number.isFinite(n)) return n;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function fmt(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return "–";
  return n >= 1000 ? Math.round(n).toLocaleString("en-US") : n.toFixed(digits);
}

/** A fixed-width text table; the first column is left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
