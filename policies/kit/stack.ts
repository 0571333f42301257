// How stack rules tie resources together without trusting names: an input that names the other
// resource (its name, id or ARN, when known), else the engine's record of which resources an
// input was computed from, else the resource's dependencies. During a preview the names are
// unknown for new resources, and the dependencies still say which bucket a companion configures.
import type { StackResource } from "./rule";
import { get, isUnknown } from "./values";

/** Whether `value` names `id`: equal, or an ARN / ARM id / path that ends with it. */
export function names(value: unknown, id: string): boolean {
  if (typeof value !== "string" || id === "") return false;
  const v = value.toLowerCase();
  const i = id.toLowerCase();
  return v === i || v.endsWith(`/${i}`) || v.endsWith(`:${i}`);
}

/**
 * Whether `from`'s input `field` refers to `to`, whose identifiers (name, id, ARN) `ids` reads
 * from its inputs.
 */
export function refersTo(
  from: StackResource,
  field: string,
  to: StackResource,
  ids: (r: StackResource) => unknown[],
): boolean {
  const value = get(from.props, field);
  const known = ids(to).filter((id): id is string => typeof id === "string" && id !== "");
  if (!isUnknown(value) && known.some((id) => names(value, id))) return true;
  const top = field.split(".")[0] ?? field;
  const computedFrom = from.propertyDependencies[top];
  if (computedFrom && computedFrom.length > 0) return computedFrom.includes(to);
  return from.dependencies.includes(to);
}

/**
 * Whether `from`'s `field` may still turn out to name `to`: it does, or it is not known yet and
 * nothing links it to any of `candidates` (it may be computed from something outside the stack).
 */
export function mayReferTo(
  from: StackResource,
  field: string,
  to: StackResource,
  candidates: readonly StackResource[],
  ids: (r: StackResource) => unknown[],
): boolean {
  if (refersTo(from, field, to, ids)) return true;
  return isUnknown(get(from.props, field)) && !candidates.some((c) => refersTo(from, field, c, ids));
}

/** The resources among `candidates` that `from`'s `field` refers to. */
export function referenced(
  from: StackResource,
  field: string,
  candidates: readonly StackResource[],
  ids: (r: StackResource) => unknown[],
): StackResource[] {
  return candidates.filter((c) => refersTo(from, field, c, ids));
}

/** Which cluster a Kubernetes object lives in: its provider, or the ambient default one. */
export function clusterOf(r: StackResource): string {
  return r.provider?.split("::").slice(0, 4).join("::") ?? "default provider";
}
