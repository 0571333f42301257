// Node labels and taints every pool carries on every cloud, so placement, rendering and policies
// read one vocabulary. Keys are ours (a domain we control), except the NVIDIA GPU taint, which GPU
// operators and device plugins already tolerate.

export const LABEL_POOL = "hybrid-ai-infra.io/pool";
export const LABEL_GPU_MODEL = "hybrid-ai-infra.io/gpu-model";
export const LABEL_TRUST = "hybrid-ai-infra.io/trust";
export const LABEL_CAPACITY = "hybrid-ai-infra.io/capacity";

/** Keeps non-GPU pods off GPU nodes. */
export const GPU_TAINT = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" } as const;

/** Keeps workloads off the system pool, which runs only cluster add-ons. */
export const SYSTEM_TAINT = { key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" } as const;

/** The labels of a pool's nodes. */
export function poolLabels(args: {
  pool: string;
  trust: "private" | "public";
  spot: boolean;
  gpuModel?: string;
}): Record<string, string> {
  return {
    [LABEL_POOL]: args.pool,
    [LABEL_TRUST]: args.trust,
    [LABEL_CAPACITY]: args.spot ? "spot" : "on-demand",
    ...(args.gpuModel ? { [LABEL_GPU_MODEL]: args.gpuModel } : {}),
  };
}
