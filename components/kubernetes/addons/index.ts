// Cluster add-ons (cluster phase): device plugins that match each pool's image and the EKS autoscaler.
export {
  type AddonTaint,
  ClusterAddons,
  type ClusterAddonsArgs,
  type ClusterAddonsOptions,
} from "./cluster-addons";
export { type AddonObject, type ClusterAutoscalerArgs, renderClusterAutoscaler } from "./cluster-autoscaler";
export {
  EFA_DEVICE_PLUGIN_VERSION,
  EFA_RESOURCE,
  type EfaDevicePluginArgs,
  renderEfaDevicePlugin,
} from "./efa-device-plugin";
export {
  MIG_STRATEGIES,
  type MigStrategy,
  NVIDIA_DEVICE_PLUGIN_IMAGE,
  NvidiaDevicePlugin,
  type NvidiaDevicePluginArgs,
  type NvidiaDevicePluginOptions,
  renderNvidiaDevicePlugin,
} from "./nvidia-device-plugin";
