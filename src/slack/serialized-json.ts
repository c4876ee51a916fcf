// An ack body serialized once and reused: the receiver writes the stored JSON as is instead of
// stringifying a 2 KB card per request. It stays an ordinary object for everything else (Bolt's
// types, Socket Mode's own JSON.stringify), since the JSON hides under a symbol that
// JSON.stringify skips. The symbol is not enumerable, so a spread copy (`{ ...ack, more }`) does not
// carry JSON that no longer matches it; and the object is deeply frozen, so it cannot drift either.
import { deepFreeze } from "../core/freeze.js";

const JSON_TEXT = Symbol("serialized JSON");

type Serialized = { readonly [JSON_TEXT]: string };

export function serializeOnce<T extends object>(value: T): Readonly<T> {
  const json = JSON.stringify(value);
  return deepFreeze(Object.defineProperty({ ...value }, JSON_TEXT, { value: json, enumerable: false }));
}

/** The JSON stored by serializeOnce(), or undefined for any other value. */
export function serializedJson(value: unknown): string | undefined {
  return typeof value === "object" && value !== null && JSON_TEXT in value
    ? (value as Serialized)[JSON_TEXT]
    : undefined;
}
