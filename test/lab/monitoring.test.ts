// The rules under the real tool: every rule file (the fixtures' and each reference stack's) passes
// `promtool check rules`, the unit tests (test/lab/monitoring/*.test.yml) pass under
// `promtool test rules`, every record and alert has a test and every alert a case where it must
// not fire, the dashboard's queries parse, and the scrape configurations parse.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { renderClusterMetrics, scrapePlanOf } from "../../components/kubernetes/internal";
import {
  ampScrapeConfig,
  isAlert,
  renderDashboard,
  ruleFileYaml,
  type SiteMetrics,
  siteRules,
} from "../../components/monitoring";
import { queriesOf } from "../helpers/dashboard";
import { labSupport } from "../helpers/lab";
import { AKS, EKS } from "./monitoring/fixtures";
import { promtool, TEST_FILES, workspace } from "./monitoring/promtool";
import { stackMetrics } from "./monitoring/stacks";

const { run } = labSupport("monitoring rules (promtool)", {
  commands: ["promtool"],
  install: "apt-get install -y prometheus",
});

describe.skipIf(!run)("the monitoring rules under promtool", () => {
  it("checks every rule file: the fixtures' and each reference stack's sites'", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hai-check-"));
    const files: string[] = [];
    const sites: SiteMetrics[] = [EKS, AKS];
    for (const stack of ["dev", "staging", "prod"])
      for (const m of await stackMetrics(stack)) sites.push({ ...m, site: `${stack}-${m.site}` });
    for (const m of sites) {
      const file = `${m.site}.rules.yml`;
      writeFileSync(join(dir, file), ruleFileYaml(siteRules(m)));
      files.push(file);
    }
    expect(files.length).toBeGreaterThanOrEqual(2 + 2 + 3 + 3);
    const result = await promtool(["check", "rules", ...files], dir);
    expect(result.output).not.toMatch(/FAILED|error/i);
    expect(result.ok, result.output).toBe(true);
    expect(result.output.match(/SUCCESS/g)?.length).toBe(files.length);
  });

  it("passes every unit test (placed, requested, used; each alert firing and not)", async () => {
    const result = await promtool(["test", "rules", ...TEST_FILES], workspace());
    expect(result.ok, result.output).toBe(true);
    expect(result.output.match(/SUCCESS/g)?.length).toBe(TEST_FILES.length);
  });

  it("tests every record and every alert, and every alert where it must not fire", () => {
    const tests = TEST_FILES.map((f) => readFileSync(join(__dirname, "monitoring", f), "utf8")).join("\n");
    for (const m of [EKS, AKS])
      for (const g of siteRules(m).groups)
        for (const r of g.rules) {
          if (isAlert(r)) {
            const cases = tests
              .split(/\n\s+- eval_time: /)
              .filter((c) => c.includes(`alertname: ${r.alert}\n`));
            expect(cases.length, r.alert).toBeGreaterThan(0);
            expect(
              cases.some((c) => /exp_alerts: \[\]/.test(c)),
              `${r.alert} must-not-fire case`,
            ).toBe(true);
            expect(
              cases.some((c) => /exp_alerts:\n/.test(c)),
              `${r.alert} must-fire case`,
            ).toBe(true);
          } else expect(tests, r.record).toContain(r.record);
        }
  });

  it("parses every query of each reference stack's dashboard", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hai-dash-"));
    const rules = [];
    for (const stack of ["dev", "staging", "prod"]) {
      const metrics = await stackMetrics(stack);
      const dashboard = renderDashboard(
        stack,
        metrics.map((m) => ({ site: m.site, rules: siteRules(m) })),
      );
      rules.push(
        ...queriesOf(dashboard).map((q) => ({
          record: `dashboard:${stack}_${q.panel}_${q.refId}`,
          expr: q.expr.replaceAll("$resource", "cpu"),
        })),
      );
    }
    writeFileSync(join(dir, "panels.yml"), stringify({ groups: [{ name: "dashboard", rules }] }));
    const result = await promtool(["check", "rules", "panels.yml"], dir);
    expect(result.ok, result.output).toBe(true);
    const broken = { groups: [{ name: "dashboard", rules: [{ record: "x:y", expr: "sum by (pool (up)" }] }] };
    writeFileSync(join(dir, "broken.yml"), stringify(broken));
    expect((await promtool(["check", "rules", "broken.yml"], dir)).ok).toBe(false);
  });

  it("parses the scrape configurations (AMP's scraper, the AKS add-on's jobs, the on-premises Prometheus)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hai-scrape-"));
    const plan = scrapePlanOf({
      site: "eks",
      dcgmExporter: { pools: ["gpu"], taints: [] },
      kueueNamespace: "kueue-system",
    });
    const onprem = renderClusterMetrics(
      {
        site: "dc1",
        collection: "prometheus",
        dcgmExporter: { pools: ["a100"], taints: [] },
        gpuOperatorExporter: true,
        kueueNamespace: "kueue-system",
        prometheus: {
          remoteWriteUrl: "https://metrics.acme.eu/api/v1/write",
          alertmanagerUrl: "https://am.acme.eu",
          rules: "groups: []\n",
        },
        apiServerCidrs: ["10.10.0.0/16"],
        dashboard: "{}",
      },
      true,
    );
    const aks = renderClusterMetrics({
      site: "aks",
      collection: "azure-monitor",
      dcgmExporter: { pools: ["a100"], taints: [] },
      azureMetricsExporter: {
        clientId: "8cd526df-0dbe-49a3-7ee3-9347491c84e8",
        tenantId: "11111111-2222-3333-4444-555555555555",
        subscriptionId: "00000000-0000-0000-0000-000000000000",
        gatewayId:
          "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/gw",
      },
      apiServerCidrs: ["10.30.0.0/16"],
      dashboard: "{}",
    });
    const data = (objects: typeof onprem, name: string, key: string) =>
      (objects.find((o) => o.metadata.name === name) as unknown as { data: Record<string, string> }).data[
        key
      ] as string;
    const configs = {
      "amp.yml": ampScrapeConfig(plan, true),
      "ama.yml": data(aks, "ama-metrics-prometheus-config", "prometheus-config"),
      "onprem.yml": data(onprem, "prometheus-config", "prometheus.yml"),
    };
    // Debian's promtool is built without Kubernetes service discovery: each job's discovery block
    // becomes a static target, so everything else (relabelling, TLS, remote write) is checked.
    for (const [file, text] of Object.entries(configs)) {
      const swapped = text.replace(
        /kubernetes_sd_configs:\n(\s+- .*\n(\s{6,}.*\n)*)/g,
        "static_configs:\n      - targets: [127.0.0.1:9999]\n",
      );
      expect(swapped, file).not.toContain("kubernetes_sd_configs");
      writeFileSync(join(dir, file), swapped);
      const result = await promtool(["check", "config", "--syntax-only", file], dir);
      expect(result.ok, `${file}\n${result.output}\n${swapped}`).toBe(true);
    }
    writeFileSync(join(dir, "broken.yml"), configs["onprem.yml"].replace("regex: (.+)", "regex: (.+"));
    expect((await promtool(["check", "config", "--syntax-only", "broken.yml"], dir)).ok).toBe(false);
  });
});
