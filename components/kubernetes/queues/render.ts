import {
  KUEUE_API_VERSION,
  KUEUE_DEFAULT_LOCAL_QUEUE,
  KUEUE_NAMES,
  KUEUE_RESOURCES,
  LABEL_POOL,
  MULTIKUEUE_CONTROLLER,
} from "../../facts";
import {
  type Assignment,
  eligibility,
  type PlacementResult,
  type Pool,
  type Target,
  trustRejection,
} from "../../placement";
import { ConfigError } from "../../validation";
import { MANAGED_BY } from "../labels";
import { boundedName } from "../names";
import type { KueueObject } from "../objects";
import { placementWorkload, QUEUED_KINDS, type WorkloadSpec } from "../spec";
import { preemptionOf, priorityClassName, type QueueSettings } from "./settings";

// Kueue's objects for one placement decision, per cluster (pure, deterministic):
// - a ResourceFlavor per pool, with the node labels the pool's Jobs select and the taints its nodes
//   carry, so Kueue's flavor assignment repeats what the Job already says;
// - per workload namespace a ClusterQueue whose nominal quota per flavor is what placement put of
//   that namespace's Jobs on that pool, all of a cluster's queues in one cohort (the site), so a
//   team's idle quota is lent to the others and taken back by preemption;
// - a LocalQueue `default` in each namespace (Kueue queues an unlabelled Job there too);
// - WorkloadPriorityClasses from the catalog's priorities, on every cluster;
// - bursting (MultiKueue): a burstable Job that placement put on a cloud cluster only because the
//   private site was full (the private site passes every hard rule) is submitted to the private
//   site's queue, which dispatches it to that cloud. Kueue 0.19 cannot run a Job locally first and
//   fall back to the cloud (no per-flavor MultiKueue check; a manager is not its own worker): the
//   plan chooses the burst queue, Kueue holds the Job until the cloud cluster's queue admits it.

/** MultiKueue: the private site's cluster and the cloud clusters it may dispatch to (joined by VPN links). */
export interface MultiKueueSites {
  manager: string;
  workers: readonly string[];
}

/** What the queues need: the decision, the catalog and clusters it was made for, and the catalog's settings. */
export interface QueuesInput {
  result: Pick<PlacementResult, "assignments">;
  workloads: readonly WorkloadSpec[];
  targets: readonly Target[];
  settings?: QueueSettings | undefined;
  multiKueue?: MultiKueueSites | undefined;
}

/** How one part of a queued workload (its Job) is submitted. */
export interface Submission {
  workload: string;
  namespace: string;
  /** Where placement put it: the cluster and pool its pods run on. */
  target: string;
  pool: string;
  replicas: number;
  /** The cluster its Job is declared on: `target`, or the MultiKueue manager for a burst. */
  submitTo: string;
  /** The LocalQueue it names. */
  queue: string;
  priorityClass: string;
  priority: number;
  /** The cloud cluster a burst is dispatched to. */
  burstTo?: string;
}

/** A burstable workload, where the shared trust rule lets it go, and what the plan did with it. */
export interface BurstPermission {
  workload: string;
  /** Workers the rules allow (trust, residency, data, GPU model...), capacity aside. */
  allowed: string[];
  /** Why each other worker is ruled out. */
  refused: { worker: string; reason: string }[];
  /** The workers its parts are dispatched to in this decision (empty: it runs on the private site). */
  routed: string[];
}

/** A worker's identity for the manager: what the cluster phase declares on both ends. */
export interface WorkerCredential {
  worker: string;
  manager: string;
  /** The ServiceAccount on the worker (in Kueue's namespace) and its token Secret. */
  serviceAccount: string;
  /** The Secret on the manager holding the worker's kubeconfig (key `kubeconfig`). */
  secret: string;
}

/** Everything queued for one decision. */
export interface QueuePlan {
  /** Per cluster (target name): its Kueue objects, in the order they are applied. */
  objects: Record<string, KueueObject[]>;
  /** Per Job (workload part): how it is submitted. */
  submissions: Submission[];
  bursts: BurstPermission[];
  credentials: WorkerCredential[];
}

const META = { labels: { ...MANAGED_BY } };

/** The LocalQueue, AdmissionCheck and MultiKueueConfig name of bursting to `worker`. */
export function burstQueueName(worker: string): string {
  return boundedName(`burst-${worker}`);
}

/** The flavor a manager's burst queues use: no node labels, it only counts what is dispatched. */
export function burstFlavorName(manager: string): string {
  return boundedName(`${manager}-burst`);
}

/** Per-replica requests of a workload, in Kueue's units. */
function perReplica(w: WorkloadSpec): Record<(typeof KUEUE_RESOURCES)[number], number> {
  return {
    cpu: Math.ceil(w.cpu * 1000),
    memory: Math.ceil(w.memoryGiB * 1024),
    "nvidia.com/gpu": w.gpu?.count ?? 0,
  };
}

/** Quantities as Kubernetes writes them: whole cores and GiB where they are whole. */
export function quantity(resource: (typeof KUEUE_RESOURCES)[number], amount: number): string {
  if (resource === "cpu") return amount % 1000 === 0 ? String(amount / 1000) : `${amount}m`;
  if (resource === "memory") return amount % 1024 === 0 ? `${amount / 1024}Gi` : `${amount}Mi`;
  return String(amount);
}

type Totals = Record<(typeof KUEUE_RESOURCES)[number], number>;
const zero = (): Totals => ({ cpu: 0, memory: 0, "nvidia.com/gpu": 0 });

/** The namespace a workload runs in. */
function namespaceOf(w: WorkloadSpec): string {
  return w.namespace ?? w.owner;
}

/** The ResourceFlavor of a pool: its node labels (the pool label always) and its taints. */
function flavor(pool: Pool): KueueObject {
  const nodeLabels = { ...pool.labels, [LABEL_POOL]: pool.name };
  const taints = (pool.taints ?? []).map((t) => ({
    key: t.key,
    ...(t.value === undefined ? {} : { value: t.value }),
    effect: t.effect,
  }));
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: "ResourceFlavor",
    metadata: { name: pool.name, ...META },
    spec: { nodeLabels, ...(taints.length > 0 ? { nodeTaints: taints } : {}) },
  };
}

/**
 * Decides how each queued Job is submitted. A part goes through the manager's burst queue when its
 * workload may burst, placement put it on a worker, and the private site passes every hard rule for
 * it (only capacity kept it there); otherwise it is submitted to its own cluster's queue.
 */
function submissions(input: QueuesInput): { submissions: Submission[]; bursts: BurstPermission[] } {
  const specs = new Map(input.workloads.map((w) => [w.name, w]));
  const targets = new Map(input.targets.map((t) => [t.name, t]));
  const mk = input.multiKueue;
  const placementInput = {
    workloads: input.workloads.map(placementWorkload),
    targets: [...input.targets],
  };
  const bursts: BurstPermission[] = [];
  const routes = new Map<string, Set<string>>();
  for (const w of input.workloads) {
    if (!w.burst || !QUEUED_KINDS.includes(w.kind) || !mk) continue;
    const rules = eligibility(placementInput, w.name);
    const refused: BurstPermission["refused"] = [];
    const allowed: string[] = [];
    for (const worker of mk.workers) {
      const t = targets.get(worker);
      if (!t) continue;
      // The one definition of where data may go, then every other hard rule.
      const trust = trustRejection({ classification: w.classification, residency: w.residency }, t);
      const pools = rules[worker]?.pools ?? [];
      if (trust !== null) refused.push({ worker, reason: trust });
      else if (pools.length === 0)
        refused.push({
          worker,
          reason: rules[worker]?.rejected[0]?.reason ?? "no pool passes the hard rules",
        });
      else allowed.push(worker);
    }
    const localOk = (rules[mk.manager]?.pools.length ?? 0) > 0;
    const routed = new Set(
      input.result.assignments
        .filter((a) => a.workload === w.name && localOk && allowed.includes(a.target))
        .map((a) => a.target),
    );
    routes.set(w.name, routed);
    bursts.push({ workload: w.name, allowed, refused, routed: [...routed].sort() });
  }
  const out: Submission[] = [];
  for (const a of input.result.assignments) {
    const w = specs.get(a.workload);
    if (!w || !QUEUED_KINDS.includes(w.kind)) continue;
    const priority = w.priority ?? 0;
    const burst = mk && routes.get(w.name)?.has(a.target) ? a.target : undefined;
    out.push({
      workload: w.name,
      namespace: namespaceOf(w),
      target: a.target,
      pool: a.pool,
      replicas: a.replicas,
      submitTo: burst && mk ? mk.manager : a.target,
      queue: burst ? burstQueueName(burst) : KUEUE_DEFAULT_LOCAL_QUEUE,
      priorityClass: w.priorityClass ?? priorityClassName(priority, input.settings),
      priority,
      ...(burst ? { burstTo: burst } : {}),
    });
  }
  return { submissions: out, bursts };
}

/** Every priority class the clusters get: the catalog's, and one per other priority a queued workload has. */
function priorityClasses(input: QueuesInput): KueueObject[] {
  const classes = new Map<string, { value: number; description: string }>();
  for (const c of input.settings?.priorityClasses ?? [])
    classes.set(c.name, { value: c.value, description: c.description ?? `Catalog priority "${c.name}".` });
  for (const w of input.workloads) {
    if (!QUEUED_KINDS.includes(w.kind)) continue;
    const value = w.priority ?? 0;
    const name = w.priorityClass ?? priorityClassName(value, input.settings);
    if (!classes.has(name)) classes.set(name, { value, description: `Catalog priority ${value}.` });
  }
  return [...classes.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, c]) => ({
      apiVersion: KUEUE_API_VERSION,
      kind: "WorkloadPriorityClass",
      metadata: { name, ...META },
      value: c.value,
      description: c.description,
    }));
}

/** One ClusterQueue: one resource group over every flavor given, nominal quotas as given. */
function clusterQueue(
  name: string,
  namespace: string,
  flavors: { name: string; totals: Totals }[],
  settings: QueueSettings | undefined,
  extra: Record<string, unknown>,
): KueueObject {
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: "ClusterQueue",
    metadata: { name, ...META },
    spec: {
      ...extra,
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
      queueingStrategy: settings?.queueingStrategy ?? "BestEffortFIFO",
      resourceGroups: [
        {
          coveredResources: [...KUEUE_RESOURCES],
          flavors: flavors.map((f) => ({
            name: f.name,
            resources: KUEUE_RESOURCES.map((r) => ({ name: r, nominalQuota: quantity(r, f.totals[r]) })),
          })),
        },
      ],
      preemption: preemptionOf(settings),
    },
  };
}

function localQueue(name: string, namespace: string, clusterQueueName: string): KueueObject {
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: "LocalQueue",
    metadata: { name, namespace, ...META },
    spec: { clusterQueue: clusterQueueName },
  };
}

/** The namespaces each cluster runs workloads in (services too: a team may submit Jobs there). */
function namespacesByTarget(input: QueuesInput, subs: Submission[]): Map<string, Set<string>> {
  const specs = new Map(input.workloads.map((w) => [w.name, w]));
  const out = new Map<string, Set<string>>();
  const add = (target: string, ns: string) => out.set(target, (out.get(target) ?? new Set()).add(ns));
  for (const a of input.result.assignments) {
    const w = specs.get(a.workload);
    if (w) add(a.target, namespaceOf(w));
  }
  for (const s of subs) add(s.submitTo, s.namespace);
  return out;
}

/**
 * The queues of a decision: every cluster that runs placed work gets its flavors, priority classes,
 * one ClusterQueue and LocalQueue per namespace, and (on the MultiKueue manager) the burst queues
 * and their dispatch to the workers.
 */
export function renderQueues(input: QueuesInput): QueuePlan {
  const specs = new Map(input.workloads.map((w) => [w.name, w]));
  const targets = new Map(input.targets.map((t) => [t.name, t]));
  const { submissions: subs, bursts } = submissions(input);
  const classes = priorityClasses(input);
  const namespaces = namespacesByTarget(input, subs);
  const objects: Record<string, KueueObject[]> = {};
  const mk = input.multiKueue;
  const credentials: WorkerCredential[] = [];
  for (const targetName of [...namespaces.keys()].sort()) {
    const target = targets.get(targetName);
    if (!target) throw new Error(`placement chose target "${targetName}", which is not among the targets`);
    const pools = [...target.pools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const list: KueueObject[] = [...classes, ...pools.map(flavor)];
    const bursting = subs.filter((s) => s.submitTo === targetName && s.burstTo !== undefined);
    const workers = [...new Set(bursting.map((s) => s.burstTo as string))].sort();
    if (mk && targetName === mk.manager && workers.length > 0) {
      const burstFlavor = burstFlavorName(targetName);
      if (pools.some((p) => p.name === burstFlavor))
        throw new ConfigError(`cluster ${targetName}`, [
          {
            path: "pools",
            message: `pool "${burstFlavor}" has the name of the burst queues' flavor; rename the pool`,
          },
        ]);
      list.push({
        apiVersion: KUEUE_API_VERSION,
        kind: "ResourceFlavor",
        metadata: { name: burstFlavor, ...META },
        spec: {},
      });
      for (const worker of workers) {
        const name = burstQueueName(worker);
        const secret = boundedName(`multikueue-${worker}`);
        credentials.push({
          worker,
          manager: targetName,
          serviceAccount: boundedName(`multikueue-${targetName}`),
          secret,
        });
        list.push(
          {
            apiVersion: KUEUE_API_VERSION,
            kind: "MultiKueueCluster",
            metadata: { name: worker, ...META },
            spec: { clusterSource: { kubeConfig: { locationType: "Secret", location: secret } } },
          },
          {
            apiVersion: KUEUE_API_VERSION,
            kind: "MultiKueueConfig",
            metadata: { name, ...META },
            spec: { clusters: [worker] },
          },
          {
            apiVersion: KUEUE_API_VERSION,
            kind: "AdmissionCheck",
            metadata: { name, ...META },
            spec: {
              controllerName: MULTIKUEUE_CONTROLLER,
              parameters: { apiGroup: "kueue.x-k8s.io", kind: "MultiKueueConfig", name },
            },
          },
        );
      }
    }
    for (const ns of [...(namespaces.get(targetName) ?? [])].sort()) {
      // What placement put of this namespace's Jobs on each pool here (bursts included: they run here).
      const placed = new Map(pools.map((p) => [p.name, zero()]));
      for (const s of subs.filter((x) => x.target === targetName && x.namespace === ns)) {
        const totals = placed.get(s.pool);
        const w = specs.get(s.workload);
        if (!totals || !w) continue;
        const per = perReplica(w);
        for (const r of KUEUE_RESOURCES) totals[r] += per[r] * s.replicas;
      }
      const cq = boundedName(ns);
      list.push(
        clusterQueue(
          cq,
          ns,
          pools.map((p) => ({ name: p.name, totals: placed.get(p.name) ?? zero() })),
          input.settings,
          // The site's cohort: idle quota is lent to the other teams here, and reclaimed.
          { cohortName: targetName },
        ),
        localQueue(KUEUE_DEFAULT_LOCAL_QUEUE, ns, cq),
      );
      // On a worker, the burst LocalQueue has the manager's name and feeds the team's own queue.
      const inbound = subs.filter((s) => s.burstTo === targetName && s.namespace === ns);
      for (const queue of [...new Set(inbound.map((s) => s.queue))].sort())
        list.push(localQueue(queue, ns, cq));
      // On the manager, a burst queue per worker: its quota caps what is dispatched at once.
      for (const worker of workers) {
        const mine = bursting.filter((s) => s.namespace === ns && s.burstTo === worker);
        if (mine.length === 0) continue;
        const totals = zero();
        for (const s of mine) {
          const w = specs.get(s.workload);
          if (!w) continue;
          const per = perReplica(w);
          for (const r of KUEUE_RESOURCES) totals[r] += per[r] * s.replicas;
        }
        const burstCq = boundedName(`${ns}-burst-${worker}`);
        list.push(
          clusterQueue(burstCq, ns, [{ name: burstFlavorName(targetName), totals }], input.settings, {
            admissionChecksStrategy: { admissionChecks: [{ name: burstQueueName(worker) }] },
          }),
          localQueue(burstQueueName(worker), ns, burstCq),
        );
      }
    }
    objects[targetName] = list;
  }
  return { objects, submissions: subs, bursts, credentials };
}

/** The namespace Kueue runs in when the cluster's own says nothing else. */
export const DEFAULT_KUEUE_NAMESPACE = KUEUE_NAMES.namespace;

/** A part's key, for matching Jobs to submissions. */
export function partKey(a: Pick<Assignment, "workload" | "target" | "pool">): string {
  return `${a.workload}/${a.target}/${a.pool}`;
}
