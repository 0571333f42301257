import { z } from "zod";

// Node labels and taints every pool carries on every cloud, so placement, rendering and policies
// read one vocabulary. Keys are ours (a domain we control), except the NVIDIA GPU taint, which GPU
// operators and device plugins already tolerate.

export const LABEL_POOL = "hybrid-ai-infra.io/pool";
export const LABEL_GPU_MODEL = "hybrid-ai-infra.io/gpu-model";
export const LABEL_TRUST = "hybrid-ai-infra.io/trust";
export const LABEL_CAPACITY = "hybrid-ai-infra.io/capacity";
/** The pod label every rendered workload carries: which catalog workload the pod runs. */
export const LABEL_WORKLOAD = "hybrid-ai-infra.io/workload";
/** The CronJob label that marks a backup (its value names what it backs up); monitoring watches these. */
export const LABEL_BACKUP = "hybrid-ai-infra.io/backup";

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

/** Taint effects Kubernetes knows. */
export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

/** A Kubernetes label (or taint) key: an optional DNS prefix and a name of at most 63 characters. */
export const labelKeySchema = z
  .string()
  .regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, "is not a Kubernetes label key");

/** A Kubernetes label (or taint) value: at most 63 characters, alphanumeric at both ends, or empty. */
export const labelValueSchema = z
  .string()
  .regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/, "is not a Kubernetes label value");

/** A node taint as pools declare it. */
export const taintSchema = z.strictObject({
  key: labelKeySchema,
  value: labelValueSchema.optional(),
  effect: z.enum(TAINT_EFFECTS),
});

/**
 * Extra taints may not repeat a key the pool already carries (the GPU taint, the system taint):
 * the cloud APIs reject a node group with the same taint key twice.
 */
export function duplicateTaintKeys(
  builtIn: readonly { key: string }[],
  extra: readonly { key: string }[] | undefined,
): { index: number; key: string }[] {
  const taken = new Set(builtIn.map((t) => t.key));
  const out: { index: number; key: string }[] = [];
  (extra ?? []).forEach((t, index) => {
    if (taken.has(t.key)) out.push({ index, key: t.key });
    taken.add(t.key);
  });
  return out;
}
