import type { RoleAssignment } from "@pulumi/azure-native/authorization";
import type { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity";
import type * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import type { AzureClusterNetwork } from "../cluster-network";
import type { AzureContext } from "../context";
import type { GroupAndRegion } from "../group";
import { createIdentity } from "../managed-identity";
import { assignRole } from "../role-assignment";
import type { AzureRole } from "../roles";

/** The cluster's two user-assigned identities. */
export interface ClusterIdentities {
  /** The control plane's: it joins subnets, writes DNS records and uses the KMS key. */
  controlPlane: UserAssignedIdentity;
  /** The kubelet's: nodes pull images and reach Azure with it. */
  kubelet: UserAssignedIdentity;
}

/**
 * User-assigned identities exist before the cluster, so every grant is in place when AKS first
 * uses it (a system-assigned identity would only exist after the cluster).
 */
export function createClusterIdentities(
  name: string,
  parent: pulumi.Resource,
  where: GroupAndRegion,
  tags: Record<string, string>,
): ClusterIdentities {
  return {
    controlPlane: createIdentity(childName(name, "control-plane"), parent, where, tags),
    kubelet: createIdentity(childName(name, "kubelet"), parent, where, tags),
  };
}

/** What the control plane's grants are scoped to. */
export interface ControlPlaneScopes {
  clusterName: string;
  network: AzureClusterNetwork;
  /** Subnets of inline pools that name their own. */
  poolSubnets: { pool: string; subnetId: pulumi.Input<string> }[];
  kmsKeyId: pulumi.Input<string>;
  /** The KMS vault, when it is private (AKS then links a private endpoint to it). */
  privateKmsVaultId?: pulumi.Input<string> | undefined;
  /** A given API server private DNS zone ("system": AKS manages its own). */
  privateDnsZone: string;
}

/** What the control plane may do, each on the narrowest scope that works. */
export function grantControlPlane(
  name: string,
  parent: pulumi.Resource,
  ctx: AzureContext,
  identities: ClusterIdentities,
  scopes: ControlPlaneScopes,
): RoleAssignment[] {
  const { network } = scopes;
  const grant = (suffix: string, role: AzureRole, scope: pulumi.Input<string>, description: string) =>
    assignRole(childName(name, suffix), parent, ctx, {
      role,
      principalId: identities.controlPlane.principalId,
      principalType: "ServicePrincipal",
      scope,
      description: `${description} (AKS ${scopes.clusterName})`,
    });
  const grants = [
    grant(
      "kms-crypto-user",
      "Key Vault Crypto User",
      scopes.kmsKeyId,
      "Encrypt etcd secrets with the KMS key",
    ),
    grant(
      "kubelet-operator",
      "Managed Identity Operator",
      identities.kubelet.id,
      "Assign the kubelet identity to nodes",
    ),
    grant("network-system", "Network Contributor", network.systemSubnetId, "Join nodes to the system subnet"),
  ];
  if (network.gpuSubnetId !== undefined) {
    grants.push(
      grant("network-gpu", "Network Contributor", network.gpuSubnetId, "Join GPU nodes to their subnet"),
    );
  }
  if (network.apiServerSubnetId !== undefined) {
    grants.push(
      grant(
        "network-apiserver",
        "Network Contributor",
        network.apiServerSubnetId,
        "Put the API server in its subnet",
      ),
    );
  }
  for (const { pool, subnetId } of scopes.poolSubnets) {
    grants.push(grant(`network-${pool}`, "Network Contributor", subnetId, `Join pool ${pool} to its subnet`));
  }
  if (scopes.privateKmsVaultId !== undefined) {
    // AKS adds a private endpoint to the vault for the KMS plugin; that needs the vault resource.
    grants.push(
      grant("kms-vault", "Key Vault Contributor", scopes.privateKmsVaultId, "Link the private KMS vault"),
    );
  }
  if (scopes.privateDnsZone !== "system") {
    grants.push(
      grant("dns-zone", "Private DNS Zone Contributor", scopes.privateDnsZone, "Write the API server record"),
      grant("network-vnet", "Network Contributor", network.virtualNetworkId, "Link the private DNS zone"),
    );
  }
  return grants;
}
