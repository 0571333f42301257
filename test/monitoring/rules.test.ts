// The rule generator: what each site's rule file holds, and the traps the lab found (group
// intervals, alert names repeated with one label set, templates reading the rule's own labels).
// The rules' behaviour is tested with promtool in test/lab/monitoring.test.ts.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  AZURE_RULES_PER_GROUP,
  azureRuleGroups,
  durationSeconds,
  isAlert,
  isoDuration,
  ksmLabel,
  ksmLabelsAllowlist,
  longestCronGap,
  promDuration,
  RUNBOOK_ANCHORS,
  resolveThresholds,
  ruleFileYaml,
  type SiteMetrics,
  siteRules,
  thresholdsSchema,
} from "../../components/monitoring";
import { AKS, EKS } from "../lab/monitoring/fixtures";

const bare: SiteMetrics = { ...AKS, site: "dc1", cloud: "onprem", queues: [], backups: [], tunnels: [] };

describe("the rule file of a site", () => {
  it("holds placement's facts, the capacity records and the alerts, and the queue, VPN and backup groups only where the site has them", () => {
    expect(siteRules(EKS).groups.map((g) => g.name)).toEqual([
      "hybrid-ai-infra.placement",
      "hybrid-ai-infra.capacity",
      "hybrid-ai-infra.alerts",
      "hybrid-ai-infra.queues",
      "hybrid-ai-infra.vpn",
      "hybrid-ai-infra.backups",
    ]);
    expect(siteRules(bare).groups.map((g) => g.name)).toEqual([
      "hybrid-ai-infra.placement",
      "hybrid-ai-infra.capacity",
      "hybrid-ai-infra.alerts",
    ]);
    const alerts = siteRules(bare).groups.flatMap((g) => g.rules.filter(isAlert).map((r) => r.alert));
    expect(alerts).not.toContain("HybridQueueWaitingPastTarget");
    expect(alerts).not.toContain("HybridBackupStale");
    expect(alerts).not.toContain("HybridVpnTunnelDown");
  });

  it("sets placed capacity from the decision: nodes placed per pool and each workload part's budget", () => {
    const facts = siteRules(EKS).groups[0]?.rules ?? [];
    const fact = (record: string, labels: Record<string, string>) =>
      facts.find(
        (r) =>
          !isAlert(r) && r.record === record && Object.entries(labels).every(([k, v]) => r.labels?.[k] === v),
      );
    expect(fact("hybrid_ai_infra:pool_nodes_placed", { pool: "gpu-spot" })?.expr).toBe("vector(8)");
    expect(
      fact("hybrid_ai_infra:workload_placed", { workload: "catalog-embeddings", resource: "cpu" })?.expr,
    ).toBe("vector(24)");
    expect(
      fact("hybrid_ai_infra:workload_placed", { workload: "catalog-embeddings", resource: "memory" })?.expr,
    ).toBe(`vector(${8 * 12 * 1024 ** 3})`);
    // A pool without GPUs has no GPU capacity series, rather than a zero.
    expect(
      fact("hybrid_ai_infra:pool_node_capacity", { pool: "general", resource: "nvidia_com_gpu" }),
    ).toBeUndefined();
  });

  it("writes no group interval (it would override promtool's and each evaluator's) and labels every rule with its site", () => {
    for (const site of [EKS, AKS, bare]) {
      const file = siteRules(site);
      for (const g of file.groups) {
        expect(g).not.toHaveProperty("interval");
        for (const r of g.rules) expect(r.labels?.site, JSON.stringify(r)).toBe(site.site);
      }
      expect(ruleFileYaml(file)).not.toMatch(/^\s+interval:/m);
    }
  });

  it("never repeats an alert with one label set, and writes the site into annotations instead of templating labels the expression lacks", () => {
    for (const site of [EKS, AKS]) {
      const alerts = siteRules(site).groups.flatMap((g) => g.rules.filter(isAlert));
      const keys = alerts.map((a) => `${a.alert} ${JSON.stringify(Object.entries(a.labels).sort())}`);
      expect(new Set(keys).size).toBe(keys.length);
      for (const a of alerts) {
        const text = Object.values(a.annotations).join(" ");
        expect(text).not.toMatch(/\$labels\.(site|severity|wait_target)/);
        expect(a.annotations.runbook_url).toBe(
          `${site.runbookUrl}#${RUNBOOK_ANCHORS[a.alert as keyof typeof RUNBOOK_ANCHORS]}`,
        );
      }
    }
    // One queue alert per distinct wait target, told apart by the target.
    const queues = siteRules(EKS)
      .groups.flatMap((g) => g.rules.filter(isAlert))
      .filter((a) => a.alert === "HybridQueueWaitingPastTarget");
    expect(queues.map((q) => [q.for, q.labels.wait_target])).toEqual([
      ["30m", "30m"],
      ["2h", "2h"],
    ]);
  });

  it("has a runbook section in docs/monitoring.md for every alert", () => {
    const docs = readFileSync(resolve(__dirname, "../../docs/monitoring.md"), "utf8");
    const anchors = [...docs.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
      (m[1] ?? "")
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, "")
        .replace(/ /g, "-"),
    );
    for (const anchor of Object.values(RUNBOOK_ANCHORS)) expect(anchors).toContain(anchor);
  });

  it("takes thresholds from config: a changed one changes its alert, and a bad one is refused by its path", () => {
    const alert = (m: SiteMetrics, name: string) =>
      siteRules(m)
        .groups.flatMap((g) => g.rules.filter(isAlert))
        .find((a) => a.alert === name);
    const t = resolveThresholds({ gpuIdleBelowPercent: 2, gpuIdleFor: "90m" });
    expect(alert({ ...EKS, thresholds: t }, "HybridGpuIdle")).toMatchObject({
      for: "90m",
      expr: expect.stringMatching(/< 2$/),
    });
    const result = thresholdsSchema.safeParse({
      gpuIdleFor: "4 hours",
      gpuIdleBelowPercent: 120,
      vpnDownFor: "1m",
      backupGraceFactor: 0.5,
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`).sort()).toEqual([
      "backupGraceFactor: a backup cannot be due before its schedule runs it; give 1 or more",
      "gpuIdleBelowPercent: the idle threshold is a utilisation below 100%",
      'gpuIdleFor: "4 hours" is not a duration such as 15m, 4h or 1h30m (units w, d, h, m, s, largest first)',
      'vpnDownFor: "1m" is shorter than allowed: use 5m to 1d',
    ]);
  });
});

describe("Azure's rule groups", () => {
  it("split every group into chunks of at most 20 rules, in order, with ISO 8601 durations and Azure's severities", () => {
    const groups = azureRuleGroups("aks", siteRules(EKS));
    const flat = groups.flatMap((g) => g.rules);
    expect(flat).toHaveLength(siteRules(EKS).groups.flatMap((g) => g.rules).length);
    for (const g of groups) expect(g.rules.length).toBeLessThanOrEqual(AZURE_RULES_PER_GROUP);
    expect(new Set(groups.map((g) => g.name)).size).toBe(groups.length);
    const idle = flat.find((r) => r.alert === "HybridGpuIdle");
    expect(idle).toMatchObject({ for: "PT4H", severity: 2, enabled: true });
    expect(flat.find((r) => r.alert === "HybridBackupStale")).toMatchObject({ severity: 0 });
    expect(flat.every((r) => r.expression.length > 0 && !("expr" in r))).toBe(true);
  });
});

describe("durations, schedules and label names", () => {
  it("reads and writes Prometheus durations, and converts them to ISO 8601", () => {
    expect(durationSeconds("1h30m")).toBe(5400);
    expect(durationSeconds("30m1h")).toBeUndefined();
    expect(durationSeconds("15 minutes")).toBeUndefined();
    expect(promDuration(5400)).toBe("1h30m");
    expect(isoDuration("1d6h")).toBe("P1DT6H");
    expect(isoDuration("10m")).toBe("PT10M");
  });

  it("finds a schedule's longest gap between runs (a daily backup: a day; weekdays only: three days)", () => {
    expect(longestCronGap("30 2 * * *")).toBe(86_400);
    expect(longestCronGap("@hourly")).toBe(3600);
    expect(longestCronGap("0 1 * * 1-5")).toBe(3 * 86_400);
    expect(longestCronGap("0 0 1 * *")).toBe(31 * 86_400);
    expect(longestCronGap("0 */6 * * *")).toBe(6 * 3600);
    expect(longestCronGap("61 * * * *")).toMatch(/minute "61" is outside 0-59/);
    expect(longestCronGap("daily")).toMatch(/is not a cron schedule of five fields/);
  });

  it("names labels as kube-state-metrics does, and lets through exactly the placement labels", () => {
    expect(ksmLabel("hybrid-ai-infra.io/pool")).toBe("label_hybrid_ai_infra_io_pool");
    expect(ksmLabel("app.kubernetes.io/myName")).toBe("label_app_kubernetes_io_my_name");
    expect(ksmLabelsAllowlist()).toBe(
      "nodes=[hybrid-ai-infra.io/pool],pods=[hybrid-ai-infra.io/workload,hybrid-ai-infra.io/pool],cronjobs=[hybrid-ai-infra.io/backup]",
    );
  });
});
