// Rendered answers, remembered per catalog version. Resolving and rendering are pure functions
// of (catalog, text), and chat traffic repeats itself ("eraser", "gatekeeper"): at saturation,
// resolve + render + JSON.stringify of the slash command's card was ~60 µs of the ~300 µs a
// request cost (docs/benchmarks.md). A new Core (a live refresh) starts an empty cache, so an
// answer from an older catalog is never served.
import type { Core } from "./core/core.js";
import { deepFreeze } from "./core/freeze.js";

/** Values are deep-frozen when stored: every later request shares them, so none may change them. */
export interface RenderCache<V> {
  /** What was stored for this text with this very Core, if anything. Marks it recently used. */
  get(core: Core, text: string): V | undefined;
  set(core: Core, text: string, value: V): void;
  readonly size: number;
}

export interface RenderCacheOptions {
  /** Least recently used entries go first once this many are held. */
  maxEntries: number;
  /** Longer texts are never stored: they are rarely repeated, and a key costs memory. */
  maxTextLength: number;
}

export const DEFAULT_RENDER_CACHE: RenderCacheOptions = { maxEntries: 256, maxTextLength: 200 };

export function createRenderCache<V>(opts: RenderCacheOptions = DEFAULT_RENDER_CACHE): RenderCache<V> {
  let owner: Core | undefined;
  // A Map iterates in insertion order: re-inserting on a hit keeps the oldest entry first.
  const entries = new Map<string, V>();

  return {
    get(core, text) {
      if (core !== owner) return undefined;
      const v = entries.get(text);
      if (v === undefined) return undefined;
      entries.delete(text);
      entries.set(text, v);
      return v;
    },
    set(core, text, value) {
      if (text.length > opts.maxTextLength || opts.maxEntries < 1) return;
      if (core !== owner) {
        owner = core;
        entries.clear();
      }
      entries.delete(text);
      entries.set(text, deepFreeze(value));
      if (entries.size > opts.maxEntries) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
    },
    get size() {
      return entries.size;
    },
  };
}
