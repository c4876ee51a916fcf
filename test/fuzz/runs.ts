// How many generated inputs a fuzz property runs: its share of the suite's budget, scaled by
// FUZZ_RUNS (e.g. FUZZ_RUNS=10 for a long local run, FUZZ_RUNS=0.1 for a quick one).
function scale(): number {
  const s = Number(process.env.FUZZ_RUNS ?? "1");
  return Number.isFinite(s) && s > 0 ? s : 1;
}

export function runs(base: number): number {
  return Math.max(1, Math.round(base * scale()));
}

/** A test's time limit grown with FUZZ_RUNS: more inputs take longer, never a failure of their own. */
export function timeLimit(ms: number): number {
  return Math.round(ms * Math.max(1, scale()));
}
