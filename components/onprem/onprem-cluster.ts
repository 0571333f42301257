import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { GPU_TAINT, LABEL_POOL, labelKeySchema, labelValueSchema, taintSchema } from "../facts";
import {
  type ClusterPlacementArgs,
  type CommonArgs,
  clusterPlacementShape,
  commonArgsShape,
  input,
  placementTargetOf,
} from "../kit";
import type { Pool, Taint, Target } from "../placement";
import { componentSubject, type IssueSink, nameSchema, parseOrThrow } from "../validation";

/** A pool of nodes that already exists in the on-premises cluster. */
export interface OnPremPool {
  /** Pool name in placement. */
  name: string;
  /** Shape of one node. */
  node: { cpu: number; memoryGiB: number; gpu?: { count: number; model: string } };
  /** Nodes in the pool (fixed hardware). */
  nodes: number;
  /** Amortised cost per node-hour (hardware, power, space, support), for placement's cost model. */
  pricePerNodeHour: number;
  /** Labels of the pool's nodes, used as the workloads' nodeSelector; default `hybrid-ai-infra.io/pool=<name>`. The nodes must carry `hybrid-ai-infra.io/pool=<name>` in any case: rendering always selects on it. */
  labels?: Record<string, string>;
  /** Taints on the pool's nodes; default the NVIDIA GPU taint on GPU pools, none otherwise. */
  taints?: Taint[];
  /** Share of node cpu and memory placement keeps free. Default 0.1. */
  headroom?: number;
}

/** How the cluster's GPU nodes expose their GPUs, and the taint that keeps other pods off them. */
export interface OnPremGpu {
  /**
   * What advertises `nvidia.com/gpu` on the GPU nodes: NVIDIA's device plugin, or NVIDIA's GPU
   * operator (which runs the plugin with the drivers). The cluster's owners run it: the library
   * installs none on a cluster it did not build, and without one no GPU pod is ever scheduled.
   */
  devicePlugin: "nvidia-device-plugin" | "gpu-operator";
  /**
   * The taint the GPU nodes carry, exactly (GPU pods tolerate this key, value and effect); default
   * `nvidia.com/gpu=true:NoSchedule`, `"none"` where the nodes carry no GPU taint. A pool's own
   * `taints` replace it for that pool.
   */
  taint?: Taint | "none";
}

/** Arguments of `OnPremCluster`. */
export interface OnPremClusterArgs extends CommonArgs {
  /** Kubeconfig of the existing cluster; kept secret. */
  kubeconfig: pulumi.Input<string>;
  /** Context in the kubeconfig; default its current context. */
  context?: string;
  /** The node pools the cluster has. */
  pools: OnPremPool[];
  /** The GPU nodes' device plugin and taint; required when a pool has GPUs. */
  gpu?: OnPremGpu;
  /** How placement sees the cluster; trust defaults to "private" and egress to 0 (owned uplink). */
  placement: ClusterPlacementArgs;
}

/** The zod schema of `OnPremPool`. */
const onPremPoolSchema = z.strictObject({
  name: nameSchema,
  node: z.strictObject({
    cpu: z.number().positive(),
    memoryGiB: z.number().positive(),
    gpu: z
      .strictObject({
        count: z.number().int().min(1),
        model: z.string().regex(/^[A-Za-z0-9-]+$/, "is not a GPU model such as A100 or H100"),
      })
      .optional(),
  }),
  nodes: z.number().int().min(1),
  pricePerNodeHour: z.number().min(0),
  labels: z.record(labelKeySchema, labelValueSchema).optional(),
  taints: z.array(taintSchema).optional(),
  headroom: z.number().min(0).lt(1).optional(),
});

/** The pools of one on-premises cluster: at least one, with unique names. Shared with the stack config. */
export const onPremPoolsSchema = z
  .array(onPremPoolSchema)
  .min(1, "needs at least one pool: placement can only use capacity it knows about")
  .superRefine((pools, ctx) => {
    const seen = new Set<string>();
    pools.forEach((p, i) => {
      if (seen.has(p.name)) {
        ctx.addIssue({
          code: "custom",
          path: [i, "name"],
          message: `"${p.name}" is used twice; pool names must be unique`,
        });
      }
      seen.add(p.name);
    });
  });

/** The zod schema of `OnPremGpu`. Shared with the stack config. */
export const onPremGpuSchema = z.strictObject({
  devicePlugin: z.enum(["nvidia-device-plugin", "gpu-operator"], {
    error: "is not nvidia-device-plugin or gpu-operator (what advertises nvidia.com/gpu on the GPU nodes)",
  }),
  taint: z.union([taintSchema, z.literal("none")]).optional(),
});

/**
 * GPU pools need a device plugin stated: without one, `nvidia.com/gpu` is never advertised and
 * every GPU pod stays pending while placement counts the pool's GPUs as capacity.
 */
export function gpuPoolsNeedPlugin(
  args: { pools?: { name: string; node?: { gpu?: unknown } }[] | undefined; gpu?: unknown },
  ctx: IssueSink,
): void {
  const gpuPools = (args.pools ?? []).filter((p) => p.node?.gpu !== undefined).map((p) => p.name);
  if (gpuPools.length > 0 && args.gpu === undefined)
    ctx.addIssue({
      code: "custom",
      path: ["gpu"],
      message: `is unset, and pool${gpuPools.length > 1 ? "s" : ""} ${gpuPools.join(", ")} ha${gpuPools.length > 1 ? "ve" : "s"} GPUs: state what advertises nvidia.com/gpu there (devicePlugin: nvidia-device-plugin or gpu-operator) and the nodes' taint; without a device plugin no GPU pod is ever scheduled`,
    });
}

const schema = z
  .strictObject({
    ...commonArgsShape,
    kubeconfig: input(z.string().min(1, "is empty; give the cluster's kubeconfig (as a secret)")),
    context: z.string().min(1).optional(),
    pools: onPremPoolsSchema,
    gpu: onPremGpuSchema.optional(),
    placement: z.strictObject(clusterPlacementShape),
  })
  .superRefine(gpuPoolsNeedPlugin);

/**
 * An existing on-premises Kubernetes cluster, described by config: it creates nothing, and yields
 * a placement target and what a Kubernetes provider needs to reach it (`kubeconfig`, `context`).
 * It declares no provider itself, so the platform phase needs no route to the cluster.
 */
export class OnPremCluster extends pulumi.ComponentResource {
  /** The kubeconfig (secret). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** The kubeconfig context to use; undefined for its current context. */
  public readonly context: string | undefined;
  /** The placement target of this cluster. */
  public readonly target: pulumi.Output<Target>;
  /** The same target as a plain value, for placement at deploy time. */
  public readonly placementTarget: Target;

  constructor(name: string, args: OnPremClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("OnPremCluster", name), schema, args);
    // Common args are accepted (and validated) like every component's, though nothing here is
    // tagged or stateful: the cluster exists already and this component creates no cloud resource.
    super("hybrid-ai-infra:index:OnPremCluster", name, {}, opts);
    const kubeconfig = pulumi.secret(pulumi.output(parsed.kubeconfig));
    this.context = parsed.context;
    this.placementTarget = onPremClusterTarget(name, parsed);
    this.kubeconfig = kubeconfig;
    this.target = pulumi.output(this.placementTarget);
    this.registerOutputs({ kubeconfig, target: this.target });
  }
}

/**
 * The placement target an on-premises cluster with these args provides, with no resources: a
 * stack can place workloads before it declares anything. The cluster's own `placementTarget` is
 * this value.
 */
export function onPremClusterTarget(
  name: string,
  args: Pick<OnPremClusterArgs, "pools" | "placement" | "gpu">,
): Target {
  const gpuTaint = args.gpu?.taint ?? GPU_TAINT;
  const gpuTaints: Taint[] = gpuTaint === "none" ? [] : [{ ...gpuTaint }];
  const pools: Pool[] = args.pools.map((p) => ({
    name: p.name,
    node: p.node.gpu
      ? { cpu: p.node.cpu, memoryGiB: p.node.memoryGiB, gpu: p.node.gpu }
      : { cpu: p.node.cpu, memoryGiB: p.node.memoryGiB },
    // Owned hardware runs whether used or not: every node is paid for.
    minNodes: p.nodes,
    maxNodes: p.nodes,
    pricePerNodeHour: p.pricePerNodeHour,
    spot: false,
    ...(p.headroom === undefined ? {} : { headroom: p.headroom }),
    labels: p.labels ?? { [LABEL_POOL]: p.name },
    // GPU pods tolerate the taint the nodes really carry (tolerations are rendered from these).
    taints: p.taints ?? (p.node.gpu ? gpuTaints.map((t) => ({ ...t })) : []),
  }));
  return placementTargetOf("onprem", name, args.placement, pools);
}
