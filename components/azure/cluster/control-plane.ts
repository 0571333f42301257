// The AKS control plane as data: a pure function from the cluster's args, settings and the ids of
// what it references to the ManagedCluster's args. No resource is declared here, so it is tested
// without Pulumi's mocks.
import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice";
import type { containerservice } from "@pulumi/azure-native/types/input";
import type * as pulumi from "@pulumi/pulumi";
import { ksmLabelsAllowlist } from "../../monitoring";
import { locatedIn } from "../group";
import type { ResolvedClusterArgs } from "./args";

/** What the cluster references, made before it: identities, workspace, KMS key and vault. */
export interface ControlPlaneRefs {
  resourceGroupName: pulumi.Input<string>;
  /** The Entra ID tenant of the cluster's Entra integration. */
  tenantId: pulumi.Input<string>;
  /** Resource id of the control plane's user-assigned identity. */
  controlPlaneIdentityId: pulumi.Input<string>;
  /** The kubelet identity: resource, client and object ids. */
  kubelet: {
    resourceId: pulumi.Input<string>;
    clientId: pulumi.Input<string>;
    objectId: pulumi.Input<string>;
  };
  /** Log Analytics workspace of Container Insights. */
  workspaceId: pulumi.Input<string>;
  /** The etcd KMS key's versioned URI. */
  kmsKeyId: pulumi.Input<string>;
  /** The KMS Key Vault's resource id (named to AKS only when the vault is private). */
  kmsKeyVaultId: pulumi.Input<string>;
  /**
   * The agent pool list: the system pool at creation, afterwards only when a pool must change
   * (see `clusterPoolList`); undefined leaves the running pools as they are.
   */
  agentPoolProfiles: pulumi.Input<containerservice.ManagedClusterAgentPoolProfileArgs[] | undefined>;
}

/**
 * The args of the AKS `ManagedCluster`: private API server with no public FQDN, Entra ID with Azure
 * RBAC and local accounts off, CNI overlay with Cilium, OIDC issuer and workload identity, KMS etcd
 * encryption, image cleaner, automatic upgrades and the system pool.
 */
export function managedClusterArgs(cluster: ResolvedClusterArgs, refs: ControlPlaneRefs): ManagedClusterArgs {
  const { clusterName, privateDnsZone } = cluster;
  return {
    resourceName: clusterName,
    resourceGroupName: refs.resourceGroupName,
    ...locatedIn(cluster.location),
    // A custom private DNS zone takes the subdomain instead of a DNS prefix.
    ...(privateDnsZone === "system"
      ? { dnsPrefix: dnsLabel(clusterName) }
      : { fqdnSubdomain: dnsLabel(clusterName) }),
    ...(cluster.kubernetesVersion ? { kubernetesVersion: cluster.kubernetesVersion } : {}),
    sku: { name: "Base", tier: cluster.skuTier },
    supportPlan: cluster.supportPlan,
    identity: { type: "UserAssigned", userAssignedIdentities: [refs.controlPlaneIdentityId] },
    identityProfile: { kubeletidentity: refs.kubelet },
    aadProfile: {
      managed: true,
      enableAzureRBAC: true,
      adminGroupObjectIDs: cluster.adminGroupObjectIds,
      tenantID: refs.tenantId,
    },
    disableLocalAccounts: true,
    enableRBAC: true,
    apiServerAccessProfile: apiServerAccessProfile(cluster),
    networkProfile: networkProfile(cluster),
    // Container Insights: node, pod and container logs and metrics into the same workspace. The
    // workspace takes no shared keys (disableLocalAuth), so the agent signs in with Entra ID;
    // what it collects comes from the data collection rule associated with the cluster.
    addonProfiles: {
      omsagent: {
        enabled: true,
        config: { logAnalyticsWorkspaceResourceID: refs.workspaceId, useAADAuth: "true" },
      },
    },
    ...(cluster.managedPrometheus ? { azureMonitorProfile: managedPrometheus() } : {}),
    oidcIssuerProfile: { enabled: true },
    securityProfile: securityProfile(cluster, refs),
    autoUpgradeProfile: {
      upgradeChannel: cluster.upgradeChannel,
      nodeOSUpgradeChannel: cluster.nodeOsUpgradeChannel,
    },
    agentPoolProfiles: refs.agentPoolProfiles,
    tags: cluster.common.tags,
  };
}

/**
 * AKS's managed Prometheus add-on, its kube-state-metrics letting through the labels that join live
 * objects to placement (nodes' pool, pods' workload and pool, backup CronJobs).
 */
function managedPrometheus(): containerservice.ManagedClusterAzureMonitorProfileArgs {
  return {
    metrics: {
      enabled: true,
      kubeStateMetrics: { metricLabelsAllowlist: ksmLabelsAllowlist(), metricAnnotationsAllowList: "" },
    },
  };
}

/** A private API server: no public FQDN, run command only when asked, in its subnet when given one. */
function apiServerAccessProfile(
  cluster: ResolvedClusterArgs,
): containerservice.ManagedClusterAPIServerAccessProfileArgs {
  const { apiServerSubnetId } = cluster.network;
  return {
    enablePrivateCluster: true,
    privateDNSZone: cluster.privateDnsZone,
    enablePrivateClusterPublicFQDN: false,
    disableRunCommand: !cluster.runCommand,
    // The API server in the VNet's delegated subnet: nodes reach it without a private
    // endpoint, and a private KMS vault is reached from there.
    ...(apiServerSubnetId === undefined ? {} : { enableVnetIntegration: true, subnetId: apiServerSubnetId }),
  };
}

/** Azure CNI overlay with the Cilium dataplane, egress as the network says. */
function networkProfile(cluster: ResolvedClusterArgs): containerservice.ContainerServiceNetworkProfileArgs {
  return {
    networkPlugin: "azure",
    networkPluginMode: "overlay",
    // Azure CNI powered by Cilium: eBPF dataplane that enforces NetworkPolicy itself, with no
    // extra policy engine to run and no iptables rule growth as services multiply.
    networkDataplane: "cilium",
    networkPolicy: "cilium",
    podCidr: cluster.podCidr,
    serviceCidr: cluster.serviceCidr,
    dnsServiceIP: dnsServiceIp(cluster.serviceCidr),
    outboundType: cluster.network.outboundType,
    loadBalancerSku: "standard",
    ipFamilies: ["IPv4"],
  };
}

/** Workload identity, KMS etcd encryption with the key (and the vault when private), image cleaner. */
function securityProfile(
  cluster: ResolvedClusterArgs,
  refs: ControlPlaneRefs,
): containerservice.ManagedClusterSecurityProfileArgs {
  return {
    workloadIdentity: { enabled: true },
    azureKeyVaultKms: {
      enabled: true,
      keyId: refs.kmsKeyId,
      keyVaultNetworkAccess: cluster.kmsAccess,
      ...(cluster.kmsAccess === "Private" ? { keyVaultResourceId: refs.kmsKeyVaultId } : {}),
    },
    // Removes unused images from nodes, so vulnerable layers do not linger.
    imageCleaner: { enabled: true, intervalHours: 168 },
  };
}

/** A DNS label from the cluster name: AKS allows letters, digits and dashes, at most 54. */
export function dnsLabel(clusterName: string): string {
  return clusterName.replace(/_/g, "-").slice(0, 54).replace(/-+$/, "");
}

/** The cluster DNS service address: the tenth address of the service range, as AKS documents. */
export function dnsServiceIp(serviceCidr: string): string {
  const [address = ""] = serviceCidr.split("/");
  const start = address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const ip = start + 10;
  return [24, 16, 8, 0].map((shift) => Math.floor(ip / 2 ** shift) % 256).join(".");
}
