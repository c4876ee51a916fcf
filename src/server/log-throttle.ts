// One log line per key per window: the first occurrence is logged, repeats within the window are
// counted, and the next line after the window says how many were held back. For what can arrive
// by the thousand from outside (refused requests, a library's console lines), so that a flood
// costs a counter instead of a log line each.

export interface ThrottleOptions {
  /** A key seen again within this window is counted, not logged. */
  windowMs?: number;
  /** Keys remembered; the oldest is forgotten first (its count with it). */
  maxKeys?: number;
  now?: () => number;
}

export interface Throttle {
  /** null: count it, do not log. Otherwise log it, with how many were held back since the last line. */
  admit(key: string): { heldBack: number } | null;
  readonly windowMs: number;
}

export function createThrottle(options: ThrottleOptions = {}): Throttle {
  const windowMs = options.windowMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 200;
  const now = options.now ?? Date.now;
  const seen = new Map<string, { until: number; held: number }>();
  return {
    windowMs,
    admit(key) {
      const t = now();
      const entry = seen.get(key);
      if (entry && t < entry.until) {
        entry.held++;
        return null;
      }
      const heldBack = entry?.held ?? 0;
      seen.delete(key);
      if (seen.size >= maxKeys) {
        const oldest = seen.keys().next().value;
        if (oldest !== undefined) seen.delete(oldest);
      }
      seen.set(key, { until: t + windowMs, held: 0 });
      return { heldBack };
    },
  };
}
