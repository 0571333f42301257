import type { ConfigIssue } from "../validation";
import { firstRejection } from "./candidates";
import { buildModel, type PoolModel, type TargetModel, type WorkloadModel } from "./model";
import type { PlacementInput, PlacementResult } from "./types";
import { parsePlacementInput } from "./validate";

// A decision made elsewhere (by an earlier `place()` call, a plan, a file) is only as good as the
// input it was made for. Before anything acts on one, it is read against this input: every row must
// name a workload, target and pool that exist, every workload must be placed whole or listed as
// unplaced, and every row must pass the same hard rules `place()` applies. A stale decision (the
// catalog or the clusters changed since) or a hand-edited one that breaks a rule is refused here,
// in words, instead of being deployed. Capacity is not re-checked: that needs the node packing,
// which a decision need not carry.

/** The part of a result that says where work runs. */
export type Decision = Pick<PlacementResult, "assignments" | "unplaced">;

/**
 * Every way `decision` does not fit `input`, each at the path of the row that says it (empty when
 * it fits). Throws the usual ConfigError when `input` itself is invalid.
 */
export function checkDecision(input: PlacementInput, decision: Decision): ConfigIssue[] {
  const model = buildModel(parsePlacementInput(input));
  const workloads = new Map(model.workloads.map((w) => [w.name, w]));
  const targets = new Map(model.targets.map((t) => [t.name, t]));
  const issues: ConfigIssue[] = [];

  const placed = new Map<string, { replicas: number; targets: Set<string>; pools: Set<string> }>();
  const rows = new Map<string, number>();
  decision.assignments.forEach((a, i) => {
    const path = `decision.assignments[${i}]`;
    const w = workloads.get(a.workload);
    const t = targets.get(a.target);
    const p = t?.pools.find((pool) => pool.name === a.pool);
    if (w === undefined)
      issues.push({ path, message: `names workload "${a.workload}", which is not in the catalog` });
    if (t === undefined) {
      issues.push({ path, message: `names target "${a.target}", which is not among the targets` });
    } else if (p === undefined) {
      issues.push({ path, message: `names pool "${a.pool}", which target "${a.target}" does not have` });
    }
    if (!Number.isInteger(a.replicas) || a.replicas < 1) {
      issues.push({
        path,
        message: `gives ${a.workload} ${a.replicas} replicas; a row needs a whole number, at least 1`,
      });
    }
    const key = `${a.workload}\u0000${a.target}\u0000${a.pool}`;
    const earlier = rows.get(key);
    if (earlier !== undefined) {
      issues.push({
        path,
        message: `repeats decision.assignments[${earlier}] (${a.workload} on ${a.target}/${a.pool}); one row per pool`,
      });
    } else rows.set(key, i);
    if (w === undefined || t === undefined || p === undefined) return;
    const broken = ruleBroken(w, t, p);
    if (broken !== null) issues.push({ path, message: `puts ${w.name} on ${p.key}: ${broken}` });
    const sum = placed.get(w.name) ?? { replicas: 0, targets: new Set<string>(), pools: new Set<string>() };
    sum.replicas += Number.isInteger(a.replicas) ? a.replicas : 0;
    sum.targets.add(t.name);
    sum.pools.add(p.key);
    placed.set(w.name, sum);
  });

  const unplaced = new Map<string, number>();
  decision.unplaced.forEach((u, i) => {
    const path = `decision.unplaced[${i}]`;
    if (!workloads.has(u.workload)) {
      issues.push({ path, message: `names workload "${u.workload}", which is not in the catalog` });
    } else if (unplaced.has(u.workload)) {
      issues.push({
        path,
        message: `lists ${u.workload} again (decision.unplaced[${unplaced.get(u.workload)}])`,
      });
    } else unplaced.set(u.workload, i);
  });

  for (const w of model.workloads) issues.push(...wholeness(w, placed.get(w.name), unplaced.get(w.name)));
  return issues;
}

function ruleBroken(w: WorkloadModel, t: TargetModel, p: PoolModel): string | null {
  const rejection = firstRejection(w, t, p);
  return rejection === null ? null : `${rejection.reason} (${rejection.rule})`;
}

/**
 * All replicas placed (on enough targets for the spread, a training world on one pool), or none
 * and the workload listed unplaced.
 */
function wholeness(
  w: WorkloadModel,
  placed: { replicas: number; targets: Set<string>; pools: Set<string> } | undefined,
  unplacedAt: number | undefined,
): ConfigIssue[] {
  if (unplacedAt !== undefined) {
    return placed === undefined
      ? []
      : [
          {
            path: `decision.unplaced[${unplacedAt}]`,
            message: `lists ${w.name} as unplaced, yet decision.assignments places ${placed.replicas} of its replicas`,
          },
        ];
  }
  if (placed === undefined) {
    return [
      {
        path: "decision",
        message: `places none of ${w.name}'s ${w.replicas} replicas and does not list it as unplaced; the decision was made for another catalog`,
      },
    ];
  }
  const issues: ConfigIssue[] = [];
  if (placed.replicas !== w.replicas) {
    issues.push({
      path: "decision.assignments",
      message: `places ${placed.replicas} replicas of ${w.name}, which has ${w.replicas}; a workload runs whole or not at all`,
    });
  }
  if (w.world > 0 && placed.pools.size > 1) {
    issues.push({
      path: "decision.assignments",
      message: `splits training world ${w.name} over ${placed.pools.size} pools (${[...placed.pools].sort().join(", ")}); its ${w.world} ranks must run on one pool, where they reach each other`,
    });
  }
  if (placed.targets.size < w.minTargets) {
    issues.push({
      path: "decision.assignments",
      message: `places ${w.name} on ${placed.targets.size} target${placed.targets.size === 1 ? "" : "s"}; its spread needs ${w.minTargets}`,
    });
  }
  return issues;
}
