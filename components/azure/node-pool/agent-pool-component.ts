import { AgentPool } from "@pulumi/azure-native/containerservice";
import * as pulumi from "@pulumi/pulumi";
import { resolveCommon } from "../../kit";
import type { Pool } from "../../placement";
import { componentSubject, parseOrThrow } from "../../validation";
import { agentPoolArgs } from "./agent-pool-args";
import { type AzureGpuNodePoolArgs, checkPoolName, POOL_COMPONENTS } from "./args";
import { POOL_DEFAULTS, type PoolKind } from "./defaults";
import { agentPoolPlacement, agentPoolPlanFor } from "./plan";
import { checkPoolSettings } from "./settings";

/**
 * The one implementation behind `AzureGpuNodePool` and `AzureNodePool`: validates the args for its
 * kind (nothing is registered before that passes), then declares the agent pool and exposes it
 * and its placement pool.
 */
export abstract class AzureAgentPoolComponent extends pulumi.ComponentResource {
  /** The AKS agent pool name. */
  public readonly agentPoolName: pulumi.Output<string>;
  /** The agent pool's resource id. */
  public readonly agentPoolId: pulumi.Output<string>;
  /** The placement pool this pool provides. */
  public readonly pool: pulumi.Output<Pool>;
  /** The same pool as a plain value, for placement at deploy time. */
  public readonly placementPool: Pool;

  protected constructor(
    kind: PoolKind,
    name: string,
    args: AzureGpuNodePoolArgs,
    opts: pulumi.ComponentResourceOptions,
  ) {
    const { type, schema } = POOL_COMPONENTS[kind];
    const parsed = parseOrThrow(
      componentSubject(type.slice(type.lastIndexOf(":") + 1), name),
      schema.superRefine((a, ctx) => {
        checkPoolSettings(a, kind === "gpu", ctx);
        checkPoolName(name, a.poolName, ctx);
      }),
      args,
    );
    super(type, name, {}, opts);
    const gpuDriver = parsed.gpuDriver ?? POOL_DEFAULTS[kind].gpuDriver;
    const plan = agentPoolPlanFor(parsed.poolName ?? name, parsed, parsed.trust ?? "public", kind, {
      ...(gpuDriver ? { gpuDriver } : {}),
      ...(parsed.migProfile ? { migProfile: parsed.migProfile } : {}),
    });
    const pool = agentPoolPlacement(plan);
    const agentPool = new AgentPool(
      name,
      agentPoolArgs(plan, pool, args.cluster, resolveCommon(parsed).tags),
      // The cluster autoscaler owns the node count after creation; a later `pulumi up` must not reset it.
      { parent: this, ignoreChanges: ["count"] },
    );

    this.agentPoolName = agentPool.name;
    this.agentPoolId = agentPool.id;
    this.placementPool = pool;
    this.pool = pulumi.output(pool);
    this.registerOutputs({
      agentPoolName: this.agentPoolName,
      agentPoolId: this.agentPoolId,
      pool: this.pool,
    });
  }
}
