// AWS resource rules: the EKS control plane (endpoint, secrets encryption, logs, authentication),
// node launch templates and node groups (IMDSv2, hop limit, encrypted volumes, GPU taint, SSH),
// S3 (SSE-KMS, versioning, public access) and the KMS keys and IAM roles around them.
// They read the inputs of resources any Pulumi program declares, not only this library's: an input
// left out means the provider's or AWS's default, which for most of these is the insecure one.
import { Address4, Address6 } from "ip-address";
import { get, isTrue, list, type Props, type Report, resourceRule, strings } from "./kit";

// ---------------------------------------------------------------------------------------------
// Shared readers
// ---------------------------------------------------------------------------------------------

const show = (value: unknown): string => (value === undefined ? "unset" : JSON.stringify(value));

/** A policy document's statements; undefined when the input is no JSON we can read (a secret, say). */
function statements(document: unknown): Props[] | undefined {
  let parsed: unknown = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    } catch {
      return undefined;
    }
  }
  if (parsed === null || typeof parsed !== "object") return undefined;
  return list((parsed as Props).Statement).filter((s): s is Props => s !== null && typeof s === "object");
}

interface ConditionEntry {
  operator: string;
  key: string;
  values: string[];
}

/** Every `operator: { key: values }` of a statement's Condition block. */
function conditions(statement: Props): ConditionEntry[] {
  const block = statement.Condition;
  if (block === null || typeof block !== "object") return [];
  return Object.entries(block as Props).flatMap(([operator, keys]) =>
    keys === null || typeof keys !== "object"
      ? []
      : Object.entries(keys as Props).map(([key, values]) => ({
          operator,
          key: key.toLowerCase(),
          values: list(values).map(String),
        })),
  );
}

/**
 * Whether a condition narrows who the statement applies to: a positive operator (a `Not` one
 * excludes a few callers and lets the rest of the world in) on `key`, with no bare `*` value.
 */
function narrows(entry: ConditionEntry, keys: ReadonlySet<string>): boolean {
  return (
    keys.has(entry.key) &&
    !/not/i.test(entry.operator) &&
    entry.values.length > 0 &&
    !entry.values.includes("*")
  );
}

const isAllow = (statement: Props) => String(statement.Effect ?? "").toLowerCase() === "allow";

// ---------------------------------------------------------------------------------------------
// EKS cluster
// ---------------------------------------------------------------------------------------------

const CLUSTER = "aws:eks/cluster:Cluster";

/**
 * Per address family: the shortest prefix a public endpoint CIDR may have, and so the largest
 * share of the internet a set of them may cover together. Admin networks and VPN egress are /32 to
 * /24 blocks; a /8 is already a sixteen-million-address allowance, nothing a control plane needs.
 */
const ADDRESS_FAMILIES = {
  4: { bits: 32, shortestPrefix: 8, everything: "0.0.0.0/0" },
  6: { bits: 128, shortestPrefix: 32, everything: "::/0" },
} as const;

interface Block {
  text: string;
  family: 4 | 6;
  prefix: number;
  start: bigint;
  end: bigint;
}

/** A CIDR block as a range of addresses (host bits ignored, as AWS does), or undefined. */
function block(text: string): Block | undefined {
  const family = text.includes(":") ? 6 : 4;
  if (!(family === 6 ? Address6.isValid(text) : Address4.isValid(text))) return undefined;
  const address = family === 6 ? new Address6(text) : new Address4(text);
  return {
    text,
    family,
    prefix: address.subnetMask,
    start: address.startAddress().bigInt(),
    end: address.endAddress().bigInt(),
  };
}

/** How many addresses of `family` the blocks cover together, overlaps counted once. */
function unionSize(blocks: readonly Block[], family: 4 | 6): bigint {
  const sorted = blocks.filter((b) => b.family === family).sort((a, b) => (a.start < b.start ? -1 : 1));
  let total = 0n;
  let current: { start: bigint; end: bigint } | undefined;
  for (const b of sorted) {
    if (current && b.start <= current.end + 1n) {
      if (b.end > current.end) current.end = b.end;
      continue;
    }
    if (current) total += current.end - current.start + 1n;
    current = { start: b.start, end: b.end };
  }
  return current ? total + current.end - current.start + 1n : total;
}

/** What is wrong with the CIDRs a public endpoint accepts, whatever the pack's configuration says. */
function tooBroad(blocks: readonly Block[], report: Report): void {
  for (const b of blocks) {
    const facts = ADDRESS_FAMILIES[b.family];
    if (b.prefix < facts.shortestPrefix)
      report(
        `vpcConfig.publicAccessCidrs contains ${b.text}, broader than /${facts.shortestPrefix}; list the admin networks' own blocks (e.g. 203.0.113.0/24)`,
      );
  }
  for (const family of [4, 6] as const) {
    const facts = ADDRESS_FAMILIES[family];
    const covered = unionSize(blocks, family);
    const shown = blocks.filter((b) => b.family === family).map((b) => b.text);
    if (covered === 2n ** BigInt(facts.bits))
      report(
        `vpcConfig.publicAccessCidrs ${shown.join(" + ")} together cover every IPv${family} address, the same as ${facts.everything}; list only the admin networks' blocks`,
      );
    else if (covered > 2n ** BigInt(facts.bits - facts.shortestPrefix))
      report(
        `vpcConfig.publicAccessCidrs ${shown.join(" + ")} together cover more addresses than one /${facts.shortestPrefix}; list only the admin networks' blocks`,
      );
  }
}

export const awsEksEndpointAccess = resourceRule({
  name: "aws-eks-endpoint-access",
  description:
    "The EKS API server endpoint is private: endpointPrivateAccess on, endpointPublicAccess off (EKS turns it on by default, open to 0.0.0.0/0), or public only from CIDRs inside the pack's allowedPublicCidrs and never from 0.0.0.0/0, a block broader than /8 or a set of blocks that adds up to the internet.",
  remediation:
    "Set vpcConfig.endpointPrivateAccess true and endpointPublicAccess false and reach the API through the VPC (VPN, bastion, SSM). If a public endpoint is needed, set publicAccessCidrs to the admin networks' blocks and list them in this rule's allowedPublicCidrs.",
  benchmarks: [
    "checkov:CKV_AWS_39",
    "checkov:CKV_AWS_38",
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
  types: [CLUSTER],
  check: ({ props, config }, report) => {
    const vpc = get(props, "vpcConfig");
    // An unknown value (preview) is not `false`: only an explicit false turns the defaults around.
    const privateAccess = get(vpc, "endpointPrivateAccess");
    if (!isTrue(privateAccess))
      report(
        `vpcConfig.endpointPrivateAccess is ${show(privateAccess)} (EKS default false), so nodes and admins reach the API over the internet; set it to true`,
      );
    const publicAccess = get(vpc, "endpointPublicAccess");
    if (publicAccess === false || publicAccess === "false") return;

    const cidrs = strings(get(vpc, "publicAccessCidrs"));
    const allowed = strings(config.allowedPublicCidrs)
      .map(block)
      .filter((b): b is Block => b !== undefined);
    if (allowed.length === 0)
      report(
        `vpcConfig.endpointPublicAccess is ${show(publicAccess)} (EKS default true) and this rule's allowedPublicCidrs is empty; set endpointPublicAccess to false`,
      );
    if (cidrs.length === 0) {
      report(
        "vpcConfig.publicAccessCidrs is unset, so EKS opens the public endpoint to 0.0.0.0/0; list only the admin networks' blocks, or turn the public endpoint off",
      );
      return;
    }
    const blocks: Block[] = [];
    for (const text of cidrs) {
      const b = block(text);
      if (!b) report(`vpcConfig.publicAccessCidrs contains ${JSON.stringify(text)}, not a CIDR block`);
      else blocks.push(b);
    }
    tooBroad(blocks, report);
    if (allowed.length === 0) return;
    for (const b of blocks) {
      const inside = allowed.some((a) => a.family === b.family && a.start <= b.start && b.end <= a.end);
      if (!inside)
        report(
          `vpcConfig.publicAccessCidrs contains ${b.text}, outside this rule's allowedPublicCidrs (${allowed.map((a) => a.text).join(", ")})`,
        );
    }
  },
});

export const awsEksSecretsEncryption = resourceRule({
  name: "aws-eks-secrets-encryption",
  description:
    "EKS envelope-encrypts Kubernetes secrets with a KMS key of the account's: encryptionConfig names the secrets resource and a provider key ARN.",
  remediation:
    'Set encryptionConfig to { resources: ["secrets"], provider: { keyArn: <a customer managed KMS key with rotation on> } }.',
  benchmarks: ["checkov:CKV_AWS_58", "aws-fsbp:EKS.3", "cis-eks:5.3.1"],
  enforcementLevel: "mandatory",
  types: [CLUSTER],
  check: ({ props }, report) => {
    // aws v7 takes one object; older programs (and other SDKs) a one-element list.
    const configs = list(get(props, "encryptionConfig"));
    const encrypted = configs.filter((c) => strings(get(c, "resources")).includes("secrets"));
    if (encrypted.length === 0) {
      report(
        `encryptionConfig.resources is ${show(configs.length ? get(configs[0], "resources") : undefined)}, so Kubernetes secrets are stored without KMS envelope encryption; set it to ["secrets"] with provider.keyArn`,
      );
      return;
    }
    if (!encrypted.some((c) => strings(get(c, "provider.keyArn")).some((arn) => arn.length > 0)))
      report("encryptionConfig.provider.keyArn is unset; give the ARN of a customer managed KMS key");
  },
});

/** The control plane's log types: EKS enables none by default. */
const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export const awsEksControlPlaneLogging = resourceRule({
  name: "aws-eks-control-plane-logging",
  description:
    "EKS ships all five control-plane log types (api, audit, authenticator, controllerManager, scheduler) to CloudWatch Logs; EKS enables none by default.",
  remediation: `Set enabledClusterLogTypes to ${JSON.stringify(EKS_LOG_TYPES)}.`,
  benchmarks: ["checkov:CKV_AWS_37", "aws-fsbp:EKS.8", "cis-eks:2.1.1"],
  enforcementLevel: "mandatory",
  types: [CLUSTER],
  check: ({ props }, report) => {
    const enabled = strings(props.enabledClusterLogTypes);
    const missing = EKS_LOG_TYPES.filter((t) => !enabled.includes(t));
    if (missing.length > 0)
      report(
        `enabledClusterLogTypes is ${show(props.enabledClusterLogTypes)}, missing ${missing.join(", ")}; enable all of ${EKS_LOG_TYPES.join(", ")}`,
      );
  },
});

/** Authentication modes that use EKS access entries (IAM-managed, audited in CloudTrail). */
const ACCESS_ENTRY_MODES = new Set(["API", "API_AND_CONFIG_MAP"]);

const authenticationMode = (props: Props) => get(props, "accessConfig.authenticationMode");

export const awsEksAccessEntries = resourceRule({
  name: "aws-eks-access-entries",
  description:
    "EKS authenticates IAM principals through access entries (accessConfig.authenticationMode API or API_AND_CONFIG_MAP), not only the aws-auth ConfigMap, which any cluster admin can edit unseen and whose mistakes lock everyone out.",
  remediation: 'Set accessConfig.authenticationMode to "API" and grant access with aws.eks.AccessEntry.',
  benchmarks: ["hybrid-ai-infra:eks-access-entries"],
  enforcementLevel: "mandatory",
  types: [CLUSTER],
  check: ({ props }, report) => {
    const mode = authenticationMode(props);
    if (!ACCESS_ENTRY_MODES.has(String(mode)))
      report(
        `accessConfig.authenticationMode is ${show(mode)} (EKS default CONFIG_MAP), so only the aws-auth ConfigMap grants access; set it to "API" (or "API_AND_CONFIG_MAP" while migrating)`,
      );
  },
});

export const awsEksApiOnlyAuthentication = resourceRule({
  name: "aws-eks-api-only-authentication",
  description:
    "EKS takes access entries alone (accessConfig.authenticationMode API): with API_AND_CONFIG_MAP the aws-auth ConfigMap still grants access beside them.",
  remediation:
    'Move every aws-auth mapping to an aws.eks.AccessEntry, then set accessConfig.authenticationMode to "API" (EKS allows no way back).',
  benchmarks: ["hybrid-ai-infra:eks-access-entries"],
  enforcementLevel: "advisory",
  types: [CLUSTER],
  check: ({ props }, report) => {
    const mode = authenticationMode(props);
    // CONFIG_MAP and unset are aws-eks-access-entries' finding; this one only nudges the migration.
    if (mode === "API_AND_CONFIG_MAP")
      report(
        'accessConfig.authenticationMode is "API_AND_CONFIG_MAP", so the aws-auth ConfigMap still grants access; set it to "API" once the mappings are access entries',
      );
  },
});

// ---------------------------------------------------------------------------------------------
// Launch templates
// ---------------------------------------------------------------------------------------------

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

/** A template that turns the metadata service off has nothing to protect. */
const imdsOff = (props: Props) => get(props, "metadataOptions.httpEndpoint") === "disabled";

export const awsLaunchTemplateImdsv2 = resourceRule({
  name: "aws-launch-template-imdsv2",
  description:
    "Instances from the launch template require IMDSv2 session tokens (metadataOptions.httpTokens required): IMDSv1 hands the node role's credentials to any SSRF.",
  remediation: 'Set metadataOptions.httpTokens to "required" (or httpEndpoint to "disabled").',
  benchmarks: ["checkov:CKV_AWS_79", "aws-fsbp:EC2.170"],
  enforcementLevel: "mandatory",
  types: [LAUNCH_TEMPLATE],
  check: ({ props }, report) => {
    if (imdsOff(props)) return;
    const tokens = get(props, "metadataOptions.httpTokens");
    if (tokens !== "required")
      report(
        `metadataOptions.httpTokens is ${show(tokens)}${tokens === undefined ? " (the AMI decides, usually optional)" : ""}, so IMDSv1 stays open; set it to "required"`,
      );
  },
});

/** The hop limit an instance gets when the template says nothing: AL2023 and the EKS AMIs set 2. */
const AMI_DEFAULT_HOP_LIMIT = 2;

export const awsLaunchTemplateImdsHopLimit = resourceRule({
  name: "aws-launch-template-imds-hop-limit",
  description:
    "The metadata response hop limit is at most maxHopLimit (default 1). At 1 the token PUT cannot leave the node's own network namespace, so pods cannot take the node role's credentials and use Pod Identity or IRSA instead; raise the knob to 2 only for clusters whose add-ons still read IMDS from pods (the limit EKS's own default template uses).",
  remediation:
    "Set metadataOptions.httpPutResponseHopLimit to 1 and give pods their AWS access with EKS Pod Identity.",
  benchmarks: ["checkov:CKV_AWS_341"],
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxHopLimit: {
        type: "integer",
        minimum: 1,
        maximum: 64,
        default: 1,
        description:
          "The highest hop limit allowed: 1 keeps pods off IMDS; 2 lets pods on the node's network reach it.",
      },
    },
  },
  types: [LAUNCH_TEMPLATE],
  check: ({ props, config }, report) => {
    if (imdsOff(props)) return;
    const max = Number(config.maxHopLimit ?? 1);
    const limit = get(props, "metadataOptions.httpPutResponseHopLimit");
    const effective = limit === undefined || limit === null ? AMI_DEFAULT_HOP_LIMIT : Number(limit);
    if (effective > max)
      report(
        `metadataOptions.httpPutResponseHopLimit is ${limit === undefined || limit === null ? `unset (the AMI's default, ${AMI_DEFAULT_HOP_LIMIT} on AL2023 and EKS AMIs)` : String(limit)}, so pods can reach the node's credentials; set it to ${max === 1 ? "1" : `at most ${max}`}`,
      );
  },
});

export const awsLaunchTemplateEncryptedVolumes = resourceRule({
  name: "aws-launch-template-encrypted-volumes",
  description:
    "Every EBS volume the launch template maps is encrypted (blockDeviceMappings[].ebs.encrypted true); a template that maps none leaves the root volume to the AMI snapshot and the account default, which is unencrypted unless turned on.",
  remediation:
    'Map each volume, the root device included, with ebs: { encrypted: "true" } (and kmsKeyId for a customer managed key).',
  benchmarks: ["aws-fsbp:EC2.181"],
  enforcementLevel: "mandatory",
  types: [LAUNCH_TEMPLATE],
  check: ({ props }, report) => {
    const mappings = list(props.blockDeviceMappings);
    const ebs = mappings.filter((m) => get(m, "ebs") !== undefined && get(m, "ebs") !== null);
    if (ebs.length === 0) {
      report(
        'blockDeviceMappings maps no EBS volume, so the root volume\'s encryption is left to the AMI and the account default; map the root device with ebs.encrypted "true"',
      );
      return;
    }
    for (const m of ebs) {
      const encrypted = get(m, "ebs.encrypted");
      if (!isTrue(encrypted))
        report(
          `blockDeviceMappings ${JSON.stringify(get(m, "deviceName") ?? "?")} has ebs.encrypted ${show(encrypted)}; set it to "true"`,
        );
    }
  },
});

// ---------------------------------------------------------------------------------------------
// EKS node groups
// ---------------------------------------------------------------------------------------------

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

/** EKS AMI types that ship NVIDIA drivers (compared upper-cased: the API writes x86_64). */
const NVIDIA_AMI_TYPES: ReadonlySet<string> = new Set([
  "AL2_X86_64_GPU",
  "AL2023_X86_64_NVIDIA",
  "AL2023_ARM_64_NVIDIA",
  "BOTTLEROCKET_X86_64_NVIDIA",
  "BOTTLEROCKET_ARM_64_NVIDIA",
  "BOTTLEROCKET_X86_64_NVIDIA_FIPS",
  "BOTTLEROCKET_ARM_64_NVIDIA_FIPS",
]);

/**
 * EC2 families with NVIDIA GPUs, the ones the device plugin advertises as `nvidia.com/gpu`
 * (g4ad's AMD GPUs and the Inferentia/Trainium families are advertised otherwise).
 */
export const NVIDIA_INSTANCE_FAMILIES: ReadonlySet<string> = new Set([
  "p2",
  "p3",
  "p3dn",
  "p4d",
  "p4de",
  "p5",
  "p5e",
  "p5en",
  "p6-b200",
  "p6-b300",
  "p6e-gb200",
  "g3",
  "g3s",
  "g4dn",
  "g5",
  "g5g",
  "g6",
  "g6e",
  "g6f",
  "gr6",
  "gr6f",
]);

const GPU_TAINT_KEY = "nvidia.com/gpu";
/** Effects that keep pods without the toleration off the node (PREFER_NO_SCHEDULE does not). */
const KEEPING_EFFECTS = new Set(["NOSCHEDULE", "NOEXECUTE"]);

export const awsEksGpuNodeTaint = resourceRule({
  name: "aws-eks-gpu-node-taint",
  description:
    "A node group with NVIDIA GPUs (a GPU AMI type or a GPU instance family) carries the nvidia.com/gpu taint with effect NO_SCHEDULE (or NO_EXECUTE), so only pods that ask for GPUs land on the scarce, expensive nodes.",
  remediation:
    'Add taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }] to the node group.',
  benchmarks: ["hybrid-ai-infra:gpu-isolation"],
  // Taints steer the scheduler; any pod may tolerate them, so they are no security boundary.
  enforcementLevel: "advisory",
  types: [NODE_GROUP],
  check: ({ props }, report) => {
    const amiType = typeof props.amiType === "string" ? props.amiType : undefined;
    const gpuTypes = strings(props.instanceTypes).filter((t) =>
      NVIDIA_INSTANCE_FAMILIES.has(t.split(".")[0]?.toLowerCase() ?? ""),
    );
    const gpuAmi = amiType !== undefined && NVIDIA_AMI_TYPES.has(amiType.toUpperCase());
    if (!gpuAmi && gpuTypes.length === 0) return;
    const tainted = list(props.taints).some(
      (t) =>
        get(t, "key") === GPU_TAINT_KEY &&
        KEEPING_EFFECTS.has(
          String(get(t, "effect") ?? "")
            .toUpperCase()
            .replace(/_/g, ""),
        ),
    );
    if (!tainted)
      report(
        `taints has no nvidia.com/gpu taint with effect NO_SCHEDULE although the group has GPUs (${gpuAmi ? `amiType ${amiType}` : `instanceTypes ${gpuTypes.join(", ")}`}), so any pod can be scheduled there; add { key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }`,
      );
  },
});

export const awsEksNodeGroupNoOpenSsh = resourceRule({
  name: "aws-eks-node-group-no-open-ssh",
  description:
    "A node group's remoteAccess names the security groups allowed in (sourceSecurityGroupIds): without them EKS opens port 22 (3389 on Windows) on every node to 0.0.0.0/0.",
  remediation:
    "Drop remoteAccess and reach nodes with SSM Session Manager, or set remoteAccess.sourceSecurityGroupIds to the bastion's security group.",
  benchmarks: ["checkov:CKV_AWS_100"],
  enforcementLevel: "mandatory",
  types: [NODE_GROUP],
  check: ({ props }, report) => {
    const remote = props.remoteAccess;
    if (remote === undefined || remote === null) return;
    if (strings(get(remote, "sourceSecurityGroupIds")).length === 0)
      report(
        `remoteAccess is set (ec2SshKey ${show(get(remote, "ec2SshKey"))}) without sourceSecurityGroupIds, so EKS opens port 22 on every node to 0.0.0.0/0; list the security groups allowed to connect, or drop remoteAccess`,
      );
  },
});

// ---------------------------------------------------------------------------------------------
// S3
// ---------------------------------------------------------------------------------------------

const SSE_TYPES = [
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];

/** Default encryption algorithms that use KMS keys. */
const KMS_ALGORITHMS = new Set(["aws:kms", "aws:kms:dsse"]);

export const awsS3SseKms = resourceRule({
  name: "aws-s3-sse-kms",
  description:
    'A bucket\'s default encryption uses KMS (sseAlgorithm "aws:kms" or "aws:kms:dsse"), so reading an object also takes kms:Decrypt on the key and every use lands in CloudTrail; S3\'s own AES256 keys leave the bucket policy as the only gate.',
  remediation:
    'Set every rules[].applyServerSideEncryptionByDefault to { sseAlgorithm: "aws:kms", kmsMasterKeyId: <a customer managed key> }.',
  benchmarks: ["checkov:CKV_AWS_145"],
  enforcementLevel: "mandatory",
  types: SSE_TYPES,
  check: ({ props }, report) => {
    const rules = list(props.rules);
    if (rules.length === 0) {
      report(
        'rules is empty, so the bucket falls back to SSE-S3 (AES256); add a rule with sseAlgorithm "aws:kms"',
      );
      return;
    }
    rules.forEach((rule, i) => {
      const algorithm = get(rule, "applyServerSideEncryptionByDefault.sseAlgorithm");
      if (!KMS_ALGORITHMS.has(String(algorithm)))
        report(
          `rules[${i}].applyServerSideEncryptionByDefault.sseAlgorithm is ${show(algorithm)}; use "aws:kms" (or "aws:kms:dsse")`,
        );
    });
  },
});

export const awsS3BucketKey = resourceRule({
  name: "aws-s3-bucket-key",
  description:
    "SSE-KMS buckets use S3 Bucket Keys (rules[].bucketKeyEnabled true): S3 then calls KMS once per bucket key instead of once per object, cutting KMS cost and throttling on dataset-sized buckets. DSSE-KMS does not support them and is exempt.",
  remediation: "Set bucketKeyEnabled: true on each aws:kms rule.",
  benchmarks: ["hybrid-ai-infra:s3-bucket-keys"],
  enforcementLevel: "advisory",
  types: SSE_TYPES,
  check: ({ props }, report) => {
    list(props.rules).forEach((rule, i) => {
      if (get(rule, "applyServerSideEncryptionByDefault.sseAlgorithm") !== "aws:kms") return;
      const enabled = get(rule, "bucketKeyEnabled");
      if (!isTrue(enabled))
        report(`rules[${i}].bucketKeyEnabled is ${show(enabled)} on an aws:kms rule; set it to true`);
    });
  },
});

export const awsS3Versioning = resourceRule({
  name: "aws-s3-versioning",
  description:
    "Bucket versioning is Enabled, so an overwritten or deleted object (a dataset, a checkpoint) can be restored; Suspended or Disabled keeps only the latest copy.",
  remediation:
    'Set versioningConfiguration.status to "Enabled" (with a lifecycle rule expiring old versions).',
  benchmarks: ["checkov:CKV_AWS_21"],
  enforcementLevel: "mandatory",
  types: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
  check: ({ props }, report) => {
    const status = get(props, "versioningConfiguration.status");
    if (status !== "Enabled")
      report(`versioningConfiguration.status is ${show(status)}; set it to "Enabled"`);
  },
});

/** The four settings of a public access block; the provider defaults each to false. */
const PUBLIC_ACCESS_SETTINGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
] as const;

export const awsS3PublicAccessBlock = resourceRule({
  name: "aws-s3-public-access-block",
  description:
    "A bucket's public access block turns on all four settings (blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets); each left out defaults to false.",
  remediation: "Set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.",
  benchmarks: [
    "checkov:CKV_AWS_53",
    "checkov:CKV_AWS_54",
    "checkov:CKV_AWS_55",
    "checkov:CKV_AWS_56",
    "aws-fsbp:S3.8",
  ],
  enforcementLevel: "mandatory",
  types: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
  check: ({ props }, report) => {
    for (const setting of PUBLIC_ACCESS_SETTINGS)
      if (!isTrue(props[setting])) report(`${setting} is ${show(props[setting])}; set it to true`);
  },
});

/**
 * Condition keys that pin a statement to known callers, as S3's own "is this policy public"
 * evaluation counts them: with one of these fixed, a `*` principal is no longer the world.
 */
const NARROWING_KEYS: ReadonlySet<string> = new Set(
  [
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:userid",
    "aws:username",
  ].map((k) => k.toLowerCase()),
);

/** Whether a principal block means everyone: `*`, or `*` under any principal type. */
function everyone(principal: unknown): boolean {
  if (principal === "*") return true;
  if (principal === null || typeof principal !== "object") return false;
  return Object.values(principal as Props).some((v) => strings(v).includes("*"));
}

export const awsS3BucketPolicyNotPublic = resourceRule({
  name: "aws-s3-bucket-policy-not-public",
  description:
    'No bucket policy statement allows everyone: Effect Allow with Principal "*" (or { AWS: "*" }) or with NotPrincipal, unless a condition pins the callers (aws:PrincipalOrgID, aws:SourceVpce, aws:SourceIp, aws:PrincipalAccount and the like).',
  remediation:
    'Name the principals (account or role ARNs) in each Allow statement, or add a condition on aws:PrincipalOrgID / aws:SourceVpce; Deny statements may keep Principal "*".',
  benchmarks: ["checkov:CKV_AWS_70", "aws-fsbp:S3.2", "aws-fsbp:S3.3"],
  enforcementLevel: "mandatory",
  types: ["aws:s3/bucketPolicy:BucketPolicy"],
  check: ({ props }, report) => {
    const all = statements(props.policy);
    if (!all) return;
    all.forEach((s, i) => {
      if (!isAllow(s)) return;
      const open = everyone(s.Principal) || s.NotPrincipal !== undefined;
      if (!open || conditions(s).some((c) => narrows(c, NARROWING_KEYS))) return;
      const who = s.NotPrincipal !== undefined ? "NotPrincipal" : `Principal ${JSON.stringify(s.Principal)}`;
      report(
        `policy Statement[${i}]${s.Sid ? ` (${String(s.Sid)})` : ""} allows ${JSON.stringify(s.Action ?? s.NotAction)} to ${who} with no condition pinning the callers; name the principals or add an aws:PrincipalOrgID / aws:SourceVpce condition`,
      );
    });
  },
});

/** Canned ACLs that grant to AllUsers or AuthenticatedUsers (any AWS account in the world). */
const PUBLIC_CANNED_ACLS = new Set(["public-read", "public-read-write", "authenticated-read"]);
/** Grantee groups that mean the public. */
const PUBLIC_GRANTEES = new Set([
  "http://acs.amazonaws.com/groups/global/AllUsers",
  "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
]);

export const awsS3AclNotPublic = resourceRule({
  name: "aws-s3-acl-not-public",
  description:
    "No bucket ACL is public: no canned acl public-read, public-read-write or authenticated-read (on the bucket or an ACL resource), and no grant to the AllUsers or AuthenticatedUsers groups.",
  remediation:
    'Drop the ACL (or use "private") and set the bucket\'s ownership controls to BucketOwnerEnforced; share objects through a bucket policy naming principals.',
  benchmarks: ["checkov:CKV_AWS_20", "checkov:CKV_AWS_57", "aws-fsbp:S3.2", "aws-fsbp:S3.3"],
  enforcementLevel: "mandatory",
  types: [
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:s3/bucketAcl:BucketAcl",
    "aws:s3/bucketAclV2:BucketAclV2",
  ],
  check: ({ props }, report) => {
    const acl = props.acl;
    if (typeof acl === "string" && PUBLIC_CANNED_ACLS.has(acl))
      report(
        `acl is "${acl}", which grants the bucket to ${acl === "authenticated-read" ? "every AWS account" : "everyone"}; use "private" or no ACL`,
      );
    list(get(props, "accessControlPolicy.grants")).forEach((grant, i) => {
      const uri = get(grant, "grantee.uri");
      if (typeof uri === "string" && PUBLIC_GRANTEES.has(uri))
        report(
          `accessControlPolicy.grants[${i}] gives ${show(get(grant, "permission"))} to ${uri}; grant to canonical user IDs only`,
        );
    });
  },
});

// ---------------------------------------------------------------------------------------------
// IAM and KMS
// ---------------------------------------------------------------------------------------------

/** Service principals that act for S3 (replication, inventory) and so can be a confused deputy. */
const S3_SERVICE_PRINCIPALS = new Set(["s3.amazonaws.com"]);
const SOURCE_ACCOUNT: ReadonlySet<string> = new Set(["aws:sourceaccount"]);

export const awsIamS3TrustSourceAccount = resourceRule({
  name: "aws-iam-s3-trust-source-account",
  description:
    "A role S3 may assume (replication) pins the calling account with an aws:SourceAccount condition in its trust policy; without it, S3 acting for any other account's bucket could be steered into the role (confused deputy).",
  remediation:
    'Add Condition: { StringEquals: { "aws:SourceAccount": "<this account id>" } } (and ArnLike aws:SourceArn for the source bucket) to the statement trusting s3.amazonaws.com.',
  benchmarks: ["hybrid-ai-infra:confused-deputy"],
  enforcementLevel: "mandatory",
  types: ["aws:iam/role:Role"],
  check: ({ props }, report) => {
    const all = statements(props.assumeRolePolicy);
    if (!all) return;
    all.forEach((s, i) => {
      if (!isAllow(s)) return;
      const services = strings(get(s, "Principal.Service"));
      if (!services.some((p) => S3_SERVICE_PRINCIPALS.has(p))) return;
      if (!conditions(s).some((c) => narrows(c, SOURCE_ACCOUNT)))
        report(
          `assumeRolePolicy Statement[${i}] trusts s3.amazonaws.com without an aws:SourceAccount condition; add StringEquals aws:SourceAccount with this account's id`,
        );
    });
  },
});

export const awsKmsKeyRotation = resourceRule({
  name: "aws-kms-key-rotation",
  description:
    "Symmetric KMS keys (customerMasterKeySpec SYMMETRIC_DEFAULT, the default) rotate their key material automatically (enableKeyRotation true; the provider defaults it to false). Asymmetric, HMAC and custom key store keys cannot and are exempt.",
  remediation: "Set enableKeyRotation: true (rotationPeriodInDays 365 or less).",
  benchmarks: ["checkov:CKV_AWS_7"],
  enforcementLevel: "mandatory",
  types: ["aws:kms/key:Key"],
  check: ({ props }, report) => {
    const spec = props.customerMasterKeySpec ?? props.keySpec ?? "SYMMETRIC_DEFAULT";
    if (spec !== "SYMMETRIC_DEFAULT") return;
    // KMS refuses automatic rotation for keys whose material lives in a custom key store.
    if (
      props.customKeyStoreId !== undefined &&
      props.customKeyStoreId !== null &&
      props.customKeyStoreId !== ""
    )
      return;
    if (!isTrue(props.enableKeyRotation))
      report(`enableKeyRotation is ${show(props.enableKeyRotation)} on a symmetric key; set it to true`);
  },
});

export const AWS_RULES = [
  awsEksEndpointAccess,
  awsEksSecretsEncryption,
  awsEksControlPlaneLogging,
  awsEksAccessEntries,
  awsEksApiOnlyAuthentication,
  awsLaunchTemplateImdsv2,
  awsLaunchTemplateImdsHopLimit,
  awsLaunchTemplateEncryptedVolumes,
  awsEksGpuNodeTaint,
  awsEksNodeGroupNoOpenSsh,
  awsS3SseKms,
  awsS3BucketKey,
  awsS3Versioning,
  awsS3PublicAccessBlock,
  awsS3BucketPolicyNotPublic,
  awsS3AclNotPublic,
  awsIamS3TrustSourceAccount,
  awsKmsKeyRotation,
];
