import type { containerservice } from "@pulumi/azure-native/types/input";
import type * as pulumi from "@pulumi/pulumi";
import { poolLabels, SYSTEM_TAINT } from "../../facts";
import { childName, commonArgsOf } from "../../kit";
import type { AzureClusterNetwork } from "../cluster-network";
import {
  AzureGpuNodePool,
  AzureNodePool,
  type AzureNodePoolArgs,
  POOL_DEFAULTS,
  type PoolKind,
  poolKindOf,
  taintText,
} from "../node-pool";
import type { ResolvedClusterArgs } from "./args";

/**
 * The system pool, as the cluster's agent pool profile: add-ons only (CriticalAddonsOnly),
 * autoscaled, zonal where the region has zones, encryption at host, no public IPs, SSH off, the
 * cluster's Kubernetes version.
 */
export function systemPoolProfile(
  cluster: ResolvedClusterArgs,
): containerservice.ManagedClusterAgentPoolProfileArgs {
  const system = cluster.systemPool;
  return {
    name: "system",
    mode: "System",
    type: "VirtualMachineScaleSets",
    osType: "Linux",
    osSKU: system.osSku,
    vmSize: system.vmSize,
    osDiskType: system.osDiskType,
    osDiskSizeGB: system.osDiskSizeGiB,
    vnetSubnetID: cluster.network.systemSubnetId,
    ...(system.availabilityZones.length ? { availabilityZones: system.availabilityZones } : {}),
    enableAutoScaling: true,
    minCount: system.minCount,
    maxCount: system.maxCount,
    count: system.minCount,
    ...(cluster.kubernetesVersion ? { orchestratorVersion: cluster.kubernetesVersion } : {}),
    enableEncryptionAtHost: system.encryptionAtHost,
    enableNodePublicIP: system.publicIp,
    securityProfile: { sshAccess: "Disabled" },
    nodeTaints: [taintText(SYSTEM_TAINT)],
    nodeLabels: poolLabels({ pool: "system", trust: cluster.trust, spot: false }),
    upgradeSettings: { maxSurge: system.maxSurge },
  };
}

/** The subnets of inline pools that name their own: the control plane must join nodes to them. */
export function inlinePoolSubnets(
  cluster: ResolvedClusterArgs,
): { pool: string; subnetId: pulumi.Input<string> }[] {
  return cluster.nodePools.flatMap((p) =>
    p.subnetId === undefined ? [] : [{ pool: p.name, subnetId: p.subnetId }],
  );
}

/** The subnet of each kind of pool: GPU pools' own (default the system subnet), and the system one. */
export function poolSubnets(network: AzureClusterNetwork): Record<PoolKind, pulumi.Input<string>> {
  return { gpu: network.gpuSubnetId ?? network.systemSubnetId, cpu: network.systemSubnetId };
}

/** What inline pools join: the cluster, once it and the control plane's grants exist. */
export interface InlinePoolOptions {
  clusterName: pulumi.Input<string>;
  dependsOn: pulumi.Resource[];
}

/**
 * The workload pools declared with the cluster: a GPU size makes an `AzureGpuNodePool`, any other
 * an `AzureNodePool`, each on its kind's subnet (or its own), on the cluster's Kubernetes version
 * and, for general-purpose pools that name no zones, the cluster's zones.
 */
export function createInlinePools(
  parent: pulumi.Resource,
  cluster: ResolvedClusterArgs,
  options: InlinePoolOptions,
): Record<string, AzureGpuNodePool | AzureNodePool> {
  const { zones, trust } = cluster;
  const subnets = poolSubnets(cluster.network);
  const opts = { parent, dependsOn: options.dependsOn };
  const nodePools: Record<string, AzureGpuNodePool | AzureNodePool> = {};
  for (const spec of cluster.nodePools) {
    const { name: pool, gpuDriver, migProfile, ...poolSettings } = spec;
    const kind = poolKindOf(spec.vmSize);
    const poolArgs: AzureNodePoolArgs & Pick<typeof spec, "gpuDriver" | "migProfile"> = {
      ...poolSettings,
      ...commonArgsOf(cluster.common),
      poolName: pool,
      trust,
      cluster: {
        clusterName: options.clusterName,
        resourceGroupName: cluster.resourceGroupName,
        nodeSubnetId: subnets[kind],
      },
      ...(cluster.kubernetesVersion ? { kubernetesVersion: cluster.kubernetesVersion } : {}),
      ...(poolSettings.availabilityZones || !POOL_DEFAULTS[kind].clusterZones || zones.length === 0
        ? {}
        : { availabilityZones: zones }),
      // Validation allows these on GPU pools only.
      ...(gpuDriver ? { gpuDriver } : {}),
      ...(migProfile ? { migProfile } : {}),
    };
    nodePools[pool] =
      kind === "gpu"
        ? new AzureGpuNodePool(childName(cluster.name, pool), poolArgs, opts)
        : new AzureNodePool(childName(cluster.name, pool), poolArgs, opts);
  }
  return nodePools;
}
