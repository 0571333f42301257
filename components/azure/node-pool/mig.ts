import type { AzureGpuFacts } from "../../facts";

/** MIG profiles AKS accepts as `gpuInstanceProfile`. */
export const MIG_PROFILES = ["MIG1g", "MIG2g", "MIG3g", "MIG4g", "MIG7g"] as const;
export type MigProfile = (typeof MIG_PROFILES)[number];

/**
 * MIG facts: how many instances of a profile one GPU (A100, H100) is split into. AKS applies one
 * profile to every GPU of the pool, and the device plugin then advertises each instance as one
 * `nvidia.com/gpu`, so placement counts instances, not GPUs. Source: the NVIDIA MIG user guide's
 * supported profiles (seven 1g, three 2g, two 3g, one 4g or one 7g instance per GPU).
 */
export const MIG_SLICES_PER_GPU: Readonly<Record<MigProfile, number>> = {
  MIG1g: 7,
  MIG2g: 3,
  MIG3g: 2,
  MIG4g: 1,
  MIG7g: 1,
};

/**
 * The GPUs of a node as placement and the node labels see them: whole GPUs of the size's model,
 * or with MIG its slices, under a model of their own (`A100-MIG1g`), so a workload that asks for
 * an A100 never lands on a slice and one that wants a slice asks for it by name.
 */
export function placementGpu(facts: AzureGpuFacts, mig?: MigProfile): { count: number; model: string } {
  if (mig === undefined) return { count: facts.gpus, model: facts.gpuModel };
  return { count: facts.gpus * MIG_SLICES_PER_GPU[mig], model: `${facts.gpuModel}-${mig}` };
}
