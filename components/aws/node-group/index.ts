// Node groups: the settings every pool shares, their checks and facts, and the two components.
export { amiTypeFor } from "./ami";
export {
  ACCELERATOR_LABEL,
  acceleratorOf,
  autoscalerTemplateTags,
  nodeGroupLabels,
  TEMPLATE_PREFIX,
  templateKey,
} from "./autoscaler-template";
export {
  AUTO_SCALING_KEY_OPERATIONS,
  AUTO_SCALING_SERVICE_ROLE,
  autoScalingServiceRoleArn,
} from "./disk-key";
export { AwsGpuNodeGroup, type AwsGpuNodeGroupArgs, GPU_NODE_GROUP_DEFAULTS } from "./gpu-node-group";
export { type InstanceShape, instanceShapeOf, isGpuGroup } from "./instance-shape";
export { AwsNodeGroup, type AwsNodeGroupArgs } from "./node-group";
export { type NodeGroupPoolPlan, nodeGroupPool } from "./pool";
export { type DevicePluginChoice, type GpuPoolAddonInputs, gpuPoolAddons } from "./pool-addons";
export { nodeGroupNames, resolveNodeGroup } from "./resolve";
export { clampDesiredSize, liveDesiredSize, type ScalingBounds } from "./scaling";
export {
  type AwsClusterRef,
  type AwsEfaPlacement,
  type AwsNodeGroupBaseArgs,
  type AwsNodeGroupSettings,
  efaPlacementShape,
  GPU_TAINTS,
  NODE_GROUP_DEFAULTS,
  type NodeGroupSettingsInput,
  type NodeTaint,
  nodeGroupSettingsShape,
  type ResolvedNodeGroupSettings,
  resolveNodeGroupSettings,
} from "./settings";
export { checkEfaPlacement, checkInstanceTypes, checkNodeGroup, checkScaling } from "./validation";
