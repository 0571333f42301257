import { beforeAll, describe, expect, it } from "vitest";
import { AzureEncryptedStorage, type AzureEncryptedStorageArgs } from "../../components/azure";
import { BLOB_PRIVATE_DNS_ZONE } from "../../components/azure/internal";
import { MOCK_AZURE } from "../../components/testing";
import type { RecordedResource, Recorder } from "../../scripts/plan";
import { configErrorOf, expectStandardTags } from "../helpers/components";
import { descendants, ofType, one, resolved, startMocks } from "../helpers/mocks";
import { expectProtected, grantsOf, RG, roleId, subnetId, T, VNET_ID } from "./support";

const BASE: AzureEncryptedStorageArgs = {
  resourceGroupName: RG,
  network: { virtualNetworkId: VNET_ID, endpointSubnetId: subnetId("endpoints") },
};
const WORKSPACE = `/subscriptions/${MOCK_AZURE.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/platform`;

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startMocks();
});

async function build(
  name: string,
  extra: Partial<AzureEncryptedStorageArgs> = {},
): Promise<{ storage: AzureEncryptedStorage; rs: RecordedResource[]; account: RecordedResource }> {
  recorder.clear();
  const storage = new AzureEncryptedStorage(name, { ...BASE, ...extra });
  await recorder.settle();
  return { storage, rs: recorder.resources, account: one(recorder.resources, T.account, name) };
}

describe("AzureEncryptedStorage (defaults)", () => {
  let storage: AzureEncryptedStorage;
  let rs: RecordedResource[];
  let account: RecordedResource;

  beforeAll(async () => {
    ({ storage, rs, account } = await build("datasets", { datasets: ["web-crawl"] }));
  });

  it("is a ZRS StorageV2 account reachable only through its private endpoint, over TLS 1.2, with Entra ID only", () => {
    expect(account.inputs).toMatchObject({
      resourceGroupName: RG,
      kind: "StorageV2",
      sku: { name: "Standard_ZRS" },
      minimumTlsVersion: "TLS1_2",
      enableHttpsTrafficOnly: true,
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      isLocalUserEnabled: false,
      isSftpEnabled: false,
      allowCrossTenantReplication: false,
      publicNetworkAccess: "Disabled",
      networkRuleSet: { defaultAction: "Deny", bypass: "None" },
    });
    expect(String(account.inputs.accountName)).toMatch(/^datasets[a-z0-9]{6}$/);
  });

  it("encrypts twice, the outer layer with an HSM key in a purge-protected vault, through a user-assigned identity", async () => {
    const vault = one(rs, T.vault, "datasets-cmk");
    const key = one(rs, T.key, "datasets-cmk");
    const identityId = await resolved(storage.identityId);
    const vaultName = String(vault.inputs.vaultName);
    expect(account.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [identityId] });
    expect(account.inputs.encryption).toEqual({
      keySource: "Microsoft.Keyvault",
      // No key version: the account follows each rotation.
      keyVaultProperties: { keyName: "storage", keyVaultUri: `https://${vaultName}.vault.azure.net/` },
      encryptionIdentity: { encryptionUserAssignedIdentity: identityId },
      requireInfrastructureEncryption: true,
      services: {
        blob: { enabled: true, keyType: "Account" },
        file: { enabled: true, keyType: "Account" },
        queue: { enabled: true, keyType: "Account" },
        table: { enabled: true, keyType: "Account" },
      },
    });
    expect(vault.inputs.properties).toMatchObject({
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      enablePurgeProtection: true,
      softDeleteRetentionInDays: 90,
      publicNetworkAccess: "Disabled",
      networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
      sku: { family: "A", name: "premium" },
    });
    expect(key.inputs).toMatchObject({
      keyName: "storage",
      properties: {
        kty: "RSA-HSM",
        keySize: 3072,
        rotationPolicy: {
          lifetimeActions: [{ trigger: { timeAfterCreate: "P365D" }, action: { type: "rotate" } }],
        },
      },
    });

    // The identity holds the crypto-service role on this one key, and nothing else.
    const grant = one(rs, T.role, "datasets-cmk-encryption-user");
    expect(grantsOf(rs)).toEqual([
      {
        name: "datasets-cmk-encryption-user",
        role: "Key Vault Crypto Service Encryption User",
        scope: `/subscriptions/${MOCK_AZURE.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/${vaultName}/keys/storage`,
        principalId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
    expect(grant.inputs).toMatchObject({
      roleDefinitionId: roleId("Key Vault Crypto Service Encryption User"),
      principalType: "ServicePrincipal",
    });
    expect(account.dependsOn).toContain(grant.urn);
    expect(await resolved(storage.keyUri)).toBe(`https://${vaultName}.vault.azure.net/keys/storage`);
  });

  it("versions blobs, soft-deletes blobs and containers, expires old versions and keeps containers private", () => {
    expect(one(rs, T.blobService, "datasets").inputs).toMatchObject({
      blobServicesName: "default",
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: 30, allowPermanentDelete: false },
      containerDeleteRetentionPolicy: { enabled: true, days: 30 },
    });
    const containers = ofType(rs, T.container);
    expect(containers.map((c) => [c.name, c.inputs.containerName, c.inputs.publicAccess])).toEqual([
      ["datasets-datasets", "datasets", "None"],
      ["datasets-models", "models", "None"],
    ]);
    const policy = one(rs, T.lifecycle, "datasets").inputs.policy as {
      rules: {
        type: string;
        definition: { actions: { version: { delete: { daysAfterCreationGreaterThan: number } } } };
      }[];
    };
    expect(policy.rules[0]?.definition.actions.version.delete.daysAfterCreationGreaterThan).toBe(90);
  });

  it("puts a private endpoint in the VNet with its privatelink.blob zone, VNet link and zone group", async () => {
    const endpoint = one(rs, T.privateEndpoint, "datasets-blob");
    const accountId = await resolved(storage.accountId);
    expect(endpoint.inputs).toMatchObject({
      subnet: { id: subnetId("endpoints") },
      privateLinkServiceConnections: [{ name: "blob", privateLinkServiceId: accountId, groupIds: ["blob"] }],
    });
    const zone = one(rs, T.zone, "datasets-blob-dns");
    expect(zone.inputs).toMatchObject({ privateZoneName: BLOB_PRIVATE_DNS_ZONE, location: "Global" });
    expect(one(rs, T.zoneLink, "datasets-blob-dns").inputs).toMatchObject({
      privateZoneName: BLOB_PRIVATE_DNS_ZONE,
      virtualNetwork: { id: VNET_ID },
      registrationEnabled: false,
    });
    const zoneId = await resolved(storage.privateDnsZoneId);
    expect(zoneId).toMatch(/\/privateDnsZones\/privatelink\.blob\.core\.windows\.net$/);
    expect(one(rs, T.zoneGroup, "datasets-blob").inputs).toMatchObject({
      privateDnsZoneConfigs: [{ name: "blob", privateDnsZoneId: zoneId }],
    });
  });

  it("protects the account, the vault, the key and the containers; names and tags every child", () => {
    expectProtected([
      account,
      one(rs, T.vault, "datasets-cmk"),
      one(rs, T.key, "datasets-cmk"),
      ...ofType(rs, T.container),
    ]);
    const component = one(rs, "hybrid-ai-infra:index:AzureEncryptedStorage", "datasets");
    const children = descendants(rs, component.urn);
    expect(children.every((c) => c.name === "datasets" || c.name.startsWith("datasets-"))).toBe(true);
    expect(expectStandardTags(children)).toBeGreaterThanOrEqual(7);
    expect(ofType(rs, T.diagnostics)).toHaveLength(0);
  });

  it("resolves its outputs", async () => {
    const name = await resolved(storage.accountName);
    expect(await resolved(storage.blobEndpoint)).toBe(`https://${name}.blob.core.windows.net/`);
    expect(await resolved(storage.containerNames)).toEqual(["datasets", "models"]);
    expect(await resolved(storage.datasets)).toEqual(["web-crawl"]);
    expect(await resolved(storage.keyVaultId)).toMatch(
      /\/Microsoft\.KeyVault\/vaults\/datasets-cmk-[a-z0-9]{6}$/,
    );
    expect(await resolved(storage.privateEndpointId)).toMatch(/\/privateEndpoints\/datasets-blob/);
    const component = one(rs, "hybrid-ai-infra:index:AzureEncryptedStorage", "datasets");
    expect(component.outputs).toMatchObject({ accountName: name, containerNames: ["datasets", "models"] });
    expect(component.secretOutputs).toEqual([]);
  });
});

describe("AzureEncryptedStorage (options)", () => {
  it("reuses a given privatelink.blob zone, sends audit logs, and takes its own containers, SKU and retention", async () => {
    const zoneId = `/subscriptions/${MOCK_AZURE.subscriptionId}/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones/${BLOB_PRIVATE_DNS_ZONE}`;
    const { rs, account } = await build("models", {
      privateDnsZoneId: zoneId,
      logAnalyticsWorkspaceId: WORKSPACE,
      containers: ["checkpoints"],
      sku: "Standard_GZRS",
      softDeleteRetentionDays: 14,
      noncurrentVersionExpirationDays: 30,
      accountNamePrefix: "mdl",
    });
    expect(ofType(rs, T.zone)).toHaveLength(0);
    expect(ofType(rs, T.zoneLink)).toHaveLength(0);
    expect(one(rs, T.zoneGroup, "models-blob").inputs.privateDnsZoneConfigs).toEqual([
      { name: "blob", privateDnsZoneId: zoneId },
    ]);
    expect(account.inputs.sku).toEqual({ name: "Standard_GZRS" });
    expect(String(account.inputs.accountName)).toMatch(/^mdl[a-z0-9]{6}$/);
    expect(ofType(rs, T.container).map((c) => c.inputs.containerName)).toEqual(["checkpoints"]);
    expect(one(rs, T.blobService, "models").inputs).toMatchObject({
      deleteRetentionPolicy: { days: 14 },
      containerDeleteRetentionPolicy: { days: 14 },
    });
    const diagnostics = ofType(rs, T.diagnostics);
    expect(
      diagnostics.map((d) => [d.name, String(d.inputs.resourceUri).split("/").slice(-2).join("/")]),
    ).toEqual([
      ["models-cmk-audit", expect.stringMatching(/^vaults\/models-cmk-/)],
      ["models-blob-audit", "blobServices/default"],
    ]);
    const [vault, blobs] = diagnostics;
    expect(vault?.inputs).toMatchObject({
      workspaceId: WORKSPACE,
      logs: [{ categoryGroup: "audit", enabled: true }],
    });
    // Reads of the data are logged by name, not left to what the "audit" group holds.
    expect(blobs?.inputs).toMatchObject({
      workspaceId: WORKSPACE,
      logs: ["StorageRead", "StorageWrite", "StorageDelete"].map((category) => ({ category, enabled: true })),
    });
  });
});

describe("AzureEncryptedStorage arguments", () => {
  it("lists every problem at once and registers nothing", () => {
    recorder.clear();
    const error = configErrorOf(
      () =>
        new AzureEncryptedStorage("x", {
          ...BASE,
          network: { virtualNetworkId: VNET_ID, endpointSubnetId: "endpoints" },
          containers: ["Datasets", "models", "models"],
          softDeleteRetentionDays: 0,
          privateDnsZoneId:
            "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/privateDnsZones/example.com",
        }),
    );
    expect(error.message).toMatch(/^AzureEncryptedStorage "x": 6 problems/);
    expect(error.issues.map((i) => i.path)).toEqual([
      "network.endpointSubnetId",
      "containers[0]",
      "softDeleteRetentionDays",
      "privateDnsZoneId",
      "containers[2]",
      "accountNamePrefix",
    ]);
    expect(error.message).toContain('containers[2]: "models" repeats containers[1]');
    expect(error.message).toContain(
      'accountNamePrefix: is not given, and the component name "x" makes no account name prefix',
    );
    expect(recorder.resources).toHaveLength(0);
  });

  it("keeps datasets in the datasets container, where workload identities read them", () => {
    const error = configErrorOf(
      () => new AzureEncryptedStorage("mlstore", { ...BASE, containers: ["models"], datasets: ["notes"] }),
    );
    expect(error.message).toContain('containers: has no "datasets" container, where the datasets given live');
  });
});

describe("AzureEncryptedStorage with a fixed endpoint address (issue 19.16)", () => {
  it("pins the blob member's address, and the account's egress address is that one, known before the endpoint exists", async () => {
    const { storage, rs } = await build("pinned", {
      network: { ...BASE.network, endpointIp: "10.30.192.40" },
    });
    expect(one(rs, T.privateEndpoint, "pinned-blob").inputs.ipConfigurations).toEqual([
      { name: "blob", groupId: "blob", memberName: "blob", privateIPAddress: "10.30.192.40" },
    ]);
    expect(await resolved(storage.blobEndpointIp)).toBe("10.30.192.40");
    expect(
      configErrorOf(
        () =>
          new AzureEncryptedStorage("bad", {
            ...BASE,
            network: { ...BASE.network, endpointIp: "10.30.192" },
          }),
      ).message,
    ).toContain("network.endpointIp");
  });
});
