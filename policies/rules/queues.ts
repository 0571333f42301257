// Queues (Kueue): a batch Job where queues exist waits its turn in one, and restricted data is never
// handed to a queue that dispatches to another cluster (MultiKueue bursting).
import type { PolicyResource } from "@pulumi/policy";
import { KUEUE_LABELS, MULTIKUEUE_CONTROLLER } from "../../components/facts";
import { mayRunOnPublic } from "../../components/placement";
import { get, type Props, stackRule } from "./kit";
import { CLASSIFICATION_LABEL } from "./kubernetes";

const JOB = "kubernetes:batch/v1:Job";
const KUEUE = "kubernetes:kueue.x-k8s.io/v1beta2:";

/** The cluster a resource is applied to (its provider), when the engine says. */
function clusterOf(r: PolicyResource): string {
  return r.provider?.urn ?? "";
}

function labels(props: Props): Record<string, string> {
  return (get(props, "metadata.labels") as Record<string, string> | undefined) ?? {};
}

function meta(r: PolicyResource): { name: string; namespace: string } {
  return {
    name: String(get(r.props, "metadata.name") ?? ""),
    namespace: String(get(r.props, "metadata.namespace") ?? "default"),
  };
}

export const queuesBatchJobsQueued = stackRule({
  name: "queues-batch-jobs-queued",
  description:
    "A Job in a namespace that has a Kueue LocalQueue names one (kueue.x-k8s.io/queue-name): it waits its turn by priority within the team's quota instead of starting on capacity placement gave others.",
  remediation:
    "Submit the Job to its namespace's LocalQueue: label it kueue.x-k8s.io/queue-name: default (PlacedWorkloads with queues does), or let Kueue's webhook default it, which it does for Jobs created after the LocalQueue named default.",
  benchmarks: ["hybrid-ai-infra:queues"],
  enforcementLevel: "mandatory",
  check: (resources, _config, report) => {
    const queued = new Set(
      resources
        .filter((r) => r.type === `${KUEUE}LocalQueue`)
        .map((r) => `${clusterOf(r)}|${meta(r).namespace}`),
    );
    for (const job of resources.filter((r) => r.type === JOB)) {
      const { namespace, name } = meta(job);
      if (!queued.has(`${clusterOf(job)}|${namespace}`)) continue;
      if (!labels(job.props)[KUEUE_LABELS.queueName])
        report(
          `Job ${namespace}/${name} names no LocalQueue (${KUEUE_LABELS.queueName}) in a namespace that has one; it would start without waiting for quota`,
          job.urn,
        );
    }
  },
});

export const queuesRestrictedNeverBursts = stackRule({
  name: "queues-restricted-never-bursts",
  description:
    "A Job labelled with restricted data is never submitted to a LocalQueue whose ClusterQueue dispatches through MultiKueue: restricted data runs only on private targets, and bursting sends Jobs to other clusters.",
  remediation:
    "Submit restricted Jobs to their namespace's local queue (default) and remove burst from the workload; the catalog refuses burst on restricted data.",
  benchmarks: ["hybrid-ai-infra:placement", "hybrid-ai-infra:queues"],
  enforcementLevel: "mandatory",
  check: (resources, _config, report) => {
    const of = (kind: string) => resources.filter((r) => r.type === `${KUEUE}${kind}`);
    const multiKueueChecks = new Set(
      of("AdmissionCheck")
        .filter((r) => get(r.props, "spec.controllerName") === MULTIKUEUE_CONTROLLER)
        .map((r) => `${clusterOf(r)}|${meta(r).name}`),
    );
    const dispatching = new Set(
      of("ClusterQueue")
        .filter((r) =>
          ((get(r.props, "spec.admissionChecksStrategy.admissionChecks") ?? []) as { name?: string }[]).some(
            (c) => multiKueueChecks.has(`${clusterOf(r)}|${String(c.name)}`),
          ),
        )
        .map((r) => `${clusterOf(r)}|${meta(r).name}`),
    );
    const burstQueues = new Set(
      of("LocalQueue")
        .filter((r) => dispatching.has(`${clusterOf(r)}|${String(get(r.props, "spec.clusterQueue"))}`))
        .map((r) => `${clusterOf(r)}|${meta(r).namespace}|${meta(r).name}`),
    );
    for (const job of resources.filter((r) => r.type === JOB)) {
      const level =
        labels(get(job.props, "spec.template") as Props)[CLASSIFICATION_LABEL] ??
        labels(job.props)[CLASSIFICATION_LABEL];
      // The one definition of where data may go (placement's trust rule).
      if (level === undefined || mayRunOnPublic(level)) continue;
      const { namespace, name } = meta(job);
      const queue = labels(job.props)[KUEUE_LABELS.queueName];
      if (queue && burstQueues.has(`${clusterOf(job)}|${namespace}|${queue}`))
        report(
          `Job ${namespace}/${name} holds ${level} data and is submitted to LocalQueue ${queue}, which dispatches to other clusters (MultiKueue); ${level} data runs only on private targets`,
          job.urn,
        );
    }
  },
});

export const QUEUE_RULES = [queuesBatchJobsQueued, queuesRestrictedNeverBursts];
