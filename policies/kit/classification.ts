// Data classification as the placement model records it, read from every record a workload
// carries (the label on the object and its pod template, the placement annotation) and from its
// namespace, so a workload cannot lower its classification by leaving one record out; and where
// it runs, read from every sign of a public target (the trust annotation, and the node selector
// or required node affinity on the pools' trust label).
import { LIBRARY } from "../facts";
import type { PodView } from "./pods";
import type { StackResource } from "./rule";
import { clusterOf } from "./stack";
import { k8s } from "./types";
import { get, isUnknown, list, type Props, stringMap, strings } from "./values";

/** The placement model's classifications, lowest to highest (the library's, vendored). */
export const CLASSIFICATIONS: readonly string[] = LIBRARY.classifications;
/** One of `CLASSIFICATIONS`. */
export type Classification = string;

const rank = (c: string | undefined) => (c ? CLASSIFICATIONS.indexOf(c.toLowerCase()) : -1);

/**
 * Whether data of this classification may ever run on a public target: placement's one rule
 * (components/placement's trust filter), vendored as a table. A level the table does not know
 * may not.
 */
export function mayRunOnPublic(level: Classification): boolean {
  return (LIBRARY.mayRunOnPublic as Record<string, boolean | undefined>)[level] === true;
}

/** The higher of two classifications (undefined when neither is one). */
export function higher(a: string | undefined, b: string | undefined): Classification | undefined {
  const r = Math.max(rank(a), rank(b));
  return r < 0 ? undefined : CLASSIFICATIONS[r];
}

/** A workload's classification: the highest its label (object or template) or placement annotation records. */
export function workloadClassification(props: Props, pod: PodView): Classification | undefined {
  const labels = { ...stringMap(get(props, "metadata.labels")), ...stringMap(pod.metadata.labels) };
  const annotations = {
    ...stringMap(get(props, "metadata.annotations")),
    ...stringMap(pod.metadata.annotations),
  };
  return higher(labels[LIBRARY.labels.classification], annotations[LIBRARY.annotations.classification]);
}

/** Where a workload says it runs: its recorded target and trust, and the trust its node selection demands. */
export function placementOf(props: Props, pod: PodView) {
  const annotations = {
    ...stringMap(get(props, "metadata.annotations")),
    ...stringMap(pod.metadata.annotations),
  };
  const trustLabel = LIBRARY.labels.trust;
  const selected = stringMap(pod.spec.nodeSelector)[trustLabel];
  const affinity = list(
    get(pod.spec, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"),
  )
    .flatMap((t) => list(get(t, "matchExpressions")))
    .filter((e) => get(e, "key") === trustLabel && get(e, "operator") === "In")
    .flatMap((e) => strings(get(e, "values")));
  return {
    target: annotations[LIBRARY.annotations.target],
    trust: annotations[LIBRARY.annotations.trust],
    /** Trust values its node selection allows (empty: any node). */
    nodeTrust: [...(selected ? [selected] : []), ...affinity],
  };
}

/** Whether anything about a placement says it lands on a public target. */
export function onPublicTarget(p: ReturnType<typeof placementOf>): string | undefined {
  if (p.trust !== undefined && p.trust.toLowerCase() !== "private")
    return `its placement records trust ${p.trust} (target ${p.target ?? "unknown"})`;
  const publicNodes = p.nodeTrust.filter((t) => t.toLowerCase() !== "private");
  if (publicNodes.length > 0)
    return `its node selection admits ${LIBRARY.labels.trust}=${publicNodes.join(", ")}`;
  return undefined;
}

const NAMESPACE = k8s("core", "Namespace");

/** The namespace a namespaced object names (unset: default). */
export function namespaceName(r: StackResource): string {
  const ns = get(r.props, "metadata.namespace");
  return typeof ns === "string" && ns !== "" ? ns : "default";
}

/** The identity `namespaceIdentity` gives an object whose namespace is not known yet. */
export const UNKNOWN_NAMESPACE = "\u0000namespace not known yet";

const nameOf = (n: StackResource) => get(n.props, "metadata.name");

/** Whether two objects may be in one cluster: the same provider, or one of them names none. */
const sameCluster = (a: StackResource, b: StackResource) =>
  a.provider === undefined || b.provider === undefined || clusterOf(a) === clusterOf(b);

/**
 * The identity of a Namespace resource: the first (a Namespace before a `NamespacePatch`) of
 * those of its name on its provider, so a patch and the Namespace it patches are one namespace;
 * its own URN while its name is not known, or when no provider says which cluster it is in (a
 * plan document may leave providers out, and then its dependencies tell clusters apart).
 */
function namespaceKey(n: StackResource, namespaces: readonly StackResource[]): string {
  const name = nameOf(n);
  if (typeof name !== "string" || n.provider === undefined) return n.urn;
  const same = byClusterAndName(namespaces, clusterOf(n), name).filter((m) => m.provider !== undefined);
  return (same.find((m) => !m.patch) ?? same[0] ?? n).urn;
}

// Every object asks for its namespace's identity, and each rule that groups by namespace asks
// again: scanning the stack's namespaces per question made a 20-cluster fleet's check quadratic.
// The namespaces of a stack are one array per request, so the index lives as long as it does.
const namespaceIndexes = new WeakMap<readonly StackResource[], Map<string, StackResource[]>>();

/** The namespaces (in stack order) of this name in this cluster, by `clusterOf`. */
function byClusterAndName(
  namespaces: readonly StackResource[],
  cluster: string,
  name: string,
): readonly StackResource[] {
  let index = namespaceIndexes.get(namespaces);
  if (!index) {
    index = new Map();
    for (const m of namespaces) {
      const mName = nameOf(m);
      if (typeof mName !== "string") continue;
      const key = `${clusterOf(m)}\u0000${mName}`;
      const found = index.get(key);
      if (found) found.push(m);
      else index.set(key, [m]);
    }
    namespaceIndexes.set(namespaces, index);
  }
  return index.get(`${cluster}\u0000${name}`) ?? [];
}

/**
 * Which namespace an object lives in, as an identity unique across clusters (for a Namespace, see
 * `namespaceKey`). Its namespace's name (unset: default) picks, in order: a Namespace of that name
 * its metadata was computed from or it depends on (the library's objects all do), in its cluster;
 * the Namespace of that name in its cluster (by provider); a Namespace whose name is not known yet
 * that its metadata was computed from (or, when the engine does not say, it depends on); else its
 * cluster and the name. Names alone never join two
 * clusters. While its own namespace is not known, the one Namespace its metadata was computed from
 * (or it depends on) says which, and without one the identity is `UNKNOWN_NAMESPACE`.
 */
export function namespaceIdentity(r: StackResource, namespaces: readonly StackResource[]): string {
  if (r.type === NAMESPACE) return namespaceKey(r, namespaces);
  const fromMetadata = (r.propertyDependencies.metadata ?? []).filter((d) => d.type === NAMESPACE);
  const linked = (
    fromMetadata.length > 0 ? fromMetadata : r.dependencies.filter((d) => d.type === NAMESPACE)
  ).filter((n) => sameCluster(n, r));
  const keys = (ns: readonly StackResource[]) => [...new Set(ns.map((n) => namespaceKey(n, namespaces)))];
  const own = get(r.props, "metadata.namespace");
  if (isUnknown(own)) {
    const candidates = keys(linked);
    return candidates.length === 1 && candidates[0] ? candidates[0] : UNKNOWN_NAMESPACE;
  }
  const name = namespaceName(r);
  for (const found of [
    linked.filter((n) => nameOf(n) === name),
    byClusterAndName(namespaces, clusterOf(r), name),
    linked.filter((n) => isUnknown(nameOf(n))),
  ]) {
    const candidates = keys(found);
    if (candidates.length === 1 && candidates[0]) return candidates[0];
  }
  return `${clusterOf(r)}\u0000${name}`;
}

/** Each namespace identity of the stack and the resource that stands for it (a Namespace before a patch). */
export function namespaceAnchors(namespaces: readonly StackResource[]): Map<string, StackResource> {
  const out = new Map<string, StackResource>();
  for (const n of namespaces) {
    const id = namespaceIdentity(n, namespaces);
    const seen = out.get(id);
    if (!seen || (seen.patch && !n.patch)) out.set(id, n);
  }
  return out;
}

/** The Namespace resources of a stack. */
export const namespacesOf = (resources: readonly StackResource[]) =>
  resources.filter((r) => r.type === NAMESPACE);

/**
 * Each declared namespace's classification, by namespace identity: the highest its Namespace
 * and any patch of it label it.
 */
export function namespaceClassifications(resources: readonly StackResource[]): Map<string, Classification> {
  const out = new Map<string, Classification>();
  const namespaces = namespacesOf(resources);
  for (const ns of namespaces) {
    const id = namespaceIdentity(ns, namespaces);
    const level = higher(
      stringMap(get(ns.props, "metadata.labels"))[LIBRARY.labels.classification],
      out.get(id),
    );
    if (level) out.set(id, level);
  }
  return out;
}
