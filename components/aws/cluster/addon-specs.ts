// The managed add-ons every cluster runs, as a table: their names, when they install, the AWS
// permissions their service accounts get and their settings.

/** The managed add-ons, by EKS's name. */
export const ADDON_NAMES = ["eks-pod-identity-agent", "vpc-cni", "kube-proxy", "coredns"] as const;
export type AddonName = (typeof ADDON_NAMES)[number];

/** How the VPC CNI starts a new pod on pod networking: denied until its policies apply (strict), or open. */
export type NetworkPolicyMode = "strict" | "standard";

/** `networkPolicyMode`: strict, so a namespace's default deny holds from a pod's first packet. */
export const DEFAULT_NETWORK_POLICY_MODE: NetworkPolicyMode = "strict";

/**
 * The first VPC CNI release that enforces network policies in each mode: 1.14 for policies at all
 * (EKS user guide, "Restrict Pod network traffic with Kubernetes network policies", minimum VPC CNI
 * version), 1.17.1 for strict mode (its release notes: "Network Policy agent now supports a strict
 * mode").
 */
export const VPC_CNI_MINIMUM: Record<NetworkPolicyMode, readonly [number, number, number]> = {
  standard: [1, 14, 0],
  strict: [1, 17, 1],
};

/** One managed add-on: when it installs, and the AWS permissions and settings it gets. */
export interface AddonSpec {
  name: AddonName;
  /** Installed before any node joins (true), or once the system nodes exist (false). */
  beforeNodes: boolean;
  /** Its service account's AWS permissions, through EKS Pod Identity. */
  podIdentity?: { namespace: string; serviceAccount: string; managedPolicy: string };
  /** Its configuration values, from the cluster's network policy mode. */
  configuration?: (mode: NetworkPolicyMode) => Record<string, unknown>;
}

/**
 * Managed add-ons. The CNI, kube-proxy and the Pod Identity agent must exist before nodes join
 * (nodes are not Ready without a CNI); CoreDNS is a Deployment and needs nodes to become healthy.
 */
export const ADDONS: readonly AddonSpec[] = [
  { name: "eks-pod-identity-agent", beforeNodes: true },
  {
    name: "vpc-cni",
    beforeNodes: true,
    // The CNI's AWS permissions go to its own service account, not to every pod on the node.
    podIdentity: {
      namespace: "kube-system",
      serviceAccount: "aws-node",
      managedPolicy: "AmazonEKS_CNI_Policy",
    },
    // Enforces the NetworkPolicies the placement renderer writes (default deny per namespace). In
    // "strict" mode the aws-node container's NETWORK_POLICY_ENFORCING_MODE starts each new pod
    // denied until its policies are programmed (EKS user guide, "Restrict Pod network traffic with
    // Kubernetes network policies", step 1; VPC CNI 1.17.1 and later); "standard" starts it open.
    configuration: (mode) => ({
      enableNetworkPolicy: "true",
      env: { NETWORK_POLICY_ENFORCING_MODE: mode },
    }),
  },
  { name: "kube-proxy", beforeNodes: true },
  { name: "coredns", beforeNodes: false },
];
