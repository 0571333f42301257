import type { Key, Vault } from "@pulumi/azure-native/keyvault";
import type * as pulumi from "@pulumi/pulumi";
import { type Common, childName } from "../../kit";
import type { AzureContext } from "../context";
import type { GroupAndRegion } from "../group";
import { createEncryptionKey } from "../key-vault";

/**
 * The Key Vault and key that encrypt etcd secrets (AKS KMS). A "Private" vault has no public
 * endpoint (AKS reaches it from the API server's subnet); a "Public" one is gated by Entra ID and
 * RBAC only. The key is not rotated by timer: AKS KMS pins one version, so a rotation is a new
 * version and a cluster update, made on purpose. The vault's audit events go to the workspace.
 */
export function createKmsKey(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  ctx: AzureContext,
  options: GroupAndRegion & { access: "Public" | "Private"; workspaceId: pulumi.Input<string> },
): { vault: Vault; key: Key } {
  const { vault, key } = createEncryptionKey(childName(name, "kms"), parent, common, ctx, {
    resourceGroupName: options.resourceGroupName,
    location: options.location,
    vaultNamePrefix: `${name}-kms`,
    keyName: "etcd",
    publicNetworkAccess: options.access === "Private" ? "Disabled" : "Enabled",
    rotateYearly: false,
    logAnalyticsWorkspaceId: options.workspaceId,
  });
  return { vault, key };
}
