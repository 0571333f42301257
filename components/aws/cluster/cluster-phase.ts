import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { CLUSTER_AUTOSCALER_SERVICE_ACCOUNT, clusterAutoscalerPolicy } from "../../facts";
import { type AddonNetworkPolicy, type AddonPolicyPeer, type ClusterAddonsArgs, childName } from "../../kit";
import { parseCidr } from "../../validation";
import { createPodIdentityServiceRole } from "../iam";
import { gpuPoolAddons } from "../node-group";
import type { ResolvedClusterArgs } from "./args";
import type { ClusterScope } from "./scope";

// What the cluster phase runs on an EKS cluster, decided here from the resolved args, and the AWS
// identity the autoscaler runs with, created here in the platform phase.

/** Where the cluster is, for the add-ons that read it. */
export interface AddonWhere {
  region: pulumi.Input<string>;
  dnsSuffix: pulumi.Input<string>;
}

/** The network facts the system pods' policies need (strict network policy mode). */
export interface ClusterNetworkFacts {
  /** The VPC's block: nodes, the control plane's interfaces, the VPC resolver and the endpoints. */
  vpcCidr: pulumi.Input<string>;
  /** The Service block of the cluster, whose first address is the API server's Service. */
  serviceCidr: pulumi.Input<string>;
}

/** The EKS Pod Identity agent on every node (link-local), which hands pods their credentials. */
const POD_IDENTITY_AGENT = "169.254.170.23/32";

const DNS_PORTS = [
  { protocol: "UDP" as const, port: 53 },
  { protocol: "TCP" as const, port: 53 },
];
const HTTPS = [{ protocol: "TCP" as const, port: 443 }];

/** The first address of a block: `172.20.0.0/16` -> `172.20.0.1`, the `kubernetes` Service's. */
export function firstHost(cidr: string): string {
  const { start } = parseCidr(cidr);
  const n = start + 1n;
  return [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 255n)).join(".");
}

/** The API server: its Service address (before kube-proxy's NAT) and its interfaces in the VPC. */
function apiServerPeers(net: ClusterNetworkFacts): AddonPolicyPeer[] {
  return [
    { ipBlock: { cidr: pulumi.output(net.serviceCidr).apply((c) => `${firstHost(c)}/32`) } },
    { ipBlock: { cidr: net.vpcCidr } },
  ];
}

/**
 * In strict mode the VPC CNI starts every pod on pod networking denied until a policy selects it,
 * and EKS notes that CoreDNS needs one too. The system pods that talk get exactly what they need:
 * CoreDNS answers every pod and node on 53 and asks the VPC resolver and the API server; the
 * autoscaler asks the API server, the AWS APIs (the VPC's endpoints, or anywhere on 443 where the
 * nodes have internet egress) and the Pod Identity agent. Pods on host networking (aws-node,
 * kube-proxy, the identity and EFA agents) are outside policies; the device plugin needs no network.
 */
export function systemNetworkPolicies(
  net: ClusterNetworkFacts,
  internetEgress: boolean | undefined,
): AddonNetworkPolicy[] {
  const dnsPods: AddonPolicyPeer = {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
    podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
  };
  return [
    {
      name: "coredns",
      namespace: "kube-system",
      podLabels: { "k8s-app": "kube-dns" },
      ingress: [{ from: [{ namespaceSelector: {} }, { ipBlock: { cidr: net.vpcCidr } }], ports: DNS_PORTS }],
      egress: [
        { to: [{ ipBlock: { cidr: net.vpcCidr } }], ports: DNS_PORTS },
        { to: apiServerPeers(net), ports: HTTPS },
      ],
    },
    {
      name: "cluster-autoscaler",
      namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace,
      podLabels: { "app.kubernetes.io/name": "cluster-autoscaler" },
      egress: [
        { to: [dnsPods], ports: DNS_PORTS },
        { to: apiServerPeers(net), ports: HTTPS },
        // The AWS APIs: the VPC's interface endpoints, or the public ones through NAT.
        ...(internetEgress === false ? [] : [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: HTTPS }]),
        { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT } }], ports: [{ protocol: "TCP" as const, port: 80 }] },
      ],
    },
  ];
}

/**
 * The add-ons this cluster's pools need, as plain data for `ClusterAddons` (region-dependent
 * values as Outputs): the device plugins its GPU groups need (`gpuPoolAddons`), Cluster Autoscaler
 * when a group can grow, so GPU groups scale from zero for placed work, and in strict network
 * policy mode the system pods' policies.
 */
export function awsClusterAddons(
  args: ResolvedClusterArgs,
  where: AddonWhere,
  net: ClusterNetworkFacts,
): ClusterAddonsArgs {
  const gpu = args.nodeGroups.filter((g) => g.gpu);
  const image = args.clusterAutoscalerImage;
  return {
    ...gpuPoolAddons(
      gpu.map((g) => ({ pool: g.name, os: g.settings.os, efa: g.efa, taints: g.settings.taints })),
      { enabled: args.gpuDevicePlugin, name: "nvidia-device-plugin", image: args.gpuDevicePluginImage },
      where,
    ),
    ...(image ? { clusterAutoscaler: { clusterName: args.clusterName, region: where.region, image } } : {}),
    ...(args.networkPolicyMode === "strict"
      ? { networkPolicies: systemNetworkPolicies(net, args.network.internetEgress) }
      : {}),
  };
}

/**
 * The autoscaler's AWS identity: a role only EKS Pod Identity can assume for the autoscaler's
 * ServiceAccount on this cluster, allowed to describe and to resize only this cluster's groups.
 */
export function createAutoscalerIdentity(
  scope: ClusterScope,
  cluster: eks.Cluster,
): eks.PodIdentityAssociation {
  const { name, parent, clusterName, common } = scope;
  const role = createPodIdentityServiceRole(childName(name, "cluster-autoscaler"), parent, {
    description: `Cluster Autoscaler of EKS cluster ${clusterName} (EKS Pod Identity)`,
    subject: {
      clusterArn: cluster.arn,
      namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace,
      serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name,
    },
    tags: common.tags,
  });
  const policy = new iam.RolePolicy(
    childName(name, "cluster-autoscaler"),
    { role: role.id, policy: JSON.stringify(clusterAutoscalerPolicy(clusterName)) },
    { parent },
  );
  return new eks.PodIdentityAssociation(
    childName(name, "cluster-autoscaler"),
    {
      clusterName: cluster.name,
      namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace,
      serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name,
      roleArn: role.arn,
      tags: common.tags,
    },
    // The autoscaler's first call must find the policy in place.
    { parent, dependsOn: [policy] },
  );
}
