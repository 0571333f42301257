import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  type ClusterPlacementArgs,
  type Common,
  type CommonArgs,
  clusterPlacementShape,
  input,
  trustOf,
} from "../../kit";
import type { Trust } from "../../placement";
import { ipv4Cidr, kubernetesVersionSchema } from "../../validation";
import { type AzureClusterNetwork, clusterNetworkShape } from "../cluster-network";
import { groupArgsShape } from "../group";
import { WORKSPACE_ID } from "../ids";
import {
  type AzureNodePoolSettings,
  MIG_PROFILES,
  type MigProfile,
  nodePoolSettingsShape,
  POOL_NAME,
  type ResolvedPoolSettings,
  resolvePoolSettings,
  ZONES,
} from "../node-pool";
import { RBAC_PROPAGATION_DEFAULT_SECONDS, RBAC_PROPAGATION_SECONDS } from "../rbac-propagation";
import { required } from "../validation";

/** Kubernetes access through Azure RBAC, by the short name the args use (roles: `access.ts`). */
export const RBAC_ROLE_NAMES = ["ClusterAdmin", "Admin", "Writer", "Reader"] as const;
export type RbacRoleName = (typeof RBAC_ROLE_NAMES)[number];

/** A node pool declared with the cluster; it becomes a placement pool of the cluster's target. */
export interface AzureClusterNodePool extends AzureNodePoolSettings {
  /** Pool name: node label, placement pool and child name suffix; the AKS agent pool name is it without dashes (at most 12). */
  name: string;
  /** GPU pools only: "Install" (default, AKS installs the NVIDIA driver) or "None" (a GPU operator does). */
  gpuDriver?: "Install" | "None";
  /** GPU pools only: split each GPU with NVIDIA MIG (A100, H100); placement then offers the slices as GPU model `<model>-<profile>`, e.g. A100-MIG1g. */
  migProfile?: MigProfile;
}

/** Kubernetes access granted through Azure RBAC, besides the admin groups. */
export interface AzureClusterRbacAssignment {
  /** Entra ID object id of a user, group or service principal. */
  principalId: string;
  /** "ClusterAdmin" (cluster-wide only), "Admin", "Writer" or "Reader". */
  role: RbacRoleName;
  /** The principal's kind; omitted, ARM looks it up. */
  principalType?: "User" | "Group" | "ServicePrincipal";
  /** Limit the grant to one namespace; default the whole cluster. */
  namespace?: string;
}

/** The system pool that runs only add-ons (taint CriticalAddonsOnly). */
export interface AzureClusterSystemPool {
  /** General-purpose VM size; default Standard_D4ds_v5. */
  vmSize?: string;
  /** Fewest nodes the autoscaler keeps; default 2. */
  minCount?: number;
  /** Most nodes the autoscaler adds; default 3. */
  maxCount?: number;
  /** Node OS; default "AzureLinux". */
  osSku?: "AzureLinux" | "Ubuntu";
  /** OS disk size, GiB; default 128, ephemeral where the size's local disk holds it. */
  osDiskSizeGiB?: number;
  /**
   * Encrypt the nodes' temp disks and caches at the host. Default true; the subscription must have
   * the feature registered first (`az feature register --namespace Microsoft.Compute --name
   * EncryptionAtHost`), or AKS rejects the cluster. Off only where it cannot be registered; the
   * policy pack reports it.
   */
  encryptionAtHost?: boolean;
}

/** Arguments of `AzurePrivateCluster`. */
export interface AzurePrivateClusterArgs extends CommonArgs {
  /** Resource group of the cluster, its identities, Key Vault and workspace (the stack creates it). */
  resourceGroupName: pulumi.Input<string>;
  /** Azure region, e.g. westeurope; default the resource group's. */
  location?: string;
  /** The network: an `AzureVnet`, or the ids of an existing VNet. */
  network: AzureClusterNetwork;
  /** AKS cluster name; default `<component name>-<environment>`. */
  clusterName?: string;
  /**
   * Kubernetes minor version, e.g. "1.34"; default AKS's default for new clusters. Pin it per
   * environment: the control plane and every pool run it (raise it one minor at a time). A minor past
   * AKS community support (by the facts table, `AKS_VERSION_CALENDAR`) is refused unless `supportPlan`
   * is "AKSLongTermSupport"; one leaving it within three months is warned about.
   */
  kubernetesVersion?: string;
  /**
   * "KubernetesOfficial" (default: AKS community support, a year from a minor's GA) or
   * "AKSLongTermSupport" (a second year of patches; needs `skuTier: "Premium"`).
   */
  supportPlan?: "KubernetesOfficial" | "AKSLongTermSupport";
  /** Entra ID group object ids whose members are cluster-admin; at least one (local accounts are disabled). */
  adminGroupObjectIds: string[];
  /** Further Kubernetes access through Azure RBAC (e.g. a CI service principal, a team's namespace). */
  rbacAssignments?: AzureClusterRbacAssignment[];
  /** API server private DNS zone: "system" (default, AKS manages it) or the id of a privatelink.<region>.azmk8s.io zone. */
  privateDnsZone?: string;
  /**
   * Network access to the etcd KMS Key Vault. "Private" (the default when `network.apiServerSubnetId`
   * is given, as an `AzureVnet` gives it): the vault has no public endpoint, and AKS reaches it from
   * the API server's subnet through a private endpoint. "Public": the vault is reachable from the
   * internet, gated only by Entra ID and RBAC on the key (a vault firewall would block the KMS
   * plugin); it is the default only without an API server subnet (an existing VNet that has none),
   * and should be chosen explicitly only where API server VNet integration is unavailable. The
   * plan's security view shows it ("Key Vault KMS (Public vault)").
   */
  kmsKeyVaultAccess?: "Public" | "Private";
  /** "Free", "Standard" or "Premium"; default Free in "dev", Standard (uptime SLA) elsewhere. */
  skuTier?: "Free" | "Standard" | "Premium";
  /** Kubernetes auto-upgrade channel; default "patch" (patches only, so the pinned minor version holds). */
  upgradeChannel?: "patch" | "stable" | "rapid" | "node-image" | "none";
  /** Node OS upgrade channel; default "NodeImage" (weekly images with OS and GPU driver fixes). */
  nodeOsUpgradeChannel?: "NodeImage" | "SecurityPatch" | "Unmanaged" | "None";
  /** Pod range of the CNI overlay; default 10.244.0.0/16. */
  podCidr?: string;
  /** Service range; default 10.245.0.0/16 (DNS service at .10). */
  serviceCidr?: string;
  /** Days the workspace keeps control-plane logs (30-730). Default 365. Ignored with `logAnalyticsWorkspaceId`. */
  logRetentionDays?: number;
  /** Send logs to this Log Analytics workspace instead of creating one; in the cluster's region, where Container Insights' data collection rule lives. */
  logAnalyticsWorkspaceId?: pulumi.Input<string>;
  /** Allow `az aks command invoke` (runs kubectl inside Azure, around the private network). Default false. */
  runCommand?: boolean;
  /** Run NVIDIA's device plugin on GPU nodes whose driver AKS installs (without it no pod can request `nvidia.com/gpu`). Default true; off when a GPU operator manages drivers and the plugin (`gpuDriver: "None"`). */
  gpuDevicePlugin?: boolean;
  /**
   * Azure Monitor managed Prometheus: AKS's metrics add-on (ama-metrics) with kube-state-metrics
   * letting through the placement labels the monitoring rules join on. It sends nothing until a
   * data collection rule is associated with the cluster (`AzureClusterMetrics`). Default false.
   */
  managedPrometheus?: boolean;
  /**
   * Seconds the cluster's first create waits after the control plane's grants (the KMS key's
   * crypto role above all) are assigned, for them to take effect (Key Vault: up to 600). Default
   * 300; 0 when the grants were made beforehand.
   */
  rbacPropagationSeconds?: number;
  /** Zones of the system pool (and of general-purpose pools unless they name others). Default ["1", "2", "3"]; [] in regions without zones. */
  availabilityZones?: string[];
  /** The system pool that runs only add-ons (taint CriticalAddonsOnly): Standard_D4ds_v5, 2-3 nodes by default. */
  systemPool?: AzureClusterSystemPool;
  /** Pools for workloads; a pool of a GPU size becomes an `AzureGpuNodePool`, others an `AzureNodePool`. */
  nodePools?: AzureClusterNodePool[];
  /** How placement sees the cluster. */
  placement: ClusterPlacementArgs;
}

/**
 * The defaults of `AzurePrivateClusterArgs`, in one table. Two more depend on other args:
 * `clusterName` (`<component name>-<environment>`) and `kmsKeyVaultAccess` ("Private" with an API
 * server subnet, "Public" without one); see `clusterSettings`.
 */
export const CLUSTER_DEFAULTS = {
  privateDnsZone: "system",
  supportPlan: "KubernetesOfficial",
  /** By environment: Free in "dev", Standard (uptime SLA) elsewhere. */
  skuTier: { dev: "Free", other: "Standard" },
  upgradeChannel: "patch",
  nodeOsUpgradeChannel: "NodeImage",
  /** Pod and service ranges of the CNI overlay: never routed outside the cluster, but they must not clash with networks pods reach. */
  podCidr: "10.244.0.0/16",
  serviceCidr: "10.245.0.0/16",
  logRetentionDays: 365,
  runCommand: false,
  gpuDevicePlugin: true,
  managedPrometheus: false,
  rbacPropagationSeconds: RBAC_PROPAGATION_DEFAULT_SECONDS,
  availabilityZones: ["1", "2", "3"],
  systemPool: {
    vmSize: "Standard_D4ds_v5",
    minCount: 2,
    maxCount: 3,
    osSku: "AzureLinux",
    encryptionAtHost: true,
  },
} as const;

const NO_LOCAL_ADMIN = "with local accounts disabled nobody else can administer the cluster";
const GUID = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    "is not an Entra ID object id (a GUID)",
  );
const PRIVATE_DNS_ZONE = z.union([
  z.literal("system"),
  z
    .string()
    .regex(
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateDnsZones\/([a-z0-9-]+\.)?privatelink\.[a-z0-9]+\.azmk8s\.io$/i,
      'is neither "system" nor the id of a privatelink.<region>.azmk8s.io private DNS zone',
    ),
]);
const NAMESPACE = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "is not a Kubernetes namespace name");

/** The zod schema of `AzurePrivateClusterArgs`, field by field; `checks.ts` adds what spans fields. */
export const clusterArgsSchema = z.strictObject({
  ...groupArgsShape,
  network: z.looseObject(clusterNetworkShape),
  clusterName: z
    .string()
    .regex(
      /^[a-zA-Z0-9]([-_a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/,
      "must be 1-63 letters, digits, - and _, starting and ending with a letter or digit",
    )
    .optional(),
  kubernetesVersion: kubernetesVersionSchema.optional(),
  supportPlan: z.enum(["KubernetesOfficial", "AKSLongTermSupport"]).optional(),
  adminGroupObjectIds: required(
    z.array(GUID).min(1, `needs at least one Entra ID group: ${NO_LOCAL_ADMIN}`),
    `is required: name at least one Entra ID group; ${NO_LOCAL_ADMIN}`,
  ),
  rbacAssignments: z
    .array(
      z.strictObject({
        principalId: GUID,
        role: z.enum(RBAC_ROLE_NAMES),
        principalType: z.enum(["User", "Group", "ServicePrincipal"]).optional(),
        namespace: NAMESPACE.optional(),
      }),
    )
    .optional(),
  privateDnsZone: PRIVATE_DNS_ZONE.optional(),
  kmsKeyVaultAccess: z.enum(["Public", "Private"]).optional(),
  skuTier: z.enum(["Free", "Standard", "Premium"]).optional(),
  upgradeChannel: z.enum(["patch", "stable", "rapid", "node-image", "none"]).optional(),
  nodeOsUpgradeChannel: z.enum(["NodeImage", "SecurityPatch", "Unmanaged", "None"]).optional(),
  podCidr: ipv4Cidr({ min: 8, max: 24 }).optional(),
  serviceCidr: ipv4Cidr({ min: 8, max: 24 }).optional(),
  logRetentionDays: z.number().int().min(30).max(730).optional(),
  logAnalyticsWorkspaceId: input(WORKSPACE_ID).optional(),
  runCommand: z.boolean().optional(),
  gpuDevicePlugin: z.boolean().optional(),
  managedPrometheus: z.boolean().optional(),
  rbacPropagationSeconds: RBAC_PROPAGATION_SECONDS.optional(),
  availabilityZones: ZONES.optional(),
  systemPool: z
    .strictObject({
      vmSize: z.string().min(1).optional(),
      minCount: z.number().int().min(1).max(100).optional(),
      maxCount: z.number().int().min(1).max(100).optional(),
      osSku: z.enum(["AzureLinux", "Ubuntu"]).optional(),
      osDiskSizeGiB: z.number().int().min(30).max(2048).optional(),
      encryptionAtHost: z.boolean().optional(),
    })
    .optional(),
  nodePools: z
    .array(
      z.strictObject({
        ...nodePoolSettingsShape,
        name: POOL_NAME,
        gpuDriver: z.enum(["Install", "None"]).optional(),
        migProfile: z.enum(MIG_PROFILES).optional(),
      }),
    )
    .optional(),
  placement: z.strictObject(clusterPlacementShape),
});

/** `AzurePrivateClusterArgs` once parsed. */
export type ParsedClusterArgs = z.output<typeof clusterArgsSchema>;

/** The cluster's args with every default applied, once: what the component's pieces read. */
export interface ResolvedClusterArgs {
  /** The component's name (child names derive from it). */
  name: string;
  resourceGroupName: pulumi.Input<string>;
  location?: string | undefined;
  network: ParsedClusterArgs["network"];
  clusterName: string;
  kubernetesVersion?: string | undefined;
  supportPlan: "KubernetesOfficial" | "AKSLongTermSupport";
  adminGroupObjectIds: string[];
  rbacAssignments: NonNullable<ParsedClusterArgs["rbacAssignments"]>;
  kmsAccess: "Public" | "Private";
  privateDnsZone: string;
  skuTier: "Free" | "Standard" | "Premium";
  upgradeChannel: NonNullable<ParsedClusterArgs["upgradeChannel"]>;
  nodeOsUpgradeChannel: NonNullable<ParsedClusterArgs["nodeOsUpgradeChannel"]>;
  podCidr: string;
  serviceCidr: string;
  logRetentionDays: number;
  /** A given workspace; undefined: the component creates one. */
  logAnalyticsWorkspaceId?: pulumi.Input<string> | undefined;
  runCommand: boolean;
  gpuDevicePlugin: boolean;
  managedPrometheus: boolean;
  rbacPropagationSeconds: number;
  /** Zones of the system pool, and of general-purpose pools that name none. */
  zones: string[];
  /** The placement trust zone, labelled on every node. */
  trust: Trust;
  placement: ParsedClusterArgs["placement"];
  /** The system pool, as a general-purpose pool with the cluster's zones. */
  systemPool: ResolvedPoolSettings;
  /** The workload pools as given (each pool component resolves its own). */
  nodePools: NonNullable<ParsedClusterArgs["nodePools"]>;
  common: Common;
}

/**
 * Applies `CLUSTER_DEFAULTS` (and the defaults that depend on other args) to parsed args. The
 * system pool's size must have passed `checkClusterArgs`.
 */
export function resolveClusterArgs(
  name: string,
  args: ParsedClusterArgs,
  common: Common,
): ResolvedClusterArgs {
  const d = CLUSTER_DEFAULTS;
  const system = args.systemPool ?? {};
  const zones = args.availabilityZones ?? [...d.availabilityZones];
  return {
    name,
    resourceGroupName: args.resourceGroupName,
    location: args.location,
    network: args.network,
    clusterName: args.clusterName ?? defaultClusterName(name, common.environment),
    kubernetesVersion: args.kubernetesVersion,
    supportPlan: args.supportPlan ?? d.supportPlan,
    adminGroupObjectIds: args.adminGroupObjectIds,
    rbacAssignments: args.rbacAssignments ?? [],
    // Secure by default: with the API server in the VNet, the KMS vault needs no public endpoint.
    kmsAccess:
      args.kmsKeyVaultAccess ?? (args.network.apiServerSubnetId === undefined ? "Public" : "Private"),
    privateDnsZone: args.privateDnsZone ?? d.privateDnsZone,
    skuTier: args.skuTier ?? defaultSkuTier(common.environment),
    upgradeChannel: args.upgradeChannel ?? d.upgradeChannel,
    nodeOsUpgradeChannel: args.nodeOsUpgradeChannel ?? d.nodeOsUpgradeChannel,
    podCidr: args.podCidr ?? d.podCidr,
    serviceCidr: args.serviceCidr ?? d.serviceCidr,
    logRetentionDays: args.logRetentionDays ?? d.logRetentionDays,
    logAnalyticsWorkspaceId: args.logAnalyticsWorkspaceId,
    runCommand: args.runCommand ?? d.runCommand,
    gpuDevicePlugin: args.gpuDevicePlugin ?? d.gpuDevicePlugin,
    managedPrometheus: args.managedPrometheus ?? d.managedPrometheus,
    rbacPropagationSeconds: args.rbacPropagationSeconds ?? d.rbacPropagationSeconds,
    zones,
    trust: trustOf("azure", args.placement),
    placement: args.placement,
    systemPool: resolvePoolSettings(
      {
        vmSize: system.vmSize ?? d.systemPool.vmSize,
        minCount: system.minCount ?? d.systemPool.minCount,
        maxCount: system.maxCount ?? d.systemPool.maxCount,
        osSku: system.osSku ?? d.systemPool.osSku,
        encryptionAtHost: system.encryptionAtHost ?? d.systemPool.encryptionAtHost,
        ...(system.osDiskSizeGiB === undefined ? {} : { osDiskSizeGiB: system.osDiskSizeGiB }),
        availabilityZones: zones,
      },
      "cpu",
    ),
    nodePools: args.nodePools ?? [],
    common,
  };
}

/** The AKS cluster name a component gets when its args name none. */
export function defaultClusterName(component: string, environment: string): string {
  return `${component}-${environment}`;
}

/** The SKU tier a cluster of an environment gets when its args name none. */
export function defaultSkuTier(environment: string): "Free" | "Standard" {
  return environment === "dev" ? CLUSTER_DEFAULTS.skuTier.dev : CLUSTER_DEFAULTS.skuTier.other;
}
