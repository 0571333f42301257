// Cluster add-ons (cluster phase): device plugins that match each pool's image and the EKS autoscaler.
export {
  type AddonTaint,
  ClusterAddons,
  type ClusterAddonsArgs,
  type ClusterAddonsOptions,
  type KueueAddon,
  kueueAddonSchema,
} from "./cluster-addons";
export { type AddonObject, type ClusterAutoscalerArgs, renderClusterAutoscaler } from "./cluster-autoscaler";
export {
  EFA_DEVICE_PLUGIN_VERSION,
  EFA_RESOURCE,
  type EfaDevicePluginArgs,
  renderEfaDevicePlugin,
} from "./efa-device-plugin";
export {
  KUEUE_DROPPED_API_GROUPS,
  KUEUE_MANAGER_RULES,
  KUEUE_MUTATING_HOOKS,
  KUEUE_VALIDATING_HOOKS,
  type KueueInstallArgs,
  kueueConfiguration,
  kueueCrds,
  renderKueue,
} from "./kueue";
export {
  MIG_STRATEGIES,
  type MigStrategy,
  NVIDIA_DEVICE_PLUGIN_IMAGE,
  NvidiaDevicePlugin,
  type NvidiaDevicePluginArgs,
  type NvidiaDevicePluginOptions,
  renderNvidiaDevicePlugin,
} from "./nvidia-device-plugin";
