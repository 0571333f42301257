import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { SYSTEM_TAINT } from "../../facts";
import type { Pool } from "../../placement";
import { componentSubject, parseOrThrow } from "../../validation";
import { checkNameLimits } from "../names";
import { createNodeGroup } from "./managed-node-group";
import { nodeGroupNames, resolveNodeGroup } from "./resolve";
import { type AwsNodeGroupBaseArgs, nodeGroupBaseShape } from "./settings";
import { checkNodeGroup } from "./validation";

/** Arguments of `AwsNodeGroup`. */
export interface AwsNodeGroupArgs extends AwsNodeGroupBaseArgs {
  /** Run only cluster add-ons here (taint CriticalAddonsOnly); placement gets no pool from it. Default false. */
  system?: boolean;
}

const cpuSchema = z
  .strictObject({ ...nodeGroupBaseShape, system: z.boolean().optional() })
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
    const parsed = parseOrThrow(
      componentSubject("AwsNodeGroup", name),
      cpuSchema.superRefine((_, ctx) => checkNameLimits(nodeGroupNames(name, false), ctx)),
      args,
    );
    super("hybrid-ai-infra:index:AwsNodeGroup", name, {}, opts);
    const system = parsed.system === true;
    const { common, plan, resources } = resolveNodeGroup(name, parsed, args.cluster, {
      gpu: false,
      builtInTaints: system ? [{ ...SYSTEM_TAINT }] : [],
      maxUnavailable: { percentage: 33 },
    });
    const { nodeGroup, pool } = createNodeGroup(name, this, common, args.cluster, plan, resources);
    this.nodeGroupName = nodeGroup.nodeGroupName;
    this.nodeGroupArn = nodeGroup.arn;
    this.placementPool = system ? undefined : pool;
    this.pool = pulumi.output(this.placementPool);
    this.registerOutputs({
      nodeGroupName: this.nodeGroupName,
      nodeGroupArn: this.nodeGroupArn,
      pool: this.pool,
    });
  }
}
