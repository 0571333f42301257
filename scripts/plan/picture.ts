// The plan as a picture: each site's cluster with its networks, its pools (GPU model, nodes the
// placement needs out of the pool's bounds), where each workload landed, and the VPN links between
// sites, and each dataset's backups and staged copies between them. DOT laid out by Graphviz compiled to WebAssembly (@viz-js/viz): offline, no binary.
import { instance } from "@viz-js/viz";
import type { TrafficPlan } from "../../components/traffic";
import type { PlanRun } from "./run";

interface PlanPool {
  name: string;
  node: { cpu: number; memoryGiB: number; gpu?: { count: number; model: string } };
  minNodes?: number;
  maxNodes: number;
  spot?: boolean;
}
interface PlanTarget {
  name: string;
  cloud: string;
  region: string;
  trust: string;
  pools: PlanPool[];
}
interface PlanDataset {
  name: string;
  homeSite: string;
  backups: { to: string }[];
  staging: { site: string; state: string }[];
}
interface PlanOutputs {
  data?: { datasets?: PlanDataset[] };
  placementTargets?: PlanTarget[];
  targetNetworks?: Record<string, string[]>;
  vpn?: { links?: Record<string, unknown> };
  traffic?: { plan: TrafficPlan };
  workloads?: {
    catalog: { name: string; classification?: string }[];
    decision: {
      assignments: { workload: string; target: string; pool: string; replicas: number }[];
      packing: { target: string; pool: string; nodes: unknown[] }[];
    };
  };
}

const CLOUD_COLOURS: Record<string, string> = { aws: "#fff4e5", azure: "#e8f1fb", onprem: "#eef7ee" };
const CLASS_COLOURS: Record<string, string> = {
  restricted: "#f8d7da",
  confidential: "#fff3cd",
  internal: "#e2e3e5",
  public: "#d1e7dd",
};

/** A target's trust zone in words: a public target is a private cluster in a public cloud. */
const TRUST_WORDS: Record<string, string> = { private: "private site", public: "public cloud" };

/** A DOT string literal. */
const q = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
const id = (...parts: string[]) => q(parts.join("/"));

/** The plan's topology and placement as a Graphviz DOT graph. */
export function planDot(run: PlanRun): string {
  const o = run.outputs as PlanOutputs;
  const targets = o.placementTargets ?? [];
  const nodesOf = new Map(
    (o.workloads?.decision.packing ?? []).map((p) => [`${p.target}/${p.pool}`, p.nodes.length]),
  );
  const lines = [
    "digraph plan {",
    `  graph [rankdir=LR, compound=true, fontname="Helvetica", label=${q(`Plan for stack ${run.stack}`)}, labelloc=t];`,
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  for (const t of targets) {
    const networks = o.targetNetworks?.[t.name] ?? [];
    lines.push(
      `  subgraph ${q(`cluster_${t.name}`)} {`,
      // One short fact per line: a cluster's box is as wide as its pools, and Graphviz lets a wider
      // title run over the border.
      `    label=${q([t.name, `${t.cloud} ${t.region}`, TRUST_WORDS[t.trust] ?? t.trust, ...networks].join("\n"))};`,
      `    style="rounded,filled"; fillcolor=${q(CLOUD_COLOURS[t.cloud] ?? "#ffffff")};`,
      // An anchor for the links, so an edge can end at the cluster's border.
      `    ${id(t.name, "")} [shape=point, style=invis];`,
    );
    for (const p of t.pools) {
      const gpu = p.node.gpu ? `${p.node.gpu.count} x ${p.node.gpu.model}` : "no GPU";
      const used = nodesOf.get(`${t.name}/${p.name}`) ?? 0;
      const round = (x: number) => Math.round(x * 10) / 10;
      const label = `${p.name}\n${round(p.node.cpu)} CPU / ${round(p.node.memoryGiB)} GiB, ${gpu}${p.spot ? ", spot" : ""}\n${used} nodes placed (${p.minNodes ?? 0}-${p.maxNodes})`;
      lines.push(`    ${id(t.name, p.name)} [label=${q(label)}, fillcolor="#ffffff"];`);
    }
    lines.push(...trafficNodes(o.traffic?.plan, t.name), "  }");
  }
  lines.push(...trafficEdges(o.traffic?.plan));
  for (const w of o.workloads?.catalog ?? []) {
    const fill = CLASS_COLOURS[w.classification ?? "internal"] ?? "#ffffff";
    const use = usedLines(run, w.name);
    lines.push(
      `  ${id("workload", w.name)} [label=${q([w.name, w.classification ?? "", ...use].join("\n"))}, shape=ellipse, fillcolor=${q(fill)}];`,
    );
  }
  for (const a of o.workloads?.decision.assignments ?? [])
    lines.push(`  ${id("workload", a.workload)} -> ${id(a.target, a.pool)} [label=${q(`${a.replicas}`)}];`);
  const siteOf = (token: string) =>
    targets.find((t) => t.name === token) ?? targets.find((t) => t.cloud === token);
  // A link's key joins its two ends' names, which may hold dashes themselves.
  const endsOf = (link: string) => {
    const parts = link.split("-");
    for (let i = 1; i < parts.length; i++) {
      const a = siteOf(parts.slice(0, i).join("-"));
      const b = siteOf(parts.slice(i).join("-"));
      if (a && b) return [a, b] as const;
    }
    return undefined;
  };
  for (const link of Object.keys(o.vpn?.links ?? {})) {
    const ends = endsOf(link);
    if (!ends) continue;
    const [a, b] = ends;
    lines.push(
      `  ${id(a.name, "")} -> ${id(b.name, "")} [dir=both, style=dashed, color="#6c757d", label=${q(`VPN ${link}`)}, ltail=${q(`cluster_${a.name}`)}, lhead=${q(`cluster_${b.name}`)}];`,
    );
  }
  // Each dataset's copies between the sites: backups solid, staged copies dotted.
  const anchor = (site: string) => targets.find((t) => t.name === site);
  for (const d of o.data?.datasets ?? []) {
    const home = anchor(d.homeSite);
    if (!home) continue;
    const copies = [
      ...d.backups.map((b) => ({ to: b.to, label: `backup ${d.name}`, style: "solid", color: "#0d6efd" })),
      ...d.staging
        .filter((s) => s.state === "staged")
        .map((s) => ({ to: s.site, label: `staged ${d.name}`, style: "dotted", color: "#198754" })),
    ];
    for (const c of copies) {
      const to = anchor(c.to);
      if (!to) continue;
      lines.push(
        `  ${id(home.name, "")} -> ${id(to.name, "")} [style=${c.style}, color=${q(c.color)}, fontcolor=${q(c.color)}, label=${q(c.label)}, ltail=${q(`cluster_${home.name}`)}, lhead=${q(`cluster_${to.name}`)}];`,
      );
    }
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** With a usage export: what a workload used per replica beside what placement reserved for it. */
function usedLines(run: PlanRun, workload: string): string[] {
  const row = run.usage?.rows.find((r) => r.workload === workload);
  if (!row) return [];
  if (!row.used) return ["used: no data"];
  const r = (x: number) => Math.round(x * 100) / 100;
  return [
    `used ${r(row.used.cpuP95)} of ${r(row.asked.cpu)} CPU, ${r(row.used.memoryP95GiB)} of ${r(row.asked.memoryGiB)} GiB`,
    ...(row.used.gpuUtilisationP95 === undefined
      ? []
      : [`GPU ${Math.round(row.used.gpuUtilisationP95)}% busy (p95)`]),
  ];
}

/** A site's gateway and its services' entries, inside the site's cluster box. */
function trafficNodes(plan: TrafficPlan | undefined, site: string): string[] {
  if (!plan) return [];
  const lines: string[] = [];
  const gateway = plan.gateways.find((g) => g.site === site);
  if (gateway)
    lines.push(
      `    ${id(site, "gateway")} [label=${q(`gateway (HAProxy)\n${gateway.addresses.join("\n")}\nanswers ${gateway.services.map((s) => s.workload).join(", ")}`)}, shape=component, fillcolor="#cfe2ff"];`,
    );
  for (const s of plan.services)
    for (const e of s.entries.filter((x) => x.site === site))
      lines.push(
        `    ${id(site, "entry", s.workload)} [label=${q(`${s.workload} entry\n${e.addresses.join("\n")}:${s.port}`)}, shape=cds, fillcolor="#ffffff"];`,
      );
  return lines;
}

/** Each service's name, the gateways that answer it, and the weight each site's copy gets. */
function trafficEdges(plan: TrafficPlan | undefined): string[] {
  if (!plan) return [];
  const lines: string[] = [];
  for (const s of plan.services) {
    const name = id("name", s.workload);
    lines.push(`  ${name} [label=${q(s.fqdn)}, shape=note, fillcolor="#cfe2ff"];`);
    for (const g of s.gatewaySites)
      lines.push(`  ${name} -> ${id(g, "gateway")} [style=dotted, color="#0d6efd"];`);
    const total = s.placed.reduce((sum, p) => sum + p.weight, 0);
    for (const p of s.placed) {
      const target = s.entries.some((e) => e.site === p.site)
        ? id(p.site, "entry", s.workload)
        : id(p.site, "gateway");
      lines.push(
        `  ${id(p.site, "gateway")} -> ${target} [color="#0d6efd", label=${q(`${s.workload} w${p.weight} (${Math.round((100 * p.weight) / total)}%)`)}];`,
      );
    }
  }
  return lines;
}

/** The plan as SVG. */
export async function planSvg(run: PlanRun): Promise<string> {
  const viz = await instance();
  return viz.renderString(planDot(run), { format: "svg", engine: "dot" });
}
