// The Azure rules on hand-written inputs: each rule fails on the insecure (or unset) setting and
// passes on the hardened one, and the library's own settings pass.
import { describe, expect, it } from "vitest";
import { hardenedAccountArgs } from "../../components/azure/storage-account";
import { AZURE_GPU_SIZES } from "../../components/facts";
import {
  AZURE_RULES,
  azureAksAzureRbac,
  azureAksEncryptionAtHost,
  azureAksGpuTaint,
  azureAksKmsEncryption,
  azureAksNetworkPolicy,
  azureAksNoLocalAccounts,
  azureAksNoNodePublicIp,
  azureAksPrivateCluster,
  azureKeyVaultPrivateNetwork,
  azureKeyVaultPurgeProtection,
  azureKeyVaultRbac,
  azureStorageCustomerManagedKey,
  azureStorageInfrastructureEncryption,
  azureStorageNoPublicBlobs,
  azureStorageNoSharedKey,
  azureStoragePrivateNetwork,
  azureStorageSecureTransport,
  hasNvidiaGpu,
} from "../../policies/rules/azure";
import { BENCHMARKS } from "../../policies/rules/kit";
import { violations } from "./evaluate";

const CLUSTER = "azure-native:containerservice:ManagedCluster";
const POOL = "azure-native:containerservice:AgentPool";
const ACCOUNT = "azure-native:storage:StorageAccount";
const VAULT = "azure-native:keyvault:Vault";

/** A cluster as hybrid-ai-infra's AzurePrivateCluster declares it (the prod plan, trimmed). */
const hardenedCluster = {
  aadProfile: { enableAzureRBAC: true, managed: true },
  agentPoolProfiles: [
    { name: "system", vmSize: "Standard_D4ds_v5", enableEncryptionAtHost: true, enableNodePublicIP: false },
  ],
  apiServerAccessProfile: { enablePrivateCluster: true },
  disableLocalAccounts: true,
  enableRBAC: true,
  networkProfile: { networkDataplane: "cilium", networkPlugin: "azure", networkPolicy: "cilium" },
  securityProfile: { azureKeyVaultKms: { enabled: true, keyVaultNetworkAccess: "Private" } },
};

const gpuPool = {
  vmSize: "Standard_NC24ads_A100_v4",
  enableEncryptionAtHost: true,
  enableNodePublicIP: false,
  nodeTaints: ["nvidia.com/gpu=true:NoSchedule"],
};

/** A data account as hybrid-ai-infra's AzureEncryptedStorage declares it. */
const dataAccount = hardenedAccountArgs({
  publicNetworkAccess: "Disabled",
  bypass: "None",
  services: ["blob", "file", "queue", "table"],
  customerManagedKey: {
    keyName: "storage",
    keyVaultUri: "https://mlstore-cmk.vault.azure.net/",
    identityId:
      "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/cmk",
  },
}) as Record<string, unknown>;

/** The flow-log account's settings (public endpoint for Network Watcher, Microsoft-managed key). */
const flowLogAccount = hardenedAccountArgs({
  publicNetworkAccess: "Enabled",
  bypass: "AzureServices",
  services: ["blob"],
}) as Record<string, unknown>;

const hardenedVault = {
  properties: {
    enablePurgeProtection: true,
    enableRbacAuthorization: true,
    enableSoftDelete: true,
    networkAcls: { bypass: "AzureServices", defaultAction: "Deny" },
    publicNetworkAccess: "Disabled",
  },
};

describe("facts of the Azure rules", () => {
  const frameworks = Object.keys(BENCHMARKS);

  it.each(AZURE_RULES.map((r) => [r.name, r] as const))("%s states its facts", (_, rule) => {
    expect(rule.name).toMatch(/^azure-[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(rule.description?.length ?? 0).toBeGreaterThan(20);
    expect(rule.remediationSteps?.length ?? 0).toBeGreaterThan(10);
    expect(rule.tags?.length ?? 0).toBeGreaterThan(0);
    for (const tag of rule.tags ?? []) expect(frameworks).toContain(tag.slice(0, tag.indexOf(":")));
    expect(["mandatory", "advisory"]).toContain(rule.enforcementLevel);
    expect(rule.types.length).toBeGreaterThan(0);
  });

  it("gives every rule its own name", () => {
    const names = AZURE_RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("AKS cluster rules", () => {
  it("pass the cluster hybrid-ai-infra declares", async () => {
    for (const rule of [
      azureAksPrivateCluster,
      azureAksNoLocalAccounts,
      azureAksAzureRbac,
      azureAksNetworkPolicy,
      azureAksKmsEncryption,
    ])
      expect(await violations(rule, CLUSTER, hardenedCluster)).toEqual([]);
  });

  it("azure-aks-private-cluster fails a cluster with a public API server", async () => {
    expect(await violations(azureAksPrivateCluster, CLUSTER, {})).toEqual([
      "apiServerAccessProfile.enablePrivateCluster is unset (Azure default: false), so the Kubernetes API server has a public endpoint; set it to true",
    ]);
  });

  it("azure-aks-no-local-accounts fails while local accounts are on", async () => {
    expect(await violations(azureAksNoLocalAccounts, CLUSTER, { disableLocalAccounts: false })).toEqual([
      "disableLocalAccounts is false, so the static cluster-admin kubeconfig (listClusterAdminCredential) bypasses Entra ID; set it to true",
    ]);
  });

  it("azure-aks-azure-rbac fails without managed Entra ID and Azure RBAC, and with Kubernetes RBAC off", async () => {
    expect(await violations(azureAksAzureRbac, CLUSTER, {})).toEqual([
      "aadProfile.managed is unset (Azure default: no Entra ID integration), so users do not sign in with AKS-managed Entra ID; set it to true",
      "aadProfile.enableAzureRBAC is unset (Azure default: false), so Kubernetes authorization is not governed by Azure role assignments; set it to true",
    ]);
    const noK8sRbac = await violations(azureAksAzureRbac, CLUSTER, { ...hardenedCluster, enableRBAC: false });
    expect(noK8sRbac).toEqual([
      "enableRBAC is false, so Kubernetes RBAC is off and every authenticated user is cluster admin; set it to true",
    ]);
  });

  it("azure-aks-network-policy fails without an engine and accepts azure, calico, cilium or the Cilium dataplane", async () => {
    expect(await violations(azureAksNetworkPolicy, CLUSTER, {})).toEqual([
      "networkProfile.networkPolicy is unset (Azure default: none), so NetworkPolicies are not enforced; set it to one of azure, calico, cilium (or networkProfile.networkDataplane cilium)",
    ]);
    expect(
      await violations(azureAksNetworkPolicy, CLUSTER, { networkProfile: { networkPolicy: "none" } }),
    ).toEqual([expect.stringContaining('networkProfile.networkPolicy is "none"')]);
    expect(
      await violations(azureAksNetworkPolicy, CLUSTER, { networkProfile: { networkPolicy: "calico" } }),
    ).toEqual([]);
    expect(
      await violations(azureAksNetworkPolicy, CLUSTER, { networkProfile: { networkDataplane: "cilium" } }),
    ).toEqual([]);
  });

  it("azure-aks-kms-etcd-encryption fails without the Key Vault KMS plugin", async () => {
    expect(
      await violations(azureAksKmsEncryption, CLUSTER, {
        securityProfile: { azureKeyVaultKms: { enabled: false } },
      }),
    ).toEqual([
      "securityProfile.azureKeyVaultKms.enabled is false, so Kubernetes secrets in etcd are encrypted only with platform keys; set it to true with keyId and keyVaultResourceId naming a Key Vault key",
    ]);
  });
});

describe("AKS node pool rules", () => {
  it("pass hybrid-ai-infra's GPU pool and the cluster's inline system pool", async () => {
    for (const rule of [azureAksEncryptionAtHost, azureAksNoNodePublicIp, azureAksGpuTaint]) {
      expect(await violations(rule, POOL, gpuPool)).toEqual([]);
      expect(await violations(rule, CLUSTER, hardenedCluster)).toEqual([]);
    }
  });

  it("azure-aks-node-encryption-at-host fails an AgentPool and an inline pool without it", async () => {
    expect(await violations(azureAksEncryptionAtHost, POOL, { vmSize: "Standard_D8ds_v5" })).toEqual([
      "enableEncryptionAtHost is unset (Azure default: false), so temp disks and OS/data disk caches on the node hosts are not encrypted; set it to true (the subscription needs the EncryptionAtHost feature registered)",
    ]);
    const cluster = {
      agentPoolProfiles: [{ name: "system", enableEncryptionAtHost: true }, { name: "user" }],
    };
    expect(await violations(azureAksEncryptionAtHost, CLUSTER, cluster)).toEqual([
      expect.stringContaining(
        "agentPoolProfiles[1].enableEncryptionAtHost (pool user) is unset (Azure default: false)",
      ),
    ]);
  });

  it("azure-aks-no-node-public-ip fails public node IPs unless allowNodePublicIp says so", async () => {
    expect(await violations(azureAksNoNodePublicIp, POOL, { enableNodePublicIP: true })).toEqual([
      "enableNodePublicIP is true, so every node gets a public IP address; set it to false (or leave it unset)",
    ]);
    expect(
      await violations(azureAksNoNodePublicIp, CLUSTER, {
        agentPoolProfiles: [{ name: "edge", enableNodePublicIP: true }],
      }),
    ).toEqual([expect.stringContaining("agentPoolProfiles[0].enableNodePublicIP (pool edge) is true")]);
    expect(await violations(azureAksNoNodePublicIp, POOL, {})).toEqual([]);
    expect(
      await violations(
        azureAksNoNodePublicIp,
        POOL,
        { enableNodePublicIP: true },
        { allowNodePublicIp: true },
      ),
    ).toEqual([]);
  });

  it("azure-aks-gpu-node-taint fails an NVIDIA GPU pool without a NoSchedule nvidia.com/gpu taint", async () => {
    expect(await violations(azureAksGpuTaint, POOL, { vmSize: "Standard_NC8as_T4_v3" })).toEqual([
      'nodeTaints is unset on GPU size Standard_NC8as_T4_v3, so pods that need no GPU can take the GPU nodes; add a nvidia.com/gpu taint with effect NoSchedule, e.g. "nvidia.com/gpu=true:NoSchedule"',
    ]);
    const soft = { vmSize: "Standard_ND96isr_H100_v5", nodeTaints: ["nvidia.com/gpu=true:PreferNoSchedule"] };
    expect(await violations(azureAksGpuTaint, POOL, soft)).toEqual([
      expect.stringContaining(
        'nodeTaints is ["nvidia.com/gpu=true:PreferNoSchedule"] on GPU size Standard_ND96isr_H100_v5',
      ),
    ]);
    const inline = { agentPoolProfiles: [{ name: "gpu", vmSize: "Standard_NC6s_v3", nodeTaints: [] }] };
    expect(await violations(azureAksGpuTaint, CLUSTER, inline)).toEqual([
      expect.stringContaining(
        "agentPoolProfiles[0].nodeTaints (pool gpu) is [] on GPU size Standard_NC6s_v3",
      ),
    ]);
  });

  it("azure-aks-gpu-node-taint leaves CPU and AMD GPU sizes alone and takes the configured taint keys", async () => {
    expect(await violations(azureAksGpuTaint, POOL, { vmSize: "Standard_D8ds_v5" })).toEqual([]);
    expect(await violations(azureAksGpuTaint, POOL, { vmSize: "Standard_NV16as_v4" })).toEqual([]);
    expect(await violations(azureAksGpuTaint, POOL, { vmSize: "Standard_ND96isr_MI300X_v5" })).toEqual([]);
    const skuTainted = { vmSize: "Standard_NC24ads_A100_v4", nodeTaints: ["sku=gpu:NoSchedule"] };
    expect(await violations(azureAksGpuTaint, POOL, skuTainted)).toHaveLength(1);
    expect(
      await violations(azureAksGpuTaint, POOL, skuTainted, { gpuTaintKeys: ["nvidia.com/gpu", "sku"] }),
    ).toEqual([]);
  });

  it("counts every GPU size hybrid-ai-infra's node pools accept as an NVIDIA GPU size", () => {
    for (const size of AZURE_GPU_SIZES.keys()) expect(hasNvidiaGpu(size), size).toBe(true);
  });
});

describe("storage account rules", () => {
  const storageRules = [
    azureStorageSecureTransport,
    azureStorageNoPublicBlobs,
    azureStorageNoSharedKey,
    azureStoragePrivateNetwork,
    azureStorageInfrastructureEncryption,
    azureStorageCustomerManagedKey,
  ];

  it("pass the data account hybrid-ai-infra declares", async () => {
    for (const rule of storageRules) expect(await violations(rule, ACCOUNT, dataAccount)).toEqual([]);
  });

  it("azure-storage-secure-transport fails TLS below 1.2 and plain HTTP, and takes HTTPS-only as the default", async () => {
    expect(
      await violations(azureStorageSecureTransport, ACCOUNT, {
        minimumTlsVersion: "TLS1_0",
        enableHttpsTrafficOnly: false,
      }),
    ).toEqual([
      'minimumTlsVersion is "TLS1_0", so clients may connect with TLS 1.0 or 1.1; set it to "TLS1_2"',
      "enableHttpsTrafficOnly is false, so the account accepts plain HTTP; set it to true (or leave it unset)",
    ]);
    expect(await violations(azureStorageSecureTransport, ACCOUNT, {})).toEqual([
      expect.stringContaining("minimumTlsVersion is unset (Azure default: TLS1_0)"),
    ]);
    expect(await violations(azureStorageSecureTransport, ACCOUNT, { minimumTlsVersion: "TLS1_2" })).toEqual(
      [],
    );
  });

  it("azure-storage-no-public-blobs fails allowBlobPublicAccess true", async () => {
    expect(await violations(azureStorageNoPublicBlobs, ACCOUNT, { allowBlobPublicAccess: true })).toEqual([
      "allowBlobPublicAccess is true, so containers can be opened to anonymous reads; set it to false",
    ]);
    expect(await violations(azureStorageNoPublicBlobs, ACCOUNT, {})).toEqual([]);
  });

  it("azure-storage-no-shared-key fails unless shared keys are explicitly off", async () => {
    expect(await violations(azureStorageNoSharedKey, ACCOUNT, {})).toEqual([
      "allowSharedKeyAccess is unset (Azure default: null, which Azure treats as true), so account keys and account SAS tokens bypass Entra ID; set it to false",
    ]);
    expect(await violations(azureStorageNoSharedKey, ACCOUNT, { allowSharedKeyAccess: false })).toEqual([]);
  });

  it("azure-storage-private-network fails a data account with public network access", async () => {
    expect(await violations(azureStoragePrivateNetwork, ACCOUNT, {})).toEqual([
      'publicNetworkAccess is unset (Azure default: Enabled), so the account\'s public endpoint is reachable; set it to "Disabled" and use a private endpoint',
    ]);
    expect(await violations(azureStoragePrivateNetwork, ACCOUNT, flowLogAccount)).toEqual([
      expect.stringContaining('publicNetworkAccess is "Enabled"'),
    ]);
  });

  it("azure-storage-private-network lets a marked non-data account keep its public endpoint behind a Deny firewall", async () => {
    const tagged = { ...flowLogAccount, tags: { purpose: "flow-logs" } };
    expect(await violations(azureStoragePrivateNetwork, ACCOUNT, tagged)).toEqual([]);
    expect(
      await violations(azureStoragePrivateNetwork, ACCOUNT, flowLogAccount, {
        nonDataNamePatterns: ["^example$"],
      }),
    ).toEqual([]);
    const open = { ...tagged, networkRuleSet: { defaultAction: "Allow" } };
    expect(await violations(azureStoragePrivateNetwork, ACCOUNT, open)).toEqual([
      'networkRuleSet.defaultAction is "Allow" on a non-data account with public network access, so any network can reach it; set it to "Deny"',
    ]);
  });

  it("marks no account non-data by its name unless configured: a name is easy to give a data account", () => {
    expect(azureStoragePrivateNetwork.configSchema?.properties.nonDataNamePatterns?.default).toEqual([]);
    expect(azureStoragePrivateNetwork.configSchema?.properties.nonDataTags?.default).toEqual({
      purpose: ["flow-logs"],
    });
  });

  it("azure-storage-infrastructure-encryption fails single encryption", async () => {
    expect(await violations(azureStorageInfrastructureEncryption, ACCOUNT, { encryption: {} })).toEqual([
      "encryption.requireInfrastructureEncryption is unset (Azure default: false), so data is encrypted once, not also at the infrastructure layer; set it to true (only possible when the account is created)",
    ]);
    expect(await violations(azureStorageInfrastructureEncryption, ACCOUNT, flowLogAccount)).toEqual([]);
  });

  it("azure-storage-customer-managed-key fails a data account on Microsoft-managed keys and exempts marked non-data accounts", async () => {
    expect(await violations(azureStorageCustomerManagedKey, ACCOUNT, flowLogAccount)).toEqual([
      'encryption.keySource is "Microsoft.Storage", so the data is encrypted with a Microsoft-managed key the owner cannot rotate or revoke; set it to "Microsoft.Keyvault" with encryption.keyVaultProperties and an identity that may use the key',
    ]);
    expect(await violations(azureStorageCustomerManagedKey, ACCOUNT, {})).toEqual([
      expect.stringContaining("encryption.keySource is unset (Azure default: Microsoft.Storage)"),
    ]);
    const tagged = { ...flowLogAccount, tags: { purpose: "flow-logs" } };
    expect(await violations(azureStorageCustomerManagedKey, ACCOUNT, tagged)).toEqual([]);
    expect(
      await violations(azureStorageCustomerManagedKey, ACCOUNT, {
        encryption: { keySource: "Microsoft.KeyVault" },
      }),
    ).toEqual([]);
  });
});

describe("key vault rules", () => {
  it("pass the vaults hybrid-ai-infra declares (AKS KMS and storage CMK)", async () => {
    for (const rule of [azureKeyVaultPurgeProtection, azureKeyVaultRbac, azureKeyVaultPrivateNetwork])
      expect(await violations(rule, VAULT, hardenedVault)).toEqual([]);
  });

  it("azure-keyvault-purge-protection fails without purge protection or with soft delete off", async () => {
    expect(
      await violations(azureKeyVaultPurgeProtection, VAULT, { properties: { enableSoftDelete: false } }),
    ).toEqual([
      "properties.enablePurgeProtection is unset (Azure default: false), so a deleted vault and its keys can be purged before the retention period ends; set it to true",
      "properties.enableSoftDelete is false, so deleted keys are gone at once; set it to true (or leave it unset)",
    ]);
  });

  it("azure-keyvault-rbac fails a vault on access policies", async () => {
    expect(
      await violations(azureKeyVaultRbac, VAULT, { properties: { enableRbacAuthorization: false } }),
    ).toEqual([
      "properties.enableRbacAuthorization is false, so data access is granted by vault access policies outside Azure RBAC; set it to true and grant Key Vault data roles",
    ]);
  });

  it("azure-keyvault-private-network fails an open vault and accepts disabled access or a Deny firewall", async () => {
    expect(await violations(azureKeyVaultPrivateNetwork, VAULT, {})).toEqual([
      'properties.publicNetworkAccess is unset (Azure default: enabled) and properties.networkAcls.defaultAction is unset (Azure default: Allow), so the vault is reachable from the internet; set publicNetworkAccess "Disabled" (or defaultAction "Deny")',
    ]);
    expect(
      await violations(azureKeyVaultPrivateNetwork, VAULT, {
        properties: { publicNetworkAccess: "disabled" },
      }),
    ).toEqual([]);
    const firewalled = {
      properties: { publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Deny" } },
    };
    expect(await violations(azureKeyVaultPrivateNetwork, VAULT, firewalled)).toEqual([]);
    const openRule = {
      properties: {
        networkAcls: {
          defaultAction: "Deny",
          ipRules: [{ value: "203.0.113.0/24" }, { value: "0.0.0.0/0" }],
        },
      },
    };
    expect(await violations(azureKeyVaultPrivateNetwork, VAULT, openRule)).toEqual([
      "properties.networkAcls.ipRules allows 0.0.0.0/0, so the Deny default is void; list only the ranges that need the vault",
    ]);
  });
});
