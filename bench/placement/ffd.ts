import type { PlacementInput, Workload } from "../../components/placement";
import { Packer, type PoolRef, poolRefs } from "./packer";
import { brokenRule, isTrainingWorld } from "./rules";
import type { Plan } from "./verifier";

// Baseline: first-fit-decreasing. Workloads by priority, then largest first; each replica on the
// first node (pools in name order) with room, opening nodes as needed; spread covered first; a
// training world all on the first pool that takes every rank.

function size(w: Workload): number {
  return w.replicas * (w.cpu / 16 + w.memoryGiB / 64 + (w.gpu?.count ?? 0));
}

export function firstFitDecreasing(input: PlacementInput): Plan {
  const refs = poolRefs(input.targets).sort((a, b) => (a.key < b.key ? -1 : 1));
  const packer = new Packer(refs);
  const order = [...input.workloads].sort(
    (a, b) => (b.priority ?? 0) - (a.priority ?? 0) || size(b) - size(a) || (a.name < b.name ? -1 : 1),
  );
  for (const w of order) {
    const allowed = refs.filter((r) => brokenRule(w, r.target, r.pool, input.targets) === null);
    if (isTrainingWorld(w)) {
      placeWhole(packer, allowed, w);
      continue;
    }
    const start = packer.mark();
    const used = new Set<string>();
    let ok = true;
    for (let r = 0; r < w.replicas && ok; r++) {
      const needNew = used.size < (w.spread?.minTargets ?? 1);
      const candidates = needNew ? allowed.filter((x) => !used.has(x.target.name)) : allowed;
      const ref = candidates.find((x) => packer.placeOne(x, w));
      if (ref === undefined) ok = false;
      else used.add(ref.target.name);
    }
    if (!ok) packer.rollback(start);
  }
  return packer.plan();
}

/** All replicas of `w` on the first of `pools` that takes them all, or none. */
export function placeWhole(packer: Packer, pools: readonly PoolRef[], w: Workload): boolean {
  for (const ref of pools) {
    const start = packer.mark();
    let placed = 0;
    while (placed < w.replicas && packer.placeOne(ref, w)) placed += 1;
    if (placed === w.replicas) return true;
    packer.rollback(start);
  }
  return false;
}
