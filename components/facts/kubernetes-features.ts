// What the library renders into a cluster that an older API server would silently drop, and the
// first Kubernetes minor that honours it with its feature gates at their defaults. An API server
// that does not know a field prunes it and admits the object, so a Job without its pod failure
// policy counts a node drain as its failure, and spread constraints lose their per-rollout keys,
// with no error anywhere. The cloud clusters' versions come from the EKS and AKS tables (1.31 and later); an
// existing on-premises cluster states its own (onprem.cluster.kubernetesVersion).
// Read in kubernetes/kubernetes pkg/features/kube_features.go (the versioned gate specs) and in
// Kueue's installation guide.

/** When a rendered feature applies to a cluster. */
export type FeatureScope =
  /** Every cluster the library renders workloads, queues or copies into. */
  | "always"
  /** A cluster that manages MultiKueue: its Job controller must leave dispatched Jobs alone. */
  | "multikueue-manager";

/** One feature the rendered objects rely on. */
export interface RenderedFeature {
  /** The feature gate (or the component) that provides it. */
  gate: string;
  /** What the library renders that needs it, and what is lost without it. */
  uses: string;
  /** The first minor on which it works with default gates. */
  since: string;
  scope: FeatureScope;
}

export const RENDERED_FEATURES: readonly RenderedFeature[] = [
  {
    gate: "JobPodFailurePolicy",
    uses: "Jobs' podFailurePolicy (a drain or spot reclaim does not count as a failure: without it a training Job, which allows none, fails on the first drain)",
    since: "1.26",
    scope: "always",
  },
  {
    gate: "MinDomainsInPodTopologySpread",
    uses: "topology spread minDomains (a service's replicas wait for a second node rather than share one)",
    since: "1.27",
    scope: "always",
  },
  {
    gate: "MatchLabelKeysInPodTopologySpread",
    uses: "topology spread matchLabelKeys (each rollout spread on its own)",
    since: "1.27",
    scope: "always",
  },
  {
    gate: "PDBUnhealthyPodEvictionPolicy",
    uses: "PodDisruptionBudgets' unhealthyPodEvictionPolicy (a drain may evict pods that never became ready)",
    since: "1.27",
    scope: "always",
  },
  {
    gate: "Kueue v0.19",
    uses: "Kueue, which queues every placed Job (its installation guide asks for 1.29 or newer)",
    since: "1.29",
    scope: "always",
  },
  {
    gate: "JobManagedBy",
    uses: "Jobs' spec.managedBy, which MultiKueue sets on the Jobs it dispatches to a worker (without it the manager runs them too)",
    since: "1.32",
    scope: "multikueue-manager",
  },
];

/** The minor as a number pair, compared component-wise. */
function minorOf(version: string): [number, number] {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return [major, minor];
}

/** Whether minor version `a` is older than `b` ("1.9" < "1.27"). */
export function kubernetesOlder(a: string, b: string): boolean {
  const [am, an] = minorOf(a);
  const [bm, bn] = minorOf(b);
  return am < bm || (am === bm && an < bn);
}

/** The features a cluster in `scopes` relies on that `version` does not provide, oldest need first. */
export function missingFeatures(version: string, scopes: readonly FeatureScope[]): RenderedFeature[] {
  return RENDERED_FEATURES.filter((f) => scopes.includes(f.scope) && kubernetesOlder(version, f.since));
}

/** The oldest minor that provides every feature a cluster in `scopes` relies on. */
export function kubernetesFloor(scopes: readonly FeatureScope[]): string {
  return RENDERED_FEATURES.filter((f) => scopes.includes(f.scope))
    .map((f) => f.since)
    .reduce((a, b) => (kubernetesOlder(a, b) ? b : a), "1.0");
}
