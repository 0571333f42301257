import { poolFilter, unresolvable } from "./filter";

// Spot pools take only spotOk workloads, and never confidential or restricted data (a reclaimed
// spot node is not a place to leave sensitive state; restricted is held to the confidential rule).

const NEVER_ON_SPOT = new Set(["confidential", "restricted"]);

export const spot = poolFilter({
  rule: "spot",
  reads: ["classification", "spotOk"],
  check: (w, _t, p) => {
    if (!p.spot) return null;
    if (NEVER_ON_SPOT.has(w.classification)) {
      return unresolvable(`${w.classification} data never runs on spot pools; ${p.key} is spot`);
    }
    return w.spotOk ? null : unresolvable(`${p.key} is a spot pool and the workload is not spotOk`);
  },
});
