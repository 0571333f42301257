// AKS as the security model wants it: private, Entra ID only with Azure RBAC, a network policy
// engine on Azure CNI, etcd secrets under a Key Vault key, audit logs collected, the Azure Policy
// add-on and no run-command backdoor, a supported version on an upgrade channel; node pools
// (AgentPool resources and a cluster's inline agentPoolProfiles alike) encrypted at the host,
// without public IPs, GPU pools tainted, the system pool kept for add-ons.
// Types are matched in every API version (types.ts), enum values in any spelling.
import {
  checkSettings,
  entries,
  family,
  get,
  isAbsent,
  isFalse,
  isTrue,
  isUnknown,
  LIBRARY_VERSIONS,
  list,
  oneOf,
  type Props,
  type ResourceContext,
  refersTo,
  resourceRule,
  type Setting,
  show,
  stackRule,
  strings,
  supportedMinor,
  UNKNOWN,
} from "../kit";

export const MANAGED_CLUSTER = "azure-native:containerservice:ManagedCluster";
export const AGENT_POOL = "azure-native:containerservice:AgentPool";
const DIAGNOSTIC_SETTING = "azure-native:monitor:DiagnosticSetting";

const enabled: Setting["holds"] = isTrue;

export const azureAksPrivateCluster = resourceRule({
  name: "azure-aks-private-cluster",
  description:
    "AKS clusters are private: the Kubernetes API server has no public endpoint (apiServerAccessProfile.enablePrivateCluster), so no authorized-IP list is needed.",
  remediation:
    "Set apiServerAccessProfile.enablePrivateCluster true (AzurePrivateCluster does); reach the API server over the VNet, VPN or a runner inside it.",
  benchmarks: ["checkov:CKV_AZURE_115", "checkov:CKV_AZURE_6", "cis-aks:5.4.1", "cis-aks:5.4.2", "mcsb:NS-2"],
  enforcementLevel: "mandatory",
  types: [MANAGED_CLUSTER],
  check: (ctx) =>
    checkSettings(ctx, ctx.props, [
      {
        path: "apiServerAccessProfile.enablePrivateCluster",
        holds: enabled,
        providerDefault: "Azure default false",
        risk: "the Kubernetes API server has a public endpoint",
        fix: "set it to true",
      },
    ]),
});

export const azureAksNoLocalAccounts = resourceRule({
  name: "azure-aks-no-local-accounts",
  description: "AKS clusters have local accounts disabled, so every API call authenticates with Entra ID.",
  remediation:
    "Set disableLocalAccounts true (requires AKS-managed Entra ID integration, aadProfile.managed true).",
  benchmarks: ["checkov:CKV_AZURE_141", "cis-aks:5.5.1", "mcsb:IM-1"],
  enforcementLevel: "mandatory",
  types: [MANAGED_CLUSTER],
  check: (ctx) =>
    checkSettings(ctx, ctx.props, [
      {
        path: "disableLocalAccounts",
        holds: enabled,
        providerDefault: "Azure default false",
        risk: "the static cluster-admin kubeconfig (listClusterAdminCredential) bypasses Entra ID",
        fix: "set it to true",
      },
    ]),
});

export const azureAksAzureRbac = resourceRule({
  name: "azure-aks-azure-rbac",
  description:
    "AKS clusters use Kubernetes RBAC with AKS-managed Entra ID and Azure RBAC for Kubernetes authorization.",
  remediation:
    "Set enableRBAC true, aadProfile.managed true and aadProfile.enableAzureRBAC true, then grant access with Azure Kubernetes Service RBAC role assignments.",
  benchmarks: [
    "checkov:CKV_AZURE_5",
    "kics:86f92117-eed8-4614-9c6c-b26da20ff37f",
    "cis-aks:5.5.1",
    "cis-aks:5.5.2",
    "mcsb:PA-7",
    "mcsb:IM-1",
  ],
  enforcementLevel: "mandatory",
  types: [MANAGED_CLUSTER],
  check: (ctx) =>
    checkSettings(ctx, ctx.props, [
      {
        path: "enableRBAC",
        holds: (v) => v === undefined || isTrue(v),
        providerDefault: "Azure default true",
        risk: "Kubernetes RBAC is off and every authenticated user is cluster admin",
        fix: "set it to true",
      },
      {
        path: "aadProfile.managed",
        holds: enabled,
        providerDefault: "no Entra ID integration",
        risk: "users do not sign in with AKS-managed Entra ID",
        fix: "set it to true",
      },
      {
        path: "aadProfile.enableAzureRBAC",
        holds: enabled,
        providerDefault: "Azure default false",
        risk: "Kubernetes authorization is not governed by Azure role assignments",
        fix: "set it to true",
      },
    ]),
});

/** Network policy engines AKS runs; "none" (or nothing) leaves pod traffic unfiltered. */
const NETWORK_POLICY_ENGINES = ["azure", "calico", "cilium"];

export const azureAksNetworkPolicy = resourceRule({
  name: "azure-aks-network-policy",
  description:
    "AKS clusters run a network policy engine (Azure, Calico or Cilium, in any spelling), so Kubernetes NetworkPolicies are enforced.",
  remediation:
    'Set networkProfile.networkPolicy to "cilium" with networkProfile.networkDataplane "cilium" (or "azure" / "calico"); it is fixed at creation on most clusters.',
  benchmarks: [
    "checkov:CKV_AZURE_7",
    "kics:f5342045-b935-402d-adf1-8dbbd09c0eef",
    "cis-aks:5.4.4",
    "cis-aks:4.4.1",
    "cis-k8s:5.3.1",
    "mcsb:NS-1",
  ],
  enforcementLevel: "mandatory",
  types: [MANAGED_CLUSTER],
  check: (ctx) => {
    const policy = get(ctx.props, "networkProfile.networkPolicy");
    const dataplane = get(ctx.props, "networkProfile.networkDataplane");
    if (!ctx.known([policy, dataplane], "networkProfile.networkPolicy")) return;
    if (isAbsent(policy) && isAbsent(dataplane) && !ctx.judgesAbsent) return;
    // Azure CNI powered by Cilium enforces network policies whatever networkPolicy says.
    if (oneOf(dataplane, "cilium") || oneOf(policy, ...NETWORK_POLICY_ENGINES)) return;
    ctx.report(
      `networkProfile.networkPolicy is ${show(policy, "none")}, so NetworkPolicies are not enforced; set it to one of ${NETWORK_POLICY_ENGINES.join(", ")} (or networkProfile.networkDataplane cilium)`,
    );
  },
});

export const azureAksAzureCni = resourceRule({
  name: "azure-aks-azure-cni",
  description:
    "AKS clusters use Azure CNI (networkProfile.networkPlugin azure, overlay or not): kubenet, the default when unset on older API versions, routes pods through user-defined routes and is retired.",
  remediation:
    'Set networkProfile.networkPlugin "azure" (networkPluginMode "overlay" keeps pod addresses off the VNet).',
  benchmarks: ["checkov:CKV2_AZURE_29"],
  enforcementLevel: "mandatory",
  types: [MANAGED_CLUSTER],
  check: (ctx) => {
    const plugin = get(ctx.props, "networkProfile.networkPlugin");
    if (!ctx.known(plugin, "networkProfile.networkPlugin") || (isAbsent(plugin) && !ctx.judgesAbsent)) return;
    if (!oneOf(plugin, "azure", "none"))
      ctx.report(`networkProfile.networkPlugin is ${show(plugin, "kubenet")}; set it to "azure"`);
  },
});

export const azureAksKmsEncryption = resourceRule({
  name: "azure-aks-kms-etcd-encryption",
  description:
    "AKS clusters encrypt Kubernetes secrets in etcd with a customer-managed Key Vault key (KMS plugin).",
  remediation:
    'Set securityProfile.azureKeyVaultKms { enabled: true, keyId, keyVaultNetworkAccess: "Private", keyVaultResourceId } (AzurePrivateCluster creates the vault and key).',
  benchmarks: ["cis-aks:5.3.1", "mcsb:DP-5"],
  enforcementLevel: "mandatory",
  types: [MANAGED_CLUSTER],
  check: (ctx) =>
    checkSettings(ctx, ctx.props, [
      {
        path: "securityProfile.azureKeyVaultKms.enabled",
        holds: enabled,
        providerDefault: "Azure default false",
        risk: "Kubernetes secrets in etcd are encrypted only with platform keys",
        fix: "set it to true with keyId and keyVaultResourceId naming a Key Vault key",
      },
    ]),
});

export const azureAksVersionSupported = resourceRule({
  name: "azure-aks-version-supported",
  description:
    "AKS clusters and node pools run a Kubernetes minor AKS supports (GA or LTS, as the library's facts table records it): kubernetesVersion, and each pool's orchestratorVersion.",
  remediation:
    "Set kubernetesVersion (and pool orchestratorVersion) to a supported minor and upgrade one minor at a time; list a newer minor than the table knows in this rule's allowedVersions.",
  benchmarks: ["hybrid-ai-infra:supported-versions"],
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedVersions: {
        type: "array",
        items: { type: "string", pattern: "^\\d+\\.\\d+$" },
        default: [],
        description: "Minors to accept beyond the library's table (a release newer than the table).",
      },
    },
  },
  types: [MANAGED_CLUSTER, AGENT_POOL],
  check: (ctx) => {
    const supported = [...LIBRARY_VERSIONS.aks, ...strings(ctx.config.allowedVersions)];
    const versions: { value: unknown; at: string }[] =
      ctx.type === MANAGED_CLUSTER
        ? [
            { value: ctx.props.kubernetesVersion, at: "kubernetesVersion" },
            ...list(ctx.props.agentPoolProfiles).map((p, i) => ({
              value: get(p, "orchestratorVersion"),
              at: `agentPoolProfiles[${i}].orchestratorVersion`,
            })),
          ]
        : [{ value: ctx.props.orchestratorVersion, at: "orchestratorVersion" }];
    for (const { value, at } of versions) {
      if (!ctx.known(value, at) || isAbsent(value)) continue;
      const verdict = supportedMinor(value, supported);
      if (verdict !== true)
        ctx.report(`${at} is ${show(value)}, ${verdict}; supported: ${supported.join(", ")}`);
    }
  },
});

/**
 * Every add-on profile of that name, whatever the key's casing (ARM reads addon names
 * case-insensitively, so `azurepolicy` and `azurePolicy` are two claims on one add-on and each
 * must hold), or `UNKNOWN` while the profiles are.
 */
function addons(props: Props, name: string): unknown[] | typeof UNKNOWN {
  const profiles = get(props, "addonProfiles");
  if (isUnknown(profiles)) return UNKNOWN;
  return entries(profiles)
    .filter(([k]) => k.toLowerCase() === name.toLowerCase())
    .map(([, v]) => v);
}

/** Whether every one of `profiles` is enabled (none: false). */
const allEnabled = (profiles: unknown[]) =>
  profiles.length > 0 && profiles.every((p) => isTrue(get(p, "enabled")));

export const azureAksAzurePolicyAddon = resourceRule({
  name: "azure-aks-azure-policy-addon",
  description:
    "AKS clusters run the Azure Policy add-on (addonProfiles.azurepolicy.enabled), so Pod Security and other admission policies assigned to the subscription are enforced inside the cluster.",
  remediation:
    "Set addonProfiles.azurepolicy to { enabled: true } and assign the Kubernetes pod security initiative.",
  benchmarks: ["checkov:CKV_AZURE_116", "cis-aks:4.3", "cis-k8s:5.2.1"],
  // The library's AKS clusters do not enable it yet: a finding for the components, not a false positive.
  enforcementLevel: "advisory",
  types: [MANAGED_CLUSTER],
  check: (ctx) => {
    const profiles = addons(ctx.props, "azurepolicy");
    if (!ctx.known(profiles, "addonProfiles.azurepolicy") || isUnknown(profiles)) return;
    if (profiles.length === 0 && !ctx.judgesAbsent) return;
    if (!allEnabled(profiles))
      ctx.report(
        `addonProfiles.azurepolicy is ${profiles.length === 0 ? "unset" : profiles.map((p) => show(p)).join(", ")}, so no admission policy is enforced; enable it`,
      );
  },
});

export const azureAksNoRunCommand = resourceRule({
  name: "azure-aks-no-run-command",
  description:
    "AKS command invoke is off (apiServerAccessProfile.disableRunCommand true): with it, anyone holding the cluster's Azure runCommand permission runs kubectl as cluster admin from outside the private network, bypassing Kubernetes RBAC.",
  remediation:
    "Set apiServerAccessProfile.disableRunCommand true and reach the private API server over the VNet or VPN.",
  benchmarks: ["mcsb:PA-7", "hybrid-ai-infra:private-clusters"],
  enforcementLevel: "mandatory",
  types: [MANAGED_CLUSTER],
  check: (ctx) =>
    checkSettings(ctx, ctx.props, [
      {
        path: "apiServerAccessProfile.disableRunCommand",
        holds: enabled,
        providerDefault: "Azure default false",
        risk: "az aks command invoke runs kubectl as cluster admin from outside the private network",
        fix: "set it to true",
      },
    ]),
});

export const azureAksMonitoring = resourceRule({
  name: "azure-aks-monitoring",
  description:
    "AKS clusters send container logs and metrics to Azure Monitor: the omsagent (Container Insights) add-on enabled, or azureMonitorProfile with container insights.",
  remediation:
    "Set addonProfiles.omsagent { enabled: true, config: { logAnalyticsWorkspaceResourceID } } (AzurePrivateCluster does), or azureMonitorProfile.containerInsights.enabled.",
  benchmarks: ["checkov:CKV_AZURE_4", "mcsb:LT-4"],
  enforcementLevel: "mandatory",
  types: [MANAGED_CLUSTER],
  check: (ctx) => {
    const oms = addons(ctx.props, "omsagent");
    const insights = get(ctx.props, "azureMonitorProfile.containerInsights.enabled");
    // Either one, known enabled, is enough; otherwise an unknown one may be.
    if ((!isUnknown(oms) && allEnabled(oms)) || isTrue(insights)) return;
    if (!ctx.known([oms, insights], "addonProfiles.omsagent, azureMonitorProfile") || isUnknown(oms)) return;
    if (!ctx.judgesAbsent && oms.length === 0 && isAbsent(insights)) return;
    ctx.report(
      "neither addonProfiles.omsagent nor azureMonitorProfile.containerInsights is enabled, so container logs are not collected; enable one",
    );
  },
});

export const azureAksNoInsecureAddons = resourceRule({
  name: "azure-aks-no-insecure-addons",
  description:
    "AKS clusters run neither the Kubernetes dashboard (kubeDashboard) nor HTTP application routing (httpApplicationRouting), which expose cluster control and workloads without TLS or Entra ID.",
  remediation:
    "Set addonProfiles.kubeDashboard and addonProfiles.httpApplicationRouting to { enabled: false } (or leave them out).",
  benchmarks: ["checkov:CKV_AZURE_8", "checkov:CKV_AZURE_246", "kics:61c3cb8b-0715-47e4-b788-86dde40dd2db"],
  enforcementLevel: "mandatory",
  types: [MANAGED_CLUSTER],
  check: (ctx) => {
    for (const name of ["kubeDashboard", "httpApplicationRouting"]) {
      const profiles = addons(ctx.props, name);
      if (isUnknown(profiles)) {
        ctx.known(profiles, `addonProfiles.${name}`);
        continue;
      }
      // One enabled profile is wrong whatever the others say; an unknown one may be.
      if (profiles.some((p) => isTrue(get(p, "enabled"))))
        ctx.report(`addonProfiles.${name}.enabled is true; disable it`);
      else ctx.known(profiles, `addonProfiles.${name}`);
    }
  },
});

export const azureAksSecretsStoreRotation = resourceRule({
  name: "azure-aks-secrets-store-rotation",
  description:
    "When the Key Vault Secrets Store CSI driver add-on is on, it rotates mounted secrets (config.enableSecretRotation true), so a rotated or revoked secret leaves the pods.",
  remediation: 'Set addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation "true".',
  benchmarks: ["checkov:CKV_AZURE_172"],
  enforcementLevel: "mandatory",
  types: [MANAGED_CLUSTER],
  check: (ctx) => {
    const profiles = addons(ctx.props, "azureKeyvaultSecretsProvider");
    if (!ctx.known(profiles, "addonProfiles.azureKeyvaultSecretsProvider") || isUnknown(profiles)) return;
    // Any profile that may be on must rotate: the add-on runs if one of them turns it on.
    if (!profiles.some((p) => isTrue(get(p, "enabled")))) return;
    for (const p of profiles) {
      const rotation = get(p, "config.enableSecretRotation");
      if (!isTrue(rotation))
        ctx.report(
          `addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation is ${show(rotation)}; set it to "true"`,
        );
    }
  },
});

export const azureAksUpgradeChannel = resourceRule({
  name: "azure-aks-upgrade-channel",
  description:
    "AKS clusters follow an automatic upgrade channel (autoUpgradeProfile.upgradeChannel other than none), so security patches arrive.",
  remediation: 'Set autoUpgradeProfile.upgradeChannel "patch" (or "stable") with a maintenance window.',
  benchmarks: ["checkov:CKV_AZURE_171"],
  enforcementLevel: "mandatory",
  types: [MANAGED_CLUSTER],
  check: (ctx) => {
    const channel = get(ctx.props, "autoUpgradeProfile.upgradeChannel");
    if (!ctx.known(channel, "autoUpgradeProfile.upgradeChannel") || (isAbsent(channel) && !ctx.judgesAbsent))
      return;
    if (isAbsent(channel) || oneOf(channel, "none"))
      ctx.report(
        `autoUpgradeProfile.upgradeChannel is ${show(channel, "none")}, so no upgrade is applied; set it to "patch"`,
      );
  },
});

export const azureAksPaidSku = resourceRule({
  name: "azure-aks-paid-sku",
  description:
    "AKS clusters use a paid tier (sku.tier Standard or Premium), which carries the uptime SLA and, with Premium, long-term support.",
  remediation: 'Set sku.tier "Standard" (AzurePrivateCluster does outside dev).',
  benchmarks: ["checkov:CKV_AZURE_170"],
  enforcementLevel: "advisory",
  types: [MANAGED_CLUSTER],
  check: (ctx) => {
    const tier = get(ctx.props, "sku.tier");
    if (!ctx.known(tier, "sku.tier") || (isAbsent(tier) && !ctx.judgesAbsent)) return;
    if (!oneOf(tier, "Standard", "Premium"))
      ctx.report(`sku.tier is ${show(tier, "Free")}; set it to "Standard"`);
  },
});

// ---------------------------------------------------------------- node pools

/**
 * Calls `check` on each node pool a resource defines: the AgentPool itself, or each pool a
 * ManagedCluster gives inline in agentPoolProfiles, with the prefix and pool name its messages use.
 */
export function forEachPool(
  ctx: ResourceContext,
  check: (pool: Props, at: string, label: string) => void,
): void {
  if (ctx.type === AGENT_POOL) {
    check(ctx.props, "", "");
    return;
  }
  const pools = ctx.props.agentPoolProfiles;
  if (!ctx.known(pools, "agentPoolProfiles")) return;
  list(pools).forEach((pool, i) => {
    const p = (pool ?? {}) as Props;
    check(p, `agentPoolProfiles[${i}].`, typeof p.name === "string" ? ` (pool ${p.name})` : "");
  });
}

const POOL_TYPES = [AGENT_POOL, MANAGED_CLUSTER];

export const azureAksEncryptionAtHost = resourceRule({
  name: "azure-aks-node-encryption-at-host",
  description:
    "AKS node pools (AgentPool resources and a cluster's inline agentPoolProfiles) encrypt temp disks and disk caches at the VM host.",
  remediation: "Set enableEncryptionAtHost true on every pool; the library's node pools do.",
  benchmarks: ["checkov:CKV_AZURE_227", "mcsb:DP-4"],
  enforcementLevel: "mandatory",
  types: POOL_TYPES,
  check: (ctx) =>
    forEachPool(ctx, (pool, at, label) =>
      checkSettings(
        ctx,
        pool,
        [
          {
            path: "enableEncryptionAtHost",
            holds: enabled,
            providerDefault: "Azure default false",
            risk: "temp disks and OS/data disk caches on the node hosts are not encrypted",
            fix: "set it to true (the subscription needs the EncryptionAtHost feature registered)",
          },
        ],
        at,
        label,
      ),
    ),
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
  check: (ctx) => {
    if (isTrue(ctx.config.allowNodePublicIp)) return;
    forEachPool(ctx, (pool, at, label) => {
      const value = pool.enableNodePublicIP;
      if (ctx.known(value, `${at}enableNodePublicIP`) && isTrue(value))
        ctx.report(
          `${at}enableNodePublicIP${label} is true, so every node gets a public IP address; set it to false (or leave it unset)`,
        );
    });
  },
});

/**
 * Azure N-series sizes by name, first match wins: the AMD families first, then every other NC,
 * NCC, ND and NV size, whose GPUs are NVIDIA's. Sources: the Azure GPU-optimized VM size pages
 * (NVv4, NVads V710 v5, ND MI300X v5 are AMD).
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

const TAINT = /^(?<key>[^=:]+)(?:=(?<value>[^:]*))?:(?<effect>[A-Za-z]+)$/;

export const azureAksGpuTaint = resourceRule({
  name: "azure-aks-gpu-node-taint",
  description:
    "AKS node pools of NVIDIA GPU sizes (NC, NCC, ND, NV) carry a NoSchedule taint on nvidia.com/gpu, so only pods that tolerate it (GPU workloads) land on GPU nodes.",
  remediation:
    'Add "nvidia.com/gpu=true:NoSchedule" to the pool\'s nodeTaints (AzureGpuNodePool does) and tolerate it in GPU workloads.',
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
  check: (ctx) => {
    const keys = strings(ctx.config.gpuTaintKeys);
    forEachPool(ctx, (pool, at, label) => {
      const size = pool.vmSize;
      if (!ctx.known([size, pool.nodeTaints], `${at}vmSize, nodeTaints`)) return;
      if (typeof size !== "string" || !hasNvidiaGpu(size)) return;
      if (isAbsent(pool.nodeTaints) && !ctx.judgesAbsent) return;
      const tainted = strings(pool.nodeTaints).some((t) => {
        const parts = TAINT.exec(t)?.groups;
        return (
          parts !== undefined &&
          keys.includes(parts.key ?? "") &&
          oneOf(parts.effect, "NoSchedule", "NoExecute")
        );
      });
      if (!tainted)
        ctx.report(
          `${at}nodeTaints${label} is ${show(pool.nodeTaints)} on GPU size ${size}, so pods that need no GPU can take the GPU nodes; add a ${keys.join(" or ")} taint with effect NoSchedule, e.g. "${keys[0] ?? "nvidia.com/gpu"}=true:NoSchedule"`,
        );
    });
  },
});

export const azureAksSystemPoolIsolated = resourceRule({
  name: "azure-aks-system-pool-isolated",
  description:
    "System-mode node pools carry the CriticalAddonsOnly=true:NoSchedule taint, so only critical system pods (CoreDNS, metrics-server, the CNI) run on them and a workload cannot starve them.",
  remediation:
    'Add "CriticalAddonsOnly=true:NoSchedule" to every System pool\'s nodeTaints and run workloads on User pools.',
  benchmarks: ["checkov:CKV_AZURE_232"],
  enforcementLevel: "mandatory",
  types: POOL_TYPES,
  check: (ctx) =>
    forEachPool(ctx, (pool, at, label) => {
      if (!ctx.known([pool.mode, pool.nodeTaints], `${at}mode, nodeTaints`) || !oneOf(pool.mode, "System"))
        return;
      if (isAbsent(pool.nodeTaints) && !ctx.judgesAbsent) return;
      const isolated = strings(pool.nodeTaints).some((t) => {
        const parts = TAINT.exec(t)?.groups;
        return parts?.key === "CriticalAddonsOnly" && oneOf(parts.effect, "NoSchedule", "NoExecute");
      });
      if (!isolated)
        ctx.report(
          `${at}nodeTaints${label} of a System pool lacks CriticalAddonsOnly=true:NoSchedule, so workloads share the system nodes; add it`,
        );
    }),
});

/** Diagnostic log categories that carry the API server's audit log. */
const AUDIT_CATEGORIES = ["kube-audit", "kube-audit-admin"];

export const azureAksAuditLogs = stackRule({
  name: "azure-aks-audit-logs",
  description:
    "Every AKS cluster sends its API server audit log (kube-audit or kube-audit-admin, or the audit/allLogs category group) to a destination through a diagnostic setting on the cluster.",
  remediation:
    'Declare a monitor.DiagnosticSetting on the cluster with logs [{ category: "kube-audit-admin", enabled: true }] to a Log Analytics workspace (AzurePrivateCluster does).',
  benchmarks: ["cis-aks:2.1.1", "mcsb:LT-3"],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    const settings = ctx.ofType(DIAGNOSTIC_SETTING);
    for (const cluster of ctx.ofType(MANAGED_CLUSTER)) {
      const mine = settings.filter((s) => refersTo(s, "resourceUri", cluster, (c) => [c.props.resourceName]));
      const logs = mine.flatMap((s) => list(s.props.logs));
      if (!ctx.known(logs, `${cluster.name} diagnostic settings`)) continue;
      const audited = logs.some(
        (l) =>
          !isFalse(get(l, "enabled")) &&
          (oneOf(get(l, "category"), ...AUDIT_CATEGORIES) ||
            oneOf(get(l, "categoryGroup"), "audit", "allLogs")),
      );
      if (!audited)
        ctx.report(
          `AKS cluster ${cluster.name} sends no API server audit log (kube-audit or kube-audit-admin) to a diagnostic destination`,
          cluster.urn,
        );
    }
  },
});

export const FAMILY = family("azure-aks", "AKS", [
  azureAksPrivateCluster,
  azureAksNoLocalAccounts,
  azureAksAzureRbac,
  azureAksNetworkPolicy,
  azureAksAzureCni,
  azureAksKmsEncryption,
  azureAksVersionSupported,
  azureAksAzurePolicyAddon,
  azureAksNoRunCommand,
  azureAksMonitoring,
  azureAksNoInsecureAddons,
  azureAksSecretsStoreRotation,
  azureAksUpgradeChannel,
  azureAksPaidSku,
  azureAksEncryptionAtHost,
  azureAksNoNodePublicIp,
  azureAksGpuTaint,
  azureAksSystemPoolIsolated,
  azureAksAuditLogs,
]);
