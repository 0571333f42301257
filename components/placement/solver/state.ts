import { type CostTable, type PlacementEntry, poolCost, poolCostDelta } from "../cost";
import type { PoolModel, WorkloadModel } from "../model";
import { EPSILON, fitCount, type Problem } from "./problem";

// The heuristic's working state: which replicas sit on which node of which pool, with every cost
// term kept up to date on every change (by its shape: nodes opened or closed, replicas added or
// removed, a workload's set of pools changed), and an undo log so a move can be tried and taken
// back. Empty nodes stay in place until `commit()` so that undo never has to re-insert a node.

// Bound once: hot loops call it millions of times, and under some module loaders (tsx, vitest)
// every call through an import is a property lookup first.
const replicasThatFit = fitCount;
const nodeCostDelta = poolCostDelta;
/** `EPSILON`, bound once like the functions: `insert` and `mayFit` read it for every node visited. */
const SLACK = EPSILON;

export class Node {
  cpu = 0;
  mem = 0;
  gpu = 0;
  replicas = 0;
  /** Replicas by workload index. */
  readonly items = new Map<number, number>();
  /** When closing this node last failed, without and with opening nodes elsewhere (`State.stamp`; -1: never). */
  failedClose = -1;
  failedCloseOpening = -1;
}

export class State {
  readonly nodes: Node[][];
  /** Non-empty nodes by pool. */
  readonly used: Int32Array;
  /**
   * By pool: 1 when its nodes may not be the canonical packing of what it holds (`packReplicas`),
   * so the final repacking must look at it; 0 after a canonical layout and no change since.
   */
  readonly dirty: Uint8Array;
  /** By pool: the cpu, memory and GPUs its replicas request, summed. */
  readonly loadCpu: Float64Array;
  readonly loadMem: Float64Array;
  readonly loadGpu: Float64Array;
  /** By workload: replicas by pool index. */
  readonly parts: Map<number, number>[];
  /** By workload: replicas placed (a workload is placed when this equals its replicas). */
  readonly placed: Int32Array;
  /** By cost term (the registry's order): what it charges now, $/h. */
  readonly totals: Float64Array;
  private readonly costs: CostTable;
  /** By placement term (as in `costs.placementTerms`), by workload: what it charges now. */
  private readonly charged: Float64Array[];
  /** Deterministic work counter: node visits and similar steps. */
  work = 0;
  /** Rounds of the heuristic (fluid model, then packing) that led to this state (the solver's report). */
  rounds = 0;
  /** Commits that changed something so far: a clock for `version`. */
  stamp = 0;
  /**
   * By pool: the `stamp` of the last commit that changed it. A move that failed finds nothing new
   * to work with until a pool it reads has changed since: the local search skips it till then.
   */
  readonly version: Float64Array;
  /** By pool: when shrinking it by a node last failed (`stamp`; -1: never). */
  readonly shrinkFailed: Float64Array;
  /** By workload: when taking it out and putting it back, or moving it to its cheapest pool, last failed. */
  readonly reinsertFailed: Float64Array;
  readonly relocateFailed: Float64Array;
  /**
   * By pool: at least the most cpu, and at least the most memory, free on any of its non-empty
   * nodes (upper bounds, made exact whenever a scan visits every node). A pool whose bound is
   * below a replica's request has no node that fits it: the scan is skipped, and so is its work.
   */
  readonly maxFreeCpu: Float64Array;
  readonly maxFreeMem: Float64Array;
  /**
   * The changes since the last commit, as parallel lists (workload, pool, node, replicas added):
   * the local search logs millions of them, and an object each kept the garbage collector busy.
   */
  private logW: number[] = [];
  private logP: number[] = [];
  private logNode: Node[] = [];
  private logK: number[] = [];
  private undoing = false;

  constructor(readonly problem: Problem) {
    const { model } = problem;
    this.nodes = model.pools.map(() => []);
    this.used = new Int32Array(model.pools.length);
    this.dirty = new Uint8Array(model.pools.length).fill(1);
    this.version = new Float64Array(model.pools.length);
    this.shrinkFailed = new Float64Array(model.pools.length).fill(-1);
    this.reinsertFailed = new Float64Array(model.workloads.length).fill(-1);
    this.relocateFailed = new Float64Array(model.workloads.length).fill(-1);
    this.maxFreeCpu = new Float64Array(model.pools.length);
    this.maxFreeMem = new Float64Array(model.pools.length);
    this.loadCpu = new Float64Array(model.pools.length);
    this.loadMem = new Float64Array(model.pools.length);
    this.loadGpu = new Float64Array(model.pools.length);
    this.parts = model.workloads.map(() => new Map());
    this.placed = new Int32Array(model.workloads.length);
    this.costs = problem.costs;
    this.totals = new Float64Array(this.costs.terms.length);
    for (const t of this.costs.nodeTerms) {
      for (const p of model.pools) this.charge(t.index, poolCost(p, 0, t.perNode[p.index] ?? 0));
    }
    this.charged = this.costs.placementTerms.map((t) => {
      const charged = new Float64Array(model.workloads.length);
      for (const w of model.workloads) {
        charged[w.index] = t.term.cost(model, w.index, []);
        this.charge(t.index, charged[w.index] ?? 0);
      }
      return charged;
    });
  }

  /** Every term together, $/h. */
  get total(): number {
    const totals = this.totals;
    let sum = totals[0] ?? 0;
    for (let i = 1; i < totals.length; i++) sum += totals[i] ?? 0;
    return sum;
  }

  private charge(term: number, amount: number): void {
    this.totals[term] = (this.totals[term] ?? 0) + amount;
  }

  workload(w: number): WorkloadModel {
    const out = this.problem.model.workloads[w];
    if (out === undefined) throw new Error(`no workload ${w}`);
    return out;
  }

  pool(p: number): PoolModel {
    const out = this.problem.model.pools[p];
    if (out === undefined) throw new Error(`no pool ${p}`);
    return out;
  }

  poolNodes(p: number): Node[] {
    const out = this.nodes[p];
    if (out === undefined) throw new Error(`no pool ${p}`);
    return out;
  }

  isPlaced(w: number): boolean {
    return this.placed[w] === this.workload(w).replicas;
  }

  /** Workloads placed whole, by priority. */
  placedByPriority(): Map<number, number> {
    const out = new Map<number, number>();
    for (const w of this.problem.model.workloads) {
      if (this.isPlaced(w.index)) out.set(w.priority, (out.get(w.priority) ?? 0) + 1);
    }
    return out;
  }

  /** Adds `k` replicas of `w` to `node` of pool `p` (negative `k` removes them). */
  add(w: number, p: number, node: Node, k: number): void {
    if (k === 0) return;
    const wl = this.workload(w);
    const pool = this.pool(p);
    const wasEmpty = node.replicas === 0;
    this.dirty[p] = 1;
    this.loadCpu[p] = (this.loadCpu[p] ?? 0) + k * wl.cpu;
    this.loadMem[p] = (this.loadMem[p] ?? 0) + k * wl.memoryGiB;
    this.loadGpu[p] = (this.loadGpu[p] ?? 0) + k * wl.gpu;
    node.cpu += k * wl.cpu;
    node.mem += k * wl.memoryGiB;
    node.gpu += k * wl.gpu;
    node.replicas += k;
    const onNode = (node.items.get(w) ?? 0) + k;
    if (onNode === 0) node.items.delete(w);
    else node.items.set(w, onNode);
    if (node.replicas === 0) {
      // Sums drift by float rounding; an empty node is exactly empty.
      node.cpu = 0;
      node.mem = 0;
      node.gpu = 0;
    } else {
      // A removal frees room and an opened node starts counting: the bounds only rise here (a full scan lowers them).
      const freeCpu = pool.cpuCap - node.cpu;
      const freeMem = pool.memCap - node.mem;
      if (freeCpu > (this.maxFreeCpu[p] ?? 0)) this.maxFreeCpu[p] = freeCpu;
      if (freeMem > (this.maxFreeMem[p] ?? 0)) this.maxFreeMem[p] = freeMem;
    }
    const isEmpty = node.replicas === 0;
    if (wasEmpty !== isEmpty) {
      const before = this.used[p] ?? 0;
      const after = before + (isEmpty ? -1 : 1);
      this.used[p] = after;
      for (const t of this.costs.nodeTerms)
        this.charge(t.index, nodeCostDelta(pool, before, after, t.perNode[p] ?? 0));
    }
    const parts = this.parts[w];
    if (parts === undefined) throw new Error(`no workload ${w}`);
    const inPool = (parts.get(p) ?? 0) + k;
    const setChanged = (inPool === 0) !== (parts.get(p) === undefined);
    if (inPool === 0) parts.delete(p);
    else parts.set(p, inPool);
    this.placed[w] = (this.placed[w] ?? 0) + k;
    for (const t of this.costs.replicaTerms) this.charge(t.index, k * (t.perReplica[w]?.[p] ?? 0));
    if (setChanged) this.rechargePlacement(w, parts);
    if (!this.undoing) {
      this.logW.push(w);
      this.logP.push(p);
      this.logNode.push(node);
      this.logK.push(k);
    }
  }

  /** Workload `w`'s set of pools changed: its placement terms charge anew. */
  private rechargePlacement(w: number, parts: Map<number, number>): void {
    const terms = this.costs.placementTerms;
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i] as PlacementEntry;
      const charged = this.charged[i] as Float64Array;
      const now = t.term.cost(this.problem.model, w, parts.keys());
      this.charge(t.index, now - (charged[w] ?? 0));
      charged[w] = now;
    }
  }

  /** A mark to roll back to. */
  mark(): number {
    return this.logW.length;
  }

  rollback(mark: number): void {
    this.undoing = true;
    while (this.logW.length > mark) {
      const w = this.logW.pop() as number;
      const p = this.logP.pop() as number;
      const node = this.logNode.pop() as Node;
      const k = this.logK.pop() as number;
      this.add(w, p, node, -k);
    }
    this.undoing = false;
  }

  /** Accepts every change since the start, and drops nodes that became empty. */
  commit(): void {
    const touched = new Set<number>();
    for (const p of this.logP) touched.add(p);
    this.logW.length = 0;
    this.logP.length = 0;
    this.logNode.length = 0;
    this.logK.length = 0;
    if (touched.size > 0) this.stamp += 1;
    for (const p of touched) {
      this.version[p] = this.stamp;
      const nodes = this.poolNodes(p);
      if (nodes.some((n) => n.replicas === 0)) this.nodes[p] = nodes.filter((n) => n.replicas > 0);
    }
  }

  /** Replicas by workload on pool `p`, in node order. */
  heldOn(p: number): Map<number, number> {
    const held = new Map<number, number>();
    for (const node of this.poolNodes(p))
      for (const [w, k] of node.items) held.set(w, (held.get(w) ?? 0) + k);
    return held;
  }

  /**
   * Replaces pool `p`'s nodes by `layout`, a list of nodes' [workload, replicas] (logged): the
   * canonical packing of what the pool then holds (`packReplicas`), so the pool is clean.
   */
  relayout(p: number, layout: readonly (readonly (readonly [number, number])[])[]): void {
    for (const node of this.poolNodes(p)) for (const [w, k] of [...node.items]) this.add(w, p, node, -k);
    const nodes = this.poolNodes(p);
    for (const items of layout) {
      const node = new Node();
      nodes.push(node);
      for (const [w, k] of items) this.add(w, p, node, k);
    }
    this.dirty[p] = 0;
  }

  /** Removes every replica of `w` (logged, so a rollback restores it). */
  removeWorkload(w: number): void {
    const parts = this.parts[w];
    if (parts === undefined || parts.size === 0) return;
    for (const p of [...parts.keys()]) {
      for (const node of this.poolNodes(p)) {
        const k = node.items.get(w);
        if (k !== undefined) this.add(w, p, node, -k);
      }
    }
  }

  /**
   * Puts up to `k` replicas of `w` on pool `p`: first-fit on nodes in use, then on new nodes
   * while the pool stays within maxNodes (only when `openNodes`), never on `exclude`. Returns how
   * many it placed.
   */
  insert(w: number, p: number, k: number, openNodes: boolean, exclude: Node | null = null): number {
    const wl = this.workload(w);
    const pool = this.pool(p);
    const nodes = this.poolNodes(p);
    let left = k;
    this.work += 1;
    if (this.mayFit(p, wl)) {
      let freeCpu = 0;
      let freeMem = 0;
      let i = 0;
      for (; i < nodes.length && left > 0; i++) {
        const node = nodes[i] as Node;
        this.work += 1;
        if (node.replicas === 0) continue;
        const cpu = pool.cpuCap - node.cpu;
        const mem = pool.memCap - node.mem;
        // Most nodes a hot loop visits are full: the same test `fitCount` starts with, without its divisions.
        if (node !== exclude && cpu + SLACK >= wl.cpu && mem + SLACK >= wl.memoryGiB) {
          const n = Math.min(left, replicasThatFit(wl, pool, node.cpu, node.mem, node.gpu));
          if (n > 0) {
            this.add(w, p, node, n);
            left -= n;
          }
        }
        if (pool.cpuCap - node.cpu > freeCpu) freeCpu = pool.cpuCap - node.cpu;
        if (pool.memCap - node.mem > freeMem) freeMem = pool.memCap - node.mem;
      }
      if (i === nodes.length) {
        this.maxFreeCpu[p] = freeCpu;
        this.maxFreeMem[p] = freeMem;
      }
    }
    if (left === 0 || !openNodes) return k - left;
    const perNode = replicasThatFit(wl, pool, 0, 0, 0);
    if (perNode === 0) return k - left;
    for (const node of nodes) {
      if (left === 0) break;
      if (node.replicas !== 0 || node === exclude || (this.used[p] ?? 0) >= pool.maxNodes) continue;
      const n = Math.min(left, perNode);
      this.add(w, p, node, n);
      left -= n;
    }
    while (left > 0 && (this.used[p] ?? 0) < pool.maxNodes) {
      const node = new Node();
      nodes.push(node);
      const n = Math.min(left, perNode);
      this.add(w, p, node, n);
      left -= n;
      this.work += 1;
    }
    return k - left;
  }

  /**
   * Whether pool `p` (none when -1), or a pool some workload of `workloads` may run on, changed after `stamp`
   * (a move tried at `stamp` that read only those pools would fail again otherwise).
   */
  changedSince(stamp: number, p: number, workloads: Iterable<number>): boolean {
    if (p >= 0 && (this.version[p] ?? 0) > stamp) return true;
    for (const w of workloads) {
      for (const q of this.problem.feasible[w] ?? []) {
        this.work += 1;
        if ((this.version[q] ?? 0) > stamp) return true;
      }
    }
    return false;
  }

  /** False when no node in use on pool `p` has room for one replica of `wl` (true: one may). */
  mayFit(p: number, wl: WorkloadModel): boolean {
    return (this.maxFreeCpu[p] ?? 0) + SLACK >= wl.cpu && (this.maxFreeMem[p] ?? 0) + SLACK >= wl.memoryGiB;
  }

  /** Distinct targets the workload's replicas sit on. */
  targetCount(w: number): number {
    const parts = this.parts[w];
    if (parts === undefined || parts.size <= 1) return parts?.size ?? 0;
    const seen = new Set<number>();
    for (const p of parts.keys()) seen.add(this.pool(p).targetIndex);
    return seen.size;
  }

  /** Whether `w` satisfies its spread (trivially true when unplaced or without one). */
  spreadOk(w: number): boolean {
    const wl = this.workload(w);
    return wl.minTargets <= 1 || this.placed[w] === 0 || this.targetCount(w) >= wl.minTargets;
  }

  /**
   * A state holding exactly the given nodes, or null when a node would overflow its pool (a
   * solver's answer is checked here before anything is built on it).
   */
  static fromNodes(
    problem: Problem,
    nodes: readonly (readonly (readonly (readonly [number, number])[])[])[],
  ): State | null {
    const state = new State(problem);
    for (let p = 0; p < nodes.length; p++) {
      const pool = state.pool(p);
      for (const items of nodes[p] ?? []) {
        const node = new Node();
        state.poolNodes(p).push(node);
        for (const [w, k] of items) state.add(w, p, node, k);
        const gpu = pool.nodeGpu > 0 ? node.gpu > pool.nodeGpu + SLACK : node.gpu > 0;
        if (node.cpu > pool.cpuCap + SLACK || node.mem > pool.memCap + SLACK || gpu) return null;
      }
      if ((state.used[p] ?? 0) > pool.maxNodes) return null;
    }
    state.commit();
    return state;
  }

  /**
   * Whether pool `p` could hold `k` more replicas of `w` (after taking out `minus` of its load) if
   * its nodes packed perfectly. False means it certainly cannot: a quick test before a real try.
   */
  roomFor(
    p: number,
    w: number,
    k: number,
    minus: { cpu: number; mem: number; gpu: number } | null = null,
  ): boolean {
    const pool = this.pool(p);
    const wl = this.workload(w);
    const n = pool.maxNodes;
    const cpu = (this.loadCpu[p] ?? 0) - (minus?.cpu ?? 0) + k * wl.cpu;
    const mem = (this.loadMem[p] ?? 0) - (minus?.mem ?? 0) + k * wl.memoryGiB;
    const gpu = (this.loadGpu[p] ?? 0) - (minus?.gpu ?? 0) + k * wl.gpu;
    return cpu <= n * pool.cpuCap + 1e-9 && mem <= n * pool.memCap + 1e-9 && gpu <= n * pool.nodeGpu + 1e-9;
  }

  /** How full a node is: the largest share of cpu, memory or GPUs in use. */
  fill(p: number, node: Node): number {
    const pool = this.pool(p);
    const gpu = pool.nodeGpu > 0 ? node.gpu / pool.nodeGpu : 0;
    return Math.max(node.cpu / pool.cpuCap, node.mem / pool.memCap, gpu);
  }
}
