import type { PlacementInput } from "../../components/placement";
import { placeWhole } from "./ffd";
import { Packer, type PoolRef, poolRefs } from "./packer";
import { brokenRule, isTrainingWorld } from "./rules";
import type { Plan } from "./verifier";

// Baseline in the manner of Karmada's scheduler: one workload at a time (priority, then name),
// filter clusters, score each by free capacity (replicas it can still take, as Karmada's
// estimator does), take the best; divide a spread over the best clusters by that capacity. No cost
// model. Inside a cluster the pool with most room gets the replicas, first-fit on its nodes. A
// training world goes whole to the one pool with most room for it.

export function karmadaLike(input: PlacementInput): Plan {
  const refs = poolRefs(input.targets);
  const packer = new Packer(refs);
  const order = [...input.workloads].sort(
    (a, b) => (b.priority ?? 0) - (a.priority ?? 0) || (a.name < b.name ? -1 : 1),
  );
  for (const w of order) {
    const allowed = refs.filter((r) => brokenRule(w, r.target, r.pool, input.targets) === null);
    if (isTrainingWorld(w)) {
      // The world goes whole to the pool with most room (as a gang scheduler would).
      const byRoom = allowed
        .map((r) => ({ r, room: packer.room(r, w) }))
        .filter((x) => x.room >= w.replicas)
        .sort((a, b) => b.room - a.room || (a.r.key < b.r.key ? -1 : 1))
        .map((x) => x.r);
      placeWhole(packer, byRoom, w);
      continue;
    }
    const clusters = new Map<string, PoolRef[]>();
    for (const r of allowed) clusters.set(r.target.name, [...(clusters.get(r.target.name) ?? []), r]);
    const scored = [...clusters.entries()]
      .map(([name, pools]) => ({ name, pools, room: pools.reduce((s, p) => s + packer.room(p, w), 0) }))
      .filter((c) => c.room > 0)
      .sort((a, b) => b.room - a.room || (a.name < b.name ? -1 : 1));
    const spread = Math.max(1, w.spread?.minTargets ?? 1);
    const chosen = scored.slice(0, spread);
    if (chosen.length < spread) continue;
    const total = chosen.reduce((s, c) => s + c.room, 0);
    // Divide by available replicas, at least one each.
    const shares = chosen.map((c) => Math.max(1, Math.floor((w.replicas * c.room) / total)));
    let sum = shares.reduce((s, k) => s + k, 0);
    for (let i = 0; sum < w.replicas; i = (i + 1) % shares.length, sum++) shares[i] = (shares[i] ?? 0) + 1;
    while (sum > w.replicas) {
      const largest = shares.indexOf(Math.max(...shares));
      shares[largest] = (shares[largest] ?? 1) - 1;
      sum--;
    }
    const start = packer.mark();
    let ok = true;
    chosen.forEach((c, i) => {
      for (let r = 0; r < (shares[i] ?? 0) && ok; r++) {
        const pools = [...c.pools].sort(
          (a, b) => packer.room(b, w) - packer.room(a, w) || (a.key < b.key ? -1 : 1),
        );
        if (!pools.some((p) => packer.placeOne(p, w))) ok = false;
      }
    });
    if (!ok) packer.rollback(start);
  }
  return packer.plan();
}
