import type { PlanLinks } from "./run";

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
