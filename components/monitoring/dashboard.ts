import { RECORD_PREFIX } from "./names";
import { isAlert, type RuleFile } from "./rule-types";

// One Grafana dashboard per environment, drawn from the sites' rule files: a row per site, each
// panel reading only series that site's rules record (rendering throws otherwise), so the
// dashboard cannot drift from the rules. Each site's store is its own data source, picked through a
// variable (`ds_<site>`), since every environment names its Grafana data sources differently.

/** What the dashboard is drawn from. */
export interface DashboardSite {
  site: string;
  rules: RuleFile;
}

interface Target {
  refId: string;
  datasource: { type: string; uid: string };
  expr: string;
  legendFormat: string;
  instant?: boolean;
  format?: "table";
}

/** A Grafana panel as the dashboard schema reads it (only the fields written here). */
export interface DashboardPanel {
  type: string;
  id: number;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] };
  options?: Record<string, unknown>;
  transformations?: { id: string; options: Record<string, unknown> }[];
  collapsed?: boolean;
  panels?: DashboardPanel[];
}

/** A classic Grafana dashboard (schema version 41). */
export interface Dashboard {
  uid: string;
  title: string;
  tags: string[];
  timezone: string;
  editable: boolean;
  schemaVersion: number;
  time: { from: string; to: string };
  refresh: string;
  annotations: { list: unknown[] };
  templating: { list: Record<string, unknown>[] };
  panels: DashboardPanel[];
}

/** The dashboard variable naming a site's data source. */
export function dataSourceVariable(site: string): string {
  return `ds_${site.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

/** Draws one site's row and panels from `y` down; returns them and the next free row. */
function siteRow(s: DashboardSite, first: number, y0: number): { panels: DashboardPanel[]; y: number } {
  const records = new Set(
    s.rules.groups.flatMap((g) => g.rules.flatMap((r) => (isAlert(r) ? [] : [r.record]))),
  );
  const r = (name: string) => {
    const full = `${RECORD_PREFIX}${name}`;
    if (!records.has(full))
      throw new Error(`${s.site}: the dashboard reads ${full}, which its rules do not record`);
    return full;
  };
  const ds = { type: "prometheus", uid: `\${${dataSourceVariable(s.site)}}` };
  let id = first;
  const target = (refId: string, expr: string, legendFormat: string, table = false): Target => ({
    refId,
    datasource: { ...ds },
    expr,
    legendFormat,
    ...(table ? { instant: true, format: "table" as const } : {}),
  });
  const series = (title: string, unit: string, gridPos: DashboardPanel["gridPos"], targets: Target[]) => ({
    type: "timeseries",
    id: id++,
    title,
    datasource: { ...ds },
    gridPos,
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: {
      legend: { displayMode: "table", placement: "right", showLegend: true },
      tooltip: { mode: "multi", sort: "none" },
    },
    targets,
  });
  const sel = `{site="${s.site}", resource="$resource"}`;
  const site = `{site="${s.site}"}`;
  let y = y0;
  const panels: DashboardPanel[] = [
    {
      type: "row",
      id: id++,
      title: `Site ${s.site}`,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    },
  ];
  y += 1;
  panels.push(
    series(`${s.site}: placed, requested, used per pool ($resource)`, "short", { h: 8, w: 12, x: 0, y }, [
      target("A", `${r("pool_placed_capacity")}${sel}`, "{{pool}} placed"),
      target("B", `${r("pool_requested")}${sel}`, "{{pool}} requested"),
      target("C", `${r("pool_used")}${sel}`, "{{pool}} used"),
      target("D", `${r("pool_max_capacity")}${sel}`, "{{pool}} at maxNodes"),
    ]),
    series(`${s.site}: nodes per pool against placed and maxNodes`, "short", { h: 8, w: 12, x: 12, y }, [
      target("A", `${r("pool_nodes:count")}${site}`, "{{pool}} nodes"),
      target("B", `${r("pool_nodes_placed")}${site}`, "{{pool}} placed"),
      target("C", `${r("pool_nodes_max")}${site}`, "{{pool}} maxNodes"),
    ]),
  );
  y += 8;
  const pending = [target("A", `${r("pool_unschedulable_pods")}${site}`, "unschedulable on {{pool}}")];
  if (records.has(`${RECORD_PREFIX}queue_pending_workloads`))
    pending.push(target("B", `${r("queue_pending_workloads")}${site}`, "queue {{cluster_queue}} {{status}}"));
  panels.push(
    series(`${s.site}: GPU utilisation`, "percent", { h: 8, w: 12, x: 0, y }, [
      target("A", `${r("pool_gpu_utilisation:avg")}${site}`, "pool {{pool}}"),
      target("B", `${r("workload_gpu_utilisation:avg")}${site}`, "{{namespace}}/{{workload}}"),
    ]),
    series(`${s.site}: pending work`, "short", { h: 8, w: 12, x: 12, y }, pending),
  );
  y += 8;
  const tunnels = records.has(`${RECORD_PREFIX}vpn_tunnel_up`);
  panels.push({
    type: "table",
    id: id++,
    title: `${s.site}: per workload, placed, requested, used ($resource)`,
    datasource: { ...ds },
    gridPos: { h: 8, w: tunnels ? 16 : 24, x: 0, y },
    fieldConfig: { defaults: {}, overrides: [] },
    options: { showHeader: true },
    transformations: [{ id: "merge", options: {} }],
    targets: [
      // A site placement put nothing on records no placed series: the table shows what runs there.
      ...(records.has(`${RECORD_PREFIX}workload_placed`)
        ? [target("A", `${r("workload_placed")}${sel}`, "placed", true)]
        : []),
      target("B", `${r("workload_requested")}${sel}`, "requested", true),
      target("C", `${r("workload_used")}${sel}`, "used", true),
    ],
  });
  if (tunnels)
    panels.push(
      series(`${s.site}: VPN tunnels (1 = up)`, "short", { h: 8, w: 8, x: 16, y }, [
        target(
          "A",
          `${r("vpn_tunnel_up")}${site} * on (peer) group_left (link, tunnel) ${r("vpn_tunnel_expected")}${site}`,
          "{{link}} {{tunnel}}",
        ),
      ]),
    );
  y += 8;
  if (records.has(`${RECORD_PREFIX}backup_age_seconds`)) {
    panels.push(
      series(`${s.site}: backups, age against their limit`, "s", { h: 8, w: 24, x: 0, y }, [
        target("A", `${r("backup_age_seconds")}${site}`, "{{namespace}}/{{cronjob}} age"),
        target("B", `${r("backup_max_age_seconds")}${site}`, "{{namespace}}/{{cronjob}} limit"),
      ]),
    );
    y += 8;
  }
  return { panels, y };
}

/** The environment's dashboard: a row per site, in the order given. */
export function renderDashboard(environment: string, sites: DashboardSite[]): Dashboard {
  const panels: DashboardPanel[] = [];
  let y = 0;
  for (const s of sites) {
    const row = siteRow(s, Math.max(0, ...panels.map((p) => p.id)) + 1, y);
    panels.push(...row.panels);
    y = row.y;
  }
  return {
    uid: `hybrid-ai-infra-${environment}`,
    title: `hybrid-ai-infra ${environment}: placed against used`,
    tags: ["hybrid-ai-infra", environment],
    timezone: "utc",
    editable: false,
    schemaVersion: 41,
    time: { from: "now-24h", to: "now" },
    refresh: "1m",
    annotations: { list: [] },
    templating: {
      list: [
        ...sites.map((s) => ({
          type: "datasource",
          name: dataSourceVariable(s.site),
          label: `${s.site} metrics store`,
          query: "prometheus",
        })),
        {
          type: "custom",
          name: "resource",
          label: "Resource",
          query: "cpu,memory,nvidia_com_gpu",
          current: { text: "cpu", value: "cpu" },
          options: ["cpu", "memory", "nvidia_com_gpu"].map((v, i) => ({
            text: v,
            value: v,
            selected: i === 0,
          })),
          multi: false,
        },
      ],
    },
    panels,
  };
}
