// A rendered Grafana dashboard, checked as Grafana would read it: its JSON schema and the
// Prometheus query schema (vendored, test/vendor/grafana), then what the schema cannot say:
// unique panel ids, no panels on one grid cell, every `$variable` defined, every query on its
// panel's data source, known panel types.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import type { Dashboard, DashboardPanel } from "../../components/monitoring";

const vendor = (file: string) =>
  JSON.parse(readFileSync(resolve(__dirname, "../vendor/grafana", file), "utf8")) as Record<string, unknown>;

let validators: { dashboard: ReturnType<Ajv["compile"]>; query: ReturnType<Ajv["compile"]> } | undefined;

function compile() {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  validators = {
    dashboard: ajv.compile(vendor("grafana-dashboard.jsonschema.json")),
    query: ajv.compile(vendor("grafana-prometheus.jsonschema.json")),
  };
  return validators;
}

/** Panel types Grafana ships (an unknown one renders as an error panel). */
const PANEL_TYPES = new Set(["row", "timeseries", "table", "stat", "state-timeline", "bargauge", "text"]);

/** Every panel, rows' nested panels included. */
export function panelsOf(dashboard: Dashboard): DashboardPanel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** Every query of a dashboard, with its panel. */
export function queriesOf(dashboard: Dashboard): { panel: number; refId: string; expr: string }[] {
  return panelsOf(dashboard).flatMap((p) =>
    (p.targets ?? []).map((t) => ({ panel: p.id, refId: t.refId, expr: t.expr })),
  );
}

/** What is wrong with a dashboard; empty when Grafana would take it as drawn. */
export function dashboardProblems(value: unknown): string[] {
  const { dashboard: validDashboard, query: validQuery } = compile();
  const problems: string[] = [];
  if (!validDashboard(value))
    for (const e of validDashboard.errors ?? [])
      problems.push(`schema: ${e.instancePath || "/"} ${e.message}`);
  const dashboard = value as Dashboard;
  if (!Array.isArray(dashboard.panels)) return problems;
  const ids = new Set<number>();
  const cells = new Map<string, number>();
  const vars = new Set((dashboard.templating?.list ?? []).map((v) => String(v.name)));
  for (const p of panelsOf(dashboard)) {
    if (!PANEL_TYPES.has(p.type)) problems.push(`panel ${p.id} has unknown type "${p.type}"`);
    if (ids.has(p.id)) problems.push(`panel id ${p.id} is used twice`);
    ids.add(p.id);
    const g = p.gridPos;
    if (g.x + g.w > 24) problems.push(`panel ${p.id} overflows the 24-column grid`);
    for (let x = g.x; x < g.x + g.w; x++)
      for (let y = g.y; y < g.y + g.h; y++) {
        const other = cells.get(`${x},${y}`);
        if (other !== undefined) problems.push(`panels ${other} and ${p.id} overlap at ${x},${y}`);
        cells.set(`${x},${y}`, p.id);
      }
    for (const t of p.targets ?? []) {
      if (!validQuery(t))
        for (const e of validQuery.errors ?? [])
          problems.push(`panel ${p.id} query ${t.refId}: ${e.instancePath || "/"} ${e.message}`);
      if (t.datasource?.uid !== p.datasource?.uid)
        problems.push(`panel ${p.id} query ${t.refId} reads another data source`);
      for (const [, name] of `${t.expr ?? ""} ${t.datasource?.uid ?? ""} ${p.title}`.matchAll(
        /\$\{?([A-Za-z_]\w*)/g,
      ))
        if (name && !vars.has(name) && !name.startsWith("__"))
          problems.push(`panel ${p.id} uses $${name}, which no variable defines`);
    }
  }
  return problems;
}
