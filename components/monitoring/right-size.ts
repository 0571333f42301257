import type { UsageSample } from "./usage";

// What a workload used, from a usage export, against what it asked for, and the requests that
// would cover its use: the 95th percentile per replica, with headroom, rounded to steps a person
// would write in a catalog. Right-sizing goes both ways: a workload that used more than it asked
// for is sized up.

/** How requests are right-sized. */
export const RIGHT_SIZING = {
  /** Headroom over the 95th percentile of use. */
  headroom: 1.2,
  /** Cores are rounded up to quarters, memory up to half GiB. */
  cpuStep: 0.25,
  memoryStepGiB: 0.5,
} as const;

const GiB = 1024 ** 3;

/** One workload's use, over every site and pool it ran on (the largest per-replica figure wins). */
export interface WorkloadUse {
  workload: string;
  /** Where it ran, as `site/pool`. */
  parts: string[];
  cpuP95: number;
  cpuMax?: number | undefined;
  memoryP95GiB: number;
  memoryMaxGiB?: number | undefined;
  /** GPUs in use per replica (DCGM sees them held), and their utilisation's 95th percentile (percent). */
  gpusP95?: number | undefined;
  gpuUtilisationP95?: number | undefined;
  /** Running replicas on average over the window. */
  replicas?: number | undefined;
}

/** Each workload's use, by name. */
export function useByWorkload(samples: readonly UsageSample[]): Map<string, WorkloadUse> {
  const out = new Map<string, WorkloadUse>();
  const max = (a: number | undefined, b: number) => (a === undefined ? b : Math.max(a, b));
  for (const s of samples) {
    const use = out.get(s.workload) ?? { workload: s.workload, parts: [], cpuP95: 0, memoryP95GiB: 0 };
    const part = `${s.site}/${s.pool}`;
    if (!use.parts.includes(part)) use.parts.push(part);
    const key = `${s.resource}/${s.stat}`;
    if (key === "cpu/p95_per_replica") use.cpuP95 = Math.max(use.cpuP95, s.value);
    else if (key === "cpu/max_per_replica") use.cpuMax = max(use.cpuMax, s.value);
    else if (key === "memory/p95_per_replica") use.memoryP95GiB = Math.max(use.memoryP95GiB, s.value / GiB);
    else if (key === "memory/max_per_replica") use.memoryMaxGiB = max(use.memoryMaxGiB, s.value / GiB);
    else if (key === "nvidia_com_gpu/p95_per_replica") use.gpusP95 = max(use.gpusP95, s.value);
    else if (key === "gpu_utilisation/p95") use.gpuUtilisationP95 = max(use.gpuUtilisationP95, s.value);
    // Replicas add up over the parts of a workload spread over sites.
    else if (key === "replicas/avg") use.replicas = (use.replicas ?? 0) + s.value;
    out.set(s.workload, use);
  }
  for (const use of out.values()) use.parts.sort();
  return out;
}

const roundUp = (value: number, step: number) => Math.max(step, Math.ceil(value / step - 1e-9) * step);

/** Requests per replica that cover the 95th percentile of use with headroom. */
export function rightSized(use: WorkloadUse): { cpu: number; memoryGiB: number } {
  return {
    cpu: roundUp(use.cpuP95 * RIGHT_SIZING.headroom, RIGHT_SIZING.cpuStep),
    memoryGiB: roundUp(use.memoryP95GiB * RIGHT_SIZING.headroom, RIGHT_SIZING.memoryStepGiB),
  };
}
