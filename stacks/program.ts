import * as pulumi from "@pulumi/pulumi";
import { KUEUE_NAMES } from "../components/facts";
import { commonArgsOf } from "../components/kit";
import type {
  ClusterAddonsArgs,
  PlacementCluster,
  QueueSettings,
  WorkloadSpec,
} from "../components/kubernetes";
import type { PlacementLock, PlacementResult, Target } from "../components/placement";
import type { PlatformConfig, SiteKind, Sites } from "./config";
import { type DataOutputs, declareData, planCopies } from "./data";
import {
  type DataPath,
  type DnsOutputs,
  declareHybridDns,
  declareVpn,
  declareWorkloadIdentities,
  type VpnOutputs,
  type WorkloadIdentity,
} from "./joins";
import { clusterQueues, declareMonitoring, type MonitoringOutputs, siteMetricsOf } from "./monitoring";
import {
  type DeclaredAwsSite,
  type DeclaredAzureSite,
  type DeclaredSite,
  declareAwsSite,
  declareAzureSite,
  declareOnPremSite,
  type SiteVpnEnd,
} from "./sites";
import { declareServiceNames, type TrafficOutputs } from "./traffic";
import type { Outputs, PlatformSecrets, PlatformWorkloads } from "./types";

/** What the cluster phase renders against, per cluster: `PlacementCluster`'s facts. */
export type ClusterFactsOutput = Pick<PlacementCluster, "existingNamespaces" | "cni" | "dns" | "secrets">;

/**
 * Per cluster (target name), what config states about it for the cluster phase: the on-premises
 * cluster's facts (its GPU facts shaped the platform's placement target already), and each cloud
 * cluster's workload secrets driver. With each, the config path it was stated at.
 */
export function clusterFactsOf(sites: Sites): Record<string, { facts: ClusterFactsOutput; path: string }> {
  const out: Record<string, { facts: ClusterFactsOutput; path: string }> = {};
  const onprem = sites.onprem?.config.cluster;
  if (sites.onprem && onprem) {
    const { gpu: _gpu, ...facts } = onprem;
    out[sites.onprem.name] = { facts, path: "onprem.cluster" };
  }
  for (const site of [sites.aws, sites.azure]) {
    const secrets = site?.config.cluster.workloadSecrets;
    if (site && secrets) out[site.name] = { facts: { secrets }, path: `${site.kind}.cluster` };
  }
  return out;
}

/**
 * What other stacks read through `StackReference`: the cluster phase (`stacks/cluster`) and
 * product teams' stacks. Decisions are plain values, so readers can act on them before declaring.
 */
export interface PlatformOutputs {
  environment: string;
  /** Where the cluster phase runs (config `deploy`), which it checks its reach against. */
  deploy?: { from: string; cidrs: string[] };
  clusters: Record<string, Outputs>;
  buckets: Record<string, Outputs>;
  networks: Record<string, Outputs>;
  placementTargets: Target[];
  /** Per cluster (target name): its networks, which peers on other clusters see its traffic from. */
  targetNetworks: Record<string, string[]>;
  /** Per existing cluster (target name): what config states it has (namespaces, CNI, DNS, secrets driver), which the cluster phase renders against. */
  clusterFacts?: Record<string, ClusterFactsOutput>;
  /** The VPN links' tunnels and the on-premises router's configuration (secret). */
  vpn?: VpnOutputs;
  /** The resolvers' addresses and the on-premises resolver's forwarding snippet. */
  dns?: DnsOutputs;
  /** Per workload reading datasets next to its cluster: its cloud identity (EKS Pod Identity role, Azure managed identity). */
  identities?: Record<string, WorkloadIdentity>;
  /** Per workload reading datasets: the egress rules to its data, which the cluster phase adds to its policy. */
  dataPaths?: Record<string, pulumi.Output<DataPath[]>>;
  /** Per workload with an Azure identity: its ServiceAccount's annotations, which the cluster phase renders. */
  serviceAccountAnnotations?: Record<string, Record<string, pulumi.Output<string>>>;
  /** Per cluster (placement target name): the add-ons its pools need, which the cluster phase runs. */
  addons: Record<string, ClusterAddonsArgs>;
  /** Per site: its rules, its store, and what its cluster runs to feed it; and the environment's dashboard. */
  monitoring?: MonitoringOutputs;
  /** The on-premises metrics store's bearer token (secret), which the cluster phase mounts into Prometheus. */
  monitoringStoreToken?: pulumi.Output<string>;
  /** The catalog and the placement decided for it, which the cluster phase renders and queues. */
  workloads?: {
    catalog: WorkloadSpec[];
    decision: PlacementResult;
    allowPartial: boolean;
    queues?: QueueSettings;
    /** The lock the decision replaces (what runs now), for the quotas' room while objects depart. */
    previous?: PlacementLock;
  };
  /**
   * Kueue's multi-cluster roles: the private site's cluster dispatches burstable Jobs to the cloud
   * clusters a VPN link joins to it; per cluster, Kueue's namespace.
   */
  queues: { multiKueue?: { manager: string; workers: string[] }; kueueNamespaces: Record<string, string> };
  /** Data copies: per cluster its backups, restore drills and staging, the backups monitoring watches, each dataset's copies. */
  data?: DataOutputs;
  /** Cross-site services: the plan the cluster phase renders gateways from, and the on-premises names. */
  traffic?: TrafficOutputs;
  placement?: {
    assignments: PlacementResult["assignments"];
    cost: PlacementResult["cost"];
    lock: PlacementLock;
  };
}

/**
 * The platform phase: declares each site of one environment's validated config (its network,
 * cluster, pools, storage and VPN end), then what joins them (VPN links, hybrid DNS, workload
 * identities), and returns the stack outputs. It calls cloud APIs only and declares no Kubernetes
 * object (the cluster phase does, from inside the private network).
 */
export function platform(
  sites: Sites,
  secrets: PlatformSecrets,
  workloads: PlatformWorkloads = {},
): PlatformOutputs {
  const config = sites.config;
  const common = commonArgsOf(config);
  const declared = declareSites(sites, secrets, common);
  const aws = declared.find((d): d is DeclaredAwsSite => d.site.kind === "aws");
  const azure = declared.find((d): d is DeclaredAzureSite => d.site.kind === "azure");
  // Data copies first: workloads placed where their data is staged read the staged copy.
  const data = declareData(sites, common, declared, planCopies(sites, workloads));
  const identities = declareWorkloadIdentities(sites, common, workloads, { aws, azure }, data?.staged);
  const dns = declareHybridDns(sites, common, { aws, azure }, data?.awsZones);
  const ends: Partial<Record<SiteKind, SiteVpnEnd>> = Object.fromEntries(
    declared.flatMap((d) => (d.vpn ? [[d.site.kind, d.vpn]] : [])),
  );
  const vpn = declareVpn(sites, common, ends);
  const queues = queueRoles(sites, declared);
  const targets = declared.map((d) => d.target);
  const monitoring = declareMonitoring(
    sites,
    common,
    declared,
    siteMetricsOf(sites, targets, workloads, clusterQueues(targets, workloads, queues.multiKueue)),
    { vpn, kueueNamespaces: queues.kueueNamespaces },
  );
  const traffic = workloads.traffic
    ? declareServiceNames(
        workloads.traffic,
        Object.fromEntries(declared.map((d) => [d.target.name, d.target.trust])),
        common,
        { aws, azure, onprem: sites.onprem?.name },
        config.traffic?.gatewayImage,
      )
    : undefined;
  return {
    environment: config.environment,
    ...(config.deploy ? { deploy: config.deploy } : {}),
    clusters: Object.fromEntries(declared.map((d) => [d.site.name, d.clusterOutputs])),
    buckets: Object.assign({}, ...declared.map((d) => d.buckets)),
    networks: Object.fromEntries(
      declared.flatMap((d) => (d.network ? [[d.network.key, d.network.outputs]] : [])),
    ),
    placementTargets: declared.map((d) => d.target),
    targetNetworks: sites.targetNetworks(),
    ...nonEmpty(
      "clusterFacts",
      Object.fromEntries(Object.entries(clusterFactsOf(sites)).map(([k, v]) => [k, v.facts])),
    ),
    addons: Object.fromEntries(
      declared.map((d) => [
        d.target.name,
        withControllerImage(d.addons, config.traffic?.awsLoadBalancerControllerImage),
      ]),
    ),
    queues,
    ...(vpn ? { vpn } : {}),
    ...(dns ? { dns } : {}),
    ...(data ? { data: data.outputs } : {}),
    ...(monitoring ? { monitoring } : {}),
    ...(monitoring && secrets.onpremMetricsToken
      ? { monitoringStoreToken: pulumi.secret(secrets.onpremMetricsToken) }
      : {}),
    ...(traffic ? { traffic } : {}),
    ...nonEmpty("identities", identities.identities),
    ...nonEmpty("dataPaths", identities.dataPaths),
    ...nonEmpty("serviceAccountAnnotations", identities.serviceAccountAnnotations),
    ...decided(config, workloads),
  };
}

/** Each configured site, declared in order. */
function declareSites(
  sites: Sites,
  secrets: PlatformSecrets,
  common: ReturnType<typeof commonArgsOf>,
): DeclaredSite[] {
  return sites.all.map((site) => {
    if (site.kind === "aws") return declareAwsSite(site, sites, common);
    if (site.kind === "azure") return declareAzureSite(site, sites, common);
    // loadPlatformConfig has already refused a config with `onprem` and no kubeconfig.
    const kubeconfig = secrets.onpremKubeconfig;
    if (!kubeconfig) throw new Error("onpremKubeconfig is missing; loadPlatformConfig should have said so");
    return declareOnPremSite(site, sites, common, kubeconfig);
  });
}

function nonEmpty<K extends string, V>(key: K, value: Record<string, V>): { [P in K]?: Record<string, V> } {
  return (Object.keys(value).length > 0 ? { [key]: value } : {}) as { [P in K]?: Record<string, V> };
}

/**
 * MultiKueue's roles: the on-premises cluster manages, the clouds joined to it by a VPN link work
 * (the manager reaches their private API endpoints over the links, resolving their names through
 * hybrid DNS). Without the site or a link, nothing bursts.
 */
function queueRoles(sites: Sites, declared: DeclaredSite[]): PlatformOutputs["queues"] {
  const kueueNamespaces = Object.fromEntries(
    declared.map((d) => [d.target.name, d.addons.kueue?.existing?.namespace ?? KUEUE_NAMES.namespace]),
  );
  const onprem = sites.onprem;
  const workers = onprem
    ? sites
        .peersOf("onprem")
        .map((s) => s.name)
        .sort()
    : [];
  return onprem && workers.length > 0
    ? { multiKueue: { manager: onprem.name, workers }, kueueNamespaces }
    : { kueueNamespaces };
}

/** The catalog and its decision, when the environment has a catalog. */
function decided(
  config: PlatformConfig,
  { catalog, decision, queues, lock }: PlatformWorkloads,
): Pick<PlatformOutputs, "workloads" | "placement"> {
  if (!catalog || !decision) return {};
  return {
    workloads: {
      catalog,
      decision,
      allowPartial: config.placement?.allowPartial ?? false,
      ...(queues ? { queues } : {}),
      ...(lock ? { previous: lock } : {}),
    },
    placement: { assignments: decision.assignments, cost: decision.cost, lock: decision.lock },
  };
}

/** The AWS Load Balancer Controller's image from config (a mirror), where the cluster runs one. */
function withControllerImage(addons: ClusterAddonsArgs, image: string | undefined): ClusterAddonsArgs {
  const lbc = addons.awsLoadBalancerController;
  return lbc && image ? { ...addons, awsLoadBalancerController: { ...lbc, image } } : addons;
}
