// Path-based redaction of log objects with pino's path syntax ("token", "*.token",
// 'headers["x-slack-signature"]'), compiled once into a tree. A value found at a path is replaced;
// the caller's objects are never changed (only the objects on the way to a redacted value are copied).
type Tree = { children: Map<string, Tree>; any?: Tree; end: boolean };

const SEGMENT = /[^.[\]]+|\[(["'`]?)(.*?)\1\]/g;

function segments(path: string): string[] {
  return [...path.matchAll(SEGMENT)].map((m) => (m[2] !== undefined ? m[2] : m[0]));
}

export type Redaction = Tree;

export function compileRedaction(paths: readonly string[]): Redaction {
  const root: Tree = { children: new Map(), end: false };
  for (const path of paths) {
    let node = root;
    for (const seg of segments(path)) {
      if (seg === "*") node.any ??= { children: new Map(), end: false };
      else if (!node.children.has(seg)) node.children.set(seg, { children: new Map(), end: false });
      node = (seg === "*" ? node.any : node.children.get(seg)) as Tree;
    }
    node.end = true;
  }
  return root;
}

/** A shallow copy that keeps the prototype and every own property (an Error stays an Error). */
function copyOf(o: object): Record<string, unknown> {
  return (
    Array.isArray(o)
      ? o.slice()
      : Object.create(Object.getPrototypeOf(o), Object.getOwnPropertyDescriptors(o))
  ) as Record<string, unknown>;
}

export function redact<T>(value: T, tree: Redaction, censor: unknown): T {
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(obj)) {
    const exact = tree.children.get(key);
    const any = tree.any;
    if (!exact && !any) continue;
    const v = obj[key];
    if (v === undefined) continue;
    let next: unknown = v;
    if (exact?.end || any?.end) next = censor;
    else if (v !== null && typeof v === "object") {
      if (exact) next = redact(next, exact, censor);
      if (any) next = redact(next, any, censor);
    }
    if (next !== v) {
      out ??= copyOf(obj);
      Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
    }
  }
  return (out ?? obj) as T;
}
