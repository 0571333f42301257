// Rendering placed workloads onto Kubernetes: pure renderers, the PlacedWorkloads component, and
// the NVIDIA device plugin GPU nodes need before GPU work can schedule.
export {
  NVIDIA_DEVICE_PLUGIN_IMAGE,
  NvidiaDevicePlugin,
  type NvidiaDevicePluginArgs,
  type NvidiaDevicePluginOptions,
  renderNvidiaDevicePlugin,
} from "./nvidia-device-plugin";
export type {
  DaemonSetObject,
  DeploymentObject,
  JobObject,
  NamespaceObject,
  NetworkPolicyObject,
  RenderedObject,
  ResourceQuotaObject,
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
  PLACEMENT_ANNOTATIONS,
  type RenderedTarget,
  type RenderInput,
  renderPlacement,
} from "./render";
export { placementWorkload, type WorkloadSpec, workloadKubernetesSchema, workloadSpecSchema } from "./spec";
