import {
  BlobContainer,
  BlobServiceProperties,
  ManagementPolicy,
  type StorageAccount,
} from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { type Common, childName, statefulOptions } from "../../kit";
import { sendDiagnostics } from "../diagnostics";

/** How long deleted and replaced data is kept, and which containers there are. */
export interface BlobServiceOptions {
  resourceGroupName: pulumi.Input<string>;
  containers: readonly string[];
  softDeleteRetentionDays: number;
  noncurrentVersionExpirationDays: number;
  /** Shorter retention of old versions under given folders. */
  retentionByPrefix?: readonly { container: string; prefix: string; days: number }[] | undefined;
}

/**
 * The blob service: versioning, soft delete of blobs and containers, lifecycle management that
 * expires old versions, and private containers (protected like the account: removing a container
 * deletes its blobs). Returns the service settings, which containers and audit wait for.
 */
export function configureBlobService(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  account: StorageAccount,
  options: BlobServiceOptions,
): BlobServiceProperties {
  const rg = options.resourceGroupName;
  const days = options.softDeleteRetentionDays;
  const blobService = new BlobServiceProperties(
    name,
    {
      accountName: account.name,
      resourceGroupName: rg,
      blobServicesName: "default",
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days, allowPermanentDelete: false },
      containerDeleteRetentionPolicy: { enabled: true, days },
    },
    { parent },
  );
  for (const container of options.containers) {
    new BlobContainer(
      childName(name, container),
      { accountName: account.name, resourceGroupName: rg, containerName: container, publicAccess: "None" },
      // Removing a container deletes its blobs, so containers are protected like the account.
      statefulOptions(parent, common, { dependsOn: [blobService] }),
    );
  }
  new ManagementPolicy(
    name,
    {
      accountName: account.name,
      resourceGroupName: rg,
      managementPolicyName: "default",
      policy: {
        rules: [
          {
            name: "expire-noncurrent-versions",
            enabled: true,
            type: "Lifecycle",
            definition: {
              filters: { blobTypes: ["blockBlob"] },
              actions: {
                version: {
                  delete: { daysAfterCreationGreaterThan: options.noncurrentVersionExpirationDays },
                },
              },
            },
          },
          ...(options.retentionByPrefix ?? []).map((r) => ({
            name: `retain-${r.container}-${r.prefix}`.replace(/[^A-Za-z0-9-]/g, "-"),
            enabled: true,
            type: "Lifecycle",
            definition: {
              filters: { blobTypes: ["blockBlob"], prefixMatch: [`${r.container}/${r.prefix}/`] },
              actions: { version: { delete: { daysAfterCreationGreaterThan: r.days } } },
            },
          })),
        ],
      },
    },
    { parent, dependsOn: [blobService] },
  );
  return blobService;
}

/**
 * Every blob request category of the blob service: reads (downloads, listings, properties), writes
 * and deletes (Azure Monitor's supported logs for Microsoft.Storage/storageAccounts/blobServices).
 * Named one by one rather than as the "audit" category group, whose members Microsoft may change
 * and whose published list does not say it holds StorageRead: a read of confidential data must
 * leave a record.
 */
export const BLOB_LOG_CATEGORIES = ["StorageRead", "StorageWrite", "StorageDelete"] as const;

/** Sends the blob service's logs (who read, wrote or deleted what) to a Log Analytics workspace. */
export function auditBlobs(
  name: string,
  parent: pulumi.Resource,
  account: StorageAccount,
  blobService: BlobServiceProperties,
  workspaceId: pulumi.Input<string>,
): void {
  sendDiagnostics(
    childName(name, "blob-audit"),
    parent,
    {
      resourceUri: pulumi.interpolate`${account.id}/blobServices/default`,
      workspaceId,
      logs: { categories: BLOB_LOG_CATEGORIES },
      metrics: false,
    },
    [blobService],
  );
}
