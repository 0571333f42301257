import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import { Deployment } from "@pulumi/kubernetes/apps/v1/deployment";
import { Job } from "@pulumi/kubernetes/batch/v1/job";
import { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
import { ResourceQuota, type ResourceQuotaArgs } from "@pulumi/kubernetes/core/v1/resourceQuota";
import { Secret } from "@pulumi/kubernetes/core/v1/secret";
import { Service } from "@pulumi/kubernetes/core/v1/service";
import { ServiceAccount } from "@pulumi/kubernetes/core/v1/serviceAccount";
import { NetworkPolicy, type NetworkPolicyArgs } from "@pulumi/kubernetes/networking/v1/networkPolicy";
import { PodDisruptionBudget } from "@pulumi/kubernetes/policy/v1/podDisruptionBudget";
import type { Provider } from "@pulumi/kubernetes/provider";
import { ClusterRole } from "@pulumi/kubernetes/rbac/v1/clusterRole";
import { ClusterRoleBinding } from "@pulumi/kubernetes/rbac/v1/clusterRoleBinding";
import * as pulumi from "@pulumi/pulumi";
import { KUEUE_LABELS, KUEUE_NAMES, LABEL_POOL, MULTIKUEUE_KUBECONFIG_KEY } from "../facts";
import {
  checkDecision,
  type PlacementInput,
  type PlacementLock,
  type PlacementResult,
  place,
  type Target,
  validatePlacementInput,
} from "../placement";
import { ConfigError, type ConfigIssue, componentSubject, describeIssues } from "../validation";
import { type AppliedJobPins, appliedJobPins, explainHeld, heldJobReason, heldWords } from "./applied-jobs";
import { catalogIssues } from "./catalog-checks";
import {
  type ClusterDns,
  type ClusterFacts,
  type ClusterSecrets,
  type CniName,
  clusterFactsIssues,
} from "./cluster-facts";
import type { KueueObject, RenderedObject } from "./objects";
import { managerSecret, multiKueueKubeconfig, workerIdentity } from "./queues/credentials";
import type { QueuePlan, WorkerCredential } from "./queues/render";
import { type QueueSettings, queueSettingsSchema } from "./queues/settings";
import { namespaceOf, PLACEMENT_ANNOTATIONS, renderWithQueues } from "./render";
import { placementWorkload, QUEUED_KINDS, type WorkloadSpec, workloadKubernetesSchema } from "./spec";

/** A cluster placement may use: any cluster component (`AwsPrivateCluster`, `OnPremCluster`, ...). */
export interface PlacementCluster {
  /** How placement sees the cluster. */
  placementTarget: Target;
  /** The provider that applies the rendered objects to it. */
  kubernetesProvider: Provider;
  /** The cluster's networks (VPC, VNet, on-premises ranges): how its pods' traffic looks to a peer on another cluster across the VPN. */
  networks?: string[];
  /** Namespaces that exist already on the cluster: never created, adopted or deleted (no quota; policies select only the library's pods). */
  existingNamespaces?: string[];
  /** The cluster's CNI plugin (a cluster the library did not build); one that ignores NetworkPolicy gets no restricted data. Unstated: trusted to enforce. */
  cni?: CniName;
  /** The DNS the cluster's pods query, which `allow-dns` allows alone; default CoreDNS in kube-system (`k8s-app: kube-dns`). */
  dns?: ClusterDns;
  /** How workloads' secrets reach their pods here; default the External Secrets Operator. */
  secrets?: ClusterSecrets;
}

/** How `PlacedWorkloads` queues its Jobs (the clusters run Kueue: `ClusterAddons`' `kueue`). */
export interface PlacedWorkloadsQueues {
  /** The catalog's queue settings: named priorities, preemption, queueing strategy. */
  settings?: QueueSettings;
  /**
   * Bursting: the private site's cluster (the MultiKueue manager) and the cloud clusters its queue
   * may dispatch to, each with the kubeconfig its platform exports (for its server and CA; the
   * manager authenticates with a ServiceAccount token of the worker's, never the exec plugin).
   */
  multiKueue?: { manager: string; workers: { target: string; kubeconfig: pulumi.Input<string> }[] };
  /** Per cluster (target name): Kueue's namespace, where it is not kueue-system (an existing installation). */
  kueueNamespaces?: Record<string, string>;
}

/** Arguments of `PlacedWorkloads`. */
export interface PlacedWorkloadsArgs {
  /** The clusters to choose among. */
  clusters: PlacementCluster[];
  /** The workload catalog. */
  workloads: WorkloadSpec[];
  /**
   * The last decision (the lock), so stable workloads stay where they are; with a `decision`, the
   * decision now running on the clusters. Each namespace's quota keeps room for the objects of this
   * decision that the update deletes (Pulumi deletes them last, after the quota and workloads).
   */
  previous?: PlacementLock;
  /** The catalog `previous` was decided for, where it differs from `workloads` (renamed or removed workloads, changed namespaces); default `workloads`. */
  previousWorkloads?: WorkloadSpec[];
  /** $/h charged for each workload that moves away from `previous`. Default 1. */
  moveCost?: number;
  /** Solver time budget in milliseconds (the result stays deterministic). */
  timeLimitMs?: number;
  /** Deploy what fits and report the rest, instead of failing the update. Default false. */
  allowPartial?: boolean;
  /**
   * A decision already made by `decidePlacement` for exactly these clusters and workloads. A stack
   * decides before it declares anything, so a workload that cannot be placed stops the update
   * before any resource is registered; without it, the component decides itself. It is checked
   * before anything is declared: every row names a workload, cluster and pool that exist, passes
   * every hard placement rule, and every workload is placed whole or listed unplaced (which fails
   * the update unless `allowPartial`). Capacity is not re-checked.
   */
  decision?: PlacementResult;
  /**
   * Per workload: annotations of its ServiceAccount, binding it to its cloud identity (Azure
   * workload identity's `azure.workload.identity/client-id`; EKS Pod Identity needs none).
   */
  serviceAccountAnnotations?: Record<string, Record<string, string>>;
  /**
   * Queue the batch and training Jobs with Kueue: per cluster a ResourceFlavor per pool, a
   * ClusterQueue per namespace holding what placement budgeted there, LocalQueues, priority classes,
   * and bursting to the cloud through MultiKueue. Absent, Jobs start as soon as they are applied.
   */
  queues?: PlacedWorkloadsQueues;
}

/** Nodes a pool needs for the placed work. */
export interface PoolUsage {
  target: string;
  pool: string;
  nodes: number;
}

/**
 * Decides where each workload runs (`place()`), then renders on each chosen cluster its
 * namespace, Deployment or Job, default-deny network policies and quota, with the decision
 * recorded in annotations. Unplaced workloads fail the update with their reasons, unless
 * `allowPartial` is set.
 */
export class PlacedWorkloads extends pulumi.ComponentResource {
  /** The whole decision: assignments, packing, cost, explanations and the lock. */
  public readonly result: pulumi.Output<PlacementResult>;
  /** Where each workload runs. */
  public readonly assignments: pulumi.Output<PlacementResult["assignments"]>;
  /** Nodes each pool needs. */
  public readonly nodesPerPool: pulumi.Output<PoolUsage[]>;
  /** Hourly cost of the decision. */
  public readonly cost: pulumi.Output<PlacementResult["cost"]>;
  /** Workloads that could not be placed, with reasons (only with `allowPartial`). */
  public readonly unplaced: pulumi.Output<PlacementResult["unplaced"]>;
  /** The lock to store and feed back as `previous`. */
  public readonly lock: pulumi.Output<PlacementLock>;
  /** With `queues`: Kueue's objects per cluster, how each Job is submitted, and where each burstable workload may burst. */
  public queuePlan: QueuePlan | undefined;

  constructor(name: string, args: PlacedWorkloadsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = componentSubject("PlacedWorkloads", name);
    const { input, held } = validate(subject, args);
    if (args.queues) validateQueues(subject, args);
    const allowPartial = args.allowPartial ?? false;
    // A decision handed in is held to the same rules as one made here, before anything exists.
    if (args.decision) {
      checkGivenDecision(subject, input, args.decision, { allowPartial, held });
      checkClusterFacts(subject, args, args.decision);
    }
    super("hybrid-ai-infra:index:PlacedWorkloads", name, {}, opts);

    const providers = new Map(args.clusters.map((c) => [c.placementTarget.name, c.kubernetesProvider]));
    const networks = Object.fromEntries(
      args.clusters.flatMap((c) => (c.networks ? [[c.placementTarget.name, c.networks] as const] : [])),
    );
    const declare = (result: PlacementResult): PlacementResult => {
      const { targets: rendered, queues } = renderWithQueues({
        result,
        workloads: args.workloads,
        targets: input.targets,
        networks,
        clusters: factsOf(args.clusters),
        ...(args.previous
          ? {
              previous: {
                lock: args.previous,
                ...(args.previousWorkloads ? { workloads: args.previousWorkloads } : {}),
              },
            }
          : {}),
        ...(args.serviceAccountAnnotations
          ? { serviceAccountAnnotations: args.serviceAccountAnnotations }
          : {}),
        ...(args.queues
          ? {
              queues: {
                settings: args.queues.settings,
                multiKueue: args.queues.multiKueue && {
                  manager: args.queues.multiKueue.manager,
                  workers: args.queues.multiKueue.workers.map((w) => w.target),
                },
              },
            }
          : {}),
      });
      const credentials = queues ? this.declareCredentials(name, queues, args, providers) : new Map();
      for (const { target, objects } of rendered) {
        const provider = providers.get(target);
        if (!provider) throw new Error(`${subject}: no Kubernetes provider for target "${target}"`);
        this.declareObjects(
          name,
          target,
          objects,
          provider,
          poolsScalingUp(result, input.targets),
          credentials,
        );
      }
      this.queuePlan = queues;
      return result;
    };
    // Placement depends only on plain config, never on Outputs, so the rendered objects are known
    // at preview, whether the decision was handed in or is made here (possibly by a solver).
    const decided = args.decision
      ? declare(args.decision)
      : checkedPlace(subject, input, { allowPartial, held }).then((r) => {
          checkClusterFacts(subject, args, r);
          return declare(r);
        });

    this.result = pulumi.output(decided);
    this.assignments = this.result.apply((r) => r.assignments);
    this.cost = this.result.apply((r) => r.cost);
    this.unplaced = this.result.apply((r) => r.unplaced);
    this.lock = this.result.apply((r) => r.lock);
    this.nodesPerPool = this.result.apply((r) =>
      r.packing.map((p) => ({ target: p.target, pool: p.pool, nodes: p.nodes.length })),
    );
    this.registerOutputs({
      // What was decided, and from what: a plan or a policy can re-read the decision in full.
      workloads: input.workloads,
      targets: input.targets,
      result: this.result,
      assignments: this.assignments,
      nodesPerPool: this.nodesPerPool,
      cost: this.cost,
      unplaced: this.unplaced,
      lock: this.lock,
    });
  }

  private declareObjects(
    name: string,
    target: string,
    objects: RenderedObject[],
    provider: Provider,
    scalingUp: ReadonlySet<string>,
    credentials: ReadonlyMap<string, pulumi.Resource>,
  ): void {
    const opts = { parent: this, provider };
    const id = (o: RenderedObject): string =>
      [name, target, o.kind.toLowerCase(), o.metadata.namespace, o.metadata.name].filter(Boolean).join("-");
    const namespaces = new Map<string, Namespace>();
    const inNamespace = (namespace: string | undefined) => {
      const ns = namespace ? namespaces.get(namespace) : undefined;
      return { ...opts, dependsOn: ns ? [ns] : [] };
    };
    // What must exist before any pod of a namespace starts: its network policies (default-deny
    // above all) and its quota. A pod that starts earlier runs unconfined until the policies land,
    // and one admitted before the quota exists is never counted against it.
    const guards = new Map<string, pulumi.Resource[]>();
    const guard = (namespace: string | undefined, resource: pulumi.Resource): void => {
      if (namespace) guards.set(namespace, [...(guards.get(namespace) ?? []), resource]);
    };
    for (const o of objects) {
      switch (o.kind) {
        case "Namespace":
          namespaces.set(o.metadata.name, new Namespace(id(o), { metadata: o.metadata }, opts));
          break;
        case "Service":
          new Service(id(o), { metadata: o.metadata, spec: o.spec }, inNamespace(o.metadata.namespace));
          break;
        case "ServiceAccount":
          // Before the workloads: a pod naming a missing service account is refused.
          guard(
            o.metadata.namespace,
            new ServiceAccount(
              id(o),
              { metadata: o.metadata, automountServiceAccountToken: o.automountServiceAccountToken },
              inNamespace(o.metadata.namespace),
            ),
          );
          break;
        case "NetworkPolicy":
        case "ResourceQuota": {
          const ns = o.metadata.namespace;
          const args = { metadata: o.metadata, spec: o.spec };
          guard(
            ns,
            o.kind === "NetworkPolicy"
              ? new NetworkPolicy(id(o), args as NetworkPolicyArgs, inNamespace(ns))
              : new ResourceQuota(id(o), args as ResourceQuotaArgs, inNamespace(ns)),
          );
          break;
        }
        default:
          declareSupport(o, id(o), inNamespace(o.metadata.namespace), guard);
          break;
      }
    }
    const queues = this.declareKueueObjects(
      (o) =>
        [name, target, o.kind.toLowerCase(), o.metadata.namespace, o.metadata.name].filter(Boolean).join("-"),
      objects.filter((o): o is KueueObject => o.apiVersion === "kueue.x-k8s.io/v1beta2"),
      { opts, namespaces, credentials: (worker) => credentials.get(`${target}/${worker}`) },
    );
    // Workloads second, once every guard of their namespace is known.
    const guarded = (namespace: string | undefined) => {
      const base = inNamespace(namespace);
      return { ...base, dependsOn: [...base.dependsOn, ...(namespace ? (guards.get(namespace) ?? []) : [])] };
    };
    for (const o of objects) {
      switch (o.kind) {
        case "Deployment": {
          // A Deployment on a pool that must grow first waits for nodes to launch, join and
          // advertise their GPUs, well past Pulumi's default 10 minutes.
          const pool = o.metadata.annotations?.[PLACEMENT_ANNOTATIONS.pool];
          const waits = scalingUp.has(`${target}/${pool}`);
          new Deployment(
            id(o),
            { metadata: o.metadata, spec: o.spec },
            {
              ...guarded(o.metadata.namespace),
              ...(waits ? { customTimeouts: { create: SCALE_UP_TIMEOUT, update: SCALE_UP_TIMEOUT } } : {}),
            },
          );
          break;
        }
        case "Job": {
          // Queued: its LocalQueue and priority class first (Kueue's webhook refuses neither, but a
          // Job naming a missing priority class stays suspended with no Workload).
          const labels = o.metadata.labels ?? {};
          const waitsFor = [
            queues.get(`${o.metadata.namespace}/${labels[KUEUE_LABELS.queueName]}`),
            queues.get(`/${labels[KUEUE_LABELS.priorityClass]}`),
          ].filter((r): r is pulumi.Resource => r !== undefined);
          const base = guarded(o.metadata.namespace);
          // A Job once applied is never replaced by an edit (its template is immutable: Pulumi
          // would delete the running Job and start it over); edits and moves to another pool take
          // effect at its next run, a new object (the spec's `run`). deleteBeforeReplace stays for
          // a Job re-created under its own name (the API server refuses a second one).
          new Job(
            id(o),
            { metadata: o.metadata, spec: o.spec },
            {
              ...base,
              dependsOn: [...base.dependsOn, ...waitsFor],
              deleteBeforeReplace: true,
              ignoreChanges: JOB_IGNORED_CHANGES,
            },
          );
          break;
        }
        default:
          break;
      }
    }
  }

  /**
   * Declares one cluster's Kueue objects in the order Kueue needs them (priority classes and
   * flavors, the MultiKueue chain, then ClusterQueues, then LocalQueues in their namespaces), and
   * returns them by `namespace/name` (cluster-scoped: `/name`) for the Jobs to depend on.
   */
  private declareKueueObjects(
    id: (o: KueueObject) => string,
    objects: KueueObject[],
    ctx: {
      opts: pulumi.CustomResourceOptions;
      namespaces: ReadonlyMap<string, pulumi.Resource>;
      credentials: (worker: string) => pulumi.Resource | undefined;
    },
  ): Map<string, pulumi.Resource> {
    const out = new Map<string, pulumi.Resource>();
    const declare = (o: KueueObject, dependsOn: pulumi.Resource[]) => {
      const { apiVersion, kind, metadata, ...rest } = o;
      const r = new CustomResource(
        id(o),
        { apiVersion, kind, metadata, ...rest },
        { ...ctx.opts, dependsOn },
      );
      out.set(`${metadata.namespace ?? ""}/${metadata.name}`, r);
      return r;
    };
    const of = (kind: KueueObject["kind"]) => objects.filter((o) => o.kind === kind);
    const first = [...of("WorkloadPriorityClass"), ...of("ResourceFlavor")].map((o) => declare(o, []));
    // A MultiKueueCluster reads its Secret; a check reads its config; a queue waits for its check.
    const clusters = of("MultiKueueCluster").map((o) => {
      const secret = ctx.credentials(o.metadata.name);
      return declare(o, secret ? [secret] : []);
    });
    const configs = of("MultiKueueConfig").map((o) => declare(o, clusters));
    const checks = of("AdmissionCheck").map((o) => declare(o, configs));
    // Kueue's finalizers make the teardown order matter: a queue goes before its flavors and checks.
    const queues = of("ClusterQueue").map((o) => declare(o, [...first, ...checks]));
    for (const o of of("LocalQueue")) {
      const ns = o.metadata.namespace ? ctx.namespaces.get(o.metadata.namespace) : undefined;
      declare(o, [...queues, ...(ns ? [ns] : [])]);
    }
    return out;
  }

  /**
   * Each worker's identity for the manager (a ServiceAccount, its role and token Secret on the
   * worker) and the manager's Secret with the kubeconfig built from it; returns the manager's
   * Secrets by `manager/worker`.
   */
  private declareCredentials(
    name: string,
    plan: QueuePlan,
    args: PlacedWorkloadsArgs,
    providers: ReadonlyMap<string, Provider>,
  ): Map<string, pulumi.Resource> {
    const out = new Map<string, pulumi.Resource>();
    const kubeconfigs = new Map(
      (args.queues?.multiKueue?.workers ?? []).map((w) => [w.target, w.kubeconfig]),
    );
    const namespaceOn = (target: string) => args.queues?.kueueNamespaces?.[target] ?? KUEUE_NAMES.namespace;
    for (const c of plan.credentials as WorkerCredential[]) {
      const on = (target: string) => {
        const provider = providers.get(target);
        if (!provider) throw new Error(`PlacedWorkloads: no Kubernetes provider for target "${target}"`);
        return { parent: this, provider };
      };
      const prefix = `${name}-${c.worker}-multikueue-${c.manager}`;
      const identity = workerIdentity(c, namespaceOn(c.worker));
      const account = new ServiceAccount(`${prefix}-serviceaccount`, identity.serviceAccount, on(c.worker));
      const role = new ClusterRole(`${prefix}-clusterrole`, identity.clusterRole, on(c.worker));
      const binding = new ClusterRoleBinding(`${prefix}-clusterrolebinding`, identity.clusterRoleBinding, {
        ...on(c.worker),
        dependsOn: [account, role],
      });
      // Kubernetes fills the token; pulumi-kubernetes waits until it has.
      const token = new Secret(`${prefix}-token`, identity.tokenSecret, {
        ...on(c.worker),
        dependsOn: [binding],
      });
      const source = kubeconfigs.get(c.worker);
      if (!source)
        throw new Error(`PlacedWorkloads: queues.multiKueue.workers has no kubeconfig for "${c.worker}"`);
      const kubeconfig = pulumi
        .all([pulumi.output(source), token.data])
        .apply(([from, data]) =>
          multiKueueKubeconfig(
            c.worker,
            from,
            Buffer.from(String(data?.token ?? ""), "base64").toString("utf8"),
          ),
        );
      const secret = managerSecret(c, namespaceOn(c.manager));
      out.set(
        `${c.manager}/${c.worker}`,
        new Secret(
          `${name}-${c.manager}-secret-${secret.metadata.name}`,
          {
            metadata: secret.metadata,
            type: secret.type,
            stringData: { [MULTIKUEUE_KUBECONFIG_KEY]: pulumi.secret(kubeconfig) },
          },
          on(c.manager),
        ),
      );
    }
    return out;
  }
}

/**
 * What an update never changes on an applied Job: its spec, and the pool it records (the pods stay
 * where they started until the next run).
 */
export const JOB_IGNORED_CHANGES = [
  "spec",
  `metadata.labels["${LABEL_POOL}"]`,
  `metadata.annotations["${PLACEMENT_ANNOTATIONS.pool}"]`,
];

/**
 * A workload's ExternalSecrets and SecretProviderClasses (guards: a pod whose Secret or class is
 * missing does not start) and its PodDisruptionBudget.
 */
function declareSupport(
  o: RenderedObject,
  id: string,
  opts: pulumi.CustomResourceOptions,
  guard: (namespace: string | undefined, resource: pulumi.Resource) => void,
): void {
  if (o.kind === "ExternalSecret" || o.kind === "SecretProviderClass") {
    const { apiVersion, kind, metadata, spec } = o;
    guard(o.metadata.namespace, new CustomResource(id, { apiVersion, kind, metadata, spec }, opts));
  } else if (o.kind === "PodDisruptionBudget")
    new PodDisruptionBudget(id, { metadata: o.metadata, spec: o.spec }, opts);
}

/** What each cluster states about itself, by target name, for rendering. */
function factsOf(clusters: readonly PlacementCluster[]): Record<string, ClusterFacts> {
  return Object.fromEntries(
    clusters.map((c) => [
      c.placementTarget.name,
      { existingNamespaces: c.existingNamespaces, cni: c.cni, dns: c.dns, secrets: c.secrets },
    ]),
  );
}

/**
 * The decision against what the clusters state about themselves (`clusterFactsIssues`): checked
 * before anything is declared when the decision is handed in.
 */
function checkClusterFacts(subject: string, args: PlacedWorkloadsArgs, result: PlacementResult): void {
  const index = new Map(args.workloads.map((w, i) => [w.name, i]));
  const clusterIndex = new Map(args.clusters.map((c, i) => [c.placementTarget.name, i]));
  const issues = clusterFactsIssues(
    result,
    args.workloads,
    factsOf(args.clusters),
    {
      workload: (name) => `workloads[${index.get(name)}]`,
      facts: (target) => `clusters[${clusterIndex.get(target)}]`,
    },
    args.serviceAccountAnnotations,
  );
  if (issues.length > 0)
    throw new ConfigError(`${subject}: the clusters cannot run the decision as they are`, issues);
}

/** How long a Deployment may wait for its pool to scale up from its minimum. */
export const SCALE_UP_TIMEOUT = "30m";

/** `target/pool` of every pool the decision needs more nodes of than the pool keeps running. */
function poolsScalingUp(result: PlacementResult, targets: Target[]): Set<string> {
  const minimum = new Map(
    targets.flatMap((t) => t.pools.map((p) => [`${t.name}/${p.name}`, p.minNodes ?? 0] as const)),
  );
  return new Set(
    result.packing
      .filter((p) => p.nodes.length > (minimum.get(`${p.target}/${p.pool}`) ?? 0))
      .map((p) => `${p.target}/${p.pool}`),
  );
}

/**
 * Validates both halves of every workload spec and the placement input before anything is
 * registered, and returns the input for `place()`.
 */
function validate(subject: string, args: PlacedWorkloadsArgs): CheckedInput {
  return placementInputFor(subject, {
    workloads: args.workloads,
    targets: args.clusters.map((c) => c.placementTarget),
    ...(args.previous ? { previous: args.previous } : {}),
    ...(args.previousWorkloads ? { previousWorkloads: args.previousWorkloads } : {}),
    ...(args.moveCost === undefined ? {} : { moveCost: args.moveCost }),
    ...(args.timeLimitMs === undefined ? {} : { timeLimitMs: args.timeLimitMs }),
  });
}

/** What `decidePlacement` needs: the catalog, the targets, and the options. */
export interface PlacementRequest {
  workloads: WorkloadSpec[];
  targets: Target[];
  previous?: PlacementLock;
  /**
   * The catalog `previous` was decided for, where it differs from `workloads`; default `workloads`.
   * Tells a Job's new run (free to move) from its applied one (held where it runs).
   */
  previousWorkloads?: WorkloadSpec[];
  moveCost?: number;
  timeLimitMs?: number;
  allowPartial?: boolean;
}

/** The input for `place()`, and the applied Jobs it holds where they run (with how to move them). */
interface CheckedInput {
  input: PlacementInput;
  held: HeldJobs;
}

interface HeldJobs {
  pins: AppliedJobPins;
  /** The input before the holds: what explains a held Job by the rules alone. */
  unpinned: PlacementInput;
  /** Whether the catalog `previous` was decided for was given (a raised run then moves a Job). */
  previousWorkloads: boolean;
}

interface UnplacedPolicy {
  allowPartial: boolean;
  held: HeldJobs;
}

/**
 * Validates a catalog against the targets and decides where everything runs; throws one
 * ConfigError naming `subject` for bad input, and another listing every workload that cannot be
 * placed (unless `allowPartial`). Nothing is declared.
 */
export async function decidePlacement(subject: string, request: PlacementRequest): Promise<PlacementResult> {
  const { input, held } = placementInputFor(subject, request);
  return checkedPlace(subject, input, { allowPartial: request.allowPartial ?? false, held });
}

async function checkedPlace(
  subject: string,
  input: PlacementInput,
  policy: UnplacedPolicy,
): Promise<PlacementResult> {
  const result = explainHeld(await place(input), policy.held.pins, policy.held.unpinned);
  failOnUnplaced(subject, result, policy);
  return result;
}

/**
 * Unplaced workloads fail the update with their reasons, unless partial placement is allowed; an
 * applied Job held where it runs says so, and how to move it.
 */
function failOnUnplaced(subject: string, result: PlacementResult, policy: UnplacedPolicy): void {
  if (result.unplaced.length > 0 && !policy.allowPartial) {
    throw new ConfigError(
      `${subject}: ${result.unplaced.length} workload${result.unplaced.length > 1 ? "s" : ""} cannot be placed`,
      result.unplaced.map((u) => {
        const pin = policy.held.pins.get(u.workload);
        const reasons = [
          ...u.reasons,
          ...(pin ? [heldJobReason(u.workload, pin, policy.held.previousWorkloads)] : []),
        ];
        return { path: u.workload, message: reasons.join("; ") || "no feasible target" };
      }),
    );
  }
}

/**
 * A decision handed in must fit the catalog and clusters it is declared on: known names, whole
 * workloads, every hard rule (a stale or edited decision must not put restricted data on a public
 * cloud); then the same unplaced check as a decision made here.
 */
function checkGivenDecision(
  subject: string,
  input: PlacementInput,
  decision: PlacementResult,
  policy: UnplacedPolicy,
): void {
  const issues = checkDecision(input, decision).map((issue) => {
    // `puts etl on b/cpu: pinned to a/cpu; ...`: a held Job's pin is said as the hold it is.
    const held = [...policy.held.pins].find(([name]) => issue.message.startsWith(`puts ${name} on `));
    return held ? { ...issue, message: heldWords(issue.message, held[1]) } : issue;
  });
  if (issues.length > 0) throw new ConfigError(`${subject}: the decision does not fit`, issues);
  failOnUnplaced(subject, decision, policy);
}

function placementInputFor(subject: string, args: PlacementRequest): CheckedInput {
  const issues: ConfigIssue[] = [];
  args.workloads.forEach((w, i) => {
    const parsed = workloadKubernetesSchema.safeParse(w, { reportInput: true });
    if (!parsed.success) {
      for (const issue of describeIssues(parsed.error.issues)) {
        issues.push({ path: `workloads[${i}]${issue.path ? `.${issue.path}` : ""}`, message: issue.message });
      }
    }
  });
  const owners = new Map<string, { owner: string; workload: string }>();
  args.workloads.forEach((w, i) => {
    const ns = namespaceOf(w);
    const seen = owners.get(ns);
    if (seen && seen.owner !== w.owner) {
      issues.push({
        path: `workloads[${i}].owner`,
        message: `"${w.owner}" differs from "${seen.owner}" (owner of ${seen.workload}) in namespace "${ns}"; one namespace, one owner`,
      });
    } else if (!seen) owners.set(ns, { owner: w.owner, workload: w.name });
  });
  issues.push(
    ...unknownPeers(args.workloads),
    ...catalogIssues(args.workloads).map((i) => ({
      path: `workloads[${i.path[0]}].${i.path[1]}`,
      message: i.message,
    })),
  );
  const input: PlacementInput = {
    workloads: args.workloads.map(placementWorkload),
    targets: args.targets,
    ...(args.previous ? { previous: args.previous } : {}),
    options: {
      ...(args.moveCost === undefined ? {} : { moveCost: args.moveCost }),
      ...(args.timeLimitMs === undefined ? {} : { timeLimitMs: args.timeLimitMs }),
    },
  };
  try {
    validatePlacementInput(input);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    issues.push(...e.issues);
  }
  if (issues.length > 0) throw new ConfigError(subject, issues);
  // Once the catalog and targets are known good: each pin names a target (and pool) that exists.
  const pins = appliedJobPins(args.workloads, args.targets, args.previous, args.previousWorkloads);
  return {
    input: {
      ...input,
      workloads: input.workloads.map((w) => {
        const pin = pins.get(w.name);
        return pin ? { ...w, pin } : w;
      }),
    },
    held: { pins, unpinned: input, previousWorkloads: args.previousWorkloads !== undefined },
  };
}

/** Workloads named in network rules must be in the catalog: their namespaces come from it. */
function unknownPeers(workloads: readonly WorkloadSpec[]): ConfigIssue[] {
  const names = new Set(workloads.map((w) => w.name));
  const known = [...names].sort();
  const shown =
    known.length > 8 ? `${known.slice(0, 8).join(", ")} and ${known.length - 8} more` : known.join(", ");
  const issues: ConfigIssue[] = [];
  const check = (path: string, list: readonly string[] | undefined): void => {
    (list ?? []).forEach((name, k) => {
      if (!names.has(name)) {
        issues.push({
          path: `${path}[${k}]`,
          message: `"${name}" is not a workload of the catalog; name one of ${shown}`,
        });
      }
    });
  };
  workloads.forEach((w, i) => {
    (w.ingress ?? []).forEach((rule, r) => {
      check(`workloads[${i}].ingress[${r}].fromWorkloads`, rule.fromWorkloads);
    });
    (w.egress ?? []).forEach((rule, r) => {
      check(`workloads[${i}].egress[${r}].toWorkloads`, rule.toWorkloads);
    });
  });
  return issues;
}

/**
 * The queue settings, and what queueing asks of the catalog: Kueue priorities are int32 values, a
 * named priority class is one the settings declare (with that value), and MultiKueue's manager and
 * workers are clusters of `clusters`, the manager not among its own workers (Kueue cannot dispatch
 * to itself).
 */
function validateQueues(subject: string, args: PlacedWorkloadsArgs): void {
  const queues = args.queues;
  if (!queues) return;
  const issues: ConfigIssue[] = [];
  const parsed = queueSettingsSchema.safeParse(queues.settings ?? {}, { reportInput: true });
  if (!parsed.success)
    for (const i of describeIssues(parsed.error.issues))
      issues.push({ path: `queues.settings${i.path ? `.${i.path}` : ""}`, message: i.message });
  const classes = new Map((queues.settings?.priorityClasses ?? []).map((c) => [c.name, c.value]));
  args.workloads.forEach((w, i) => {
    if (!QUEUED_KINDS.includes(w.kind)) return;
    const priority = w.priority ?? 0;
    if (!Number.isInteger(priority) || Math.abs(priority) > 2_147_483_647)
      issues.push({
        path: `workloads[${i}].priority`,
        message: `${priority} is not a whole number of at most 10 digits; a queued Job's priority is a Kueue WorkloadPriorityClass value (int32)`,
      });
    if (w.priorityClass === undefined) return;
    const value = classes.get(w.priorityClass);
    if (value === undefined)
      issues.push({
        path: `workloads[${i}].priorityClass`,
        message: `"${w.priorityClass}" is not a priority class of the queue settings; name one of ${[...classes.keys()].join(", ") || "(none declared)"}`,
      });
    else if (w.priority !== undefined && value !== w.priority)
      issues.push({
        path: `workloads[${i}].priority`,
        message: `${w.priority} differs from ${value}, the value of its priority class "${w.priorityClass}"`,
      });
  });
  const targets = new Set(args.clusters.map((c) => c.placementTarget.name));
  const mk = queues.multiKueue;
  if (mk) {
    if (!targets.has(mk.manager))
      issues.push({
        path: "queues.multiKueue.manager",
        message: `"${mk.manager}" is not one of the clusters`,
      });
    mk.workers.forEach((w, i) => {
      if (!targets.has(w.target))
        issues.push({
          path: `queues.multiKueue.workers[${i}].target`,
          message: `"${w.target}" is not one of the clusters`,
        });
      if (w.target === mk.manager)
        issues.push({
          path: `queues.multiKueue.workers[${i}].target`,
          message: `"${w.target}" is the manager; Kueue's MultiKueue cannot dispatch to its own cluster`,
        });
    });
  }
  if (issues.length > 0) throw new ConfigError(subject, issues);
}
