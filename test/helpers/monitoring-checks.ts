// What every stack's plan must show about monitoring: collection, rules and the dashboard on every
// cluster, each store reached by private paths only.
import { expect } from "vitest";
import { parse } from "yaml";
import type { PlanRun } from "../../scripts/plan/run";
import { dashboardProblems } from "./dashboard";

type Resource = PlanRun["resources"][number];

/** Checks one plan; returns the clusters it checked. */
export function checkMonitoring(run: PlanRun): string[] {
  const of = (type: string) => run.resources.filter((r) => r.type === type);
  const outputs = run.plainOutputs as {
    placementTargets: { name: string; cloud: string }[];
    monitoring: {
      rules: Record<string, string>;
      dashboard: string;
      clusters: Record<string, { collection: string }>;
    };
  };
  const targets = outputs.placementTargets;
  // Collection on every cluster, each with the environment's dashboard.
  const metrics = of("hybrid-ai-infra:index:ClusterMetrics").map((r) => r.name);
  expect(metrics.sort()).toEqual(targets.map((t) => `${t.name}-metrics`).sort());
  const dashboards = run.resources.filter(
    (r) =>
      r.type === "kubernetes:core/v1:ConfigMap" && r.name.endsWith("-configmap-hybrid-ai-infra-dashboard"),
  );
  expect(dashboards).toHaveLength(targets.length);
  for (const d of dashboards)
    expect((d.plainInputs.data as Record<string, string>)["hybrid-ai-infra.json"]).toBe(
      outputs.monitoring.dashboard,
    );
  expect(dashboardProblems(JSON.parse(outputs.monitoring.dashboard))).toEqual([]);
  // Rules on every site's store: AMP's namespace, Azure's groups, the on-premises Prometheus.
  for (const t of targets) {
    const rules = outputs.monitoring.rules[t.name] ?? "";
    expect(parse(rules).groups.length, t.name).toBeGreaterThanOrEqual(3);
    if (t.cloud === "aws")
      expect(of("aws:amp/ruleGroupNamespace:RuleGroupNamespace")[0]?.plainInputs.data).toBe(rules);
    if (t.cloud === "azure")
      expect(of("azure-native:alertsmanagement:PrometheusRuleGroup").length).toBeGreaterThanOrEqual(3);
    if (t.cloud === "onprem") {
      const configMap = run.resources.find(
        (r) => r.name === `${t.name}-metrics-configmap-prometheus-rules`,
      ) as Resource;
      expect((configMap.plainInputs.data as Record<string, string>)["hybrid-ai-infra.yml"]).toBe(rules);
    }
  }
  checkPrivatePaths(run);
  checkTunnels(run, outputs.monitoring.rules, targets);
  return targets.map((t) => t.name);
}

/** No public path to a metrics store: each store's public switches off, its private endpoints in place. */
function checkPrivatePaths(run: PlanRun): void {
  const of = (type: string) => run.resources.filter((r) => r.type === type);
  for (const w of of("azure-native:monitor:AzureMonitorWorkspace"))
    expect(w.inputs.publicNetworkAccess).toBe("Disabled");
  for (const d of of("azure-native:monitor:DataCollectionEndpoint").filter((r) =>
    r.name.endsWith("-metrics"),
  ))
    expect(d.inputs.networkAcls).toEqual({ publicNetworkAccess: "Disabled" });
  for (const s of of("azure-native:monitor:PrivateLinkScope"))
    expect(s.inputs.accessModeSettings).toMatchObject({
      ingestionAccessMode: "PrivateOnly",
      queryAccessMode: "PrivateOnly",
    });
  if (of("azure-native:monitor:AzureMonitorWorkspace").length > 0) {
    const groups = of("azure-native:network:PrivateEndpoint").flatMap((e) =>
      (e.inputs.privateLinkServiceConnections as { groupIds: string[] }[]).flatMap((c) => c.groupIds),
    );
    expect(groups).toEqual(expect.arrayContaining(["azuremonitor", "prometheusMetrics"]));
  }
  for (const w of of("aws:amp/workspace:Workspace")) {
    expect(w.inputs.kmsKeyArn).toMatch(/^arn:aws:kms:/);
    const services = of("aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => String(e.inputs.serviceName));
    expect(services).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\.aps-workspaces$/),
        expect.stringMatching(/\.monitoring$/),
      ]),
    );
  }
  for (const s of of("aws:amp/scraper:Scraper")) {
    expect(s.inputs.source).toMatchObject({
      eks: { subnetIds: expect.any(Array), securityGroupIds: expect.any(Array) },
    });
    expect(s.inputs.roleConfiguration).toMatchObject({
      sourceRoleArn: expect.any(String),
      targetRoleArn: expect.any(String),
    });
  }
  // Nothing of monitoring is exposed: no load balancer, no node port.
  for (const svc of of("kubernetes:core/v1:Service").filter((r) => r.name.includes("-metrics-")))
    expect((svc.inputs.spec as { type?: string }).type ?? "ClusterIP").toBe("ClusterIP");
}

/**
 * The tunnels the rules expect (computed from config, before anything exists) are the tunnels the
 * links declare: AWS's by name, Azure's by the BGP peer its gateway sees (the far end's inside
 * address), and every tunnel is watched from at least one cloud.
 */
function checkTunnels(
  run: PlanRun,
  rules: Record<string, string>,
  targets: { name: string; cloud: string }[],
): void {
  type Rule = { record?: string; labels?: Record<string, string> };
  const expected = targets.flatMap((t) =>
    (parse(rules[t.name] ?? "") as { groups: { rules: Rule[] }[] }).groups
      .flatMap((g) => g.rules)
      .filter((r) => r.record === "hybrid_ai_infra:vpn_tunnel_expected")
      .map((r) => ({ cloud: t.cloud, tunnel: r.labels?.tunnel ?? "", peer: r.labels?.peer ?? "" })),
  );
  const tunnels = run.links?.tunnels ?? [];
  expect(new Set(expected.map((e) => e.tunnel))).toEqual(new Set(tunnels.map((t) => t.name)));
  for (const e of expected) {
    const t = tunnels.find((x) => x.name === e.tunnel);
    if (!t) continue;
    if (e.cloud === "aws") expect(e.peer).toBe(t.name);
    if (e.cloud === "azure") expect(e.peer).toBe(t.inside[t.sites.indexOf("azure") === 0 ? 1 : 0]);
  }
}
