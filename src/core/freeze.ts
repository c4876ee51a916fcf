// Deep Object.freeze: for data shared by every request (the catalog a Core serves, cached
// renderings), so that no caller can change what the next one sees. A write to frozen data
// throws in ES modules (strict mode), which turns a silent cross-request leak into a loud bug.
export function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}
