import { createHash } from "node:crypto";
import {
  listManagedClusterUserCredentialsOutput,
  ManagedCluster,
} from "@pulumi/azure-native/containerservice";
import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity";
import { Workspace } from "@pulumi/azure-native/operationalinsights";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { NvidiaDevicePlugin } from "../kubernetes";
import type { Pool, Target } from "../placement";
import {
  componentSubject,
  findOverlaps,
  formatPath,
  ipv4Cidr,
  parseOrThrow,
  poolLabels,
  SYSTEM_TAINT,
} from "../pulumi-free";
import {
  type ClusterPlacementArgs,
  type CommonArgs,
  childName,
  clusterPlacementShape,
  commonArgsOf,
  commonArgsShape,
  input,
  placementTargetOf,
  renderKubeconfig,
  resolveCommon,
  statefulOptions,
  trustOf,
} from "../pulumi-kit";
import { azureContext } from "./context";
import { collectContainerInsights, sendDiagnostics } from "./diagnostics";
import { LOCATION, RESOURCE_GROUP_NAME, SUBNET_ID, VNET_ID, WORKSPACE_ID } from "./ids";
import { createEncryptionKey } from "./key-vault";
import {
  type AzureNodePoolSettings,
  agentPoolNameFor,
  agentPoolPlacement,
  agentPoolPlanFor,
  checkPoolSettings,
  MIG_PROFILES,
  type MigProfile,
  nodePoolSettingsShape,
  osDiskFor,
  POOL_DEFAULTS,
  POOL_NAME,
  type PoolKind,
  poolKindOf,
  resolveVmSize,
  taintText,
  ZONES,
} from "./node-pool";
import { AzureGpuNodePool, AzureNodePool } from "./node-pool-components";
import { assignRole } from "./role-assignment";
import type { AzureRole } from "./roles";
import { required } from "./validation";

/**
 * Control-plane log categories sent to Log Analytics. `kube-audit` is the full audit log (it holds
 * every `kube-audit-admin` event plus reads, such as who read a secret), so the admin-only subset
 * is not sent twice.
 */
export const AKS_LOG_CATEGORIES = [
  "kube-apiserver",
  "kube-audit",
  "kube-controller-manager",
  "kube-scheduler",
  "cluster-autoscaler",
  "cloud-controller-manager",
  "guard",
] as const;

/** The Entra ID application every AKS cluster's tokens are issued for (the AKS AAD server). */
export const AKS_AAD_SERVER_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";

/** Kubernetes access through Azure RBAC, by the short name the args use. */
const RBAC_ROLES: Record<"ClusterAdmin" | "Admin" | "Writer" | "Reader", AzureRole> = {
  ClusterAdmin: "Azure Kubernetes Service RBAC Cluster Admin",
  Admin: "Azure Kubernetes Service RBAC Admin",
  Writer: "Azure Kubernetes Service RBAC Writer",
  Reader: "Azure Kubernetes Service RBAC Reader",
};

/** Pod and service ranges of the CNI overlay: never routed outside the cluster, but they must not clash with networks pods reach. */
const DEFAULT_POD_CIDR = "10.244.0.0/16";
const DEFAULT_SERVICE_CIDR = "10.245.0.0/16";

/** The network a cluster runs in: an `AzureVnet`, or the ids of an existing VNet. */
export interface AzureClusterNetwork {
  /** VNet resource id. */
  virtualNetworkId: pulumi.Input<string>;
  /** The VNet's IPv4 address space; the pod and service ranges must not overlap it. */
  addressSpace: pulumi.Input<string>;
  /** The same space as a plain string (an `AzureVnet` sets it), so the overlap check runs when `addressSpace` is an Output. */
  addressSpaceCidr?: string | undefined;
  /** Subnet of the system pool, and of general-purpose pools unless they name another. */
  systemSubnetId: pulumi.Input<string>;
  /** Subnet of GPU pools; default the system subnet. */
  gpuSubnetId?: pulumi.Input<string>;
  /** Subnet delegated to Microsoft.ContainerService/managedClusters (an `AzureVnet` carves one by default): the cluster then runs its API server in it (VNet integration) and keeps its KMS vault private. */
  apiServerSubnetId?: pulumi.Input<string>;
  /** How nodes reach the internet: "userAssignedNATGateway" (the subnets' NAT gateway) or "userDefinedRouting" (the subnets' route table, e.g. to a firewall). */
  outboundType: "userAssignedNATGateway" | "userDefinedRouting";
}

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
  role: keyof typeof RBAC_ROLES;
  /** The principal's kind; omitted, ARM looks it up. */
  principalType?: "User" | "Group" | "ServicePrincipal";
  /** Limit the grant to one namespace; default the whole cluster. */
  namespace?: string;
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
  /** Kubernetes minor version, e.g. "1.33"; default AKS's default for new clusters. Pin it per environment. */
  kubernetesVersion?: string;
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
  /** Zones of the system pool (and of general-purpose pools unless they name others). Default ["1", "2", "3"]; [] in regions without zones. */
  availabilityZones?: string[];
  /** The system pool that runs only add-ons (taint CriticalAddonsOnly): Standard_D4ds_v5, 2-3 nodes by default. */
  systemPool?: {
    vmSize?: string;
    minCount?: number;
    maxCount?: number;
    osSku?: "AzureLinux" | "Ubuntu";
    osDiskSizeGiB?: number;
  };
  /** Pools for workloads; a pool of a GPU size becomes an `AzureGpuNodePool`, others an `AzureNodePool`. */
  nodePools?: AzureClusterNodePool[];
  /** How placement sees the cluster. */
  placement: ClusterPlacementArgs;
}

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

const schema = z
  .strictObject({
    ...commonArgsShape,
    resourceGroupName: input(RESOURCE_GROUP_NAME),
    location: LOCATION.optional(),
    network: z.looseObject({
      virtualNetworkId: input(VNET_ID),
      addressSpace: input(ipv4Cidr()),
      addressSpaceCidr: ipv4Cidr().optional(),
      systemSubnetId: input(SUBNET_ID),
      gpuSubnetId: input(SUBNET_ID).optional(),
      apiServerSubnetId: input(SUBNET_ID).optional(),
      outboundType: z.enum(["userAssignedNATGateway", "userDefinedRouting"]),
    }),
    clusterName: z
      .string()
      .regex(
        /^[a-zA-Z0-9]([-_a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/,
        "must be 1-63 letters, digits, - and _, starting and ending with a letter or digit",
      )
      .optional(),
    kubernetesVersion: z
      .string()
      .regex(/^1\.\d{2}$/, "is not a Kubernetes minor version such as 1.33")
      .optional(),
    adminGroupObjectIds: required(
      z.array(GUID).min(1, `needs at least one Entra ID group: ${NO_LOCAL_ADMIN}`),
      `is required: name at least one Entra ID group; ${NO_LOCAL_ADMIN}`,
    ),
    rbacAssignments: z
      .array(
        z.strictObject({
          principalId: GUID,
          role: z.enum(Object.keys(RBAC_ROLES) as [keyof typeof RBAC_ROLES]),
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
    availabilityZones: ZONES.optional(),
    systemPool: z
      .strictObject({
        vmSize: z.string().min(1).optional(),
        minCount: z.number().int().min(1).max(100).optional(),
        maxCount: z.number().int().min(1).max(100).optional(),
        osSku: z.enum(["AzureLinux", "Ubuntu"]).optional(),
        osDiskSizeGiB: z.number().int().min(30).max(2048).optional(),
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
  })
  .superRefine((args, ctx) => {
    if (args.kmsKeyVaultAccess === "Private" && args.network.apiServerSubnetId === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["kmsKeyVaultAccess"],
        message:
          '"Private" needs API server VNet integration: give network.apiServerSubnetId (an AzureVnet carves it unless apiServerSubnet is false)',
      });
    }
    // The overlay's ranges must not clash with the VNet (nodes) or with each other. The VNet's
    // space is known as a plain string from an AzureVnet (addressSpaceCidr) or when given as one.
    const { addressSpace, addressSpaceCidr } = args.network;
    const space =
      addressSpaceCidr !== undefined
        ? { name: "network.addressSpaceCidr", cidr: addressSpaceCidr }
        : typeof addressSpace === "string"
          ? { name: "network.addressSpace", cidr: addressSpace }
          : undefined;
    const ranges = [
      ...(space ? [space] : []),
      { name: "podCidr", cidr: args.podCidr ?? DEFAULT_POD_CIDR },
      { name: "serviceCidr", cidr: args.serviceCidr ?? DEFAULT_SERVICE_CIDR },
    ];
    for (const { a, b } of findOverlaps(ranges)) {
      ctx.addIssue({
        code: "custom",
        path: [b.name],
        message: `"${b.cidr}" overlaps ${a.name} "${a.cidr}"; pods, services and nodes need distinct ranges`,
      });
    }
    const grants = new Map<string, string>();
    (args.rbacAssignments ?? []).forEach((grant, i) => {
      if (grant.role === "ClusterAdmin" && grant.namespace !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["rbacAssignments", i, "namespace"],
          message: 'ClusterAdmin is cluster-wide; use "Admin" for one namespace',
        });
      }
      const key = `${grant.principalId.toLowerCase()}/${grant.role}/${grant.namespace ?? ""}`;
      const first = grants.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["rbacAssignments", i],
          message: `repeats ${first}; Azure keeps one assignment per principal, role and scope`,
        });
      } else {
        grants.set(key, formatPath(["rbacAssignments", i]));
      }
    });
    const system = args.systemPool ?? {};
    if (system.vmSize !== undefined) {
      const resolved = resolveVmSize(system.vmSize, "cpu");
      if ("problem" in resolved) {
        ctx.addIssue({ code: "custom", path: ["systemPool", "vmSize"], message: resolved.problem });
      }
    }
    if ((system.minCount ?? 2) > (system.maxCount ?? 3)) {
      ctx.addIssue({
        code: "custom",
        path: ["systemPool", "minCount"],
        message: `${system.minCount ?? 2} is above maxCount ${system.maxCount ?? 3}`,
      });
    }
    const names = new Map<string, string>();
    (args.nodePools ?? []).forEach((pool, i) => {
      const gpu = poolKindOf(pool.vmSize) === "gpu";
      checkPoolSettings(pool, gpu, ctx, ["nodePools", i]);
      const agentPoolName = agentPoolNameFor(pool.name);
      if (typeof agentPoolName !== "string") {
        ctx.addIssue({
          code: "custom",
          path: ["nodePools", i, "name"],
          message: `${JSON.stringify(pool.name)} ${agentPoolName.problem}`,
        });
      } else if (agentPoolName === "system" || names.has(agentPoolName)) {
        ctx.addIssue({
          code: "custom",
          path: ["nodePools", i, "name"],
          message:
            agentPoolName === "system"
              ? '"system" is the system pool; pick another name'
              : `${JSON.stringify(pool.name)} gives the same AKS agent pool name as ${names.get(agentPoolName)}; pick distinct names`,
        });
      } else {
        names.set(agentPoolName, `nodePools[${i}]`);
      }
      if (!gpu) {
        for (const field of ["gpuDriver", "migProfile"] as const) {
          if (pool[field] !== undefined) {
            ctx.addIssue({
              code: "custom",
              path: ["nodePools", i, field],
              message: `only applies to GPU pools; "${pool.vmSize}" has no GPU`,
            });
          }
        }
      }
    });
  });

/**
 * A private AKS cluster: API server on a private endpoint with a system or given private DNS zone
 * and no public FQDN; Entra ID with Azure RBAC and local accounts disabled; Azure CNI overlay with
 * the Cilium dataplane enforcing NetworkPolicies; egress through the VNet's NAT gateway or routes;
 * OIDC issuer and workload identity; etcd secrets encrypted with a Key Vault key (purge protection,
 * RBAC) that only the control-plane identity may use; user-assigned identities with their grants in
 * place before the cluster; a system pool with CriticalAddonsOnly, encryption at host and zones;
 * automatic patch and node-image upgrades; a paid tier outside dev; control-plane logs and Container
 * Insights to Log Analytics; a secret kubeconfig (kubelogin) and a placement target.
 */
export class AzurePrivateCluster extends pulumi.ComponentResource {
  /** The AKS cluster name. */
  public readonly clusterName: pulumi.Output<string>;
  /** The cluster's resource id. */
  public readonly clusterId: pulumi.Output<string>;
  /** The cluster's resource group. */
  public readonly resourceGroupName: pulumi.Output<string>;
  /** The API server's private FQDN (resolvable through the private DNS zone). */
  public readonly privateFqdn: pulumi.Output<string>;
  /** The cluster's OIDC issuer URL, for workload identity federation. */
  public readonly oidcIssuerUrl: pulumi.Output<string>;
  /** The resource group AKS manages for the nodes. */
  public readonly nodeResourceGroup: pulumi.Output<string>;
  /** Resource id of the control plane's user-assigned identity. */
  public readonly controlPlaneIdentityId: pulumi.Output<string>;
  /** Principal (object) id of the control plane's identity. */
  public readonly controlPlanePrincipalId: pulumi.Output<string>;
  /** Resource id of the kubelet identity (grant it AcrPull on registries). */
  public readonly kubeletIdentityId: pulumi.Output<string>;
  /** Principal (object) id of the kubelet identity. */
  public readonly kubeletPrincipalId: pulumi.Output<string>;
  /** The Key Vault holding the etcd encryption key. */
  public readonly kmsKeyVaultId: pulumi.Output<string>;
  /** The etcd encryption key's versioned URI. */
  public readonly kmsKeyId: pulumi.Output<string>;
  /** The Log Analytics workspace of the control-plane logs and Container Insights. */
  public readonly logAnalyticsWorkspaceId: pulumi.Output<string>;
  /** Subnet of the system pool and general-purpose pools. */
  public readonly systemSubnetId: pulumi.Output<string>;
  /** Subnet of the GPU pools. */
  public readonly gpuSubnetId: pulumi.Output<string>;
  /** A kubeconfig (secret) that gets Entra ID tokens from `kubelogin` (Azure CLI sign-in). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** A Kubernetes provider for this cluster. */
  public readonly kubernetesProvider: KubernetesProvider;
  /** The placement target of this cluster. */
  public readonly target: pulumi.Output<Target>;
  /** The same target as a plain value, for placement at deploy time. */
  public readonly placementTarget: Target;
  /** The workload pools, by pool name. */
  public readonly nodePools: Record<string, AzureGpuNodePool | AzureNodePool>;

  constructor(name: string, args: AzurePrivateClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AzurePrivateCluster", name), schema, args);
    super("hybrid-ai-infra:index:AzurePrivateCluster", name, {}, opts);
    const common = resolveCommon(parsed);
    const ctx = azureContext(this);
    const parent = { parent: this };
    const rg = parsed.resourceGroupName;
    const located = parsed.location === undefined ? {} : { location: parsed.location };
    const clusterName = parsed.clusterName ?? `${name}-${common.environment}`;
    const network = parsed.network;
    // Secure by default: with the API server in the VNet, the KMS vault needs no public endpoint.
    const kmsAccess =
      parsed.kmsKeyVaultAccess ?? (network.apiServerSubnetId === undefined ? "Public" : "Private");
    const privateDnsZone = parsed.privateDnsZone ?? "system";
    const trust = trustOf("azure", parsed.placement);
    const zones = parsed.availabilityZones ?? ["1", "2", "3"];

    // Control-plane logs: audit trails are data, so a created workspace is protected like data.
    const workspaceId: pulumi.Output<string> =
      parsed.logAnalyticsWorkspaceId === undefined
        ? new Workspace(
            childName(name, "logs"),
            {
              resourceGroupName: rg,
              ...located,
              sku: { name: "PerGB2018" },
              retentionInDays: parsed.logRetentionDays ?? 365,
              // Entra ID only, and reading logs needs rights on the resource that wrote them.
              features: { disableLocalAuth: true, enableLogAccessUsingOnlyResourcePermissions: true },
              tags: common.tags,
            },
            statefulOptions(this, common),
          ).id
        : pulumi.output(parsed.logAnalyticsWorkspaceId);

    // User-assigned identities exist before the cluster, so every grant below is in place when
    // AKS first uses it (a system-assigned identity would only exist after the cluster).
    const controlPlane = new UserAssignedIdentity(
      childName(name, "control-plane"),
      { resourceGroupName: rg, ...located, tags: common.tags },
      parent,
    );
    const kubelet = new UserAssignedIdentity(
      childName(name, "kubelet"),
      { resourceGroupName: rg, ...located, tags: common.tags },
      parent,
    );

    const { vault, key } = createEncryptionKey(childName(name, "kms"), this, common, ctx, {
      resourceGroupName: rg,
      location: parsed.location,
      vaultNamePrefix: `${name}-kms`,
      keyName: "etcd",
      publicNetworkAccess: kmsAccess === "Private" ? "Disabled" : "Enabled",
      rotateYearly: false,
      logAnalyticsWorkspaceId: workspaceId,
    });

    // What the control plane may do, each on the narrowest scope that works.
    const grant = (suffix: string, role: AzureRole, scope: pulumi.Input<string>, description: string) =>
      assignRole(childName(name, suffix), this, ctx, {
        role,
        principalId: controlPlane.principalId,
        principalType: "ServicePrincipal",
        scope,
        description: `${description} (AKS ${clusterName})`,
      });
    const grants = [
      grant("kms-crypto-user", "Key Vault Crypto User", key.id, "Encrypt etcd secrets with the KMS key"),
      grant(
        "kubelet-operator",
        "Managed Identity Operator",
        kubelet.id,
        "Assign the kubelet identity to nodes",
      ),
      grant(
        "network-system",
        "Network Contributor",
        network.systemSubnetId,
        "Join nodes to the system subnet",
      ),
    ];
    if (network.gpuSubnetId !== undefined) {
      grants.push(
        grant("network-gpu", "Network Contributor", network.gpuSubnetId, "Join GPU nodes to their subnet"),
      );
    }
    if (network.apiServerSubnetId !== undefined) {
      grants.push(
        grant(
          "network-apiserver",
          "Network Contributor",
          network.apiServerSubnetId,
          "Put the API server in its subnet",
        ),
      );
    }
    for (const pool of parsed.nodePools ?? []) {
      if (pool.subnetId !== undefined) {
        grants.push(
          grant(
            `network-${pool.name}`,
            "Network Contributor",
            pool.subnetId,
            `Join pool ${pool.name} to its subnet`,
          ),
        );
      }
    }
    if (kmsAccess === "Private") {
      // AKS adds a private endpoint to the vault for the KMS plugin; that needs the vault resource.
      grants.push(grant("kms-vault", "Key Vault Contributor", vault.id, "Link the private KMS vault"));
    }
    if (privateDnsZone !== "system") {
      grants.push(
        grant("dns-zone", "Private DNS Zone Contributor", privateDnsZone, "Write the API server record"),
        grant("network-vnet", "Network Contributor", network.virtualNetworkId, "Link the private DNS zone"),
      );
    }

    const system = parsed.systemPool ?? {};
    const systemSize = system.vmSize ?? "Standard_D4ds_v5";
    const systemFacts = resolveVmSize(systemSize, "cpu");
    if ("problem" in systemFacts) throw new Error(systemFacts.problem);
    const systemMin = system.minCount ?? 2;
    const podCidr = parsed.podCidr ?? DEFAULT_POD_CIDR;
    const serviceCidr = parsed.serviceCidr ?? DEFAULT_SERVICE_CIDR;
    const cluster = new ManagedCluster(
      name,
      {
        resourceName: clusterName,
        resourceGroupName: rg,
        ...located,
        // A custom private DNS zone takes the subdomain instead of a DNS prefix.
        ...(privateDnsZone === "system"
          ? { dnsPrefix: dnsLabel(clusterName) }
          : { fqdnSubdomain: dnsLabel(clusterName) }),
        ...(parsed.kubernetesVersion ? { kubernetesVersion: parsed.kubernetesVersion } : {}),
        sku: {
          name: "Base",
          tier: parsed.skuTier ?? (common.environment === "dev" ? "Free" : "Standard"),
        },
        supportPlan: "KubernetesOfficial",
        identity: { type: "UserAssigned", userAssignedIdentities: [controlPlane.id] },
        identityProfile: {
          kubeletidentity: {
            resourceId: kubelet.id,
            clientId: kubelet.clientId,
            objectId: kubelet.principalId,
          },
        },
        aadProfile: {
          managed: true,
          enableAzureRBAC: true,
          adminGroupObjectIDs: parsed.adminGroupObjectIds,
          tenantID: ctx.tenantId,
        },
        disableLocalAccounts: true,
        enableRBAC: true,
        apiServerAccessProfile: {
          enablePrivateCluster: true,
          privateDNSZone: privateDnsZone,
          enablePrivateClusterPublicFQDN: false,
          disableRunCommand: !(parsed.runCommand ?? false),
          // The API server in the VNet's delegated subnet: nodes reach it without a private
          // endpoint, and a private KMS vault is reached from there.
          ...(network.apiServerSubnetId === undefined
            ? {}
            : { enableVnetIntegration: true, subnetId: network.apiServerSubnetId }),
        },
        networkProfile: {
          networkPlugin: "azure",
          networkPluginMode: "overlay",
          // Azure CNI powered by Cilium: eBPF dataplane that enforces NetworkPolicy itself, with no
          // extra policy engine to run and no iptables rule growth as services multiply.
          networkDataplane: "cilium",
          networkPolicy: "cilium",
          podCidr,
          serviceCidr,
          dnsServiceIP: dnsServiceIp(serviceCidr),
          outboundType: network.outboundType,
          loadBalancerSku: "standard",
          ipFamilies: ["IPv4"],
        },
        // Container Insights: node, pod and container logs and metrics into the same workspace. The
        // workspace takes no shared keys (disableLocalAuth), so the agent signs in with Entra ID;
        // what it collects comes from the data collection rule associated below.
        addonProfiles: {
          omsagent: {
            enabled: true,
            config: { logAnalyticsWorkspaceResourceID: workspaceId, useAADAuth: "true" },
          },
        },
        oidcIssuerProfile: { enabled: true },
        securityProfile: {
          workloadIdentity: { enabled: true },
          azureKeyVaultKms: {
            enabled: true,
            keyId: key.keyUriWithVersion,
            keyVaultNetworkAccess: kmsAccess,
            ...(kmsAccess === "Private" ? { keyVaultResourceId: vault.id } : {}),
          },
          // Removes unused images from nodes, so vulnerable layers do not linger.
          imageCleaner: { enabled: true, intervalHours: 168 },
        },
        autoUpgradeProfile: {
          upgradeChannel: parsed.upgradeChannel ?? "patch",
          nodeOSUpgradeChannel: parsed.nodeOsUpgradeChannel ?? "NodeImage",
        },
        agentPoolProfiles: [
          {
            name: "system",
            mode: "System",
            type: "VirtualMachineScaleSets",
            osType: "Linux",
            osSKU: system.osSku ?? "AzureLinux",
            vmSize: systemSize,
            ...osDiskFor(systemFacts.facts, { osDiskSizeGiB: system.osDiskSizeGiB }, "cpu"),
            vnetSubnetID: network.systemSubnetId,
            ...(zones.length ? { availabilityZones: zones } : {}),
            enableAutoScaling: true,
            minCount: systemMin,
            maxCount: system.maxCount ?? 3,
            count: systemMin,
            enableEncryptionAtHost: true,
            enableNodePublicIP: false,
            securityProfile: { sshAccess: "Disabled" },
            nodeTaints: [taintText(SYSTEM_TAINT)],
            nodeLabels: poolLabels({ pool: "system", trust, spot: false }),
            upgradeSettings: { maxSurge: "33%" },
          },
        ],
        tags: common.tags,
      },
      statefulOptions(this, common, {
        dependsOn: grants,
        // The autoscaler owns the system pool's node count after creation.
        ignoreChanges: ["agentPoolProfiles[0].count"],
      }),
    );

    sendDiagnostics(childName(name, "control-plane-logs"), this, {
      resourceUri: cluster.id,
      workspaceId,
      logs: { categories: AKS_LOG_CATEGORIES },
      metrics: true,
    });

    collectContainerInsights(childName(name, "container-insights"), this, {
      resourceGroupName: rg,
      location: parsed.location,
      clusterId: cluster.id,
      clusterName,
      workspaceId,
      tags: common.tags,
    });

    // Kubernetes access beyond the admin groups, through Azure RBAC on the cluster or a namespace.
    const access = (parsed.rbacAssignments ?? []).map((r) =>
      assignRole(childName(name, "rbac", rbacSlug(r)), this, ctx, {
        role: RBAC_ROLES[r.role],
        principalId: r.principalId,
        principalType: r.principalType,
        scope: r.namespace ? pulumi.interpolate`${cluster.id}/namespaces/${r.namespace}` : cluster.id,
        description: `Kubernetes ${r.role}${r.namespace ? ` in ${r.namespace}` : ""} on ${clusterName}`,
      }),
    );

    const gpuSubnetId = network.gpuSubnetId ?? network.systemSubnetId;
    const subnets: Record<PoolKind, pulumi.Input<string>> = { gpu: gpuSubnetId, cpu: network.systemSubnetId };
    const poolOpts = { parent: this, dependsOn: [cluster, ...grants] };
    const nodePools: Record<string, AzureGpuNodePool | AzureNodePool> = {};
    for (const spec of parsed.nodePools ?? []) {
      const { name: pool, gpuDriver, migProfile, ...settings } = spec;
      const kind = poolKindOf(spec.vmSize);
      const args = {
        ...settings,
        ...commonArgsOf(parsed),
        poolName: pool,
        trust,
        cluster: { clusterName: cluster.name, resourceGroupName: rg, nodeSubnetId: subnets[kind] },
        ...(settings.availabilityZones || !POOL_DEFAULTS[kind].clusterZones || zones.length === 0
          ? {}
          : { availabilityZones: zones }),
        // Validation allows these on GPU pools only.
        ...(gpuDriver ? { gpuDriver } : {}),
        ...(migProfile ? { migProfile } : {}),
      };
      nodePools[pool] =
        kind === "gpu"
          ? new AzureGpuNodePool(childName(name, pool), args, poolOpts)
          : new AzureNodePool(childName(name, pool), args, poolOpts);
    }

    // The user kubeconfig AKS hands out gives the server and CA; the credential is kubelogin's
    // short-lived Entra ID token, so the kubeconfig itself holds no secret key. It is still kept
    // secret: it names the private endpoint and is what every tool connects with.
    const credentials = listManagedClusterUserCredentialsOutput(
      { resourceGroupName: rg, resourceName: cluster.name, format: "exec" },
      { parent: this },
    );
    const kubeconfig = pulumi.secret(
      pulumi.all([cluster.name, credentials.kubeconfigs]).apply(([n, kubeconfigs]) => {
        const { server, certificateAuthorityData } = serverOf(kubeconfigs[0]?.value ?? "");
        return renderKubeconfig({
          name: n,
          server,
          certificateAuthorityData,
          exec: {
            command: "kubelogin",
            args: ["get-token", "--login", "azurecli", "--server-id", AKS_AAD_SERVER_ID],
            installHint:
              "Install kubelogin (az aks install-cli) and sign in with az login as a member of an admin group or an RBAC assignment.",
          },
        });
      }),
    );
    this.kubernetesProvider = new KubernetesProvider(
      childName(name, "k8s"),
      { kubeconfig, enableServerSideApply: true },
      // Objects declared through this provider wait for the Azure RBAC grants they may rely on.
      { parent: this, dependsOn: [cluster, ...access] },
    );

    this.placementTarget = azureClusterTarget(name, parsed);
    // Pools whose driver a GPU operator manages get the operator's own plugin, not this one.
    const aksDriverPools = (parsed.nodePools ?? []).filter(
      (p) => poolKindOf(p.vmSize) === "gpu" && p.gpuDriver !== "None",
    );
    if (aksDriverPools.length > 0 && (parsed.gpuDevicePlugin ?? true)) {
      new NvidiaDevicePlugin(
        childName(name, "nvidia-device-plugin"),
        {},
        { parent: this, provider: this.kubernetesProvider },
      );
    }
    this.nodePools = nodePools;
    this.clusterName = cluster.name;
    this.clusterId = cluster.id;
    this.resourceGroupName = pulumi.output(rg);
    this.privateFqdn = cluster.privateFQDN;
    this.oidcIssuerUrl = cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? "");
    this.nodeResourceGroup = cluster.nodeResourceGroup.apply((g) => g ?? "");
    this.controlPlaneIdentityId = controlPlane.id;
    this.controlPlanePrincipalId = controlPlane.principalId;
    this.kubeletIdentityId = kubelet.id;
    this.kubeletPrincipalId = kubelet.principalId;
    this.kmsKeyVaultId = vault.id;
    this.kmsKeyId = key.keyUriWithVersion;
    this.logAnalyticsWorkspaceId = workspaceId;
    this.systemSubnetId = pulumi.output(network.systemSubnetId);
    this.gpuSubnetId = pulumi.output(gpuSubnetId);
    this.kubeconfig = kubeconfig;
    this.target = pulumi.output(this.placementTarget);
    this.registerOutputs({
      clusterName: this.clusterName,
      clusterId: this.clusterId,
      resourceGroupName: this.resourceGroupName,
      privateFqdn: this.privateFqdn,
      oidcIssuerUrl: this.oidcIssuerUrl,
      nodeResourceGroup: this.nodeResourceGroup,
      controlPlaneIdentityId: this.controlPlaneIdentityId,
      kubeletIdentityId: this.kubeletIdentityId,
      kmsKeyVaultId: this.kmsKeyVaultId,
      kmsKeyId: this.kmsKeyId,
      logAnalyticsWorkspaceId: this.logAnalyticsWorkspaceId,
      kubeconfig: this.kubeconfig,
      target: this.target,
    });
  }
}

/** A DNS label from the cluster name: AKS allows letters, digits and dashes, at most 54. */
function dnsLabel(clusterName: string): string {
  return clusterName.replace(/_/g, "-").slice(0, 54).replace(/-+$/, "");
}

/** The cluster DNS service address: the tenth address of the service range, as AKS documents. */
function dnsServiceIp(serviceCidr: string): string {
  const [address = ""] = serviceCidr.split("/");
  const start = address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const ip = start + 10;
  return [24, 16, 8, 0].map((shift) => Math.floor(ip / 2 ** shift) % 256).join(".");
}

/**
 * A stable child-name suffix for an RBAC grant: its role and a short hash of principal, role and
 * namespace, so reordering or adding grants never renames (and so replaces) one.
 */
function rbacSlug(r: AzureClusterRbacAssignment): string {
  const hash = createHash("sha256")
    .update(`${r.principalId.toLowerCase()}/${r.role}/${r.namespace ?? ""}`)
    .digest("hex")
    .slice(0, 8);
  return `${r.role.toLowerCase()}-${hash}`;
}

/** The server and CA of the first cluster in a kubeconfig AKS returned (base64 YAML). */
function serverOf(base64: string): { server: string; certificateAuthorityData: string } {
  const doc = parseYaml(Buffer.from(base64, "base64").toString("utf8")) as {
    clusters?: { cluster?: { server?: string; "certificate-authority-data"?: string } }[];
  } | null;
  const cluster = doc?.clusters?.[0]?.cluster ?? {};
  return {
    server: cluster.server ?? "",
    certificateAuthorityData: cluster["certificate-authority-data"] ?? "",
  };
}

/**
 * The placement target a cluster with these args provides, derived from its pools' config alone:
 * a stack can place workloads with it before it declares any resource. The cluster's own
 * `placementTarget` is this value.
 */
export function azureClusterTarget(
  name: string,
  args: Pick<AzurePrivateClusterArgs, "nodePools" | "placement">,
): Target {
  const trust = trustOf("azure", args.placement);
  const pools: Pool[] = (args.nodePools ?? []).map((spec) => {
    const { name: pool, gpuDriver: _driver, migProfile, ...settings } = spec;
    return agentPoolPlacement(
      agentPoolPlanFor(pool, settings, trust, poolKindOf(spec.vmSize), migProfile ? { migProfile } : {}),
    );
  });
  return placementTargetOf("azure", name, args.placement, pools);
}
