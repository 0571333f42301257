// What every stack's queues must show: Kueue on every cluster, a ClusterQueue per workload namespace
// whose nominal quota per flavor is exactly what placement put there of the queued Jobs, every Job
// queued with a priority class of the catalog, restricted data never dispatched.
import { KUEUE_LABELS } from "../../components/facts";
import type { QueueSettings, WorkloadSpec } from "../../components/kubernetes";
import type { PlacementResult, Target } from "../../components/placement";
import type { PlanRun } from "../../scripts/plan/run";

type Json = Record<string, any>;

/** Millicores, MiB and GPUs of a Kueue quantity as the library writes it. */
function amount(resource: string, q: string): number {
  if (resource === "cpu") return q.endsWith("m") ? Number(q.slice(0, -1)) : Number(q) * 1000;
  if (resource === "memory") return q.endsWith("Gi") ? Number(q.slice(0, -2)) * 1024 : Number(q.slice(0, -2));
  return Number(q);
}

/** Every problem of the plan's queues (empty when all hold), and how many clusters were checked. */
export function queueProblems(plan: PlanRun): { clusters: number; problems: string[] } {
  const outputs = plan.outputs as {
    placementTargets: Target[];
    workloads?: { catalog: WorkloadSpec[]; decision: PlacementResult; queues?: QueueSettings };
  };
  const problems: string[] = [];
  const targets = outputs.placementTargets;
  const catalog = outputs.workloads?.catalog ?? [];
  const decision = outputs.workloads?.decision;
  const specs = new Map(catalog.map((w) => [w.name, w]));
  const of = (type: string, prefix: string) =>
    plan.resources.filter((r) => r.type === type && r.name.startsWith(prefix));
  for (const t of targets) {
    if (of("kubernetes:apps/v1:Deployment", `${t.name}-addons-kueue-`).length !== 1)
      problems.push(`${t.name}: no Kueue controller`);
    const flavors = of("kubernetes:kueue.x-k8s.io/v1beta2:ResourceFlavor", `workloads-${t.name}-`);
    for (const pool of t.pools)
      if (!flavors.some((f) => (f.plainInputs as Json).metadata.name === pool.name))
        problems.push(`${t.name}: no flavor ${pool.name}`);
    const queues = of("kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue", `workloads-${t.name}-`).filter(
      (q) => (q.plainInputs as Json).spec.cohortName === t.name,
    );
    if (queues.length === 0) problems.push(`${t.name}: no ClusterQueue`);
    for (const q of queues) {
      const spec = (q.plainInputs as Json).spec;
      const ns = spec.namespaceSelector.matchLabels["kubernetes.io/metadata.name"] as string;
      for (const f of spec.resourceGroups[0].flavors as Json[]) {
        const placed = { cpu: 0, memory: 0, "nvidia.com/gpu": 0 };
        for (const a of decision?.assignments ?? []) {
          const w = specs.get(a.workload);
          if (!w || a.target !== t.name || a.pool !== f.name || (w.namespace ?? w.owner) !== ns) continue;
          if (w.kind !== "batch" && w.kind !== "training") continue;
          placed.cpu += Math.ceil(w.cpu * 1000) * a.replicas;
          placed.memory += Math.ceil(w.memoryGiB * 1024) * a.replicas;
          placed["nvidia.com/gpu"] += (w.gpu?.count ?? 0) * a.replicas;
        }
        for (const r of f.resources as { name: keyof typeof placed; nominalQuota: string }[])
          if (amount(r.name, r.nominalQuota) !== placed[r.name])
            problems.push(
              `${t.name}/${ns}/${f.name}: ${r.name} quota ${r.nominalQuota}, placement put ${placed[r.name]}`,
            );
      }
    }
  }
  const classes = new Map(
    plan.resources
      .filter((r) => r.type === "kubernetes:kueue.x-k8s.io/v1beta2:WorkloadPriorityClass")
      .map((r) => [(r.plainInputs as Json).metadata.name as string, (r.plainInputs as Json).value as number]),
  );
  for (const job of plan.resources.filter((r) => r.type === "kubernetes:batch/v1:Job")) {
    const labels = (job.plainInputs as Json).metadata.labels ?? {};
    // A data copy (a staging's first Job) is the platform's, not the catalog's: it runs in the
    // copies' namespace under its own quota, outside the workloads' queues.
    if (labels["hybrid-ai-infra.io/data-copy"]) continue;
    const w = specs.get(labels["hybrid-ai-infra.io/workload"]);
    if (!labels[KUEUE_LABELS.queueName]) problems.push(`${job.name}: not queued`);
    const value = classes.get(labels[KUEUE_LABELS.priorityClass]);
    if (value === undefined || value !== (w?.priority ?? 0))
      problems.push(
        `${job.name}: priority class ${labels[KUEUE_LABELS.priorityClass]} is not the catalog's ${w?.priority ?? 0}`,
      );
    if (w?.classification === "restricted" && String(labels[KUEUE_LABELS.queueName]).startsWith("burst"))
      problems.push(`${job.name}: restricted data in a burst queue`);
  }
  return { clusters: targets.length, problems };
}
