import * as pulumi from "@pulumi/pulumi";
import { resolveCommon } from "../../kit";
import { componentSubject, parseOrThrow } from "../../validation";
import { azureContext } from "../context";
import { RBAC_PROPAGATION_DEFAULT_SECONDS } from "../rbac-propagation";
import { createAccount } from "./account";
import {
  type AzureEncryptedStorageArgs,
  defaultPrefix,
  STORAGE_DEFAULTS,
  storageArgsSchemaFor,
} from "./args";
import { auditBlobs, configureBlobService } from "./blob-service";
import { createCustomerManagedKey } from "./customer-managed-key";
import { createBlobEndpoint } from "./private-endpoint";

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
  /** The blob private endpoint's address: the one address workloads reach the account at. */
  public readonly blobEndpointIp: pulumi.Output<string>;
  /** The privatelink.blob private DNS zone the endpoint registers in. */
  public readonly privateDnsZoneId: pulumi.Output<string>;
  /** Datasets stored here. */
  public readonly datasets: pulumi.Output<string[]>;

  constructor(name: string, args: AzureEncryptedStorageArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(
      componentSubject("AzureEncryptedStorage", name),
      storageArgsSchemaFor(name),
      args,
    );
    super("hybrid-ai-infra:index:AzureEncryptedStorage", name, {}, opts);
    const common = resolveCommon(parsed);
    const ctx = azureContext(this);
    const where = { resourceGroupName: parsed.resourceGroupName, location: parsed.location };
    const containers = parsed.containers ?? [...STORAGE_DEFAULTS.containers];

    const cmk = createCustomerManagedKey(name, this, common, ctx, {
      ...where,
      logAnalyticsWorkspaceId: parsed.logAnalyticsWorkspaceId,
      rbacPropagationSeconds: parsed.rbacPropagationSeconds ?? RBAC_PROPAGATION_DEFAULT_SECONDS,
    });
    const account = createAccount(name, this, common, cmk, {
      ...where,
      namePrefix: parsed.accountNamePrefix ?? defaultPrefix(name),
      sku: parsed.sku ?? STORAGE_DEFAULTS.sku,
    });
    const blobService = configureBlobService(name, this, common, account, {
      resourceGroupName: parsed.resourceGroupName,
      containers,
      softDeleteRetentionDays: parsed.softDeleteRetentionDays ?? STORAGE_DEFAULTS.softDeleteRetentionDays,
      noncurrentVersionExpirationDays:
        parsed.noncurrentVersionExpirationDays ?? STORAGE_DEFAULTS.noncurrentVersionExpirationDays,
      retentionByPrefix: parsed.retentionByPrefix,
    });
    const { endpoint, privateDnsZoneId, endpointIp } = createBlobEndpoint(name, this, {
      ...where,
      accountId: account.id,
      virtualNetworkId: parsed.network.virtualNetworkId,
      subnetId: parsed.network.endpointSubnetId,
      endpointIp: parsed.network.endpointIp,
      privateDnsZoneId: parsed.privateDnsZoneId,
      tags: common.tags,
    });
    if (parsed.logAnalyticsWorkspaceId !== undefined) {
      auditBlobs(name, this, account, blobService, parsed.logAnalyticsWorkspaceId);
    }

    this.accountName = account.name;
    this.accountId = account.id;
    this.blobEndpoint = account.primaryEndpoints.apply((e) => e.blob);
    this.containerNames = pulumi.output(containers);
    this.keyVaultId = cmk.vault.id;
    this.keyUri = cmk.key.keyUri;
    this.identityId = cmk.identity.id;
    this.privateEndpointId = endpoint.id;
    this.blobEndpointIp = endpointIp;
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
      blobEndpointIp: this.blobEndpointIp,
      privateDnsZoneId: this.privateDnsZoneId,
      datasets: this.datasets,
    });
  }
}
