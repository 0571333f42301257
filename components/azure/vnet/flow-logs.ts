import { FlowLog, getNetworkWatcher, NetworkWatcher } from "@pulumi/azure-native/network";
import { StorageAccount } from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { type Common, childName, statefulOptions } from "../../kit";
import { azureContext } from "../context";
import { createIdentity } from "../managed-identity";
import { uniqueName } from "../naming";
import { assignRole } from "../role-assignment";
import { hardenedAccountArgs } from "../storage-account";

/** Where the flows are recorded from and kept. */
export interface FlowLogOptions {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  /** The VNet whose flows are recorded. */
  virtualNetworkId: pulumi.Input<string>;
  retentionDays: number;
  networkWatcherName: string;
  networkWatcherResourceGroupName: string;
  /** Create the watcher (the subscription opted out of automatic creation) rather than look it up. */
  createNetworkWatcher: boolean;
}

/**
 * VNet flow logs. Flow logs are audit data: a storage account of their own, protected like data,
 * reachable only by trusted Azure services (Network Watcher) and written with an Entra ID identity
 * that holds only blob write access on it. Returns the account.
 */
export function recordFlowLogs(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  options: FlowLogOptions,
): StorageAccount {
  const ctx = azureContext(parent);
  const { resourceGroupName, location } = options;
  const storage = new StorageAccount(
    childName(name, "flow-logs"),
    {
      accountName: uniqueName(childName(name, "flow-logs"), parent, "storageAccount", `${name}flow`),
      resourceGroupName,
      location,
      sku: { name: "Standard_ZRS" },
      ...hardenedAccountArgs({
        // Network Watcher writes as a trusted service, which the firewall lets through only
        // while public network access is on; nothing else passes the Deny default.
        publicNetworkAccess: "Enabled",
        bypass: "AzureServices",
        services: ["blob"],
      }),
      // Marks a log sink, not a data account: the policy pack's private-network and
      // customer-managed-key rules for data accounts do not apply (policies/rules/azure.ts).
      tags: { ...common.tags, purpose: "flow-logs" },
    },
    statefulOptions(parent, common),
  );
  const writer = createIdentity(
    childName(name, "flow-logs"),
    parent,
    { resourceGroupName, location },
    common.tags,
  );
  const canWrite = assignRole(childName(name, "flow-logs-writer"), parent, ctx, {
    role: "Storage Blob Data Contributor",
    principalId: writer.principalId,
    principalType: "ServicePrincipal",
    scope: storage.id,
    description: `Network Watcher writes flow logs of VNet ${name}`,
  });
  new FlowLog(
    childName(name, "flow-logs"),
    {
      resourceGroupName: options.networkWatcherResourceGroupName,
      networkWatcherName: networkWatcher(name, parent, options, common.tags),
      location,
      targetResourceId: options.virtualNetworkId,
      storageId: storage.id,
      enabled: true,
      format: { type: "JSON", version: 2 },
      retentionPolicy: { enabled: true, days: options.retentionDays },
      identity: { type: "UserAssigned", userAssignedIdentities: [writer.id] },
      tags: common.tags,
    },
    { parent, dependsOn: [canWrite] },
  );
  return storage;
}

/**
 * The region's Network Watcher: created when asked, else read before anything is created so a
 * subscription that opted out of automatic creation learns what to set instead of a FlowLog 404.
 */
function networkWatcher(
  name: string,
  parent: pulumi.Resource,
  options: FlowLogOptions,
  tags: Record<string, string>,
): pulumi.Output<string> {
  const resourceGroupName = options.networkWatcherResourceGroupName;
  const networkWatcherName = options.networkWatcherName;
  if (options.createNetworkWatcher) {
    const watcher = new NetworkWatcher(
      childName(name, "network-watcher"),
      { resourceGroupName, networkWatcherName, location: options.location, tags },
      { parent },
    );
    return watcher.id.apply(() => networkWatcherName);
  }
  const found = getNetworkWatcher({ resourceGroupName, networkWatcherName }, { parent }).then(
    () => networkWatcherName,
    (e: unknown) => {
      throw new Error(
        `AzureVnet "${name}": no Network Watcher ${resourceGroupName}/${networkWatcherName} ` +
          `(${e instanceof Error ? e.message : String(e)}). Azure creates it with a region's first VNet ` +
          "unless the subscription opted out of automatic creation: set createNetworkWatcher: true, or " +
          "networkWatcherName and networkWatcherResourceGroupName to the region's watcher",
      );
    },
  );
  return pulumi.output(found);
}
