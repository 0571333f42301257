// Facts the library decides by, as tables: GPU and CPU shapes of both clouds, regions, locations,
// zones and Kubernetes versions, registries and pinned images, the labels and taints every pool
// carries, and the VPN crypto suites and inside addresses every end speaks. No Pulumi.

export {
  AWS_LOAD_BALANCER_CONTROLLER_IMAGE,
  AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  awsLoadBalancerControllerPolicy,
} from "./aws-load-balancer-controller";
export {
  AZURE_CPU_FAMILIES,
  AZURE_CPU_SIZES,
  AZURE_GPU_FAMILIES,
  AZURE_GPU_SIZES,
  type AzureCpuFacts,
  type AzureGpuFacts,
} from "./azure-sizes";
export {
  CLUSTER_AUTOSCALER_IMAGES,
  CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
  clusterAutoscalerPolicy,
} from "./cluster-autoscaler";
export { AWS_CPU_FAMILIES, AWS_CPU_INSTANCES, type CpuFacts } from "./cpu";
export { EKS_REGISTRY_ACCOUNT, EKS_REGISTRY_EXCEPTIONS, eksRegistry } from "./eks-registries";
export { ENTRA_ID_TOKEN_CIDRS } from "./entra";
export {
  AWS_EFA_INTERFACES,
  AWS_GPU_FAMILIES,
  AWS_GPU_INSTANCES,
  awsGpuInstance,
  type GpuFacts,
  SPOT_PRICE_FACTOR,
} from "./gpu";
export {
  type FeatureScope,
  kubernetesFloor,
  kubernetesOlder,
  missingFeatures,
  RENDERED_FEATURES,
  type RenderedFeature,
} from "./kubernetes-features";
export {
  KUEUE_API_GROUP,
  KUEUE_API_VERSION,
  KUEUE_DEFAULT_LOCAL_QUEUE,
  KUEUE_IMAGE,
  KUEUE_LABELS,
  KUEUE_MINIMUM_EXISTING,
  KUEUE_NAMES,
  KUEUE_PREEMPTION,
  KUEUE_PRIORITY_RANGE,
  KUEUE_QUEUEING_STRATEGIES,
  KUEUE_RESOURCES,
  KUEUE_VERSION,
  kueueVersionAtLeast,
  MULTIKUEUE_CONTROLLER,
  MULTIKUEUE_KUBECONFIG_KEY,
} from "./kueue";
export {
  duplicateTaintKeys,
  GPU_TAINT,
  LABEL_BACKUP,
  LABEL_CAPACITY,
  LABEL_GPU_MODEL,
  LABEL_POOL,
  LABEL_TRUST,
  LABEL_WORKLOAD,
  labelKeySchema,
  labelValueSchema,
  poolLabels,
  SYSTEM_TAINT,
  TAINT_EFFECTS,
  taintSchema,
} from "./labels";
export { MIG_STRATEGIES, type MigStrategy } from "./nvidia";
export {
  AKS_VERSION_CALENDAR,
  type AksVersionLife,
  AWS_REGIONS,
  AZURE_LOCATIONS,
  awsZoneProblem,
  didYouMean,
  FACTS_AS_OF,
  KUBERNETES_VERSIONS,
  monthsBetween,
  unknownFact,
} from "./places";
export {
  LABEL_RESTORE_DRILL,
  LABEL_STAGING,
  RCLONE_CONFIG_PATH,
  RCLONE_EXIT_CODES,
  RCLONE_IMAGE_REPOSITORY,
  RCLONE_MIN_VERSION,
  RCLONE_RECOMMENDED_VERSION,
  RCLONE_SECRET_KEYS,
  RCLONE_UID,
  RCLONE_UNHASHED_NOTICE,
  rcloneImageSchema,
  versionAtLeast,
} from "./rclone";
export { expandFamilies } from "./tables";
export {
  AWS_CGW_BGP_ASN_MAX,
  AWS_GATEWAY_ASNS,
  customerGatewayAsn,
  isAmazonSideAsn,
  isUsablePrivateAsn,
  USABLE_PRIVATE_ASNS,
  USABLE_PRIVATE_ASNS_TEXT,
} from "./vpn-asn";
export {
  type AwsTunnelCrypto,
  type AzureIpsecPolicy,
  awsTunnelCrypto,
  azureIpsecPolicy,
  CRYPTO_SUITES,
  type CryptoSuite,
  type CryptoSuiteName,
  checkSuite,
  DEFAULT_CRYPTO_SUITE,
  type DhGroup,
  deadPeerSeconds,
  type Encryption,
  type Hash,
  isAead,
  type StrongSwanProposals,
  strongSwanProposals,
  suiteProblems,
  type VpnEnd,
} from "./vpn-crypto";
export {
  AWS_TUNNEL_DEFAULTS,
  type AwsTunnelOptions,
  awsTunnelOptions,
  BGP_CONNECT_RETRY_SECONDS,
  BGP_TIMERS,
  type CloudEnd,
  IKE_INITIATOR,
  type TunnelMtu,
  tunnelMtu,
} from "./vpn-ends";
export {
  awsAzureApipa,
  azureOnPremApipa,
  DEFAULT_INSIDE_SLOTS,
  INSIDE_RANGES,
  INSIDE_SLOTS,
  insideSlot,
  LINK_KINDS,
  type LinkKind,
  type RouterLinkSlot,
  sharedRouterSlotClashes,
  slotOfInsideCidr,
  TUNNELS_PER_SLOT,
  type TunnelInside,
  tunnelInsides,
} from "./vpn-inside-addresses";
