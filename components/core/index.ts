// Pulumi-free building blocks shared by the components, the stack config and the placement engine.

export {
  type Cidr,
  carveSubnets,
  cidrContains,
  cidrOverlaps,
  cidrSize,
  findOverlaps,
  ipv4Cidr,
  parseCidr,
  tryParseCidr,
} from "./cidr";
export {
  ConfigError,
  type ConfigIssue,
  componentSubject,
  formatConfigError,
  formatPath,
  showValue,
} from "./errors";
export { AWS_GPU_FAMILIES, AWS_GPU_INSTANCES, awsGpuInstance, type GpuFacts } from "./gpu";
export { describeIssues, parseOrThrow } from "./validation";
