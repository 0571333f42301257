import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import {
  CLUSTER_AUTOSCALER_IMAGES,
  CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
  clusterAutoscalerPolicy,
  eksRegistry,
} from "../../facts";
import { childName } from "../../kit";
import type { AddonTaint, ClusterAddonsArgs } from "../../kubernetes";
import type { IssueSink } from "../../validation";
import { createServiceRole } from "../iam";
import { isGpuGroup } from "../node-group";
import type { ClusterScope } from "./scope";

// What the cluster phase runs on an EKS cluster, decided here from the node groups' config, and
// the AWS identity the autoscaler runs with, created here in the platform phase.

/** The args this file reads (a structural type: args.ts calls the check below). */
interface AddonInputs {
  kubernetesVersion?: string | undefined;
  clusterAutoscalerImage?: string | undefined;
  gpuDevicePlugin?: boolean | undefined;
  gpuDevicePluginImage?: string | undefined;
  nodeGroups?:
    | {
        name: string;
        instanceTypes: string[];
        minSize?: number | undefined;
        maxSize: number;
        os?: "al2023" | "bottlerocket" | undefined;
        efa?: boolean | undefined;
        taints?: AddonTaint[] | undefined;
      }[]
    | undefined;
}

/** AWS's EFA device plugin release in the regional EKS registry. */
const EFA_PLUGIN = "eks/aws-efa-k8s-device-plugin:v0.5.20";

/** Whether the autoscaler may resize a group: its bounds leave room (GPU groups default to 0 nodes, others to 1). */
export function canScale(group: {
  instanceTypes: string[];
  minSize?: number | undefined;
  maxSize: number;
}): boolean {
  return group.maxSize > (group.minSize ?? (isGpuGroup(group.instanceTypes) ? 0 : 1));
}

/** Whether any group can be resized. */
function scalable(args: Pick<AddonInputs, "nodeGroups">): boolean {
  return (args.nodeGroups ?? []).some(canScale);
}

/** The autoscaler image: the one given, else the release matching the cluster's version. */
function autoscalerImage(args: Pick<AddonInputs, "kubernetesVersion" | "clusterAutoscalerImage">) {
  return (
    args.clusterAutoscalerImage ??
    (args.kubernetesVersion ? CLUSTER_AUTOSCALER_IMAGES[args.kubernetesVersion] : undefined)
  );
}

/**
 * The autoscaler needs an image matching the cluster's Kubernetes minor version (it simulates that
 * version's scheduler): refuse a cluster with room to scale and no way to pick one.
 */
export function checkAutoscalerImage(
  args: Pick<AddonInputs, "nodeGroups" | "kubernetesVersion" | "clusterAutoscalerImage">,
  ctx: IssueSink,
): void {
  if (!scalable(args) || autoscalerImage(args)) return;
  const known = Object.keys(CLUSTER_AUTOSCALER_IMAGES).join(", ");
  ctx.addIssue({
    code: "custom",
    path: ["kubernetesVersion"],
    message: args.kubernetesVersion
      ? `"${args.kubernetesVersion}" has no known Cluster Autoscaler release (known: ${known}); set clusterAutoscalerImage`
      : `is not set, and the Cluster Autoscaler must match it; pin one of ${known}, or set clusterAutoscalerImage`,
  });
}

/**
 * The add-ons this cluster's pools need, as plain data for `ClusterAddons` (region-dependent
 * values as Outputs): NVIDIA's device plugin on the AL2023 GPU groups (Bottlerocket's NVIDIA images
 * ship their own, so those never get a second), the EFA plugin on EFA groups, and Cluster
 * Autoscaler when a group can grow, so GPU groups scale from zero for placed work.
 */
export function awsClusterAddons(
  clusterName: string,
  args: AddonInputs,
  where: { region: pulumi.Input<string>; dnsSuffix: pulumi.Input<string> },
): ClusterAddonsArgs {
  const groups = args.nodeGroups ?? [];
  const gpu = groups.filter((g) => isGpuGroup(g.instanceTypes));
  const pluginPools = (args.gpuDevicePlugin ?? true) ? gpu.filter((g) => g.os !== "bottlerocket") : [];
  const efa = gpu.filter((g) => g.efa);
  const image = autoscalerImage(args);
  return {
    ...(pluginPools.length > 0
      ? {
          nvidiaDevicePlugins: [
            {
              name: "nvidia-device-plugin",
              migStrategy: "none" as const,
              pools: pluginPools.map((g) => g.name).sort(),
              taints: pluginPools.flatMap((g) => g.taints ?? []),
              ...(args.gpuDevicePluginImage ? { image: args.gpuDevicePluginImage } : {}),
            },
          ],
        }
      : {}),
    ...(efa.length > 0
      ? {
          efaDevicePlugin: {
            pools: efa.map((g) => g.name).sort(),
            image: pulumi.interpolate`${pulumi
              .all([where.region, where.dnsSuffix])
              .apply(([r, d]) => eksRegistry(r, d))}/${EFA_PLUGIN}`,
            taints: efa.flatMap((g) => g.taints ?? []),
          },
        }
      : {}),
    ...(scalable(args) && image ? { clusterAutoscaler: { clusterName, region: where.region, image } } : {}),
  };
}

/**
 * The autoscaler's AWS identity: a role only EKS Pod Identity can assume, allowed to describe and
 * to resize only this cluster's groups, bound to the autoscaler's ServiceAccount.
 */
export function createAutoscalerIdentity(
  scope: ClusterScope,
  cluster: eks.Cluster,
): eks.PodIdentityAssociation {
  const { name, parent, clusterName, common } = scope;
  const role = createServiceRole(childName(name, "cluster-autoscaler"), parent, {
    description: `Cluster Autoscaler of EKS cluster ${clusterName} (EKS Pod Identity)`,
    service: "pods.eks.amazonaws.com",
    extraActions: ["sts:TagSession"],
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
