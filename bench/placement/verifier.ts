import type {
  Assignment,
  PlacementInput,
  Pool,
  PoolPacking,
  Target,
  Workload,
} from "../../components/placement";
import { brokenRule, capacity, EPS, egressPerReplica, ffdNodes, isTrainingWorld } from "./rules";

// An independent check of every hard rule on any algorithm's answer (the engine's or a baseline's),
// and the cost recomputed from the input and the packing alone.

export interface Plan {
  readonly assignments: readonly Assignment[];
  readonly packing: readonly Pick<PoolPacking, "target" | "pool" | "nodes">[];
}

export interface Verdict {
  /** Broken hard rules (DESIGN.md section 6), each in words. */
  readonly violations: string[];
  /** Workloads left out though one of their pools could take them beside equal- or higher-priority work. */
  readonly missed: string[];
  readonly placed: number;
  readonly cost: { compute: number; egress: number; move: number; total: number };
}

export function verify(input: PlacementInput, plan: Plan): Verdict {
  const violations: string[] = [];
  const workloads = new Map(input.workloads.map((w) => [w.name, w]));
  const pools = new Map<string, { target: Target; pool: Pool }>();
  for (const target of input.targets)
    for (const pool of target.pools) pools.set(`${target.name}/${pool.name}`, { target, pool });

  // Assignments: known names, rules, all replicas or none, spread.
  const byWorkload = new Map<string, Assignment[]>();
  for (const a of plan.assignments) {
    const w = workloads.get(a.workload);
    const at = pools.get(`${a.target}/${a.pool}`);
    if (w === undefined || at === undefined) {
      violations.push(`${a.workload} on ${a.target}/${a.pool}: unknown workload or pool`);
      continue;
    }
    if (!Number.isInteger(a.replicas) || a.replicas < 1)
      violations.push(`${a.workload}: ${a.replicas} replicas in a part`);
    const rule = brokenRule(w, at.target, at.pool, input.targets);
    if (rule !== null) violations.push(`${a.workload} on ${a.target}/${a.pool}: ${rule}`);
    byWorkload.set(a.workload, [...(byWorkload.get(a.workload) ?? []), a]);
  }
  for (const [name, parts] of byWorkload) {
    const w = workloads.get(name);
    if (w === undefined) continue;
    const total = parts.reduce((s, a) => s + a.replicas, 0);
    if (total !== w.replicas)
      violations.push(`${name}: ${total} of ${w.replicas} replicas placed (all or none)`);
    const targets = new Set(parts.map((a) => a.target)).size;
    if (targets < (w.spread?.minTargets ?? 1))
      violations.push(`${name}: on ${targets} targets, spread needs ${w.spread?.minTargets}`);
    const pools = new Set(parts.map((a) => `${a.target}/${a.pool}`)).size;
    if (isTrainingWorld(w) && pools > 1)
      violations.push(`${name}: a training world of ${w.replicas} ranks split over ${pools} pools`);
  }

  // Packing: node capacity, maxNodes, and agreement with the assignments.
  const packed = new Map<string, number>();
  let compute = 0;
  const seenPools = new Set<string>();
  for (const entry of plan.packing) {
    const key = `${entry.target}/${entry.pool}`;
    seenPools.add(key);
    const at = pools.get(key);
    if (at === undefined) {
      violations.push(`packing names unknown pool ${key}`);
      continue;
    }
    const cap = capacity(at.pool);
    if (entry.nodes.length > at.pool.maxNodes)
      violations.push(`${key}: ${entry.nodes.length} nodes > maxNodes ${at.pool.maxNodes}`);
    const running = entry.nodes.length;
    compute += Math.max(at.pool.minNodes ?? 0, running) * at.pool.pricePerNodeHour;
    entry.nodes.forEach((node, i) => {
      let cpu = 0;
      let mem = 0;
      let gpu = 0;
      for (const item of node) {
        const w = workloads.get(item.workload);
        if (w === undefined) {
          violations.push(`${key} node ${i}: unknown workload ${item.workload}`);
          continue;
        }
        if (!Number.isInteger(item.replicas) || item.replicas < 1)
          violations.push(`${key} node ${i}: ${item.replicas} replicas`);
        cpu += item.replicas * w.cpu;
        mem += item.replicas * w.memoryGiB;
        gpu += item.replicas * (w.gpu?.count ?? 0);
        const k = `${item.workload}@${key}`;
        packed.set(k, (packed.get(k) ?? 0) + item.replicas);
      }
      if (cpu > cap.cpu + EPS || mem > cap.mem + EPS || gpu > cap.gpu + EPS) {
        violations.push(
          `${key} node ${i}: ${cpu} CPU / ${mem} GiB / ${gpu} GPU exceeds ${cap.cpu} / ${cap.mem} / ${cap.gpu}`,
        );
      }
    });
  }
  for (const [key, { pool }] of pools) {
    if (!seenPools.has(key)) compute += (pool.minNodes ?? 0) * pool.pricePerNodeHour;
  }
  const assigned = new Map<string, number>();
  for (const a of plan.assignments) assigned.set(`${a.workload}@${a.target}/${a.pool}`, a.replicas);
  for (const [k, n] of assigned)
    if (packed.get(k) !== n) violations.push(`${k}: assigned ${n}, packed ${packed.get(k) ?? 0}`);
  for (const [k, n] of packed) if (!assigned.has(k)) violations.push(`${k}: packed ${n} but not assigned`);

  // Cost terms, recomputed from the text of DESIGN.md.
  let egress = 0;
  for (const a of plan.assignments) {
    const w = workloads.get(a.workload);
    const at = pools.get(`${a.target}/${a.pool}`);
    if (w !== undefined && at !== undefined)
      egress += a.replicas * egressPerReplica(w, at.target, input.targets);
  }
  let move = 0;
  if (input.previous !== undefined) {
    const before = new Map<string, Set<string>>();
    for (const a of input.previous.assignments) {
      before.set(a.workload, (before.get(a.workload) ?? new Set()).add(`${a.target}/${a.pool}`));
    }
    for (const w of input.workloads) {
      const was = before.get(w.name);
      if (was === undefined) continue;
      const now = new Set((byWorkload.get(w.name) ?? []).map((a) => `${a.target}/${a.pool}`));
      const same = now.size === was.size && [...now].every((k) => was.has(k));
      if (!same) move += input.options?.moveCost ?? 1;
    }
  }

  return {
    violations,
    missed: missedWorkloads(input, byWorkload, plan),
    placed: byWorkload.size,
    cost: { compute, egress, move, total: compute + egress + move },
  };
}

/**
 * A workload left out while one of its pools could take it by dropping only lower-priority work
 * from that pool (checked by first-fit-decreasing, for workloads without spread).
 */
function missedWorkloads(
  input: PlacementInput,
  byWorkload: ReadonlyMap<string, Assignment[]>,
  plan: Plan,
): string[] {
  const out: string[] = [];
  const workloads = new Map(input.workloads.map((w) => [w.name, w]));
  const nodesOf = new Map(plan.packing.map((p) => [`${p.target}/${p.pool}`, p.nodes]));
  for (const u of input.workloads) {
    if (byWorkload.has(u.name) || (u.spread?.minTargets ?? 1) > 1) continue;
    const priority = u.priority ?? 0;
    for (const target of input.targets) {
      for (const pool of target.pools) {
        if (brokenRule(u, target, pool, input.targets) !== null) continue;
        const items: { w: Workload; replicas: number }[] = [{ w: u, replicas: u.replicas }];
        for (const node of nodesOf.get(`${target.name}/${pool.name}`) ?? []) {
          for (const item of node) {
            const w = workloads.get(item.workload);
            if (w !== undefined && (w.priority ?? 0) >= priority) items.push({ w, replicas: item.replicas });
          }
        }
        if (ffdNodes(items, pool, pool.maxNodes) !== null) {
          out.push(
            `${u.name} (priority ${priority}) left out, but ${target.name}/${pool.name} fits it without lower-priority work`,
          );
        }
      }
    }
  }
  return out;
}
