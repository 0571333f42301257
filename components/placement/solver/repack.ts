import type { PoolModel, WorkloadModel } from "../model";
import { fitCount, nodeShare } from "./problem";
import type { State } from "./state";

// Packs one pool's replicas from scratch: a dot-product packer (which pairs cpu-heavy with
// memory-heavy replicas), then first-fit decreasing under a few size orders while none has reached
// the nodes the load fills, each followed by emptying the emptiest node into the others while that
// works, and, for small pools, an exact search for fewer nodes. The fewest nodes wins. The result
// depends only on which replicas the pool holds, so a pool rebuilt from the lock packs exactly as
// before. (Best-fit variants never beat these on the benchmark's fleets and cost as much again.)

// Bound once: hot loops call it millions of times, and under some module loaders (tsx, vitest)
// every call through an import is a property lookup first.
const replicasThatFit = fitCount;

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

/** First-fit of `items` in their order: each replica on the first node with room, else a new node. */
function pack(state: State, pool: PoolModel, items: readonly Item[]): Bin[] | null {
  const bins: Bin[] = [];
  // By shape: bins before this index have no room for one replica of it. Bins only fill up, so
  // the scan starts there; the bins it skips still count as work, as when the scan visited them,
  // so the budget runs out where it did and the answers stay the same.
  const firstOpen = new Map<number, number>();
  const shapeOf = state.problem.shapeOf;
  for (const item of items) {
    const shape = shapeOf[item.w.index] ?? -1;
    let left = item.count;
    while (left > 0) {
      let chosen: Bin | null = null;
      let chosenFit = 0;
      const from = firstOpen.get(shape) ?? 0;
      state.work += from;
      let b = from;
      for (; b < bins.length; b++) {
        const bin = bins[b] as Bin;
        state.work += 1;
        const fit = replicasThatFit(item.w, pool, bin.cpu, bin.mem, bin.gpu);
        if (fit > 0) {
          chosen = bin;
          chosenFit = fit;
          break;
        }
      }
      firstOpen.set(shape, b);
      if (chosen === null) {
        chosen = { cpu: 0, mem: 0, gpu: 0, items: [] };
        bins.push(chosen);
        chosenFit = replicasThatFit(item.w, pool, 0, 0, 0);
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

/**
 * Bin-centric packing for several resources at once: fill one node at a time, each time adding
 * the replica that best matches the room left (largest dot product of its size and the node's free
 * share of cpu, memory and GPUs), until nothing fits; then open the next node. It pairs cpu-heavy
 * with memory-heavy replicas, which item-centric first-fit does not.
 *
 * Replicas of one shape (cpu, memory, GPUs) score alike and the first of them in `items` order
 * wins their tie, so each step weighs one candidate per shape, the first with replicas left: the
 * same choice as weighing every item, in a fraction of the steps (a pool holds many workloads of
 * few shapes).
 */
function packByDotProduct(
  state: State,
  pool: PoolModel,
  items: readonly Item[],
  limit: number,
): Bin[] | null {
  const left = items.map((i) => i.count);
  const gpuCap = pool.nodeGpu;
  const shapes = new Map<number, Shape>();
  const shapeOf = state.problem.shapeOf;
  const order: Shape[] = [];
  items.forEach((item, i) => {
    const w = item.w;
    const key = shapeOf[w.index] ?? -1;
    let shape = shapes.get(key);
    if (shape === undefined) {
      shape = {
        w,
        c: w.cpu / pool.cpuCap,
        m: w.memoryGiB / pool.memCap,
        g: gpuCap > 0 ? w.gpu / gpuCap : 0,
        members: [],
        head: 0,
      };
      shapes.set(key, shape);
      order.push(shape);
    }
    if (item.count > 0) shape.members.push(i);
  });
  // Shapes by the position of their first item with replicas left: the order the scan meets them.
  const live = order.filter((shape) => shape.members.length > 0);
  let remaining = left.reduce((a, b) => a + b, 0);
  const bins: Bin[] = [];
  while (remaining > 0) {
    if (bins.length >= limit) return null;
    const bin: Bin = { cpu: 0, mem: 0, gpu: 0, items: [] };
    bins.push(bin);
    for (;;) {
      const rc = 1 - bin.cpu / pool.cpuCap;
      const rm = 1 - bin.mem / pool.memCap;
      const rg = gpuCap > 0 ? 1 - bin.gpu / gpuCap : 0;
      let best = -1;
      let bestScore = -1;
      for (let s = 0; s < live.length; s++) {
        state.work += 1;
        const shape = live[s] as Shape;
        if (replicasThatFit(shape.w, pool, bin.cpu, bin.mem, bin.gpu) === 0) continue;
        const score = shape.c * rc + shape.m * rm + shape.g * rg;
        if (score > bestScore + 1e-12) {
          bestScore = score;
          best = s;
        }
      }
      const shape = live[best];
      if (shape === undefined) break;
      const i = shape.members[shape.head] as number;
      const item = items[i] as Item;
      bin.cpu += item.w.cpu;
      bin.mem += item.w.memoryGiB;
      bin.gpu += item.w.gpu;
      const last = bin.items[bin.items.length - 1];
      if (last !== undefined && last[0] === item.w.index) last[1] += 1;
      else bin.items.push([item.w.index, 1]);
      left[i] = (left[i] ?? 0) - 1;
      remaining -= 1;
      if (left[i] === 0) advance(live, best, items.length);
    }
    if (bin.items.length === 0) return null;
  }
  return bins;
}

interface Shape {
  /** A workload of this shape: what fits and scores is the same for all of them. */
  readonly w: WorkloadModel;
  readonly c: number;
  readonly m: number;
  readonly g: number;
  /** Positions in `items` of this shape's workloads, ascending. */
  readonly members: number[];
  /** The first member with replicas left. */
  head: number;
}

/**
 * Where `shape`'s first member with replicas left sits in `items` (`end` when none). Module level:
 * a closure made on every call is a named function object each time under tsx, and this runs for
 * every workload that runs out in every packing.
 */
function position(shape: Shape, end: number): number {
  return shape.members[shape.head] ?? end;
}

/** `live[at]`'s first member ran out: move on to its next one, keeping `live` ordered by it. */
function advance(live: Shape[], at: number, end: number): void {
  const shape = live[at] as Shape;
  shape.head += 1;
  if (shape.head >= shape.members.length) {
    live.splice(at, 1);
    return;
  }
  let i = at;
  while (i + 1 < live.length && position(live[i + 1] as Shape, end) < position(shape, end)) {
    live[i] = live[i + 1] as Shape;
    i += 1;
  }
  live[i] = shape;
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
    items.push({
      w: wl,
      count,
      share: nodeShare(wl, pool),
      cpu: wl.cpu / pool.cpuCap,
      mem: wl.memoryGiB / pool.memCap,
    });
  }
  const sortedById = [...items].sort((a, b) => a.w.index - b.w.index);
  const unlimited = Number.MAX_SAFE_INTEGER;
  // No packing uses fewer nodes than the load fills: one that does is final, later packers only tie.
  const floor = Math.max(1, Math.ceil(loadNodes(pool, items) - 1e-9));
  let best = consolidate(state, pool, packByDotProduct(state, pool, sortedById, unlimited));
  for (const order of ORDERS) {
    if (best !== null && best.length <= floor) break;
    const bins = consolidate(state, pool, pack(state, pool, [...items].sort(order)));
    if (bins !== null && (best === null || bins.length < best.length)) best = bins;
  }
  if (best !== null && best.length > floor) {
    // Small pools: search for a packing with fewer nodes, down to what the load itself needs.
    let replicas = 0;
    for (const item of items) replicas += item.count;
    if (replicas <= EXACT_REPLICAS) {
      for (let target = best.length - 1; target >= floor; target--) {
        const found = searchPacking(state, pool, items, target);
        if (found === null) break;
        best = found;
      }
    }
  }
  return best === null || best.length > limit ? null : best.map((b) => b.items);
}

/** Pools with at most this many replicas get an exact search for fewer nodes. */
const EXACT_REPLICAS = 24;
/** Steps one search may take: bounded, so the result stays deterministic and quick. */
const SEARCH_STEPS = 20_000;

/** Nodes the load fills if it packed perfectly. */
function loadNodes(pool: PoolModel, items: readonly Item[]): number {
  let cpu = 0;
  let mem = 0;
  let gpu = 0;
  for (const item of items) {
    cpu += item.count * item.w.cpu;
    mem += item.count * item.w.memoryGiB;
    gpu += item.count * item.w.gpu;
  }
  return Math.max(cpu / pool.cpuCap, mem / pool.memCap, pool.nodeGpu > 0 ? gpu / pool.nodeGpu : 0);
}

/** Depth-first search for a packing on `nodes` nodes, largest replicas first; null when none is found in the step limit. */
function searchPacking(state: State, pool: PoolModel, items: readonly Item[], nodes: number): Bin[] | null {
  const order = [...items].sort((a, b) => b.share - a.share || a.w.index - b.w.index);
  const replicas: WorkloadModel[] = [];
  for (const item of order) for (let i = 0; i < item.count; i++) replicas.push(item.w);
  const bins: Bin[] = Array.from({ length: nodes }, () => ({ cpu: 0, mem: 0, gpu: 0, items: [] }));
  let steps = 0;
  const place = (i: number, from: number): boolean => {
    if (i === replicas.length) return true;
    if (++steps > SEARCH_STEPS) return false;
    const w = replicas[i] as WorkloadModel;
    // Replicas of one workload are interchangeable: each goes to the same node or a later one.
    const start = i > 0 && replicas[i - 1] === w ? from : 0;
    const tried = new Set<string>();
    for (let b = start; b < bins.length; b++) {
      const bin = bins[b] as Bin;
      const key = `${bin.cpu},${bin.mem},${bin.gpu}`;
      if (tried.has(key)) continue;
      tried.add(key);
      if (replicasThatFit(w, pool, bin.cpu, bin.mem, bin.gpu) === 0) continue;
      bin.cpu += w.cpu;
      bin.mem += w.memoryGiB;
      bin.gpu += w.gpu;
      if (place(i + 1, b)) {
        bin.items.push([w.index, 1]);
        return true;
      }
      bin.cpu -= w.cpu;
      bin.mem -= w.memoryGiB;
      bin.gpu -= w.gpu;
    }
    return false;
  };
  const found = place(0, 0);
  state.work += steps;
  if (!found) return null;
  for (const bin of bins) {
    const merged = new Map<number, number>();
    for (const [w, k] of bin.items) merged.set(w, (merged.get(w) ?? 0) + k);
    bin.items.splice(0, bin.items.length, ...[...merged].sort((a, b) => a[0] - b[0]));
  }
  return bins.filter((b) => b.items.length > 0);
}

/**
 * Empties the emptiest node into the room left on the others while that works: the last node of a
 * greedy packing often holds a few replicas that fit elsewhere.
 */
function consolidate(state: State, pool: PoolModel, packed: Bin[] | null): Bin[] | null {
  if (packed === null) return null;
  let bins: Bin[] = packed;
  const fill = (b: Bin): number =>
    Math.max(b.cpu / pool.cpuCap, b.mem / pool.memCap, pool.nodeGpu > 0 ? b.gpu / pool.nodeGpu : 0);
  for (;;) {
    if (bins.length < 2) return bins;
    let emptiest = 0;
    for (let i = 1; i < bins.length; i++)
      if (fill(bins[i] as Bin) < fill(bins[emptiest] as Bin)) emptiest = i;
    const source = bins[emptiest] as Bin;
    const others: Bin[] = bins.filter((_, i) => i !== emptiest);
    const moved: { bin: Bin; w: WorkloadModel; n: number }[] = [];
    let ok = true;
    for (const [w, k] of source.items) {
      const wl = state.workload(w);
      let left = k;
      for (const bin of others) {
        state.work += 1;
        if (left === 0) break;
        const n = Math.min(left, replicasThatFit(wl, pool, bin.cpu, bin.mem, bin.gpu));
        if (n === 0) continue;
        bin.cpu += n * wl.cpu;
        bin.mem += n * wl.memoryGiB;
        bin.gpu += n * wl.gpu;
        moved.push({ bin, w: wl, n });
        left -= n;
      }
      if (left > 0) {
        ok = false;
        break;
      }
    }
    if (!ok) {
      for (const { bin, w, n } of moved) {
        bin.cpu -= n * w.cpu;
        bin.mem -= n * w.memoryGiB;
        bin.gpu -= n * w.gpu;
      }
      return bins;
    }
    for (const { bin, w, n } of moved) {
      const last = bin.items.find((item) => item[0] === w.index);
      if (last !== undefined) last[1] += n;
      else bin.items.push([w.index, n]);
    }
    bins = others;
  }
}

/**
 * Re-packs pool `p` when that needs no more nodes than it uses now. The layout becomes canonical
 * (a function of the pool's replicas), so it is taken on a tie too. Returns true when it changed.
 */
export function repackPool(state: State, p: number): boolean {
  const held = state.heldOn(p);
  if (held.size === 0) {
    state.dirty[p] = 0;
    return false;
  }
  const current = state.used[p] ?? 0;
  const layout = packReplicas(state, state.pool(p), held, current);
  if (layout === null || layout.length > current) return false;
  state.relayout(p, layout);
  return true;
}
