// Node groups: the settings every pool shares, their checks and facts, and the two components.
export { amiTypeFor } from "./ami";
export { AwsGpuNodeGroup, type AwsGpuNodeGroupArgs } from "./gpu-node-group";
export { type InstanceShape, instanceShapeOf, isGpuGroup } from "./instance-shape";
export { AwsNodeGroup, type AwsNodeGroupArgs } from "./node-group";
export { type NodeGroupPoolPlan, nodeGroupPool } from "./pool";
export {
  type AwsClusterRef,
  type AwsNodeGroupBaseArgs,
  type AwsNodeGroupSettings,
  GPU_TAINTS,
  nodeGroupSettingsShape,
} from "./settings";
export { checkInstanceTypes, checkNodeGroup, checkScaling } from "./validation";
