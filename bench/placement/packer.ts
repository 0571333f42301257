import type { Assignment, Pool, PoolPacking, Target, Workload } from "../../components/placement";
import { capacity, EPS } from "./rules";
import type { Plan } from "./verifier";

// Node-level bookkeeping the baselines share: first-fit placement of replicas onto a pool's nodes,
// opening nodes up to maxNodes, with undo so "all replicas or none" is easy.

interface NodeLoad {
  cpu: number;
  mem: number;
  gpu: number;
  items: Map<string, number>;
}

export interface PoolRef {
  readonly key: string;
  readonly target: Target;
  readonly pool: Pool;
}

export class Packer {
  readonly nodes = new Map<string, NodeLoad[]>();
  private readonly log: { key: string; node: NodeLoad; w: Workload; opened: boolean }[] = [];

  constructor(readonly pools: readonly PoolRef[]) {
    for (const p of pools) this.nodes.set(p.key, []);
  }

  private fits(node: NodeLoad, ref: PoolRef, w: Workload): boolean {
    const cap = capacity(ref.pool);
    return (
      node.cpu + w.cpu <= cap.cpu + EPS &&
      node.mem + w.memoryGiB <= cap.mem + EPS &&
      node.gpu + (w.gpu?.count ?? 0) <= cap.gpu + EPS
    );
  }

  /** Replicas of `w` that still fit on `ref` (free room on nodes plus nodes it may still open). */
  room(ref: PoolRef, w: Workload): number {
    const nodes = this.nodes.get(ref.key) ?? [];
    const cap = capacity(ref.pool);
    const g = w.gpu?.count ?? 0;
    const per = (n: { cpu: number; mem: number; gpu: number }): number =>
      Math.max(
        0,
        Math.min(
          Math.floor((cap.cpu - n.cpu + EPS) / w.cpu),
          Math.floor((cap.mem - n.mem + EPS) / w.memoryGiB),
          g > 0 ? Math.floor((cap.gpu - n.gpu + EPS) / g) : Number.MAX_SAFE_INTEGER,
        ),
      );
    let total = 0;
    for (const n of nodes) total += per(n);
    total += Math.max(0, ref.pool.maxNodes - nodes.length) * per({ cpu: 0, mem: 0, gpu: 0 });
    return total;
  }

  /** Puts one replica first-fit (opening a node if allowed). */
  placeOne(ref: PoolRef, w: Workload): boolean {
    const nodes = this.nodes.get(ref.key) ?? [];
    let node = nodes.find((n) => this.fits(n, ref, w));
    let opened = false;
    if (node === undefined) {
      if (nodes.length >= ref.pool.maxNodes) return false;
      node = { cpu: 0, mem: 0, gpu: 0, items: new Map() };
      if (!this.fits(node, ref, w)) return false;
      nodes.push(node);
      opened = true;
    }
    node.cpu += w.cpu;
    node.mem += w.memoryGiB;
    node.gpu += w.gpu?.count ?? 0;
    node.items.set(w.name, (node.items.get(w.name) ?? 0) + 1);
    this.log.push({ key: ref.key, node, w, opened });
    return true;
  }

  mark(): number {
    return this.log.length;
  }

  rollback(mark: number): void {
    while (this.log.length > mark) {
      const e = this.log.pop();
      if (e === undefined) break;
      e.node.cpu -= e.w.cpu;
      e.node.mem -= e.w.memoryGiB;
      e.node.gpu -= e.w.gpu?.count ?? 0;
      const k = (e.node.items.get(e.w.name) ?? 0) - 1;
      if (k === 0) e.node.items.delete(e.w.name);
      else e.node.items.set(e.w.name, k);
      if (e.opened) this.nodes.get(e.key)?.pop();
    }
  }

  plan(): Plan {
    const assignments: Assignment[] = [];
    const packing: Pick<PoolPacking, "target" | "pool" | "nodes">[] = [];
    const parts = new Map<string, number>();
    for (const ref of this.pools) {
      const nodes = (this.nodes.get(ref.key) ?? []).filter((n) => n.items.size > 0);
      if (nodes.length === 0) continue;
      packing.push({
        target: ref.target.name,
        pool: ref.pool.name,
        nodes: nodes.map((n) => [...n.items].map(([workload, replicas]) => ({ workload, replicas }))),
      });
      for (const n of nodes)
        for (const [w, k] of n.items)
          parts.set(`${w}\u0000${ref.key}`, (parts.get(`${w}\u0000${ref.key}`) ?? 0) + k);
    }
    for (const [k, replicas] of parts) {
      const [workload = "", key = ""] = k.split("\u0000");
      const [target = "", pool = ""] = key.split("/");
      assignments.push({ workload, target, pool, replicas });
    }
    return { assignments, packing };
  }
}

export function poolRefs(targets: readonly Target[]): PoolRef[] {
  return targets.flatMap((t) => t.pools.map((p) => ({ key: `${t.name}/${p.name}`, target: t, pool: p })));
}
