// Reading a resource's inputs as the analyzer hands them over: plain JSON, secrets unwrapped, and,
// during a preview, values that depend on resources not yet created left as unknowns. Every rule
// reads through these helpers, so an unknown is never mistaken for "unset" (which for most inputs
// means the provider's weak default) and a value's spelling never decides a verdict.

/** A resource's inputs. */
export type Props = Record<string, unknown>;

/** A value known only after the update (an id, an ARN, a JSON document built from them). */
export class Unknown {
  toString(): string {
    return "(known after apply)";
  }
  toJSON(): string {
    return "(known after apply)";
  }
}

/** The one unknown value: sentinels the engine sends are revived as this. */
export const UNKNOWN: Unknown = Object.freeze(new Unknown());

/**
 * The sentinels the engine and the policy SDK write for unknown values, one per kind of value
 * (`@pulumi/policy`'s proxy.js, the same strings as `@pulumi/pulumi`'s runtime).
 */
const SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (and the engine's generic unknown)
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The sentinel the SDK's `UnknownValueError` takes for any unknown. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

/** Whether `value` is, or holds anywhere inside it, an unknown. */
export function containsUnknown(value: unknown): boolean {
  if (value instanceof Unknown) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** The SDK hands rules a proxy that throws on unknowns; this key returns what it wraps. */
const PROXY_TARGET = "__getSpecialProxyTarget";

/** What `revive` made of each input object the SDK handed over (through its proxy), by that object. */
const revived = new WeakMap<object, unknown>();

/**
 * The inputs as plain data with every unknown sentinel turned into `UNKNOWN`: what the SDK's
 * throwing proxy wraps, copied (a shared input object is never changed). The SDK's inputs are
 * revived once and shared, frozen, by every rule that reads them (decode-once.ts gives every
 * policy of a request the same decoded object).
 */
export function revive(value: unknown): unknown {
  if (value === null || typeof value !== "object") return reviveValue(value);
  const target = (value as Record<string, unknown>)[PROXY_TARGET];
  if (target === undefined || target === null || typeof target !== "object") return reviveValue(value);
  const seen = revived.get(target);
  if (seen !== undefined) return seen;
  const out = deepFreeze(reviveValue(target));
  revived.set(target, out);
  return out;
}

function reviveValue(value: unknown): unknown {
  if (typeof value === "string") return SENTINELS.has(value) ? UNKNOWN : value;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(reviveValue);
  const out: Props = {};
  for (const [k, v] of Object.entries(value as Props)) out[k] = reviveValue(v);
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}

/**
 * The value at a dotted path (`vpcConfig.endpointPublicAccess`), `UNKNOWN` when the path runs
 * through an unknown, undefined when absent.
 */
export function get(value: unknown, path: string): unknown {
  let at: unknown = value;
  for (const key of path.split(".")) {
    if (at instanceof Unknown) return UNKNOWN;
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Props)[key];
  }
  return at;
}

/** `value` as an array: absent is empty, a single value a one-element list, unknown `[UNKNOWN]`. */
export function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

/** The strings of `value` (a string or a list), dropping anything else (unknowns included). */
export function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === "string");
}

/** An object's entries, or none (unknowns and non-objects included). */
export function entries(value: unknown): [string, unknown][] {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Unknown)
    ? Object.entries(value as Props)
    : [];
}

/** True for `true` and `"true"` in any case (providers pass some booleans as strings). */
export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === "string" && value.toLowerCase() === "true");
}

/** True for `false` and `"false"` in any case. */
export function isFalse(value: unknown): boolean {
  return value === false || (typeof value === "string" && value.toLowerCase() === "false");
}

/** Absent: undefined or null (an unknown is not absent). */
export function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/**
 * An enum value's spelling-free form: lower case, without `_`, `-`, spaces and dots. Providers
 * accept several spellings of one value (`Tcp`, `TCP`, `tcp`; `NO_SCHEDULE`, `NoSchedule`;
 * `AES256-GCM-16`, `aes256gcm16`), and a rule must judge the value, not its spelling.
 */
export function token(value: unknown): string {
  return typeof value === "string" ? value.toLowerCase().replace(/[\s_.-]/g, "") : "";
}

/** Whether `value` is one of `options`, whatever its spelling. */
export function oneOf(value: unknown, ...options: readonly string[]): boolean {
  const t = token(value);
  return t !== "" && options.some((o) => token(o) === t);
}

/** A number from a number or a numeric string, else undefined. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** How a value reads in a message: its JSON, `unset`, or the known-after-apply marker. */
export function show(value: unknown, unsetMeans?: string): string {
  if (value === undefined || value === null)
    return unsetMeans === undefined ? "unset" : `unset (${unsetMeans})`;
  return JSON.stringify(value);
}

/** A string map (labels, tags, annotations), dropping non-string values. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}
