// A Core whose ask() counts its calls: how the render-cache tests see that a repeated question was
// not resolved again, through the real adapters.
import { loadCatalogFile } from "../../src/catalog/catalog-files.js";
import { type Core, createCore } from "../../src/core/core.js";

export type CountingCore = Core & { calls: number };

export function countingCore(core: Core): CountingCore {
  const counted: CountingCore = {
    ...core,
    calls: 0,
    ask: (text) => {
      counted.calls++;
      return core.ask(text);
    },
  };
  return counted;
}

/** A counting Core over the bundled catalog with Eraser's goal set to `goal`: what a live refresh swaps in. */
export function refreshedCore(goal: string): CountingCore {
  const changed = loadCatalogFile();
  const eraser = changed.projects.find((p) => p.id === "eraser");
  if (!eraser) throw new Error("eraser missing from the catalog");
  eraser.goal = goal;
  return countingCore(createCore(changed));
}
