// A Core whose ask() counts its calls: how the render-cache tests see that a repeated question was
// not resolved again, through the real adapters.
import type { Core } from "../../src/core/core.js";

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
