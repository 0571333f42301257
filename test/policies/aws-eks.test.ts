// EKS control planes and nodes: each rule on the library's own inputs (from the prod plan) and on
// every spelling of each mistake.
import { describe, expect, it } from "vitest";
import { AWS_GPU_FAMILIES } from "../../components/facts";
import {
  awsEksGpuNodeTaint,
  awsEksNodeGroupNoOpenSsh,
  awsLaunchTemplateEncryptedVolumes,
  awsLaunchTemplateImdsHopLimit,
  awsLaunchTemplateImdsv2,
  awsLaunchTemplateNoPublicIp,
  awsLaunchTemplateNoSecretsInUserData,
  NVIDIA_INSTANCE_FAMILIES,
} from "../../policies/rules/aws-compute";
import {
  awsEksAccessEntries,
  awsEksApiOnlyAuthentication,
  awsEksControlPlaneLogging,
  awsEksEndpointAccess,
  awsEksNetworkPolicy,
  awsEksSecretsEncryption,
  awsEksVersionSupported,
} from "../../policies/rules/aws-eks";
import { ruleCases } from "./cases";
import { judgeStack, resource, stackViolations } from "./evaluate";

const CLUSTER = "aws:eks/cluster:Cluster";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const NG = "aws:eks/nodeGroup:NodeGroup";
const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/6186c59f-022a-fbf4-ba93-01d3b2747fd5";

/** The prod plan's cluster inputs, trimmed to what the rules read. */
const cluster = {
  accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
  bootstrapSelfManagedAddons: false,
  enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
  encryptionConfig: { provider: { keyArn: KEY_ARN }, resources: ["secrets"] },
  version: "1.34",
  vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false, subnetIds: ["subnet-1"] },
};
const publicCluster = (publicAccessCidrs?: string[]) => ({
  ...cluster,
  vpcConfig: {
    endpointPrivateAccess: true,
    endpointPublicAccess: true,
    ...(publicAccessCidrs ? { publicAccessCidrs } : {}),
  },
});
const wide = { allowedPublicCidrs: ["0.0.0.0/0", "::/0"] };

ruleCases(awsEksEndpointAccess, [
  {
    name: "aws-native's cluster, private only",
    type: "aws-native:eks:Cluster",
    props: {
      roleArn: "r",
      resourcesVpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false, subnetIds: ["a"] },
    },
  },
  {
    name: "aws-native's cluster with EKS's defaults",
    type: "aws-native:eks:Cluster",
    props: { roleArn: "r", resourcesVpcConfig: { subnetIds: ["a"] } },
    fails: [
      "resourcesVpcConfig.endpointPrivateAccess is unset (EKS default false)",
      "resourcesVpcConfig.endpointPublicAccess is unset (EKS default true)",
      "resourcesVpcConfig.publicAccessCidrs is unset",
    ],
  },
  {
    name: "aws-native's cluster public to the internet in halves",
    type: "aws-native:eks:Cluster",
    props: {
      roleArn: "r",
      resourcesVpcConfig: {
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"],
      },
    },
    config: wide,
    fails: ["broader than /8", "broader than /8", "cover every IPv4 address"],
  },
  { name: "a private-only endpoint", type: CLUSTER, props: cluster },
  {
    name: "a public endpoint inside allowedPublicCidrs",
    type: CLUSTER,
    props: publicCluster(["203.0.113.5/32", "203.0.113.64/26"]),
    config: { allowedPublicCidrs: ["203.0.113.0/24"] },
  },
  {
    name: "EKS's defaults (public to 0.0.0.0/0, no private access)",
    type: CLUSTER,
    props: { vpcConfig: { subnetIds: ["subnet-1"] } },
    fails: ["endpointPrivateAccess is unset", "allowedPublicCidrs is empty", "publicAccessCidrs is unset"],
  },
  {
    name: 'endpointPublicAccess as the string "true"',
    type: CLUSTER,
    props: {
      ...cluster,
      vpcConfig: {
        endpointPrivateAccess: "true",
        endpointPublicAccess: "true",
        publicAccessCidrs: ["203.0.113.0/24"],
      },
    },
    fails: ["allowedPublicCidrs is empty"],
  },
  {
    name: "a CIDR outside allowedPublicCidrs",
    type: CLUSTER,
    props: publicCluster(["198.51.100.0/24"]),
    config: { allowedPublicCidrs: ["203.0.113.0/24"] },
    fails: ["outside this rule's allowedPublicCidrs"],
  },
  {
    name: "0.0.0.0/0 even when allowed",
    type: CLUSTER,
    props: publicCluster(["0.0.0.0/0"]),
    config: wide,
    fails: ["broader than /8", "every IPv4 address"],
  },
  {
    name: "a /0 with host bits (1.2.3.4/0)",
    type: CLUSTER,
    props: publicCluster(["1.2.3.4/0"]),
    config: wide,
    fails: ["broader than /8", "every IPv4 address"],
  },
  {
    name: "the 0.0.0.0/1 + 128.0.0.0/1 split",
    type: CLUSTER,
    props: publicCluster(["0.0.0.0/1", "128.0.0.0/1"]),
    config: wide,
    fails: ["0.0.0.0/1, broader", "128.0.0.0/1, broader", "every IPv4 address"],
  },
  {
    name: "::/0",
    type: CLUSTER,
    props: publicCluster(["::/0"]),
    config: wide,
    fails: ["broader than /32", "every IPv6 address"],
  },
  {
    name: "every IPv4 address written IPv4-mapped (::ffff:0:0/96)",
    type: CLUSTER,
    props: publicCluster(["::ffff:0:0/96"]),
    config: wide,
    fails: ["broader than /8", "every IPv4 address"],
  },
  {
    name: "many /8s adding up to more than one",
    type: CLUSTER,
    props: publicCluster(["11.0.0.0/8", "12.0.0.0/8"]),
    config: wide,
    fails: ["more addresses than one /8"],
  },
  {
    name: "an entry that is no CIDR",
    type: CLUSTER,
    props: publicCluster(["everyone"]),
    config: wide,
    fails: ["not a CIDR block"],
  },
]);

ruleCases(awsEksSecretsEncryption, [
  {
    name: "aws-native's cluster with secrets under a key",
    type: "aws-native:eks:Cluster",
    props: { encryptionConfig: [{ provider: { keyArn: KEY_ARN }, resources: ["secrets"] }] },
  },
  {
    name: "aws-native's cluster without encryptionConfig",
    type: "aws-native:eks:Cluster",
    props: {},
    fails: ["stored without KMS envelope encryption"],
  },
  { name: "secrets under a KMS key", type: CLUSTER, props: cluster },
  {
    name: "the one-element list older programs pass",
    type: CLUSTER,
    props: { encryptionConfig: [{ provider: { keyArn: KEY_ARN }, resources: ["secrets"] }] },
  },
  {
    name: "no encryptionConfig",
    type: CLUSTER,
    props: {},
    fails: ["stored without KMS envelope encryption"],
  },
  {
    name: "no key ARN",
    type: CLUSTER,
    props: { encryptionConfig: { provider: {}, resources: ["secrets"] } },
    fails: ["provider.keyArn is unset"],
  },
]);

ruleCases(awsEksControlPlaneLogging, [
  {
    name: "aws-native's cluster logging all five",
    type: "aws-native:eks:Cluster",
    props: {
      logging: {
        clusterLogging: {
          enabledTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"].map((type) => ({
            type,
          })),
        },
      },
    },
  },
  {
    name: "aws-native's cluster logging api only",
    type: "aws-native:eks:Cluster",
    props: { logging: { clusterLogging: { enabledTypes: [{ type: "api" }] } } },
    fails: ["logging.clusterLogging.enabledTypes is"],
  },
  {
    name: "aws-native's cluster logging nothing",
    type: "aws-native:eks:Cluster",
    props: {},
    fails: ["logging.clusterLogging.enabledTypes is unset"],
  },
  { name: "all five log types", type: CLUSTER, props: cluster },
  {
    name: "all five in other casing",
    type: CLUSTER,
    props: { enabledClusterLogTypes: ["API", "Audit", "authenticator", "CONTROLLERMANAGER", "scheduler"] },
  },
  {
    name: "only the audit log",
    type: CLUSTER,
    props: { enabledClusterLogTypes: ["audit"] },
    fails: ["missing api, authenticator, controllerManager, scheduler"],
  },
]);

ruleCases(awsEksAccessEntries, [
  { name: "API", type: CLUSTER, props: cluster },
  { name: "api (lower case)", type: CLUSTER, props: { accessConfig: { authenticationMode: "api" } } },
  { name: "unset (CONFIG_MAP)", type: CLUSTER, props: {}, fails: ["EKS default CONFIG_MAP"] },
  {
    name: "CONFIG_MAP",
    type: CLUSTER,
    props: { accessConfig: { authenticationMode: "CONFIG_MAP" } },
    fails: ["only the aws-auth ConfigMap"],
  },
]);

ruleCases(awsEksApiOnlyAuthentication, [
  { name: "API", type: CLUSTER, props: cluster },
  {
    name: "API_AND_CONFIG_MAP",
    type: CLUSTER,
    props: { accessConfig: { authenticationMode: "api_and_config_map" } },
    fails: ["still grants access"],
  },
]);

ruleCases(awsEksVersionSupported, [
  { name: "the library's 1.34", type: CLUSTER, props: cluster },
  { name: "unset (EKS's default)", type: CLUSTER, props: {} },
  { name: "a patch version of a supported minor", type: CLUSTER, props: { version: "1.34.2" } },
  {
    name: "a newer minor listed in allowedVersions",
    type: CLUSTER,
    props: { version: "1.40" },
    config: { allowedVersions: ["1.40"] },
  },
  { name: "an old minor", type: CLUSTER, props: { version: "1.27" }, fails: ["out of support"] },
  {
    name: "a version written as a number (1.30 reads 1.3)",
    type: CLUSTER,
    props: { version: 1.3 },
    fails: ["write the version as a string"],
  },
]);

describe("aws-eks-network-policy", () => {
  const eks = resource(CLUSTER, "eks", { name: "eks-prod", bootstrapSelfManagedAddons: false });
  const addon = (values?: string) =>
    resource("aws:eks/addon:Addon", "vpc-cni", {
      addonName: "vpc-cni",
      clusterName: "eks-prod",
      ...(values ? { configurationValues: values } : {}),
    });
  it("passes the vpc-cni add-on with enableNetworkPolicy, and a cluster without self-managed add-ons", async () => {
    expect(
      await stackViolations(awsEksNetworkPolicy, [eks, addon('{"enableNetworkPolicy":"true"}')]),
    ).toEqual([]);
    expect(await stackViolations(awsEksNetworkPolicy, [eks])).toEqual([]);
  });
  it("fails the add-on without it, and EKS's default aws-node", async () => {
    expect((await stackViolations(awsEksNetworkPolicy, [eks, addon()])).map((v) => v.message)).toEqual([
      'vpc-cni add-on vpc-cni of cluster eks has configurationValues unset without "enableNetworkPolicy": "true", so NetworkPolicies are not enforced',
    ]);
    const defaults = resource(CLUSTER, "eks", { name: "eks-prod" });
    expect((await stackViolations(awsEksNetworkPolicy, [defaults]))[0]?.message).toContain(
      "self-managed aws-node",
    );
  });
  it("matches the add-on to its cluster by what its clusterName was computed from", async () => {
    // a runs EKS's default aws-node; b's add-on (its cluster name unknown in a preview) turns policies on.
    const a = resource(CLUSTER, "a", {});
    const b = resource(CLUSTER, "b", {});
    const forB = resource(
      "aws:eks/addon:Addon",
      "b-cni",
      {
        addonName: "vpc-cni",
        clusterName: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        configurationValues: '{"enableNetworkPolicy":"true"}',
      },
      { dependencies: [b] },
    );
    expect((await stackViolations(awsEksNetworkPolicy, [a, b, forB])).map((v) => v.urn)).toEqual([a.urn]);
  });
  it("leaves a cluster to the update while an add-on whose cluster is not known may be its vpc-cni", async () => {
    const a = resource(CLUSTER, "a", {});
    const floating = resource("aws:eks/addon:Addon", "cni", {
      addonName: "vpc-cni",
      clusterName: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      configurationValues: '{"enableNetworkPolicy":"true"}',
    });
    expect(await judgeStack(awsEksNetworkPolicy, [a, floating])).toEqual({
      violations: [],
      undecided: expect.stringContaining("a vpc-cni add-on"),
    });
  });
});

const template = {
  blockDeviceMappings: [
    { deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 100, volumeType: "gp3" } },
  ],
  metadataOptions: { httpEndpoint: "enabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
  networkInterfaces: [{ associatePublicIpAddress: "false", deviceIndex: 0 }],
};

ruleCases(awsLaunchTemplateImdsv2, [
  {
    name: "an Instance requiring tokens",
    type: "aws:ec2/instance:Instance",
    props: { ami: "ami-1", metadataOptions: template.metadataOptions },
  },
  {
    name: "aws-native's template requiring tokens",
    type: "aws-native:ec2:LaunchTemplate",
    props: { launchTemplateData: { metadataOptions: { httpTokens: "required" } } },
  },
  {
    name: "an Instance with IMDSv1 (OPTIONAL in capitals)",
    type: "aws:ec2/instance:Instance",
    props: { ami: "ami-1", metadataOptions: { httpTokens: "OPTIONAL" } },
    fails: ["IMDSv1 stays open"],
  },
  {
    name: "aws-native's template with IMDSv1",
    type: "aws-native:ec2:LaunchTemplate",
    props: { launchTemplateData: { metadataOptions: { httpTokens: "optional" } } },
    fails: ["IMDSv1 stays open"],
  },
  {
    name: "aws-native's template with nothing set",
    type: "aws-native:ec2:LaunchTemplate",
    props: {},
    fails: ["the AMI decides"],
  },
  { name: "httpTokens required", type: LT, props: template },
  { name: "IMDS turned off", type: LT, props: { metadataOptions: { httpEndpoint: "disabled" } } },
  {
    name: "httpTokens optional",
    type: LT,
    props: { metadataOptions: { httpTokens: "optional" } },
    fails: ["IMDSv1 stays open"],
  },
  { name: "httpTokens unset", type: LT, props: {}, fails: ["the AMI decides"] },
]);

ruleCases(awsLaunchTemplateImdsHopLimit, [
  {
    name: "hop limit 2 on an Instance",
    type: "aws:ec2/instance:Instance",
    props: { metadataOptions: { httpPutResponseHopLimit: 2 } },
    fails: ["set it to 1"],
  },
  {
    name: "hop limit 3 on aws-native's template",
    type: "aws-native:ec2:LaunchTemplate",
    props: { launchTemplateData: { metadataOptions: { httpPutResponseHopLimit: 3 } } },
    fails: ["set it to 1"],
  },
  { name: "hop limit 1", type: LT, props: template },
  {
    name: "hop limit 2 under maxHopLimit 2",
    type: LT,
    props: { metadataOptions: { httpPutResponseHopLimit: 2 } },
    config: { maxHopLimit: 2 },
  },
  {
    name: "hop limit 2",
    type: LT,
    props: { metadataOptions: { httpPutResponseHopLimit: 2 } },
    fails: ["set it to 1"],
  },
  {
    name: "hop limit as a string",
    type: LT,
    props: { metadataOptions: { httpPutResponseHopLimit: "3" } },
    fails: ['is "3"'],
  },
  { name: "unset (the AMI's 2)", type: LT, props: {}, fails: ["the AMI's default"] },
]);

ruleCases(awsLaunchTemplateEncryptedVolumes, [
  { name: "encrypted mappings (the provider's string booleans)", type: LT, props: template },
  {
    name: "an unencrypted data volume beside an encrypted root",
    type: LT,
    props: {
      blockDeviceMappings: [
        ...template.blockDeviceMappings,
        { deviceName: "/dev/xvdb", ebs: { encrypted: "false" } },
      ],
    },
    fails: ['"/dev/xvdb" has ebs.encrypted "false"'],
  },
  { name: "no mapping at all", type: LT, props: {}, fails: ["maps no EBS volume"] },
]);

ruleCases(awsLaunchTemplateNoPublicIp, [
  { name: "associatePublicIpAddress false", type: LT, props: template },
  {
    name: 'associatePublicIpAddress "true"',
    type: LT,
    props: { networkInterfaces: [{ associatePublicIpAddress: "true" }] },
    fails: ["public IPv4 address"],
  },
  {
    name: "associatePublicIpAddress true (boolean)",
    type: LT,
    props: { networkInterfaces: [{ associatePublicIpAddress: true }] },
    fails: ["public IPv4 address"],
  },
]);

const b64 = (s: string) => Buffer.from(s).toString("base64");
ruleCases(awsLaunchTemplateNoSecretsInUserData, [
  {
    name: "a bootstrap script",
    type: LT,
    props: { userData: b64("#!/bin/bash\n/etc/eks/bootstrap.sh eks-prod\n") },
  },
  {
    name: "an access key id, base64-encoded",
    type: LT,
    props: { userData: b64("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE") },
    fails: ["an AWS access key id"],
  },
  {
    name: "a private key in plain text",
    type: LT,
    props: { userData: "-----BEGIN RSA PRIVATE KEY-----\nMIIE..." },
    fails: ["a private key"],
  },
]);

const gpuGroup = {
  amiType: "AL2023_x86_64_NVIDIA",
  instanceTypes: ["g6e.12xlarge"],
  taints: [{ effect: "NO_SCHEDULE", key: "nvidia.com/gpu", value: "true" }],
};
ruleCases(awsEksGpuNodeTaint, [
  { name: "a tainted GPU group", type: NG, props: gpuGroup },
  {
    name: "the taint effect spelled NoSchedule",
    type: NG,
    props: { ...gpuGroup, taints: [{ effect: "NoSchedule", key: "nvidia.com/gpu" }] },
  },
  {
    name: "an untainted CPU group",
    type: NG,
    props: { amiType: "AL2023_x86_64_STANDARD", instanceTypes: ["m7i.large"] },
  },
  {
    name: "a GPU AMI without the taint",
    type: NG,
    props: { amiType: "AL2023_x86_64_NVIDIA", instanceTypes: ["g6.xlarge"] },
    fails: ["amiType AL2023_x86_64_NVIDIA"],
  },
  {
    name: "a GPU AMI type in lower case",
    type: NG,
    props: { amiType: "al2023_x86_64_nvidia" },
    fails: ["no nvidia.com/gpu taint"],
  },
  {
    name: "GPU instance types on a custom AMI with PREFER_NO_SCHEDULE only",
    type: NG,
    props: {
      amiType: "CUSTOM",
      instanceTypes: ["G5.xlarge"],
      taints: [{ effect: "PREFER_NO_SCHEDULE", key: "nvidia.com/gpu" }],
    },
    fails: ["instanceTypes G5.xlarge"],
  },
]);

describe("NVIDIA_INSTANCE_FAMILIES", () => {
  it("knows every GPU family the library places", () => {
    expect(AWS_GPU_FAMILIES.filter((f) => !NVIDIA_INSTANCE_FAMILIES.has(f))).toEqual([]);
  });
});

ruleCases(awsEksNodeGroupNoOpenSsh, [
  { name: "no remoteAccess", type: NG, props: gpuGroup },
  {
    name: "remoteAccess limited to a security group",
    type: NG,
    props: { remoteAccess: { ec2SshKey: "k", sourceSecurityGroupIds: ["sg-1"] } },
  },
  {
    name: "an SSH key without source groups",
    type: NG,
    props: { remoteAccess: { ec2SshKey: "k" } },
    fails: ["port 22 on every node"],
  },
]);
