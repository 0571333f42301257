import {
  AZURE_CPU_FAMILIES,
  AZURE_CPU_SIZES,
  AZURE_GPU_FAMILIES,
  AZURE_GPU_SIZES,
  type AzureCpuFacts,
  type AzureGpuFacts,
} from "../../facts";
import { POOL_DEFAULTS, type PoolKind } from "./defaults";

/** A VM size's facts, tagged with the kind of pool it makes. */
export type VmSizeFacts = { kind: "gpu"; facts: AzureGpuFacts } | { kind: "cpu"; facts: AzureCpuFacts };

/** Checks a VM size against the facts tables for a pool of `kind`; says what is wrong in words. */
export function resolveVmSize(vmSize: string, kind: PoolKind): VmSizeFacts | { problem: string } {
  const gpu = AZURE_GPU_SIZES.get(vmSize);
  const cpu = AZURE_CPU_SIZES.get(vmSize);
  const gpuChoices = `${AZURE_GPU_FAMILIES.join(", ")} (e.g. Standard_NC24ads_A100_v4)`;
  const cpuChoices = `${AZURE_CPU_FAMILIES.join(", ")} (e.g. Standard_D8ds_v5)`;
  if (kind === "gpu") {
    return gpu
      ? { kind: "gpu", facts: gpu }
      : { problem: `"${vmSize}" has no GPU; pick a size of ${gpuChoices}` };
  }
  if (gpu)
    return { problem: `"${vmSize}" is a GPU size; put it in a GPU pool, or pick a size of ${cpuChoices}` };
  if (!cpu)
    return { problem: `"${vmSize}" is not a known general-purpose size; pick a size of ${cpuChoices}` };
  return { kind: "cpu", facts: cpu };
}

/** Whether a VM size is a GPU size (so a cluster's pool of it becomes an `AzureGpuNodePool`). */
export function isGpuSize(vmSize: string): boolean {
  return AZURE_GPU_SIZES.has(vmSize);
}

/** The kind of pool a VM size makes when declared with a cluster. */
export function poolKindOf(vmSize: string): PoolKind {
  return isGpuSize(vmSize) ? "gpu" : "cpu";
}

/** The OS disk a pool gets: ephemeral where the size's local disk holds it, managed otherwise. */
export function osDiskFor(
  facts: AzureGpuFacts | AzureCpuFacts,
  settings: { osDiskType?: "Ephemeral" | "Managed" | undefined; osDiskSizeGiB?: number | undefined },
  kind: PoolKind,
): { osDiskType: "Ephemeral" | "Managed"; osDiskSizeGB: number } {
  const osDiskSizeGB = settings.osDiskSizeGiB ?? POOL_DEFAULTS[kind].osDiskSizeGiB;
  const fits = facts.localDiskGiB >= osDiskSizeGB;
  return { osDiskType: settings.osDiskType ?? (fits ? "Ephemeral" : "Managed"), osDiskSizeGB };
}
