import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity";
import { PrivateDnsZoneGroup, PrivateEndpoint } from "@pulumi/azure-native/network";
import { PrivateZone, VirtualNetworkLink } from "@pulumi/azure-native/privatedns";
import {
  BlobContainer,
  BlobServiceProperties,
  ManagementPolicy,
  StorageAccount,
} from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { componentSubject, parseOrThrow } from "../pulumi-free";
import {
  type CommonArgs,
  childName,
  commonArgsShape,
  input,
  resolveCommon,
  statefulOptions,
} from "../pulumi-kit";
import { azureContext } from "./context";
import { sendDiagnostics } from "./diagnostics";
import { LOCATION, privateDnsZoneId, RESOURCE_GROUP_NAME, SUBNET_ID, VNET_ID, WORKSPACE_ID } from "./ids";
import { createEncryptionKey } from "./key-vault";
import { uniqueName } from "./naming";
import { assignRole } from "./role-assignment";
import { hardenedAccountArgs } from "./storage-account";

/** The private DNS zone blob private endpoints resolve through (Azure public cloud). */
export const BLOB_PRIVATE_DNS_ZONE = "privatelink.blob.core.windows.net";

/** Where the storage account's private endpoint lives: an `AzureVnet`, or the ids of an existing VNet. */
export interface AzureStorageNetwork {
  /** VNet resource id; the private DNS zone is linked to it. */
  virtualNetworkId: pulumi.Input<string>;
  /** Subnet for the private endpoint (an `AzureVnet`'s endpoint subnet). */
  endpointSubnetId: pulumi.Input<string>;
}

/** Arguments of `AzureEncryptedStorage`. */
export interface AzureEncryptedStorageArgs extends CommonArgs {
  /** Resource group of the account, its Key Vault and identity (the stack creates it). */
  resourceGroupName: pulumi.Input<string>;
  /** Azure region, e.g. westeurope; default the resource group's. */
  location?: string;
  /** The VNet and subnet of the private endpoint: the only way in, as public network access is off. */
  network: AzureStorageNetwork;
  /** Start of the account name, 3-18 lower-case letters and digits (a random suffix follows). Default the component name without dashes. */
  accountNamePrefix?: string;
  /** Redundancy: "Standard_ZRS" (default, three zones), "Standard_GZRS" (plus a paired region) or "Standard_LRS". */
  sku?: "Standard_ZRS" | "Standard_GZRS" | "Standard_LRS";
  /** Private blob containers to create. Default ["datasets", "models"]. */
  containers?: string[];
  /** Days deleted blobs and containers stay recoverable (soft delete), 1-365. Default 30. */
  softDeleteRetentionDays?: number;
  /** Days a replaced or deleted blob version is kept before lifecycle management deletes it. Default 90. */
  noncurrentVersionExpirationDays?: number;
  /** An existing privatelink.blob.core.windows.net zone linked to the VNet; default a new zone and link (a VNet can link only one zone of that name). */
  privateDnsZoneId?: pulumi.Input<string>;
  /** Send blob and Key Vault audit logs to this Log Analytics workspace. */
  logAnalyticsWorkspaceId?: pulumi.Input<string>;
  /** Datasets stored in this account; the placement target in its region hosts them. */
  datasets?: string[];
}

const ACCOUNT_PREFIX = /^[a-z0-9]{3,18}$/;
const CONTAINER = z
  .string()
  .regex(
    /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
    "must be 3-63 lower-case letters, digits and single dashes, starting and ending with a letter or digit",
  );

const schema = z
  .strictObject({
    ...commonArgsShape,
    resourceGroupName: input(RESOURCE_GROUP_NAME),
    location: LOCATION.optional(),
    network: z.looseObject({
      virtualNetworkId: input(VNET_ID),
      endpointSubnetId: input(SUBNET_ID),
    }),
    accountNamePrefix: z
      .string()
      .regex(ACCOUNT_PREFIX, "must be 3-18 lower-case letters and digits (a random suffix follows)")
      .optional(),
    sku: z.enum(["Standard_ZRS", "Standard_GZRS", "Standard_LRS"]).optional(),
    containers: z.array(CONTAINER).optional(),
    softDeleteRetentionDays: z.number().int().min(1).max(365).optional(),
    noncurrentVersionExpirationDays: z.number().int().min(1).max(36500).optional(),
    privateDnsZoneId: input(privateDnsZoneId(BLOB_PRIVATE_DNS_ZONE)).optional(),
    logAnalyticsWorkspaceId: input(WORKSPACE_ID).optional(),
    datasets: z.array(z.string().min(1)).optional(),
  })
  .superRefine((args, ctx) => {
    const seen = new Map<string, number>();
    (args.containers ?? []).forEach((c, i) => {
      const first = seen.get(c);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["containers", i],
          message: `"${c}" repeats containers[${first}]`,
        });
      } else {
        seen.set(c, i);
      }
    });
  });

/**
 * A StorageV2 account for datasets and models: no public network access (a private endpoint with
 * its privatelink.blob DNS zone is the way in), network rules default Deny, TLS 1.2 and HTTPS only,
 * no shared keys (Entra ID only), no public blobs, infrastructure (double) encryption with a
 * customer-managed HSM key from a purge-protected Key Vault reached through a user-assigned identity
 * that holds only the crypto-service role on that key, blob versioning, blob and container soft
 * delete, expiry of old versions, and private containers.
 */
export class AzureEncryptedStorage extends pulumi.ComponentResource {
  /** The storage account name. */
  public readonly accountName: pulumi.Output<string>;
  /** The storage account's resource id. */
  public readonly accountId: pulumi.Output<string>;
  /** The blob endpoint (resolves to the private endpoint inside the VNet). */
  public readonly blobEndpoint: pulumi.Output<string>;
  /** The containers created. */
  public readonly containerNames: pulumi.Output<string[]>;
  /** The Key Vault holding the customer-managed key. */
  public readonly keyVaultId: pulumi.Output<string>;
  /** The customer-managed key's URI (versionless: the account follows rotations). */
  public readonly keyUri: pulumi.Output<string>;
  /** The user-assigned identity the account reads its key with. */
  public readonly identityId: pulumi.Output<string>;
  /** The blob private endpoint. */
  public readonly privateEndpointId: pulumi.Output<string>;
  /** The privatelink.blob private DNS zone the endpoint registers in. */
  public readonly privateDnsZoneId: pulumi.Output<string>;
  /** Datasets stored here. */
  public readonly datasets: pulumi.Output<string[]>;

  constructor(name: string, args: AzureEncryptedStorageArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(
      componentSubject("AzureEncryptedStorage", name),
      schema.superRefine((a, ctx) => {
        // The prefix defaults to the component name; Azure would reject a bad one only at deploy time.
        if (a.accountNamePrefix === undefined && !ACCOUNT_PREFIX.test(defaultPrefix(name))) {
          ctx.addIssue({
            code: "custom",
            path: ["accountNamePrefix"],
            message: `is not given, and the component name ${JSON.stringify(name)} makes no account name prefix (3-18 lower-case letters and digits once dashes are dropped); set accountNamePrefix`,
          });
        }
      }),
      args,
    );
    super("hybrid-ai-infra:index:AzureEncryptedStorage", name, {}, opts);
    const common = resolveCommon(parsed);
    const ctx = azureContext(this);
    const parent = { parent: this };
    const rg = parsed.resourceGroupName;
    const located = parsed.location === undefined ? {} : { location: parsed.location };
    const softDeleteDays = parsed.softDeleteRetentionDays ?? 30;

    // The key: HSM-backed, rotated yearly (the account follows new versions by itself), in a vault
    // with no public endpoint; Azure Storage reaches it as a trusted service.
    const identity = new UserAssignedIdentity(
      childName(name, "cmk"),
      { resourceGroupName: rg, ...located, tags: common.tags },
      parent,
    );
    const { vault, key, vaultUri } = createEncryptionKey(childName(name, "cmk"), this, common, ctx, {
      resourceGroupName: rg,
      location: parsed.location,
      vaultNamePrefix: `${name}-cmk`,
      keyName: "storage",
      publicNetworkAccess: "Disabled",
      rotateYearly: true,
      logAnalyticsWorkspaceId: parsed.logAnalyticsWorkspaceId,
    });
    const keyAccess = assignRole(childName(name, "cmk-encryption-user"), this, ctx, {
      role: "Key Vault Crypto Service Encryption User",
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
      scope: key.id,
      description: `Wrap and unwrap the account key of storage ${name}`,
    });

    const account = new StorageAccount(
      name,
      {
        accountName: uniqueName(
          name,
          this,
          "storageAccount",
          parsed.accountNamePrefix ?? defaultPrefix(name),
        ),
        resourceGroupName: rg,
        ...located,
        sku: { name: parsed.sku ?? "Standard_ZRS" },
        ...hardenedAccountArgs({
          publicNetworkAccess: "Disabled",
          bypass: "None",
          services: ["blob", "file", "queue", "table"],
          customerManagedKey: { keyName: key.name, keyVaultUri: vaultUri, identityId: identity.id },
        }),
        tags: common.tags,
      },
      // The identity must hold its key role before the account first wraps its key.
      statefulOptions(this, common, { dependsOn: [keyAccess, key] }),
    );

    const blobService = new BlobServiceProperties(
      name,
      {
        accountName: account.name,
        resourceGroupName: rg,
        blobServicesName: "default",
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: softDeleteDays, allowPermanentDelete: false },
        containerDeleteRetentionPolicy: { enabled: true, days: softDeleteDays },
      },
      parent,
    );
    const containers = parsed.containers ?? ["datasets", "models"];
    for (const container of containers) {
      new BlobContainer(
        childName(name, container),
        { accountName: account.name, resourceGroupName: rg, containerName: container, publicAccess: "None" },
        // Removing a container deletes its blobs, so containers are protected like the account.
        statefulOptions(this, common, { dependsOn: [blobService] }),
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
                    delete: { daysAfterCreationGreaterThan: parsed.noncurrentVersionExpirationDays ?? 90 },
                  },
                },
              },
            },
          ],
        },
      },
      { parent: this, dependsOn: [blobService] },
    );

    // The only way in: a private endpoint in the VNet, resolved through the privatelink zone.
    let privateDnsZoneId: pulumi.Output<string>;
    if (parsed.privateDnsZoneId === undefined) {
      const zone = new PrivateZone(
        childName(name, "blob-dns"),
        {
          resourceGroupName: rg,
          privateZoneName: BLOB_PRIVATE_DNS_ZONE,
          location: "Global",
          tags: common.tags,
        },
        parent,
      );
      new VirtualNetworkLink(
        childName(name, "blob-dns"),
        {
          resourceGroupName: rg,
          privateZoneName: zone.name,
          location: "Global",
          virtualNetwork: { id: parsed.network.virtualNetworkId },
          registrationEnabled: false,
          tags: common.tags,
        },
        parent,
      );
      privateDnsZoneId = zone.id;
    } else {
      privateDnsZoneId = pulumi.output(parsed.privateDnsZoneId);
    }
    const endpoint = new PrivateEndpoint(
      childName(name, "blob"),
      {
        resourceGroupName: rg,
        ...located,
        subnet: { id: parsed.network.endpointSubnetId },
        privateLinkServiceConnections: [
          { name: "blob", privateLinkServiceId: account.id, groupIds: ["blob"] },
        ],
        tags: common.tags,
      },
      parent,
    );
    new PrivateDnsZoneGroup(
      childName(name, "blob"),
      {
        resourceGroupName: rg,
        privateEndpointName: endpoint.name,
        privateDnsZoneGroupName: "default",
        privateDnsZoneConfigs: [{ name: "blob", privateDnsZoneId }],
      },
      parent,
    );

    if (parsed.logAnalyticsWorkspaceId !== undefined) {
      sendDiagnostics(
        childName(name, "blob-audit"),
        this,
        {
          resourceUri: pulumi.interpolate`${account.id}/blobServices/default`,
          workspaceId: parsed.logAnalyticsWorkspaceId,
          logs: { categoryGroup: "audit" },
          metrics: false,
        },
        [blobService],
      );
    }

    this.accountName = account.name;
    this.accountId = account.id;
    this.blobEndpoint = account.primaryEndpoints.apply((e) => e.blob);
    this.containerNames = pulumi.output(containers);
    this.keyVaultId = vault.id;
    this.keyUri = key.keyUri;
    this.identityId = identity.id;
    this.privateEndpointId = endpoint.id;
    this.privateDnsZoneId = privateDnsZoneId;
    this.datasets = pulumi.output(parsed.datasets ?? []);
    this.registerOutputs({
      accountName: this.accountName,
      accountId: this.accountId,
      blobEndpoint: this.blobEndpoint,
      containerNames: this.containerNames,
      keyVaultId: this.keyVaultId,
      keyUri: this.keyUri,
      identityId: this.identityId,
      privateEndpointId: this.privateEndpointId,
      privateDnsZoneId: this.privateDnsZoneId,
      datasets: this.datasets,
    });
  }
}

/** The account name prefix a component name gives: its letters and digits. */
function defaultPrefix(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}
