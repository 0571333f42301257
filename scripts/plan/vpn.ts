import type { LinkTunnel } from "../../components/vpn";
import type { PlanRun } from "./run";

/** The VPN links the platform phase exports: every tunnel, and what each site reaches. */
export interface PlanLinks {
  tunnels: LinkTunnel[];
  reach: Record<string, string[]>;
}

/** The links of a run, read from the platform's `vpn` output; undefined without links. */
export function linksOfRun(run: PlanRun): PlanLinks | undefined {
  const vpn = run.outputs.vpn as
    | { links?: Record<string, LinkTunnel[]>; reach?: Record<string, string[]> }
    | undefined;
  if (!vpn?.links) return undefined;
  return { tunnels: Object.values(vpn.links).flat(), reach: vpn.reach ?? {} };
}

/** The links as a table: one row per tunnel, then what each site reaches over them. */
export function linksText(links: PlanLinks): string[] {
  const header = ["tunnel", "sites", "outside", "inside", "ASNs", "suite"];
  const rows = links.tunnels.map((t) => [
    t.name,
    t.sites.join(" <-> "),
    t.outside.join(" <-> "),
    t.inside.join(" <-> "),
    t.asns.join(" <-> "),
    t.suite,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ")}`.trimEnd();
  return [
    line(header),
    ...rows.map(line),
    "  Reachable over the links:",
    ...Object.entries(links.reach).map(([site, what]) => `    ${site}: ${what.join("; ")}`),
  ];
}
