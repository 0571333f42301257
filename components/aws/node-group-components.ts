import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type Pool, TRUSTS, type Trust } from "../placement";
import { componentSubject, nameSchema, parseOrThrow, SYSTEM_TAINT } from "../pulumi-free";
import { type CommonArgs, commonArgsShape, input, resolveCommon } from "../pulumi-kit";
import {
  type AwsClusterRef,
  type AwsNodeGroupSettings,
  checkNodeGroup,
  createNodeGroup,
  GPU_TAINTS,
  instanceShapeOf,
  nodeGroupSettingsShape,
} from "./node-group";

const clusterRefSchema = z.looseObject({
  clusterName: input(z.string().min(1)),
  nodeRoleArn: input(z.string().startsWith("arn:")),
  privateSubnetIds: input(z.array(input(z.string())).min(1)),
  clusterSecurityGroupId: input(z.string().startsWith("sg-")),
  vpcId: input(z.string().startsWith("vpc-")),
});

/** Arguments of `AwsGpuNodeGroup`. */
export interface AwsGpuNodeGroupArgs extends CommonArgs, AwsNodeGroupSettings {
  /** The cluster to join: an `AwsPrivateCluster`, or its outputs read from another stack. */
  cluster: AwsClusterRef;
  /** Pool name on node labels and in placement; default the component name. */
  poolName?: string;
  /** Trust zone labelled on the nodes: "public" (default for a public cloud) or "private". */
  trust?: Trust;
  /**
   * Attach EFA interfaces and pin the nodes to a cluster placement group in one zone, for multi-node
   * training. Every instance type must support EFA and take the same number of EFA interfaces; no
   * `publicIp` with it.
   */
  efa?: boolean;
  /** With `efa`: the subnet (so the zone) for the nodes; default the cluster's first private subnet. */
  efaSubnetId?: pulumi.Input<string>;
}

const gpuSchema = z
  .strictObject({
    ...commonArgsShape,
    ...nodeGroupSettingsShape,
    cluster: clusterRefSchema,
    poolName: nameSchema.optional(),
    trust: z.enum(TRUSTS).optional(),
    efa: z.boolean().optional(),
    efaSubnetId: input(z.string().startsWith("subnet-")).optional(),
  })
  .superRefine((args, ctx) => {
    checkNodeGroup(args, { gpu: true, builtInTaints: GPU_TAINTS }, ctx);
    if (args.efaSubnetId !== undefined && !args.efa) {
      ctx.addIssue({ code: "custom", path: ["efaSubnetId"], message: "only applies with efa: true" });
    }
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
    const common = resolveCommon(parsed);
    const shape = instanceShapeOf(parsed.instanceTypes, true);
    const { nodeGroup, pool } = createNodeGroup(
      name,
      this,
      common,
      args.cluster,
      {
        pool: parsed.poolName ?? name,
        settings: parsed,
        shape,
        trust: parsed.trust ?? "public",
        builtInTaints: GPU_TAINTS,
      },
      {
        // A GPU node holds expensive, long-running work: replace one node at a time.
        maxUnavailable: { count: 1 },
        ...(parsed.efa ? { efa: { subnetId: parsed.efaSubnetId } } : {}),
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

/** Arguments of `AwsNodeGroup`. */
export interface AwsNodeGroupArgs extends CommonArgs, AwsNodeGroupSettings {
  /** The cluster to join: an `AwsPrivateCluster`, or its outputs read from another stack. */
  cluster: AwsClusterRef;
  /** Pool name on node labels and in placement; default the component name. */
  poolName?: string;
  /** Trust zone labelled on the nodes: "public" (default for a public cloud) or "private". */
  trust?: Trust;
  /** Run only cluster add-ons here (taint CriticalAddonsOnly); placement gets no pool from it. Default false. */
  system?: boolean;
}

const cpuSchema = z
  .strictObject({
    ...commonArgsShape,
    ...nodeGroupSettingsShape,
    cluster: clusterRefSchema,
    poolName: nameSchema.optional(),
    trust: z.enum(TRUSTS).optional(),
    system: z.boolean().optional(),
  })
  .superRefine((args, ctx) => {
    checkNodeGroup(args, { gpu: false, builtInTaints: args.system ? [SYSTEM_TAINT] : [] }, ctx);
  });

/**
 * An EKS managed node group of general-purpose instances for services and CPU batch work, with
 * the same launch template defaults as the GPU pools.
 */
export class AwsNodeGroup extends pulumi.ComponentResource {
  /** The EKS node group name. */
  public readonly nodeGroupName: pulumi.Output<string>;
  /** The node group ARN. */
  public readonly nodeGroupArn: pulumi.Output<string>;
  /** The placement pool this group provides (undefined for a system group). */
  public readonly pool: pulumi.Output<Pool | undefined>;
  /** The same pool as a plain value, for placement at deploy time. */
  public readonly placementPool: Pool | undefined;

  constructor(name: string, args: AwsNodeGroupArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AwsNodeGroup", name), cpuSchema, args);
    super("hybrid-ai-infra:index:AwsNodeGroup", name, {}, opts);
    const common = resolveCommon(parsed);
    const shape = instanceShapeOf(parsed.instanceTypes, false);
    const { nodeGroup, pool } = createNodeGroup(
      name,
      this,
      common,
      args.cluster,
      {
        pool: parsed.poolName ?? name,
        settings: parsed,
        shape,
        trust: parsed.trust ?? "public",
        builtInTaints: parsed.system ? [{ ...SYSTEM_TAINT }] : [],
      },
      { maxUnavailable: { percentage: 33 } },
    );
    this.nodeGroupName = nodeGroup.nodeGroupName;
    this.nodeGroupArn = nodeGroup.arn;
    this.placementPool = parsed.system ? undefined : pool;
    this.pool = pulumi.output(this.placementPool);
    this.registerOutputs({
      nodeGroupName: this.nodeGroupName,
      nodeGroupArn: this.nodeGroupArn,
      pool: this.pool,
    });
  }
}
