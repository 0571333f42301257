/**
 * How NVIDIA's device plugin presents MIG slices. `single` advertises each slice of a uniformly
 * partitioned GPU as one `nvidia.com/gpu`, which is what placement counts on MIG pools; `none`
 * advertises whole GPUs and would leave most slices unused.
 */
export const MIG_STRATEGIES = ["none", "single"] as const;
export type MigStrategy = (typeof MIG_STRATEGIES)[number];
