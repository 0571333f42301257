import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Pool } from "../../placement";
import { componentSubject, parseOrThrow } from "../../validation";
import { declarePoolNodeGroup } from "./managed-node-group";
import {
  type AwsEfaPlacement,
  type AwsNodeGroupBaseArgs,
  efaPlacementShape,
  GPU_TAINTS,
  nodeGroupBaseShape,
} from "./settings";
import { checkEfaPlacement, checkNodeGroup } from "./validation";

/** Arguments of `AwsGpuNodeGroup`. */
export interface AwsGpuNodeGroupArgs extends AwsNodeGroupBaseArgs, AwsEfaPlacement {}

const gpuSchema = z.strictObject({ ...nodeGroupBaseShape, ...efaPlacementShape }).superRefine((args, ctx) => {
  checkNodeGroup(args, { gpu: true, builtInTaints: GPU_TAINTS }, ctx);
  checkEfaPlacement(args, ctx, { zonesKnown: args.cluster.privateSubnetZones !== undefined });
});

/**
 * An EKS managed node group of GPU instances: the NVIDIA AMI matched to the instance family, the
 * `nvidia.com/gpu=true:NoSchedule` taint, labels for pool, GPU model and trust zone, an IMDSv2
 * launch template with an encrypted gp3 volume sized for model images, and optional EFA.
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

  constructor(name: string, args: AwsGpuNodeGroupArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AwsGpuNodeGroup", name), gpuSchema, args);
    super("hybrid-ai-infra:index:AwsGpuNodeGroup", name, {}, opts);
    const { nodeGroup, pool } = declarePoolNodeGroup(
      name,
      this,
      args,
      parsed,
      { gpu: true, builtInTaints: GPU_TAINTS },
      {
        // A GPU node holds expensive, long-running work: replace one node at a time.
        maxUnavailable: { count: 1 },
        ...(parsed.efa ? { efa: { subnetId: parsed.efaSubnetId, zone: parsed.efaZone } } : {}),
      },
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
