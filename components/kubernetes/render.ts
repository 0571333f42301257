import { stringify } from "yaml";
import { KUEUE_LABELS, LABEL_POOL } from "../facts";
import type {
  Assignment,
  Classification,
  Cloud,
  PlacementLock,
  PlacementResult,
  Pool,
  Target,
} from "../placement";
import { ConfigError } from "../validation";
import { type ClusterFacts, type ClusterSecrets, dnsEgressRule } from "./cluster-facts";
import { LABEL_DATA_CLASSIFICATION, LABEL_OWNER, LABEL_PART, LABEL_WORKLOAD, MANAGED_BY } from "./labels";
import { boundedName, indexedJobMax } from "./names";
import type {
  DeploymentObject,
  ExternalSecretObject,
  JobObject,
  NamespaceObject,
  NetworkPolicyObject,
  NetworkPolicyPeer,
  PodDisruptionBudgetObject,
  PodTemplate,
  RenderedObject,
  ResourceQuotaObject,
  SecretProviderClassObject,
} from "./objects";
import type { MultiKueueSites } from "./queues/render";
import { type QueuePlan, renderQueues, type Submission } from "./queues/render";
import type { QueueSettings } from "./queues/settings";
import {
  hasRanks,
  identityAccountOf,
  renderRankPolicy,
  renderService,
  renderServiceAccount,
  serviceAccountOf,
} from "./services";
import type { WorkloadSpec } from "./spec";

/**
 * Annotations that record the placement decision. The workload object carries all of them; its pods
 * carry only the stable facts (target, pool, trust, classification), never `reason`: a pod template
 * change restarts every pod (and replaces a Job), and the reason's wording changes when nothing
 * moved (a lock fed back, a candidate added).
 */
export const PLACEMENT_ANNOTATIONS = {
  target: "placement.hybrid-ai-infra.io/target",
  pool: "placement.hybrid-ai-infra.io/pool",
  trust: "placement.hybrid-ai-infra.io/trust",
  classification: "placement.hybrid-ai-infra.io/classification",
  reason: "placement.hybrid-ai-infra.io/reason",
} as const;

export type { ClusterFacts } from "./cluster-facts";
export { LABEL_DATA_CLASSIFICATION, LABEL_OWNER, LABEL_WORKLOAD } from "./labels";

const CLASSIFICATION_RANK: Record<Classification, number> = {
  public: 0,
  internal: 1,
  confidential: 2,
  restricted: 3,
};
const REASON_LIMIT = 1024;

/**
 * Pod labels a cloud needs when the pod runs under a service account, by cloud. AKS's workload
 * identity webhook injects the federated token only into pods labelled for it; EKS Pod Identity
 * and IRSA need no label.
 */
const SERVICE_ACCOUNT_POD_LABELS: Record<Cloud, Record<string, string>> = {
  aws: {},
  azure: { "azure.workload.identity/use": "true" },
  onprem: {},
};

/** The objects to apply on one cluster. */
export interface RenderedTarget {
  target: string;
  objects: RenderedObject[];
}

/** What the renderer needs: the decision, the specs it placed, and the targets it chose among. */
export interface RenderInput {
  result: PlacementResult;
  workloads: readonly WorkloadSpec[];
  targets: readonly Target[];
  /** Each cluster's networks (target name to CIDRs), joined by the VPN: rules naming a workload on another cluster allow these. */
  networks?: Readonly<Record<string, readonly string[]>>;
  /** Per workload: annotations of its ServiceAccount (the cloud identity it is bound to). */
  serviceAccountAnnotations?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Queue the Jobs with Kueue (which the clusters must run: `ClusterAddons`' `kueue`): the catalog's
   * queue settings and, for bursting, the private site's cluster and the cloud clusters it may
   * dispatch to. Absent, Jobs start as soon as they are applied.
   */
  queues?: { settings?: QueueSettings | undefined; multiKueue?: MultiKueueSites | undefined };
  /**
   * The decision now running on the clusters (the lock this one replaces) and the catalog it was
   * made for (default: this catalog for departures, and a Job's raised run keeps room for its
   * previous run in every update, as nothing tells when it was raised). A namespace's quota keeps
   * room for what runs there until the next update: Pulumi updates the quota before the workloads
   * and deletes departed objects last, so a quota shrunk in the same update would refuse the pods
   * of every rollout beside them.
   */
  previous?: { lock: PlacementLock; workloads?: readonly WorkloadSpec[] | undefined };
  /** Per cluster (target name): what the library must know of a cluster it did not build. */
  clusters?: Readonly<Record<string, ClusterFacts>>;
}

/** Namespaces that exist on every cluster; a workload may run in `default`, never in the system ones. */
export const ALWAYS_EXISTING_NAMESPACES: readonly string[] = ["default"];

/** Annotations a queued Job carries on top of the placement ones. */
export const QUEUE_ANNOTATIONS = {
  /** The cloud cluster a burst is dispatched to (the Job is declared on the private site's cluster). */
  burstTo: "queues.hybrid-ai-infra.io/burst-to",
} as const;

/**
 * What `pulumi up` waits for on a Job (`pulumi.com/waitFor`, pulumi-kubernetes 4.24 and later; it
 * replaces the Job's built-in await on create and update, never the wait for a deletion). `up`
 * never waits for a Job to finish, nor for its pods to be scheduled (a pool scaling from zero).
 * - Unqueued: the Job controller has created its pods (`active`), or they already ran (`succeeded`,
 *   `failed`), or the Job ended without them (condition Complete or Failed). Not the start time,
 *   which the Job controller sets before it creates any pod: a Job whose pods the API server
 *   refuses (quota, admission, an invalid hostname) fails the update by timeout instead of passing.
 * - Queued: the Job controller has seen it held by Kueue (condition Suspended), or it has started,
 *   or it has finished. RFC 9535: the root's `status` member is selected once it has a start time
 *   or one of those conditions, so a Job that Kueue admits before the Job controller first marks it
 *   suspended does not keep the update waiting until the Job finishes.
 * - Dispatched by MultiKueue (declared on the manager, run on a worker): Kueue's webhook handed it
 *   to MultiKueue (`spec.managedBy`); the Job controller never touches it on the manager.
 */
export const JOB_WAIT_FOR = {
  unqueued:
    'jsonpath={$[?@.active || @.succeeded || @.failed || @.conditions[?@.type=="Complete" || @.type=="Failed"]]}',
  queued:
    'jsonpath={$[?@.startTime || @.conditions[?@.type=="Suspended" || @.type=="Complete" || @.type=="Failed"]]}',
  dispatched: "jsonpath={.spec.managedBy}=kueue.x-k8s.io/multikueue",
} as const;

/**
 * Renders, for every target that received work, the namespaces, workloads, network policies and
 * quotas of DESIGN.md section 5. Pure and deterministic: targets, namespaces and objects come out
 * sorted by name.
 */
export function renderPlacement(input: RenderInput): RenderedTarget[] {
  return renderWithQueues(input).targets;
}

/** `renderPlacement`, and with `queues` the queue plan: Kueue's objects and how each Job is submitted. */
export function renderWithQueues(input: RenderInput): { targets: RenderedTarget[]; queues?: QueuePlan } {
  const specs = new Map(input.workloads.map((w) => [w.name, w]));
  const targets = new Map(input.targets.map((t) => [t.name, t]));
  const queues = input.queues
    ? renderQueues({
        result: input.result,
        workloads: input.workloads,
        targets: input.targets,
        settings: input.queues.settings,
        multiKueue: input.queues.multiKueue,
      })
    : undefined;
  const submissions = new Map(
    (queues?.submissions ?? []).map((s) => [`${s.workload}/${s.target}/${s.pool}`, s]),
  );
  const byTarget = groupBy(input.result.assignments, (a) => a.target);
  const room = { departing: departingRoom(input), previousRun: previousRunStillThere(input) };
  const held = heldNamespaces(queues, specs);
  const objectsOf = new Map<string, RenderedObject[]>();
  const moved: { to: string; job: JobObject }[] = [];
  for (const targetName of [...new Set([...byTarget.keys(), ...held.keys()])].sort()) {
    const target = targets.get(targetName);
    if (!target) throw new Error(`placement chose target "${targetName}", which is not among the targets`);
    const parts = byTarget.get(targetName) ?? [];
    const byNamespace = groupBy(parts, (a) => namespaceOf(spec(specs, a.workload)));
    const objects: RenderedObject[] = [];
    const heldHere = held.get(targetName) ?? new Map<string, WorkloadSpec[]>();
    for (const namespace of [...new Set([...byNamespace.keys(), ...heldHere.keys()])].sort()) {
      const nsParts = byNamespace.get(namespace) ?? [];
      const nsSpecs = unique([
        ...nsParts.map((a) => spec(specs, a.workload)),
        ...(heldHere.get(namespace) ?? []),
      ]);
      const facts = input.clusters?.[targetName];
      const existing =
        ALWAYS_EXISTING_NAMESPACES.includes(namespace) ||
        (facts?.existingNamespaces ?? []).includes(namespace);
      objects.push(
        ...(existing ? [] : [renderNamespace(namespace, nsSpecs)]),
        ...baselinePolicies(namespace, existing, facts?.dns),
        ...(existing ? [] : [renderQuota(`${targetName}/${namespace}`, nsParts, specs, room)]),
      );
      const partsPerWorkload = groupBy(nsParts, (a) => a.workload);
      for (const workloadName of [...partsPerWorkload.keys()].sort()) {
        const w = spec(specs, workloadName);
        const wParts = [...(partsPerWorkload.get(workloadName) ?? [])].sort((a, b) =>
          a.pool.localeCompare(b.pool),
        );
        for (const [i, part] of wParts.entries()) {
          const pool = target.pools.find((p) => p.name === part.pool);
          if (!pool)
            throw new Error(
              `placement chose pool "${part.pool}", which target "${targetName}" does not have`,
            );
          // The first part keeps the workload's own name, so a workload split across pools is an
          // update of its object plus new ones, never a second copy of all its pods beside the
          // old (Pulumi creates before it deletes, and the quota has room for one rollout only).
          const submission = submissions.get(`${w.name}/${targetName}/${pool.name}`);
          const base = i === 0 ? w.name : `${w.name}-${pool.name}`;
          // Each run of a Job is its own object (the spec's `run`); run 1 keeps the plain name.
          const own = isJob(w) && (w.run ?? 1) > 1 ? `${base}-run${w.run}` : base;
          // A burst is declared on the manager beside the parts that run there: it is named for
          // the cluster it is dispatched to (MultiKueue creates it there under the same name).
          const burst = submission?.burstTo !== undefined && submission.submitTo !== targetName;
          // An Indexed Job's hostnames are <name>-<index>: a longer name is shortened to fit.
          const name = boundedName(
            burst ? `${own}-${targetName}` : own,
            w.kind === "training" ? indexedJobMax(part.replicas) : 63,
          );
          const reason = input.result.explanations[w.name]?.reason ?? "";
          const rendered = renderWorkload(
            name,
            w,
            part,
            target,
            pool,
            reason,
            queues ? (submission ?? null) : undefined,
            facts?.secrets,
          );
          // A burst is declared on the private site's cluster, whose queue dispatches it here.
          if (rendered.kind === "Job" && submission && submission.submitTo !== targetName)
            moved.push({ to: submission.submitTo, job: rendered });
          else objects.push(rendered);
        }
        const policy = renderWorkloadPolicy(w, specs, {
          target: targetName,
          targetsOf: (workload) => [
            ...new Set(input.result.assignments.filter((a) => a.workload === workload).map((a) => a.target)),
          ],
          networks: input.networks,
        });
        if (policy) objects.push(policy);
        const budget = renderDisruptionBudget(w, namespace, wParts);
        if (budget) objects.push(budget);
        const service = renderService(w, namespace);
        if (service) objects.push(service);
        objects.push(renderServiceAccount(w, namespace, input.serviceAccountAnnotations?.[w.name]));
        objects.push(
          ...renderSecretObjects(w, namespace, facts?.secrets, input.serviceAccountAnnotations?.[w.name]),
        );
        const ranks = renderRankPolicy(w, namespace);
        if (ranks) objects.push(ranks);
      }
    }
    objectsOf.set(targetName, objects);
  }
  for (const { to, job } of moved) objectsOf.get(to)?.push(job);
  const out: RenderedTarget[] = [...objectsOf.keys()].sort().map((target) => ({
    target,
    objects: [...(queues?.objects[target] ?? []), ...(objectsOf.get(target) ?? [])],
  }));
  return queues ? { targets: out, queues } : { targets: out };
}

/** Namespaces a cluster holds only for Jobs it dispatches (bursts submitted to the manager). */
function heldNamespaces(
  queues: QueuePlan | undefined,
  specs: Map<string, WorkloadSpec>,
): Map<string, Map<string, WorkloadSpec[]>> {
  const held = new Map<string, Map<string, WorkloadSpec[]>>();
  for (const sub of queues?.submissions ?? []) {
    if (sub.submitTo === sub.target) continue;
    const byNs = held.get(sub.submitTo) ?? new Map<string, WorkloadSpec[]>();
    byNs.set(sub.namespace, [...(byNs.get(sub.namespace) ?? []), spec(specs, sub.workload)]);
    held.set(sub.submitTo, byNs);
  }
  return held;
}

/** A workload's namespace: its own, or its owner's. */
export function namespaceOf(w: WorkloadSpec): string {
  return w.namespace ?? w.owner;
}

function renderNamespace(name: string, specs: WorkloadSpec[]): NamespaceObject {
  const [owner, ...others] = [...new Set(specs.map((s) => s.owner))].sort();
  // PlacedWorkloads refuses a catalog with two owners in one namespace; a direct caller that
  // skipped that check gets an error, not a label that names both.
  if (owner === undefined || others.length > 0) {
    throw new Error(
      `namespace "${name}" has owners ${[owner, ...others].join(", ")}; one namespace, one owner`,
    );
  }
  const classification = specs
    .map((s) => s.classification)
    .reduce((a, b) => (CLASSIFICATION_RANK[b] > CLASSIFICATION_RANK[a] ? b : a), "public" as Classification);
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: {
        ...MANAGED_BY,
        [LABEL_OWNER]: owner,
        [LABEL_DATA_CLASSIFICATION]: classification,
        // Pod Security Admission rejects any pod that could escape the restricted profile.
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
      },
    },
  };
}

function baselinePolicies(
  namespace: string,
  existing: boolean,
  dns: ClusterFacts["dns"],
): NetworkPolicyObject[] {
  // In a namespace the library does not own, other teams' pods are not its to confine.
  const podSelector = existing ? { matchLabels: { ...MANAGED_BY } } : {};
  return [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "default-deny", namespace, labels: { ...MANAGED_BY } },
      spec: { podSelector, policyTypes: ["Ingress", "Egress"] },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-dns", namespace, labels: { ...MANAGED_BY } },
      spec: {
        podSelector,
        policyTypes: ["Egress"],
        // The server the pods' resolv.conf names: CoreDNS's pods, or a node-local cache on the
        // host network, which only its address reaches.
        egress: [dnsEgressRule(dns)],
      },
    },
  ];
}

/** What a namespace's pods may request: CPU (millicores), memory (MiB), GPUs and pods. */
interface Footprint {
  milliCpu: number;
  memoryMi: number;
  gpus: number;
  pods: number;
}

function addTo(f: Footprint, w: WorkloadSpec, replicas: number): void {
  f.milliCpu += milli(w.cpu) * replicas;
  f.memoryMi += mebibytes(w.memoryGiB) * replicas;
  f.gpus += (w.gpu?.count ?? 0) * replicas;
  f.pods += replicas;
}

/** The object name of each part of one workload on one cluster: the first pool's keeps the workload's. */
function partNames(parts: readonly Assignment[]): Map<Assignment, string> {
  const sorted = [...parts].sort((a, b) => a.pool.localeCompare(b.pool));
  return new Map(sorted.map((p, i) => [p, i === 0 ? p.workload : `${p.workload}-${p.pool}`]));
}

/**
 * Per `target/namespace`, the pods of the previous decision whose objects this one no longer
 * declares there (a workload moved to another cluster or namespace, renamed, removed, or split
 * over fewer pools). Pulumi updates the quota before the workloads and deletes those objects last,
 * so until then their pods still count against the quota: it keeps room for them (grow first), and
 * the next update, once the lock records this decision, drops it (shrink after the deletions).
 */
function departingRoom(input: RenderInput): Map<string, Footprint> {
  const out = new Map<string, Footprint>();
  if (!input.previous) return out;
  const now = new Map(input.workloads.map((w) => [w.name, w]));
  const before = new Map((input.previous.workloads ?? input.workloads).map((w) => [w.name, w]));
  const declared = new Set<string>();
  for (const [key, parts] of groupBy(input.result.assignments, (a) => `${a.target}/${a.workload}`)) {
    const w = now.get(parts[0]?.workload ?? "");
    if (!w) continue;
    for (const name of partNames(parts).values())
      declared.add(`${key.split("/")[0]}/${namespaceOf(w)}/${name}`);
  }
  const previous = input.previous.lock.assignments.filter((a) => before.has(a.workload));
  for (const parts of groupBy(previous, (a) => `${a.target}/${a.workload}`).values()) {
    for (const [part, name] of partNames(parts)) {
      const w = before.get(part.workload) as WorkloadSpec;
      const key = `${part.target}/${namespaceOf(w)}`;
      if (declared.has(`${key}/${name}`)) continue;
      const f = out.get(key) ?? { milliCpu: 0, memoryMi: 0, gpus: 0, pods: 0 };
      addTo(f, w, part.replicas);
      out.set(key, f);
    }
  }
  return out;
}

/**
 * Whether a Job's previous run may still hold its pods while this update runs: the update that
 * raises `run` creates the new Job before it deletes the old one. Once the catalog the lock was
 * made for shows the same run, the old Job is gone; without that catalog it cannot be told, and
 * the room stays.
 */
function previousRunStillThere(input: RenderInput): (w: WorkloadSpec) => boolean {
  const earlier = input.previous?.workloads
    ? new Map(input.previous.workloads.map((w) => [w.name, w]))
    : null;
  return (w) => {
    if (!isJob(w) || (w.run ?? 1) === 1) return false;
    const was = earlier?.get(w.name);
    return !was || (was.run ?? 1) !== w.run;
  };
}

/** The quota of `target/namespace`, with room for what departs and for previous runs still there. */
function renderQuota(
  key: string,
  parts: Assignment[],
  specs: Map<string, WorkloadSpec>,
  room: { departing: ReadonlyMap<string, Footprint>; previousRun: (w: WorkloadSpec) => boolean },
): ResourceQuotaObject {
  const namespace = key.slice(key.indexOf("/") + 1);
  // What placement reserved, plus one replica of each part (Deployment or Job): a terminating pod
  // still counts against the quota, so without the room a rollout (or a Job replaced before its
  // old pods are gone) waits on its own old pods. A workload that grows must still be re-placed.
  const f: Footprint = { ...(room.departing.get(key) ?? { milliCpu: 0, memoryMi: 0, gpus: 0, pods: 0 }) };
  for (const part of parts) {
    const w = spec(specs, part.workload);
    // A Job's next run starts before the update deletes the previous run's Job and pods.
    const previousRun = room.previousRun(w) ? part.replicas : 0;
    addTo(f, w, part.replicas + 1 + previousRun);
  }
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: "placement", namespace, labels: { ...MANAGED_BY } },
    spec: {
      hard: {
        "requests.cpu": `${f.milliCpu}m`,
        "limits.cpu": `${f.milliCpu}m`,
        "requests.memory": `${f.memoryMi}Mi`,
        "limits.memory": `${f.memoryMi}Mi`,
        "requests.nvidia.com/gpu": String(f.gpus),
        pods: String(f.pods),
      },
    },
  };
}

/**
 * One part's Deployment or Job. `queued` is the Job's submission when the clusters run Kueue (null:
 * Kueue runs but the part is not a Job), undefined when nothing is queued.
 */
function renderWorkload(
  name: string,
  w: WorkloadSpec,
  part: Assignment,
  target: Target,
  pool: Pool,
  reason: string,
  queued: Submission | null | undefined,
  secrets: ClusterSecrets | undefined,
): DeploymentObject | JobObject {
  const namespace = namespaceOf(w);
  const placement = {
    [PLACEMENT_ANNOTATIONS.target]: target.name,
    [PLACEMENT_ANNOTATIONS.pool]: pool.name,
    [PLACEMENT_ANNOTATIONS.trust]: target.trust,
    [PLACEMENT_ANNOTATIONS.classification]: w.classification,
  };
  const annotations = {
    ...placement,
    [PLACEMENT_ANNOTATIONS.reason]:
      reason.length > REASON_LIMIT ? `${reason.slice(0, REASON_LIMIT - 3)}...` : reason,
  };
  const labels = {
    ...MANAGED_BY,
    "app.kubernetes.io/name": w.name,
    [LABEL_WORKLOAD]: w.name,
    [LABEL_POOL]: pool.name,
    [LABEL_OWNER]: w.owner,
    [LABEL_DATA_CLASSIFICATION]: w.classification,
  };
  const metadata = { name, namespace, labels, annotations };
  const podLabels = {
    ...labels,
    ...(identityAccountOf(w) ? SERVICE_ACCOUNT_POD_LABELS[target.cloud] : {}),
  };
  // The template holds only what stays put while the workload does: a reason reworded is an
  // update of the object, never a rollout of its pods.
  const template = podTemplate(w, pool, podLabels, placement, secrets?.driver === "secrets-store-csi");
  if (!isJob(w)) {
    // The selector names the Deployment, not its pool: moving to another pool of the cluster is a
    // rolling update onto the new nodes, never a replacement (which deletes every replica first).
    const selector = { [LABEL_WORKLOAD]: w.name, [LABEL_PART]: name };
    const spread = part.replicas > 1 ? spreadOver(pool, selector) : [];
    return {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { ...metadata, labels: { ...labels, [LABEL_PART]: name } },
      spec: {
        replicas: part.replicas,
        selector: { matchLabels: selector },
        // One pod more at a time (the quota keeps room for one per part): a single replica is
        // replaced only once its successor is ready; more replicas also give one up at a time.
        strategy: {
          type: "RollingUpdate",
          rollingUpdate: { maxSurge: 1, maxUnavailable: part.replicas > 1 ? 1 : 0 },
        },
        template: {
          metadata: { ...template.metadata, labels: { ...template.metadata.labels, [LABEL_PART]: name } },
          spec: { ...template.spec, ...(spread.length > 0 ? { topologySpreadConstraints: spread } : {}) },
        },
      },
    };
  }
  const waitFor = !queued
    ? JOB_WAIT_FOR.unqueued
    : queued.burstTo
      ? JOB_WAIT_FOR.dispatched
      : JOB_WAIT_FOR.queued;
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    // Wait until the Job is queued or has started, not until it finishes (training runs for
    // hours); unlike skipAwait this still waits for a deletion, so a replacement never meets the
    // old Job's name. The queue labels are on the Job, never on its pods: relabelling the priority
    // of a queued or running Job is an update in place (Kueue re-prioritises it), not a new Job.
    metadata: {
      ...metadata,
      labels: {
        ...metadata.labels,
        ...(queued
          ? { [KUEUE_LABELS.queueName]: queued.queue, [KUEUE_LABELS.priorityClass]: queued.priorityClass }
          : {}),
      },
      annotations: {
        ...annotations,
        ...(queued?.burstTo ? { [QUEUE_ANNOTATIONS.burstTo]: queued.burstTo } : {}),
        "pulumi.com/waitFor": waitFor,
      },
    },
    spec: {
      parallelism: part.replicas,
      completions: part.replicas,
      // Training ranks need stable indexes; batch shards take any free pod.
      completionMode: w.kind === "training" ? "Indexed" : "NonIndexed",
      backoffLimit: w.backoffLimit ?? (w.kind === "training" ? 0 : 3),
      ...(w.activeDeadlineSeconds ? { activeDeadlineSeconds: w.activeDeadlineSeconds } : {}),
      // No TTL: Pulumi owns the Job, and a Job deleted behind its back is re-run by a refresh.
      // A spot reclaim or node drain is not the workload's failure: it does not count to backoffLimit.
      podFailurePolicy: {
        rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }],
      },
      template: { ...template, spec: { ...template.spec, restartPolicy: "Never" } },
    },
  };
}

/** The workload's secrets as its cluster delivers them: ExternalSecrets, or SecretProviderClasses for the CSI driver. */
function renderSecretObjects(
  w: WorkloadSpec,
  namespace: string,
  driver: ClusterSecrets | undefined,
  accountAnnotations: Readonly<Record<string, string>> | undefined,
): (ExternalSecretObject | SecretProviderClassObject)[] {
  return driver?.driver === "secrets-store-csi"
    ? renderSecretProviderClasses(w, namespace, driver, accountAnnotations ?? {})
    : renderExternalSecrets(w, namespace);
}

/**
 * The workload's secrets as Secrets Store CSI driver SecretProviderClasses
 * (secrets-store.csi.x-k8s.io/v1), one per secret, each naming one vault object mounted as the
 * file `<mountPath>/<secret name>` (`objectAlias`). The provider reads it as the pod's
 * ServiceAccount when the pod mounts the volume; nothing is synced into a Secret object.
 * Parameters as the providers read them: AWS `objects` (objectName, objectType, objectAlias),
 * `usePodIdentity`, `region` (aws/secrets-store-csi-driver-provider-aws server/server.go);
 * Azure `keyvaultName`, `tenantId`, `clientID`, `usePodIdentity`, `objects` as an `array` of
 * object documents (Azure/secrets-store-csi-driver-provider-azure pkg/provider/types/types.go).
 */
function renderSecretProviderClasses(
  w: WorkloadSpec,
  namespace: string,
  driver: Extract<ClusterSecrets, { driver: "secrets-store-csi" }>,
  accountAnnotations: Readonly<Record<string, string>>,
): SecretProviderClassObject[] {
  return (w.secrets ?? []).map((s): SecretProviderClassObject => {
    const metadata = { name: s.name, namespace, labels: { ...MANAGED_BY, [LABEL_WORKLOAD]: w.name } };
    if (driver.provider === "aws") {
      const object = {
        objectName: s.remoteKey,
        objectType: driver.objectType ?? "secretsmanager",
        objectAlias: s.name,
      };
      return {
        apiVersion: "secrets-store.csi.x-k8s.io/v1",
        kind: "SecretProviderClass",
        metadata,
        spec: {
          provider: "aws",
          parameters: {
            objects: stringify([object]),
            usePodIdentity: String((driver.identity ?? "pod-identity") === "pod-identity"),
            ...(driver.region ? { region: driver.region } : ({} as Record<string, string>)),
          },
        },
      };
    }
    const clientID = driver.clientID ?? accountAnnotations["azure.workload.identity/client-id"];
    if (!clientID)
      throw new ConfigError(`workload ${JSON.stringify(w.name)}`, [
        {
          path: "secrets",
          message: `the Azure provider needs the client ID of the identity that reads Key Vault ${driver.keyvaultName}: set the cluster's secrets.clientID or bind the workload's ServiceAccount (azure.workload.identity/client-id)`,
        },
      ]);
    const object = stringify({ objectName: s.remoteKey, objectType: "secret", objectAlias: s.name });
    return {
      apiVersion: "secrets-store.csi.x-k8s.io/v1",
      kind: "SecretProviderClass",
      metadata,
      spec: {
        provider: "azure",
        parameters: {
          // Workload identity: the driver hands the provider the pod's ServiceAccount token.
          usePodIdentity: "false",
          clientID,
          keyvaultName: driver.keyvaultName,
          tenantId: driver.tenantId,
          objects: stringify({ array: [object] }),
        },
      },
    };
  });
}

/**
 * The workload's secrets as External Secrets Operator ExternalSecrets: each keeps its Secret (owned
 * by the ExternalSecret, so it goes with it) in sync with the store hourly. A Secret is retained
 * when its remote secret disappears: a store outage must not delete credentials running pods use.
 */
function renderExternalSecrets(w: WorkloadSpec, namespace: string): ExternalSecretObject[] {
  return (w.secrets ?? []).map((s) => ({
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name: s.name, namespace, labels: { ...MANAGED_BY, [LABEL_WORKLOAD]: w.name } },
    spec: {
      secretStoreRef: { name: s.store, kind: s.storeKind ?? "ClusterSecretStore" },
      refreshInterval: "1h",
      target: {
        name: s.name,
        creationPolicy: "Owner",
        deletionPolicy: "Retain",
        ...(s.type === "registry" ? { template: { type: "kubernetes.io/dockerconfigjson" } } : {}),
      },
      dataFrom: [{ extract: { key: s.remoteKey } }],
    },
  }));
}

function isJob(w: WorkloadSpec): boolean {
  return w.kind === "batch" || w.kind === "training";
}

/**
 * A multi-replica Deployment's pods, spread one node apart at most (hard: a node lost or drained
 * takes at most its share) over at least two nodes where the pool may have two (the autoscaler adds
 * the second), and over zones where it can (soft: on-premises nodes may carry no zone label).
 * `pod-template-hash` keeps a rollout's old pods out of its new pods' count.
 */
function spreadOver(
  pool: Pool,
  selector: Record<string, string>,
): NonNullable<PodTemplate["spec"]["topologySpreadConstraints"]> {
  const labelSelector = { matchLabels: selector };
  const matchLabelKeys = ["pod-template-hash"];
  return [
    {
      maxSkew: 1,
      topologyKey: "kubernetes.io/hostname",
      whenUnsatisfiable: "DoNotSchedule",
      ...((pool.maxNodes ?? 1) >= 2 ? { minDomains: 2 } : {}),
      labelSelector,
      matchLabelKeys,
    },
    {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector,
      matchLabelKeys,
    },
  ];
}

/**
 * A service with more than one replica in a namespace of a cluster: voluntary disruptions (node
 * drains, autoscaler scale-down, upgrades) evict one pod at a time. A pod that is not ready may
 * always be evicted, so a crash-looping pod never blocks a drain.
 */
function renderDisruptionBudget(
  w: WorkloadSpec,
  namespace: string,
  parts: readonly Assignment[],
): PodDisruptionBudgetObject | undefined {
  if (isJob(w) || parts.reduce((n, p) => n + p.replicas, 0) < 2) return undefined;
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: w.name, namespace, labels: { ...MANAGED_BY, [LABEL_WORKLOAD]: w.name } },
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: { [LABEL_WORKLOAD]: w.name } },
      unhealthyPodEvictionPolicy: "AlwaysAllow",
    },
  };
}

/** The Secrets Store CSI driver's name (its CSIDriver object). */
export const SECRETS_STORE_CSI_DRIVER = "secrets-store.csi.k8s.io";

/** The user and group a workload runs as unless its catalog entry says: distroless's `nonroot`. */
const DEFAULT_USER = 65532;
/** HOME of every workload container: a writable scratch directory. */
const WORKLOAD_HOME = "/home/workload";

/**
 * An object name the API server takes for a Job (whose name becomes a 63-character label): a
 * longer name keeps its first 54 characters and ends in 8 hex digits of its SHA-256, so it stays
 * the same from one plan to the next.
 */
export function objectName(name: string): string {
  return boundedName(name);
}

function podTemplate(
  w: WorkloadSpec,
  pool: Pool,
  labels: Record<string, string>,
  annotations: Record<string, string>,
  csiSecrets: boolean,
): PodTemplate {
  const requests: Record<string, string> = { cpu: `${milli(w.cpu)}m`, memory: `${mebibytes(w.memoryGiB)}Mi` };
  if (w.gpu) requests["nvidia.com/gpu"] = String(w.gpu.count);
  // The root filesystem is read-only: /tmp and HOME (where libraries keep caches) are scratch.
  const volumes: PodTemplate["spec"]["volumes"] = [
    { name: "tmp", emptyDir: {} },
    { name: "home", emptyDir: {} },
  ];
  const mounts: { name: string; mountPath: string; readOnly?: boolean }[] = [
    { name: "tmp", mountPath: "/tmp" },
    { name: "home", mountPath: WORKLOAD_HOME },
  ];
  const env = [
    { name: "HOME", value: WORKLOAD_HOME },
    { name: "XDG_CACHE_HOME", value: `${WORKLOAD_HOME}/.cache` },
    ...Object.entries(w.env ?? {})
      .filter(([name]) => name !== "HOME" && name !== "XDG_CACHE_HOME")
      .map(([name, value]) => ({ name, value })),
  ];
  if (w.gpu) {
    // Data loaders share batches through /dev/shm; the container default of 64 MiB stalls them.
    volumes.push({
      name: "dshm",
      emptyDir: { medium: "Memory", sizeLimit: `${Math.max(1, Math.floor(w.memoryGiB / 4))}Gi` },
    });
    mounts.push({ name: "dshm", mountPath: "/dev/shm" });
  }
  const secrets = w.secrets ?? [];
  for (const secret of secrets.filter((x) => x.mountPath !== undefined && x.type !== "registry")) {
    volumes.push(
      csiSecrets
        ? {
            // The driver mounts the vault's object when the pod starts; the volume is read-only.
            name: `secret-${secret.name}`,
            csi: {
              driver: SECRETS_STORE_CSI_DRIVER,
              readOnly: true,
              volumeAttributes: { secretProviderClass: secret.name },
            },
          }
        : // Read-only to the workload's user and group (fsGroup owns the files); never world-readable.
          { name: `secret-${secret.name}`, secret: { secretName: secret.name, defaultMode: 0o440 } },
    );
    mounts.push({ name: `secret-${secret.name}`, mountPath: secret.mountPath as string, readOnly: true });
  }
  const envFrom = secrets
    .filter((x) => x.mountPath === undefined && x.type !== "registry")
    .map((x) => ({ secretRef: { name: x.name } }));
  const pullSecrets = [
    ...new Set([
      ...(w.imagePullSecrets ?? []),
      ...secrets.filter((x) => x.type === "registry").map((x) => x.name),
    ]),
  ];
  return {
    metadata: { labels, annotations },
    spec: {
      // The pool label always: a pool declared with an empty label map would otherwise select
      // every node of the cluster.
      nodeSelector: { ...pool.labels, [LABEL_POOL]: pool.name },
      tolerations: (pool.taints ?? []).map((t) => ({
        key: t.key,
        operator: t.value === undefined ? "Exists" : "Equal",
        ...(t.value === undefined ? {} : { value: t.value }),
        effect: t.effect,
      })),
      automountServiceAccountToken: false,
      // Ranks find each other as <job>-<index>.<workload> through the headless Service.
      ...(hasRanks(w) ? { subdomain: w.name } : {}),
      serviceAccountName: serviceAccountOf(w),
      securityContext: {
        runAsNonRoot: true,
        runAsUser: w.runAsUser ?? DEFAULT_USER,
        runAsGroup: w.runAsGroup ?? DEFAULT_USER,
        fsGroup: w.fsGroup ?? DEFAULT_USER,
        seccompProfile: { type: "RuntimeDefault" },
      },
      ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map((name) => ({ name })) } : {}),
      terminationGracePeriodSeconds: w.kind === "training" ? 120 : 30,
      containers: [
        {
          name: w.name,
          image: w.image,
          ...(w.command ? { command: w.command } : {}),
          ...(w.args ? { args: w.args } : {}),
          env,
          ...(envFrom.length > 0 ? { envFrom } : {}),
          ...(w.ports
            ? {
                ports: w.ports.map((p) => ({
                  name: p.name,
                  containerPort: p.port,
                  protocol: p.protocol ?? "TCP",
                })),
              }
            : {}),
          // Limits equal requests: Guaranteed QoS, so a busy neighbour cannot starve a GPU job.
          resources: { requests, limits: { ...requests } },
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
          },
          volumeMounts: mounts,
        },
      ],
      volumes,
    },
  };
}

type Protocol = "TCP" | "UDP";
const PROTOCOLS: readonly Protocol[] = ["TCP", "UDP"];

/** The protocols `w` declares on `port` (a port declared without one is TCP). */
function declaredProtocols(w: WorkloadSpec, port: number): Protocol[] {
  return (w.ports ?? []).filter((p) => p.port === port).map((p) => p.protocol ?? "TCP");
}

/**
 * A rule's ports, each with the protocols its destination listens on there: a port is UDP when the
 * destination workload declares it UDP, and TCP where nothing says otherwise (CIDRs and whole
 * namespaces declare nothing; one rule's ports apply to all its peers).
 */
function rulePorts(
  list: readonly number[] | undefined,
  destinations: readonly WorkloadSpec[],
  undeclaredPeers: boolean,
): { ports?: { protocol: string; port: number }[] } {
  if (!list?.length) return {};
  const ports = list.flatMap((port) => {
    const declared = new Set(destinations.flatMap((d) => declaredProtocols(d, port)));
    if (undeclaredPeers || declared.size === 0) declared.add("TCP");
    return PROTOCOLS.filter((p) => declared.has(p)).map((protocol) => ({ protocol, port }));
  });
  return { ports };
}

/**
 * The workload's declared allowances. Named workloads are matched in their own namespaces (a pod
 * selector alone matches only the policy's namespace), which is why the whole catalog is passed.
 */
/** Where the workloads run, and the networks of the clusters, for rules naming peers elsewhere. */
interface PeerPlaces {
  target: string;
  targetsOf: (workload: string) => string[];
  networks: Readonly<Record<string, readonly string[]>> | undefined;
}

function renderWorkloadPolicy(
  w: WorkloadSpec,
  specs: Map<string, WorkloadSpec>,
  places: PeerPlaces,
): NetworkPolicyObject | undefined {
  if (!w.ingress?.length && !w.egress?.length) return undefined;
  const byNamespace = (ns: string): NetworkPolicyPeer => ({
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } },
  });
  const named = (name: string): WorkloadSpec => {
    const found = specs.get(name);
    if (!found) throw new Error(`${w.name}'s network rules name "${name}", which is not among the workloads`);
    return found;
  };
  // A peer on this cluster by its pods; a peer (also) on another cluster by that cluster's networks,
  // which the VPN links join: its pods are not here to select.
  const byWorkload = (other: WorkloadSpec): NetworkPolicyPeer[] => {
    const targets = places.targetsOf(other.name);
    const here = targets.includes(places.target);
    const elsewhere = targets.filter((t) => t !== places.target);
    const remote = elsewhere.flatMap((t) => {
      const cidrs = places.networks?.[t];
      if (!cidrs) {
        throw new ConfigError(`workload ${JSON.stringify(w.name)}`, [
          {
            path: "ingress/egress",
            message: `names "${other.name}", which runs on ${t}, not only on ${places.target}: a policy here cannot select its pods; give PlacedWorkloads the clusters' networks (networks.${t}) or place the two together`,
          },
        ]);
      }
      return cidrs.map((cidr) => ({ ipBlock: { cidr } }));
    });
    return [
      ...(here
        ? [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespaceOf(other) } },
              podSelector: { matchLabels: { [LABEL_WORKLOAD]: other.name } },
            },
          ]
        : []),
      ...remote,
    ];
  };
  const policyTypes: ("Ingress" | "Egress")[] = [];
  if (w.ingress?.length) policyTypes.push("Ingress");
  if (w.egress?.length) policyTypes.push("Egress");
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: {
      name: `allow-${w.name}`,
      namespace: namespaceOf(w),
      labels: { ...MANAGED_BY, [LABEL_WORKLOAD]: w.name },
    },
    spec: {
      podSelector: { matchLabels: { [LABEL_WORKLOAD]: w.name } },
      policyTypes,
      ...(w.ingress?.length
        ? {
            // Ingress ports are the workload's own.
            ingress: w.ingress.map((rule) => ({
              from: [
                ...(rule.fromNamespaces ?? []).map(byNamespace),
                ...(rule.fromWorkloads ?? []).flatMap((name) => byWorkload(named(name))),
              ],
              ...rulePorts(rule.ports, [w], false),
            })),
          }
        : {}),
      ...(w.egress?.length
        ? {
            egress: w.egress.map((rule) => {
              const destinations = (rule.toWorkloads ?? []).map(named);
              return {
                to: [
                  ...(rule.toCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })),
                  ...(rule.toNamespaces ?? []).map(byNamespace),
                  ...destinations.flatMap(byWorkload),
                ],
                ...rulePorts(
                  rule.ports,
                  destinations,
                  (rule.toCidrs?.length ?? 0) + (rule.toNamespaces?.length ?? 0) > 0,
                ),
              };
            }),
          }
        : {}),
    },
  };
}

function spec(specs: Map<string, WorkloadSpec>, name: string): WorkloadSpec {
  const found = specs.get(name);
  if (!found) throw new Error(`placement assigned "${name}", which is not among the workloads`);
  return found;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k) ?? [];
    list.push(item);
    out.set(k, list);
  }
  return out;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function milli(cores: number): number {
  return Math.ceil(cores * 1000);
}

function mebibytes(gib: number): number {
  return Math.ceil(gib * 1024);
}
