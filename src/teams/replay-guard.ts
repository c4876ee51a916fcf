// Remembers which activities were already answered, so that a redelivered activity (same
// conversation and activity id, e.g. after a slow response made the channel retry) is answered once.
// In memory and per process: enough for one replica; several replicas need a shared store behind
// the same `firstTime` contract.

export interface ReplayGuard {
  /** True the first time a key is seen within the retention window; false for a replay. */
  firstTime(key: string): boolean;
  clear(): void;
}

export interface ReplayGuardOptions {
  /** How long an id is remembered. Channel redeliveries come within seconds to minutes. */
  ttlMs?: number;
  /** Memory bound: the oldest ids are forgotten first. */
  maxEntries?: number;
  now?: () => number;
}

export function createReplayGuard(opts: ReplayGuardOptions = {}): ReplayGuard {
  const ttlMs = opts.ttlMs ?? 15 * 60_000;
  const maxEntries = opts.maxEntries ?? 10_000;
  const now = opts.now ?? Date.now;
  // Map keeps insertion order, which is also expiry order since every entry has the same TTL.
  const seen = new Map<string, number>();
  return {
    firstTime(key) {
      const t = now();
      for (const [k, expires] of seen) {
        if (expires > t && seen.size <= maxEntries) break;
        seen.delete(k);
      }
      if (seen.has(key)) return false;
      seen.set(key, t + ttlMs);
      return true;
    },
    clear() {
      seen.clear();
    },
  };
}
