// The AWS rules on inputs shaped like the plan's (this library's resources) and like other
// programs' (defaults left out, public endpoints, open ACLs): each rule fails what it must and
// passes what the library declares.
import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { AWS_GPU_FAMILIES } from "../../components/facts";
import {
  AWS_RULES,
  awsEksAccessEntries,
  awsEksApiOnlyAuthentication,
  awsEksControlPlaneLogging,
  awsEksEndpointAccess,
  awsEksGpuNodeTaint,
  awsEksNodeGroupNoOpenSsh,
  awsEksSecretsEncryption,
  awsIamS3TrustSourceAccount,
  awsKmsKeyRotation,
  awsLaunchTemplateEncryptedVolumes,
  awsLaunchTemplateImdsHopLimit,
  awsLaunchTemplateImdsv2,
  awsS3AclNotPublic,
  awsS3BucketKey,
  awsS3BucketPolicyNotPublic,
  awsS3PublicAccessBlock,
  awsS3SseKms,
  awsS3Versioning,
  NVIDIA_INSTANCE_FAMILIES,
} from "../../policies/rules/aws";
import { BENCHMARKS } from "../../policies/rules/kit";
import { violations } from "./evaluate";

const CLUSTER = "aws:eks/cluster:Cluster";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/6186c59f-022a-fbf4-ba93-01d3b2747fd5";

/** The prod plan's cluster inputs, trimmed to what the rules read. */
const privateCluster = {
  accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
  enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
  encryptionConfig: { provider: { keyArn: KEY_ARN }, resources: ["secrets"] },
  vpcConfig: {
    endpointPrivateAccess: true,
    endpointPublicAccess: false,
    subnetIds: ["subnet-bca719dc4580adab9", "subnet-d78a7797723c925da"],
  },
};

const publicCluster = (publicAccessCidrs?: string[]) => ({
  ...privateCluster,
  vpcConfig: {
    endpointPrivateAccess: true,
    endpointPublicAccess: true,
    ...(publicAccessCidrs ? { publicAccessCidrs } : {}),
  },
});

/** The prod plan's launch template inputs, trimmed. */
const launchTemplate = {
  blockDeviceMappings: [
    { deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 100, volumeType: "gp3" } },
  ],
  metadataOptions: {
    httpEndpoint: "enabled",
    httpPutResponseHopLimit: 1,
    httpTokens: "required",
    instanceMetadataTags: "disabled",
  },
};

const gpuNodeGroup = {
  amiType: "AL2023_x86_64_NVIDIA",
  instanceTypes: ["g6e.12xlarge"],
  taints: [{ effect: "NO_SCHEDULE", key: "nvidia.com/gpu", value: "true" }],
};

const bucketPolicy = (statements: unknown[]) => ({
  bucket: "datasets-b181700",
  policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
});

const trust = (statement: Record<string, unknown>) => ({
  assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }),
});

describe("aws-eks-endpoint-access", () => {
  it("passes a private-only endpoint", async () => {
    expect(await violations(awsEksEndpointAccess, CLUSTER, privateCluster)).toEqual([]);
  });

  it("fails a cluster that leaves vpcConfig to EKS's defaults (public to 0.0.0.0/0, no private)", async () => {
    const found = await violations(awsEksEndpointAccess, CLUSTER, {
      vpcConfig: { subnetIds: ["subnet-10000000"] },
    });
    expect(found).toContain(
      "vpcConfig.endpointPrivateAccess is unset (EKS default false), so nodes and admins reach the API over the internet; set it to true",
    );
    expect(found).toContain(
      "vpcConfig.publicAccessCidrs is unset, so EKS opens the public endpoint to 0.0.0.0/0; list only the admin networks' blocks, or turn the public endpoint off",
    );
  });

  it("fails any public endpoint when allowedPublicCidrs is empty", async () => {
    expect(await violations(awsEksEndpointAccess, CLUSTER, publicCluster(["203.0.113.5/32"]))).toEqual([
      "vpcConfig.endpointPublicAccess is true (EKS default true) and this rule's allowedPublicCidrs is empty; set endpointPublicAccess to false",
    ]);
  });

  it("passes a public endpoint restricted to CIDRs inside allowedPublicCidrs", async () => {
    const config = { allowedPublicCidrs: ["203.0.113.0/24", "198.51.100.7/32"] };
    const props = publicCluster(["203.0.113.5/32", "203.0.113.64/26", "198.51.100.7/32"]);
    expect(await violations(awsEksEndpointAccess, CLUSTER, props, config)).toEqual([]);
  });

  it("fails a CIDR outside allowedPublicCidrs", async () => {
    const config = { allowedPublicCidrs: ["203.0.113.0/24"] };
    expect(
      await violations(awsEksEndpointAccess, CLUSTER, publicCluster(["198.51.100.0/24"]), config),
    ).toEqual([
      "vpcConfig.publicAccessCidrs contains 198.51.100.0/24, outside this rule's allowedPublicCidrs (203.0.113.0/24)",
    ]);
  });

  it("fails 0.0.0.0/0 even when the config allows it", async () => {
    const config = { allowedPublicCidrs: ["0.0.0.0/0"] };
    const found = await violations(awsEksEndpointAccess, CLUSTER, publicCluster(["0.0.0.0/0"]), config);
    expect(found).toContain(
      "vpcConfig.publicAccessCidrs contains 0.0.0.0/0, broader than /8; list the admin networks' own blocks (e.g. 203.0.113.0/24)",
    );
    expect(found).toContain(
      "vpcConfig.publicAccessCidrs 0.0.0.0/0 together cover every IPv4 address, the same as 0.0.0.0/0; list only the admin networks' blocks",
    );
  });

  it("fails the 0.0.0.0/1 + 128.0.0.0/1 split of the internet", async () => {
    const config = { allowedPublicCidrs: ["0.0.0.0/0"] };
    const found = await violations(
      awsEksEndpointAccess,
      CLUSTER,
      publicCluster(["0.0.0.0/1", "128.0.0.0/1"]),
      config,
    );
    expect(found).toContain(
      "vpcConfig.publicAccessCidrs 0.0.0.0/1 + 128.0.0.0/1 together cover every IPv4 address, the same as 0.0.0.0/0; list only the admin networks' blocks",
    );
  });

  it("fails /8 blocks that together cover more than one /8, while one /8 alone passes", async () => {
    const config = { allowedPublicCidrs: ["0.0.0.0/0"] };
    expect(await violations(awsEksEndpointAccess, CLUSTER, publicCluster(["11.0.0.0/8"]), config)).toEqual(
      [],
    );
    expect(
      await violations(awsEksEndpointAccess, CLUSTER, publicCluster(["11.0.0.0/8", "12.0.0.0/8"]), config),
    ).toEqual([
      "vpcConfig.publicAccessCidrs 11.0.0.0/8 + 12.0.0.0/8 together cover more addresses than one /8; list only the admin networks' blocks",
    ]);
  });

  it("fails an entry that is no CIDR block", async () => {
    const config = { allowedPublicCidrs: ["203.0.113.0/24"] };
    expect(await violations(awsEksEndpointAccess, CLUSTER, publicCluster(["office"]), config)).toEqual([
      'vpcConfig.publicAccessCidrs contains "office", not a CIDR block',
    ]);
  });
});

describe("aws-eks-secrets-encryption", () => {
  it("passes secrets encrypted with a KMS key", async () => {
    expect(await violations(awsEksSecretsEncryption, CLUSTER, privateCluster)).toEqual([]);
  });

  it("fails a cluster without encryptionConfig", async () => {
    const { encryptionConfig: _, ...props } = privateCluster;
    expect(await violations(awsEksSecretsEncryption, CLUSTER, props)).toEqual([
      'encryptionConfig.resources is unset, so Kubernetes secrets are stored without KMS envelope encryption; set it to ["secrets"] with provider.keyArn',
    ]);
  });

  it("fails an encryptionConfig without a key ARN", async () => {
    expect(
      await violations(awsEksSecretsEncryption, CLUSTER, {
        encryptionConfig: { resources: ["secrets"], provider: {} },
      }),
    ).toEqual(["encryptionConfig.provider.keyArn is unset; give the ARN of a customer managed KMS key"]);
  });
});

describe("aws-eks-control-plane-logging", () => {
  it("passes all five log types", async () => {
    expect(await violations(awsEksControlPlaneLogging, CLUSTER, privateCluster)).toEqual([]);
  });

  it("fails a cluster logging only the audit log", async () => {
    expect(
      await violations(awsEksControlPlaneLogging, CLUSTER, { enabledClusterLogTypes: ["audit"] }),
    ).toEqual([
      'enabledClusterLogTypes is ["audit"], missing api, authenticator, controllerManager, scheduler; enable all of api, audit, authenticator, controllerManager, scheduler',
    ]);
  });
});

describe("aws-eks-access-entries and aws-eks-api-only-authentication", () => {
  it("pass authenticationMode API", async () => {
    expect(await violations(awsEksAccessEntries, CLUSTER, privateCluster)).toEqual([]);
    expect(await violations(awsEksApiOnlyAuthentication, CLUSTER, privateCluster)).toEqual([]);
  });

  it("fail an unset accessConfig (EKS's CONFIG_MAP) in the mandatory rule only", async () => {
    expect(await violations(awsEksAccessEntries, CLUSTER, {})).toEqual([
      'accessConfig.authenticationMode is unset (EKS default CONFIG_MAP), so only the aws-auth ConfigMap grants access; set it to "API" (or "API_AND_CONFIG_MAP" while migrating)',
    ]);
    expect(await violations(awsEksApiOnlyAuthentication, CLUSTER, {})).toEqual([]);
  });

  it("advise against API_AND_CONFIG_MAP without failing the mandatory rule", async () => {
    const props = { accessConfig: { authenticationMode: "API_AND_CONFIG_MAP" } };
    expect(await violations(awsEksAccessEntries, CLUSTER, props)).toEqual([]);
    expect(await violations(awsEksApiOnlyAuthentication, CLUSTER, props)).toEqual([
      'accessConfig.authenticationMode is "API_AND_CONFIG_MAP", so the aws-auth ConfigMap still grants access; set it to "API" once the mappings are access entries',
    ]);
  });
});

describe("aws-launch-template-imdsv2", () => {
  it("passes httpTokens required", async () => {
    expect(await violations(awsLaunchTemplateImdsv2, LAUNCH_TEMPLATE, launchTemplate)).toEqual([]);
  });

  it("passes a template that turns IMDS off", async () => {
    const props = { metadataOptions: { httpEndpoint: "disabled" } };
    expect(await violations(awsLaunchTemplateImdsv2, LAUNCH_TEMPLATE, props)).toEqual([]);
  });

  it("fails httpTokens optional and unset", async () => {
    const optional = { metadataOptions: { ...launchTemplate.metadataOptions, httpTokens: "optional" } };
    expect(await violations(awsLaunchTemplateImdsv2, LAUNCH_TEMPLATE, optional)).toEqual([
      'metadataOptions.httpTokens is "optional", so IMDSv1 stays open; set it to "required"',
    ]);
    expect(await violations(awsLaunchTemplateImdsv2, LAUNCH_TEMPLATE, {})).toEqual([
      'metadataOptions.httpTokens is unset (the AMI decides, usually optional), so IMDSv1 stays open; set it to "required"',
    ]);
  });
});

describe("aws-launch-template-imds-hop-limit", () => {
  it("passes hop limit 1", async () => {
    expect(await violations(awsLaunchTemplateImdsHopLimit, LAUNCH_TEMPLATE, launchTemplate)).toEqual([]);
  });

  it("fails hop limit 2 by default and passes it when maxHopLimit is 2", async () => {
    const props = { metadataOptions: { ...launchTemplate.metadataOptions, httpPutResponseHopLimit: 2 } };
    expect(await violations(awsLaunchTemplateImdsHopLimit, LAUNCH_TEMPLATE, props)).toEqual([
      "metadataOptions.httpPutResponseHopLimit is 2, so pods can reach the node's credentials; set it to 1",
    ]);
    expect(
      await violations(awsLaunchTemplateImdsHopLimit, LAUNCH_TEMPLATE, props, { maxHopLimit: 2 }),
    ).toEqual([]);
  });

  it("counts an unset hop limit as the AMI's 2", async () => {
    const props = { metadataOptions: { httpTokens: "required" } };
    expect(await violations(awsLaunchTemplateImdsHopLimit, LAUNCH_TEMPLATE, props)).toEqual([
      "metadataOptions.httpPutResponseHopLimit is unset (the AMI's default, 2 on AL2023 and EKS AMIs), so pods can reach the node's credentials; set it to 1",
    ]);
  });
});

describe("aws-launch-template-encrypted-volumes", () => {
  it("passes encrypted mappings (the provider's string booleans)", async () => {
    expect(await violations(awsLaunchTemplateEncryptedVolumes, LAUNCH_TEMPLATE, launchTemplate)).toEqual([]);
  });

  it("fails an unencrypted data volume beside an encrypted root", async () => {
    const props = {
      blockDeviceMappings: [
        { deviceName: "/dev/xvda", ebs: { encrypted: "true" } },
        { deviceName: "/dev/xvdb", ebs: { volumeSize: 500 } },
      ],
    };
    expect(await violations(awsLaunchTemplateEncryptedVolumes, LAUNCH_TEMPLATE, props)).toEqual([
      'blockDeviceMappings "/dev/xvdb" has ebs.encrypted unset; set it to "true"',
    ]);
  });

  it("fails a template that maps no EBS volume", async () => {
    expect(
      await violations(awsLaunchTemplateEncryptedVolumes, LAUNCH_TEMPLATE, { imageId: "ami-1" }),
    ).toEqual([
      'blockDeviceMappings maps no EBS volume, so the root volume\'s encryption is left to the AMI and the account default; map the root device with ebs.encrypted "true"',
    ]);
  });
});

describe("aws-eks-gpu-node-taint", () => {
  it("passes a tainted GPU group and an untainted CPU group", async () => {
    expect(await violations(awsEksGpuNodeTaint, NODE_GROUP, gpuNodeGroup)).toEqual([]);
    const cpu = { amiType: "AL2023_x86_64_STANDARD", instanceTypes: ["m7i.4xlarge"], taints: [] };
    expect(await violations(awsEksGpuNodeTaint, NODE_GROUP, cpu)).toEqual([]);
  });

  it("fails a GPU AMI without the taint", async () => {
    expect(await violations(awsEksGpuNodeTaint, NODE_GROUP, { ...gpuNodeGroup, taints: [] })).toEqual([
      'taints has no nvidia.com/gpu taint with effect NO_SCHEDULE although the group has GPUs (amiType AL2023_x86_64_NVIDIA), so any pod can be scheduled there; add { key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }',
    ]);
  });

  it("fails GPU instance types on a custom AMI with only a PREFER_NO_SCHEDULE taint", async () => {
    const props = {
      amiType: "CUSTOM",
      instanceTypes: ["p5.48xlarge"],
      taints: [{ key: "nvidia.com/gpu", value: "true", effect: "PREFER_NO_SCHEDULE" }],
    };
    expect(await violations(awsEksGpuNodeTaint, NODE_GROUP, props)).toEqual([
      'taints has no nvidia.com/gpu taint with effect NO_SCHEDULE although the group has GPUs (instanceTypes p5.48xlarge), so any pod can be scheduled there; add { key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }',
    ]);
  });

  it("knows every GPU family the library places", () => {
    expect(AWS_GPU_FAMILIES.filter((f) => !NVIDIA_INSTANCE_FAMILIES.has(f))).toEqual([]);
  });
});

describe("aws-eks-node-group-no-open-ssh", () => {
  it("passes no remoteAccess and remoteAccess limited to a security group", async () => {
    expect(await violations(awsEksNodeGroupNoOpenSsh, NODE_GROUP, gpuNodeGroup)).toEqual([]);
    const limited = { remoteAccess: { ec2SshKey: "ops", sourceSecurityGroupIds: ["sg-0ba349fe"] } };
    expect(await violations(awsEksNodeGroupNoOpenSsh, NODE_GROUP, limited)).toEqual([]);
  });

  it("fails an SSH key without source security groups", async () => {
    expect(
      await violations(awsEksNodeGroupNoOpenSsh, NODE_GROUP, { remoteAccess: { ec2SshKey: "ops" } }),
    ).toEqual([
      'remoteAccess is set (ec2SshKey "ops") without sourceSecurityGroupIds, so EKS opens port 22 on every node to 0.0.0.0/0; list the security groups allowed to connect, or drop remoteAccess',
    ]);
  });
});

describe("aws-s3-sse-kms and aws-s3-bucket-key", () => {
  const kms = {
    bucket: "datasets-b181700",
    rules: [
      {
        applyServerSideEncryptionByDefault: { kmsMasterKeyId: KEY_ARN, sseAlgorithm: "aws:kms" },
        bucketKeyEnabled: true,
      },
    ],
  };

  it("pass SSE-KMS with bucket keys, and DSSE-KMS (which has none)", async () => {
    expect(await violations(awsS3SseKms, SSE, kms)).toEqual([]);
    expect(await violations(awsS3BucketKey, SSE, kms)).toEqual([]);
    const dsse = { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse" } }] };
    expect(await violations(awsS3SseKms, SSE, dsse)).toEqual([]);
    expect(await violations(awsS3BucketKey, SSE, dsse)).toEqual([]);
  });

  it("fail AES256 and an aws:kms rule without a bucket key", async () => {
    const aes = { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] };
    expect(await violations(awsS3SseKms, SSE, aes)).toEqual([
      'rules[0].applyServerSideEncryptionByDefault.sseAlgorithm is "AES256"; use "aws:kms" (or "aws:kms:dsse")',
    ]);
    const noBucketKey = { rules: [{ ...kms.rules[0], bucketKeyEnabled: false }] };
    expect(await violations(awsS3BucketKey, SSE, noBucketKey)).toEqual([
      "rules[0].bucketKeyEnabled is false on an aws:kms rule; set it to true",
    ]);
  });

  it("checks the V2 type too", async () => {
    const v2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2";
    expect(await violations(awsS3SseKms, v2, { rules: [] })).toEqual([
      'rules is empty, so the bucket falls back to SSE-S3 (AES256); add a rule with sseAlgorithm "aws:kms"',
    ]);
  });
});

describe("aws-s3-versioning", () => {
  const type = "aws:s3/bucketVersioning:BucketVersioning";

  it("passes Enabled", async () => {
    expect(
      await violations(awsS3Versioning, type, { versioningConfiguration: { status: "Enabled" } }),
    ).toEqual([]);
  });

  it("fails Suspended", async () => {
    expect(
      await violations(awsS3Versioning, type, { versioningConfiguration: { status: "Suspended" } }),
    ).toEqual(['versioningConfiguration.status is "Suspended"; set it to "Enabled"']);
  });
});

describe("aws-s3-public-access-block", () => {
  const type = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";

  it("passes all four settings on", async () => {
    const props = {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    };
    expect(await violations(awsS3PublicAccessBlock, type, props)).toEqual([]);
  });

  it("fails the settings left to the provider's false", async () => {
    expect(await violations(awsS3PublicAccessBlock, type, { bucket: "b", blockPublicAcls: true })).toEqual([
      "blockPublicPolicy is unset; set it to true",
      "ignorePublicAcls is unset; set it to true",
      "restrictPublicBuckets is unset; set it to true",
    ]);
  });
});

describe("aws-s3-bucket-policy-not-public", () => {
  const type = "aws:s3/bucketPolicy:BucketPolicy";
  const denyInsecure = {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: ["arn:aws:s3:::datasets", "arn:aws:s3:::datasets/*"],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };

  it("passes Deny statements for everyone and an Allow pinned to the organization", async () => {
    const orgRead = {
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::datasets/*",
      Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } },
    };
    expect(await violations(awsS3BucketPolicyNotPublic, type, bucketPolicy([denyInsecure, orgRead]))).toEqual(
      [],
    );
  });

  it("fails a public read whose only condition does not narrow who calls", async () => {
    const publicRead = {
      Sid: "PublicRead",
      Effect: "Allow",
      Principal: { AWS: ["*"] },
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::datasets/*",
      Condition: { Bool: { "aws:SecureTransport": "true" } },
    };
    expect(
      await violations(awsS3BucketPolicyNotPublic, type, bucketPolicy([denyInsecure, publicRead])),
    ).toEqual([
      'policy Statement[1] (PublicRead) allows "s3:GetObject" to Principal {"AWS":["*"]} with no condition pinning the callers; name the principals or add an aws:PrincipalOrgID / aws:SourceVpce condition',
    ]);
  });

  it('fails Principal "*" in a policy given as an object, and a negated condition', async () => {
    const policy = {
      Statement: {
        Effect: "Allow",
        Principal: "*",
        Action: ["s3:PutObject"],
        Resource: "arn:aws:s3:::datasets/*",
        Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-abc123" } },
      },
    };
    expect(await violations(awsS3BucketPolicyNotPublic, type, { policy })).toEqual([
      'policy Statement[0] allows ["s3:PutObject"] to Principal "*" with no condition pinning the callers; name the principals or add an aws:PrincipalOrgID / aws:SourceVpce condition',
    ]);
  });
});

describe("aws-s3-acl-not-public", () => {
  it("passes private and absent ACLs", async () => {
    expect(
      await violations(awsS3AclNotPublic, "aws:s3/bucket:Bucket", { bucketPrefix: "datasets-" }),
    ).toEqual([]);
    expect(await violations(awsS3AclNotPublic, "aws:s3/bucketAclV2:BucketAclV2", { acl: "private" })).toEqual(
      [],
    );
  });

  it("fails canned public ACLs on the bucket and on an ACL resource", async () => {
    expect(await violations(awsS3AclNotPublic, "aws:s3/bucketV2:BucketV2", { acl: "public-read" })).toEqual([
      'acl is "public-read", which grants the bucket to everyone; use "private" or no ACL',
    ]);
    expect(
      await violations(awsS3AclNotPublic, "aws:s3/bucketAcl:BucketAcl", { acl: "authenticated-read" }),
    ).toEqual([
      'acl is "authenticated-read", which grants the bucket to every AWS account; use "private" or no ACL',
    ]);
  });

  it("fails a grant to AllUsers", async () => {
    const props = {
      accessControlPolicy: {
        owner: { id: "owner" },
        grants: [
          { grantee: { type: "CanonicalUser", id: "owner" }, permission: "FULL_CONTROL" },
          {
            grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" },
            permission: "READ",
          },
        ],
      },
    };
    expect(await violations(awsS3AclNotPublic, "aws:s3/bucketAcl:BucketAcl", props)).toEqual([
      'accessControlPolicy.grants[1] gives "READ" to http://acs.amazonaws.com/groups/global/AllUsers; grant to canonical user IDs only',
    ]);
  });
});

describe("aws-iam-s3-trust-source-account", () => {
  const type = "aws:iam/role:Role";
  const replication = {
    Effect: "Allow",
    Principal: { Service: "s3.amazonaws.com" },
    Action: "sts:AssumeRole",
  };

  it("passes an S3 trust pinned to the account, and roles other services assume", async () => {
    const pinned = { ...replication, Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } };
    expect(await violations(awsIamS3TrustSourceAccount, type, trust(pinned))).toEqual([]);
    const pods = {
      Effect: "Allow",
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole"],
    };
    expect(await violations(awsIamS3TrustSourceAccount, type, trust(pods))).toEqual([]);
  });

  it("fails a replication role trusting S3 with no aws:SourceAccount", async () => {
    const arnOnly = { ...replication, Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::datasets" } } };
    expect(await violations(awsIamS3TrustSourceAccount, type, trust(arnOnly))).toEqual([
      "assumeRolePolicy Statement[0] trusts s3.amazonaws.com without an aws:SourceAccount condition; add StringEquals aws:SourceAccount with this account's id",
    ]);
  });
});

describe("aws-kms-key-rotation", () => {
  const type = "aws:kms/key:Key";

  it("passes a rotating symmetric key and an asymmetric signing key", async () => {
    const symmetric = { customerMasterKeySpec: "SYMMETRIC_DEFAULT", enableKeyRotation: true };
    expect(await violations(awsKmsKeyRotation, type, symmetric)).toEqual([]);
    const signing = { customerMasterKeySpec: "RSA_3072", keyUsage: "SIGN_VERIFY" };
    expect(await violations(awsKmsKeyRotation, type, signing)).toEqual([]);
  });

  it("fails a key that leaves rotation to the provider's false", async () => {
    expect(await violations(awsKmsKeyRotation, type, { description: "datasets" })).toEqual([
      "enableKeyRotation is unset on a symmetric key; set it to true",
    ]);
  });
});

describe("the AWS rules' facts", () => {
  it("have unique kebab-case names, a description, a remediation and known benchmark ids", () => {
    const names = AWS_RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of AWS_RULES) {
      expect(rule.name).toMatch(/^aws-[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.description?.length ?? 0).toBeGreaterThan(20);
      expect(rule.remediationSteps?.length ?? 0).toBeGreaterThan(10);
      expect(rule.tags?.length ?? 0).toBeGreaterThan(0);
      for (const tag of rule.tags ?? []) {
        const [framework, id] = tag.split(/:(.*)/s);
        expect(Object.keys(BENCHMARKS)).toContain(framework);
        expect(id).toMatch(/^\S+$/);
      }
      expect(["mandatory", "advisory"]).toContain(rule.enforcementLevel);
    }
  });

  it("list only type tokens of @pulumi/aws resources", () => {
    const modules = aws as unknown as Record<string, Record<string, { __pulumiType?: string } | undefined>>;
    for (const rule of AWS_RULES) {
      expect(rule.types.length).toBeGreaterThan(0);
      for (const token of rule.types) {
        const [, module, name] = /^aws:([a-zA-Z0-9]+)\/[a-zA-Z0-9]+:([A-Za-z0-9]+)$/.exec(token) ?? [];
        expect(module && name && modules[module]?.[name]?.__pulumiType, token).toBe(token);
      }
    }
  });

  it("give every knob a default", () => {
    for (const rule of AWS_RULES)
      for (const [knob, schema] of Object.entries(rule.configSchema?.properties ?? {}))
        expect(schema.default, `${rule.name}.${knob}`).toBeDefined();
  });
});
