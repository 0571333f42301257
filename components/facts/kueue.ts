// Kueue facts both phases and the policy pack read: the pinned release, the names its objects must
// keep (its certificate rotator and webhooks find each other by them), and the labels a Job is
// submitted with. Read in Kueue's source at tag v0.19.2 (commit 8eab68778fc1b52affe165fdf5af29d1e9b4f3cb).

/** The Kueue release the library installs; its CRDs are vendored under test/crds/kueue/<version>. */
export const KUEUE_VERSION = "v0.19.2";

/** The release's only image (registry.k8s.io, which ECR and ACR pull-through caches can mirror). */
export const KUEUE_IMAGE = `registry.k8s.io/kueue/kueue:${KUEUE_VERSION}`;

/** The API group and the version the library writes (v1beta2: served since v0.15, stored since v0.16). */
export const KUEUE_API_GROUP = "kueue.x-k8s.io";
export const KUEUE_API_VERSION = `${KUEUE_API_GROUP}/v1beta2`;

/**
 * The oldest Kueue an existing installation may run for the library's objects: v1beta2 is the
 * storage version from v0.16 on, and MultiKueueCluster's `clusterSource` exists from then.
 */
export const KUEUE_MINIMUM_EXISTING = "v0.16.0";

/**
 * Names fixed by Kueue's defaults: the internal certificate rotator updates the Secret (it never
 * creates it) and injects the CA into the webhook configurations named after the webhook Service,
 * and into the CRDs' conversion webhooks.
 */
export const KUEUE_NAMES = {
  namespace: "kueue-system",
  serviceAccount: "kueue-controller-manager",
  deployment: "kueue-controller-manager",
  configMap: "kueue-manager-config",
  configKey: "controller_manager_config.yaml",
  webhookService: "kueue-webhook-service",
  webhookSecret: "kueue-webhook-server-cert",
  metricsService: "kueue-controller-manager-metrics-service",
  mutatingWebhook: "kueue-mutating-webhook-configuration",
  validatingWebhook: "kueue-validating-webhook-configuration",
  leaderElectionId: "c1f6bfd2.kueue.x-k8s.io",
} as const;

/** Labels a Job carries to be queued (pkg/controller/constants/constants.go). */
export const KUEUE_LABELS = {
  /** The LocalQueue; the Job webhook suspends a Job that names one until Kueue admits it. */
  queueName: "kueue.x-k8s.io/queue-name",
  /** The WorkloadPriorityClass; mutable, so relabelling re-prioritises a queued Job. */
  priorityClass: "kueue.x-k8s.io/priority-class",
} as const;

/**
 * The LocalQueue name Kueue's Job webhook defaults an unlabelled Job to, when a LocalQueue of
 * that name exists in its namespace (jobframework/defaults.go, `DefaultLocalQueueName`).
 */
export const KUEUE_DEFAULT_LOCAL_QUEUE = "default";

/** The admission-check controller of MultiKueue, and the `managedBy` it sets on dispatched Jobs. */
export const MULTIKUEUE_CONTROLLER = "kueue.x-k8s.io/multikueue";

/** Where MultiKueue reads a worker's kubeconfig: a Secret in Kueue's namespace, under this key. */
export const MULTIKUEUE_KUBECONFIG_KEY = "kubeconfig";

/** The resources every ClusterQueue covers, in this order (Kueue's webhook checks each flavor's order). */
export const KUEUE_RESOURCES = ["cpu", "memory", "nvidia.com/gpu"] as const;

/** Kueue's preemption vocabulary (ClusterQueue `spec.preemption`). */
export const KUEUE_PREEMPTION = {
  withinClusterQueue: ["Never", "LowerPriority", "LowerOrNewerEqualPriority"],
  reclaimWithinCohort: ["Never", "LowerPriority", "Any"],
  borrowWithinCohort: ["Never", "LowerPriority"],
} as const;

/** ClusterQueue `spec.queueingStrategy`. */
export const KUEUE_QUEUEING_STRATEGIES = ["BestEffortFIFO", "StrictFIFO"] as const;

/** WorkloadPriorityClass `value` is an int32. */
export const KUEUE_PRIORITY_RANGE = { min: -(2 ** 31), max: 2 ** 31 - 1 } as const;

/** Whether `version` (vX.Y.Z) is at least `minimum`. */
export function kueueVersionAtLeast(version: string, minimum: string = KUEUE_MINIMUM_EXISTING): boolean {
  const parse = (v: string) => (v.match(/^v?(\d+)\.(\d+)\.(\d+)/) ?? []).slice(1).map(Number);
  const [a, b] = [parse(version), parse(minimum)];
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? -1;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}
