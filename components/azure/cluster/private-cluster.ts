import { ManagedCluster } from "@pulumi/azure-native/containerservice";
import * as pulumi from "@pulumi/pulumi";
import { resolveCommon, statefulOptions } from "../../kit";
import type { ClusterAddonsArgs } from "../../kubernetes";
import type { Target } from "../../placement";
import { componentSubject, parseOrThrow } from "../../validation";
import { azureContext } from "../context";
import type { AzureGpuNodePool, AzureNodePool } from "../node-pool";
import { grantKubernetesAccess } from "./access";
import { azureClusterAddons } from "./addons";
import { type AzurePrivateClusterArgs, clusterArgsSchema, clusterSettings } from "./args";
import { checkClusterArgs } from "./checks";
import { managedClusterArgs } from "./control-plane";
import { createClusterIdentities, grantControlPlane } from "./identity";
import { createKmsKey } from "./kms";
import { clusterKubeconfig } from "./kubeconfig";
import { logWorkspace, monitorCluster } from "./monitoring";
import { createInlinePools, inlinePoolSubnets, poolSubnets } from "./pools";
import { azureClusterTarget } from "./target";

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
  /**
   * What the cluster phase runs here before placed work can schedule (NVIDIA's device plugin on the
   * GPU pools whose driver AKS installs), as plain data for `ClusterAddons`.
   */
  public readonly addons: ClusterAddonsArgs;
  /** The placement target of this cluster. */
  public readonly target: pulumi.Output<Target>;
  /** The same target as a plain value, for placement at deploy time. */
  public readonly placementTarget: Target;
  /** The workload pools, by pool name. */
  public readonly nodePools: Record<string, AzureGpuNodePool | AzureNodePool>;
  /**
   * The AKS `ManagedCluster` resource itself: an escape hatch to read any of its outputs, or to
   * make another resource depend on it. Changing it through transforms bypasses this component's
   * secure defaults.
   */
  public readonly managedCluster: ManagedCluster;

  constructor(name: string, args: AzurePrivateClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(
      componentSubject("AzurePrivateCluster", name),
      clusterArgsSchema.superRefine(checkClusterArgs),
      args,
    );
    super("hybrid-ai-infra:index:AzurePrivateCluster", name, {}, opts);
    const common = resolveCommon(parsed);
    const ctx = azureContext(this);
    const settings = clusterSettings(name, parsed, common);
    const { clusterName, kmsAccess } = settings;
    const network = parsed.network;
    const where = { resourceGroupName: parsed.resourceGroupName, location: parsed.location };

    const workspaceId = logWorkspace(name, this, common, {
      ...where,
      given: parsed.logAnalyticsWorkspaceId,
      retentionDays: settings.logRetentionDays,
    });
    const identities = createClusterIdentities(name, this, where, common.tags);
    const { vault, key } = createKmsKey(name, this, common, ctx, {
      ...where,
      access: kmsAccess,
      workspaceId,
    });
    const grants = grantControlPlane(name, this, ctx, identities, {
      clusterName,
      network,
      poolSubnets: inlinePoolSubnets(parsed),
      kmsKeyId: key.id,
      privateKmsVaultId: kmsAccess === "Private" ? vault.id : undefined,
      privateDnsZone: settings.privateDnsZone,
    });

    const { controlPlane, kubelet } = identities;
    const cluster = new ManagedCluster(
      name,
      managedClusterArgs(parsed, settings, {
        resourceGroupName: parsed.resourceGroupName,
        tenantId: ctx.tenantId,
        controlPlaneIdentityId: controlPlane.id,
        kubelet: { resourceId: kubelet.id, clientId: kubelet.clientId, objectId: kubelet.principalId },
        workspaceId,
        kmsKeyId: key.keyUriWithVersion,
        kmsKeyVaultId: vault.id,
      }),
      statefulOptions(this, common, {
        dependsOn: grants,
        // The inline profile is the system pool at creation only: AKS's autoscaler owns its count,
        // and after a refresh ARM may list the user pools (separate AgentPools) here in any order,
        // so an index-based ignore would miss and the cluster would be updated or replaced
        // (pulumi-azure-native #1298, #1532, #2719). Later system-pool changes go through the pool.
        ignoreChanges: ["agentPoolProfiles"],
      }),
    );
    monitorCluster(name, this, {
      ...where,
      clusterId: cluster.id,
      clusterName,
      workspaceId,
      tags: common.tags,
    });
    const rbac = { clusterId: cluster.id, clusterName, assignments: parsed.rbacAssignments ?? [] };
    grantKubernetesAccess(name, this, ctx, rbac);
    const nodePools = createInlinePools(name, this, parsed, settings, {
      clusterName: cluster.name,
      resourceGroupName: parsed.resourceGroupName,
      network,
      dependsOn: [cluster, ...grants],
    });
    const kubeconfig = clusterKubeconfig(this, parsed.resourceGroupName, cluster.name);
    this.placementTarget = azureClusterTarget(name, parsed);
    this.addons = azureClusterAddons(parsed);

    this.managedCluster = cluster;
    this.nodePools = nodePools;
    this.clusterName = cluster.name;
    this.clusterId = cluster.id;
    this.resourceGroupName = pulumi.output(parsed.resourceGroupName);
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
    this.gpuSubnetId = pulumi.output(poolSubnets(network).gpu);
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
