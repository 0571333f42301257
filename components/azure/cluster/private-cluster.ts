import { ManagedCluster } from "@pulumi/azure-native/containerservice";
import * as pulumi from "@pulumi/pulumi";
import { childName, resolveCommon, statefulOptions } from "../../kit";
import type { ClusterAddonsArgs } from "../../kubernetes";
import type { Target } from "../../placement";
import { ConfigError, componentSubject, parseOrThrow } from "../../validation";
import { azureContext } from "../context";
import type { AzureGpuNodePool, AzureNodePool } from "../node-pool";
import { waitForRoleAssignments } from "../propagation";
import { grantKubernetesAccess } from "./access";
import { azureClusterAddons } from "./addons";
import { type AzurePrivateClusterArgs, clusterArgsSchema, resolveClusterArgs } from "./args";
import { checkClusterArgs, kubernetesSupport } from "./checks";
import { managedClusterArgs } from "./control-plane";
import { createClusterIdentities, grantControlPlane } from "./identity";
import { createKmsKey } from "./kms";
import { clusterKubeconfig } from "./kubeconfig";
import { logWorkspace, monitorCluster } from "./monitoring";
import { createInlinePools, inlinePoolSubnets, poolSubnets } from "./pools";
import { clusterPoolList, readLiveCluster } from "./system-pool";
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
    const subject = componentSubject("AzurePrivateCluster", name);
    const common = resolveCommon(args);
    const parsed = parseOrThrow(
      subject,
      clusterArgsSchema.superRefine((a, ctx) => checkClusterArgs(a, ctx, { name, ...common })),
      args,
    );
    super("hybrid-ai-infra:index:AzurePrivateCluster", name, {}, opts);
    const cluster = resolveClusterArgs(name, parsed, common);
    const { warning } = kubernetesSupport(cluster.kubernetesVersion, cluster.supportPlan);
    if (warning) pulumi.log.warn(`${subject}: ${warning}`, this);
    const ctx = azureContext(this);
    const { clusterName, kmsAccess, network } = cluster;
    const where = { resourceGroupName: cluster.resourceGroupName, location: cluster.location };

    const workspaceId = logWorkspace(name, this, common, {
      ...where,
      given: cluster.logAnalyticsWorkspaceId,
      retentionDays: cluster.logRetentionDays,
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
      poolSubnets: inlinePoolSubnets(cluster),
      kmsKeyId: key.id,
      privateKmsVaultId: kmsAccess === "Private" ? vault.id : undefined,
      privateDnsZone: cluster.privateDnsZone,
    });
    // AKS checks the KMS key's permission on create (Azure/AKS#3575): wait for the grants to apply.
    const inEffect = waitForRoleAssignments(
      childName(name, "grants-in-effect"),
      this,
      grants,
      cluster.rbacPropagationSeconds,
    );

    const { controlPlane, kubelet } = identities;
    // The pool list as the running cluster needs it (none sent when nothing must change); a
    // system-pool change AKS cannot make is refused here, before the cluster is registered.
    const live = readLiveCluster(this, cluster.resourceGroupName, clusterName);
    const agentPoolProfiles = pulumi
      .all([live, pulumi.output(network.systemSubnetId)])
      .apply(([running, subnetId]) => {
        const decision = clusterPoolList(cluster, running, subnetId);
        if ("issues" in decision) throw new ConfigError(subject, decision.issues);
        return decision.profiles;
      });
    const managed = new ManagedCluster(
      name,
      managedClusterArgs(cluster, {
        resourceGroupName: cluster.resourceGroupName,
        tenantId: ctx.tenantId,
        controlPlaneIdentityId: controlPlane.id,
        kubelet: { resourceId: kubelet.id, clientId: kubelet.clientId, objectId: kubelet.principalId },
        workspaceId,
        kmsKeyId: key.keyUriWithVersion,
        kmsKeyVaultId: vault.id,
        agentPoolProfiles,
      }),
      statefulOptions(this, common, { dependsOn: [...grants, inEffect] }),
    );
    monitorCluster(name, this, {
      ...where,
      clusterId: managed.id,
      clusterName,
      workspaceId,
      tags: common.tags,
    });
    const rbac = { clusterId: managed.id, clusterName, assignments: cluster.rbacAssignments };
    grantKubernetesAccess(name, this, ctx, rbac);
    const nodePools = createInlinePools(this, cluster, {
      clusterName: managed.name,
      dependsOn: [managed, ...grants],
    });
    const kubeconfig = clusterKubeconfig(this, cluster.resourceGroupName, managed.name);
    this.placementTarget = azureClusterTarget(name, parsed);
    this.addons = azureClusterAddons(parsed);

    this.managedCluster = managed;
    this.nodePools = nodePools;
    this.clusterName = managed.name;
    this.clusterId = managed.id;
    this.resourceGroupName = pulumi.output(cluster.resourceGroupName);
    this.privateFqdn = managed.privateFQDN;
    this.oidcIssuerUrl = managed.oidcIssuerProfile.apply((p) => p?.issuerURL ?? "");
    this.nodeResourceGroup = managed.nodeResourceGroup.apply((g) => g ?? "");
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
