// The EKS control plane's args as a pure function: no Pulumi mocks, no resources, plain values in and out.
import { describe, expect, it } from "vitest";
import {
  CLUSTER_DEFAULTS,
  type ControlPlaneRefs,
  clusterArgsSchema,
  controlPlaneArgs,
  EKS_LOG_TYPES,
  type ResolvedClusterArgs,
  resolveClusterArgs,
} from "../../components/aws/cluster";

const NETWORK = {
  vpcId: "vpc-0a1b2c3d4e5f60718",
  cidrBlock: "10.20.0.0/16",
  privateSubnetIds: ["subnet-0a000000", "subnet-0b000000", "subnet-0c000000"],
};
const REFS: ControlPlaneRefs = {
  clusterName: "ai-prod",
  roleArn: "arn:aws:iam::123456789012:role/ai-cluster",
  apiSecurityGroupId: "sg-0a090000",
  secretsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/secrets",
};
const TAGS = { environment: "prod", "managed-by": "hybrid-ai-infra", "data-classification": "internal" };

/** The args as the component resolves them, in `environment`. */
function resolved(extra: Record<string, unknown> = {}, environment = "prod"): ResolvedClusterArgs {
  return resolveClusterArgs(
    "ai",
    clusterArgsSchema.parse({
      environment,
      network: NETWORK,
      admins: ["arn:aws:iam::123456789012:role/platform-admin"],
      placement: { region: "eu-west-1", jurisdiction: "EU" },
      ...extra,
    }),
  );
}

describe("controlPlaneArgs", () => {
  it("keeps the endpoint private and wires the role, the API security group and the subnets", () => {
    const args = controlPlaneArgs(resolved(), TAGS, REFS);
    expect(args.name).toBe("ai-prod");
    expect(args.roleArn).toBe(REFS.roleArn);
    expect(args.vpcConfig).toEqual({
      subnetIds: NETWORK.privateSubnetIds,
      securityGroupIds: ["sg-0a090000"],
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
    });
    expect(args).not.toHaveProperty("version");
    expect(args.tags).toBe(TAGS);
  });

  it("envelope-encrypts secrets with the given key and sends every log type", () => {
    const args = controlPlaneArgs(resolved(), TAGS, REFS);
    expect(args.encryptionConfig).toEqual({
      provider: { keyArn: REFS.secretsKeyArn },
      resources: ["secrets"],
    });
    expect(args.enabledClusterLogTypes).toEqual([...EKS_LOG_TYPES]);
    expect(EKS_LOG_TYPES).toHaveLength(5);
  });

  it("authenticates through access entries only, with managed add-ons only, on IPv4", () => {
    const args = controlPlaneArgs(resolved(), TAGS, REFS);
    expect(args.accessConfig).toEqual({
      authenticationMode: "API",
      bootstrapClusterCreatorAdminPermissions: false,
    });
    expect(args.bootstrapSelfManagedAddons).toBe(false);
    expect(args.kubernetesNetworkConfig).toEqual({ ipFamily: "ipv4" });
  });

  it("stays on extended support and protects the cluster from deletion outside dev, by default", () => {
    // With STANDARD, EKS upgrades the cluster itself when standard support ends, and the next `up`
    // plans the pinned, older version: a downgrade EKS refuses.
    expect(controlPlaneArgs(resolved(), TAGS, REFS)).toMatchObject({
      upgradePolicy: { supportType: "EXTENDED" },
      deletionProtection: true,
    });
    expect(CLUSTER_DEFAULTS.extendedSupport).toBe(true);
    expect(controlPlaneArgs(resolved({}, "dev"), TAGS, REFS).deletionProtection).toBe(false);
    expect(CLUSTER_DEFAULTS.deletionProtection("staging")).toBe(true);
  });

  it("opens a public endpoint only to the listed networks", () => {
    const args = controlPlaneArgs(resolved({ publicAccessCidrs: ["203.0.113.0/24"] }, "prod"), TAGS, REFS);
    expect(args.vpcConfig).toMatchObject({
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.0/24"],
    });
  });

  it("pins the version, opts out of extended support, and lets an explicit deletion protection win", () => {
    const args = controlPlaneArgs(
      resolved({ kubernetesVersion: "1.33", extendedSupport: false, deletionProtection: false }, "prod"),
      TAGS,
      REFS,
    );
    expect(args.version).toBe("1.33");
    expect(args.upgradePolicy).toEqual({ supportType: "STANDARD" });
    expect(args.deletionProtection).toBe(false);
    expect(
      controlPlaneArgs(resolved({ deletionProtection: true }, "dev"), TAGS, REFS).deletionProtection,
    ).toBe(true);
  });

  it("is pure: the same args give equal results, and nothing is shared between calls", () => {
    const a = controlPlaneArgs(resolved(), TAGS, REFS);
    const b = controlPlaneArgs(resolved(), TAGS, REFS);
    expect(a).toEqual(b);
    expect(a.enabledClusterLogTypes).not.toBe(b.enabledClusterLogTypes);
  });
});
