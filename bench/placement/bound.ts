import type { PlacementInput, Pool, Target, Workload } from "../../components/placement";
import { highs, lpNum } from "./highs";
import { allowedPools, capacity, egressPerReplica } from "./rules";

// The lower bound on cost for placing a given set of workloads: the relaxation with whole nodes
// and fractional replicas (HiGHS MIP), or, when that does not finish in time, the plain LP
// relaxation. Spread and the per-node packing are relaxed away, so the bound is valid.

export interface Bound {
  readonly value: number | null;
  /** Nodes by `target/pool` in the bound's solution (integer-node relaxation only). */
  readonly nodes?: Record<string, number>;
  readonly kind: "integer-nodes" | "lp" | "none";
  readonly ms: number;
  readonly note?: string;
}

/** Above this many replica variables the LP text gets too large to be worth writing. */
const MAX_COLUMNS = 400_000;

export async function lowerBound(
  input: PlacementInput,
  placed: ReadonlySet<string>,
  timeLimitS: number,
  lpTimeLimitS = timeLimitS,
): Promise<Bound> {
  const start = performance.now();
  const lines: string[] = [];
  const objective: string[] = [];
  const rows: string[] = [];
  const poolTerms = new Map<string, { cpu: string[]; mem: string[]; gpu: string[] }>();
  const poolIds = new Map<string, number>();
  const pools = input.targets.flatMap((t) => t.pools.map((p) => ({ t, p, key: `${t.name}/${p.name}` })));
  pools.forEach((x, i) => {
    poolIds.set(x.key, i);
    poolTerms.set(x.key, { cpu: [], mem: [], gpu: [] });
  });
  // Identical workloads (same size, same allowed pools, same egress) are interchangeable in the
  // relaxation, so they become one class with their replicas summed: the same bound, far fewer
  // columns on a large fleet.
  const classes = new Map<
    string,
    { w: Workload; allowed: { target: Target; pool: Pool; egress: number }[]; replicas: number }
  >();
  for (const w of input.workloads) {
    if (!placed.has(w.name)) continue;
    const allowed = allowedPools(w, input.targets).map((a) => ({
      ...a,
      egress: egressPerReplica(w, a.target, input.targets),
    }));
    if (allowed.length === 0)
      return { value: null, kind: "none", ms: performance.now() - start, note: `${w.name} has no pool` };
    const key = JSON.stringify([
      w.cpu,
      w.memoryGiB,
      w.gpu?.count ?? 0,
      allowed.map((a) => [a.target.name, a.pool.name, a.egress]),
    ]);
    const known = classes.get(key);
    if (known === undefined) classes.set(key, { w, allowed, replicas: w.replicas });
    else known.replicas += w.replicas;
  }
  let columns = 0;
  let wi = 0;
  for (const { w, allowed, replicas } of classes.values()) {
    const assign: string[] = [];
    for (const { target, pool, egress } of allowed) {
      const key = `${target.name}/${pool.name}`;
      const v = `x${wi}_${poolIds.get(key)}`;
      columns += 1;
      assign.push(v);
      if (egress > 0) objective.push(`+ ${lpNum(egress)} ${v}`);
      const terms = poolTerms.get(key);
      terms?.cpu.push(`+ ${lpNum(w.cpu)} ${v}`);
      terms?.mem.push(`+ ${lpNum(w.memoryGiB)} ${v}`);
      if (w.gpu !== undefined) terms?.gpu.push(`+ ${lpNum(w.gpu.count)} ${v}`);
    }
    rows.push(` a${wi}: ${assign.join(" + ")} = ${replicas}`);
    wi += 1;
  }
  if (columns > MAX_COLUMNS) {
    return {
      value: null,
      kind: "none",
      ms: performance.now() - start,
      note: `${columns} columns: too large`,
    };
  }
  const bounds: string[] = [];
  const generals: string[] = [];
  pools.forEach(({ p, key }, i) => {
    const n = `n${i}`;
    const cap = capacity(p);
    const terms = poolTerms.get(key);
    if (terms === undefined) return;
    objective.push(`+ ${lpNum(p.pricePerNodeHour)} ${n}`);
    if (terms.cpu.length > 0) {
      rows.push(` c${i}: ${terms.cpu.join(" ")} - ${lpNum(cap.cpu)} ${n} <= 0`);
      rows.push(` m${i}: ${terms.mem.join(" ")} - ${lpNum(cap.mem)} ${n} <= 0`);
      if (terms.gpu.length > 0) rows.push(` g${i}: ${terms.gpu.join(" ")} - ${lpNum(cap.gpu)} ${n} <= 0`);
    }
    bounds.push(` ${p.minNodes ?? 0} <= ${n} <= ${p.maxNodes}`);
    generals.push(n);
  });
  lines.push(
    "Minimize",
    ` obj: ${objective.join(" ").replace(/^\+ /, "")}`,
    "Subject To",
    ...rows,
    "Bounds",
    ...bounds,
  );
  const lp = [...lines, "Generals", ` ${generals.join(" ")}`, "End"].join("\n");
  const solver = await highs();
  // The persistent API exposes the dual bound: when the time limit stops the MIP, that bound is
  // still a valid lower bound (between the LP bound and the integer-node optimum).
  const model = solver.createModel({ format: "lp", data: lp });
  try {
    model.options.set({ time_limit: timeLimitS, mip_rel_gap: 0, output_flag: false });
    const run = model.run();
    const optimal = run.modelStatus === solver.constants.modelStatus.optimal;
    const dual = Number(model.info.get("mip_dual_bound"));
    if (optimal || (Number.isFinite(dual) && dual > 0)) {
      const nodes: Record<string, number> = {};
      if (optimal) {
        const values = model.getSolution().colValue;
        pools.forEach(({ key }, i) => {
          const v = values[model.getColByName(`n${i}`)] ?? 0;
          if (v > 0.5) nodes[key] = Math.round(v);
        });
      }
      return {
        value: optimal ? model.getObjectiveValue() : dual,
        kind: "integer-nodes",
        ms: performance.now() - start,
        nodes,
        ...(optimal ? {} : { note: `HiGHS dual bound after ${timeLimitS} s` }),
      };
    }
  } finally {
    model.dispose();
  }
  const mip = { Status: "no bound" };
  const lpStart = performance.now();
  const relaxed = solver.solve([...lines, "End"].join("\n"), {
    time_limit: lpTimeLimitS,
    output_flag: false,
  });
  const lpMs = performance.now() - lpStart;
  if (relaxed.Status === "Optimal") {
    return {
      value: relaxed.ObjectiveValue,
      kind: "lp",
      ms: performance.now() - start,
      note: `MIP: ${mip.Status}; LP solved in ${Math.round(lpMs)} ms`,
    };
  }
  return {
    value: null,
    kind: "none",
    ms: performance.now() - start,
    note: `MIP: ${mip.Status}; LP: ${relaxed.Status}`,
  };
}
