import type { RoleAssignment } from "@pulumi/azure-native/authorization";
import type { Key, Vault } from "@pulumi/azure-native/keyvault";
import type { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity";
import type * as pulumi from "@pulumi/pulumi";
import { type Common, childName } from "../../kit";
import type { AzureContext } from "../context";
import type { GroupAndRegion } from "../group";
import { createEncryptionKey } from "../key-vault";
import { createIdentity } from "../managed-identity";
import { waitForRoleAssignments } from "../propagation";
import { assignRole } from "../role-assignment";

/** The account's customer-managed key, its vault, and the identity the account reads it with. */
export interface CustomerManagedKey {
  identity: UserAssignedIdentity;
  vault: Vault;
  key: Key;
  vaultUri: pulumi.Output<string>;
  /** The identity's crypto role on the key: the account must wait for it before it first wraps its key. */
  keyAccess: RoleAssignment;
  /** Exists once `keyAccess` has had time to take effect: the account depends on it. */
  keyAccessInEffect: pulumi.CustomResource;
}

/**
 * The key: HSM-backed, rotated yearly (the account follows new versions by itself), in a vault
 * with no public endpoint; Azure Storage reaches it as a trusted service, through a user-assigned
 * identity that holds only the crypto-service role on that key.
 */
export function createCustomerManagedKey(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  ctx: AzureContext,
  options: GroupAndRegion & {
    logAnalyticsWorkspaceId: pulumi.Input<string> | undefined;
    /** Seconds the key role is given to take effect before the account is created. */
    rbacPropagationSeconds: number;
  },
): CustomerManagedKey {
  const identity = createIdentity(childName(name, "cmk"), parent, options, common.tags);
  const { vault, key, vaultUri } = createEncryptionKey(childName(name, "cmk"), parent, common, ctx, {
    resourceGroupName: options.resourceGroupName,
    location: options.location,
    vaultNamePrefix: `${name}-cmk`,
    keyName: "storage",
    publicNetworkAccess: "Disabled",
    rotateYearly: true,
    logAnalyticsWorkspaceId: options.logAnalyticsWorkspaceId,
  });
  const keyAccess = assignRole(childName(name, "cmk-encryption-user"), parent, ctx, {
    role: "Key Vault Crypto Service Encryption User",
    principalId: identity.principalId,
    principalType: "ServicePrincipal",
    scope: key.id,
    description: `Wrap and unwrap the account key of storage ${name}`,
  });
  // Storage checks the key when the account is created: before the role applies it answers
  // KeyVaultAuthenticationFailure and the create fails (Azure/bicep#16601, pulumi/pulumi#16893).
  const keyAccessInEffect = waitForRoleAssignments(
    childName(name, "cmk-encryption-user-in-effect"),
    parent,
    [keyAccess],
    options.rbacPropagationSeconds,
  );
  return { identity, vault, key, vaultUri, keyAccess, keyAccessInEffect };
}
