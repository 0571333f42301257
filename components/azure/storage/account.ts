import { StorageAccount } from "@pulumi/azure-native/storage";
import type * as pulumi from "@pulumi/pulumi";
import { type Common, statefulOptions } from "../../kit";
import { type GroupAndRegion, locatedIn } from "../group";
import { uniqueName } from "../naming";
import { hardenedAccountArgs } from "../storage-account";
import type { CustomerManagedKey } from "./customer-managed-key";

/** How the account is named and made redundant. */
export interface AccountOptions extends GroupAndRegion {
  /** Start of the globally unique account name (a random suffix follows). */
  namePrefix: string;
  sku: "Standard_ZRS" | "Standard_GZRS" | "Standard_LRS";
}

/**
 * The hardened StorageV2 account: public network access off (the private endpoint is the way in),
 * no bypass, and every service encrypted with the customer-managed key. Protected like data.
 */
export function createAccount(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  cmk: CustomerManagedKey,
  options: AccountOptions,
): StorageAccount {
  return new StorageAccount(
    name,
    {
      accountName: uniqueName(name, parent, "storageAccount", options.namePrefix),
      resourceGroupName: options.resourceGroupName,
      ...locatedIn(options.location),
      sku: { name: options.sku },
      ...hardenedAccountArgs({
        publicNetworkAccess: "Disabled",
        bypass: "None",
        services: ["blob", "file", "queue", "table"],
        customerManagedKey: { keyName: cmk.key.name, keyVaultUri: cmk.vaultUri, identityId: cmk.identity.id },
      }),
      tags: common.tags,
    },
    // The identity's key role must be in effect, not only assigned, when the account first wraps its key.
    statefulOptions(parent, common, { dependsOn: [cmk.keyAccess, cmk.keyAccessInEffect, cmk.key] }),
  );
}
