import { beforeAll, expect, it } from "vitest";
import { AzureEncryptedStorage, AzurePrivateCluster } from "../../components/azure";
import type { Recorder } from "../../scripts/plan";
import { securityViews } from "../../scripts/plan/security";
import { startMocks } from "../helpers/mocks";
import { RG, subnetId, VNET_ID } from "./support";

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startMocks();
});

it("shows the plan the security settings of AKS, its pools, Key Vaults and storage", async () => {
  new AzurePrivateCluster("aks", {
    resourceGroupName: RG,
    network: {
      virtualNetworkId: VNET_ID,
      addressSpace: "10.30.0.0/16",
      systemSubnetId: subnetId("system"),
      outboundType: "userAssignedNATGateway",
    },
    adminGroupObjectIds: ["5f1c0d3e-1111-4a2b-9c3d-0123456789ab"],
    nodePools: [{ name: "gpu", vmSize: "Standard_NC24ads_A100_v4", maxCount: 2, priority: "Spot" }],
    placement: { region: "westeurope", jurisdiction: "EU" },
  });
  new AzureEncryptedStorage("data", {
    resourceGroupName: RG,
    network: { virtualNetworkId: VNET_ID, endpointSubnetId: subnetId("endpoints") },
  });
  await recorder.settle();
  const views = Object.fromEntries(
    securityViews(recorder.resources).map((v) => [
      v.title.replace(/ [^ ]+$/, ""),
      Object.fromEntries(v.facts),
    ]),
  );
  expect(views["AKS cluster"]).toMatchObject({
    // An existing VNet without an API server subnet: no VNet integration, so the vault stays public.
    "API server": "private (DNS zone system), public FQDN no, VNet integration no",
    authentication: expect.stringContaining("Azure RBAC yes, local accounts disabled"),
    network: "azure overlay, policy cilium, outbound userAssignedNATGateway",
    "secrets encryption": "Key Vault KMS (Public vault)",
    monitoring: "Container Insights, Entra ID auth",
    state: "protected, retained on delete",
  });
  expect(views["AKS pool"]).toMatchObject({
    capacity: "Spot, eviction Delete, max price -1",
    taints: "nvidia.com/gpu=true:NoSchedule, kubernetes.azure.com/scalesetpriority=spot:NoSchedule",
    "public IP": "no",
  });
  expect(views["Storage account"]).toEqual({
    kind: "StorageV2, Standard_ZRS",
    transport: "TLS >= TLS1_2, HTTPS only yes",
    network: "public access Disabled, default Deny",
    access: "shared keys off, public blobs off",
    encryption: "customer-managed key (Key Vault), infrastructure encryption yes",
    state: "protected, retained on delete",
  });
  expect(views["Key Vault"]).toMatchObject({ authorisation: "Azure RBAC" });
  // The platform phase declares no Kubernetes provider: the cluster phase builds it from the kubeconfig.
  expect(views["Kubernetes provider"]).toBeUndefined();
  expect(recorder.resources.filter((r) => r.type.includes("kubernetes"))).toEqual([]);
});
