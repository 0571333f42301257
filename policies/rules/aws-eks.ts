// EKS control planes: a private endpoint (or a public one only from admin networks), secrets
// envelope-encrypted under a customer key, all control-plane logs, IAM access through access
// entries, a Kubernetes version EKS supports, and network policies enforced by the VPC CNI.
// An input left out means EKS's default, which for most of these is the insecure one.
import {
  type Block,
  contains,
  covered,
  coversEverything,
  EVERYTHING,
  family,
  get,
  isAbsent,
  isFalse,
  isTrue,
  isUnknown,
  LIBRARY_VERSIONS,
  list,
  mayReferTo,
  oneOf,
  parseBlock,
  refersTo,
  resourceRule,
  type StackResource,
  show,
  stackRule,
  strings,
  supportedMinor,
  UNKNOWN,
} from "../kit";

const CLUSTER = "aws:eks/cluster:Cluster";
/** aws-native's cluster: the same endpoint settings under resourcesVpcConfig. */
const NATIVE_CLUSTER = "aws-native:eks:Cluster";
const ADDON = "aws:eks/addon:Addon";

/**
 * Per address family, the shortest prefix a public endpoint CIDR may have, and so the largest
 * share of the internet a set of them may cover together: admin networks and VPN egress are /32
 * to /24 blocks; a /8 is already a sixteen-million-address allowance.
 */
const SHORTEST_PREFIX = { 4: 8, 6: 32 } as const;
const BITS = { 4: 32, 6: 128 } as const;

export const awsEksEndpointAccess = resourceRule({
  name: "aws-eks-endpoint-access",
  description:
    "The EKS API server endpoint (of an aws or aws-native cluster) is private: endpointPrivateAccess on, endpointPublicAccess off (EKS turns it on by default, open to 0.0.0.0/0), or public only from CIDRs inside the pack's allowedPublicCidrs and never from 0.0.0.0/0 (in any spelling), a block broader than /8 or a set of blocks that adds up to the internet.",
  remediation:
    "Set vpcConfig.endpointPrivateAccess true and endpointPublicAccess false and reach the API through the VPC (VPN, bastion, SSM). If a public endpoint is needed, set publicAccessCidrs to the admin networks' blocks and list them in this rule's allowedPublicCidrs.",
  benchmarks: [
    "checkov:CKV_AWS_39",
    "checkov:CKV_AWS_38",
    "kics:42f4b905-3736-4213-bfe9-c0660518cda8",
    "kics:61cf9883-1752-4768-b18c-0d57f2737709",
    "aws-fsbp:EKS.1",
    "cis-eks:5.4.1",
    "cis-eks:5.4.2",
  ],
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedPublicCidrs: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
          "CIDR blocks a public EKS endpoint may accept (each publicAccessCidrs entry must lie inside one); empty: no public endpoint at all.",
      },
    },
  },
  types: [CLUSTER, NATIVE_CLUSTER],
  check: (ctx) => {
    const field = ctx.type === NATIVE_CLUSTER ? "resourcesVpcConfig" : "vpcConfig";
    const vpc = get(ctx.props, field);
    const privateAccess = get(vpc, "endpointPrivateAccess");
    if (ctx.known(privateAccess, `${field}.endpointPrivateAccess`) && !isTrue(privateAccess))
      ctx.report(
        `${field}.endpointPrivateAccess is ${show(privateAccess, "EKS default false")}, so nodes and admins reach the API over the internet; set it to true`,
      );
    const publicAccess = get(vpc, "endpointPublicAccess");
    if (!ctx.known(publicAccess, `${field}.endpointPublicAccess`) || isFalse(publicAccess)) return;
    const allowed = strings(ctx.config.allowedPublicCidrs).flatMap((t) => parseBlock(t) ?? []);
    if (allowed.length === 0)
      ctx.report(
        `${field}.endpointPublicAccess is ${show(publicAccess, "EKS default true")} and this rule's allowedPublicCidrs is empty; set endpointPublicAccess to false`,
      );
    const cidrs = get(vpc, "publicAccessCidrs");
    if (!ctx.known(cidrs, `${field}.publicAccessCidrs`)) return;
    if (list(cidrs).length === 0) {
      ctx.report(
        `${field}.publicAccessCidrs is unset, so EKS opens the public endpoint to 0.0.0.0/0; list only the admin networks' blocks, or turn the public endpoint off`,
      );
      return;
    }
    const blocks: Block[] = [];
    for (const text of list(cidrs)) {
      const b = typeof text === "string" ? parseBlock(text) : undefined;
      if (!b) ctx.report(`${field}.publicAccessCidrs contains ${JSON.stringify(text)}, not a CIDR block`);
      else blocks.push(b);
    }
    for (const b of blocks)
      if (b.prefix < SHORTEST_PREFIX[b.family])
        ctx.report(
          `${field}.publicAccessCidrs contains ${b.text}, broader than /${SHORTEST_PREFIX[b.family]}; list the admin networks' own blocks (e.g. 203.0.113.0/24)`,
        );
    for (const family of [4, 6] as const) {
      const shown = blocks.filter((b) => b.family === family).map((b) => b.text);
      if (coversEverything(blocks, family))
        ctx.report(
          `${field}.publicAccessCidrs ${shown.join(" + ")} together cover every IPv${family} address, the same as ${EVERYTHING[family]}; list only the admin networks' blocks`,
        );
      else if (covered(blocks, family) > 2n ** BigInt(BITS[family] - SHORTEST_PREFIX[family]))
        ctx.report(
          `${field}.publicAccessCidrs ${shown.join(" + ")} together cover more addresses than one /${SHORTEST_PREFIX[family]}; list only the admin networks' blocks`,
        );
    }
    if (allowed.length === 0) return;
    for (const b of blocks)
      if (!allowed.some((a) => contains(a, b)))
        ctx.report(
          `${field}.publicAccessCidrs contains ${b.text}, outside this rule's allowedPublicCidrs (${allowed.map((a) => a.text).join(", ")})`,
        );
  },
});

export const awsEksSecretsEncryption = resourceRule({
  name: "aws-eks-secrets-encryption",
  description:
    "EKS envelope-encrypts Kubernetes secrets with a KMS key of the account's: encryptionConfig (of an aws or aws-native cluster) names the secrets resource and a provider key ARN.",
  remediation:
    'Set encryptionConfig to { resources: ["secrets"], provider: { keyArn: <a customer managed KMS key with rotation on> } }.',
  benchmarks: [
    "checkov:CKV_AWS_58",
    "kics:63ebcb19-2739-4d3f-aa5c-e8bbb9b85281",
    "aws-fsbp:EKS.3",
    "cis-eks:5.3.1",
  ],
  enforcementLevel: "mandatory",
  types: [CLUSTER, NATIVE_CLUSTER],
  check: (ctx) => {
    // aws v7 takes one object; older programs, other SDKs and aws-native's cluster a list.
    const raw = get(ctx.props, "encryptionConfig");
    if (!ctx.known(raw, "encryptionConfig")) return;
    const configs = list(raw);
    const encrypted = configs.filter((c) => strings(get(c, "resources")).includes("secrets"));
    if (encrypted.length === 0) {
      ctx.report(
        `encryptionConfig.resources is ${show(configs.length ? get(configs[0], "resources") : undefined)}, so Kubernetes secrets are stored without KMS envelope encryption; set it to ["secrets"] with provider.keyArn`,
      );
      return;
    }
    if (!encrypted.some((c) => strings(get(c, "provider.keyArn")).some((arn) => arn.length > 0)))
      ctx.report("encryptionConfig.provider.keyArn is unset; give the ARN of a customer managed KMS key");
  },
});

/** The control plane's log types: EKS enables none by default. */
const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export const awsEksControlPlaneLogging = resourceRule({
  name: "aws-eks-control-plane-logging",
  description:
    "EKS ships all five control-plane log types (api, audit, authenticator, controllerManager, scheduler) to CloudWatch Logs (enabledClusterLogTypes, or aws-native's logging.clusterLogging.enabledTypes); EKS enables none by default.",
  remediation: `Set enabledClusterLogTypes to ${JSON.stringify(EKS_LOG_TYPES)}.`,
  benchmarks: [
    "checkov:CKV_AWS_37",
    "kics:66f130d9-b81d-4e8e-9b08-da74b9c891df",
    "aws-fsbp:EKS.8",
    "cis-eks:2.1.1",
  ],
  enforcementLevel: "mandatory",
  types: [CLUSTER, NATIVE_CLUSTER],
  check: (ctx) => {
    // aws-native's cluster lists them as logging.clusterLogging.enabledTypes[].type.
    const native = ctx.type === NATIVE_CLUSTER;
    const field = native ? "logging.clusterLogging.enabledTypes" : "enabledClusterLogTypes";
    const given = get(ctx.props, field);
    const raw = native && !isUnknown(given) ? list(given).map((t) => get(t, "type")) : given;
    if (!ctx.known(raw, field)) return;
    const enabled = strings(raw).map((t) => t.toLowerCase());
    const missing = EKS_LOG_TYPES.filter((t) => !enabled.includes(t.toLowerCase()));
    if (missing.length > 0)
      ctx.report(
        `${field} is ${show(isAbsent(given) ? undefined : raw)}, missing ${missing.join(", ")}; enable all of ${EKS_LOG_TYPES.join(", ")}`,
      );
  },
});

const authenticationMode = (ctx: { props: Record<string, unknown> }) =>
  get(ctx.props, "accessConfig.authenticationMode");

export const awsEksAccessEntries = resourceRule({
  name: "aws-eks-access-entries",
  description:
    "EKS authenticates IAM principals through access entries (accessConfig.authenticationMode API or API_AND_CONFIG_MAP), not only the aws-auth ConfigMap, which any cluster admin can edit unseen and whose mistakes lock everyone out.",
  remediation: 'Set accessConfig.authenticationMode to "API" and grant access with aws.eks.AccessEntry.',
  benchmarks: ["cis-eks:4.1.7", "hybrid-ai-infra:eks-access-entries"],
  enforcementLevel: "mandatory",
  types: [CLUSTER],
  check: (ctx) => {
    const mode = authenticationMode(ctx);
    if (!ctx.known(mode, "accessConfig.authenticationMode")) return;
    if (!oneOf(mode, "API", "API_AND_CONFIG_MAP"))
      ctx.report(
        `accessConfig.authenticationMode is ${show(mode, "EKS default CONFIG_MAP")}, so only the aws-auth ConfigMap grants access; set it to "API" (or "API_AND_CONFIG_MAP" while migrating)`,
      );
  },
});

export const awsEksApiOnlyAuthentication = resourceRule({
  name: "aws-eks-api-only-authentication",
  description:
    "EKS takes access entries alone (accessConfig.authenticationMode API): with API_AND_CONFIG_MAP the aws-auth ConfigMap still grants access beside them.",
  remediation:
    'Move every aws-auth mapping to an aws.eks.AccessEntry, then set accessConfig.authenticationMode to "API" (EKS allows no way back).',
  benchmarks: ["cis-eks:4.1.7", "cis-eks:5.5.1", "hybrid-ai-infra:eks-access-entries"],
  enforcementLevel: "advisory",
  types: [CLUSTER],
  check: (ctx) => {
    // CONFIG_MAP and unset are aws-eks-access-entries' finding; this one only nudges the migration.
    if (oneOf(authenticationMode(ctx), "API_AND_CONFIG_MAP"))
      ctx.report(
        'accessConfig.authenticationMode is "API_AND_CONFIG_MAP", so the aws-auth ConfigMap still grants access; set it to "API" once the mappings are access entries',
      );
  },
});

export const awsEksVersionSupported = resourceRule({
  name: "aws-eks-version-supported",
  description:
    "EKS clusters run a Kubernetes minor version EKS supports (standard or extended support, as the library's facts table records it); an unset version is EKS's current default.",
  remediation:
    "Set version to a supported minor (the library's KUBERNETES_VERSIONS.eks) and upgrade one minor at a time; list a newer minor than the table knows in this rule's allowedVersions.",
  benchmarks: ["checkov:CKV_AWS_339", "aws-fsbp:EKS.2"],
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedVersions: {
        type: "array",
        items: { type: "string", pattern: "^\\d+\\.\\d+$" },
        default: [],
        description: "Minors to accept beyond the library's table (a release newer than the table).",
      },
    },
  },
  types: [CLUSTER],
  check: (ctx) => {
    const version = ctx.props.version;
    if (!ctx.known(version, "version") || isAbsent(version)) return;
    const minor = supportedMinor(version, [...LIBRARY_VERSIONS.eks, ...strings(ctx.config.allowedVersions)]);
    if (minor !== true)
      ctx.report(
        `version is ${show(version)}, ${minor}; supported: ${[...LIBRARY_VERSIONS.eks, ...strings(ctx.config.allowedVersions)].join(", ")}`,
      );
  },
});

/** The VPC CNI setting that turns its network policy agent on. */
function networkPolicyEnabled(configurationValues: unknown): boolean {
  if (typeof configurationValues !== "string") return false;
  try {
    const parsed = JSON.parse(configurationValues) as Record<string, unknown>;
    return isTrue(parsed.enableNetworkPolicy);
  } catch {
    return false;
  }
}

export const awsEksNetworkPolicy = stackRule({
  name: "aws-eks-network-policy",
  description:
    "Each EKS cluster enforces Kubernetes NetworkPolicies: its vpc-cni add-on sets enableNetworkPolicy, or it has no self-managed add-ons (bootstrapSelfManagedAddons false) and so runs a CNI of the program's choosing. Without it every NetworkPolicy the program declares is silently ignored.",
  remediation:
    'Declare aws.eks.Addon "vpc-cni" with configurationValues {"enableNetworkPolicy":"true"} (AwsPrivateCluster does).',
  benchmarks: ["cis-eks:5.4.4", "cis-eks:4.3.1", "cis-k8s:5.3.1"],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    const addons = ctx.ofType(ADDON).filter((a) => oneOf(a.props.addonName, "vpc-cni"));
    const clusters = ctx.ofType(CLUSTER);
    const clusterIds = (c: StackResource) => [c.props.name, c.name];
    for (const cluster of clusters) {
      const mine = addons.filter((a) => refersTo(a, "clusterName", cluster, clusterIds));
      if (mine.length === 0) {
        // An add-on not fully known yet may be this cluster's vpc-cni.
        const maybe = ctx
          .ofType(ADDON)
          .filter(
            (a) =>
              (isUnknown(a.props.addonName) || oneOf(a.props.addonName, "vpc-cni")) &&
              mayReferTo(a, "clusterName", cluster, clusters, clusterIds),
          );
        if (!ctx.known(maybe.length > 0 ? UNKNOWN : undefined, `${cluster.name} vpc-cni add-on`)) continue;
        const bootstrap = cluster.props.bootstrapSelfManagedAddons;
        if (!ctx.known(bootstrap, `${cluster.name}.bootstrapSelfManagedAddons`) || isFalse(bootstrap))
          continue;
        ctx.report(
          `cluster ${cluster.name} runs EKS's self-managed aws-node (bootstrapSelfManagedAddons ${show(bootstrap, "default true")}) with its network policy agent off, and no vpc-cni add-on turns it on; NetworkPolicies are not enforced`,
          cluster.urn,
        );
        continue;
      }
      for (const a of mine) {
        const values = a.props.configurationValues;
        if (!ctx.known(values, `${a.name}.configurationValues`)) continue;
        if (!networkPolicyEnabled(values))
          ctx.report(
            `vpc-cni add-on ${a.name} of cluster ${cluster.name} has configurationValues ${show(values)} without "enableNetworkPolicy": "true", so NetworkPolicies are not enforced`,
            a.urn,
          );
      }
    }
  },
});

export const FAMILY = family("aws-eks", "EKS control planes", [
  awsEksEndpointAccess,
  awsEksSecretsEncryption,
  awsEksControlPlaneLogging,
  awsEksAccessEntries,
  awsEksApiOnlyAuthentication,
  awsEksVersionSupported,
  awsEksNetworkPolicy,
]);
