import type * as pulumi from "@pulumi/pulumi";
import type { MigStrategy } from "../facts";

// What a cluster must run before placed work can schedule, as plain data: each cluster component
// (EKS, AKS, a team's own GPU node group) computes it from its pools in the platform phase, and
// `ClusterAddons` (hybrid-ai-infra/kubernetes) renders it in the cluster phase. It lives here, not
// with the renderer, so the cloud entries' declarations never reference @pulumi/kubernetes.

/** A pool's taint, as the add-ons tolerate it. */
export interface AddonTaint {
  /** Taint key. */
  key: string;
  /** Taint value; absent matches any. */
  value?: string;
  /** Taint effect. */
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** The AWS Load Balancer Controller on an EKS cluster, as the cluster component computes it. */
export interface AwsLoadBalancerControllerAddon {
  /** EKS cluster name. */
  clusterName: pulumi.Input<string>;
  /** AWS region. */
  region: pulumi.Input<string>;
  /** The cluster's VPC. */
  vpcId: pulumi.Input<string>;
  /** Image, pinned; default the release's (public.ecr.aws: give an ECR pull-through cache without NAT). */
  image?: string;
}

/**
 * What one cluster must run before placed work can schedule. Each cluster component computes it
 * from its own pools (`addons` output), the cluster phase renders it.
 */
export interface ClusterAddonsArgs {
  /**
   * NVIDIA device plugins: one DaemonSet per entry, on the listed pools (the GPU pools whose image
   * ships no plugin), with the MIG strategy those pools need.
   */
  nvidiaDevicePlugins?: {
    /** DaemonSet name (a DNS label). */
    name: string;
    /** Pools to run on. */
    pools: string[];
    /** `single` on MIG pools, `none` elsewhere. */
    migStrategy: MigStrategy;
    /** Image, pinned; default NVIDIA's release. */
    image?: string;
    /** Taints of those pools besides the GPU, spot and system taints. */
    taints: AddonTaint[];
  }[];
  /** AWS's EFA device plugin on the EFA pools. */
  efaDevicePlugin?: {
    /** Pools whose nodes have EFA interfaces. */
    pools: string[];
    /** The regional EKS registry's image, pinned. */
    image: pulumi.Input<string>;
    /** Taints those pools carry. */
    taints: AddonTaint[];
  };
  /**
   * NetworkPolicies for the cluster's own pods on pod networking (CoreDNS, the autoscaler): where
   * the CNI starts every pod denied (the VPC CNI's strict mode), these are what they may accept
   * and send, and nothing else.
   */
  networkPolicies?: AddonNetworkPolicy[];
  /**
   * Kueue, which queues the placed batch and training Jobs by priority against the quotas placement
   * budgeted: the pinned release installed on the system pool, or one the cluster already runs.
   */
  kueue?: KueueAddon;
  /** Cluster Autoscaler (EKS managed node groups), running as the Pod Identity-bound ServiceAccount. */
  clusterAutoscaler?: {
    /** EKS cluster name (auto-discovery tag). */
    clusterName: pulumi.Input<string>;
    /** AWS region. */
    region: pulumi.Input<string>;
    /** Image, pinned, matching the cluster's Kubernetes minor version. */
    image: string;
  };
  /** The AWS Load Balancer Controller (internal NLBs for Services), running as its Pod Identity-bound ServiceAccount. */
  awsLoadBalancerController?: AwsLoadBalancerControllerAddon;
}

/** Kueue on one cluster: installed by the library, or already there. */
export interface KueueAddon {
  /** The cluster's name: MultiKueue's origin label. */
  clusterName: string;
  /** Image of the install, pinned; default the release's (`registry.k8s.io/kueue/kueue`). */
  image?: string;
  /** Whether the cluster has the library's system pool for the controller (EKS, AKS). */
  systemPool: boolean;
  /**
   * The cluster runs Kueue already (installed and configured by its owners): nothing is installed,
   * the queues are configured on it. Its version must be at least v0.16 (v1beta2 objects).
   */
  existing?: {
    /** The version it runs, e.g. v0.18.1. */
    version: string;
    /** Its namespace (where MultiKueue reads worker kubeconfigs); default kueue-system. */
    namespace?: string;
  };
}

/** A peer of a NetworkPolicy rule: an address block, or pods by namespace and labels. */
export type AddonPolicyPeer =
  | { ipBlock: { cidr: pulumi.Input<string> } }
  | {
      namespaceSelector: { matchLabels?: Record<string, string> };
      podSelector?: { matchLabels: Record<string, string> };
    };

/** Ports of a NetworkPolicy rule. */
export interface AddonPolicyPort {
  protocol: "TCP" | "UDP";
  port: number;
}

/** A NetworkPolicy (networking.k8s.io/v1) for an add-on's pods, as plain data. */
export interface AddonNetworkPolicy {
  /** Object name, a DNS label. */
  name: string;
  /** The namespace of the pods (it exists: kube-system). */
  namespace: string;
  /** Labels of the pods it selects. */
  podLabels: Record<string, string>;
  /** Traffic they accept; absent: none. */
  ingress?: { from: AddonPolicyPeer[]; ports: AddonPolicyPort[] }[];
  /** Traffic they send; absent: none. */
  egress?: { to: AddonPolicyPeer[]; ports: AddonPolicyPort[] }[];
}
