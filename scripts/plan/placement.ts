import type { PlacementResult } from "../../components/placement";

interface Row {
  workload: string;
  where: string;
  replicas: string;
  perHour: string;
  why: string;
}

/** The placement table (workload, where, replicas, $/h, why) and each workload's rejected alternatives. */
export function placementText(result: PlacementResult): string[] {
  const rows: Row[] = [];
  const byWorkload = new Map<string, PlacementResult["assignments"]>();
  for (const a of result.assignments) {
    const parts = byWorkload.get(a.workload);
    if (parts) parts.push(a);
    else byWorkload.set(a.workload, [a]);
  }
  for (const [workload, parts] of [...byWorkload.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const explanation = result.explanations[workload];
    rows.push({
      workload,
      where: parts.map((p) => `${p.target}/${p.pool}`).join(", "),
      replicas: parts.map((p) => String(p.replicas)).join("+"),
      perHour: explanation ? `$${explanation.costPerHour.toFixed(2)}` : "-",
      why: explanation?.reason ?? "",
    });
  }
  for (const u of result.unplaced) {
    rows.push({
      workload: u.workload,
      where: "UNPLACED",
      replicas: "-",
      perHour: "-",
      why: u.reasons.join("; "),
    });
  }
  const header: Row = {
    workload: "workload",
    where: "where",
    replicas: "replicas",
    perHour: "$/h",
    why: "why",
  };
  // Each column's width once: measured per line, a fleet's table of thousands of rows was quadratic.
  const width = (k: keyof Row) => [header, ...rows].reduce((most, r) => Math.max(most, r[k].length), 0);
  const w = {
    workload: width("workload"),
    where: width("where"),
    replicas: width("replicas"),
    perHour: width("perHour"),
  };
  const line = (r: Row) =>
    `  ${r.workload.padEnd(w.workload)}  ${r.where.padEnd(w.where)}  ${r.replicas.padStart(w.replicas)}  ${r.perHour.padStart(w.perHour)}  ${r.why}`;
  const out = [line(header), ...rows.map(line)];
  const c = result.cost;
  out.push(
    "",
    `  total $${c.total.toFixed(2)}/h = compute $${c.computePerHour.toFixed(2)} + egress $${c.egressPerHour.toFixed(2)} + moves $${c.movePenalty.toFixed(2)} (${result.solver.method}${result.solver.optimal ? ", proven optimal" : ""})`,
    "",
    "Rejected alternatives",
  );
  for (const workload of Object.keys(result.explanations).sort()) {
    const rejected = result.explanations[workload]?.rejected ?? [];
    if (rejected.length === 0) continue;
    out.push(`  ${workload}`);
    for (const r of rejected) out.push(`    ${r.candidate}: ${r.reason}`);
  }
  return out;
}
