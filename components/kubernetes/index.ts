// Rendering placed workloads onto Kubernetes: pure renderers, the PlacedWorkloads component, and
// the cluster add-ons (device plugins, autoscaler) that placed work needs before it can schedule.
export {
  type AddonObject,
  type AddonTaint,
  ClusterAddons,
  type ClusterAddonsArgs,
  type ClusterAddonsOptions,
  type ClusterAutoscalerArgs,
  EFA_DEVICE_PLUGIN_VERSION,
  EFA_RESOURCE,
  type EfaDevicePluginArgs,
  MIG_STRATEGIES,
  type MigStrategy,
  NVIDIA_DEVICE_PLUGIN_IMAGE,
  NvidiaDevicePlugin,
  type NvidiaDevicePluginArgs,
  type NvidiaDevicePluginOptions,
  renderClusterAutoscaler,
  renderEfaDevicePlugin,
  renderNvidiaDevicePlugin,
} from "./addons";
export { parseWorkloadCatalog } from "./catalog";
export type {
  DaemonSetObject,
  DeploymentObject,
  JobObject,
  NamespaceObject,
  NetworkPolicyObject,
  RenderedObject,
  ResourceQuotaObject,
  ServiceAccountObject,
  ServiceObject,
  Toleration,
} from "./objects";
export {
  decidePlacement,
  PlacedWorkloads,
  type PlacedWorkloadsArgs,
  type PlacementCluster,
  type PlacementRequest,
  type PoolUsage,
} from "./placed-workloads";
export {
  LABEL_DATA_CLASSIFICATION,
  LABEL_OWNER,
  LABEL_WORKLOAD,
  namespaceOf,
  objectName,
  PLACEMENT_ANNOTATIONS,
  type RenderedTarget,
  type RenderInput,
  renderPlacement,
} from "./render";
export { serviceAccountOf } from "./services";
export { placementWorkload, type WorkloadSpec } from "./spec";
