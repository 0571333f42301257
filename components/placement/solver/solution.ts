import type { State } from "./state";

/**
 * What any solver hands back: by pool index, its non-empty nodes, each a list of
 * [workload index, replicas]. Everything else (assignments, costs, explanations) derives from it.
 */
export interface Solution {
  readonly nodes: readonly (readonly (readonly [number, number])[])[][];
}

export function solutionOf(state: State): Solution {
  return {
    nodes: state.nodes.map((nodes) =>
      nodes
        .filter((n) => n.replicas > 0)
        .map((n) => [...n.items].sort((a, b) => a[0] - b[0]).map(([w, k]): [number, number] => [w, k])),
    ),
  };
}

/** By workload index: replicas by pool index. */
export function partsOf(solution: Solution, workloads: number): Map<number, number>[] {
  const parts = Array.from({ length: workloads }, () => new Map<number, number>());
  solution.nodes.forEach((nodes, p) => {
    for (const node of nodes) {
      for (const [w, k] of node) {
        const m = parts[w];
        if (m !== undefined) m.set(p, (m.get(p) ?? 0) + k);
      }
    }
  });
  return parts;
}
