import { dataText, dataView, stagedReads } from "./data";
import { duration, estimateDeployTime } from "./deploy-time";
import { placementText } from "./placement";
import { queuesText, queuesView } from "./queues";
import type { PlanRun } from "./run";
import { securityViews } from "./security";
import { trafficText } from "./traffic";
import { usageJson, usageText } from "./usage";
import { linksText } from "./vpn";

/** The plan as one JSON document; every secret is "[secret]". */
export function planJson(run: PlanRun): Record<string, unknown> {
  return {
    stack: run.stack,
    project: run.project,
    resources: run.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent ?? null,
      custom: r.custom,
      protect: r.protect,
      retainOnDelete: r.retainOnDelete,
      dependsOn: r.dependsOn,
      ...(r.ignoreChanges.length ? { ignoreChanges: r.ignoreChanges } : {}),
      ...(r.customTimeouts ? { customTimeouts: r.customTimeouts } : {}),
      inputs: r.inputs,
      ...(r.secretInputs.length ? { secretInputs: r.secretInputs } : {}),
    })),
    outputs: run.outputs,
    secretOutputs: run.secretOutputs,
    phases: run.phases.map((p) => ({
      phase: p.phase,
      project: p.project,
      resources: run.resources.filter((r) => projectOf(r.urn) === p.project).length,
      outputs: p.outputs,
      secretOutputs: p.secretOutputs,
    })),
    summary: { resources: run.resources.length, byType: countByType(run) },
    security: securityViews(run.resources),
    // The catalog's placement, as the platform phase decided it.
    placement: placementJson(run),
    vpn: run.links ?? null,
    queues: queuesView(run) ?? null,
    data: dataView(run) ?? null,
    traffic: run.traffic ?? null,
    deployTime: deployTimeOf(run),
    notices: run.notices,
    ...(run.usage ? { usage: usageJson(run.usage) } : {}),
  };
}

/** The first update's estimated wall time per phase (run one after the other) and in total. */
function deployTimeOf(run: PlanRun) {
  const phases = run.phases.map((p) => ({
    phase: p.phase,
    ...estimateDeployTime(run.resources.filter((r) => projectOf(r.urn) === p.project)),
  }));
  return { seconds: phases.reduce((sum, p) => sum + p.seconds, 0), phases };
}

/** The plan as text for a terminal or a pull-request comment. */
export function planText(run: PlanRun): string {
  const out: string[] = [];
  const custom = run.resources.filter((r) => r.custom).length;
  out.push(
    `Plan for stack ${run.stack}, offline under Pulumi mocks: ${run.phases.map((p) => `${p.phase} phase (project ${p.project})`).join(", then ")}`,
    `${run.resources.length} resources would be created: ${custom} resources in ${run.resources.length - custom} components and stacks`,
    ...run.phases.map(
      (p) => `  ${p.phase}: ${run.resources.filter((r) => projectOf(r.urn) === p.project).length} resources`,
    ),
    ...(run.notices.length > 0 ? ["", "Notices", ...run.notices.map((n) => `  - ${n}`)] : []),
    "",
    "Resources",
  );
  const children = new Map<string | undefined, typeof run.resources>();
  for (const r of run.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const walk = (parent: string | undefined, prefix: string) => {
    const list = [...(children.get(parent) ?? [])].sort(
      (a, b) =>
        Number(a.custom) - Number(b.custom) ||
        shortType(a.type).localeCompare(shortType(b.type)) ||
        a.name.localeCompare(b.name),
    );
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      const marks = [
        r.protect ? "protected" : "",
        r.secretInputs.length ? `secret: ${r.secretInputs.join(", ")}` : "",
      ].filter(Boolean);
      out.push(
        `${prefix}${last ? "└─ " : "├─ "}${shortType(r.type)}  ${r.name}${marks.length ? `  [${marks.join("; ")}]` : ""}`,
      );
      walk(r.urn, `${prefix}${last ? "   " : "│  "}`);
    });
  };
  walk(undefined, "");

  out.push("", "Resources by type");
  const counts = countByType(run);
  const width = Math.max(...Object.keys(counts).map((t) => t.length));
  for (const [type, n] of Object.entries(counts))
    out.push(`  ${type.padEnd(width)}  ${String(n).padStart(3)}`);

  if (run.decision) out.push("", "Placement (workloads)", ...placementText(run.decision));
  const queues = queuesView(run);
  if (queues)
    out.push(
      "",
      "Queues (Kueue): quotas per flavor, what placement put there, what the quotas imply",
      ...queuesText(queues),
    );
  const data = dataView(run);
  if (data) {
    out.push(
      "",
      "Data: where each dataset lives, its backups (restore drills) and staging",
      ...dataText(data),
    );
    const reads = stagedReads(data);
    if (reads.length > 0) out.push("  Workloads reading staged copies:", ...reads.map((r) => `  ${r}`));
  }
  if (run.usage) out.push("", "Observed use (usage export)", ...usageText(run.usage));
  if (run.links) out.push("", "VPN links", ...linksText(run.links));
  if (run.traffic)
    out.push("", "Cross-site services (one private name, every site's gateway)", ...trafficText(run.traffic));

  const deploy = deployTimeOf(run);
  out.push("", `Deploy time of a first update (estimated): ${duration(deploy.seconds)}`);
  for (const p of deploy.phases) {
    out.push(`  ${p.phase}: ${duration(p.seconds)}, the longest chain:`);
    for (const link of p.chain)
      if (link.seconds >= 60)
        out.push(`    ${shortType(link.type)}  ${link.name}  ${duration(link.seconds)}`);
  }

  out.push("", "Security settings");
  for (const view of securityViews(run.resources)) {
    out.push(`  ${view.title}`);
    const w = Math.max(...view.facts.map(([label]) => label.length));
    for (const [label, value] of view.facts) out.push(`    ${label.padEnd(w)}  ${value}`);
  }

  for (const phase of run.phases) {
    out.push("", `Stack outputs (${phase.phase} phase)`);
    const secret = new Set(phase.secretOutputs);
    for (const line of flatten(phase.outputs, "")) {
      out.push(`  ${line.path}${secret.has(line.path) ? " (secret)" : ""}: ${line.value}`);
    }
  }
  return `${out.join("\n")}\n`;
}

function placementJson(run: PlanRun): unknown {
  return run.decision ?? null;
}

/** The project a URN belongs to: `urn:pulumi:<stack>::<project>::...`. */
function projectOf(urn: string): string {
  return urn.split("::")[1] ?? "";
}

function countByType(run: PlanRun): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of run.resources) counts[shortType(r.type)] = (counts[shortType(r.type)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** `aws:ec2/vpc:Vpc` -> `aws:ec2:Vpc`, as the Pulumi CLI prints types. */
function shortType(type: string): string {
  const [pkg, mod, name] = type.split(":");
  if (!mod || !name) return type;
  return `${pkg}:${mod.split("/")[0]}:${name}`;
}

function flatten(value: unknown, path: string): { path: string; value: string }[] {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      flatten(v, path ? `${path}.${k}` : k),
    );
  }
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return [{ path, value: text.length > 100 ? `${text.slice(0, 97)}...` : text }];
}
