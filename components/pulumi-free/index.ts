// Pulumi-free building blocks shared by the components, the stack config and the placement engine.
export {
  AZURE_CPU_FAMILIES,
  AZURE_CPU_SIZES,
  AZURE_GPU_FAMILIES,
  AZURE_GPU_SIZES,
  type AzureCpuFacts,
  type AzureGpuFacts,
} from "./azure-sizes";
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
  CLUSTER_AUTOSCALER_IMAGES,
  CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
  clusterAutoscalerPolicy,
} from "./cluster-autoscaler";
export { AWS_CPU_FAMILIES, AWS_CPU_INSTANCES, type CpuFacts } from "./cpu";
export {
  domainSchema,
  domainsOf,
  flagRepeats,
  ipv4AddressSchema,
  isDnsName,
  listOf,
  normaliseDomain,
} from "./dns-names";
export { EKS_REGISTRY_ACCOUNT, EKS_REGISTRY_EXCEPTIONS, eksRegistry } from "./eks-registries";
export {
  ConfigError,
  type ConfigIssue,
  componentSubject,
  formatConfigError,
  formatPath,
  showValue,
} from "./errors";
export { expandFamilies } from "./facts";
export {
  AWS_EFA_INTERFACES,
  AWS_GPU_FAMILIES,
  AWS_GPU_INSTANCES,
  awsGpuInstance,
  type GpuFacts,
  SPOT_PRICE_FACTOR,
} from "./gpu";
export {
  duplicateTaintKeys,
  GPU_TAINT,
  LABEL_CAPACITY,
  LABEL_GPU_MODEL,
  LABEL_POOL,
  LABEL_TRUST,
  labelKeySchema,
  labelValueSchema,
  poolLabels,
  SYSTEM_TAINT,
  TAINT_EFFECTS,
  taintSchema,
} from "./labels";
export {
  AWS_REGIONS,
  AZURE_LOCATIONS,
  awsZoneProblem,
  didYouMean,
  KUBERNETES_VERSIONS,
  unknownFact,
} from "./places";
export {
  availabilityZoneSchema,
  awsIdSchema,
  dnsLabelSchema,
  iamPrincipalArnSchema,
  iamRoleArnSchema,
  jurisdictionSchema,
  kmsKeyArnSchema,
  kubernetesVersionSchema,
  nameSchema,
  pinnedImageSchema,
  s3BucketArnSchema,
} from "./rules";
export { parseJsonFile, parseYamlFile } from "./text-files";
export { describeIssues, oneOfNumbers, parseOrThrow } from "./validation";
