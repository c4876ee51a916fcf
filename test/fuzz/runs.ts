// How many generated inputs a fuzz property runs: its share of the suite's budget, scaled by
// FUZZ_RUNS (e.g. FUZZ_RUNS=10 for a long local run, FUZZ_RUNS=0.1 for a quick one).
export function runs(base: number): number {
  const scale = Number(process.env.FUZZ_RUNS ?? "1");
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}
