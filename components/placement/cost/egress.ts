import type { PlacementModel, WorkloadModel } from "../model";
import type { ReplicaTerm } from "./term";

// Egress: a part of a workload on a target that does not host one of its datasets reads it from the
// cheapest target that does, and pays that target's egress price per GiB for its share of the
// replicas. A dataset no target hosts costs nothing (it lives outside the model).

/** The cheapest egress price per GiB among the targets hosting each dataset. */
export function datasetSources(model: PlacementModel): ReadonlyMap<string, number> {
  const cheapest = new Map<string, number>();
  for (const t of model.targets) {
    for (const d of t.datasets) {
      const known = cheapest.get(d);
      if (known === undefined || t.egressPricePerGiB < known) cheapest.set(d, t.egressPricePerGiB);
    }
  }
  return cheapest;
}

/**
 * Egress $/h of one replica of `workload` on each target (by target index), or null when the
 * workload reads nothing that costs egress anywhere.
 */
export function egressPerReplica(
  model: PlacementModel,
  workload: WorkloadModel,
  sources: ReadonlyMap<string, number>,
): Float64Array | null {
  let any = false;
  const out = new Float64Array(model.targets.length);
  for (const d of workload.datasets) {
    const price = sources.get(d.name);
    if (price === undefined || price === 0 || d.readGiBPerHour === 0) continue;
    for (const t of model.targets) {
      if (t.datasets.has(d.name)) continue;
      const share = (d.readGiBPerHour * price) / workload.replicas;
      out[t.index] = (out[t.index] ?? 0) + share;
      any = true;
    }
  }
  return any ? out : null;
}

export const egress = {
  shape: "replica",
  field: "egressPerHour",
  words: "egress",
  perReplica: (model) => {
    const sources = datasetSources(model);
    return model.workloads.map((w) => {
      const byTarget = egressPerReplica(model, w, sources);
      if (byTarget === null) return null;
      const byPool = new Float64Array(model.pools.length);
      for (const p of model.pools) byPool[p.index] = byTarget[p.targetIndex] ?? 0;
      return byPool;
    });
  },
} satisfies ReplicaTerm;
