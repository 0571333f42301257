// Validation shared by the components, the stack config and the placement engine: the one error
// every layer raises, zod helpers that turn issues into it, value rules (names, ids, ARNs, CIDRs,
// DNS names) and reading the files a user writes. No Pulumi.
export {
  addressAt,
  type Cidr,
  carveSubnets,
  cidrContains,
  cidrOverlaps,
  cidrSize,
  findOverlaps,
  ipv4Cidr,
  lastBlock,
  parseCidr,
  tryParseCidr,
} from "./cidr";
export {
  domainSchema,
  domainsOf,
  flagRepeats,
  ipv4AddressSchema,
  isDnsName,
  listOf,
  normaliseDomain,
} from "./dns-names";
export {
  ConfigError,
  type ConfigIssue,
  componentSubject,
  formatConfigError,
  formatPath,
  showValue,
} from "./errors";
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
export { describeIssues, type IssueSink, oneOfNumbers, parseOrThrow } from "./validation";
