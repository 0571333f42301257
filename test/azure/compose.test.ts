// The way a stack composes the Azure site: a resource group, the VNet, the cluster and storage on it.
import { ResourceGroup } from "@pulumi/azure-native/resources";
import { beforeAll, expect, it } from "vitest";
import { AzureEncryptedStorage, AzurePrivateCluster, AzureVnet } from "../../components/azure";
import { MOCK_AZURE } from "../../components/testing";
import type { Recorder } from "../../scripts/plan";
import { ofType, one, resolved, startMocks } from "../helpers/mocks";
import { grantsOf, T } from "./support";

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startMocks({ stack: "staging" });
});

it("composes a VNet, a private cluster on its subnets (private KMS vault by default) and storage behind its endpoint subnet", async () => {
  const group = new ResourceGroup("azure", {
    resourceGroupName: "rg-hybrid-staging",
    location: "westeurope",
  });
  const vnet = new AzureVnet("azure", {
    resourceGroupName: group.name,
    location: "westeurope",
    addressSpace: "10.30.0.0/16",
  });
  const aks = new AzurePrivateCluster("aks", {
    resourceGroupName: group.name,
    location: "westeurope",
    network: vnet,
    adminGroupObjectIds: ["5f1c0d3e-1111-4a2b-9c3d-0123456789ab"],
    nodePools: [{ name: "gpu", vmSize: "Standard_NC24ads_A100_v4", maxCount: 2, priority: "Spot" }],
    placement: { region: "westeurope", jurisdiction: "EU" },
  });
  const storage = new AzureEncryptedStorage("datasets", {
    resourceGroupName: group.name,
    location: "westeurope",
    network: vnet,
    datasets: ["corpus"],
  });
  await recorder.settle();
  const rs = recorder.resources;

  const subnets = Object.fromEntries(ofType(rs, T.subnet).map((s) => [String(s.inputs.subnetName), s]));
  const id = (name: string) =>
    `/subscriptions/${MOCK_AZURE.subscriptionId}/resourceGroups/rg-hybrid-staging/providers/Microsoft.Network/virtualNetworks/${String(subnets[name]?.inputs.virtualNetworkName)}/subnets/${name}`;
  const cluster = one(rs, T.cluster, "aks");
  expect(cluster.inputs).toMatchObject({
    resourceGroupName: "rg-hybrid-staging",
    sku: { tier: "Standard" },
    apiServerAccessProfile: { enableVnetIntegration: true, subnetId: id("apiserver") },
    networkProfile: { outboundType: "userAssignedNATGateway" },
    // Secure by default: the VNet carves the API server's subnet, so the KMS vault stays private.
    securityProfile: {
      azureKeyVaultKms: {
        keyVaultNetworkAccess: "Private",
        keyVaultResourceId: expect.stringContaining("/providers/Microsoft.KeyVault/vaults/"),
      },
    },
  });
  expect(one(rs, T.vault, "aks-kms").inputs.properties).toMatchObject({
    publicNetworkAccess: "Disabled",
    networkAcls: { defaultAction: "Deny" },
  });
  expect(grantsOf(rs).find((g) => g.name === "aks-kms-vault")?.role).toBe("Key Vault Contributor");
  expect((cluster.inputs.agentPoolProfiles as { vnetSubnetID: string }[])[0]?.vnetSubnetID).toBe(
    id("system"),
  );
  expect(one(rs, T.agentPool, "aks-gpu").inputs.vnetSubnetID).toBe(id("gpu"));
  expect(
    grantsOf(rs)
      .filter((g) => g.role === "Network Contributor")
      .map((g) => g.scope),
  ).toEqual([id("apiserver"), id("gpu"), id("system")]);
  expect(one(rs, T.privateEndpoint, "datasets-blob").inputs.subnet).toMatchObject({ id: id("endpoints") });
  expect(one(rs, T.zoneLink, "datasets-blob-dns").inputs.virtualNetwork).toEqual({
    id: await resolved(vnet.virtualNetworkId),
  });
  expect(await resolved(aks.target)).toMatchObject({ cloud: "azure", pools: [{ name: "gpu", spot: true }] });
  expect(await resolved(storage.datasets)).toEqual(["corpus"]);
  expect(one(rs, T.account, "datasets").inputs.tags).toMatchObject({ environment: "staging" });
});
