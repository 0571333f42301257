// AKS agent pools: the GPU and general-purpose pool components, their settings and defaults, and
// the pure pieces a cluster's inline pools and placement reuse.

export { agentPoolArgs } from "./agent-pool-args";
export { AzureAgentPoolComponent } from "./agent-pool-component";
export { AKS_DEFAULT_MAX_PODS, aksAllocatable } from "./allocatable";
export {
  type AzureClusterRef,
  type AzureGpuNodePoolArgs,
  type AzureNodePoolArgs,
  clusterRefSchema,
} from "./args";
export { AKS_SPOT_TAINT, builtInTaints, POOL_DEFAULTS, type PoolKind, taintText } from "./defaults";
export { AzureNodePool } from "./general-node-pool";
export { AzureGpuNodePool } from "./gpu-node-pool";
export {
  isNotFound,
  type LivePool,
  POOL_SETTING_CHANGES,
  type PoolChange,
  poolChangeIssues,
  readLivePool,
} from "./lifecycle";
export { MIG_PROFILES, MIG_SLICES_PER_GPU, type MigProfile, placementGpu } from "./mig";
export { type AgentPoolPlan, agentPoolNameFor, agentPoolPlacement, agentPoolPlanFor } from "./plan";
export { type ResolvedPoolSettings, resolvePoolSettings } from "./resolved";
export {
  type AzureNodePoolSettings,
  checkEncryptionAtHost,
  checkPoolSettings,
  nodePoolSettingsShape,
  POOL_NAME,
  ZONES,
} from "./settings";
export { isGpuSize, osDiskFor, poolKindOf, resolveVmSize, type VmSizeFacts } from "./vm-size";
