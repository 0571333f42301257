import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { ResourceGroup } from "@pulumi/azure-native/resources";
import type * as pulumi from "@pulumi/pulumi";
import { AwsEncryptedBucket, AwsPrivateCluster, AwsVpc, awsClusterTarget } from "../components/aws";
import {
  AzureEncryptedStorage,
  AzurePrivateCluster,
  AzureVnet,
  azureClusterTarget,
} from "../components/azure";
import { type ClusterPlacementArgs, type CommonArgs, commonArgsOf, resolveCommon } from "../components/kit";
import type { ClusterAddonsArgs, WorkloadSpec } from "../components/kubernetes";
import { OnPremCluster, onPremClusterTarget } from "../components/onprem";
import type { PlacementLock, PlacementResult, Target } from "../components/placement";
import type { PlatformConfig } from "./config";
import { remoteDatasetsOf } from "./data-access";
import { type DnsOutputs, type DnsSites, declareHybridDns } from "./dns";
import {
  type AwsIdentityParts,
  type AzureIdentityParts,
  type DataPath,
  declareWorkloadIdentities,
  type WorkloadIdentity,
} from "./identities";
import {
  declareAwsVpnEnd,
  declareAzureVpnEnd,
  declareVpn,
  linkedSites,
  onPremVpnEnd,
  peerNetworks,
  type SiteVpnEnd,
  type VpnOutputs,
  type VpnSite,
} from "./vpn";

/** Secrets the program needs, read from secret config. */
export interface PlatformSecrets {
  /** Kubeconfig of the on-premises cluster (required when the config has `onprem`). */
  onpremKubeconfig?: pulumi.Output<string>;
}

/** The workload catalog, the last decision (lock) and the decision made before declaring anything. */
export interface PlatformWorkloads {
  catalog?: WorkloadSpec[];
  lock?: PlacementLock;
  decision?: PlacementResult;
}

type Outputs = Record<string, pulumi.Input<unknown>>;

/**
 * What other stacks read through `StackReference`: the cluster phase (`stacks/cluster`) and
 * product teams' stacks. Decisions are plain values, so readers can act on them before declaring.
 */
export interface PlatformOutputs {
  environment: string;
  clusters: Record<string, Outputs>;
  buckets: Record<string, Outputs>;
  networks: Record<string, Outputs>;
  placementTargets: Target[];
  /** Per cluster (target name): its networks, which peers on other clusters see its traffic from. */
  targetNetworks: Record<string, string[]>;
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
  /** The catalog and the placement decided for it, which the cluster phase renders. */
  workloads?: { catalog: WorkloadSpec[]; decision: PlacementResult; allowPartial: boolean };
  placement?: {
    assignments: PlacementResult["assignments"];
    cost: PlacementResult["cost"];
    lock: PlacementLock;
  };
}

/** One site as declared: its cluster for placement and what it exports. */
interface DeclaredSite {
  target: Target;
  addons: ClusterAddonsArgs;
  clusterName: string;
  clusterOutputs: Outputs;
  buckets: Record<string, Outputs>;
  network?: { key: string; outputs: Outputs };
  /** The site's end of its VPN links, when a link joins it. */
  vpn?: SiteVpnEnd;
  /** What the site brings to hybrid DNS. */
  dns?: DnsSites;
  /** The AWS site's cluster and buckets, which workload identities refer to. */
  awsParts?: AwsIdentityParts;
  /** The Azure site's cluster, storage and network, which workload identities refer to. */
  azureParts?: AzureIdentityParts;
}

/**
 * How placement sees a site's cluster: the site's facts, the datasets its storage hosts, and the
 * datasets of other sites it can read (so a workload never lands where its data is out of reach).
 */
function placementOf(
  config: PlatformConfig,
  kind: VpnSite,
  region: string,
  site: {
    jurisdiction: string;
    trust?: "private" | "public" | undefined;
    egressPricePerGiB?: number | undefined;
  },
  datasets: string[],
): ClusterPlacementArgs {
  return {
    region,
    jurisdiction: site.jurisdiction,
    trust: site.trust,
    egressPricePerGiB: site.egressPricePerGiB,
    datasets,
    remoteDatasets: remoteDatasetsOf(config, kind),
  };
}

const awsDatasets = (site: NonNullable<PlatformConfig["aws"]>) =>
  (site.buckets ?? []).flatMap((b) => b.datasets ?? []);
const azureDatasets = (site: NonNullable<PlatformConfig["azure"]>) =>
  (site.storage ?? []).flatMap((s) => s.datasets ?? []);

/**
 * The placement targets the config's clusters will provide, computed from config alone (the same
 * functions the cluster components use), so the stack can place its catalog before declaring.
 */
export function platformTargets(config: PlatformConfig): Target[] {
  const targets: Target[] = [];
  const { aws, azure, onprem } = config;
  if (aws) {
    const placement = placementOf(config, "aws", aws.region, aws, awsDatasets(aws));
    targets.push(awsClusterTarget(aws.cluster.name, { nodeGroups: aws.cluster.nodeGroups, placement }));
  }
  if (azure) {
    const placement = placementOf(config, "azure", azure.location, azure, azureDatasets(azure));
    targets.push(azureClusterTarget(azure.cluster.name, { nodePools: azure.cluster.nodePools, placement }));
  }
  if (onprem) {
    const placement = placementOf(config, "onprem", onprem.region, onprem, onprem.datasets ?? []);
    targets.push(onPremClusterTarget(onprem.name, { pools: onprem.pools, placement }));
  }
  return targets;
}

/**
 * The platform phase: composes the components from one environment's validated config and returns
 * the stack outputs. It calls cloud APIs only and declares no Kubernetes object (the cluster phase
 * does, from inside the private network). Optional config values are passed through as they are:
 * every component treats an undefined argument as absent.
 */
export function platform(
  config: PlatformConfig,
  secrets: PlatformSecrets,
  workloads: PlatformWorkloads = {},
): PlatformOutputs {
  const common = commonArgsOf(config);
  const sites: DeclaredSite[] = [];
  if (config.aws) sites.push(declareAws(config, config.aws, common));
  if (config.azure) sites.push(declareAzure(config, config.azure, common));
  if (config.onprem) sites.push(declareOnPrem(config, config.onprem, common, secrets));
  const awsEnd = sites.find((s) => s.vpn?.end.site === "aws")?.vpn;
  const azureEnd = sites.find((s) => s.vpn?.end.site === "azure")?.vpn;
  const onpremEnd = onPremVpnEnd(config);
  const identities = declareWorkloadIdentities(config, common, workloads, {
    aws: sites.find((s) => s.awsParts)?.awsParts,
    azure: sites.find((s) => s.azureParts)?.azureParts,
  });
  const dns = declareHybridDns(config, common, Object.assign({}, ...sites.map((s) => s.dns ?? {})));
  const vpn = declareVpn(config, common, {
    ...(awsEnd ? { aws: awsEnd } : {}),
    ...(azureEnd ? { azure: azureEnd } : {}),
    ...(onpremEnd ? { onprem: onpremEnd } : {}),
  });

  const outputs: PlatformOutputs = {
    environment: config.environment,
    clusters: Object.fromEntries(sites.map((s) => [s.clusterName, s.clusterOutputs])),
    buckets: Object.assign({}, ...sites.map((s) => s.buckets)),
    networks: Object.fromEntries(
      sites.flatMap((s) => (s.network ? [[s.network.key, s.network.outputs]] : [])),
    ),
    placementTargets: sites.map((s) => s.target),
    targetNetworks: targetNetworks(config),
    addons: Object.fromEntries(sites.map((s) => [s.target.name, s.addons])),
    ...(vpn ? { vpn } : {}),
    ...(dns ? { dns } : {}),
    ...(Object.keys(identities.identities).length > 0 ? { identities: identities.identities } : {}),
    ...(Object.keys(identities.dataPaths).length > 0 ? { dataPaths: identities.dataPaths } : {}),
    ...(Object.keys(identities.serviceAccountAnnotations).length > 0
      ? { serviceAccountAnnotations: identities.serviceAccountAnnotations }
      : {}),
  };
  const { catalog, decision } = workloads;
  if (catalog && decision) {
    outputs.workloads = { catalog, decision, allowPartial: config.placement?.allowPartial ?? false };
    outputs.placement = { assignments: decision.assignments, cost: decision.cost, lock: decision.lock };
  }
  return outputs;
}

function declareAws(
  config: PlatformConfig,
  site: NonNullable<PlatformConfig["aws"]>,
  common: CommonArgs,
): DeclaredSite {
  const c = site.cluster;
  // An explicit provider: the platform spans regions and clouds, so nothing depends on ambient config.
  const provider = new AwsProvider("aws", { region: site.region });
  const opts = { providers: { aws: provider } };
  const net = site.network;
  const vpc = new AwsVpc(
    `${c.name}-vpc`,
    "cidr" in net
      ? {
          ...common,
          cidrBlock: net.cidr,
          availabilityZones: net.availabilityZones,
          natGateways: net.natGateways,
          extraInterfaceEndpoints: net.extraInterfaceEndpoints,
          flowLogRetentionDays: net.flowLogRetentionDays,
        }
      : {
          ...common,
          existing: (({ cidr, ...ids }) => ({ ...ids, cidrBlock: cidr }))(net.existing),
          endpoints: net.endpoints,
          flowLogs: net.flowLogs,
        },
    opts,
  );
  const buckets = (site.buckets ?? []).map((b) => {
    const { name, ...args } = b;
    return { name, bucket: new AwsEncryptedBucket(name, { ...common, ...args }, opts) };
  });
  const { name: _name, ...clusterArgs } = c;
  const cluster = new AwsPrivateCluster(
    c.name,
    {
      ...common,
      ...clusterArgs,
      network: vpc,
      // The sites across the VPN links reach the private API endpoint (the cluster phase may run
      // there); without links, the on-premises network, which the operator routes itself.
      endpointAccessCidrs: linkedSites(config).has("aws")
        ? peerNetworks(config, "aws")
        : config.onprem?.networkCidr
          ? [config.onprem.networkCidr]
          : undefined,
      placement: placementOf(config, "aws", site.region, site, awsDatasets(site)),
    },
    opts,
  );
  const vpn = declareAwsVpnEnd(config, site, vpc, common, opts);
  return {
    ...(vpn ? { vpn } : {}),
    dns: { aws: { vpc, opts } },
    awsParts: { cluster, buckets, opts },
    target: cluster.placementTarget,
    addons: cluster.addons,
    clusterName: c.name,
    clusterOutputs: {
      cloud: "aws",
      name: cluster.clusterName,
      endpoint: cluster.endpoint,
      certificateAuthorityData: cluster.certificateAuthorityData,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      oidcProviderArn: cluster.oidcProviderArn,
      nodeRoleArn: cluster.nodeRoleArn,
      clusterSecurityGroupId: cluster.clusterSecurityGroupId,
      kubeconfig: cluster.kubeconfig,
    },
    buckets: Object.fromEntries(
      buckets.map(({ name, bucket }) => [
        name,
        {
          cloud: "aws",
          name: bucket.bucketName,
          arn: bucket.bucketArn,
          kmsKeyArn: bucket.kmsKeyArn,
          datasets: bucket.datasets,
        },
      ]),
    ),
    network: {
      key: "aws",
      outputs: { vpcId: vpc.vpcId, cidrBlock: vpc.cidrBlock, privateSubnetIds: vpc.privateSubnetIds },
    },
  };
}

function declareAzure(
  config: PlatformConfig,
  site: NonNullable<PlatformConfig["azure"]>,
  common: CommonArgs,
): DeclaredSite {
  const c = site.cluster;
  const { environment, tags, protectData } = resolveCommon(common);
  const provider = new AzureProvider("azure", { location: site.location });
  const opts = { providers: { "azure-native": provider } };
  // The resource group holds every Azure resource of the site: deleting it deletes them all.
  // A named group is created under that exact name (a deployer limited to a pre-created group
  // imports it, see docs); otherwise Azure's auto-naming adds a suffix to the default.
  const group = new ResourceGroup(
    site.resourceGroupName ?? `${c.name}-${environment}-rg`,
    {
      ...(site.resourceGroupName ? { resourceGroupName: site.resourceGroupName } : {}),
      location: site.location,
      tags,
    },
    { provider, protect: protectData, retainOnDelete: protectData },
  );
  const place = { resourceGroupName: group.name, location: site.location };
  const vnet = new AzureVnet(
    `${c.name}-vnet`,
    // Hybrid DNS needs the resolver's subnets where a link joins the site.
    {
      ...common,
      ...place,
      ...site.network,
      ...(linkedSites(config).has("azure") ? { dnsResolverSubnets: true } : {}),
    },
    opts,
  );
  const { name: _name, encryptionAtHost, nodePools, ...clusterArgs } = c;
  const cluster = new AzurePrivateCluster(
    c.name,
    {
      ...common,
      ...place,
      ...clusterArgs,
      ...(encryptionAtHost === undefined
        ? { nodePools }
        : {
            systemPool: { encryptionAtHost },
            nodePools: nodePools.map((p) => ({ encryptionAtHost, ...p })),
          }),
      network: vnet,
      placement: placementOf(config, "azure", site.location, site, azureDatasets(site)),
    },
    opts,
  );
  const storage = declareAzureStorage(site, common, {
    ...place,
    network: vnet,
    logAnalyticsWorkspaceId: cluster.logAnalyticsWorkspaceId,
    opts,
  });
  const vpn = declareAzureVpnEnd(config, site, vnet, place, common, opts);
  return {
    ...(vpn ? { vpn } : {}),
    dns: { azure: { vnet, where: place, opts } },
    azureParts: {
      clusterName: c.name,
      cluster,
      storage: storage.map(({ name, account }) => ({
        account,
        datasets: site.storage?.find((s) => s.name === name)?.datasets ?? [],
      })),
      vnet,
      where: place,
      opts,
    },
    target: cluster.placementTarget,
    addons: cluster.addons,
    clusterName: c.name,
    clusterOutputs: {
      cloud: "azure",
      name: cluster.clusterName,
      resourceGroupName: cluster.resourceGroupName,
      privateFqdn: cluster.privateFqdn,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      kubeconfig: cluster.kubeconfig,
    },
    buckets: Object.fromEntries(
      storage.map(({ name, account }) => [
        name,
        {
          cloud: "azure",
          name: account.accountName,
          id: account.accountId,
          blobEndpoint: account.blobEndpoint,
          datasets: account.datasets,
        },
      ]),
    ),
    network: {
      key: "azure",
      outputs: {
        virtualNetworkId: vnet.virtualNetworkId,
        addressSpace: vnet.addressSpace,
        resourceGroupName: group.name,
      },
    },
  };
}

/**
 * The site's storage accounts. They share the cluster's Log Analytics workspace, and one
 * privatelink.blob zone: the first account creates it and links it to the VNet (Azure allows one
 * link per zone and VNet, and one zone of that name per group), the others register in it.
 */
function declareAzureStorage(
  site: NonNullable<PlatformConfig["azure"]>,
  common: CommonArgs,
  shared: {
    resourceGroupName: pulumi.Input<string>;
    location: string;
    network: AzureVnet;
    logAnalyticsWorkspaceId: pulumi.Input<string>;
    opts: pulumi.ComponentResourceOptions;
  },
): { name: string; account: AzureEncryptedStorage }[] {
  const { opts, ...where } = shared;
  const declared: { name: string; account: AzureEncryptedStorage }[] = [];
  for (const { name, ...args } of site.storage ?? []) {
    const zone = declared[0]?.account.privateDnsZoneId;
    const account = new AzureEncryptedStorage(
      name,
      { ...common, ...where, ...args, ...(zone ? { privateDnsZoneId: zone } : {}) },
      opts,
    );
    declared.push({ name, account });
  }
  return declared;
}

function declareOnPrem(
  config: PlatformConfig,
  site: NonNullable<PlatformConfig["onprem"]>,
  common: CommonArgs,
  secrets: PlatformSecrets,
): DeclaredSite {
  // loadPlatformConfig has already refused a config with `onprem` and no kubeconfig.
  const kubeconfig = secrets.onpremKubeconfig;
  if (!kubeconfig) throw new Error("onpremKubeconfig is missing; loadPlatformConfig should have said so");
  const cluster = new OnPremCluster(site.name, {
    ...common,
    kubeconfig,
    context: site.context,
    pools: site.pools,
    placement: placementOf(config, "onprem", site.region, site, site.datasets ?? []),
  });
  return {
    target: cluster.placementTarget,
    // An existing cluster: its owners run its device plugins and capacity.
    addons: {},
    clusterName: site.name,
    clusterOutputs: {
      cloud: "onprem",
      name: site.name,
      kubeconfig: cluster.kubeconfig,
      ...(cluster.context ? { context: cluster.context } : {}),
    },
    buckets: {},
  };
}

/** Each cluster's networks from config: the VPC's block, the VNet's space, the on-premises range. */
function targetNetworks(config: PlatformConfig): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const { aws, azure, onprem } = config;
  if (aws) out[aws.cluster.name] = ["cidr" in aws.network ? aws.network.cidr : aws.network.existing.cidr];
  if (azure) out[azure.cluster.name] = [azure.network.addressSpace];
  if (onprem?.networkCidr) out[onprem.name] = [onprem.networkCidr];
  return out;
}
