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
import { get, list, type Props, stringMap, strings } from "./values";

export const CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

const rank = (c: string | undefined) => (c ? CLASSIFICATIONS.indexOf(c.toLowerCase() as Classification) : -1);

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

/**
 * Which namespace an object lives in, as an identity unique across clusters: the Namespace
 * resource it depends on (the library's objects all do), else the one Namespace of that name in
 * its cluster (by provider), else its cluster and the name. Names alone never join two clusters.
 */
export function namespaceIdentity(r: StackResource, namespaces: readonly StackResource[]): string {
  if (r.type === NAMESPACE) return r.urn;
  const name = namespaceName(r);
  const named = namespaces.filter((n) => get(n.props, "metadata.name") === name);
  const depended = named.filter((n) => r.dependencies.includes(n));
  if (depended.length === 1 && depended[0]) return depended[0].urn;
  const inCluster = named.filter((n) => clusterOf(n) === clusterOf(r));
  if (inCluster.length === 1 && inCluster[0]) return inCluster[0].urn;
  return `${clusterOf(r)}\u0000${name}`;
}

/** The Namespace resources of a stack. */
export const namespacesOf = (resources: readonly StackResource[]) =>
  resources.filter((r) => r.type === NAMESPACE);

/** Each declared namespace's classification (from its own label), by namespace identity. */
export function namespaceClassifications(resources: readonly StackResource[]): Map<string, Classification> {
  const out = new Map<string, Classification>();
  for (const ns of namespacesOf(resources)) {
    const level = higher(
      stringMap(get(ns.props, "metadata.labels"))[LIBRARY.labels.classification],
      undefined,
    );
    if (level) out.set(ns.urn, level);
  }
  return out;
}
