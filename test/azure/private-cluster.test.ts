import { ManagedCluster } from "@pulumi/azure-native/containerservice";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
  AKS_LOG_CATEGORIES,
  type AzureClusterNetwork,
  AzureGpuNodePool,
  AzureNodePool,
  AzurePrivateCluster,
  type AzurePrivateClusterArgs,
  AzureVnet,
  azureClusterTarget,
} from "../../components/azure";
import { azureClusterAddons } from "../../components/azure/cluster/addons";
import { AKS_AAD_SERVER_ID } from "../../components/azure/internal";
import { LABEL_POOL, SYSTEM_TAINT } from "../../components/facts";
import { MOCK_AZURE } from "../../components/testing";
import type { RecordedResource, Recorder } from "../../scripts/plan";
import { configErrorOf, expectStandardTags } from "../helpers/components";
import { descendants, ofType, one, resolved, startMocks } from "../helpers/mocks";
import { expectProtected, grantsOf, RG, roleId, subnetId, T, VNET_ID } from "./support";

const ADMINS = "5f1c0d3e-1111-4a2b-9c3d-0123456789ab";
const NETWORK: AzureClusterNetwork = {
  virtualNetworkId: VNET_ID,
  addressSpace: "10.30.0.0/16",
  systemSubnetId: subnetId("system"),
  gpuSubnetId: subnetId("gpu"),
  outboundType: "userAssignedNATGateway",
};
const BASE: AzurePrivateClusterArgs = {
  resourceGroupName: RG,
  network: NETWORK,
  adminGroupObjectIds: [ADMINS],
  placement: { region: "westeurope", jurisdiction: "EU" },
};

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startMocks();
});

async function build(
  name: string,
  extra: Partial<AzurePrivateClusterArgs> = {},
): Promise<{ cluster: AzurePrivateCluster; rs: RecordedResource[]; aks: RecordedResource }> {
  recorder.clear();
  const cluster = new AzurePrivateCluster(name, { ...BASE, ...extra });
  await recorder.settle();
  return { cluster, rs: recorder.resources, aks: one(recorder.resources, T.cluster, name) };
}

describe("AzurePrivateCluster (defaults)", () => {
  let cluster: AzurePrivateCluster;
  let rs: RecordedResource[];
  let aks: RecordedResource;

  beforeAll(async () => {
    ({ cluster, rs, aks } = await build("aks"));
  });

  it("is a private cluster with no public FQDN, Entra ID with Azure RBAC, local accounts off and no run command", () => {
    expect(aks.inputs).toMatchObject({
      resourceName: "aks-dev",
      resourceGroupName: RG,
      dnsPrefix: "aks-dev",
      apiServerAccessProfile: {
        enablePrivateCluster: true,
        privateDNSZone: "system",
        enablePrivateClusterPublicFQDN: false,
        disableRunCommand: true,
      },
      aadProfile: {
        managed: true,
        enableAzureRBAC: true,
        adminGroupObjectIDs: [ADMINS],
        tenantID: MOCK_AZURE.tenantId,
      },
      disableLocalAccounts: true,
      enableRBAC: true,
      // Free in dev; Standard elsewhere (next suite).
      sku: { name: "Base", tier: "Free" },
      autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
      oidcIssuerProfile: { enabled: true },
    });
    expect(aks.inputs.apiServerAccessProfile).not.toHaveProperty("enableVnetIntegration");
    expect(aks.inputs).not.toHaveProperty("fqdnSubdomain");
  });

  it("runs Azure CNI overlay with Cilium enforcing network policy, egress as the network says", () => {
    expect(aks.inputs.networkProfile).toEqual({
      networkPlugin: "azure",
      networkPluginMode: "overlay",
      networkDataplane: "cilium",
      networkPolicy: "cilium",
      podCidr: "10.244.0.0/16",
      serviceCidr: "10.245.0.0/16",
      dnsServiceIP: "10.245.0.10",
      outboundType: "userAssignedNATGateway",
      loadBalancerSku: "standard",
      ipFamilies: ["IPv4"],
    });
  });

  it("encrypts etcd with a Key Vault key only the control-plane identity may use, and enables workload identity", () => {
    const vault = one(rs, T.vault, "aks-kms");
    const key = one(rs, T.key, "aks-kms");
    expect(aks.inputs.securityProfile).toEqual({
      workloadIdentity: { enabled: true },
      azureKeyVaultKms: {
        enabled: true,
        keyId: expect.stringMatching(
          new RegExp(
            `^https://${String(vault.inputs.vaultName)}\\.vault\\.azure\\.net/keys/etcd/[0-9a-f]{32}$`,
          ),
        ),
        keyVaultNetworkAccess: "Public",
      },
      imageCleaner: { enabled: true, intervalHours: 168 },
    });
    expect(vault.inputs).toMatchObject({
      resourceGroupName: RG,
      properties: {
        tenantId: MOCK_AZURE.tenantId,
        sku: { family: "A", name: "premium" },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        enablePurgeProtection: true,
        enabledForDeployment: false,
        enabledForDiskEncryption: false,
        enabledForTemplateDeployment: false,
        // The KMS plugin cannot pass a vault firewall; access is Entra ID + RBAC on the key.
        publicNetworkAccess: "Enabled",
        networkAcls: { defaultAction: "Allow", bypass: "AzureServices" },
      },
    });
    expect(String(vault.inputs.vaultName)).toMatch(/^aks-kms-[a-z0-9]{6}$/);
    expect(String(vault.inputs.vaultName).length).toBeLessThanOrEqual(24);
    expect(key.inputs).toMatchObject({
      keyName: "etcd",
      vaultName: vault.inputs.vaultName,
      properties: { kty: "RSA-HSM", keySize: 3072, attributes: { enabled: true } },
    });
    // AKS KMS pins one key version: no timed rotation that the cluster would not follow.
    expect((key.inputs.properties as Record<string, unknown>).rotationPolicy).toBeUndefined();
  });

  it("creates user-assigned identities and their least-privilege grants before the cluster", async () => {
    const controlPlane = one(rs, T.identity, "aks-control-plane");
    const kubelet = one(rs, T.identity, "aks-kubelet");
    const principal = await resolved(cluster.controlPlanePrincipalId);
    const keyId = `/subscriptions/${MOCK_AZURE.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/${String(one(rs, T.vault, "aks-kms").inputs.vaultName)}/keys/etcd`;
    expect(grantsOf(rs)).toEqual([
      { name: "aks-kms-crypto-user", role: "Key Vault Crypto User", scope: keyId, principalId: principal },
      {
        name: "aks-kubelet-operator",
        role: "Managed Identity Operator",
        scope: await resolved(cluster.kubeletIdentityId),
        principalId: principal,
      },
      {
        name: "aks-network-gpu",
        role: "Network Contributor",
        scope: subnetId("gpu"),
        principalId: principal,
      },
      {
        name: "aks-network-system",
        role: "Network Contributor",
        scope: subnetId("system"),
        principalId: principal,
      },
    ]);
    for (const grant of ofType(rs, T.role)) {
      expect(grant.inputs.principalType).toBe("ServicePrincipal");
      expect(aks.dependsOn).toContain(grant.urn);
    }
    expect(one(rs, T.role, "aks-kms-crypto-user").inputs.roleDefinitionId).toBe(
      roleId("Key Vault Crypto User"),
    );
    expect(aks.inputs.identity).toEqual({
      type: "UserAssigned",
      userAssignedIdentities: [await resolved(cluster.controlPlaneIdentityId)],
    });
    expect(aks.inputs.identityProfile).toEqual({
      kubeletidentity: {
        resourceId: await resolved(cluster.kubeletIdentityId),
        clientId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        objectId: await resolved(cluster.kubeletPrincipalId),
      },
    });
    expect([controlPlane.inputs.resourceGroupName, kubelet.inputs.resourceGroupName]).toEqual([RG, RG]);
  });

  it("has a system pool with CriticalAddonsOnly, encryption at host, zones, no public IPs and no SSH", () => {
    expect(aks.inputs.agentPoolProfiles).toEqual([
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
        nodeLabels: expect.objectContaining({ [LABEL_POOL]: "system" }),
        upgradeSettings: { maxSurge: "33%" },
      },
    ]);
    // The pool list is decided against the running cluster (clusterPoolList), never replayed from
    // state, so nothing about it is ignored.
    expect(aks.ignoreChanges).toEqual([]);
  });

  it("sends control-plane logs and Key Vault audit events to a protected Log Analytics workspace", async () => {
    const workspace = one(rs, T.workspace, "aks-logs");
    expect(workspace.inputs).toMatchObject({
      sku: { name: "PerGB2018" },
      retentionInDays: 365,
      features: { disableLocalAuth: true, enableLogAccessUsingOnlyResourcePermissions: true },
    });
    const workspaceId = await resolved(cluster.logAnalyticsWorkspaceId);
    const logs = one(rs, T.diagnostics, "aks-control-plane-logs");
    expect(logs.inputs).toMatchObject({
      resourceUri: await resolved(cluster.clusterId),
      workspaceId,
      logAnalyticsDestinationType: "Dedicated",
      metrics: [{ category: "AllMetrics", enabled: true }],
    });
    expect((logs.inputs.logs as { category: string }[]).map((l) => l.category)).toEqual([
      ...AKS_LOG_CATEGORIES,
    ]);
    expect(AKS_LOG_CATEGORIES).toContain("kube-audit");
    expect(AKS_LOG_CATEGORIES).toContain("guard");
    expect(one(rs, T.diagnostics, "aks-kms-audit").inputs).toMatchObject({
      workspaceId,
      logs: [{ categoryGroup: "audit", enabled: true }],
    });
  });

  it("runs Container Insights into the same workspace, signing in with Entra ID, through a data collection rule on the cluster", async () => {
    const workspaceId = await resolved(cluster.logAnalyticsWorkspaceId);
    expect(aks.inputs.addonProfiles).toEqual({
      omsagent: {
        enabled: true,
        // The workspace takes no shared keys (disableLocalAuth), so the agent must use Entra ID.
        config: { logAnalyticsWorkspaceResourceID: workspaceId, useAADAuth: "true" },
      },
    });
    const rule = one(rs, T.dataCollectionRule, "aks-container-insights");
    expect(rule.inputs).toMatchObject({
      resourceGroupName: RG,
      kind: "Linux",
      dataSources: {
        extensions: [
          {
            name: "ContainerInsightsExtension",
            extensionName: "ContainerInsights",
            streams: ["Microsoft-ContainerInsights-Group-Default"],
            extensionSettings: { dataCollectionSettings: { enableContainerLogV2: true } },
          },
        ],
      },
      destinations: { logAnalytics: [{ name: "workspace", workspaceResourceId: workspaceId }] },
      dataFlows: [{ streams: ["Microsoft-ContainerInsights-Group-Default"], destinations: ["workspace"] }],
    });
    const association = one(rs, T.dataCollectionRuleAssociation, "aks-container-insights");
    expect(association.inputs).toMatchObject({
      associationName: "ContainerInsightsExtension",
      resourceUri: await resolved(cluster.clusterId),
      dataCollectionRuleId: expect.stringMatching(/\/providers\/Microsoft\.Insights\/dataCollectionRules\//),
    });
  });

  it("protects the cluster, the Key Vault, the key and the workspace", () => {
    expectProtected([
      aks,
      one(rs, T.vault, "aks-kms"),
      one(rs, T.key, "aks-kms"),
      one(rs, T.workspace, "aks-logs"),
    ]);
    for (const r of [...ofType(rs, T.identity), ...ofType(rs, T.role)]) expect(r.protect).toBe(false);
  });

  it("derives every child name from the component name and tags every taggable child", () => {
    const component = one(rs, "hybrid-ai-infra:index:AzurePrivateCluster", "aks");
    const children = descendants(rs, component.urn);
    expect(children.every((c) => c.name === "aks" || c.name.startsWith("aks-"))).toBe(true);
    expect(expectStandardTags(children)).toBeGreaterThanOrEqual(6);
  });

  it("hands out a secret kubeconfig that gets Entra ID tokens from kubelogin, and declares no Kubernetes provider", async () => {
    expect(await pulumi.isSecret(cluster.kubeconfig)).toBe(true);
    const doc = parseYaml(await resolved(cluster.kubeconfig)) as {
      clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
      users: { user: { exec: { command: string; args: string[] } } }[];
    };
    expect(doc.clusters[0]?.cluster.server).toBe(`https://${await resolved(cluster.privateFqdn)}:443`);
    expect(doc.clusters[0]?.cluster.server).toMatch(/\.privatelink\.westeurope\.azmk8s\.io:443$/);
    expect(doc.clusters[0]?.cluster["certificate-authority-data"]).toBe(
      Buffer.from("mock CA of aks-dev").toString("base64"),
    );
    expect(doc.users[0]?.user.exec).toMatchObject({
      command: "kubelogin",
      args: ["get-token", "--login", "azurecli", "--server-id", AKS_AAD_SERVER_ID],
    });
    const component = one(rs, "hybrid-ai-infra:index:AzurePrivateCluster", "aks");
    expect(component.secretOutputs).toEqual(["kubeconfig"]);
    expect(component.outputs?.kubeconfig).toBe("[secret]");
    // The platform phase only calls Azure: the cluster phase builds the provider from the kubeconfig.
    expect(rs.filter((r) => r.type === T.k8sProvider || r.type.startsWith("kubernetes:"))).toEqual([]);
    expect(cluster).not.toHaveProperty("kubernetesProvider");
    // No GPU pool: nothing for the cluster phase to run (AKS scales its own pools).
    expect(cluster.addons).toEqual({});
  });

  it("exposes the AKS ManagedCluster itself as an escape hatch: the recorded cluster, with the component's outputs", async () => {
    expect(cluster.managedCluster).toBeInstanceOf(ManagedCluster);
    expect(await resolved(cluster.managedCluster.urn)).toBe(aks.urn);
    expect(await resolved(cluster.managedCluster.id)).toBe(await resolved(cluster.clusterId));
    expect(await resolved(cluster.managedCluster.name)).toBe(await resolved(cluster.clusterName));
    // A child of the component, like every other resource it declares.
    expect(aks.parent).toBe(one(rs, "hybrid-ai-infra:index:AzurePrivateCluster", "aks").urn);
  });

  it("resolves its outputs and yields an azure placement target", async () => {
    expect(await resolved(cluster.clusterName)).toBe("aks-dev");
    expect(await resolved(cluster.clusterId)).toBe(
      `/subscriptions/${MOCK_AZURE.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.ContainerService/managedClusters/aks-dev`,
    );
    expect(await resolved(cluster.oidcIssuerUrl)).toMatch(
      /^https:\/\/westeurope\.oic\.prod-aks\.azure\.com\//,
    );
    expect(await resolved(cluster.nodeResourceGroup)).toBe(`MC_${RG}_aks-dev_westeurope`);
    expect(await resolved(cluster.kmsKeyId)).toMatch(/\/keys\/etcd\/[0-9a-f]{32}$/);
    expect(await resolved(cluster.gpuSubnetId)).toBe(subnetId("gpu"));
    expect(await resolved(cluster.target)).toEqual({
      name: "aks",
      cloud: "azure",
      region: "westeurope",
      jurisdiction: "EU",
      trust: "public",
      egressPricePerGiB: 0.09,
      datasets: [],
      pools: [],
    });
  });
});

describe("AzurePrivateCluster (options)", () => {
  it("takes the Standard tier outside dev, a given DNS zone, an explicit private KMS vault and Azure RBAC grants", async () => {
    const zone = `/subscriptions/${MOCK_AZURE.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Network/privateDnsZones/aks.privatelink.westeurope.azmk8s.io`;
    const reader = "0d6b9b55-2222-4c1e-8f00-aaaaaaaaaaaa";
    const ci = "7e3e0c11-3333-4a6b-9b00-bbbbbbbbbbbb";
    const { cluster, rs, aks } = await build("prod", {
      environment: "staging",
      network: { ...NETWORK, apiServerSubnetId: subnetId("apiserver") },
      kmsKeyVaultAccess: "Private",
      privateDnsZone: zone,
      kubernetesVersion: "1.35",
      rbacAssignments: [
        { principalId: ci, role: "ClusterAdmin", principalType: "ServicePrincipal" },
        { principalId: reader, role: "Reader", principalType: "Group", namespace: "ml-dev" },
      ],
    });
    const vault = one(rs, T.vault, "prod-kms");
    expect(aks.inputs).toMatchObject({
      resourceName: "prod-staging",
      fqdnSubdomain: "prod-staging",
      kubernetesVersion: "1.35",
      sku: { tier: "Standard" },
      apiServerAccessProfile: {
        privateDNSZone: zone,
        enableVnetIntegration: true,
        subnetId: subnetId("apiserver"),
      },
      securityProfile: {
        azureKeyVaultKms: {
          keyVaultNetworkAccess: "Private",
          keyVaultResourceId: expect.stringContaining(`/vaults/${String(vault.inputs.vaultName)}`),
        },
      },
    });
    expect(aks.inputs).not.toHaveProperty("dnsPrefix");
    expect(vault.inputs.properties).toMatchObject({
      publicNetworkAccess: "Disabled",
      networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
    });
    const clusterId = await resolved(cluster.clusterId);
    const grants = grantsOf(rs).map((g) => [g.name, g.role, g.scope.replace(clusterId, "<cluster>")]);
    expect(grants).toEqual(
      expect.arrayContaining([
        ["prod-kms-vault", "Key Vault Contributor", expect.stringContaining("/Microsoft.KeyVault/vaults/")],
        ["prod-dns-zone", "Private DNS Zone Contributor", zone],
        ["prod-network-vnet", "Network Contributor", VNET_ID],
        ["prod-network-apiserver", "Network Contributor", subnetId("apiserver")],
        [
          expect.stringMatching(/^prod-rbac-clusteradmin-[0-9a-f]{8}$/),
          "Azure Kubernetes Service RBAC Cluster Admin",
          "<cluster>",
        ],
        [
          expect.stringMatching(/^prod-rbac-reader-[0-9a-f]{8}$/),
          "Azure Kubernetes Service RBAC Reader",
          "<cluster>/namespaces/ml-dev",
        ],
      ]),
    );
    const rbac = ofType(rs, T.role).filter((r) => r.name.startsWith("prod-rbac-"));
    expect(rbac.map((r) => [r.inputs.principalId, r.inputs.principalType])).toEqual([
      [ci, "ServicePrincipal"],
      [reader, "Group"],
    ]);
    // Granted in Azure, not in the cluster: no provider, no Kubernetes object.
    expect(rs.filter((r) => r.type === T.k8sProvider || r.type.startsWith("kubernetes:"))).toEqual([]);
    expectStandardTags(rs, { environment: "staging", "managed-by": "hybrid-ai-infra" });
  });

  it("turns inline pools into GPU and general-purpose pool components that feed the placement target", async () => {
    const args: Partial<AzurePrivateClusterArgs> = {
      placement: { region: "westeurope", jurisdiction: "EU", trust: "private", datasets: ["corpus"] },
      nodePools: [
        { name: "general", vmSize: "Standard_D8ds_v5", maxCount: 4 },
        { name: "a100-spot", vmSize: "Standard_NC24ads_A100_v4", maxCount: 2, priority: "Spot" },
        {
          name: "h100",
          vmSize: "Standard_ND96isr_H100_v5",
          // ND sizes with InfiniBand do not offer encryption at host.
          encryptionAtHost: false,
          maxCount: 2,
          migProfile: "MIG7g",
          subnetId: subnetId("ib"),
        },
      ],
    };
    const { cluster, rs, aks } = await build("ml", args);
    expect(cluster.nodePools.general).toBeInstanceOf(AzureNodePool);
    expect(cluster.nodePools["a100-spot"]).toBeInstanceOf(AzureGpuNodePool);
    expect(cluster.nodePools.h100).toBeInstanceOf(AzureGpuNodePool);
    const pools = ofType(rs, T.agentPool);
    expect(
      pools.map((p) => [p.name, p.inputs.agentPoolName, p.inputs.vnetSubnetID, p.inputs.availabilityZones]),
    ).toEqual([
      ["ml-general", "general", subnetId("system"), ["1", "2", "3"]],
      ["ml-a100-spot", "a100spot", subnetId("gpu"), undefined],
      ["ml-h100", "h100", subnetId("ib"), undefined],
    ]);
    for (const p of pools) {
      expect(p.inputs).toMatchObject({ resourceName: "ml-dev", resourceGroupName: RG, mode: "User" });
      expect(p.inputs.nodeLabels).toMatchObject({ "hybrid-ai-infra.io/trust": "private" });
    }
    const poolComponents = rs.filter(
      (r) => r.type.startsWith("hybrid-ai-infra:index:Azure") && r.name.startsWith("ml-"),
    );
    for (const c of poolComponents) expect(c.dependsOn).toContain(aks.urn);
    expect(grantsOf(rs).find((g) => g.name === "ml-network-h100")).toMatchObject({
      role: "Network Contributor",
      scope: subnetId("ib"),
    });
    const target = await resolved(cluster.target);
    expect(target).toMatchObject({ name: "ml", trust: "private", datasets: ["corpus"] });
    expect(target.pools.map((p) => [p.name, p.node.gpu?.model ?? "-", p.spot])).toEqual([
      ["general", "-", false],
      ["a100-spot", "A100", true],
      ["h100", "H100-MIG7g", false],
    ]);
    expect(cluster.placementTarget).toEqual(target);
    // The same target, derived from config alone, before any resource exists.
    expect(azureClusterTarget("ml", { ...BASE, ...args })).toEqual(target);
  });

  it("keeps the KMS vault private by default once it has an API server subnet, and public only when asked", async () => {
    const network = { ...NETWORK, apiServerSubnetId: subnetId("apiserver") };
    const { rs, aks } = await build("secure", { network });
    expect(aks.inputs).toMatchObject({
      apiServerAccessProfile: { enableVnetIntegration: true, subnetId: subnetId("apiserver") },
      securityProfile: { azureKeyVaultKms: { keyVaultNetworkAccess: "Private" } },
    });
    expect(one(rs, T.vault, "secure-kms").inputs.properties).toMatchObject({
      publicNetworkAccess: "Disabled",
      networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
    });
    expect(grantsOf(rs).map((g) => [g.name, g.role])).toEqual(
      expect.arrayContaining([
        ["secure-kms-vault", "Key Vault Contributor"],
        ["secure-network-apiserver", "Network Contributor"],
      ]),
    );

    // "Public" by explicit choice: the API server still runs in the subnet, the vault is open.
    const open = await build("open", { network, kmsKeyVaultAccess: "Public" });
    expect(open.aks.inputs).toMatchObject({
      apiServerAccessProfile: { enableVnetIntegration: true, subnetId: subnetId("apiserver") },
      securityProfile: { azureKeyVaultKms: { keyVaultNetworkAccess: "Public" } },
    });
    expect(one(open.rs, T.vault, "open-kms").inputs.properties).toMatchObject({
      publicNetworkAccess: "Enabled",
    });
    expect(grantsOf(open.rs).map((g) => g.name)).not.toContain("open-kms-vault");
  });

  it("leaves stateful children unprotected only when protectData is off", async () => {
    const { rs, aks } = await build("scratch", {
      protectData: false,
      logAnalyticsWorkspaceId:
        "/subscriptions/x/resourceGroups/y/providers/Microsoft.OperationalInsights/workspaces/shared",
    });
    expect([aks.protect, aks.retainOnDelete]).toEqual([false, false]);
    expect(one(rs, T.vault, "scratch-kms").protect).toBe(false);
    expect(ofType(rs, T.workspace)).toHaveLength(0);
    expect(one(rs, T.diagnostics, "scratch-control-plane-logs").inputs.workspaceId).toBe(
      "/subscriptions/x/resourceGroups/y/providers/Microsoft.OperationalInsights/workspaces/shared",
    );
  });
});

describe("AzurePrivateCluster arguments", () => {
  it("requires admin groups, with a reason, before registering anything", () => {
    recorder.clear();
    const { adminGroupObjectIds: _, ...withoutAdmins } = BASE;
    expect(() => new AzurePrivateCluster("bad", withoutAdmins as AzurePrivateClusterArgs)).toThrowError(
      'AzurePrivateCluster "bad": adminGroupObjectIds: is required: name at least one Entra ID group; with local accounts disabled nobody else can administer the cluster',
    );
    expect(() => new AzurePrivateCluster("bad", { ...BASE, adminGroupObjectIds: [] })).toThrowError(
      "adminGroupObjectIds: [] is too small: needs at least one Entra ID group: with local accounts disabled nobody else can administer the cluster",
    );
    expect(
      () => new AzurePrivateCluster("bad", { ...BASE, adminGroupObjectIds: ["platform-admins"] }),
    ).toThrowError('adminGroupObjectIds[0]: "platform-admins" is not an Entra ID object id (a GUID)');
    expect(recorder.resources).toHaveLength(0);
  });

  it("lists bad VM sizes, MIG on a non-MIG size, a private vault without VNet integration and clashing ranges in one error", () => {
    recorder.clear();
    const error = configErrorOf(
      () =>
        new AzurePrivateCluster("bad", {
          ...BASE,
          kmsKeyVaultAccess: "Private",
          serviceCidr: "10.30.128.0/17",
          systemPool: { vmSize: "Standard_NC4as_T4_v3" },
          nodePools: [
            { name: "web", vmSize: "Standard_D5_v9", maxCount: 2 },
            { name: "t4", vmSize: "Standard_NC8as_T4_v3", maxCount: 2, migProfile: "MIG1g" },
            { name: "cpu", vmSize: "Standard_D4ds_v5", maxCount: 2, gpuDriver: "None" },
            { name: "gpu-a100-training", vmSize: "Standard_NC24ads_A100_v4", maxCount: 1 },
          ],
          rbacAssignments: [{ principalId: ADMINS, role: "ClusterAdmin", namespace: "x" }],
        }),
    );
    expect(error.issues).toEqual([
      {
        path: "kmsKeyVaultAccess",
        message:
          '"Private" needs API server VNet integration: give network.apiServerSubnetId (an AzureVnet carves it unless apiServerSubnet is false)',
      },
      {
        path: "serviceCidr",
        message:
          '"10.30.128.0/17" overlaps network.addressSpace "10.30.0.0/16"; pods, services and nodes need distinct ranges',
      },
      {
        path: "rbacAssignments[0].namespace",
        message: 'ClusterAdmin is cluster-wide; use "Admin" for one namespace',
      },
      {
        path: "systemPool.vmSize",
        message: expect.stringMatching(/^"Standard_NC4as_T4_v3" is a GPU size; put it in a GPU pool/),
      },
      {
        path: "nodePools[0].vmSize",
        message: expect.stringMatching(
          /^"Standard_D5_v9" is not a known general-purpose size; pick a size of Dsv5, Ddsv5/,
        ),
      },
      {
        path: "nodePools[1].migProfile",
        message: expect.stringMatching(
          /^"MIG1g" needs a GPU that supports MIG .*; "Standard_NC8as_T4_v3" has T4$/,
        ),
      },
      { path: "nodePools[2].gpuDriver", message: 'only applies to GPU pools; "Standard_D4ds_v5" has no GPU' },
      {
        path: "nodePools[3].name",
        message: expect.stringMatching(
          /^"gpu-a100-training" makes the AKS agent pool name "gpua100training"/,
        ),
      },
    ]);
    expect(recorder.resources).toHaveLength(0);
  });

  it("checks the overlay ranges against an AzureVnet's address space, though the VNet's outputs are not known yet", () => {
    const vnet = new AzureVnet("clash", {
      resourceGroupName: RG,
      location: "westeurope",
      addressSpace: "10.244.0.0/16",
    });
    expect(vnet.addressSpaceCidr).toBe("10.244.0.0/16");
    recorder.clear();
    const error = configErrorOf(() => new AzurePrivateCluster("bad", { ...BASE, network: vnet }));
    expect(error.issues).toEqual([
      {
        path: "podCidr",
        message:
          '"10.244.0.0/16" overlaps network.addressSpaceCidr "10.244.0.0/16"; pods, services and nodes need distinct ranges',
      },
    ]);
    expect(recorder.resources).toHaveLength(0);
    // An existing VNet read from another stack: its space is an Output, so give the plain block too.
    const existing = new AzureVnet("legacy-net", {
      resourceGroupName: RG,
      location: "westeurope",
      existing: {
        virtualNetworkId: pulumi.output(VNET_ID),
        addressSpace: pulumi.output("10.245.0.0/16"),
        addressSpaceCidr: "10.245.0.0/16",
        systemSubnetId: subnetId("system"),
        endpointSubnetId: subnetId("endpoints"),
        outboundType: "userDefinedRouting",
      },
    });
    expect(() => new AzurePrivateCluster("bad", { ...BASE, network: existing })).toThrowError(
      'serviceCidr: "10.245.0.0/16" overlaps network.addressSpaceCidr "10.245.0.0/16"',
    );
  });

  it("rejects a DNS zone that is not an AKS private zone and pools that map to one agent pool name", () => {
    expect(() => new AzurePrivateCluster("bad", { ...BASE, privateDnsZone: "none" })).toThrowError(
      'privateDnsZone: "none" is neither "system" nor the id of a privatelink.<region>.azmk8s.io private DNS zone',
    );
    expect(
      () =>
        new AzurePrivateCluster("bad", {
          ...BASE,
          nodePools: [
            { name: "gpu-a", vmSize: "Standard_D4ds_v5", maxCount: 1 },
            { name: "gpua", vmSize: "Standard_D4ds_v5", maxCount: 1 },
          ],
        }),
    ).toThrowError(
      'nodePools[1].name: "gpua" gives the same AKS agent pool name as nodePools[0]; pick distinct names',
    );
  });
});

describe("AzurePrivateCluster: cluster-phase add-ons", () => {
  const a100 = { name: "a100", vmSize: "Standard_NC24ads_A100_v4", maxCount: 2 };
  const h100Mig = {
    name: "h100",
    vmSize: "Standard_ND96isr_H100_v5",
    encryptionAtHost: false,
    maxCount: 2,
    migProfile: "MIG3g" as const,
  };
  const operated = {
    name: "operated",
    vmSize: "Standard_NC24ads_A100_v4",
    maxCount: 2,
    gpuDriver: "None" as const,
  };
  const general = { name: "general", vmSize: "Standard_D8ds_v5", maxCount: 4 };

  it("splits NVIDIA's plugin by MIG strategy over the pools whose driver AKS installs", async () => {
    const nodePools = [general, h100Mig, operated, a100];
    const { cluster, rs } = await build("gpus", { nodePools });
    const expected = [
      { name: "nvidia-device-plugin", migStrategy: "none", pools: ["a100"], taints: [] },
      { name: "nvidia-device-plugin-mig", migStrategy: "single", pools: ["h100"], taints: [] },
    ];
    expect(cluster.addons).toEqual({ nvidiaDevicePlugins: expected });
    // The same data from config alone; nothing declared in the cluster by the platform phase.
    expect(azureClusterAddons({ nodePools })).toEqual({ nvidiaDevicePlugins: expected });
    expect(rs.filter((r) => r.type === T.k8sProvider || r.type.startsWith("kubernetes:"))).toEqual([]);
  });

  it("gives a MIG pool the single strategy, so each slice is one nvidia.com/gpu", () => {
    expect(azureClusterAddons({ nodePools: [h100Mig] })).toEqual({
      nvidiaDevicePlugins: [
        { name: "nvidia-device-plugin-mig", migStrategy: "single", pools: ["h100"], taints: [] },
      ],
    });
  });

  it("gives a non-MIG GPU pool the none strategy, with the pool's own taints", () => {
    const taints = [{ key: "team", value: "vision", effect: "NoSchedule" as const }];
    expect(azureClusterAddons({ nodePools: [{ ...a100, taints }] })).toEqual({
      nvidiaDevicePlugins: [{ name: "nvidia-device-plugin", migStrategy: "none", pools: ["a100"], taints }],
    });
  });

  it("leaves out pools whose driver a GPU operator manages, and CPU pools", async () => {
    expect(azureClusterAddons({ nodePools: [operated] })).toEqual({});
    expect(azureClusterAddons({ nodePools: [{ ...h100Mig, gpuDriver: "None" }] })).toEqual({});
    expect(azureClusterAddons({ nodePools: [general] })).toEqual({});
    expect((await build("operator", { nodePools: [operated, general] })).cluster.addons).toEqual({});
  });

  it("gives none when the plugin is turned off", async () => {
    expect(azureClusterAddons({ nodePools: [a100, h100Mig], gpuDevicePlugin: false })).toEqual({});
    expect((await build("off", { nodePools: [a100], gpuDevicePlugin: false })).cluster.addons).toEqual({});
  });
});
