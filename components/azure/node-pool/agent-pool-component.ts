import { AgentPool } from "@pulumi/azure-native/containerservice";
import * as pulumi from "@pulumi/pulumi";
import { resolveCommon } from "../../kit";
import type { Pool } from "../../placement";
import { ConfigError, componentSubject, parseOrThrow } from "../../validation";
import { agentPoolArgs } from "./agent-pool-args";
import { type AzureGpuNodePoolArgs, checkPoolName, POOL_COMPONENTS } from "./args";
import type { PoolKind } from "./defaults";
import { poolChangeIssues, readLivePool } from "./lifecycle";
import { agentPoolPlacement, agentPoolPlanFor } from "./plan";
import { checkEncryptionAtHost, checkPoolSettings } from "./settings";

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
    const subject = componentSubject(type.slice(type.lastIndexOf(":") + 1), name);
    const parsed = parseOrThrow(
      subject,
      schema.superRefine((a, ctx) => {
        checkPoolSettings(a, kind === "gpu", ctx);
        checkEncryptionAtHost(a, kind, ctx);
        checkPoolName(name, a.poolName, ctx);
      }),
      args,
    );
    super(type, name, {}, opts);
    const plan = agentPoolPlanFor(parsed.poolName ?? name, parsed, parsed.trust ?? "public", kind, {
      ...(parsed.gpuDriver ? { gpuDriver: parsed.gpuDriver } : {}),
      ...(parsed.migProfile ? { migProfile: parsed.migProfile } : {}),
      ...(parsed.kubernetesVersion ? { kubernetesVersion: parsed.kubernetesVersion } : {}),
    });
    const pool = agentPoolPlacement(plan);
    const poolArgs = agentPoolArgs(plan, pool, args.cluster, resolveCommon(parsed).tags);
    // The running pool, read at deploy time: a change AKS cannot make to it is refused by setting
    // before anything is sent (the VM size waits on that check, so the pool is not registered).
    const live = readLivePool(this, args.cluster, plan.agentPoolName);
    const vmSize = pulumi.all([live, pulumi.output(poolArgs.vnetSubnetID)]).apply(([running, subnetId]) => {
      const issues = poolChangeIssues(plan.pool, plan.settings, subnetId ?? "", running);
      if (issues.length > 0) throw new ConfigError(subject, issues);
      return plan.settings.vmSize;
    });
    const agentPool = new AgentPool(
      name,
      { ...poolArgs, vmSize },
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
