import type { AgentPoolArgs } from "@pulumi/azure-native/containerservice";
import type { Pool } from "../../placement";
import type { AzureClusterRef } from "./args";
import { POOL_DEFAULTS, taintText } from "./defaults";
import type { AgentPoolPlan } from "./plan";
import { osDiskFor } from "./vm-size";

/**
 * The args of an AKS user agent pool, from its plan and the placement pool it provides (whose
 * labels, taints and floor the nodes carry): autoscaled, encryption at host, no node public IPs
 * unless asked, SSH off, the GPU taint on GPU pools, Spot evicting to deletion. Pure: no resource.
 */
export function agentPoolArgs(
  plan: AgentPoolPlan,
  pool: Pool,
  cluster: AzureClusterRef,
  tags: Record<string, string>,
): AgentPoolArgs {
  const { settings, facts } = plan;
  const defaults = POOL_DEFAULTS[facts.kind];
  const spot = settings.priority === "Spot";
  const minCount = pool.minNodes ?? 0;
  const labels = pool.labels ?? {};
  const taints = pool.taints ?? [];
  const disk = osDiskFor(facts.facts, settings, facts.kind);
  return {
    agentPoolName: plan.agentPoolName,
    resourceName: cluster.clusterName,
    resourceGroupName: cluster.resourceGroupName,
    mode: "User",
    type: "VirtualMachineScaleSets",
    osType: "Linux",
    osSKU: settings.osSku ?? defaults.osSku,
    vmSize: settings.vmSize,
    ...disk,
    vnetSubnetID: settings.subnetId ?? cluster.nodeSubnetId,
    ...(settings.availabilityZones?.length ? { availabilityZones: settings.availabilityZones } : {}),
    enableAutoScaling: true,
    minCount,
    maxCount: settings.maxCount,
    count: minCount,
    ...(settings.maxPods === undefined ? {} : { maxPods: settings.maxPods }),
    enableNodePublicIP: settings.publicIp ?? false,
    enableEncryptionAtHost: settings.encryptionAtHost ?? true,
    securityProfile: { sshAccess: "Disabled" },
    nodeLabels: labels,
    nodeTaints: taints.map(taintText),
    ...(spot
      ? {
          scaleSetPriority: "Spot",
          // Delete, not Deallocate: a deallocated spot node still holds its disk and its quota.
          scaleSetEvictionPolicy: "Delete",
          spotMaxPrice: settings.spotMaxPrice ?? -1,
        }
      : {
          scaleSetPriority: "Regular",
          // AKS rejects surge settings on spot pools.
          upgradeSettings: { maxSurge: defaults.maxSurge },
        }),
    ...(plan.gpuDriver ? { gpuProfile: { driver: plan.gpuDriver } } : {}),
    ...(plan.migProfile ? { gpuInstanceProfile: plan.migProfile } : {}),
    tags,
  };
}
