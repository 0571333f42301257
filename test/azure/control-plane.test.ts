// The AKS control plane's args as a pure function: no Pulumi mocks, no resources, plain ids in.
import { describe, expect, it } from "vitest";
import {
  type AzurePrivateClusterArgs,
  CLUSTER_DEFAULTS,
  type ControlPlaneRefs,
  clusterArgsSchema,
  managedClusterArgs,
  resolveClusterArgs,
} from "../../components/azure/cluster";
import { dnsLabel, dnsServiceIp } from "../../components/azure/cluster/control-plane";
import { systemPoolProfile } from "../../components/azure/cluster/pools";
import { LABEL_POOL, LABEL_TRUST, SYSTEM_TAINT } from "../../components/facts";
import { RG, subnetId, VNET_ID } from "./support";

const ADMINS = "5f1c0d3e-1111-4a2b-9c3d-0123456789ab";
const BASE: AzurePrivateClusterArgs = {
  resourceGroupName: RG,
  network: {
    virtualNetworkId: VNET_ID,
    addressSpace: "10.30.0.0/16",
    systemSubnetId: subnetId("system"),
    outboundType: "userAssignedNATGateway",
  },
  adminGroupObjectIds: [ADMINS],
  placement: { region: "westeurope", jurisdiction: "EU" },
};
const TAGS = { environment: "dev", "managed-by": "hybrid-ai-infra", "data-classification": "internal" };
const REFS: Omit<ControlPlaneRefs, "agentPoolProfiles"> = {
  resourceGroupName: RG,
  tenantId: "tenant-1",
  controlPlaneIdentityId: "id-control-plane",
  kubelet: { resourceId: "id-kubelet", clientId: "client-kubelet", objectId: "object-kubelet" },
  workspaceId: "id-workspace",
  kmsKeyId: "https://kv.vault.azure.net/keys/etcd/0123",
  kmsKeyVaultId: "id-vault",
};

/** The control plane's args for `extra` on top of BASE, in `environment`. */
function argsFor(extra: Partial<AzurePrivateClusterArgs> = {}, environment = "dev") {
  const parsed = clusterArgsSchema.parse({ ...BASE, ...extra });
  const common = {
    environment,
    dataClassification: "internal" as const,
    protectData: true,
    tags: { ...TAGS, environment },
  };
  const cluster = resolveClusterArgs("aks", parsed, common);
  // A cluster being created sends its system pool (see clusterPoolList).
  return managedClusterArgs(cluster, { ...REFS, agentPoolProfiles: [systemPoolProfile(cluster)] });
}

describe("managedClusterArgs (pure, no mocks)", () => {
  it("makes a private, Entra-only, Cilium overlay cluster with KMS and the system pool from args and ids alone", () => {
    expect(argsFor()).toEqual({
      resourceName: "aks-dev",
      resourceGroupName: RG,
      dnsPrefix: "aks-dev",
      sku: { name: "Base", tier: "Free" },
      supportPlan: "KubernetesOfficial",
      identity: { type: "UserAssigned", userAssignedIdentities: ["id-control-plane"] },
      identityProfile: {
        kubeletidentity: { resourceId: "id-kubelet", clientId: "client-kubelet", objectId: "object-kubelet" },
      },
      aadProfile: {
        managed: true,
        enableAzureRBAC: true,
        adminGroupObjectIDs: [ADMINS],
        tenantID: "tenant-1",
      },
      disableLocalAccounts: true,
      enableRBAC: true,
      apiServerAccessProfile: {
        enablePrivateCluster: true,
        privateDNSZone: "system",
        enablePrivateClusterPublicFQDN: false,
        disableRunCommand: true,
      },
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkDataplane: "cilium",
        networkPolicy: "cilium",
        podCidr: CLUSTER_DEFAULTS.podCidr,
        serviceCidr: CLUSTER_DEFAULTS.serviceCidr,
        dnsServiceIP: "10.245.0.10",
        outboundType: "userAssignedNATGateway",
        loadBalancerSku: "standard",
        ipFamilies: ["IPv4"],
      },
      addonProfiles: {
        omsagent: {
          enabled: true,
          config: { logAnalyticsWorkspaceResourceID: "id-workspace", useAADAuth: "true" },
        },
      },
      oidcIssuerProfile: { enabled: true },
      securityProfile: {
        workloadIdentity: { enabled: true },
        azureKeyVaultKms: { enabled: true, keyId: REFS.kmsKeyId, keyVaultNetworkAccess: "Public" },
        imageCleaner: { enabled: true, intervalHours: 168 },
      },
      autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
      agentPoolProfiles: [
        {
          name: "system",
          mode: "System",
          type: "VirtualMachineScaleSets",
          osType: "Linux",
          osSKU: "AzureLinux",
          vmSize: "Standard_D4ds_v5",
          osDiskType: "Ephemeral",
          osDiskSizeGB: 128,
          vnetSubnetID: subnetId("system"),
          availabilityZones: ["1", "2", "3"],
          enableAutoScaling: true,
          minCount: 2,
          maxCount: 3,
          count: 2,
          enableEncryptionAtHost: true,
          enableNodePublicIP: false,
          securityProfile: { sshAccess: "Disabled" },
          nodeTaints: [`${SYSTEM_TAINT.key}=${SYSTEM_TAINT.value}:${SYSTEM_TAINT.effect}`],
          nodeLabels: expect.objectContaining({ [LABEL_POOL]: "system", [LABEL_TRUST]: "public" }),
          upgradeSettings: { maxSurge: "33%" },
        },
      ],
      tags: TAGS,
    });
  });

  it("puts the API server in its subnet and keeps the KMS vault private once it has one, and bills Standard outside dev", () => {
    const args = argsFor(
      { location: "westeurope", network: { ...BASE.network, apiServerSubnetId: subnetId("apiserver") } },
      "prod",
    );
    expect(args).toMatchObject({
      resourceName: "aks-prod",
      location: "westeurope",
      sku: { tier: "Standard" },
      apiServerAccessProfile: { enableVnetIntegration: true, subnetId: subnetId("apiserver") },
      securityProfile: {
        azureKeyVaultKms: { keyVaultNetworkAccess: "Private", keyVaultResourceId: "id-vault" },
      },
      tags: { environment: "prod" },
    });
    // Asked for explicitly, a public vault is named by key only.
    const open = argsFor({
      kmsKeyVaultAccess: "Public",
      network: { ...BASE.network, apiServerSubnetId: subnetId("apiserver") },
    });
    expect(open.securityProfile).toMatchObject({ azureKeyVaultKms: { keyVaultNetworkAccess: "Public" } });
    expect(open.securityProfile).not.toHaveProperty("azureKeyVaultKms.keyVaultResourceId");
  });

  it("takes a given DNS zone with a subdomain, a pinned version, its own ranges, channels and system pool", () => {
    const zone = `/subscriptions/s/resourceGroups/${RG}/providers/Microsoft.Network/privateDnsZones/privatelink.westeurope.azmk8s.io`;
    const args = argsFor({
      clusterName: "ml_training_cluster",
      privateDnsZone: zone,
      kubernetesVersion: "1.35",
      skuTier: "Premium",
      runCommand: true,
      podCidr: "172.16.0.0/16",
      serviceCidr: "172.20.4.0/22",
      upgradeChannel: "stable",
      nodeOsUpgradeChannel: "SecurityPatch",
      availabilityZones: [],
      systemPool: {
        vmSize: "Standard_D8ds_v5",
        minCount: 3,
        maxCount: 5,
        osSku: "Ubuntu",
        osDiskSizeGiB: 512,
      },
    });
    expect(args).not.toHaveProperty("dnsPrefix");
    expect(args).toMatchObject({
      resourceName: "ml_training_cluster",
      fqdnSubdomain: "ml-training-cluster",
      kubernetesVersion: "1.35",
      sku: { tier: "Premium" },
      apiServerAccessProfile: { privateDNSZone: zone, disableRunCommand: false },
      networkProfile: { podCidr: "172.16.0.0/16", serviceCidr: "172.20.4.0/22", dnsServiceIP: "172.20.4.10" },
      autoUpgradeProfile: { upgradeChannel: "stable", nodeOSUpgradeChannel: "SecurityPatch" },
    });
    const [system] = args.agentPoolProfiles as unknown as Record<string, unknown>[];
    expect(system).toMatchObject({
      vmSize: "Standard_D8ds_v5",
      osSKU: "Ubuntu",
      minCount: 3,
      maxCount: 5,
      count: 3,
      // Larger than the size's local disk: a managed OS disk.
      osDiskType: "Managed",
      osDiskSizeGB: 512,
    });
    // A region without zones: the system pool names none.
    expect(system).not.toHaveProperty("availabilityZones");
  });

  it("is pure: the same input gives the same args, and the input is left as it was", () => {
    const parsed = clusterArgsSchema.parse(BASE);
    const before = structuredClone(parsed);
    const common = {
      environment: "dev",
      dataClassification: "internal" as const,
      protectData: true,
      tags: TAGS,
    };
    const cluster = resolveClusterArgs("aks", parsed, common);
    const refs = { ...REFS, agentPoolProfiles: [systemPoolProfile(cluster)] };
    expect(managedClusterArgs(cluster, refs)).toEqual(managedClusterArgs(cluster, refs));
    expect(parsed).toEqual(before);
  });

  it("derives DNS labels and the DNS service address as AKS documents them", () => {
    expect(dnsLabel("a_b")).toBe("a-b");
    expect(dnsLabel(`${"x".repeat(53)}-y`)).toBe("x".repeat(53));
    expect(dnsServiceIp("10.0.0.0/16")).toBe("10.0.0.10");
    expect(dnsServiceIp("10.96.0.0/12")).toBe("10.96.0.10");
  });
});
