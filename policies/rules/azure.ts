// Azure as the security model wants it: AKS clusters private, Entra ID only and Azure RBAC, with a
// network policy engine and etcd secrets under a Key Vault key; node pools without public IPs,
// encrypted at the host, GPU nodes tainted; storage accounts TLS 1.2+, Entra ID only, private,
// doubly encrypted under a customer key; key vaults purge-protected, RBAC and private.
// Every check reads the inputs any Pulumi program hands over: an unset field is what Azure does
// when the field is left out (its documented default, for most of these the insecure one).
import { get, isTrue, list, type Props, type Report, resourceRule, strings } from "./kit";

const MANAGED_CLUSTER = "azure-native:containerservice:ManagedCluster";
const AGENT_POOL = "azure-native:containerservice:AgentPool";
const STORAGE_ACCOUNT = "azure-native:storage:StorageAccount";
const KEY_VAULT = "azure-native:keyvault:Vault";

/** How a value reads in a message: the JSON the program gave, or `unset` and what Azure does then. */
function shown(value: unknown, azureDefault?: string): string {
  if (value !== undefined) return JSON.stringify(value);
  return azureDefault === undefined ? "unset" : `unset (Azure default: ${azureDefault})`;
}

/** Case-insensitive match: Azure treats most enum values so, and programs spell them either way. */
function sameText(value: unknown, expected: string): boolean {
  return typeof value === "string" && value.toLowerCase() === expected.toLowerCase();
}

/** False as a boolean or the string some providers pass. */
function isFalse(value: unknown): boolean {
  return value === false || value === "false";
}

/** One field a promise depends on: when it holds, and what the message says when it does not. */
interface Setting {
  /** Dotted path in the resource's (or the inline pool's) inputs. */
  path: string;
  /** Whether the value (undefined when unset) keeps the promise. */
  holds: (value: unknown) => boolean;
  /** What Azure does when the field is left out, for the message. */
  azureDefault: string;
  /** What goes wrong while it does not hold. */
  risk: string;
  /** What would be valid. */
  fix: string;
}

/** Reports each setting that does not hold; `at` names an inline pool (`agentPoolProfiles[0].`). */
function checkSettings(
  props: Props,
  settings: readonly Setting[],
  report: Report,
  at = "",
  label = "",
): void {
  for (const s of settings) {
    const value = get(props, s.path);
    if (s.holds(value)) continue;
    report(`${at}${s.path}${label} is ${shown(value, s.azureDefault)}, so ${s.risk}; ${s.fix}`);
  }
}

// ---------------------------------------------------------------- AKS clusters

const PRIVATE_CLUSTER: readonly Setting[] = [
  {
    path: "apiServerAccessProfile.enablePrivateCluster",
    holds: isTrue,
    azureDefault: "false",
    risk: "the Kubernetes API server has a public endpoint",
    fix: "set it to true",
  },
];

export const azureAksPrivateCluster = resourceRule({
  name: "azure-aks-private-cluster",
  description: "AKS clusters are private: the Kubernetes API server has no public endpoint.",
  remediation:
    "Set apiServerAccessProfile.enablePrivateCluster true (hybrid-ai-infra's AzurePrivateCluster does); reach the API server over the VNet, VPN or a jump host.",
  benchmarks: ["checkov:CKV_AZURE_115", "mcsb:NS-2"],
  enforcementLevel: "mandatory",
  types: [MANAGED_CLUSTER],
  check: ({ props }, report) => checkSettings(props, PRIVATE_CLUSTER, report),
});

const NO_LOCAL_ACCOUNTS: readonly Setting[] = [
  {
    path: "disableLocalAccounts",
    holds: isTrue,
    azureDefault: "false",
    risk: "the static cluster-admin kubeconfig (listClusterAdminCredential) bypasses Entra ID",
    fix: "set it to true",
  },
];

export const azureAksNoLocalAccounts = resourceRule({
  name: "azure-aks-no-local-accounts",
  description: "AKS clusters have local accounts disabled, so every API call authenticates with Entra ID.",
  remediation:
    "Set disableLocalAccounts true (requires AKS-managed Entra ID integration, aadProfile.managed true).",
  benchmarks: ["checkov:CKV_AZURE_141", "mcsb:IM-1"],
  enforcementLevel: "mandatory",
  types: [MANAGED_CLUSTER],
  check: ({ props }, report) => checkSettings(props, NO_LOCAL_ACCOUNTS, report),
});

const AZURE_RBAC: readonly Setting[] = [
  {
    path: "enableRBAC",
    holds: (v) => v === undefined || isTrue(v),
    azureDefault: "true",
    risk: "Kubernetes RBAC is off and every authenticated user is cluster admin",
    fix: "set it to true",
  },
  {
    path: "aadProfile.managed",
    holds: isTrue,
    azureDefault: "no Entra ID integration",
    risk: "users do not sign in with AKS-managed Entra ID",
    fix: "set it to true",
  },
  {
    path: "aadProfile.enableAzureRBAC",
    holds: isTrue,
    azureDefault: "false",
    risk: "Kubernetes authorization is not governed by Azure role assignments",
    fix: "set it to true",
  },
];

export const azureAksAzureRbac = resourceRule({
  name: "azure-aks-azure-rbac",
  description:
    "AKS clusters use Kubernetes RBAC with AKS-managed Entra ID and Azure RBAC for Kubernetes authorization.",
  remediation:
    "Set enableRBAC true, aadProfile.managed true and aadProfile.enableAzureRBAC true, then grant access with Azure Kubernetes Service RBAC role assignments.",
  benchmarks: ["checkov:CKV_AZURE_5", "mcsb:PA-7", "mcsb:IM-1"],
  enforcementLevel: "mandatory",
  types: [MANAGED_CLUSTER],
  check: ({ props }, report) => checkSettings(props, AZURE_RBAC, report),
});

/** Network policy engines AKS runs; "none" (or nothing) leaves pod traffic unfiltered. */
const NETWORK_POLICY_ENGINES = new Set(["azure", "calico", "cilium"]);

export const azureAksNetworkPolicy = resourceRule({
  name: "azure-aks-network-policy",
  description:
    "AKS clusters run a network policy engine (Azure, Calico or Cilium), so Kubernetes NetworkPolicies are enforced.",
  remediation:
    'Set networkProfile.networkPolicy to "cilium" with networkProfile.networkDataplane "cilium" (or "azure" / "calico"); it is fixed at creation on most clusters.',
  benchmarks: ["checkov:CKV_AZURE_7", "cis-aks:5.4.4", "mcsb:NS-1"],
  enforcementLevel: "mandatory",
  types: [MANAGED_CLUSTER],
  check: ({ props }, report) => {
    const policy = get(props, "networkProfile.networkPolicy");
    // Azure CNI powered by Cilium enforces network policies whatever networkPolicy says.
    if (sameText(get(props, "networkProfile.networkDataplane"), "cilium")) return;
    if (typeof policy === "string" && NETWORK_POLICY_ENGINES.has(policy.toLowerCase())) return;
    report(
      `networkProfile.networkPolicy is ${shown(policy, "none")}, so NetworkPolicies are not enforced; set it to one of ${[...NETWORK_POLICY_ENGINES].join(", ")} (or networkProfile.networkDataplane cilium)`,
    );
  },
});

const KMS: readonly Setting[] = [
  {
    path: "securityProfile.azureKeyVaultKms.enabled",
    holds: isTrue,
    azureDefault: "false",
    risk: "Kubernetes secrets in etcd are encrypted only with platform keys",
    fix: "set it to true with keyId and keyVaultResourceId naming a Key Vault key",
  },
];

export const azureAksKmsEncryption = resourceRule({
  name: "azure-aks-kms-etcd-encryption",
  description:
    "AKS clusters encrypt Kubernetes secrets in etcd with a customer-managed Key Vault key (KMS plugin).",
  remediation:
    'Set securityProfile.azureKeyVaultKms { enabled: true, keyId, keyVaultNetworkAccess: "Private", keyVaultResourceId } (hybrid-ai-infra\'s AzurePrivateCluster creates the vault and key).',
  benchmarks: ["mcsb:DP-5"],
  enforcementLevel: "mandatory",
  types: [MANAGED_CLUSTER],
  check: ({ props }, report) => checkSettings(props, KMS, report),
});

// ---------------------------------------------------------------- node pools

/**
 * Calls `check` on each node pool a resource defines: the AgentPool itself, or each pool a
 * ManagedCluster gives inline in agentPoolProfiles, with the prefix and pool name its messages use.
 */
function forEachPool(
  type: string,
  props: Props,
  check: (pool: Props, at: string, label: string) => void,
): void {
  if (type === AGENT_POOL) {
    check(props, "", "");
    return;
  }
  list(props.agentPoolProfiles).forEach((pool, i) => {
    const p = (pool ?? {}) as Props;
    check(p, `agentPoolProfiles[${i}].`, typeof p.name === "string" ? ` (pool ${p.name})` : "");
  });
}

const POOL_TYPES = [AGENT_POOL, MANAGED_CLUSTER] as const;

const ENCRYPTION_AT_HOST: readonly Setting[] = [
  {
    path: "enableEncryptionAtHost",
    holds: isTrue,
    azureDefault: "false",
    risk: "temp disks and OS/data disk caches on the node hosts are not encrypted",
    fix: "set it to true (the subscription needs the EncryptionAtHost feature registered)",
  },
];

export const azureAksEncryptionAtHost = resourceRule({
  name: "azure-aks-node-encryption-at-host",
  description:
    "AKS node pools (AgentPool resources and a cluster's inline agentPoolProfiles) encrypt temp disks and disk caches at the VM host.",
  remediation: "Set enableEncryptionAtHost true on every pool; hybrid-ai-infra's node pools do.",
  benchmarks: ["checkov:CKV_AZURE_227", "mcsb:DP-4"],
  enforcementLevel: "mandatory",
  types: POOL_TYPES,
  check: ({ type, props }, report) =>
    forEachPool(type, props, (pool, at, label) => checkSettings(pool, ENCRYPTION_AT_HOST, report, at, label)),
});

export const azureAksNoNodePublicIp = resourceRule({
  name: "azure-aks-no-node-public-ip",
  description:
    "AKS nodes have no public IP addresses: they are reached only through the VNet and leave through the cluster's egress.",
  remediation:
    "Leave enableNodePublicIP unset or false on every pool; if a pool must have public IPs, set this rule's allowNodePublicIp and say why in the pack's configuration.",
  benchmarks: ["checkov:CKV_AZURE_143", "cis-aks:5.4.3"],
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowNodePublicIp: {
        type: "boolean",
        default: false,
        description: "Accept node pools with public IPs (edge pools that must be reachable directly).",
      },
    },
  },
  types: POOL_TYPES,
  check: ({ type, props, config }, report) => {
    if (isTrue(config.allowNodePublicIp)) return;
    forEachPool(type, props, (pool, at, label) => {
      if (isTrue(pool.enableNodePublicIP))
        report(
          `${at}enableNodePublicIP${label} is true, so every node gets a public IP address; set it to false (or leave it unset)`,
        );
    });
  },
});

/**
 * Azure N-series sizes by name, first match wins: the AMD families first, then every other NC,
 * NCC, ND and NV size, whose GPUs are NVIDIA's. A size matching none has no GPU this rule knows.
 * Sources: the Azure GPU-optimized VM size pages (NVv4, NVads V710 v5, ND MI300X v5 are AMD).
 */
const GPU_SIZE_VENDORS: readonly [pattern: RegExp, vendor: "amd" | "nvidia"][] = [
  [/_MI300X_/i, "amd"],
  [/_V710_/i, "amd"],
  [/^Standard_NV\d+as_v4$/i, "amd"],
  [/^Standard_N(C|CC|D|V)\d/i, "nvidia"],
];

/** Whether an Azure VM size carries NVIDIA GPUs (so the device plugin offers `nvidia.com/gpu`). */
export function hasNvidiaGpu(vmSize: string): boolean {
  return GPU_SIZE_VENDORS.find(([pattern]) => pattern.test(vmSize))?.[1] === "nvidia";
}

/** Taint effects that keep pods without a toleration off the node. */
const REPELLING_EFFECTS = new Set(["NoSchedule", "NoExecute"]);

const TAINT = /^(?<key>[^=:]+)(?:=(?<value>[^:]*))?:(?<effect>[A-Za-z]+)$/;

export const azureAksGpuTaint = resourceRule({
  name: "azure-aks-gpu-node-taint",
  description:
    "AKS node pools of NVIDIA GPU sizes (NC, NCC, ND, NV) carry a NoSchedule taint on nvidia.com/gpu, so only pods that tolerate it (GPU workloads) land on GPU nodes.",
  remediation:
    "Add \"nvidia.com/gpu=true:NoSchedule\" to the pool's nodeTaints (hybrid-ai-infra's AzureGpuNodePool does) and tolerate it in GPU workloads.",
  benchmarks: ["hybrid-ai-infra:gpu-node-taint"],
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      gpuTaintKeys: {
        type: "array",
        items: { type: "string" },
        default: ["nvidia.com/gpu"],
        description: 'Taint keys that mark GPU nodes (add "sku" for pools tainted as in the AKS GPU guide).',
      },
    },
  },
  types: POOL_TYPES,
  check: ({ type, props, config }, report) => {
    const keys = strings(config.gpuTaintKeys);
    forEachPool(type, props, (pool, at, label) => {
      const size = pool.vmSize;
      if (typeof size !== "string" || !hasNvidiaGpu(size)) return;
      const taints = strings(pool.nodeTaints);
      const tainted = taints.some((t) => {
        const parts = TAINT.exec(t)?.groups;
        return (
          parts !== undefined && keys.includes(parts.key ?? "") && REPELLING_EFFECTS.has(parts.effect ?? "")
        );
      });
      if (!tainted)
        report(
          `${at}nodeTaints${label} is ${shown(pool.nodeTaints)} on GPU size ${size}, so pods that need no GPU can take the GPU nodes; add a ${keys.join(" or ")} taint with effect NoSchedule, e.g. "${keys[0] ?? "nvidia.com/gpu"}=true:NoSchedule"`,
        );
    });
  },
});

// ---------------------------------------------------------------- storage accounts

/**
 * Knobs of the rules that hold only for accounts holding data. Flow-log (and similar audit sink)
 * accounts are written by Network Watcher as a trusted Azure service, which the account firewall
 * lets through only while public network access is on (private endpoints do not carry it), and
 * hybrid-ai-infra encrypts them with Microsoft-managed keys. They are marked by a tag (this
 * library tags its flow-log accounts `purpose: flow-logs`) or by their Pulumi name; they still need
 * a Deny-by-default firewall.
 */
export const NON_DATA_SCHEMA = {
  type: "object",
  properties: {
    nonDataTags: {
      type: "object",
      additionalProperties: { type: "array", items: { type: "string" } },
      default: { purpose: ["flow-logs"] },
      description: "Tag name -> values that mark an account as a non-data (log sink) account.",
    },
    nonDataNamePatterns: {
      type: "array",
      items: { type: "string" },
      // None by default: a name is too easy to give a data account by mistake.
      default: [],
      description: "Regular expressions on the Pulumi resource name that mark a non-data account.",
    },
  },
} as const;

/** Whether the configuration marks the account as a non-data account (by tag or Pulumi name). */
export function isNonData(name: string, props: Props, config: Record<string, unknown>): boolean {
  if (strings(config.nonDataNamePatterns).some((p) => new RegExp(p).test(name))) return true;
  const tags = (props.tags ?? {}) as Record<string, unknown>;
  const marks = (config.nonDataTags ?? {}) as Record<string, unknown>;
  return Object.entries(marks).some(([tag, values]) => {
    const value = tags[tag];
    return typeof value === "string" && strings(values).includes(value);
  });
}

/** TLS versions the storage front ends accept as a minimum that we count as current. */
const CURRENT_TLS = new Set(["TLS1_2", "TLS1_3"]);

const SECURE_TRANSPORT: readonly Setting[] = [
  {
    path: "minimumTlsVersion",
    holds: (v) => typeof v === "string" && CURRENT_TLS.has(v),
    azureDefault: "TLS1_0",
    risk: "clients may connect with TLS 1.0 or 1.1",
    fix: 'set it to "TLS1_2"',
  },
  {
    // Documented default: true since API version 2019-04-01, which every azure-native v3 version postdates.
    path: "enableHttpsTrafficOnly",
    holds: (v) => !isFalse(v),
    azureDefault: "true",
    risk: "the account accepts plain HTTP",
    fix: "set it to true (or leave it unset)",
  },
];

export const azureStorageSecureTransport = resourceRule({
  name: "azure-storage-secure-transport",
  description: "Storage accounts accept HTTPS only, with TLS 1.2 or later.",
  remediation: 'Set minimumTlsVersion "TLS1_2" and leave enableHttpsTrafficOnly true.',
  benchmarks: ["checkov:CKV_AZURE_44", "checkov:CKV_AZURE_3", "mcsb:DP-3"],
  enforcementLevel: "mandatory",
  types: [STORAGE_ACCOUNT],
  check: ({ props }, report) => checkSettings(props, SECURE_TRANSPORT, report),
});

const NO_PUBLIC_BLOBS: readonly Setting[] = [
  {
    // Documented default: false ("The default interpretation is false for this property").
    path: "allowBlobPublicAccess",
    holds: (v) => !isTrue(v),
    azureDefault: "false",
    risk: "containers can be opened to anonymous reads",
    fix: "set it to false",
  },
];

export const azureStorageNoPublicBlobs = resourceRule({
  name: "azure-storage-no-public-blobs",
  description: "Storage accounts forbid anonymous (public) access to blobs and containers.",
  remediation: "Set allowBlobPublicAccess false.",
  benchmarks: ["checkov:CKV_AZURE_190"],
  enforcementLevel: "mandatory",
  types: [STORAGE_ACCOUNT],
  check: ({ props }, report) => checkSettings(props, NO_PUBLIC_BLOBS, report),
});

const ENTRA_ONLY: readonly Setting[] = [
  {
    path: "allowSharedKeyAccess",
    holds: isFalse,
    azureDefault: "null, which Azure treats as true",
    risk: "account keys and account SAS tokens bypass Entra ID",
    fix: "set it to false",
  },
];

export const azureStorageNoSharedKey = resourceRule({
  name: "azure-storage-no-shared-key",
  description:
    "Storage accounts authorize requests with Entra ID only: no account keys, no account or service SAS.",
  remediation:
    "Set allowSharedKeyAccess false (and defaultToOAuthAuthentication true); grant data roles to identities.",
  benchmarks: ["checkov:CKV2_AZURE_40", "mcsb:IM-1"],
  enforcementLevel: "mandatory",
  types: [STORAGE_ACCOUNT],
  check: ({ props }, report) => checkSettings(props, ENTRA_ONLY, report),
});

export const azureStoragePrivateNetwork = resourceRule({
  name: "azure-storage-private-network",
  description:
    "Storage accounts holding data have public network access disabled (private endpoints only); accounts the configuration marks as non-data log sinks at least deny by default at the firewall.",
  remediation:
    'Set publicNetworkAccess "Disabled" and reach the account through a private endpoint; for a flow-log account, tag it (purpose: flow-logs) and set networkRuleSet { defaultAction: "Deny", bypass: "AzureServices" }.',
  benchmarks: ["checkov:CKV_AZURE_59", "checkov:CKV_AZURE_35", "mcsb:NS-2"],
  enforcementLevel: "mandatory",
  configSchema: NON_DATA_SCHEMA,
  types: [STORAGE_ACCOUNT],
  check: ({ name, props, config }, report) => {
    const access = props.publicNetworkAccess;
    if (sameText(access, "Disabled")) return;
    if (!isNonData(name, props, config)) {
      report(
        `publicNetworkAccess is ${shown(access, "Enabled")}, so the account's public endpoint is reachable; set it to "Disabled" and use a private endpoint`,
      );
      return;
    }
    const action = get(props, "networkRuleSet.defaultAction");
    if (!sameText(action, "Deny"))
      report(
        `networkRuleSet.defaultAction is ${shown(action, "Allow")} on a non-data account with public network access, so any network can reach it; set it to "Deny"`,
      );
  },
});

const INFRASTRUCTURE_ENCRYPTION: readonly Setting[] = [
  {
    path: "encryption.requireInfrastructureEncryption",
    holds: isTrue,
    azureDefault: "false",
    risk: "data is encrypted once, not also at the infrastructure layer",
    fix: "set it to true (only possible when the account is created)",
  },
];

export const azureStorageInfrastructureEncryption = resourceRule({
  name: "azure-storage-infrastructure-encryption",
  description: "Storage accounts encrypt data twice: at the service and again at the infrastructure layer.",
  remediation:
    "Set encryption.requireInfrastructureEncryption true when creating the account (it cannot be turned on later).",
  benchmarks: ["mcsb:DP-4"],
  enforcementLevel: "mandatory",
  types: [STORAGE_ACCOUNT],
  check: ({ props }, report) => checkSettings(props, INFRASTRUCTURE_ENCRYPTION, report),
});

const CUSTOMER_MANAGED_KEY: readonly Setting[] = [
  {
    path: "encryption.keySource",
    holds: (v) => sameText(v, "Microsoft.Keyvault"),
    azureDefault: "Microsoft.Storage",
    risk: "the data is encrypted with a Microsoft-managed key the owner cannot rotate or revoke",
    fix: 'set it to "Microsoft.Keyvault" with encryption.keyVaultProperties and an identity that may use the key',
  },
];

export const azureStorageCustomerManagedKey = resourceRule({
  name: "azure-storage-customer-managed-key",
  description:
    "Storage accounts holding data encrypt it with a customer-managed Key Vault key; accounts the configuration marks as non-data log sinks are exempt.",
  remediation:
    'Set encryption.keySource "Microsoft.Keyvault", encryption.keyVaultProperties { keyName, keyVaultUri } and encryption.encryptionIdentity (hybrid-ai-infra\'s AzureEncryptedStorage does).',
  benchmarks: ["checkov:CKV2_AZURE_1", "mcsb:DP-5"],
  enforcementLevel: "mandatory",
  configSchema: NON_DATA_SCHEMA,
  types: [STORAGE_ACCOUNT],
  check: ({ name, props, config }, report) => {
    if (isNonData(name, props, config)) return;
    checkSettings(props, CUSTOMER_MANAGED_KEY, report);
  },
});

// ---------------------------------------------------------------- key vaults

const PURGE_PROTECTION: readonly Setting[] = [
  {
    path: "properties.enablePurgeProtection",
    holds: isTrue,
    azureDefault: "false",
    risk: "a deleted vault and its keys can be purged before the retention period ends",
    fix: "set it to true",
  },
  {
    // Soft delete is on unless a program turns it off; purge protection needs it.
    path: "properties.enableSoftDelete",
    holds: (v) => !isFalse(v),
    azureDefault: "true",
    risk: "deleted keys are gone at once",
    fix: "set it to true (or leave it unset)",
  },
];

export const azureKeyVaultPurgeProtection = resourceRule({
  name: "azure-keyvault-purge-protection",
  description:
    "Key vaults keep soft delete and purge protection on, so keys that encrypt data cannot be destroyed before the retention period ends.",
  remediation:
    "Set properties.enablePurgeProtection true and leave properties.enableSoftDelete true (softDeleteRetentionInDays 90).",
  benchmarks: ["checkov:CKV_AZURE_110", "checkov:CKV_AZURE_42", "mcsb:DP-8"],
  enforcementLevel: "mandatory",
  types: [KEY_VAULT],
  check: ({ props }, report) => checkSettings(props, PURGE_PROTECTION, report),
});

const VAULT_RBAC: readonly Setting[] = [
  {
    path: "properties.enableRbacAuthorization",
    holds: isTrue,
    azureDefault: "false",
    risk: "data access is granted by vault access policies outside Azure RBAC",
    fix: "set it to true and grant Key Vault data roles",
  },
];

export const azureKeyVaultRbac = resourceRule({
  name: "azure-keyvault-rbac",
  description: "Key vaults authorize data-plane access with Azure RBAC, not vault access policies.",
  remediation:
    "Set properties.enableRbacAuthorization true and grant roles such as Key Vault Crypto Service Encryption User on the key.",
  benchmarks: ["mcsb:PA-7"],
  enforcementLevel: "mandatory",
  types: [KEY_VAULT],
  check: ({ props }, report) => checkSettings(props, VAULT_RBAC, report),
});

/** IP rules that open a firewall to everyone. */
const OPEN_RANGES = new Set(["0.0.0.0/0", "0.0.0.0", "*", "::/0"]);

export const azureKeyVaultPrivateNetwork = resourceRule({
  name: "azure-keyvault-private-network",
  description:
    "Key vaults take no traffic from the internet: public network access disabled, or a firewall that denies by default and opens to no range that means everyone.",
  remediation:
    'Set properties.publicNetworkAccess "Disabled" and use a private endpoint; or at least properties.networkAcls { defaultAction: "Deny", bypass: "AzureServices" } with narrow ipRules.',
  benchmarks: ["checkov:CKV_AZURE_189", "checkov:CKV_AZURE_109", "mcsb:NS-2"],
  enforcementLevel: "mandatory",
  types: [KEY_VAULT],
  check: ({ props }, report) => {
    // Key Vault documents lowercase "disabled"; programs write either case.
    if (sameText(get(props, "properties.publicNetworkAccess"), "Disabled")) return;
    const action = get(props, "properties.networkAcls.defaultAction");
    if (!sameText(action, "Deny")) {
      report(
        `properties.publicNetworkAccess is ${shown(get(props, "properties.publicNetworkAccess"), "enabled")} and properties.networkAcls.defaultAction is ${shown(action, "Allow")}, so the vault is reachable from the internet; set publicNetworkAccess "Disabled" (or defaultAction "Deny")`,
      );
      return;
    }
    const open = list(get(props, "properties.networkAcls.ipRules"))
      .map((rule) => get(rule, "value"))
      .filter((v): v is string => typeof v === "string" && OPEN_RANGES.has(v));
    if (open.length > 0)
      report(
        `properties.networkAcls.ipRules allows ${open.join(", ")}, so the Deny default is void; list only the ranges that need the vault`,
      );
  },
});

export const AZURE_RULES = [
  azureAksPrivateCluster,
  azureAksNoLocalAccounts,
  azureAksAzureRbac,
  azureAksNetworkPolicy,
  azureAksKmsEncryption,
  azureAksEncryptionAtHost,
  azureAksNoNodePublicIp,
  azureAksGpuTaint,
  azureStorageSecureTransport,
  azureStorageNoPublicBlobs,
  azureStorageNoSharedKey,
  azureStoragePrivateNetwork,
  azureStorageInfrastructureEncryption,
  azureStorageCustomerManagedKey,
  azureKeyVaultPurgeProtection,
  azureKeyVaultRbac,
  azureKeyVaultPrivateNetwork,
];
