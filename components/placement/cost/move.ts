import type { PlacementModel, PreviousPlacement } from "../model";
import type { MipSink, PlacementTerm } from "./term";

// The move penalty: `moveCost` $/h for each workload whose set of (target, pool) differs from the
// lock's. Being left out counts as a move; a changed replica count within the same pools does not.

/**
 * Whether a workload moved: the lock placed it, and its set of (target, pool) now differs (being
 * unplaced counts as a different set). Replica counts within the same pools are not a move.
 */
export function hasMoved(previous: PreviousPlacement | null, pools: Iterable<number>): boolean {
  if (previous === null) return false;
  if (previous.lost) return true;
  let size = 0;
  for (const p of pools) {
    if (!previous.parts.has(p)) return true;
    size += 1;
  }
  return size !== previous.parts.size;
}

function previousOf(model: PlacementModel, w: number): PreviousPlacement | null {
  return model.previous[w] ?? null;
}

export const move = {
  shape: "placement",
  field: "movePenalty",
  words: "move penalty",
  applies: (model, w) => previousOf(model, w) !== null,
  cost: (model, w, pools) => (hasMoved(previousOf(model, w), pools) ? model.moveCost : 0),
  // The penalty spread over the replicas: each one put on a pool the lock did not use pays its share.
  perReplicaEstimate: (model, w, p) => {
    const previous = previousOf(model, w);
    return previous !== null && !previous.parts.has(p)
      ? model.moveCost / (model.workloads[w]?.replicas ?? 1)
      : 0;
  },
  mip: (model, w, feasible, columns, sink) => moveRows(model, w.index, w.replicas, feasible, columns, sink),
} satisfies PlacementTerm;

/**
 * mv_j (0..1) pays moveCost; v_j_p says "some replica of j on p". A pool the lock used and that is
 * left empty forces mv_j, and so does any replica on a pool the lock did not use. When the lock's
 * pools are out of reach (gone, or no longer feasible), the workload moves whatever happens: a constant.
 */
function moveRows(
  model: PlacementModel,
  j: number,
  replicas: number,
  feasible: readonly number[],
  columns: ReadonlyMap<number, readonly string[]>,
  sink: MipSink,
): number {
  const previous = previousOf(model, j);
  if (previous === null) return 0;
  const allowed = new Set(feasible);
  if (previous.lost || [...previous.parts.keys()].some((p) => !allowed.has(p))) return model.moveCost;
  const m = `mv${j}`;
  sink.bounds.push(` 0 <= ${m} <= 1`);
  sink.objective.push({ name: m, cost: model.moveCost });
  for (const [p, names] of columns) {
    const v = `v${j}_${p}`;
    sink.binaries.push(v);
    if (previous.parts.has(p)) {
      sink.rows.push(` vu${j}_${p}: ${v} - ${names.join(" - ")} <= 0`);
      sink.rows.push(` mk${j}_${p}: ${m} + ${v} >= 1`);
    } else {
      sink.rows.push(` vn${j}_${p}: ${names.join(" + ")} - ${replicas} ${v} <= 0`);
      sink.rows.push(` mn${j}_${p}: ${m} - ${v} >= 0`);
    }
  }
  return 0;
}
