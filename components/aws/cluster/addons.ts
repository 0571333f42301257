import * as eks from "@pulumi/aws/eks";
import type * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import { createPodIdentityRole } from "./identity";
import type { ClusterScope } from "./scope";

/** One managed add-on: when it installs, and the AWS permissions and settings it gets. */
export interface AddonSpec {
  name: string;
  /** Installed before any node joins (true), or once the system nodes exist (false). */
  beforeNodes: boolean;
  /** Its service account's AWS permissions, through EKS Pod Identity. */
  podIdentity?: { serviceAccount: string; managedPolicy: string };
  /** Its configuration values. */
  configuration?: Record<string, unknown>;
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
    podIdentity: { serviceAccount: "aws-node", managedPolicy: "AmazonEKS_CNI_Policy" },
    // Enforces the NetworkPolicies the placement renderer writes (default deny per namespace).
    configuration: { enableNetworkPolicy: "true" },
  },
  { name: "kube-proxy", beforeNodes: true },
  { name: "coredns", beforeNodes: false },
];

/** The cluster an add-on goes on: its name, and its Kubernetes version, which picks the add-on's. */
export interface AddonCluster {
  name: pulumi.Input<string>;
  version: pulumi.Input<string>;
}

/**
 * Declares one managed add-on (and its Pod Identity role), after `dependsOn`. Its version is EKS's
 * default for the cluster's Kubernetes version, so a cluster upgrade moves the add-ons with it (an
 * add-on without a version stays on the one it was installed with, and kube-proxy falls behind).
 */
function createAddon(
  scope: ClusterScope,
  cluster: AddonCluster,
  spec: AddonSpec,
  dependsOn: pulumi.Resource[],
): eks.Addon {
  const waitFor = [...dependsOn];
  let podIdentityAssociations: { roleArn: pulumi.Input<string>; serviceAccount: string }[] | undefined;
  if (spec.podIdentity) {
    const { role, attachment } = createPodIdentityRole(scope, spec.name, spec.podIdentity.managedPolicy);
    waitFor.push(attachment);
    podIdentityAssociations = [{ roleArn: role.arn, serviceAccount: spec.podIdentity.serviceAccount }];
  }
  const version = eks.getAddonVersionOutput(
    { addonName: spec.name, kubernetesVersion: cluster.version },
    { parent: scope.parent },
  );
  return new eks.Addon(
    childName(scope.name, spec.name),
    {
      clusterName: cluster.name,
      addonName: spec.name,
      addonVersion: version.version,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
      ...(spec.configuration ? { configurationValues: JSON.stringify(spec.configuration) } : {}),
      ...(podIdentityAssociations ? { podIdentityAssociations } : {}),
      tags: scope.common.tags,
    },
    { parent: scope.parent, dependsOn: waitFor },
  );
}

/** The add-ons nodes need to join; those whose service accounts use Pod Identity wait for its agent. */
export function createAddonsBeforeNodes(scope: ClusterScope, cluster: AddonCluster): eks.Addon[] {
  const agent: eks.Addon[] = [];
  const created: eks.Addon[] = [];
  for (const spec of ADDONS.filter((a) => a.beforeNodes)) {
    const addon = createAddon(scope, cluster, spec, spec.podIdentity ? agent : []);
    if (spec.name === "eks-pod-identity-agent") agent.push(addon);
    created.push(addon);
  }
  return created;
}

/** The add-ons that need running nodes, after `nodes`. */
export function createAddonsAfterNodes(
  scope: ClusterScope,
  cluster: AddonCluster,
  nodes: pulumi.Resource[],
): eks.Addon[] {
  return ADDONS.filter((a) => !a.beforeNodes).map((spec) => createAddon(scope, cluster, spec, nodes));
}
