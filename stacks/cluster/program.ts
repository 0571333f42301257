import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import {
  ClusterAddons,
  type ClusterAddonsArgs,
  ClusterMetrics,
  type ClusterMetricsArgs,
  PlacedWorkloads,
  type PlacementCluster,
  type QueueSettings,
  SiteGateway,
  type WorkloadSpec,
} from "../../components/kubernetes";
import type { PlacementLock, PlacementResult, Target } from "../../components/placement";
import type { TrafficPlan } from "../../components/traffic";
import { ConfigError } from "../../components/validation";
import { type ClusterCopiesView, declareDataCopies } from "../data";
import { type ClusterEndpoint, type DeployFrom, serverOf } from "./reach";

/** What the cluster phase reads from the platform stack: plain decisions and secret kubeconfigs. */
export interface PlatformView {
  /** The platform stack's name, for messages. */
  name: string;
  /** How placement saw each cluster. */
  targets: Target[];
  /** Per cluster (target name): the add-ons its pools need. */
  addons: Record<string, ClusterAddonsArgs>;
  /** The workload catalog and the decision the platform phase made for it, if it has one. */
  workloads?: PlatformWorkloadsOutput;
  /** Kueue's multi-cluster roles and namespaces (absent from a platform stack older than queues). */
  queues?: { multiKueue?: { manager: string; workers: string[] }; kueueNamespaces: Record<string, string> };
  /** Per cluster: the data copies it runs (backups, restore drills, staging). */
  dataCopies?: Record<string, ClusterCopiesView>;
  /** Per cluster: its networks, for rules naming a workload on another cluster. */
  targetNetworks?: Record<string, string[]>;
  /** Per existing cluster: the namespaces it has and its node-local DNS (the on-premises config's `cluster`). */
  clusterFacts?: Record<string, Pick<PlacementCluster, "existingNamespaces" | "cni" | "dns" | "secrets">>;
  /** Per workload: egress rules to its data (its datasets' endpoints, the identity agent). */
  dataPaths?: Record<string, { toCidrs: string[]; ports: number[] }[]>;
  /** Per workload: its ServiceAccount's annotations (the Azure identity it is bound to). */
  serviceAccountAnnotations?: Record<string, Record<string, string>>;
  /** Per cluster: what it runs to feed its site's metrics store. */
  metrics?: Record<string, ClusterMetricsArgs>;
  /** The on-premises metrics store's bearer token (secret), if config gives one. */
  metricsStoreToken?: pulumi.Output<string>;
  /** What a Kubernetes provider needs to reach a cluster: its kubeconfig (secret) and context. */
  access(cluster: string): { kubeconfig: pulumi.Output<string>; context: pulumi.Output<string> };
  /** Each cluster's API server, which the phase checks it can reach before declaring anything. */
  endpoints: ClusterEndpoint[];
  /** Where the platform says the cluster phase runs, for advice when a cluster is out of reach. */
  deploy: DeployFrom;
  /** Cross-site traffic: the plan, each site's trust, the EKS VPC's private subnets. */
  traffic?: PlatformTraffic;
}

/** The platform's `traffic` output, read as plain values. */
export interface PlatformTraffic {
  plan: TrafficPlan;
  siteTrust: Record<string, "private" | "public">;
  awsSubnetIds?: string[];
  gatewayImage?: string;
}

/** What this phase exports. */
export interface ClusterPhaseOutputs {
  platformStack: string;
  /** Where each workload runs (as decided by the platform phase). */
  assignments?: pulumi.Output<PlacementResult["assignments"]>;
}

/** The outputs the platform phase publishes for this one (see `stacks/program.ts`). */
interface PlatformWorkloadsOutput {
  catalog: WorkloadSpec[];
  decision: PlacementResult;
  allowPartial: boolean;
  queues?: QueueSettings;
  /** The lock the decision replaces: what runs on the clusters now. */
  previous?: PlacementLock;
}

/**
 * Reads the platform stack's outputs. Decisions must be plain values (known before anything is
 * declared here), so they are read with `getOutputDetails`; kubeconfigs stay secret Outputs.
 */
export async function readPlatform(ref: pulumi.StackReference): Promise<PlatformView> {
  const name = await new Promise<string>((resolve) => ref.name.apply(resolve));
  const plain = async <T>(key: string): Promise<T | undefined> => {
    const details = await ref.getOutputDetails(key);
    return (details.value ?? details.secretValue) as T | undefined;
  };
  const targets = await plain<Target[]>("placementTargets");
  const addons = await plain<Record<string, ClusterAddonsArgs>>("addons");
  if (!targets || !addons) {
    throw new ConfigError(`platform stack "${name}"`, [
      {
        path: targets ? "addons" : "placementTargets",
        message: "is not an output of the platform stack; run `pulumi up` on the platform phase first",
      },
    ]);
  }
  const workloads = await plain<PlatformWorkloadsOutput>("workloads");
  const queues = await plain<NonNullable<PlatformView["queues"]>>("queues");
  const data = await plain<{ clusters?: Record<string, ClusterCopiesView> }>("data");
  const dataPaths = await plain<NonNullable<PlatformView["dataPaths"]>>("dataPaths");
  const targetNetworks = await plain<NonNullable<PlatformView["targetNetworks"]>>("targetNetworks");
  const clusterFacts = await plain<NonNullable<PlatformView["clusterFacts"]>>("clusterFacts");
  const serviceAccountAnnotations =
    await plain<NonNullable<PlatformView["serviceAccountAnnotations"]>>("serviceAccountAnnotations");
  const monitoring = await plain<{ clusters: Record<string, ClusterMetricsArgs> }>("monitoring");
  const token = await plain<string>("monitoringStoreToken");
  const clusters = ref.requireOutput("clusters") as pulumi.Output<
    Record<string, { kubeconfig?: string; context?: string }>
  >;
  const kubeconfigs = (await plain<Record<string, { kubeconfig?: string }>>("clusters")) ?? {};
  const endpoints = targets.flatMap((t) => {
    const server = serverOf(kubeconfigs[t.name]?.kubeconfig ?? "");
    return server ? [{ cluster: t.name, server }] : [];
  });
  const deploy = await plain<{ from: string; cidrs: string[] }>("deploy");
  const traffic = await plain<PlatformTraffic>("traffic");
  return {
    name,
    targets,
    addons,
    ...(workloads ? { workloads } : {}),
    ...(queues ? { queues } : {}),
    ...(data?.clusters ? { dataCopies: data.clusters } : {}),
    ...(dataPaths ? { dataPaths } : {}),
    ...(targetNetworks ? { targetNetworks } : {}),
    ...(clusterFacts ? { clusterFacts } : {}),
    ...(serviceAccountAnnotations ? { serviceAccountAnnotations } : {}),
    ...(traffic ? { traffic } : {}),
    endpoints,
    deploy: { stack: name.split("/").pop() ?? name, ...(deploy ?? {}) },
    ...(monitoring ? { metrics: monitoring.clusters } : {}),
    ...(token ? { metricsStoreToken: pulumi.secret(token) } : {}),
    access: (cluster) => ({
      kubeconfig: pulumi.secret(
        clusters.apply((all) => {
          const found = all[cluster]?.kubeconfig;
          if (!found)
            throw new Error(`platform stack "${name}" exports no kubeconfig for cluster "${cluster}"`);
          return found;
        }),
      ),
      // No context means the kubeconfig's current one.
      context: clusters.apply((all) => all[cluster]?.context) as pulumi.Output<string>,
    }),
  };
}

/**
 * The cluster phase: on each cluster, through a provider built from its kubeconfig, the add-ons its
 * pools need, then the placed workloads exactly as the platform phase decided them. Runs where the
 * private API servers are reachable.
 */
export function clusterPhase(platform: PlatformView): ClusterPhaseOutputs {
  const providers = new Map(
    platform.targets.map((t) => [
      t.name,
      new Provider(t.name, { ...platform.access(t.name), enableServerSideApply: true }),
    ]),
  );
  // The DNS each cluster's pods query (config states it for a cluster the library did not build):
  // every namespace the cluster phase confines allows that, and only that.
  const dnsOf = (target: string) => {
    const dns = platform.clusterFacts?.[target]?.dns;
    return dns ? { dns } : {};
  };
  const addons = platform.targets.map((t) => {
    const provider = providers.get(t.name) as Provider;
    return new ClusterAddons(`${t.name}-addons`, platform.addons[t.name] ?? {}, {
      provider,
      ...dnsOf(t.name),
    });
  });
  platform.targets.forEach((t, i) => {
    const metrics = platform.metrics?.[t.name];
    if (!metrics) return;
    new ClusterMetrics(
      `${t.name}-metrics`,
      { ...metrics, ...dnsOf(t.name) },
      {
        provider: providers.get(t.name) as Provider,
        // The add-ons first: Kueue's namespace takes the scraper's policy, GPU nodes need their plugin.
        dependsOn: addons[i] ? [addons[i]] : [],
        ...(metrics.prometheus && platform.metricsStoreToken
          ? { remoteWriteToken: platform.metricsStoreToken }
          : {}),
      },
    );
  });
  const outputs: ClusterPhaseOutputs = { platformStack: platform.name };
  // Backups, restore drills and staging as rclone Jobs on the clusters that run them.
  if (platform.dataCopies) declareDataCopies(platform.dataCopies, providers, dnsOf);
  if (platform.workloads) {
    const placed = new PlacedWorkloads(
      "workloads",
      {
        clusters: platform.targets.map((t) => ({
          placementTarget: t,
          kubernetesProvider: providers.get(t.name) as Provider,
          ...(platform.targetNetworks?.[t.name] ? { networks: platform.targetNetworks[t.name] } : {}),
          ...(platform.clusterFacts?.[t.name] ?? {}),
        })),
        workloads: withDataPaths(platform.workloads.catalog, platform.dataPaths ?? {}),
        decision: platform.workloads.decision,
        ...(platform.workloads.previous ? { previous: platform.workloads.previous } : {}),
        allowPartial: platform.workloads.allowPartial,
        ...(platform.serviceAccountAnnotations
          ? { serviceAccountAnnotations: platform.serviceAccountAnnotations }
          : {}),
        // Every cluster runs Kueue (its add-ons): the placed Jobs are queued, and burst from the
        // private site through the VPN links where the catalog allows it.
        ...(platform.queues ? { queues: queuesOf(platform, platform.queues) } : {}),
      },
      // Device plugins and the autoscaler first: GPU work is unschedulable without them.
      { dependsOn: addons },
    );
    outputs.assignments = placed.assignments;
    declareGateways(platform, providers, [placed, ...addons]);
  }
  return outputs;
}

/** PlacedWorkloads' queues: the catalog's settings, MultiKueue's roles with each worker's kubeconfig. */
function queuesOf(
  platform: PlatformView,
  queues: NonNullable<PlatformView["queues"]>,
): NonNullable<ConstructorParameters<typeof PlacedWorkloads>[1]["queues"]> {
  const mk = queues.multiKueue;
  return {
    ...(platform.workloads?.queues ? { settings: platform.workloads.queues } : {}),
    kueueNamespaces: queues.kueueNamespaces,
    ...(mk
      ? {
          multiKueue: {
            manager: mk.manager,
            workers: mk.workers.map((target) => ({ target, kubeconfig: platform.access(target).kubeconfig })),
          },
        }
      : {}),
  };
}

/** The catalog with each workload's data paths added to what its own egress rules allow. */
export function withDataPaths(
  catalog: WorkloadSpec[],
  dataPaths: NonNullable<PlatformView["dataPaths"]>,
): WorkloadSpec[] {
  return catalog.map((w) => {
    const paths = dataPaths[w.name];
    return paths && paths.length > 0 ? { ...w, egress: [...(w.egress ?? []), ...paths] } : w;
  });
}

/**
 * Each cluster's share of cross-site traffic: its gateway and the internal load balancer entries of
 * its copies, after the placed workloads (their namespaces) and the add-ons (on EKS, the AWS Load
 * Balancer Controller that makes the entries NLBs).
 */
function declareGateways(
  platform: PlatformView,
  providers: Map<string, Provider>,
  dependsOn: pulumi.Resource[],
): SiteGateway[] {
  const traffic = platform.traffic;
  if (!traffic) return [];
  const { plan } = traffic;
  return platform.targets.flatMap((t) => {
    const range = plan.entryRanges[t.name];
    const used =
      plan.gateways.some((g) => g.site === t.name) ||
      plan.services.some((s) => s.entries.some((e) => e.site === t.name));
    if (!range || !used) return [];
    return [
      new SiteGateway(
        `${t.name}-traffic`,
        {
          plan,
          site: t.name,
          siteTrust: traffic.siteTrust,
          ...(range.kind === "aws" && traffic.awsSubnetIds ? { subnetIds: traffic.awsSubnetIds } : {}),
          ...(traffic.gatewayImage ? { image: traffic.gatewayImage } : {}),
          ...(platform.clusterFacts?.[t.name]?.dns ? { dns: platform.clusterFacts[t.name]?.dns } : {}),
        },
        { provider: providers.get(t.name) as Provider, dependsOn },
      ),
    ];
  });
}
