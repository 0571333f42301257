// EKS nodes: launch templates that require IMDSv2 with a hop limit pods cannot cross, encrypt
// every volume, give no public IPs and carry no credentials in user data; node groups that taint
// their GPUs and open SSH to no one.
import {
  family,
  get,
  isAbsent,
  isTrue,
  list,
  numberOf,
  oneOf,
  type Props,
  resourceRule,
  show,
  strings,
  token,
} from "../kit";

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const NATIVE_LAUNCH_TEMPLATE = "aws-native:ec2:LaunchTemplate";
const INSTANCE = "aws:ec2/instance:Instance";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
/** Where instances get their metadata options: templates (either provider's) and instances alike. */
const METADATA_TYPES = [LAUNCH_TEMPLATE, NATIVE_LAUNCH_TEMPLATE, INSTANCE];

/** The inputs that carry metadataOptions: aws-native's template keeps them under launchTemplateData. */
const instanceSettings = (type: string, props: Props): Props => {
  if (type !== NATIVE_LAUNCH_TEMPLATE) return props;
  const data = get(props, "launchTemplateData");
  return (data !== null && typeof data === "object" ? data : {}) as Props;
};

/** A template that turns the metadata service off has nothing to protect. */
const imdsOff = (props: Props) => oneOf(get(props, "metadataOptions.httpEndpoint"), "disabled");

export const awsLaunchTemplateImdsv2 = resourceRule({
  name: "aws-launch-template-imdsv2",
  description:
    "Instances require IMDSv2 session tokens (metadataOptions.httpTokens required), whether launched from a template (aws or aws-native, whose launchTemplateData holds the options) or declared as an Instance: IMDSv1 hands the node role's credentials to any SSRF.",
  remediation: 'Set metadataOptions.httpTokens to "required" (or httpEndpoint to "disabled").',
  benchmarks: ["checkov:CKV_AWS_79", "aws-fsbp:EC2.170", "aws-fsbp:EC2.8"],
  enforcementLevel: "mandatory",
  types: METADATA_TYPES,
  check: (ctx) => {
    const props = instanceSettings(ctx.type, ctx.props);
    const options = get(props, "metadataOptions");
    if (!ctx.known(get(options, "httpEndpoint"), "metadataOptions.httpEndpoint") || imdsOff(props)) return;
    const tokens = get(options, "httpTokens");
    if (!ctx.known(tokens, "metadataOptions.httpTokens")) return;
    if (!oneOf(tokens, "required"))
      ctx.report(
        `metadataOptions.httpTokens is ${show(tokens, "the AMI decides, usually optional")}, so IMDSv1 stays open; set it to "required"`,
      );
  },
});

/** The hop limit an instance gets when the template says nothing: AL2023 and the EKS AMIs set 2. */
const AMI_DEFAULT_HOP_LIMIT = 2;

export const awsLaunchTemplateImdsHopLimit = resourceRule({
  name: "aws-launch-template-imds-hop-limit",
  description:
    "The metadata response hop limit is at most maxHopLimit (default 1). At 1 the token PUT cannot leave the node's own network namespace, so pods cannot take the node role's credentials and use Pod Identity or IRSA instead; raise the knob to 2 only for clusters whose add-ons still read IMDS from pods.",
  remediation:
    "Set metadataOptions.httpPutResponseHopLimit to 1 and give pods their AWS access with EKS Pod Identity.",
  benchmarks: ["checkov:CKV_AWS_341", "cis-eks:5.2.1"],
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
  types: METADATA_TYPES,
  check: (ctx) => {
    const props = instanceSettings(ctx.type, ctx.props);
    if (!ctx.known(get(props, "metadataOptions.httpEndpoint"), "metadataOptions.httpEndpoint")) return;
    if (imdsOff(props)) return;
    const max = numberOf(ctx.config.maxHopLimit) ?? 1;
    const limit = get(props, "metadataOptions.httpPutResponseHopLimit");
    if (!ctx.known(limit, "metadataOptions.httpPutResponseHopLimit")) return;
    const effective = isAbsent(limit) ? AMI_DEFAULT_HOP_LIMIT : (numberOf(limit) ?? Number.POSITIVE_INFINITY);
    if (effective > max)
      ctx.report(
        `metadataOptions.httpPutResponseHopLimit is ${isAbsent(limit) ? `unset (the AMI's default, ${AMI_DEFAULT_HOP_LIMIT} on AL2023 and EKS AMIs)` : show(limit)}, so pods can reach the node's credentials; set it to ${max === 1 ? "1" : `at most ${max}`}`,
      );
  },
});

export const awsLaunchTemplateEncryptedVolumes = resourceRule({
  name: "aws-launch-template-encrypted-volumes",
  description:
    "Every EBS volume the launch template maps is encrypted (blockDeviceMappings[].ebs.encrypted true); a template that maps none leaves the root volume to the AMI snapshot and the account default, which is unencrypted unless turned on.",
  remediation:
    'Map each volume, the root device included, with ebs: { encrypted: "true" } (and kmsKeyId for a customer managed key).',
  benchmarks: ["aws-fsbp:EC2.181", "aws-fsbp:EC2.3"],
  enforcementLevel: "mandatory",
  types: [LAUNCH_TEMPLATE],
  check: (ctx) => {
    const raw = ctx.props.blockDeviceMappings;
    if (!ctx.known(raw, "blockDeviceMappings")) return;
    const ebs = list(raw).filter((m) => !isAbsent(get(m, "ebs")));
    if (ebs.length === 0) {
      if (ctx.judgesAbsent)
        ctx.report(
          'blockDeviceMappings maps no EBS volume, so the root volume\'s encryption is left to the AMI and the account default; map the root device with ebs.encrypted "true"',
        );
      return;
    }
    for (const m of ebs) {
      const encrypted = get(m, "ebs.encrypted");
      if (!isTrue(encrypted))
        ctx.report(
          `blockDeviceMappings ${JSON.stringify(get(m, "deviceName") ?? "?")} has ebs.encrypted ${show(encrypted)}; set it to "true"`,
        );
    }
  },
});

export const awsLaunchTemplateNoPublicIp = resourceRule({
  name: "aws-launch-template-no-public-ip",
  description:
    "Instances from the launch template get no public IPv4 address (networkInterfaces[].associatePublicIpAddress not true): cluster nodes are reached through the VPC and leave through NAT or endpoints.",
  remediation: 'Set associatePublicIpAddress "false" (or leave it unset) on every network interface.',
  benchmarks: ["checkov:CKV_AWS_88", "aws-fsbp:EC2.25", "aws-fsbp:EC2.9", "cis-eks:5.4.3"],
  enforcementLevel: "mandatory",
  types: [LAUNCH_TEMPLATE],
  check: (ctx) => {
    list(ctx.props.networkInterfaces).forEach((ni, i) => {
      const value = get(ni, "associatePublicIpAddress");
      if (ctx.known(value, `networkInterfaces[${i}].associatePublicIpAddress`) && isTrue(value))
        ctx.report(
          `networkInterfaces[${i}].associatePublicIpAddress is ${show(value)}, so every node gets a public IPv4 address; set it to "false"`,
        );
    });
  },
});

/** Credentials in user data: AWS key ids and secrets, and private keys. */
const CREDENTIALS: readonly [RegExp, string][] = [
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/aws_secret_access_key\s*[=:]\s*\S{20,}/i, "an AWS secret access key"],
  [/-----BEGIN (RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----/, "a private key"],
];

/** User data as text: launch templates take it base64-encoded. */
function decodeUserData(value: string): string {
  const compact = value.replace(/\s/g, "");
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length % 4 === 0) {
    const decoded = Buffer.from(compact, "base64").toString("utf8");
    // Binary (gzip, MIME multipart with a binary part) stays as given.
    if (![...decoded].some((ch) => ch.charCodeAt(0) < 9 || (ch.charCodeAt(0) > 13 && ch.charCodeAt(0) < 32)))
      return decoded;
  }
  return value;
}

export const awsLaunchTemplateNoSecretsInUserData = resourceRule({
  name: "aws-launch-template-no-secrets-in-user-data",
  description:
    "Launch template user data carries no credentials (AWS access keys, secret keys, private keys): anyone who can describe the template, or read IMDS on the node, reads them.",
  remediation:
    "Remove the credentials; give the node an instance role and pods EKS Pod Identity, and read other secrets from Secrets Manager at boot.",
  benchmarks: ["checkov:CKV_AWS_46", "kics:d7b9d850-3e06-4a75-852f-c46c2e92240b"],
  enforcementLevel: "mandatory",
  types: [LAUNCH_TEMPLATE],
  check: (ctx) => {
    const userData = ctx.props.userData;
    if (!ctx.known(userData, "userData") || typeof userData !== "string") return;
    const text = decodeUserData(userData);
    for (const [pattern, what] of CREDENTIALS)
      if (pattern.test(text))
        ctx.report(`userData contains ${what}; remove it and use roles or Secrets Manager`);
  },
});

/** EKS AMI types that ship NVIDIA drivers (compared by token: the API writes x86_64). */
const NVIDIA_AMI_TYPES = [
  "AL2_X86_64_GPU",
  "AL2023_X86_64_NVIDIA",
  "AL2023_ARM_64_NVIDIA",
  "BOTTLEROCKET_X86_64_NVIDIA",
  "BOTTLEROCKET_ARM_64_NVIDIA",
  "BOTTLEROCKET_X86_64_NVIDIA_FIPS",
  "BOTTLEROCKET_ARM_64_NVIDIA_FIPS",
];

/**
 * EC2 families with NVIDIA GPUs, the ones the device plugin advertises as `nvidia.com/gpu`
 * (g4ad's AMD GPUs and the Inferentia/Trainium families are advertised otherwise). A superset of
 * the families the library places (a test checks), since any program's node group is judged.
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

/** An instance type's family (`g5` of `g5.xlarge`). */
export const awsFamily = (type: string) => type.split(".")[0]?.toLowerCase() ?? "";

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
  check: (ctx) => {
    const { amiType, instanceTypes, taints } = ctx.props;
    if (!ctx.known([amiType, instanceTypes], "amiType, instanceTypes")) return;
    const gpuTypes = strings(instanceTypes).filter((t) => NVIDIA_INSTANCE_FAMILIES.has(awsFamily(t)));
    const gpuAmi = oneOf(amiType, ...NVIDIA_AMI_TYPES);
    if (!gpuAmi && gpuTypes.length === 0) return;
    if (!ctx.known(taints, "taints") || (isAbsent(taints) && !ctx.judgesAbsent)) return;
    const tainted = list(taints).some(
      (t) => get(t, "key") === "nvidia.com/gpu" && oneOf(get(t, "effect"), "NO_SCHEDULE", "NO_EXECUTE"),
    );
    if (!tainted)
      ctx.report(
        `taints has no nvidia.com/gpu taint with effect NO_SCHEDULE although the group has GPUs (${gpuAmi ? `amiType ${String(amiType)}` : `instanceTypes ${gpuTypes.join(", ")}`}), so any pod can be scheduled there; add { key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }`,
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
  check: (ctx) => {
    const remote = ctx.props.remoteAccess;
    if (!ctx.known(remote, "remoteAccess") || isAbsent(remote)) return;
    if (strings(get(remote, "sourceSecurityGroupIds")).length === 0)
      ctx.report(
        `remoteAccess is set (ec2SshKey ${show(get(remote, "ec2SshKey"))}) without sourceSecurityGroupIds, so EKS opens port 22 on every node to 0.0.0.0/0; list the security groups allowed to connect, or drop remoteAccess`,
      );
  },
});

/** Whether a template token is one of the GPU AMI types (for tests reading the table). */
export const isNvidiaAmiType = (value: unknown) => NVIDIA_AMI_TYPES.some((t) => token(t) === token(value));

export const FAMILY = family("aws-compute", "EKS nodes and launch templates", [
  awsLaunchTemplateImdsv2,
  awsLaunchTemplateImdsHopLimit,
  awsLaunchTemplateEncryptedVolumes,
  awsLaunchTemplateNoPublicIp,
  awsLaunchTemplateNoSecretsInUserData,
  awsEksGpuNodeTaint,
  awsEksNodeGroupNoOpenSsh,
]);
