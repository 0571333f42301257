import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { ResourceGroup } from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { AwsEncryptedBucket, AwsPrivateCluster, awsClusterTarget } from "../components/aws";
import { AzureEncryptedStorage, AzurePrivateCluster, azureClusterTarget } from "../components/azure";
import { PlacedWorkloads, type PlacementCluster, type WorkloadSpec } from "../components/kubernetes";
import { AwsVpc, AzureVnet } from "../components/network";
import { OnPremCluster, type OnPremClusterArgs, onPremClusterTarget } from "../components/onprem";
import type { PlacementLock, PlacementResult, Target } from "../components/placement";
import type { ClusterPlacementArgs, CommonArgs } from "../components/shared";
import type { PlatformConfig } from "./config";

/** Secrets the program needs, read from secret config. */
export interface PlatformSecrets {
  /** Kubeconfig of the on-premises cluster. */
  onpremKubeconfig?: pulumi.Output<string>;
}

/** The workload catalog, the last decision (lock) and the decision made before declaring anything. */
export interface PlatformWorkloads {
  catalog?: WorkloadSpec[];
  lock?: PlacementLock;
  decision?: PlacementResult;
}

/** How placement sees the AWS cluster of this config. */
function awsPlacement(config: PlatformConfig): ClusterPlacementArgs | undefined {
  const site = config.aws;
  if (!site) return undefined;
  return {
    region: site.region,
    jurisdiction: site.jurisdiction,
    ...(site.trust ? { trust: site.trust } : {}),
    ...(site.egressPricePerGiB === undefined ? {} : { egressPricePerGiB: site.egressPricePerGiB }),
    datasets: (site.buckets ?? []).flatMap((b) => b.datasets ?? []),
  };
}

/** How placement sees the AKS cluster of this config. */
function azurePlacement(config: PlatformConfig): ClusterPlacementArgs | undefined {
  const site = config.azure;
  if (!site) return undefined;
  return {
    region: site.location,
    jurisdiction: site.jurisdiction,
    ...(site.trust ? { trust: site.trust } : {}),
    ...(site.egressPricePerGiB === undefined ? {} : { egressPricePerGiB: site.egressPricePerGiB }),
    datasets: (site.storage ?? []).flatMap((s) => s.datasets ?? []),
  };
}

/** How placement sees the on-premises cluster of this config. */
function onPremPlacement(config: PlatformConfig): OnPremClusterArgs["placement"] | undefined {
  const site = config.onprem;
  if (!site) return undefined;
  return {
    region: site.region,
    jurisdiction: site.jurisdiction,
    ...(site.trust ? { trust: site.trust } : {}),
    ...(site.egressPricePerGiB === undefined ? {} : { egressPricePerGiB: site.egressPricePerGiB }),
    ...(site.datasets ? { datasets: site.datasets } : {}),
  };
}

/**
 * The placement targets the config's clusters will provide, computed from config alone (the same
 * functions the cluster components use), so the stack can place its catalog before declaring.
 */
export function platformTargets(config: PlatformConfig): Target[] {
  const targets: Target[] = [];
  const aws = awsPlacement(config);
  if (config.aws && aws) {
    targets.push(
      awsClusterTarget(config.aws.cluster.name, {
        nodeGroups: config.aws.cluster.nodeGroups,
        placement: aws,
      }),
    );
  }
  const azure = azurePlacement(config);
  if (config.azure && azure) {
    targets.push(
      azureClusterTarget(config.azure.cluster.name, {
        nodePools: config.azure.cluster.nodePools,
        placement: azure,
      }),
    );
  }
  const onprem = onPremPlacement(config);
  if (config.onprem && onprem) {
    targets.push(onPremClusterTarget(config.onprem.name, { pools: config.onprem.pools, placement: onprem }));
  }
  return targets;
}

/** What other stacks read through `StackReference`. */
export interface PlatformOutputs {
  environment: string;
  clusters: Record<string, Record<string, pulumi.Input<unknown>>>;
  buckets: Record<string, Record<string, pulumi.Input<unknown>>>;
  networks: Record<string, Record<string, pulumi.Input<unknown>>>;
  placementTargets: pulumi.Output<Target[]>;
  placement?: {
    assignments: pulumi.Output<PlacementResult["assignments"]>;
    cost: pulumi.Output<PlacementResult["cost"]>;
    lock: pulumi.Output<PlacementLock>;
  };
}

/**
 * The reference platform: composes the components from one environment's validated config and
 * returns the stack outputs.
 */
export function platform(
  config: PlatformConfig,
  secrets: PlatformSecrets,
  workloads: PlatformWorkloads = {},
): PlatformOutputs {
  const common: CommonArgs = {
    environment: config.environment,
    ...(config.dataClassification ? { dataClassification: config.dataClassification } : {}),
    ...(config.tags ? { tags: config.tags } : {}),
    ...(config.protectData === undefined ? {} : { protectData: config.protectData }),
  };
  const outputs: PlatformOutputs = {
    environment: config.environment,
    clusters: {},
    buckets: {},
    networks: {},
    placementTargets: pulumi.output([]),
  };
  const targets: Target[] = [];
  const clusters: PlacementCluster[] = [];

  if (config.aws) {
    const site = config.aws;
    // An explicit provider: the platform spans regions and clouds, so nothing depends on ambient config.
    const provider = new AwsProvider("aws", { region: site.region });
    const opts = { providers: { aws: provider } };

    const net = site.network;
    const vpc =
      "cidr" in net
        ? new AwsVpc(
            `${site.cluster.name}-vpc`,
            {
              ...common,
              cidrBlock: net.cidr,
              availabilityZones: net.availabilityZones,
              ...(net.natGateways ? { natGateways: net.natGateways } : {}),
              ...(net.extraInterfaceEndpoints
                ? { extraInterfaceEndpoints: net.extraInterfaceEndpoints }
                : {}),
              ...(net.flowLogRetentionDays ? { flowLogRetentionDays: net.flowLogRetentionDays } : {}),
            },
            opts,
          )
        : new AwsVpc(
            `${site.cluster.name}-vpc`,
            {
              ...common,
              existing: {
                vpcId: net.existing.vpcId,
                cidrBlock: net.existing.cidr,
                privateSubnetIds: net.existing.privateSubnetIds,
                ...(net.existing.privateRouteTableIds
                  ? { privateRouteTableIds: net.existing.privateRouteTableIds }
                  : {}),
              },
              ...(net.endpoints === undefined ? {} : { endpoints: net.endpoints }),
              ...(net.flowLogs === undefined ? {} : { flowLogs: net.flowLogs }),
            },
            opts,
          );

    const buckets = (site.buckets ?? []).map(
      (b) =>
        new AwsEncryptedBucket(
          b.name,
          {
            ...common,
            ...(b.datasets ? { datasets: b.datasets } : {}),
            ...(b.noncurrentVersionExpirationDays
              ? { noncurrentVersionExpirationDays: b.noncurrentVersionExpirationDays }
              : {}),
            ...(b.objectLock ? { objectLock: b.objectLock } : {}),
          },
          opts,
        ),
    );

    const c = site.cluster;
    const cluster = new AwsPrivateCluster(
      c.name,
      {
        ...common,
        network: vpc,
        ...(c.kubernetesVersion ? { kubernetesVersion: c.kubernetesVersion } : {}),
        admins: c.admins,
        ...(c.accessEntries ? { accessEntries: c.accessEntries } : {}),
        // The on-premises site reaches the private API endpoint over the VPN.
        ...(config.onprem?.networkCidr ? { endpointAccessCidrs: [config.onprem.networkCidr] } : {}),
        ...(c.publicAccessCidrs ? { publicAccessCidrs: c.publicAccessCidrs } : {}),
        ...(c.logRetentionDays ? { logRetentionDays: c.logRetentionDays } : {}),
        ...(c.deletionProtection === undefined ? {} : { deletionProtection: c.deletionProtection }),
        ...(c.systemNodeGroup ? { systemNodeGroup: c.systemNodeGroup } : {}),
        nodeGroups: c.nodeGroups,
        placement: awsPlacement(config) ?? { region: site.region, jurisdiction: site.jurisdiction },
      },
      opts,
    );
    targets.push(cluster.placementTarget);
    clusters.push(cluster);
    outputs.networks.aws = {
      vpcId: vpc.vpcId,
      cidrBlock: vpc.cidrBlock,
      privateSubnetIds: vpc.privateSubnetIds,
    };
    outputs.clusters[c.name] = {
      cloud: "aws",
      name: cluster.clusterName,
      endpoint: cluster.endpoint,
      certificateAuthorityData: cluster.certificateAuthorityData,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      oidcProviderArn: cluster.oidcProviderArn,
      nodeRoleArn: cluster.nodeRoleArn,
      clusterSecurityGroupId: cluster.clusterSecurityGroupId,
      kubeconfig: cluster.kubeconfig,
    };
    for (const [i, b] of buckets.entries()) {
      const name = site.buckets?.[i]?.name ?? String(i);
      outputs.buckets[name] = {
        cloud: "aws",
        name: b.bucketName,
        arn: b.bucketArn,
        kmsKeyArn: b.kmsKeyArn,
        datasets: b.datasets,
      };
    }
  }

  if (config.azure) {
    const site = config.azure;
    const c = site.cluster;
    const provider = new AzureProvider("azure", { location: site.location });
    const opts = { providers: { "azure-native": provider } };
    // The resource group holds every Azure resource of the site: deleting it deletes them all.
    const group = new ResourceGroup(
      site.resourceGroupName ?? `${c.name}-${config.environment}-rg`,
      {
        location: site.location,
        tags: {
          ...config.tags,
          environment: config.environment,
          "managed-by": "hybrid-ai-infra",
          "data-classification": config.dataClassification ?? "internal",
        },
      },
      { provider, protect: config.protectData ?? true, retainOnDelete: config.protectData ?? true },
    );
    const vnet = new AzureVnet(
      `${c.name}-vnet`,
      {
        ...common,
        resourceGroupName: group.name,
        location: site.location,
        addressSpace: site.network.addressSpace,
        ...(site.network.apiServerSubnet === undefined
          ? {}
          : { apiServerSubnet: site.network.apiServerSubnet }),
        ...(site.network.flowLogRetentionDays
          ? { flowLogRetentionDays: site.network.flowLogRetentionDays }
          : {}),
      },
      opts,
    );
    const storage = (site.storage ?? []).map(
      (st) =>
        new AzureEncryptedStorage(
          st.name,
          {
            ...common,
            resourceGroupName: group.name,
            location: site.location,
            network: vnet,
            ...(st.sku ? { sku: st.sku } : {}),
            ...(st.containers ? { containers: st.containers } : {}),
            ...(st.datasets ? { datasets: st.datasets } : {}),
          },
          opts,
        ),
    );
    const cluster = new AzurePrivateCluster(
      c.name,
      {
        ...common,
        resourceGroupName: group.name,
        location: site.location,
        network: vnet,
        adminGroupObjectIds: c.adminGroupObjectIds,
        ...(c.kubernetesVersion ? { kubernetesVersion: c.kubernetesVersion } : {}),
        ...(c.rbacAssignments ? { rbacAssignments: c.rbacAssignments } : {}),
        ...(c.kmsKeyVaultAccess ? { kmsKeyVaultAccess: c.kmsKeyVaultAccess } : {}),
        ...(c.skuTier ? { skuTier: c.skuTier } : {}),
        ...(c.podCidr ? { podCidr: c.podCidr } : {}),
        ...(c.serviceCidr ? { serviceCidr: c.serviceCidr } : {}),
        ...(c.logRetentionDays ? { logRetentionDays: c.logRetentionDays } : {}),
        ...(c.availabilityZones ? { availabilityZones: c.availabilityZones } : {}),
        nodePools: c.nodePools,
        placement: azurePlacement(config) ?? { region: site.location, jurisdiction: site.jurisdiction },
      },
      opts,
    );
    targets.push(cluster.placementTarget);
    clusters.push(cluster);
    outputs.networks.azure = {
      virtualNetworkId: vnet.virtualNetworkId,
      addressSpace: vnet.addressSpace,
      resourceGroupName: group.name,
    };
    outputs.clusters[c.name] = {
      cloud: "azure",
      name: cluster.clusterName,
      resourceGroupName: cluster.resourceGroupName,
      privateFqdn: cluster.privateFqdn,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      kubeconfig: cluster.kubeconfig,
    };
    for (const [i, st] of storage.entries()) {
      const name = site.storage?.[i]?.name ?? String(i);
      outputs.buckets[name] = {
        cloud: "azure",
        name: st.accountName,
        id: st.accountId,
        blobEndpoint: st.blobEndpoint,
        datasets: st.datasets,
      };
    }
  }

  if (config.onprem) {
    const site = config.onprem;
    if (!secrets.onpremKubeconfig) {
      throw new Error(
        `stack config "${config.environment}": onpremKubeconfig is not set; run pulumi config set --secret onpremKubeconfig < kubeconfig.yaml`,
      );
    }
    const cluster = new OnPremCluster(site.name, {
      ...common,
      kubeconfig: secrets.onpremKubeconfig,
      ...(site.context ? { context: site.context } : {}),
      pools: site.pools,
      placement: onPremPlacement(config) ?? { region: site.region, jurisdiction: site.jurisdiction },
    });
    targets.push(cluster.placementTarget);
    clusters.push(cluster);
    outputs.clusters[site.name] = { cloud: "onprem", name: site.name, kubeconfig: cluster.kubeconfig };
  }

  outputs.placementTargets = pulumi.output(targets);
  if (workloads.catalog) {
    const placed = new PlacedWorkloads("workloads", {
      clusters,
      workloads: workloads.catalog,
      ...(workloads.lock ? { previous: workloads.lock } : {}),
      ...(workloads.decision ? { decision: workloads.decision } : {}),
      ...(config.placement?.moveCost === undefined ? {} : { moveCost: config.placement.moveCost }),
      ...(config.placement?.allowPartial === undefined
        ? {}
        : { allowPartial: config.placement.allowPartial }),
    });
    outputs.placement = { assignments: placed.assignments, cost: placed.cost, lock: placed.lock };
  }
  return outputs;
}
