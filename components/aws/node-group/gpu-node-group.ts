import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { ClusterAddonsArgs } from "../../kit";
import type { Pool } from "../../placement";
import { componentSubject, parseOrThrow, pinnedImageSchema } from "../../validation";
import { awsContext } from "../context";
import { checkNameLimits } from "../names";
import { createNodeGroup } from "./managed-node-group";
import { type DevicePluginChoice, gpuPoolAddons } from "./pool-addons";
import { nodeGroupNames, resolveNodeGroup } from "./resolve";
import {
  type AwsEfaPlacement,
  type AwsNodeGroupBaseArgs,
  efaPlacementShape,
  GPU_TAINTS,
  nodeGroupBaseShape,
} from "./settings";
import { checkEfaPlacement, checkNodeGroup } from "./validation";

/** Arguments of `AwsGpuNodeGroup`. */
export interface AwsGpuNodeGroupArgs extends AwsNodeGroupBaseArgs, AwsEfaPlacement {
  /**
   * Whether the cluster phase runs NVIDIA's device plugin on this group's nodes (its `addons`);
   * without a plugin no pod can request `nvidia.com/gpu`. Default true on AL2023 (Bottlerocket's
   * NVIDIA images ship one); false where a GPU operator manages it.
   */
  gpuDevicePlugin?: boolean;
  /** NVIDIA device plugin image, pinned; default NVIDIA's release on nvcr.io (mirror it where nodes have no internet egress). */
  gpuDevicePluginImage?: string;
}

/** What an omitted `AwsGpuNodeGroupArgs` field of its own means. */
export const GPU_NODE_GROUP_DEFAULTS = { gpuDevicePlugin: true } as const;

/** How the group's device plugin runs, its default applied: the one resolution of these two args. */
function resolveDevicePlugin(args: {
  gpuDevicePlugin?: boolean | undefined;
  gpuDevicePluginImage?: string | undefined;
}): DevicePluginChoice {
  return {
    enabled: args.gpuDevicePlugin ?? GPU_NODE_GROUP_DEFAULTS.gpuDevicePlugin,
    name: "nvidia-device-plugin",
    image: args.gpuDevicePluginImage,
  };
}

const gpuSchema = z
  .strictObject({
    ...nodeGroupBaseShape,
    ...efaPlacementShape,
    gpuDevicePlugin: z.boolean().optional(),
    gpuDevicePluginImage: pinnedImageSchema.optional(),
  })
  .superRefine((args, ctx) => {
    checkNodeGroup(args, { gpu: true, builtInTaints: GPU_TAINTS }, ctx);
    checkEfaPlacement(args, ctx, { zonesKnown: args.cluster.privateSubnetZones !== undefined });
  });

/**
 * An EKS managed node group of GPU instances: the NVIDIA AMI matched to the instance family, the
 * `nvidia.com/gpu=true:NoSchedule` taint, labels for pool, GPU model and trust zone, an IMDSv2
 * launch template with an encrypted gp3 volume sized for model images, optional EFA, and the
 * template Cluster Autoscaler sizes it by while it is empty. Its `addons` are what the cluster
 * phase must run for its GPUs to be usable: a group a team adds to the platform's cluster renders
 * them with `ClusterAddons`, or the autoscaler grows it for pods that never fit.
 */
export class AwsGpuNodeGroup extends pulumi.ComponentResource {
  /** The EKS node group name. */
  public readonly nodeGroupName: pulumi.Output<string>;
  /** The node group ARN. */
  public readonly nodeGroupArn: pulumi.Output<string>;
  /** The EKS AMI type chosen for the instance family. */
  public readonly amiType: pulumi.Output<string>;
  /** The placement pool this group provides. */
  public readonly pool: pulumi.Output<Pool>;
  /** The same pool as a plain value, for placement at deploy time. */
  public readonly placementPool: Pool;
  /**
   * What the cluster phase must run for this group (its device plugin, the EFA plugin with EFA),
   * for `ClusterAddons`. A cluster's own groups are in the cluster's `addons` already.
   */
  public readonly addons: ClusterAddonsArgs;

  constructor(name: string, args: AwsGpuNodeGroupArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(
      componentSubject("AwsGpuNodeGroup", name),
      gpuSchema.superRefine((a, ctx) => checkNameLimits(nodeGroupNames(name, a.efa === true), ctx)),
      args,
    );
    super("hybrid-ai-infra:index:AwsGpuNodeGroup", name, {}, opts);
    const { common, plan, resources } = resolveNodeGroup(name, parsed, args.cluster, {
      gpu: true,
      builtInTaints: GPU_TAINTS,
      // A GPU node holds expensive, long-running work: replace one node at a time.
      maxUnavailable: { count: 1 },
    });
    const { nodeGroup, pool } = createNodeGroup(name, this, common, args.cluster, plan, resources);
    this.addons = gpuPoolAddons(
      [
        {
          pool: plan.pool,
          os: plan.settings.os,
          efa: resources.efa !== undefined,
          taints: plan.settings.taints,
        },
      ],
      resolveDevicePlugin(parsed),
      awsContext(this),
    );
    this.nodeGroupName = nodeGroup.nodeGroupName;
    this.nodeGroupArn = nodeGroup.arn;
    this.amiType = nodeGroup.amiType;
    this.placementPool = pool;
    this.pool = pulumi.output(pool);
    this.registerOutputs({
      nodeGroupName: this.nodeGroupName,
      nodeGroupArn: this.nodeGroupArn,
      amiType: this.amiType,
      pool: this.pool,
    });
  }
}
