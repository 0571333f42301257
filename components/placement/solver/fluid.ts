import { type CostTable, poolCost } from "../cost";
import type { PoolModel, WorkloadModel } from "../model";
import type { Budget } from "./budget";
import { nodeShare } from "./problem";
import type { State } from "./state";

// The fluid model: pools as loads, not nodes. A pool's load fills `x` nodes if it packed perfectly
// (cpu, memory and GPUs each, whichever fills most); it costs its price times x / efficiency,
// where efficiency is how well that pool's replicas really pack (measured after each packing, 1 at
// first), through the cost terms' shapes like every solver. A move (a workload's part to another pool) is priced in O(1), so a whole build and
// thousands of moves cost less than one sweep of node-level moves. It finds what node-level moves
// miss: which pools should carry which work when resources complement each other (cpu-heavy beside
// memory-heavy) or when a cheap pool, or the pool next to the data, is contested; then a workload
// may take the place of others that lose less by moving (an ejection). Nodes are packed afterwards.

// Bound once: hot loops call it millions of times, and under some module loaders (tsx, vitest)
// every call through an import is a property lookup first.
const shareOfNode = nodeShare;
const nodeCost = poolCost;

const GAIN = 1e-9;
/** How much more a pool whose two largest resources run equally full is charged (see `fill`). */
const BALANCE_PENALTY = 0.05;
const MAX_SWEEPS = 30;
/**
 * Moves are tried towards a workload's cheapest pools by unit cost only: the others rarely win and
 * on a large fleet they are most of the work.
 */
const MAX_OPTIONS = 12;
const EJECTIONS = 6;
/** Scratch for `rankPools`: the cheapest pools so far and their unit costs. */
const RANK_P = new Int32Array(MAX_OPTIONS);
const RANK_U = new Float64Array(MAX_OPTIONS);
/** Ejection candidates examined exactly, of those that lose least by unit cost. */
const SHORTLIST = 24;
/** An ejection is tried only for a gain worth its search time ($/h). */
const EJECTION_GAIN = 0.05;

/** A workload's part on a pool, as the ejection shortlist ranks it. */
interface Member {
  /** What leaving the pool costs per replica (`leaveCost`: fixed while the efficiencies are). */
  readonly leave: number;
  /** `leave` times its replicas there. */
  loss: number;
}

interface Move {
  readonly w: number;
  readonly from: number;
  readonly to: number;
  readonly k: number;
}

export class Fluid {
  private readonly pools: readonly PoolModel[];
  private readonly workloads: readonly WorkloadModel[];
  private readonly costs: CostTable;
  /** By pool, in nodes' worth: the replicas' cpu, memory and GPUs. */
  private readonly lc: Float64Array;
  private readonly lm: Float64Array;
  private readonly lg: Float64Array;
  /** By workload: replicas by pool index. */
  readonly parts: Map<number, number>[];
  /**
   * By pool: workloads with replicas there, with what leaving costs them (`Member`): the ejection
   * shortlist reads it for every member of a pool, on every ejection tried.
   */
  readonly members: Map<number, Member>[];
  /** What the last `bestMoves` found: the best destination within limits, and regardless (-1: none). */
  fitsTo = -1;
  fitsDelta = 0;
  anyTo = -1;
  anyDelta = 0;
  /** By pool: the load (in perfectly packed nodes) it may carry. */
  readonly limit: Float64Array;
  private readonly penalty: Float64Array;
  /** By pool: the cost of its current load. */
  private readonly poolCost: Float64Array;
  /** By workload: its cheapest pool and second cheapest by unit cost (-1 when none). */
  private readonly cheapest: Int32Array;
  private readonly secondCheapest: Int32Array;
  /** By workload: the pools a move may go to, cheapest by unit cost first (at most MAX_OPTIONS). */
  private readonly options: (readonly number[])[];
  /** Every cost term of the current parts (node terms by load and efficiency). */
  total = 0;

  /**
   * @param efficiency by pool: packed load over nodes used, from the last packing (1 = perfect).
   * @param start the parts to start from (by workload), e.g. the lock's or the last packing's.
   */
  constructor(
    readonly state: State,
    private readonly efficiency: Float64Array,
    start: readonly ReadonlyMap<number, number>[],
  ) {
    const { model } = state.problem;
    this.pools = model.pools;
    this.workloads = model.workloads;
    this.costs = state.problem.costs;
    const n = model.pools.length;
    this.lc = new Float64Array(n);
    this.lm = new Float64Array(n);
    this.lg = new Float64Array(n);
    this.members = model.pools.map(() => new Map<number, Member>());
    this.parts = model.workloads.map(() => new Map<number, number>());
    this.penalty = new Float64Array(model.workloads.length);
    this.poolCost = new Float64Array(n);
    // A pool may carry maxNodes of perfectly packed load, less what its last packing lost.
    this.limit = Float64Array.from(model.pools, (pool, p) => pool.maxNodes * (efficiency[p] ?? 1));
    model.pools.forEach((_, p) => {
      this.poolCost[p] = this.cost(p, 0);
      this.total += this.poolCost[p] ?? 0;
    });
    this.options = new Array<readonly number[]>(model.workloads.length);
    this.cheapest = new Int32Array(model.workloads.length).fill(-1);
    this.secondCheapest = new Int32Array(model.workloads.length).fill(-1);
    // Workloads that share their list of feasible pools share their shape (the filters read it),
    // so without a per-replica rate their unit costs, and what follows from them, are the same.
    const shared = new Map<readonly number[], number>();
    for (const w of model.workloads) {
      const feasible = state.problem.feasible[w.index] ?? [];
      if (this.costs.replicaRate[w.index] == null) {
        const like = shared.get(feasible);
        if (like !== undefined) {
          this.options[w.index] = this.options[like] ?? [];
          this.cheapest[w.index] = this.cheapest[like] ?? -1;
          this.secondCheapest[w.index] = this.secondCheapest[like] ?? -1;
          continue;
        }
        shared.set(feasible, w.index);
      }
      this.rankPools(w.index, feasible);
    }
    for (const w of model.workloads) {
      this.penalty[w.index] = this.penaltyOf(w.index, []);
      this.total += this.penalty[w.index] ?? 0;
      for (const [p, k] of start[w.index] ?? []) this.add(w.index, p, k);
    }
  }

  /**
   * Workload `w`'s MAX_OPTIONS cheapest pools by unit cost (ties to the lower index), and its
   * cheapest and second cheapest, by partial selection: it runs for every workload every round.
   */
  private rankPools(w: number, feasible: readonly number[]): void {
    const topP = RANK_P;
    const topU = RANK_U;
    let size = 0;
    let best = Number.POSITIVE_INFINITY;
    let second = Number.POSITIVE_INFINITY;
    for (const p of feasible) {
      const u = this.unitCost(w, p);
      if (u < best) {
        second = best;
        this.secondCheapest[w] = this.cheapest[w] ?? -1;
        best = u;
        this.cheapest[w] = p;
      } else if (u < second) {
        second = u;
        this.secondCheapest[w] = p;
      }
      if (size === MAX_OPTIONS) {
        const lastU = topU[MAX_OPTIONS - 1] ?? 0;
        if (u > lastU || (u === lastU && p > (topP[MAX_OPTIONS - 1] ?? 0))) continue;
        size -= 1;
      }
      let i = size;
      while (i > 0) {
        const before = topU[i - 1] ?? 0;
        if (before < u || (before === u && (topP[i - 1] ?? 0) < p)) break;
        topU[i] = before;
        topP[i] = topP[i - 1] ?? 0;
        i -= 1;
      }
      topU[i] = u;
      topP[i] = p;
      size += 1;
    }
    this.options[w] = Array.from(topP.subarray(0, size));
  }

  /** `w`'s cheapest pools by unit cost and `extra`, in pool order (what construction tries first). */
  likelyPools(w: number, extra: readonly number[]): number[] {
    const out = [...(this.options[w] ?? [])];
    for (const p of extra) if (!out.includes(p)) out.push(p);
    return out.sort((a, b) => a - b);
  }

  /** What the placement terms charge `w` on `pools`. */
  private penaltyOf(w: number, pools: readonly number[]): number {
    return this.costs.placement(w, pools);
  }

  /**
   * Nodes pool `p` would fill with `k` more replicas of `w` (none when `w` < 0): the most of its
   * cpu, memory or GPU load, and a little more when two resources run equally full (whole replicas
   * pack worse then, so the search should not count on filling both to the brim).
   */
  fill(p: number, w: number, k: number): number {
    const pool = this.pools[p] as PoolModel;
    let c = this.lc[p] ?? 0;
    let m = this.lm[p] ?? 0;
    let g = this.lg[p] ?? 0;
    if (w >= 0 && k !== 0) {
      const wl = this.workloads[w] as WorkloadModel;
      c += (k * wl.cpu) / pool.cpuCap;
      m += (k * wl.memoryGiB) / pool.memCap;
      if (pool.nodeGpu > 0) g += (k * wl.gpu) / pool.nodeGpu;
    }
    const top = c > m ? Math.max(c, g) : Math.max(m, g);
    if (top <= 1e-12) return 0;
    const second = c + m + g - top - Math.min(c, m, g);
    const r = second / top;
    return top + BALANCE_PENALTY * second * r * r * r * r;
  }

  /** The node cost of pool `p` carrying `x` nodes' worth of load, at its packing efficiency. */
  private cost(p: number, x: number): number {
    return nodeCost(this.pools[p] as PoolModel, x / (this.efficiency[p] ?? 1), this.costs.nodePrice[p] ?? 0);
  }

  /** $/h of one replica of `w` on `p` at full, typically packed nodes, plus its per-replica rate. */
  unitCost(w: number, p: number): number {
    const share = shareOfNode(this.workloads[w] as WorkloadModel, this.pools[p] as PoolModel);
    return (share * (this.costs.nodePrice[p] ?? 0)) / (this.efficiency[p] ?? 1) + this.rate(w, p);
  }

  /** What leaving pool `p` costs `w` per replica, judged by unit costs: cheap to eject first. */
  leaveCost(w: number, p: number): number {
    const alt = this.cheapest[w] === p ? this.secondCheapest[w] : this.cheapest[w];
    if (alt === undefined || alt < 0) return Number.POSITIVE_INFINITY;
    return this.unitCost(w, alt) - this.unitCost(w, p);
  }

  /** $/h of one replica of `w` on `p` by the per-replica terms (egress). */
  rate(w: number, p: number): number {
    return this.costs.replicaRate[w]?.[p] ?? 0;
  }

  private poolsAfter(w: number, from: number, to: number, k: number): number[] {
    const mine = this.parts[w] ?? new Map<number, number>();
    const after = [...mine.keys()].filter((r) => r !== from || (mine.get(from) ?? 0) > k);
    if (to >= 0 && !after.includes(to)) after.push(to);
    return after;
  }

  /**
   * Distinct targets `w` runs on after moving `k` replicas from pool `from` to `to` (the targets of
   * `poolsAfter`), counted without building lists: every move of a spread workload asks it.
   */
  private targetsAfter(w: number, from: number, to: number, k: number): number {
    const mine = this.parts[w] as Map<number, number>;
    const pools = this.pools;
    const toTarget = (pools[to] as PoolModel).targetIndex;
    let count = 0;
    let toCounted = false;
    for (const [r, kr] of mine) {
      if (r === from && kr <= k) continue;
      const t = (pools[r] as PoolModel).targetIndex;
      if (t === toTarget) toCounted = true;
      let seen = false;
      for (const [q, kq] of mine) {
        if (q === r) break;
        if (q === from && kq <= k) continue;
        if ((pools[q] as PoolModel).targetIndex === t) {
          seen = true;
          break;
        }
      }
      if (!seen) count += 1;
    }
    return toCounted ? count : count + 1;
  }

  /**
   * The change in total from moving `k` replicas of `w` from pool `from` (-1: adding them) to
   * `to`; null when spread forbids it or, with `respectLimit`, `to` has no room.
   */
  delta(w: number, from: number, to: number, k: number, respectLimit: boolean): number | null {
    const wl = this.workloads[w] as WorkloadModel;
    const x = this.fill(to, w, k);
    if (respectLimit && x > (this.limit[to] ?? 0) + 1e-9) return null;
    let penalty = 0;
    if (from >= 0 && wl.minTargets > 1 && this.targetsAfter(w, from, to, k) < wl.minTargets) return null;
    if (this.costs.placementApplies(w)) {
      penalty = this.penaltyOf(w, this.poolsAfter(w, from, to, k)) - (this.penalty[w] ?? 0);
    }
    let d = this.cost(to, x) - (this.poolCost[to] ?? 0) + k * this.rate(w, to) + penalty;
    if (from >= 0) {
      d += this.cost(from, this.fill(from, w, -k)) - (this.poolCost[from] ?? 0);
      d -= k * this.rate(w, from);
    }
    return d;
  }

  /** Adds `k` replicas of `w` to pool `p` (negative removes). */
  private add(w: number, p: number, k: number): void {
    const wl = this.workloads[w] as WorkloadModel;
    const pool = this.pools[p] as PoolModel;
    const before = this.poolCost[p] ?? 0;
    this.lc[p] = (this.lc[p] ?? 0) + (k * wl.cpu) / pool.cpuCap;
    this.lm[p] = (this.lm[p] ?? 0) + (k * wl.memoryGiB) / pool.memCap;
    if (pool.nodeGpu > 0) this.lg[p] = (this.lg[p] ?? 0) + (k * wl.gpu) / pool.nodeGpu;
    const mine = this.parts[w] ?? new Map<number, number>();
    const now = (mine.get(p) ?? 0) + k;
    if (now === 0) {
      mine.delete(p);
      this.members[p]?.delete(w);
    } else {
      mine.set(p, now);
      const members = this.members[p] as Map<number, Member>;
      let member = members.get(w);
      if (member === undefined) {
        const leave = this.leaveCost(w, p);
        member = { leave, loss: leave * now };
        members.set(w, member);
      } else member.loss = member.leave * now;
    }
    const penalty = this.costs.placementApplies(w) ? this.penaltyOf(w, [...mine.keys()]) : 0;
    const after = this.cost(p, this.fill(p, -1, 0));
    this.poolCost[p] = after;
    this.total += after - before + k * this.rate(w, p) + penalty - (this.penalty[w] ?? 0);
    this.penalty[w] = penalty;
  }

  apply(move: Move): void {
    if (move.from >= 0) this.add(move.w, move.from, -move.k);
    this.add(move.w, move.to, move.k);
  }

  undo(move: Move): void {
    this.add(move.w, move.to, -move.k);
    if (move.from >= 0) this.add(move.w, move.from, move.k);
  }

  /**
   * Finds the best destination for `k` replicas of `w` now on `from` (-1: not placed), within
   * limits (`fitsTo`, `fitsDelta`) and ignoring them (`anyTo`, `anyDelta`); -1 where there is none.
   * Results go to fields, not objects: it runs for every part in every sweep.
   */
  bestMoves(w: number, from: number, k: number): void {
    const wl = this.workloads[w] as WorkloadModel;
    const rules = wl.minTargets > 1 || this.costs.placementApplies(w);
    const leave =
      from < 0
        ? 0
        : this.cost(from, this.fill(from, w, -k)) - (this.poolCost[from] ?? 0) - k * this.rate(w, from);
    let fitsTo = -1;
    let fitsDelta = 0;
    let anyTo = -1;
    let anyDelta = 0;
    const options = this.options[w] ?? [];
    this.state.work += options.length;
    for (const to of options) {
      if (to === from) continue;
      let d: number;
      let x: number;
      if (rules) {
        const exact = this.delta(w, from, to, k, false);
        if (exact === null) continue;
        d = exact;
        x = this.fill(to, w, k);
      } else {
        x = this.fill(to, w, k);
        d = leave + this.cost(to, x) - (this.poolCost[to] ?? 0) + k * this.rate(w, to);
      }
      if (anyTo < 0 || d < anyDelta - 1e-12) {
        anyTo = to;
        anyDelta = d;
      }
      if ((fitsTo < 0 || d < fitsDelta - 1e-12) && x <= (this.limit[to] ?? 0) + 1e-9) {
        fitsTo = to;
        fitsDelta = d;
      }
    }
    this.fitsTo = fitsTo;
    this.fitsDelta = fitsDelta;
    this.anyTo = anyTo;
    this.anyDelta = anyDelta;
  }

  /** Replicas of `w` (at most `most`) pool `p` can still take within its limit. */
  room(w: number, p: number, most: number): number {
    const limit = (this.limit[p] ?? 0) + 1e-9;
    if (this.fill(p, w, most) <= limit) return most;
    let lo = 0;
    let hi = most;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.fill(p, w, mid) <= limit) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** The load of pool `p` now, in nodes' worth. */
  load(p: number): number {
    return this.fill(p, -1, 0);
  }
}

/**
 * Places every unplaced workload in `order` (whole, or split when no pool can take it whole, a
 * training world never; spread first) on the pool with the lowest unit cost that has room: node share times price, plus
 * egress, where nodes already paid for (minNodes) cost nothing. Unit costs, not the change in the
 * fluid total, keep early workloads from filling a pool just because one resource there is idle.
 * A workload with no room anywhere stays out.
 */
export function fluidConstruct(fluid: Fluid, order: readonly number[]): void {
  const { model, feasible } = fluid.state.problem;
  // By list of feasible pools: those of them with nodes paid for whether used or not (minNodes).
  const prepaidOf = new Map<readonly number[], readonly number[]>();
  const prepaid = (pools: readonly number[]): readonly number[] => {
    let out = prepaidOf.get(pools);
    if (out === undefined) {
      out = pools.filter((p) => (model.pools[p]?.minNodes ?? 0) > 0);
      prepaidOf.set(pools, out);
    }
    return out;
  };
  for (const w of order) {
    const wl = model.workloads[w];
    const mine = fluid.parts[w];
    if (wl === undefined || mine === undefined || mine.size > 0) continue;
    const done: Move[] = [];
    let placed = 0;
    const targets = new Set<number>();
    while (placed < wl.replicas) {
      // A training world has no spread (validation refuses one): all its ranks are asked at once.
      const spreading = targets.size < wl.minTargets && wl.world === 0;
      const want = spreading ? 1 : wl.replicas - placed;
      const all = feasible[w] ?? [];
      // Its cheapest pools and those with nodes paid for first: when one of them takes every
      // replica asked, no other pool can beat it (the rest cost more per replica). Else all.
      const likely = fluid.likelyPools(w, prepaid(all));
      let { best, bestTake } = bestPlace(fluid, w, likely, want, spreading ? targets : null);
      if (bestTake < want && likely.length < all.length)
        ({ best, bestTake } = bestPlace(fluid, w, all, want, spreading ? targets : null));
      if (best < 0) break;
      const move: Move = { w, from: -1, to: best, k: bestTake };
      fluid.apply(move);
      done.push(move);
      placed += bestTake;
      targets.add(model.pools[best]?.targetIndex ?? -1);
    }
    if (placed < wl.replicas) for (const m of done.reverse()) fluid.undo(m);
  }
}

/**
 * Of `pools` (in pool order), where `want` replicas of `w` go: the most taken (a training world
 * only whole), then the lowest unit cost (nodes paid for cost nothing), then the name.
 */
function bestPlace(
  fluid: Fluid,
  w: number,
  pools: readonly number[],
  want: number,
  avoidTargets: ReadonlySet<number> | null,
): { best: number; bestTake: number } {
  const { model } = fluid.state.problem;
  const wl = model.workloads[w] as WorkloadModel;
  let best = -1;
  let bestTake = 0;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const p of pools) {
    const pool = model.pools[p];
    if (pool === undefined || avoidTargets?.has(pool.targetIndex)) continue;
    const take = fluid.room(w, p, want);
    // A training world goes whole to one pool or stays out.
    if (take === 0 || (wl.world > 0 && take < want)) continue;
    const unit = fluid.unitCost(w, p);
    const prepaid = fluid.load(p) < pool.minNodes;
    const score = (prepaid ? 0 : unit) + (unit - fluid.rate(w, p)) * 1e-6;
    // Taking every replica asked beats a partial take; then the lower unit cost; then the name.
    if (take > bestTake || (take === bestTake && score < bestScore - 1e-12)) {
      best = p;
      bestTake = take;
      bestScore = score;
    }
  }
  return { best, bestTake };
}

/** Moves parts off pool `p`, those that lose least by leaving first, until it is within its limit. */
function shedLoad(fluid: Fluid, p: number): void {
  const order = [...(fluid.members[p] ?? [])]
    .map(([v, member]) => ({ v, loss: member.leave }))
    .filter((x) => Number.isFinite(x.loss))
    .sort((a, b) => a.loss - b.loss || a.v - b.v);
  for (const { v } of order) {
    if (fluid.load(p) <= (fluid.limit[p] ?? 0) + 1e-9) return;
    const k = fluid.parts[v]?.get(p) ?? 0;
    fluid.bestMoves(v, p, k);
    if (fluid.fitsTo >= 0) fluid.apply({ w: v, from: p, to: fluid.fitsTo, k });
  }
}

// Scratch for `shortlist`: the candidates kept so far, by loss then index.
const listV = new Int32Array(SHORTLIST);
const listLoss = new Float64Array(SHORTLIST);

/**
 * The SHORTLIST workloads on pool `to` (other than `w`) that lose least by leaving it (unit costs
 * times their replicas there; ties to the lower index), in that order: a partial selection, since
 * a pool may hold hundreds of workloads and this runs for every ejection tried.
 */
function shortlist(fluid: Fluid, w: number, to: number): number[] {
  let size = 0;
  for (const [v, member] of fluid.members[to] ?? []) {
    if (v === w) continue;
    const loss = member.loss;
    if (!Number.isFinite(loss)) continue;
    if (size === SHORTLIST) {
      const last = SHORTLIST - 1;
      const lastLoss = listLoss[last] ?? 0;
      if (loss > lastLoss || (loss === lastLoss && v > (listV[last] ?? 0))) continue;
      size = last;
    }
    let i = size;
    while (i > 0) {
      const before = listLoss[i - 1] ?? 0;
      if (before < loss || (before === loss && (listV[i - 1] ?? 0) < v)) break;
      listLoss[i] = before;
      listV[i] = listV[i - 1] ?? 0;
      i -= 1;
    }
    listLoss[i] = loss;
    listV[i] = v;
    size += 1;
  }
  return Array.from(listV.subarray(0, size));
}

/**
 * Moves `w`'s part on `from` to `to` past its limit, then pushes out of `to` the parts that lose
 * least by moving, until `to` is back within its limit. Undone unless the total drops.
 */
function moveWithEjection(fluid: Fluid, w: number, from: number, to: number): boolean {
  const k = fluid.parts[w]?.get(from) ?? 0;
  const start = fluid.total;
  const first: Move = { w, from, to, k };
  fluid.apply(first);
  const done: Move[] = [first];
  // Eject first the work that loses least by leaving: shortlist by unit costs (cheap), then rank
  // the shortlist by the exact change of its best move.
  const ranked: (Move & { delta: number })[] = [];
  for (const v of shortlist(fluid, w, to)) {
    const kv = fluid.parts[v]?.get(to) ?? 0;
    fluid.bestMoves(v, to, kv);
    if (fluid.fitsTo >= 0) ranked.push({ w: v, from: to, to: fluid.fitsTo, k: kv, delta: fluid.fitsDelta });
  }
  ranked.sort((a, b) => a.delta - b.delta || a.w - b.w);
  let ejected = 0;
  for (const move of ranked) {
    if (ejected >= EJECTIONS || fluid.load(to) <= (fluid.limit[to] ?? 0) + 1e-9) break;
    // Loads changed since ranking: the move must still fit where it goes.
    if (fluid.delta(move.w, move.from, move.to, move.k, true) === null) continue;
    fluid.apply(move);
    done.push(move);
    ejected += 1;
  }
  if (fluid.load(to) <= (fluid.limit[to] ?? 0) + 1e-9 && fluid.total < start - GAIN) return true;
  for (const m of done.reverse()) fluid.undo(m);
  return false;
}

/**
 * Local search on the fluid model: first pools above their limit shed the work that loses least
 * by leaving; then the best move per part, with ejection when a full pool blocks it.
 */
export function fluidSearch(fluid: Fluid, budget: Budget): void {
  const { model, feasible } = fluid.state.problem;
  model.pools.forEach((_, p) => {
    if (fluid.load(p) > (fluid.limit[p] ?? 0) + 1e-9) shedLoad(fluid, p);
  });
  const ejectionLimit = Math.max(50, model.workloads.length);
  let ejections = 0;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    const before = fluid.total;
    for (const w of model.workloads) {
      if (budget.spent(fluid.state)) return;
      const mine = fluid.parts[w.index];
      if (mine === undefined || mine.size === 0 || (feasible[w.index]?.length ?? 0) < 2) continue;
      for (const [from, k] of [...mine]) {
        fluid.bestMoves(w.index, from, k);
        if (fluid.fitsTo >= 0 && fluid.fitsDelta < -GAIN) {
          fluid.apply({ w: w.index, from, to: fluid.fitsTo, k });
        } else if (fluid.anyTo >= 0 && fluid.anyDelta < -EJECTION_GAIN && ejections < ejectionLimit) {
          ejections += 1;
          moveWithEjection(fluid, w.index, from, fluid.anyTo);
        }
      }
    }
    if (fluid.total > before - GAIN) return;
  }
}
