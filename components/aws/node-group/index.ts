// Node groups: the settings every pool shares, their checks and facts, and the two components.
export { amiTypeFor } from "./ami";
export { AUTO_SCALING_KEY_OPERATIONS } from "./disk-key";
export { AwsGpuNodeGroup, type AwsGpuNodeGroupArgs } from "./gpu-node-group";
export { type InstanceShape, instanceShapeOf, isGpuGroup } from "./instance-shape";
export { AwsNodeGroup, type AwsNodeGroupArgs } from "./node-group";
export { type NodeGroupPoolPlan, nodeGroupPool } from "./pool";
export { autoNamePattern, clampDesiredSize, type ScalingBounds } from "./scaling";
export {
  type AwsClusterRef,
  type AwsEfaPlacement,
  type AwsNodeGroupBaseArgs,
  type AwsNodeGroupSettings,
  efaPlacementShape,
  GPU_TAINTS,
  nodeGroupSettingsShape,
} from "./settings";
export { checkEfaPlacement, checkInstanceTypes, checkNodeGroup, checkScaling } from "./validation";
