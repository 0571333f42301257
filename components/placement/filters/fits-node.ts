import type { PoolModel } from "../model";
import { num, percent, shape } from "../words";
import { poolFilter, unschedulable } from "./filter";

// One replica must fit one node of the pool, less the headroom kept free: replicas never split.
// (GPU count is the gpu rule's business; this one checks cpu and memory.) Larger nodes would fix it.

const EPSILON = 1e-9;

function offers(p: PoolModel): string {
  return `${num(p.cpuCap)} CPU / ${num(p.memCap)} GiB after ${percent(p.headroom)} headroom`;
}

export const fitsNode = poolFilter({
  rule: "fits-node",
  reads: ["cpu", "memoryGiB"],
  check: (w, _t, p) =>
    w.cpu <= p.cpuCap + EPSILON && w.memoryGiB <= p.memCap + EPSILON
      ? null
      : unschedulable(
          `one replica needs ${shape(w.cpu, w.memoryGiB)}; a node of ${p.key} offers ${offers(p)}`,
        ),
  missing: (w, rejected) => {
    const roomiest = rejected.reduce((best, p) =>
      Math.min(p.cpuCap / w.cpu, p.memCap / w.memoryGiB) >
      Math.min(best.cpuCap / w.cpu, best.memCap / w.memoryGiB)
        ? p
        : best,
    );
    return unschedulable(
      `one replica needs ${shape(w.cpu, w.memoryGiB)}; the roomiest eligible node (${roomiest.key}) offers ${offers(roomiest)}`,
    );
  },
});
