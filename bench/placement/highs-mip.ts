import type { PlacementInput, Workload } from "../../components/placement";
import { highs, lpNum } from "./highs";
import { Packer, poolRefs } from "./packer";
import { allowedPools, capacity, egressPerReplica, isTrainingWorld, share } from "./rules";
import type { Plan } from "./verifier";

// Baseline: HiGHS on the pool-level MIP (whole replicas per pool, whole nodes per pool, capacity
// summed over the pool, a training world on one pool), with a time limit: first the most placed by priority, then the least cost
// with that many placed. Its pools are then packed node by node with first-fit-decreasing; a pool
// that needs more nodes than maxNodes drops the workloads that do not fit (all or none).

export interface HighsRun {
  readonly plan: Plan | null;
  readonly status: string;
  readonly note?: string;
}

const MAX_COLUMNS = 150_000;

export async function highsBaseline(input: PlacementInput, timeLimitS: number): Promise<HighsRun> {
  const refs = poolRefs(input.targets);
  const index = new Map(refs.map((r, i) => [r.key, i]));
  const levels = [...new Set(input.workloads.map((w) => w.priority ?? 0))].sort((a, b) => a - b);
  const weight = new Map(levels.map((l, i) => [l, 1 + i * input.workloads.length]));
  const rows: string[] = [];
  const binaries: string[] = [];
  const generals: string[] = [];
  const cost: string[] = [];
  const value: string[] = [];
  const caps = refs.map(() => ({ cpu: [] as string[], mem: [] as string[], gpu: [] as string[] }));
  let columns = 0;
  input.workloads.forEach((w: Workload, wi) => {
    const allowed = allowedPools(w, input.targets);
    const z = `z${wi}`;
    binaries.push(z);
    value.push(`+ ${weight.get(w.priority ?? 0)} ${z}`);
    const terms: string[] = [];
    const byTarget = new Map<string, string[]>();
    for (const { target, pool } of allowed) {
      const pi = index.get(`${target.name}/${pool.name}`) ?? 0;
      const x = `x${wi}_${pi}`;
      columns += 1;
      generals.push(x);
      terms.push(`+ ${x}`);
      const e = egressPerReplica(w, target, input.targets);
      if (e > 0) cost.push(`+ ${lpNum(e)} ${x}`);
      caps[pi]?.cpu.push(`+ ${lpNum(w.cpu)} ${x}`);
      caps[pi]?.mem.push(`+ ${lpNum(w.memoryGiB)} ${x}`);
      if (w.gpu !== undefined) caps[pi]?.gpu.push(`+ ${lpNum(w.gpu.count)} ${x}`);
      byTarget.set(target.name, [...(byTarget.get(target.name) ?? []), x]);
    }
    rows.push(` r${wi}: ${terms.join(" ") || "0 dummy"} - ${w.replicas} ${z} = 0`);
    if (isTrainingWorld(w) && terms.length > 0) {
      // A training world on one pool: o_w_p opens pool p to it, at most one of them.
      const os: string[] = [];
      for (const { target, pool } of allowed) {
        const pi = index.get(`${target.name}/${pool.name}`) ?? 0;
        binaries.push(`o${wi}_${pi}`);
        os.push(`+ o${wi}_${pi}`);
        rows.push(` ow${wi}_${pi}: x${wi}_${pi} - ${w.replicas} o${wi}_${pi} <= 0`);
      }
      rows.push(` one${wi}: ${os.join(" ").replace(/^\+ /, "")} <= 1`);
    }
    const spread = w.spread?.minTargets ?? 1;
    if (spread > 1) {
      const ys: string[] = [];
      [...byTarget.values()].forEach((xs, ti) => {
        const y = `y${wi}_${ti}`;
        binaries.push(y);
        ys.push(`+ ${y}`);
        rows.push(` s${wi}_${ti}: ${y} - ${xs.join(" - ")} <= 0`);
      });
      rows.push(` sp${wi}: ${ys.join(" ")} - ${spread} ${z} >= 0`);
    }
  });
  if (columns > MAX_COLUMNS) return { plan: null, status: "skipped", note: `${columns} columns` };
  const bounds: string[] = [];
  refs.forEach((r, i) => {
    const cap = capacity(r.pool);
    const c = caps[i];
    cost.push(`+ ${lpNum(r.pool.pricePerNodeHour)} n${i}`);
    generals.push(`n${i}`);
    bounds.push(` ${r.pool.minNodes ?? 0} <= n${i} <= ${r.pool.maxNodes}`);
    if (c === undefined || c.cpu.length === 0) return;
    rows.push(` c${i}: ${c.cpu.join(" ")} - ${lpNum(cap.cpu)} n${i} <= 0`);
    rows.push(` m${i}: ${c.mem.join(" ")} - ${lpNum(cap.mem)} n${i} <= 0`);
    if (c.gpu.length > 0) rows.push(` g${i}: ${c.gpu.join(" ")} - ${lpNum(cap.gpu)} n${i} <= 0`);
  });
  const solver = await highs();
  const text = (objective: string[], sense: string, extra: string[]): string =>
    [
      sense,
      ` obj: ${objective.join(" ").replace(/^\+ /, "")}`,
      "Subject To",
      ...rows,
      ...extra,
      "Bounds",
      ...bounds,
      "Binaries",
      ` ${binaries.join(" ")}`,
      "Generals",
      ` ${generals.join(" ")}`,
      "End",
    ].join("\n");
  const first = solver.solve(text(value, "Maximize", []), {
    time_limit: timeLimitS / 3,
    output_flag: false,
  } as never);
  if (first.Status !== "Optimal" && first.Status !== "Time limit reached")
    return { plan: null, status: first.Status };
  const most = Math.round(first.ObjectiveValue);
  if (!Number.isFinite(most)) return { plan: null, status: first.Status };
  const second = solver.solve(
    text(cost, "Minimize", [` keep: ${value.join(" ").replace(/^\+ /, "")} >= ${most}`]),
    {
      time_limit: (2 * timeLimitS) / 3,
      output_flag: false,
    } as never,
  );
  const solution = second.Status === "Optimal" || second.Status === "Time limit reached" ? second : first;
  if (solution.Columns === undefined) return { plan: null, status: second.Status };
  // Pack each pool's replicas, largest first.
  const packer = new Packer(refs);
  const byPool = refs.map(() => [] as { w: Workload; k: number }[]);
  input.workloads.forEach((w, wi) => {
    if ((solution.Columns[`z${wi}`]?.Primal ?? 0) < 0.5) return;
    refs.forEach((_, pi) => {
      const k = Math.round(solution.Columns[`x${wi}_${pi}`]?.Primal ?? 0);
      if (k > 0) byPool[pi]?.push({ w, k });
    });
  });
  const dropped = new Set<string>();
  const packed = new Map<string, number>();
  refs.forEach((ref, pi) => {
    const items = [...(byPool[pi] ?? [])].sort(
      (a, b) => share(b.w, ref.pool) - share(a.w, ref.pool) || (a.w.name < b.w.name ? -1 : 1),
    );
    for (const { w, k } of items) {
      for (let r = 0; r < k; r++) {
        if (!packer.placeOne(ref, w)) dropped.add(w.name);
        else packed.set(w.name, (packed.get(w.name) ?? 0) + 1);
      }
    }
  });
  const plan = packer.plan();
  const keep = plan.assignments.filter((a) => !dropped.has(a.workload));
  const packing = plan.packing
    .map((p) => ({
      ...p,
      nodes: p.nodes.map((n) => n.filter((i) => !dropped.has(i.workload))).filter((n) => n.length > 0),
    }))
    .filter((p) => p.nodes.length > 0);
  return {
    plan: { assignments: keep, packing },
    status: second.Status,
    note: dropped.size > 0 ? `${dropped.size} dropped in packing` : undefined,
  };
}
