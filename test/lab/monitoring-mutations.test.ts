// A rule test that cannot fail proves nothing: break one threshold, fact or label name at a time
// (in the generator's input, or in the rendered rule file as a typo in the code would) and promtool
// must fail the very case that guards it. Each mutation names the failures it must cause
// (`alertname: X, time: T` for an alert case, `expr: "…", time: T` for a recorded series), so a
// mutation caught by some unrelated breakage, or by a file that no longer loads, does not count.
// Loosened thresholds are caught where the alert must fire; tightened ones where it must not yet.
// The unmutated rules pass the same test files first: otherwise every mutation would look caught.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SiteMetrics } from "../../components/monitoring";
import { labSupport } from "../helpers/lab";
import { EKS } from "./monitoring/fixtures";
import { promtool, workspace } from "./monitoring/promtool";

const { run } = labSupport("monitoring rule mutations (promtool)", {
  commands: ["promtool"],
  install: "apt-get install -y prometheus",
});

interface Mutation {
  name: string;
  /** The unit test files (test/lab/monitoring/<name>.test.yml) that guard it. */
  tests: string[];
  /** promtool's headers of the failed cases, each of which must be reported. */
  fails: string[];
  /** Generator input for the eks site instead of the fixture. */
  eks?: SiteMetrics;
  /** An edit of the rendered eks rule file (s/from/to/g); it must change something. */
  edit?: [from: string, to: string];
  /** The same for the aks rule file. */
  aksEdit?: [from: string, to: string];
}

const t = EKS.thresholds;
const withThresholds = (changed: Partial<SiteMetrics["thresholds"]>): SiteMetrics => ({
  ...EKS,
  thresholds: { ...t, ...changed },
});
const alert = (name: string, time: string) => `alertname: ${name}, time: ${time},`;
const expr = (query: string, time: string) => `expr: ${JSON.stringify(query)}, time: ${time},`;

const MUTATIONS: Mutation[] = [
  // ------------------------------------------------------------------- thresholds from config
  {
    name: "threshold: GPU idle below 1% instead of 5%",
    tests: ["gpu-idle"],
    eks: withThresholds({ gpuIdleBelowPercent: 1 }),
    fails: [alert("HybridGpuIdle", "4h15m")],
  },
  {
    name: "threshold: GPU idle below 60% (a GPU at 50% counts as idle)",
    tests: ["gpu-idle"],
    eks: withThresholds({ gpuIdleBelowPercent: 60 }),
    fails: [alert("HybridGpuIdle", "4h15m")],
  },
  {
    name: "threshold: GPUs idle for 8h instead of 4h",
    tests: ["gpu-idle"],
    eks: withThresholds({ gpuIdleFor: "8h" }),
    fails: [alert("HybridGpuIdle", "4h15m")],
  },
  {
    name: "threshold: GPUs idle for 2h instead of 4h (fires before its time)",
    tests: ["gpu-idle"],
    eks: withThresholds({ gpuIdleFor: "2h" }),
    fails: [alert("HybridGpuIdle", "3h45m")],
  },
  {
    name: "threshold: pool full for 30m instead of 15m",
    tests: ["alerts-pools"],
    eks: withThresholds({ poolFullPendingFor: "30m" }),
    fails: [alert("HybridPoolAtMaxNodesWithPendingPods", "20m")],
  },
  {
    name: "threshold: pool full for 5m instead of 15m (fires before its time)",
    tests: ["alerts-pools"],
    eks: withThresholds({ poolFullPendingFor: "5m" }),
    fails: [alert("HybridPoolAtMaxNodesWithPendingPods", "10m")],
  },
  {
    name: "threshold: backup grace 2x instead of 1.5x",
    tests: ["backups-stale", "alerts-backups"],
    eks: withThresholds({ backupGraceFactor: 2 }),
    fails: [alert("HybridBackupStale", "1d13h"), expr("hybrid_ai_infra:backup_max_age_seconds", "5m")],
  },
  {
    name: "threshold: backup grace 1x instead of 1.5x (stale before its time)",
    tests: ["backups-stale", "alerts-backups"],
    eks: withThresholds({ backupGraceFactor: 1 }),
    fails: [alert("HybridBackupStale", "1d11h")],
  },
  {
    name: "threshold: VPN down for 20m instead of 10m",
    tests: ["alerts-vpn"],
    eks: withThresholds({ vpnDownFor: "20m" }),
    fails: [alert("HybridVpnTunnelDown", "15m"), alert("HybridVpnLinkDown", "15m")],
  },
  {
    name: "threshold: VPN down for 5m instead of 10m (fires before its time)",
    tests: ["alerts-vpn"],
    eks: withThresholds({ vpnDownFor: "5m" }),
    fails: [alert("HybridVpnTunnelDown", "5m"), alert("HybridVpnLinkDown", "5m")],
  },
  {
    name: "threshold: queue gpu-spot's own target 1h instead of 30m",
    tests: ["alerts-queues"],
    eks: withThresholds({ queueWaitTargets: { "gpu-spot": "1h" } }),
    fails: [alert("HybridQueueWaitingPastTarget", "40m")],
  },
  {
    name: "threshold: the default queue target (queue gpu's) 4h instead of 2h",
    tests: ["alerts-queues"],
    eks: withThresholds({ queueWaitTarget: "4h" }),
    fails: [
      alert("HybridQueueWaitingPastTarget", "2h10m"),
      expr("hybrid_ai_infra:queue_wait_target_seconds", "5m"),
    ],
  },
  {
    name: "threshold: collectors missing for 30m instead of 10m",
    tests: ["alerts-collectors"],
    eks: withThresholds({ metricsMissingFor: "30m" }),
    fails: [alert("HybridKubeStateMetricsMissing", "20m"), alert("HybridGpuMetricsMissing", "15m")],
  },
  {
    name: "threshold: collectors missing for 2m instead of 10m (fires before its time)",
    tests: ["alerts-collectors"],
    eks: withThresholds({ metricsMissingFor: "2m" }),
    fails: [alert("HybridKubeStateMetricsMissing", "10m"), alert("HybridGpuMetricsMissing", "5m")],
  },
  // ------------------------------------------------------------------- facts from placement
  {
    name: "fact: pool gpu's maxNodes 7 instead of 6",
    tests: ["alerts-pools", "capacity"],
    eks: { ...EKS, pools: EKS.pools.map((p) => (p.name === "gpu" ? { ...p, maxNodes: 7 } : p)) },
    fails: [
      alert("HybridPoolAtMaxNodesWithPendingPods", "20m"),
      expr('hybrid_ai_infra:pool_max_capacity{resource="nvidia_com_gpu"}', "10m"),
    ],
  },
  {
    name: "fact: triage-inference placed with 3 replicas instead of 2",
    tests: ["capacity"],
    eks: {
      ...EKS,
      workloads: EKS.workloads.map((w) => (w.name === "triage-inference" ? { ...w, replicas: 3 } : w)),
    },
    fails: [expr('hybrid_ai_infra:workload_placed{workload="triage-inference"}', "10m")],
  },
  // ------------------------------------------------------------------- label names the exporters write
  {
    name: "label: nodes' pool label key",
    tests: ["capacity"],
    edit: ["label_hybrid_ai_infra_io_pool", "label_hybrid_ai_infra_io_nodepool"],
    fails: [expr("hybrid_ai_infra:node_pool:info", "10m"), expr("hybrid_ai_infra:pool_allocatable", "10m")],
  },
  {
    name: "label: pods' workload label key",
    tests: ["capacity"],
    edit: ["label_hybrid_ai_infra_io_workload", "label_app_kubernetes_io_name"],
    fails: [
      expr("hybrid_ai_infra:pod_workload:info", "10m"),
      expr("hybrid_ai_infra:workload_requested", "10m"),
    ],
  },
  {
    name: "label: DCGM's pod as exported_pod (a scrape that keeps target labels)",
    tests: ["capacity"],
    edit: ['namespace!="", pod!=""', 'exported_namespace!="", exported_pod!=""'],
    fails: [expr("hybrid_ai_infra:gpu_utilisation:by_gpu", "10m")],
  },
  {
    name: "label: kube-state-metrics' GPU resource unsanitised",
    tests: ["capacity"],
    edit: ["cpu|memory|nvidia_com_gpu", "cpu|memory|nvidia.com/gpu"],
    fails: [
      expr("hybrid_ai_infra:pool_allocatable", "10m"),
      expr("hybrid_ai_infra:workload_requested", "10m"),
    ],
  },
  {
    name: "label: the CloudWatch exporter's job-name label",
    tests: ["alerts-vpn"],
    edit: ['"name", "(.+)"', '"job_name", "(.+)"'],
    fails: [expr("hybrid_ai_infra:vpn_tunnel_up", "5m"), alert("HybridVpnTunnelDown", "15m")],
  },
  {
    name: "label: Azure exporter's dimension label",
    tests: ["aks"],
    aksEdit: ['"dimension", "(.+)"', '"dimensionBgpPeerAddress", "(.+)"'],
    fails: [expr("hybrid_ai_infra:vpn_tunnel_up", "5m"), alert("HybridVpnTunnelDown", "15m")],
  },
  {
    name: "label: Kueue's inadmissible status dropped",
    tests: ["alerts-queues"],
    edit: ['status=~"active|inadmissible"', 'status="active"'],
    fails: [
      expr("hybrid_ai_infra:queue_pending_workloads", "5m"),
      alert("HybridQueueWaitingPastTarget", "40m"),
    ],
  },
  {
    name: "label: backup CronJobs' label key",
    tests: ["backups-stale", "alerts-backups"],
    edit: ["label_hybrid_ai_infra_io_backup", "label_hybrid_ai_infra_io_backups"],
    fails: [expr("hybrid_ai_infra:backup_age_seconds", "10h"), alert("HybridBackupMissing", "15m")],
  },
  // ------------------------------------------------------------------- expressions
  {
    name: "expr: finished pods counted as requested",
    tests: ["capacity"],
    edit: ['phase=~"Pending|Running"', 'phase=~"Pending|Running|Succeeded"'],
    fails: [expr("hybrid_ai_infra:workload_requested", "10m"), expr("hybrid_ai_infra:pool_requested", "10m")],
  },
  {
    name: "expr: cAdvisor's container filter dropped (pod cgroups counted twice)",
    tests: ["capacity"],
    edit: ['{container!="", container!="POD", image!=""}', ""],
    fails: [expr("hybrid_ai_infra:workload_used", "10m"), expr("hybrid_ai_infra:pool_used", "10m")],
  },
];

const replaceAll = (text: string, [from, to]: [string, string]) => {
  const out = text.split(from).join(to);
  if (out === text) throw new Error(`the edit ${from} -> ${to} changes nothing`);
  return out;
};

/** promtool's verdict on the mutation's test files, run on the mutated rule files. */
async function runMutation(m: Mutation): Promise<{ ok: boolean; output: string }> {
  const dir = workspace({
    ...(m.eks ? { eks: m.eks } : {}),
    ...(m.edit ? { eksYaml: (yaml: string) => replaceAll(yaml, m.edit as [string, string]) } : {}),
  });
  if (m.aksEdit) {
    const path = join(dir, "aks.rules.yml");
    writeFileSync(path, replaceAll(readFileSync(path, "utf8"), m.aksEdit));
  }
  return promtool(["test", "rules", ...m.tests.map((f) => `${f}.test.yml`)], dir);
}

describe.skipIf(!run)("a broken threshold, fact or label", () => {
  it("leaves the unmutated rules passing the test files the mutations run", async () => {
    const files = [...new Set(MUTATIONS.flatMap((m) => m.tests))].sort();
    const result = await promtool(["test", "rules", ...files.map((f) => `${f}.test.yml`)], workspace());
    expect(result.ok, result.output).toBe(true);
    expect(result.output).not.toMatch(/FAILED/);
  });

  it("covers every threshold config can set", () => {
    const mutated = new Set(
      MUTATIONS.flatMap((m) =>
        m.eks
          ? Object.keys(t).filter((k) => m.eks?.thresholds[k as keyof typeof t] !== t[k as keyof typeof t])
          : [],
      ),
    );
    expect([...mutated].sort()).toEqual(Object.keys(t).sort());
  });

  it("fails the case that guards it, every one of them", async () => {
    const results: { m: Mutation; ok: boolean; output: string }[] = [];
    const queue = [...MUTATIONS];
    const worker = async () => {
      for (let m = queue.shift(); m; m = queue.shift()) results.push({ m, ...(await runMutation(m)) });
    };
    await Promise.all([worker(), worker()]);
    expect(results).toHaveLength(MUTATIONS.length);
    for (const { m, ok, output } of results) {
      expect(ok, `${m.name} survived:\n${output}`).toBe(false);
      for (const failure of m.fails) expect(output, `${m.name}: ${failure}`).toContain(failure);
    }
  });
});
