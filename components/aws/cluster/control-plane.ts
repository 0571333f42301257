import type * as eks from "@pulumi/aws/eks";
import type * as pulumi from "@pulumi/pulumi";
import type { ResolvedClusterArgs } from "./args";

/** Every control-plane log type EKS can send to CloudWatch. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** The resources the control plane refers to, by id or ARN. */
export interface ControlPlaneRefs {
  /** The EKS cluster name. */
  clusterName: string;
  /** The control plane's IAM role. */
  roleArn: pulumi.Input<string>;
  /** The security group of the private API endpoint. */
  apiSecurityGroupId: pulumi.Input<string>;
  /** The KMS key that envelope-encrypts Kubernetes secrets. */
  secretsKeyArn: pulumi.Input<string>;
}

/**
 * The args of the EKS cluster, from the validated component args alone (a pure function): private
 * endpoint (public only to listed networks), secrets envelope-encrypted, all five log types, API
 * authentication with access entries and no creator bootstrap, managed add-ons only, and deletion
 * protection outside dev.
 */
export function controlPlaneArgs(
  args: Pick<
    ResolvedClusterArgs,
    "network" | "kubernetesVersion" | "publicAccessCidrs" | "extendedSupport" | "deletionProtection"
  >,
  tags: Record<string, string>,
  refs: ControlPlaneRefs,
): eks.ClusterArgs {
  const publicCidrs = args.publicAccessCidrs;
  return {
    name: refs.clusterName,
    roleArn: refs.roleArn,
    ...(args.kubernetesVersion ? { version: args.kubernetesVersion } : {}),
    vpcConfig: {
      subnetIds: args.network.privateSubnetIds,
      securityGroupIds: [refs.apiSecurityGroupId],
      endpointPrivateAccess: true,
      endpointPublicAccess: publicCidrs.length > 0,
      ...(publicCidrs.length > 0 ? { publicAccessCidrs: publicCidrs } : {}),
    },
    encryptionConfig: { provider: { keyArn: refs.secretsKeyArn }, resources: ["secrets"] },
    enabledClusterLogTypes: [...EKS_LOG_TYPES],
    accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
    // Add-ons come from the managed add-ons, so their versions and settings are ours.
    bootstrapSelfManagedAddons: false,
    kubernetesNetworkConfig: { ipFamily: "ipv4" },
    upgradePolicy: {
      supportType: args.extendedSupport ? "EXTENDED" : "STANDARD",
    },
    deletionProtection: args.deletionProtection,
    tags,
  };
}
