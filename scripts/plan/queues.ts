import { KUEUE_RESOURCES } from "../../components/facts";
import type { QueuePlan, QueueSettings, WorkloadSpec } from "../../components/kubernetes";
import { quantity, renderQueues } from "../../components/kubernetes/internal";
import { mayRunOnPublic, type Target } from "../../components/placement";
import type { PlanRun } from "./run";

// The capacity-planning view of the queues: per cluster, each ClusterQueue's nominal quota per
// flavor beside what placement put there and what the pool could hold at its maximum, and what the
// quotas imply for the placed Jobs (admitted at once, admitted by borrowing idle quota of the
// cohort, or waiting). Arithmetic on the quotas, in priority order: not a simulation of Kueue.

type Resource = (typeof KUEUE_RESOURCES)[number];
type Totals = Record<Resource, number>;

/** One flavor of one ClusterQueue. */
export interface FlavorView {
  flavor: string;
  /** Nominal quota, in Kubernetes quantities. */
  quota: Record<Resource, string>;
  /** The queued parts placement put on the pool, `workload x replicas`. */
  placed: string[];
  /** What the pool holds at its maxNodes (absent for a burst queue's flavor). */
  capacity?: Record<Resource, string>;
}

/** One ClusterQueue. */
export interface QueueRow {
  clusterQueue: string;
  namespace: string;
  /** `local` (the site's cohort) or `burst` (dispatches to `dispatchTo`). */
  role: "local" | "burst";
  cohort?: string;
  dispatchTo?: string;
  flavors: FlavorView[];
  /** Jobs the quotas admit at once, by borrowing, or leave waiting. */
  admitted: string[];
  borrowing: string[];
  waiting: string[];
}

/** The queues of the plan, and what each burstable workload may do. */
export interface QueuesView {
  clusters: { cluster: string; queues: QueueRow[] }[];
  bursts: QueuePlan["bursts"];
  /** Queued workloads with restricted data: they never burst (placement's trust rule). */
  neverBurst: string[];
  /** How each Job is submitted: `workload -> cluster/queue (priority class)`. */
  jobs: { job: string; submittedTo: string; queue: string; priorityClass: string; runsOn: string }[];
}

const zero = (): Totals => ({ cpu: 0, memory: 0, "nvidia.com/gpu": 0 });
const shown = (t: Totals) =>
  Object.fromEntries(KUEUE_RESOURCES.map((r) => [r, quantity(r, t[r])])) as Record<Resource, string>;

function perReplica(w: WorkloadSpec): Totals {
  return {
    cpu: Math.ceil(w.cpu * 1000),
    memory: Math.ceil(w.memoryGiB * 1024),
    "nvidia.com/gpu": w.gpu?.count ?? 0,
  };
}

/** The view, when the plan's cluster phase queues a catalog. */
export function queuesView(run: PlanRun): QueuesView | undefined {
  const out = run.outputs as {
    placementTargets?: Target[];
    workloads?: { catalog: WorkloadSpec[]; queues?: QueueSettings };
    queues?: { multiKueue?: { manager: string; workers: string[] } };
  };
  if (!run.decision || !out.workloads || !out.placementTargets || !out.queues) return undefined;
  const targets = out.placementTargets;
  const plan = renderQueues({
    result: run.decision,
    workloads: out.workloads.catalog,
    targets,
    settings: out.workloads.queues,
    multiKueue: out.queues.multiKueue,
  });
  const specs = new Map(out.workloads.catalog.map((w) => [w.name, w]));
  const clusters = Object.keys(plan.objects)
    .sort()
    .map((cluster) => ({ cluster, queues: clusterRows(cluster, plan, specs, targets) }));
  const jobs = plan.submissions.map((s) => ({
    job: `${s.workload} (${s.replicas} on ${s.pool})`,
    submittedTo: s.submitTo,
    queue: `${s.namespace}/${s.queue}`,
    priorityClass: `${s.priorityClass} (${s.priority})`,
    runsOn: `${s.target}/${s.pool}`,
  }));
  const neverBurst = out.workloads.catalog
    .filter((w) => (w.kind === "batch" || w.kind === "training") && !mayRunOnPublic(w.classification))
    .map((w) => w.name)
    .sort();
  return { clusters, bursts: plan.bursts, neverBurst, jobs };
}

function clusterRows(
  cluster: string,
  plan: QueuePlan,
  specs: Map<string, WorkloadSpec>,
  targets: Target[],
): QueueRow[] {
  const target = targets.find((t) => t.name === cluster);
  const queues = plan.objects[cluster]?.filter((o) => o.kind === "ClusterQueue") ?? [];
  const rows: QueueRow[] = [];
  // Idle quota of the cohort, per flavor, which a queue may borrow once its own is used.
  const cohortLeft = new Map<string, Totals>();
  for (const q of queues) {
    const spec = q.spec as {
      cohortName?: string;
      namespaceSelector: { matchLabels: Record<string, string> };
      admissionChecksStrategy?: { admissionChecks: { name: string }[] };
      resourceGroups: {
        flavors: { name: string; resources: { name: Resource; nominalQuota: string }[] }[];
      }[];
    };
    const namespace = spec.namespaceSelector.matchLabels["kubernetes.io/metadata.name"] ?? "";
    const burst = spec.admissionChecksStrategy !== undefined;
    const worker = burst
      ? spec.admissionChecksStrategy?.admissionChecks[0]?.name.replace(/^burst-/, "")
      : undefined;
    const subs = plan.submissions.filter((s) =>
      burst
        ? s.submitTo === cluster && s.burstTo === worker && s.namespace === namespace
        : s.target === cluster && s.namespace === namespace,
    );
    const flavors = (spec.resourceGroups[0]?.flavors ?? []).map((f): FlavorView => {
      const pool = target?.pools.find((p) => p.name === f.name);
      const placed = subs
        .filter((s) => burst || s.pool === f.name)
        .map((s) => `${s.workload} x ${s.replicas}`);
      return {
        flavor: f.name,
        quota: Object.fromEntries(f.resources.map((r) => [r.name, r.nominalQuota])) as Record<
          Resource,
          string
        >,
        placed,
        ...(pool && !burst
          ? {
              capacity: shown({
                cpu: pool.node.cpu * 1000 * pool.maxNodes,
                memory: pool.node.memoryGiB * 1024 * pool.maxNodes,
                "nvidia.com/gpu": (pool.node.gpu?.count ?? 0) * pool.maxNodes,
              }),
            }
          : {}),
      };
    });
    rows.push({
      clusterQueue: String(q.metadata.name),
      namespace,
      role: burst ? "burst" : "local",
      ...(spec.cohortName ? { cohort: spec.cohortName } : {}),
      ...(worker ? { dispatchTo: worker } : {}),
      flavors,
      admitted: [],
      borrowing: [],
      waiting: [],
    });
    // Unused nominal quota goes to the cohort's pool of idle quota.
    if (spec.cohortName)
      for (const f of spec.resourceGroups[0]?.flavors ?? []) {
        const left = cohortLeft.get(f.name) ?? zero();
        for (const r of f.resources) left[r.name] += parseQuantity(r.name, r.nominalQuota);
        cohortLeft.set(f.name, left);
      }
  }
  // What the quotas imply: each queue's Jobs, highest priority first, against its own quota, then
  // against what the cohort has left.
  const own = new Map<string, Totals>();
  for (const row of rows)
    for (const f of row.flavors)
      own.set(`${row.clusterQueue}|${f.flavor}`, {
        cpu: parseQuantity("cpu", f.quota.cpu),
        memory: parseQuantity("memory", f.quota.memory),
        "nvidia.com/gpu": parseQuantity("nvidia.com/gpu", f.quota["nvidia.com/gpu"]),
      });
  const claims = rows.flatMap((row) =>
    plan.submissions
      .filter((s) =>
        row.role === "burst"
          ? s.submitTo === cluster && s.burstTo === row.dispatchTo && s.namespace === row.namespace
          : s.target === cluster && s.namespace === row.namespace,
      )
      .map((s) => ({ row, s, flavor: row.role === "burst" ? (row.flavors[0]?.flavor ?? "") : s.pool })),
  );
  claims.sort((a, b) => b.s.priority - a.s.priority || (a.s.workload < b.s.workload ? -1 : 1));
  for (const { row, s, flavor } of claims) {
    const w = specs.get(s.workload);
    if (!w) continue;
    const need = perReplica(w);
    for (const r of KUEUE_RESOURCES) need[r] *= s.replicas;
    const mine = own.get(`${row.clusterQueue}|${flavor}`) ?? zero();
    const pool = cohortLeft.get(flavor) ?? zero();
    const label = `${s.workload} x ${s.replicas}`;
    if (KUEUE_RESOURCES.every((r) => need[r] <= mine[r])) {
      for (const r of KUEUE_RESOURCES) {
        mine[r] -= need[r];
        if (row.cohort) pool[r] -= need[r];
      }
      row.admitted.push(label);
    } else if (row.cohort && KUEUE_RESOURCES.every((r) => need[r] <= pool[r])) {
      for (const r of KUEUE_RESOURCES) pool[r] -= need[r];
      row.borrowing.push(label);
    } else row.waiting.push(label);
  }
  return rows;
}

function parseQuantity(resource: Resource, q: string): number {
  if (resource === "cpu") return q.endsWith("m") ? Number(q.slice(0, -1)) : Number(q) * 1000;
  if (resource === "memory") return q.endsWith("Gi") ? Number(q.slice(0, -2)) * 1024 : Number(q.slice(0, -2));
  return Number(q);
}

/** The view as text: one block per cluster, then bursting, then what an update reports for a Job. */
export function queuesText(view: QueuesView): string[] {
  const out: string[] = [];
  const fmt = (t: Record<Resource, string>) => `${t.cpu} CPU / ${t.memory} / ${t["nvidia.com/gpu"]} GPU`;
  for (const { cluster, queues } of view.clusters) {
    out.push(`  ${cluster}`);
    for (const q of queues) {
      out.push(
        `    ClusterQueue ${q.clusterQueue} (namespace ${q.namespace}; ${q.role === "burst" ? `dispatches to ${q.dispatchTo} through MultiKueue` : `cohort ${q.cohort}`})`,
      );
      for (const f of q.flavors) {
        if (f.placed.length === 0 && q.role === "local") continue;
        out.push(
          `      ${f.flavor}: quota ${fmt(f.quota)}${f.capacity ? ` of ${fmt(f.capacity)} at maxNodes` : ""}; placed ${f.placed.join(", ") || "nothing"}`,
        );
      }
      const idle = q.flavors.every((f) => f.placed.length === 0);
      if (idle)
        out.push(
          "      no queued Job placed here: quota 0 on every flavor, Jobs submitted here borrow idle quota of the cohort",
        );
      else
        out.push(
          `      the quotas admit at once: ${q.admitted.join(", ") || "none"}${q.borrowing.length ? `; by borrowing: ${q.borrowing.join(", ")}` : ""}; would wait: ${q.waiting.join(", ") || "none"}`,
        );
    }
  }
  out.push("  Bursting (MultiKueue, from the private site's queue):");
  if (view.bursts.length === 0) out.push("    no workload of the catalog may burst");
  for (const b of view.bursts) {
    out.push(
      `    ${b.workload}: may burst to ${b.allowed.join(", ") || "nowhere"}${b.refused.length ? ` (not ${b.refused.map((r) => `${r.worker}: ${r.reason}`).join("; ")})` : ""}; ${b.routed.length ? `dispatched to ${b.routed.join(", ")} (placement found the private site full)` : "runs on the private site"}`,
    );
  }
  if (view.neverBurst.length > 0)
    out.push(`    restricted data, never bursts: ${view.neverBurst.join(", ")}`);
  out.push("  Jobs:");
  for (const j of view.jobs)
    out.push(`    ${j.job}: queue ${j.queue} on ${j.submittedTo}, ${j.priorityClass}, runs on ${j.runsOn}`);
  out.push(
    "  What `pulumi up` reports for a Job: queued -> created (the Job controller holds it suspended); admitted or running -> created; finished -> created (the outcome is not reported); dispatched -> created once MultiKueue holds it. Replacing a Job waits for the old one's deletion first. docs/queues.md.",
  );
  return out;
}
