import type { PoolModel, WorkloadModel } from "../model";
import { fitCount, nodeShare } from "./problem";
import { Node, type State } from "./state";

// Re-packs one pool's replicas from scratch with first-fit-decreasing and best-fit-decreasing under
// a few size orders, and keeps the layout with the fewest nodes. The result depends only on which
// replicas the pool holds, so a pool rebuilt from the lock packs exactly as before.

interface Item {
  readonly w: WorkloadModel;
  readonly count: number;
  readonly share: number;
  readonly cpu: number;
  readonly mem: number;
}

interface Bin {
  cpu: number;
  mem: number;
  gpu: number;
  readonly items: [number, number][];
}

type Order = (a: Item, b: Item) => number;

const ORDERS: readonly Order[] = [
  (a, b) => b.share - a.share || a.w.index - b.w.index,
  (a, b) => b.cpu - a.cpu || b.share - a.share || a.w.index - b.w.index,
  (a, b) => b.mem - a.mem || b.share - a.share || a.w.index - b.w.index,
];

function pack(pool: PoolModel, items: readonly Item[], bestFit: boolean, limit: number): Bin[] | null {
  const bins: Bin[] = [];
  for (const item of items) {
    let left = item.count;
    while (left > 0) {
      let chosen: Bin | null = null;
      let chosenRoom = Number.POSITIVE_INFINITY;
      let chosenFit = 0;
      for (const bin of bins) {
        const fit = fitCount(item.w, pool, bin.cpu, bin.mem, bin.gpu);
        if (fit === 0) continue;
        if (!bestFit) {
          chosen = bin;
          chosenFit = fit;
          break;
        }
        const room = fit - Math.min(fit, left);
        if (room < chosenRoom) {
          chosen = bin;
          chosenRoom = room;
          chosenFit = fit;
        }
      }
      if (chosen === null) {
        if (bins.length >= limit) return null;
        chosen = { cpu: 0, mem: 0, gpu: 0, items: [] };
        bins.push(chosen);
        chosenFit = fitCount(item.w, pool, 0, 0, 0);
        if (chosenFit === 0) return null;
      }
      const n = Math.min(left, chosenFit);
      chosen.cpu += n * item.w.cpu;
      chosen.mem += n * item.w.memoryGiB;
      chosen.gpu += n * item.w.gpu;
      chosen.items.push([item.w.index, n]);
      left -= n;
    }
  }
  return bins;
}

/** The fewest-node layout of the given replicas (by workload index) on `pool`, or null if none fits. */
export function packReplicas(
  state: State,
  pool: PoolModel,
  replicas: ReadonlyMap<number, number>,
  limit: number,
): [number, number][][] | null {
  const items: Item[] = [];
  for (const [w, count] of replicas) {
    const wl = state.workload(w);
    items.push({ w: wl, count, share: nodeShare(wl, pool), cpu: wl.cpu / pool.cpuCap, mem: wl.memoryGiB / pool.memCap });
  }
  let best: Bin[] | null = null;
  for (const order of ORDERS) {
    const sorted = [...items].sort(order);
    for (const bestFit of [false, true]) {
      state.work += sorted.length * 4;
      const bins = pack(pool, sorted, bestFit, best === null ? limit : best.length - 1);
      if (bins !== null && (best === null || bins.length < best.length)) best = bins;
    }
  }
  return best === null ? null : best.map((b) => b.items);
}

/**
 * Re-packs pool `p` when that needs no more nodes than it uses now. The layout becomes canonical
 * (a function of the pool's replicas), so it is taken on a tie too. Returns true when it changed.
 */
export function repackPool(state: State, p: number): boolean {
  const pool = state.pool(p);
  const held = new Map<number, number>();
  for (const node of state.poolNodes(p)) {
    for (const [w, k] of node.items) held.set(w, (held.get(w) ?? 0) + k);
  }
  if (held.size === 0) return false;
  const current = state.used[p] ?? 0;
  const layout = packReplicas(state, pool, held, current);
  if (layout === null || layout.length > current) return false;
  for (const node of state.poolNodes(p)) {
    for (const [w, k] of [...node.items]) state.add(w, p, node, -k);
  }
  const nodes = state.poolNodes(p);
  for (const items of layout) {
    const node = new Node();
    nodes.push(node);
    for (const [w, k] of items) state.add(w, p, node, k);
  }
  return true;
}
