import type { containerservice } from "@pulumi/azure-native/types/input";
import type * as pulumi from "@pulumi/pulumi";
import { poolLabels, SYSTEM_TAINT } from "../../facts";
import { childName, commonArgsOf } from "../../kit";
import type { AzureClusterNetwork } from "../cluster-network";
import {
  AzureGpuNodePool,
  AzureNodePool,
  type AzureNodePoolArgs,
  osDiskFor,
  POOL_DEFAULTS,
  type PoolKind,
  poolKindOf,
  resolveVmSize,
  taintText,
} from "../node-pool";
import type { ClusterSettings, ParsedClusterArgs } from "./args";

/**
 * The system pool, as the cluster's first agent pool profile: add-ons only (CriticalAddonsOnly),
 * autoscaled, zonal where the region has zones, encryption at host, no public IPs, SSH off.
 */
export function systemPoolProfile(
  settings: ClusterSettings,
  subnetId: pulumi.Input<string>,
): containerservice.ManagedClusterAgentPoolProfileArgs {
  const system = settings.systemPool;
  const facts = resolveVmSize(system.vmSize, "cpu");
  if ("problem" in facts) throw new Error(facts.problem);
  return {
    name: "system",
    mode: "System",
    type: "VirtualMachineScaleSets",
    osType: "Linux",
    osSKU: system.osSku,
    vmSize: system.vmSize,
    ...osDiskFor(facts.facts, { osDiskSizeGiB: system.osDiskSizeGiB }, "cpu"),
    vnetSubnetID: subnetId,
    ...(settings.zones.length ? { availabilityZones: settings.zones } : {}),
    enableAutoScaling: true,
    minCount: system.minCount,
    maxCount: system.maxCount,
    count: system.minCount,
    enableEncryptionAtHost: system.encryptionAtHost,
    enableNodePublicIP: false,
    securityProfile: { sshAccess: "Disabled" },
    nodeTaints: [taintText(SYSTEM_TAINT)],
    nodeLabels: poolLabels({ pool: "system", trust: settings.trust, spot: false }),
    upgradeSettings: { maxSurge: "33%" },
  };
}

/** The subnets of inline pools that name their own: the control plane must join nodes to them. */
export function inlinePoolSubnets(
  args: ParsedClusterArgs,
): { pool: string; subnetId: pulumi.Input<string> }[] {
  return (args.nodePools ?? []).flatMap((p) =>
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
  resourceGroupName: pulumi.Input<string>;
  network: AzureClusterNetwork;
  dependsOn: pulumi.Resource[];
}

/**
 * The workload pools declared with the cluster: a GPU size makes an `AzureGpuNodePool`, any other
 * an `AzureNodePool`, each on its kind's subnet (or its own) and, for general-purpose pools that
 * name no zones, the cluster's.
 */
export function createInlinePools(
  name: string,
  parent: pulumi.Resource,
  args: ParsedClusterArgs,
  settings: ClusterSettings,
  options: InlinePoolOptions,
): Record<string, AzureGpuNodePool | AzureNodePool> {
  const { zones, trust } = settings;
  const subnets = poolSubnets(options.network);
  const opts = { parent, dependsOn: options.dependsOn };
  const nodePools: Record<string, AzureGpuNodePool | AzureNodePool> = {};
  for (const spec of args.nodePools ?? []) {
    const { name: pool, gpuDriver, migProfile, ...poolSettings } = spec;
    const kind = poolKindOf(spec.vmSize);
    const poolArgs: AzureNodePoolArgs & Pick<typeof spec, "gpuDriver" | "migProfile"> = {
      ...poolSettings,
      ...commonArgsOf(args),
      poolName: pool,
      trust,
      cluster: {
        clusterName: options.clusterName,
        resourceGroupName: options.resourceGroupName,
        nodeSubnetId: subnets[kind],
      },
      ...(poolSettings.availabilityZones || !POOL_DEFAULTS[kind].clusterZones || zones.length === 0
        ? {}
        : { availabilityZones: zones }),
      // Validation allows these on GPU pools only.
      ...(gpuDriver ? { gpuDriver } : {}),
      ...(migProfile ? { migProfile } : {}),
    };
    nodePools[pool] =
      kind === "gpu"
        ? new AzureGpuNodePool(childName(name, pool), poolArgs, opts)
        : new AzureNodePool(childName(name, pool), poolArgs, opts);
  }
  return nodePools;
}
