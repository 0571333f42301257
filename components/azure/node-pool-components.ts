import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Pool, Trust } from "../placement";
import { componentSubject, parseOrThrow } from "../pulumi-free";
import { type CommonArgs, clusterPlacementShape, commonArgsShape, resolveCommon } from "../pulumi-kit";
import {
  type AzureClusterRef,
  type AzureNodePoolSettings,
  agentPoolNameFor,
  agentPoolPlanFor,
  checkPoolSettings,
  clusterRefSchema,
  createAgentPool,
  MIG_PROFILES,
  type MigProfile,
  nodePoolSettingsShape,
  POOL_DEFAULTS,
  POOL_NAME,
  type PoolKind,
} from "./node-pool";

/** Arguments of `AzureNodePool`. */
export interface AzureNodePoolArgs extends CommonArgs, AzureNodePoolSettings {
  /** The cluster to join: an `AzurePrivateCluster`'s fields, or its outputs read from another stack. */
  cluster: AzureClusterRef;
  /** Pool name on node labels and in placement; default the component name. The AKS agent pool name is it without dashes (at most 12). */
  poolName?: string;
  /** Trust zone labelled on the nodes: "public" (default for a public cloud) or "private". */
  trust?: Trust;
}

/** Arguments of `AzureGpuNodePool`. */
export interface AzureGpuNodePoolArgs extends AzureNodePoolArgs {
  /** "Install" (default): AKS installs the NVIDIA driver; "None": a GPU operator manages drivers. */
  gpuDriver?: "Install" | "None";
  /** Split each GPU with NVIDIA MIG (A100 and H100 sizes only), e.g. "MIG1g". Default none. Placement then offers the slices as GPU model `<model>-<profile>`, e.g. A100-MIG1g (see MIG_SLICES_PER_GPU). */
  migProfile?: MigProfile;
}

/** Adds a problem when the pool name (given, or the component name) makes no AKS agent pool name. */
function checkPoolName(component: string, given: string | undefined, ctx: z.RefinementCtx): string {
  const pool = given ?? component;
  const derived = agentPoolNameFor(pool);
  if (typeof derived !== "string") {
    ctx.addIssue({
      code: "custom",
      path: ["poolName"],
      message:
        given === undefined
          ? `is not given, and the component name ${JSON.stringify(pool)} ${derived.problem}; set poolName`
          : `${JSON.stringify(pool)} ${derived.problem}`,
    });
  }
  if (pool === "system") {
    ctx.addIssue({
      code: "custom",
      path: ["poolName"],
      message: '"system" is the cluster\'s system pool; pick another name',
    });
  }
  return pool;
}

const poolShape = {
  ...commonArgsShape,
  ...nodePoolSettingsShape,
  cluster: clusterRefSchema,
  poolName: POOL_NAME.optional(),
  trust: clusterPlacementShape.trust,
};

/** The fields only GPU pools take. */
const gpuShape = {
  gpuDriver: z.enum(["Install", "None"]).optional(),
  migProfile: z.enum(MIG_PROFILES).optional(),
};

type ParsedPoolArgs = z.output<z.ZodObject<typeof poolShape>> & z.output<z.ZodObject<typeof gpuShape>>;

/** What sets the two pool components apart: type token, kind, and the args the kind adds. */
const POOL_COMPONENTS: Record<PoolKind, { type: string; schema: z.ZodType<ParsedPoolArgs> }> = {
  gpu: {
    type: "hybrid-ai-infra:index:AzureGpuNodePool",
    schema: z.strictObject({ ...poolShape, ...gpuShape }),
  },
  cpu: { type: "hybrid-ai-infra:index:AzureNodePool", schema: z.strictObject(poolShape) },
};

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
    const { agentPool, pool } = createAgentPool(name, this, resolveCommon(parsed), args.cluster, plan);
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

/**
 * An AKS user agent pool of GPU VMs: the size checked against the GPU facts, the
 * `nvidia.com/gpu=true:NoSchedule` taint, labels for pool, GPU model, trust zone and capacity,
 * Spot (evict and delete, price cap) or Regular, autoscaling, encryption at host, no public IPs,
 * SSH off, AKS-installed NVIDIA drivers (or none, for a GPU operator) and optional MIG.
 */
export class AzureGpuNodePool extends AzureAgentPoolComponent {
  constructor(name: string, args: AzureGpuNodePoolArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu", name, args, opts);
  }
}

/**
 * An AKS user agent pool of general-purpose VMs for services and CPU batch work, with the same
 * defaults as the GPU pools (encryption at host, no public IPs, SSH off, autoscaling).
 */
export class AzureNodePool extends AzureAgentPoolComponent {
  constructor(name: string, args: AzureNodePoolArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("cpu", name, args, opts);
  }
}
