import type { AgentPoolArgs } from "@pulumi/azure-native/containerservice";
import type { Pool } from "../../placement";
import type { AzureClusterRef } from "./args";
import { taintText } from "./defaults";
import type { AgentPoolPlan } from "./plan";

/**
 * The args of an AKS user agent pool, from its plan and the placement pool it provides (whose
 * labels, taints and floor the nodes carry): autoscaled, encryption at host, no node public IPs
 * unless asked, SSH off, the GPU taint on GPU pools, Spot evicting to deletion, the Kubernetes
 * version of its plan. Pure: no resource.
 */
export function agentPoolArgs(
  plan: AgentPoolPlan,
  pool: Pool,
  cluster: AzureClusterRef,
  tags: Record<string, string>,
): AgentPoolArgs {
  const { settings: s } = plan;
  const spot = s.priority === "Spot";
  return {
    agentPoolName: plan.agentPoolName,
    resourceName: cluster.clusterName,
    resourceGroupName: cluster.resourceGroupName,
    mode: "User",
    type: "VirtualMachineScaleSets",
    osType: "Linux",
    osSKU: s.osSku,
    vmSize: s.vmSize,
    osDiskType: s.osDiskType,
    osDiskSizeGB: s.osDiskSizeGiB,
    vnetSubnetID: s.subnetId ?? cluster.nodeSubnetId,
    ...(s.availabilityZones.length ? { availabilityZones: s.availabilityZones } : {}),
    enableAutoScaling: true,
    minCount: pool.minNodes,
    maxCount: s.maxCount,
    count: pool.minNodes,
    ...(s.maxPodsGiven ? { maxPods: s.maxPods } : {}),
    // A minor version ("1.34") runs its latest patch; the patch channel keeps it current.
    ...(plan.kubernetesVersion ? { orchestratorVersion: plan.kubernetesVersion } : {}),
    enableNodePublicIP: s.publicIp,
    enableEncryptionAtHost: s.encryptionAtHost,
    securityProfile: { sshAccess: "Disabled" },
    nodeLabels: pool.labels ?? {},
    nodeTaints: (pool.taints ?? []).map(taintText),
    ...(spot
      ? {
          scaleSetPriority: "Spot",
          // Delete, not Deallocate: a deallocated spot node still holds its disk and its quota.
          scaleSetEvictionPolicy: "Delete",
          spotMaxPrice: s.spotMaxPrice,
        }
      : { scaleSetPriority: "Regular", upgradeSettings: { maxSurge: s.maxSurge } }),
    ...(s.gpuDriver ? { gpuProfile: { driver: s.gpuDriver } } : {}),
    ...(s.migProfile ? { gpuInstanceProfile: s.migProfile } : {}),
    tags,
  };
}
