import { Key, Vault } from "@pulumi/azure-native/keyvault";
import type * as pulumi from "@pulumi/pulumi";
import { type Common, childName, statefulOptions } from "../kit";
import type { AzureContext } from "./context";
import { sendDiagnostics } from "./diagnostics";
import { uniqueName } from "./naming";

/** Days a deleted vault or key stays recoverable; the maximum Key Vault allows. */
const KEY_VAULT_SOFT_DELETE_DAYS = 90;

/** How an encryption key and its vault are made. */
export interface EncryptionKeyOptions {
  resourceGroupName: pulumi.Input<string>;
  /** Region; default the resource group's. */
  location?: pulumi.Input<string> | undefined;
  /** Start of the vault name (a random suffix follows). */
  vaultNamePrefix: string;
  /** The key's name inside the vault. */
  keyName: string;
  /**
   * "Disabled": no public endpoint; only trusted Azure services (Storage with a customer-managed
   * key) reach it through the firewall bypass. "Enabled": a public endpoint for callers Entra ID
   * and RBAC authorise; the AKS KMS plugin needs it unless the cluster uses a private KMS vault.
   */
  publicNetworkAccess: "Enabled" | "Disabled";
  /**
   * Create a new key version every year. Azure Storage follows new versions by itself; AKS KMS pins
   * one version, so its key is rotated on purpose (a new version and a cluster update), not by timer.
   */
  rotateYearly: boolean;
  /** Send the vault's audit events to this Log Analytics workspace. */
  logAnalyticsWorkspaceId?: pulumi.Input<string> | undefined;
}

/**
 * A Key Vault made for one key: RBAC authorisation (no access policies), soft delete with purge
 * protection, no deployment or disk-encryption access, HSM-backed (premium) keys; and the RSA-HSM
 * key itself. Both are stateful: losing either loses the data encrypted under them.
 */
export function createEncryptionKey(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  ctx: AzureContext,
  options: EncryptionKeyOptions,
): { vault: Vault; key: Key; vaultUri: pulumi.Output<string> } {
  const vaultName = uniqueName(name, parent, "keyVault", options.vaultNamePrefix);
  const open = options.publicNetworkAccess === "Enabled";
  const vault = new Vault(
    name,
    {
      vaultName,
      resourceGroupName: options.resourceGroupName,
      ...(options.location === undefined ? {} : { location: options.location }),
      properties: {
        tenantId: ctx.tenantId,
        sku: { family: "A", name: "premium" },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: KEY_VAULT_SOFT_DELETE_DAYS,
        enablePurgeProtection: true,
        enabledForDeployment: false,
        enabledForDiskEncryption: false,
        enabledForTemplateDeployment: false,
        publicNetworkAccess: options.publicNetworkAccess,
        networkAcls: {
          // A vault firewall with network rules would block the AKS KMS plugin, so an open vault
          // relies on Entra ID and RBAC; a closed one lets only trusted Azure services through.
          defaultAction: open ? "Allow" : "Deny",
          bypass: "AzureServices",
        },
      },
      tags: common.tags,
    },
    statefulOptions(parent, common),
  );
  const key = new Key(
    name,
    {
      keyName: options.keyName,
      vaultName: vault.name,
      resourceGroupName: options.resourceGroupName,
      properties: {
        kty: "RSA-HSM",
        keySize: 3072,
        keyOps: ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
        attributes: { enabled: true },
        ...(options.rotateYearly
          ? {
              rotationPolicy: {
                lifetimeActions: [{ trigger: { timeAfterCreate: "P365D" }, action: { type: "rotate" } }],
              },
            }
          : {}),
      },
      tags: common.tags,
    },
    statefulOptions(parent, common),
  );
  if (options.logAnalyticsWorkspaceId !== undefined) {
    sendDiagnostics(childName(name, "audit"), parent, {
      resourceUri: vault.id,
      workspaceId: options.logAnalyticsWorkspaceId,
      logs: { categoryGroup: "audit" },
      metrics: true,
    });
  }
  const vaultUri = vault.properties.apply((p) => p.vaultUri ?? "");
  return { vault, key, vaultUri };
}
