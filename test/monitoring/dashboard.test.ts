// The environment's dashboard: drawn from the sites' rules, valid by Grafana's schemas, and
// refused when broken (each mutation below must be caught, or the validator proves nothing).
import { describe, expect, it } from "vitest";
import { type Dashboard, renderDashboard, siteRules } from "../../components/monitoring";
import { dashboardProblems, queriesOf } from "../helpers/dashboard";
import { AKS, EKS } from "../lab/monitoring/fixtures";

const dashboard = () =>
  renderDashboard("prod", [
    { site: EKS.site, rules: siteRules(EKS) },
    { site: AKS.site, rules: siteRules(AKS) },
  ]);

describe("the dashboard", () => {
  it("is valid for Grafana: schema, queries, layout, variables and data sources", () => {
    expect(dashboardProblems(dashboard())).toEqual([]);
  });

  it("reads only series the sites' rules record, each site from its own store", () => {
    const d = dashboard();
    const recorded = new Set(
      [EKS, AKS].flatMap((m) =>
        siteRules(m).groups.flatMap((g) => g.rules.flatMap((r) => ("record" in r ? [r.record] : []))),
      ),
    );
    for (const q of queriesOf(d))
      for (const [name] of q.expr.matchAll(/hybrid_ai_infra:[a-z_:]+/g)) expect(recorded).toContain(name);
    expect(d.templating.list.map((v) => v.name)).toEqual(["ds_eks", "ds_aks", "resource"]);
    expect(() => renderDashboard("x", [{ site: "eks", rules: { groups: [] } }])).toThrow(
      /its rules do not record/,
    );
  });

  it("is refused when broken in any of the ways Grafana would choke on", () => {
    const breaks: [string, (d: Dashboard & Record<string, unknown>) => void][] = [
      ["unknown top-level field", (d) => Object.assign(d, { colour: "red" })],
      ["schemaVersion missing", (d) => Reflect.deleteProperty(d, "schemaVersion")],
      ["panel wider than the grid", (d) => Object.assign(d.panels[1]?.gridPos ?? {}, { w: 25 })],
      ["two panels on one cell", (d) => Object.assign(d.panels[2]?.gridPos ?? {}, { x: 0 })],
      ["duplicate panel id", (d) => Object.assign(d.panels[2] ?? {}, { id: d.panels[1]?.id })],
      ["query without expr", (d) => Reflect.deleteProperty(d.panels[1]?.targets?.[0] ?? {}, "expr")],
      [
        "undefined variable",
        (d) => Object.assign(d.panels[1]?.targets?.[0] ?? {}, { expr: 'up{resource="$res"}' }),
      ],
      ["misspelled panel type", (d) => Object.assign(d.panels[1] ?? {}, { type: "time-series" })],
      [
        "query on another data source",
        (d) => Object.assign(d.panels[1]?.targets?.[0]?.datasource ?? {}, { uid: "other" }),
      ],
    ];
    for (const [what, breakIt] of breaks) {
      const d = dashboard() as Dashboard & Record<string, unknown>;
      breakIt(d);
      expect(dashboardProblems(d), what).not.toEqual([]);
    }
  });
});
