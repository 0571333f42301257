import type { PlacementInput, PlacementResult, Pool, Target, Workload } from "../../components/placement";

// Small builders for placement inputs, so each test states only what it is about.

export function workload(name: string, over: Partial<Workload> = {}): Workload {
  return { name, kind: "service", replicas: 1, cpu: 1, memoryGiB: 2, classification: "internal", ...over };
}

export function pool(name: string, over: Partial<Pool> = {}): Pool {
  return { name, node: { cpu: 8, memoryGiB: 32 }, maxNodes: 10, pricePerNodeHour: 0.4, ...over };
}

export function gpuPool(name: string, model: string, count: number, over: Partial<Pool> = {}): Pool {
  return pool(name, {
    node: { cpu: 48, memoryGiB: 192, gpu: { count, model } },
    pricePerNodeHour: 5,
    ...over,
  });
}

export function target(name: string, over: Partial<Target> = {}): Target {
  return {
    name,
    cloud: "aws",
    region: "eu-west-1",
    jurisdiction: "EU",
    trust: "private",
    pools: [pool("cpu")],
    ...over,
  };
}

/** Workload name to the sorted `target/pool` list it runs on. */
export function placements(result: PlacementResult): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of result.assignments)
    out.set(a.workload, [...(out.get(a.workload) ?? []), `${a.target}/${a.pool}`]);
  for (const list of out.values()) list.sort();
  return out;
}

/** The reason a candidate of a workload was rejected, or undefined when it was not. */
export function rejection(
  result: PlacementResult,
  workloadName: string,
  candidate: string,
): string | undefined {
  return result.explanations[workloadName]?.rejected.find((r) => r.candidate === candidate)?.reason;
}

export function input(
  workloads: Workload[],
  targets: Target[],
  extra: Partial<PlacementInput> = {},
): PlacementInput {
  return { workloads, targets, ...extra };
}
