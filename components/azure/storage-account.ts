import type { StorageAccountArgs } from "@pulumi/azure-native/storage";
import type * as pulumi from "@pulumi/pulumi";

/** The storage services an account encrypts with its account-scoped key. */
type StorageService = "blob" | "file" | "queue" | "table";

/** What differs between the hardened accounts: the network path in, and whose key encrypts. */
export interface HardeningOptions {
  /**
   * "Disabled": only private endpoints reach the account. "Enabled": the firewall below decides;
   * needed when a trusted Azure service must write (Network Watcher's flow logs), as the trusted
   * services bypass only applies while public network access is on.
   */
  publicNetworkAccess: "Enabled" | "Disabled";
  /** Who passes the firewall's Deny default: nobody, or trusted Azure services. */
  bypass: "None" | "AzureServices";
  /** Services whose data is encrypted with the account-scoped key (queues and tables only take it at creation). */
  services: readonly StorageService[];
  /** A customer-managed key, read through a user-assigned identity; default Microsoft-managed keys. */
  customerManagedKey?: {
    /** The key's name; no version, so the account follows each rotation. */
    keyName: pulumi.Input<string>;
    keyVaultUri: pulumi.Input<string>;
    /** The user-assigned identity that holds the crypto role on the key. */
    identityId: pulumi.Input<string>;
  };
}

/**
 * The settings every storage account of this library has: StorageV2, TLS 1.2 and HTTPS only, no
 * public blobs, Entra ID only (no shared keys, account SAS or local/SFTP users), no cross-tenant
 * replication or copies, a Deny-by-default firewall, and infrastructure (double) encryption. The
 * caller adds the name, group, location, SKU and tags.
 */
export function hardenedAccountArgs(
  options: HardeningOptions,
): Omit<StorageAccountArgs, "resourceGroupName" | "sku"> {
  const cmk = options.customerManagedKey;
  return {
    kind: "StorageV2",
    accessTier: "Hot",
    minimumTlsVersion: "TLS1_2",
    enableHttpsTrafficOnly: true,
    allowBlobPublicAccess: false,
    // Entra ID only: no account keys, no account SAS, no local (SFTP) users.
    allowSharedKeyAccess: false,
    defaultToOAuthAuthentication: true,
    isLocalUserEnabled: false,
    isSftpEnabled: false,
    allowCrossTenantReplication: false,
    // Server-side copies only from accounts of the same Entra ID tenant.
    allowedCopyScope: "AAD",
    publicNetworkAccess: options.publicNetworkAccess,
    networkRuleSet: { defaultAction: "Deny", bypass: options.bypass },
    ...(cmk ? { identity: { type: "UserAssigned", userAssignedIdentities: [cmk.identityId] } } : {}),
    encryption: {
      ...(cmk
        ? {
            keySource: "Microsoft.Keyvault",
            keyVaultProperties: { keyName: cmk.keyName, keyVaultUri: cmk.keyVaultUri },
            encryptionIdentity: { encryptionUserAssignedIdentity: cmk.identityId },
          }
        : { keySource: "Microsoft.Storage" }),
      requireInfrastructureEncryption: true,
      services: Object.fromEntries(options.services.map((s) => [s, { enabled: true, keyType: "Account" }])),
    },
  };
}
