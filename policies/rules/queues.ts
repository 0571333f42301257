// Queues (Kueue): a batch Job where queues exist waits its turn in one, and data that may never run
// on a public target is never handed to a queue that dispatches to other clusters (MultiKueue
// bursting). Queues, Jobs and namespaces are matched per cluster and by namespace identity, the
// queue a Job lands in is read as Kueue reads it (its queue-name label, else the namespace's
// LocalQueue named default, which Kueue's webhook defaults it to), a ClusterQueue's admission
// checks in both API versions' spellings, and the classification from every record a Job carries
// and its namespace's label.
import {
  clusterOf,
  family,
  get,
  higher,
  isUnknown,
  k8s,
  LIBRARY,
  list,
  mayRunOnPublic,
  namespaceClassifications,
  namespaceIdentity,
  namespaceName,
  namespacesOf,
  podOf,
  type StackContext,
  type StackResource,
  stackRule,
  UNKNOWN,
  UNKNOWN_NAMESPACE,
  workloadClassification,
} from "../kit";

const JOB = k8s("batch", "Job");
const CRON_JOB = k8s("batch", "CronJob");
const LOCAL_QUEUE = k8s("kueue.x-k8s.io", "LocalQueue");
const CLUSTER_QUEUE = k8s("kueue.x-k8s.io", "ClusterQueue");
const ADMISSION_CHECK = k8s("kueue.x-k8s.io", "AdmissionCheck");

/** Where each kind keeps the labels of the Jobs it makes (a CronJob's go on its job template). */
const JOB_LABELS: Readonly<Record<string, string>> = {
  [JOB]: "metadata.labels",
  [CRON_JOB]: "spec.jobTemplate.metadata.labels",
};

/** The queue-name label of the Jobs `r` makes: a name, undefined when unset, or `UNKNOWN`. */
function queueLabel(r: StackResource): string | undefined | typeof UNKNOWN {
  const labels = get(r.props, JOB_LABELS[r.type] ?? "metadata.labels");
  if (isUnknown(labels)) return UNKNOWN;
  const value =
    labels !== null && typeof labels === "object"
      ? (labels as Record<string, unknown>)[LIBRARY.kueue.queueLabel]
      : undefined;
  if (isUnknown(value)) return UNKNOWN;
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The metadata.name of a resource, when known. */
const nameOf = (r: StackResource): unknown => get(r.props, "metadata.name");

/** The LocalQueues of the stack by namespace identity, and whether one is not placed yet. */
function localQueues(ctx: StackContext, namespaces: readonly StackResource[]) {
  const byNamespace = new Map<string, StackResource[]>();
  const pending: StackResource[] = [];
  for (const q of ctx.ofType(LOCAL_QUEUE)) {
    if (q.patch) continue;
    const id = namespaceIdentity(q, namespaces);
    if (id === UNKNOWN_NAMESPACE) pending.push(q);
    else byNamespace.set(id, [...(byNamespace.get(id) ?? []), q]);
  }
  return { byNamespace, pending };
}

/** The Jobs (and CronJobs, whose Jobs Kueue queues alike) a rule judges: not patches. */
const jobs = (ctx: StackContext) => ctx.ofType(JOB, CRON_JOB).filter((j) => !j.patch);

export const queuesBatchJobsQueued = stackRule({
  name: "queues-batch-jobs-queued",
  description:
    "A Job (or a CronJob's job template) in a namespace that has a Kueue LocalQueue, in the same cluster, names one (kueue.x-k8s.io/queue-name): it waits its turn by priority within the team's quota instead of starting on capacity placement gave others.",
  remediation:
    "Submit the Job to its namespace's LocalQueue: label it kueue.x-k8s.io/queue-name: default (PlacedWorkloads with queues does), or let Kueue's webhook default it, which it does for Jobs created after the LocalQueue named default.",
  benchmarks: ["hybrid-ai-infra:queues"],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    const namespaces = namespacesOf(ctx.resources);
    const { byNamespace, pending } = localQueues(ctx, namespaces);
    for (const job of jobs(ctx)) {
      const queue = queueLabel(job);
      if (queue !== undefined) {
        ctx.known(queue, `${job.name} ${LIBRARY.kueue.queueLabel}`);
        continue;
      }
      const id = namespaceIdentity(job, namespaces);
      const queued = byNamespace.has(id);
      if (!queued) {
        // A LocalQueue or a Job whose namespace is not known yet may share it.
        if (pending.some((q) => clusterOf(q) === clusterOf(job)) || id === UNKNOWN_NAMESPACE)
          ctx.known(UNKNOWN, `${job.name} namespace's queues`);
        continue;
      }
      ctx.report(
        `${job.type === CRON_JOB ? "CronJob" : "Job"} ${namespaceName(job)}/${String(nameOf(job) ?? job.name)} names no LocalQueue (${LIBRARY.kueue.queueLabel}) in a namespace that has one; it would start without waiting for quota`,
        job.urn,
      );
    }
  },
});

/** The names of a ClusterQueue's admission checks: v1beta2's strategy, and v1beta1's plain list too. */
function admissionChecks(cq: StackResource): unknown[] {
  const strategy = get(cq.props, "spec.admissionChecksStrategy.admissionChecks");
  const plain = get(cq.props, "spec.admissionChecks");
  return [
    ...(isUnknown(strategy)
      ? [UNKNOWN]
      : list(strategy).map((c) => (isUnknown(c) ? UNKNOWN : get(c, "name")))),
    ...(isUnknown(plain) ? [UNKNOWN] : list(plain)),
  ];
}

/** Per cluster and name, a cluster-scoped object: `cluster\0name`. */
const scoped = (r: StackResource, name: unknown) => `${clusterOf(r)}\u0000${String(name)}`;

export const queuesRestrictedNeverBursts = stackRule({
  name: "queues-restricted-never-bursts",
  description:
    "A Job (or CronJob) holding data that may never run on a public target (restricted: by its classification label on the object or pod template, its placement annotation, or its namespace's label) is never submitted to a LocalQueue whose ClusterQueue dispatches through MultiKueue, whether it names the queue or Kueue defaults it to the namespace's queue named default: bursting sends Jobs to other clusters.",
  remediation:
    "Submit restricted Jobs to a local queue of their namespace that does not burst, and point the namespace's default LocalQueue at one; remove burst from the workload (the catalog refuses burst on restricted data).",
  benchmarks: ["hybrid-ai-infra:placement", "hybrid-ai-infra:queues"],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    const namespaces = namespacesOf(ctx.resources);
    const multiKueue = new Set<string>();
    let checksPending = false;
    for (const ac of ctx.ofType(ADMISSION_CHECK)) {
      const controller = get(ac.props, "spec.controllerName");
      const name = nameOf(ac);
      if (isUnknown(controller) || isUnknown(name)) checksPending = true;
      else if (controller === LIBRARY.kueue.multiKueueController) multiKueue.add(scoped(ac, name));
    }
    // ClusterQueues (by cluster and name) whose admission checks include MultiKueue, or may: a
    // check not known yet, or a ClusterQueue whose name is not known yet (then any of its cluster).
    const dispatching = new Map<string, "yes" | "maybe">();
    const unnamed = new Set<string>();
    for (const cq of ctx.ofType(CLUSTER_QUEUE)) {
      const checks = admissionChecks(cq);
      const verdict = checks.some((c) => typeof c === "string" && multiKueue.has(scoped(cq, c)))
        ? "yes"
        : checks.some(isUnknown) || (checksPending && checks.length > 0)
          ? "maybe"
          : undefined;
      if (!verdict) continue;
      if (isUnknown(nameOf(cq))) unnamed.add(clusterOf(cq));
      else dispatching.set(scoped(cq, nameOf(cq)), verdict);
    }
    const { byNamespace, pending } = localQueues(ctx, namespaces);
    const levels = namespaceClassifications(ctx.resources);
    for (const job of jobs(ctx)) {
      const pod = podOf(job.type, job.props);
      if (!pod) continue;
      const id = namespaceIdentity(job, namespaces);
      const level = higher(workloadClassification(job.props, pod), levels.get(id));
      if (level === undefined || mayRunOnPublic(level)) continue;
      const labelled = queueLabel(job);
      if (!ctx.known(labelled, `${job.name} ${LIBRARY.kueue.queueLabel}`)) continue;
      // Kueue's webhook submits an unlabelled Job to the namespace's LocalQueue named default.
      const queueName = labelled ?? LIBRARY.kueue.defaultLocalQueue;
      const candidates = (byNamespace.get(id) ?? []).filter((q) => {
        const n = nameOf(q);
        return isUnknown(n) || n === queueName;
      });
      if (pending.some((q) => clusterOf(q) === clusterOf(job)))
        ctx.known(UNKNOWN, `LocalQueues of ${job.name}`);
      for (const q of candidates) {
        const cq = get(q.props, "spec.clusterQueue");
        // A queue not known yet may be any of its cluster's dispatching ones.
        const anyInCluster =
          unnamed.has(clusterOf(q)) ||
          [...dispatching.keys()].some((k) => k.startsWith(`${clusterOf(q)}\u0000`));
        const named = isUnknown(cq) ? undefined : dispatching.get(scoped(q, cq));
        const verdict =
          named ?? ((isUnknown(cq) && anyInCluster) || unnamed.has(clusterOf(q)) ? "maybe" : undefined);
        if (verdict === undefined) continue;
        if (verdict === "maybe" || isUnknown(nameOf(q))) {
          ctx.known(UNKNOWN, `${q.name} ClusterQueue's admission checks`);
          continue;
        }
        const how =
          labelled === undefined
            ? `defaulted by Kueue to LocalQueue ${queueName}`
            : `submitted to LocalQueue ${queueName}`;
        ctx.report(
          `${job.type === CRON_JOB ? "CronJob" : "Job"} ${namespaceName(job)}/${String(nameOf(job) ?? job.name)} holds ${level} data and is ${how}, which dispatches to other clusters (MultiKueue ClusterQueue ${String(cq)}); ${level} data runs only on private targets`,
          job.urn,
        );
      }
    }
  },
});

export const FAMILY = family("queues", "Queues (Kueue)", [
  queuesBatchJobsQueued,
  queuesRestrictedNeverBursts,
]);
