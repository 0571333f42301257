// The placement model: a workload holding restricted data runs only on a private target, one
// holding confidential data only where the placement engine put it. Its classification is the
// highest of every record it carries (the label on the object and its pod template, the placement
// annotation) and of its namespace's label, per cluster, so leaving one record out lowers nothing;
// and any sign of a public target (the trust annotation, a node selector or required affinity on
// the pools' trust label) counts, so a private-looking annotation cannot hide public nodes.
import {
  type Classification,
  family,
  get,
  higher,
  LIBRARY,
  mayRunOnPublic,
  namespaceClassifications,
  namespaceIdentity,
  namespacesOf,
  onPublicTarget,
  POD_KINDS,
  type PodView,
  type Props,
  placementOf,
  podOf,
  resourceRule,
  stackRule,
  workloadClassification,
} from "../kit";

/** What is wrong with a workload of `level` placed as its inputs say, or undefined. */
function misplacement(
  props: Props,
  pod: PodView,
  level: Classification | undefined,
  because: string,
): string | undefined {
  if (level === undefined || (mayRunOnPublic(level) && level !== "confidential")) return undefined;
  const placement = placementOf(props, pod);
  if (placement.target === undefined || placement.trust === undefined)
    return `holds ${level} data (${because}) but carries no placement record (${LIBRARY.annotations.target}, ${LIBRARY.annotations.trust}); ${level} data runs only where the placement engine put it`;
  const publicSign = mayRunOnPublic(level) ? undefined : onPublicTarget(placement);
  if (publicSign)
    return `holds ${level} data (${because}) but ${publicSign}; ${level} data runs only on private targets`;
  return undefined;
}

/** How a workload's classification was read, for messages. */
function records(props: Props, pod: PodView): string {
  const labels = {
    ...((get(props, "metadata.labels") as Record<string, unknown>) ?? {}),
    ...((pod.metadata.labels as Record<string, unknown>) ?? {}),
  };
  const annotations = {
    ...((get(props, "metadata.annotations") as Record<string, unknown>) ?? {}),
    ...((pod.metadata.annotations as Record<string, unknown>) ?? {}),
  };
  return [
    labels[LIBRARY.labels.classification] !== undefined
      ? `label ${LIBRARY.labels.classification}=${String(labels[LIBRARY.labels.classification])}`
      : undefined,
    annotations[LIBRARY.annotations.classification] !== undefined
      ? `annotation ${LIBRARY.annotations.classification}=${String(annotations[LIBRARY.annotations.classification])}`
      : undefined,
  ]
    .filter((x): x is string => x !== undefined)
    .join(", ");
}

export const k8sPlacementAllowed = resourceRule({
  name: "k8s-placement-allowed",
  description:
    "A workload classified restricted or confidential (by its data-classification label on the object or pod template, or by its placement annotation: the highest counts) runs only where the placement engine put it: restricted data only on a private target (no public trust annotation, no node selection of public pools), confidential only with a recorded placement.",
  remediation:
    "Deploy the workload through the catalog (PlacedWorkloads), which places it by its classification and records placement.hybrid-ai-infra.io/target and /trust on its pods.",
  benchmarks: ["hybrid-ai-infra:placement"],
  enforcementLevel: "mandatory",
  types: POD_KINDS,
  check: (ctx) => {
    const pod = podOf(ctx.type, ctx.props);
    if (!pod) return;
    const metadata = [get(ctx.props, "metadata"), pod.metadata, pod.spec.nodeSelector, pod.spec.affinity];
    if (!ctx.known(metadata, "metadata, nodeSelector, affinity")) return;
    const level = workloadClassification(ctx.props, pod);
    const wrong = misplacement(ctx.props, pod, level, records(ctx.props, pod));
    if (wrong) ctx.report(wrong);
  },
});

export const k8sPlacementByNamespace = stackRule({
  name: "k8s-placement-by-namespace",
  description:
    "A workload in a namespace labelled restricted or confidential (in the same cluster) is held to its namespace's classification whatever its own records say: leaving the label off a pod in a restricted namespace does not make it public data.",
  remediation:
    "Deploy the namespace's workloads through the catalog, which places them by classification; or move a workload that holds no such data out of the namespace.",
  benchmarks: ["hybrid-ai-infra:placement", "hybrid-ai-infra:unclaimable-exemptions"],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    const levels = namespaceClassifications(ctx.resources);
    const namespaces = namespacesOf(ctx.resources);
    for (const r of ctx.resources) {
      if (!POD_KINDS.includes(r.type)) continue;
      const pod = podOf(r.type, r.props);
      if (!pod) continue;
      const ns = get(r.props, "metadata.namespace");
      if (!ctx.known([ns, r.props.metadata, pod.metadata, pod.spec.nodeSelector], `${r.name} metadata`))
        continue;
      const nsLevel = levels.get(namespaceIdentity(r, namespaces));
      const own = workloadClassification(r.props, pod);
      // The workload's own records are resource-rule business; here only what the namespace adds.
      if (!nsLevel || higher(own, nsLevel) === own) continue;
      const wrong = misplacement(r.props, pod, nsLevel, `namespace ${String(ns)} is labelled ${nsLevel}`);
      if (wrong) ctx.report(`${r.name} ${wrong}`, r.urn);
    }
  },
});

export const FAMILY = family("placement", "Placement", [k8sPlacementAllowed, k8sPlacementByNamespace]);
