// A rule test that cannot fail proves nothing. Each mutation breaks one threshold, fact, label name
// or expression (in the generator's input, or in the rendered rule file as a typo in the code
// would) and names the promtool cases that must fail, and no others: an alert case by its test
// group, alert and time, a recorded series by its query and time. A mutation caught by some
// unrelated breakage, or by a rule file that no longer loads, therefore fails this suite.
// Generator mutations keep the unmutated alerts' labels and annotations, so each is caught by what
// its rules do (an expression, a `for`, a recorded fact), never merely by the text that quotes it.
// Loosened thresholds are caught where the alert must fire; tightened ones where it must not yet.
// The unmutated rules pass the same test files first: otherwise every mutation would look caught.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  durationSeconds,
  isAlert,
  promDuration,
  type RuleFile,
  ruleFileYaml,
  type SiteMetrics,
  siteRules,
} from "../../components/monitoring";
import { labSupport } from "../helpers/lab";
import { EKS } from "./monitoring/fixtures";
import { promtool, workspace } from "./monitoring/promtool";

const { run } = labSupport("monitoring rule mutations (promtool)", {
  commands: ["promtool"],
  install: "apt-get install -y prometheus",
});

/** A promtool test case, as the mutation names it. */
type CaseRef = { group: string; alert: string; at: string } | { expr: string; at: string };

interface Mutation {
  name: string;
  /** The unit test files (test/lab/monitoring/<name>.test.yml) that guard it. */
  tests: string[];
  /** Every case promtool must fail: `group` is a fragment of the test group's name. */
  fails: CaseRef[];
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
const alert = (group: string, name: string, at: string): CaseRef => ({ group, alert: name, at });
const expr = (query: string, at: string): CaseRef => ({ expr: query, at });

// Fragments of the test groups' names, one per group the mutations fail.
const GPU_IDLE = "every GPU stays under 5%";
const POOL_FULL = "unschedulable placed pod fires after 15m";
const BACKUP_OLD = "last success is older than 36h";
const BACKUP_NEVER = "never succeeded";
const BACKUP_EXISTS = "labelled CronJob exists is not missing";
const BACKUP_ABSENT = "no labelled CronJob fires";
const TUNNEL_DOWN = "one tunnel down warns after 10m";
const LINK_DOWN = "a link whose tunnels are all down";
const AKS_PEER = "a BGP peer at 0 for 10m";
const AKS_ROUTER = "one BGP address down";
const QUEUE_WAIT = "fires after its own target";
const QUEUE_ADMITTING = "keeps admitting";
const QUEUE_SLOW = "90th percentile wait";
const KSM_MISSING = "kube-state-metrics not scraped";
const DCGM_MISSING = "without a scraped DCGM exporter";

const METRICS_MISSING = ["alerts-collectors", "alerts-queues", "alerts-backups"];
const SITE_SERIES = '{__name__=~"hybrid_ai_infra:site_(placed_capacity|requested|used)"}';

const MUTATIONS: Mutation[] = [
  // ------------------------------------------------------------------- thresholds from config
  {
    name: "threshold: GPU idle below 1% instead of 5% (a GPU at 4% is busy)",
    tests: ["gpu-idle"],
    eks: withThresholds({ gpuIdleBelowPercent: 1 }),
    fails: [alert(GPU_IDLE, "HybridGpuIdle", "4h15m")],
  },
  {
    name: "threshold: GPU idle below 60% instead of 5% (a GPU at 50% counts as idle)",
    tests: ["gpu-idle"],
    eks: withThresholds({ gpuIdleBelowPercent: 60 }),
    fails: [alert(GPU_IDLE, "HybridGpuIdle", "4h15m")],
  },
  {
    name: "threshold: GPUs idle for 8h instead of 4h",
    tests: ["gpu-idle"],
    eks: withThresholds({ gpuIdleFor: "8h" }),
    fails: [alert(GPU_IDLE, "HybridGpuIdle", "4h15m")],
  },
  {
    name: "threshold: GPUs idle for 2h instead of 4h (fires before its time)",
    tests: ["gpu-idle"],
    eks: withThresholds({ gpuIdleFor: "2h" }),
    fails: [alert(GPU_IDLE, "HybridGpuIdle", "3h45m")],
  },
  {
    name: "threshold: pool full for 30m instead of 15m",
    tests: ["alerts-pools"],
    eks: withThresholds({ poolFullPendingFor: "30m" }),
    fails: [alert(POOL_FULL, "HybridPoolAtMaxNodesWithPendingPods", "20m")],
  },
  {
    name: "threshold: pool full for 5m instead of 15m (fires before its time)",
    tests: ["alerts-pools"],
    eks: withThresholds({ poolFullPendingFor: "5m" }),
    fails: [alert(POOL_FULL, "HybridPoolAtMaxNodesWithPendingPods", "10m")],
  },
  {
    name: "threshold: backup grace 2x instead of 1.5x",
    tests: ["backups-stale", "alerts-backups"],
    eks: withThresholds({ backupGraceFactor: 2 }),
    fails: [
      alert(BACKUP_OLD, "HybridBackupStale", "37h"),
      alert(BACKUP_NEVER, "HybridBackupStale", "37h"),
      expr("hybrid_ai_infra:backup_max_age_seconds", "5m"),
    ],
  },
  {
    name: "threshold: backup grace 1x instead of 1.5x (stale before its time)",
    tests: ["backups-stale", "alerts-backups"],
    eks: withThresholds({ backupGraceFactor: 1 }),
    fails: [
      alert(BACKUP_OLD, "HybridBackupStale", "35h"),
      alert(BACKUP_NEVER, "HybridBackupStale", "35h"),
      expr("hybrid_ai_infra:backup_max_age_seconds", "5m"),
    ],
  },
  {
    name: "threshold: VPN down for 20m instead of 10m",
    tests: ["alerts-vpn"],
    eks: withThresholds({ vpnDownFor: "20m" }),
    fails: [alert(TUNNEL_DOWN, "HybridVpnTunnelDown", "15m"), alert(LINK_DOWN, "HybridVpnLinkDown", "15m")],
  },
  {
    name: "threshold: VPN down for 5m instead of 10m (fires before its time)",
    tests: ["alerts-vpn"],
    eks: withThresholds({ vpnDownFor: "5m" }),
    fails: [alert(TUNNEL_DOWN, "HybridVpnTunnelDown", "5m"), alert(LINK_DOWN, "HybridVpnLinkDown", "5m")],
  },
  {
    name: "threshold: queue gpu-spot's own target 1h instead of 30m",
    tests: ["alerts-queues"],
    eks: withThresholds({ queueWaitTargets: { "gpu-spot": "1h" } }),
    fails: [
      alert(QUEUE_WAIT, "HybridQueueWaitingPastTarget", "40m"),
      expr("hybrid_ai_infra:queue_wait_target_seconds", "5m"),
    ],
  },
  {
    name: "threshold: queue gpu-spot's own target 20m instead of 30m (fires before its time)",
    tests: ["alerts-queues"],
    eks: withThresholds({ queueWaitTargets: { "gpu-spot": "20m" } }),
    fails: [
      alert(QUEUE_WAIT, "HybridQueueWaitingPastTarget", "25m"),
      expr("hybrid_ai_infra:queue_wait_target_seconds", "5m"),
    ],
  },
  {
    name: "threshold: the default queue target (queue gpu's) 4h instead of 2h",
    tests: ["alerts-queues"],
    eks: withThresholds({ queueWaitTarget: "4h" }),
    fails: [
      alert(QUEUE_WAIT, "HybridQueueWaitingPastTarget", "2h10m"),
      expr("hybrid_ai_infra:queue_wait_target_seconds", "5m"),
    ],
  },
  {
    name: "threshold: the default queue target (queue gpu's) 1h instead of 2h (slow admissions fire)",
    tests: ["alerts-queues"],
    eks: withThresholds({ queueWaitTarget: "1h" }),
    fails: [
      alert(QUEUE_SLOW, "HybridQueueAdmissionSlow", "80m"),
      expr("hybrid_ai_infra:queue_wait_target_seconds", "5m"),
    ],
  },
  {
    name: "threshold: metrics missing for 30m instead of 10m (every collector's alert)",
    tests: METRICS_MISSING,
    eks: withThresholds({ metricsMissingFor: "30m" }),
    fails: [
      alert(KSM_MISSING, "HybridKubeStateMetricsMissing", "20m"),
      alert(DCGM_MISSING, "HybridGpuMetricsMissing", "15m"),
      alert(QUEUE_ADMITTING, "HybridKueueMetricsMissing", "20m"),
      alert(BACKUP_ABSENT, "HybridBackupMissing", "15m"),
    ],
  },
  {
    name: "threshold: metrics missing for 2m instead of 10m (fires before its time)",
    tests: METRICS_MISSING,
    eks: withThresholds({ metricsMissingFor: "2m" }),
    fails: [
      alert(KSM_MISSING, "HybridKubeStateMetricsMissing", "10m"),
      alert(DCGM_MISSING, "HybridGpuMetricsMissing", "5m"),
      alert(QUEUE_ADMITTING, "HybridKueueMetricsMissing", "15m"),
      alert(BACKUP_ABSENT, "HybridBackupMissing", "5m"),
    ],
  },
  // ------------------------------------------------------------------- facts from placement
  {
    name: "fact: pool gpu's maxNodes 7 instead of 6",
    tests: ["alerts-pools", "capacity"],
    eks: { ...EKS, pools: EKS.pools.map((p) => (p.name === "gpu" ? { ...p, maxNodes: 7 } : p)) },
    fails: [
      alert(POOL_FULL, "HybridPoolAtMaxNodesWithPendingPods", "20m"),
      expr('{__name__=~"hybrid_ai_infra:pool_nodes_(max|min|placed)", pool="gpu"}', "10m"),
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
    // Pods carry the pool label too: every record built on either info series goes.
    fails: [
      "hybrid_ai_infra:node_pool:info",
      "hybrid_ai_infra:pod_workload:info",
      "hybrid_ai_infra:pool_nodes:count",
      "hybrid_ai_infra:pool_allocatable",
      "hybrid_ai_infra:workload_requested",
      "hybrid_ai_infra:pool_requested",
      "hybrid_ai_infra:workload_used",
      "hybrid_ai_infra:gpu_utilisation:by_gpu",
      "hybrid_ai_infra:workload_gpu_utilisation:avg",
      "hybrid_ai_infra:pool_used",
      "hybrid_ai_infra:pool_gpu_utilisation:avg",
      "hybrid_ai_infra:workload_replicas",
      'hybrid_ai_infra:workload_used_per_replica{resource="cpu"}',
      SITE_SERIES,
    ]
      .map((q) => expr(q, "10m"))
      .concat(expr("hybrid_ai_infra:pool_unschedulable_pods", "5m")),
  },
  {
    name: "label: pods' workload label key",
    tests: ["capacity"],
    edit: ["label_hybrid_ai_infra_io_workload", "label_app_kubernetes_io_name"],
    fails: [
      "hybrid_ai_infra:pod_workload:info",
      "hybrid_ai_infra:workload_requested",
      "hybrid_ai_infra:workload_used",
      "hybrid_ai_infra:gpu_utilisation:by_gpu",
      "hybrid_ai_infra:workload_gpu_utilisation:avg",
      "hybrid_ai_infra:workload_replicas",
      'hybrid_ai_infra:workload_used_per_replica{resource="cpu"}',
    ]
      .map((q) => expr(q, "10m"))
      .concat(expr("hybrid_ai_infra:pool_unschedulable_pods", "5m")),
  },
  {
    name: "label: DCGM's pod as exported_pod (a scrape that keeps target labels)",
    tests: ["capacity"],
    edit: ['namespace!="", pod!=""', 'exported_namespace!="", exported_pod!=""'],
    fails: [
      expr("hybrid_ai_infra:workload_used", "10m"),
      expr("hybrid_ai_infra:gpu_utilisation:by_gpu", "10m"),
      expr("hybrid_ai_infra:workload_gpu_utilisation:avg", "10m"),
    ],
  },
  {
    name: "label: kube-state-metrics' GPU resource unsanitised",
    tests: ["capacity"],
    edit: ["cpu|memory|nvidia_com_gpu", "cpu|memory|nvidia.com/gpu"],
    fails: [
      expr("hybrid_ai_infra:pool_allocatable", "10m"),
      expr("hybrid_ai_infra:workload_requested", "10m"),
      expr("hybrid_ai_infra:pool_requested", "10m"),
      expr(SITE_SERIES, "10m"),
    ],
  },
  {
    name: "label: the CloudWatch exporter's job-name label",
    tests: ["alerts-vpn"],
    edit: ['"name", "(.+)"', '"job_name", "(.+)"'],
    fails: [
      expr("hybrid_ai_infra:vpn_tunnel_up", "5m"),
      alert(TUNNEL_DOWN, "HybridVpnTunnelDown", "15m"),
      alert(TUNNEL_DOWN, "HybridVpnLinkDown", "15m"),
      alert(LINK_DOWN, "HybridVpnLinkDown", "15m"),
    ],
  },
  {
    name: "label: Azure exporter's dimension label",
    tests: ["aks"],
    aksEdit: ['"dimension", "(.+)"', '"dimensionBgpPeerAddress", "(.+)"'],
    fails: [
      expr("hybrid_ai_infra:vpn_tunnel_up", "5m"),
      alert(AKS_PEER, "HybridVpnTunnelDown", "15m"),
      alert(AKS_PEER, "HybridVpnLinkDown", "15m"),
      alert(AKS_ROUTER, "HybridVpnLinkDown", "15m"),
    ],
  },
  {
    name: "label: Kueue's inadmissible status dropped",
    tests: ["alerts-queues"],
    edit: ['status=~"active|inadmissible"', 'status="active"'],
    fails: [
      expr("hybrid_ai_infra:queue_pending_workloads", "5m"),
      alert(QUEUE_WAIT, "HybridQueueWaitingPastTarget", "40m"),
      alert(QUEUE_WAIT, "HybridQueueWaitingPastTarget", "2h10m"),
    ],
  },
  {
    name: "label: backup CronJobs' label key",
    tests: ["backups-stale", "alerts-backups"],
    edit: ["label_hybrid_ai_infra_io_backup", "label_hybrid_ai_infra_io_backups"],
    fails: [
      expr("hybrid_ai_infra:backup_age_seconds", "10h"),
      expr("hybrid_ai_infra:backup_age_seconds", "37h"),
      alert(BACKUP_OLD, "HybridBackupStale", "37h"),
      alert(BACKUP_NEVER, "HybridBackupStale", "37h"),
      alert(BACKUP_EXISTS, "HybridBackupMissing", "15m"),
    ],
  },
  // ------------------------------------------------------------------- expressions
  {
    name: "expr: finished pods counted as requested",
    tests: ["capacity"],
    edit: ['phase=~"Pending|Running"', 'phase=~"Pending|Running|Succeeded"'],
    fails: [
      expr("hybrid_ai_infra:workload_requested", "10m"),
      expr("hybrid_ai_infra:pool_requested", "10m"),
      expr(SITE_SERIES, "10m"),
    ],
  },
  {
    name: "expr: cAdvisor's container filter dropped (pod cgroups counted twice)",
    tests: ["capacity"],
    edit: ['{container!="", container!="POD", image!=""}', ""],
    fails: [
      expr("hybrid_ai_infra:workload_used", "10m"),
      expr("hybrid_ai_infra:pool_used", "10m"),
      expr('hybrid_ai_infra:workload_used_per_replica{resource="cpu"}', "10m"),
      expr(SITE_SERIES, "10m"),
    ],
  },
];

const replaceAll = (text: string, [from, to]: [string, string]) => {
  const out = text.split(from).join(to);
  if (out === text) throw new Error(`the edit ${from} -> ${to} changes nothing`);
  return out;
};

/** The mutated rules with the unmutated alerts' labels and annotations (rule by rule: one alert per queue shares a name). */
function withTextOf(mutated: RuleFile, original: RuleFile): RuleFile {
  return {
    groups: mutated.groups.map((g) => {
      const was = original.groups.find((o) => o.name === g.name)?.rules ?? [];
      return {
        ...g,
        rules: g.rules.map((r, i) => {
          const o = was[i];
          if (!isAlert(r)) return r;
          if (!o || !isAlert(o) || o.alert !== r.alert)
            throw new Error(`${g.name}[${i}] is not ${r.alert} unmutated`);
          return { ...r, labels: o.labels, annotations: o.annotations };
        }),
      };
    }),
  };
}

/** promtool prints eval times as Go's model.Duration: largest unit first, "0s" for zero. */
const goDuration = (text: string) =>
  /^0[smhdw]?$/.test(text) ? "0s" : promDuration(durationSeconds(text) ?? Number.NaN);

interface TestFile {
  tests: {
    name: string;
    alert_rule_test?: { eval_time: string; alertname: string }[];
    promql_expr_test?: { expr: string; eval_time: string }[];
  }[];
}

const parsed = new Map<string, string[]>();

/** Every case of the named test files, keyed as promtool reports a failure of it. */
function casesOf(files: string[]): string[] {
  return files.flatMap((f) => {
    const known = parsed.get(f);
    if (known) return known;
    const { tests } = parse(readFileSync(join(__dirname, "monitoring", `${f}.test.yml`), "utf8")) as TestFile;
    const cases = tests.flatMap((g) => [
      ...(g.alert_rule_test ?? []).map((c) => `${g.name} | ${c.alertname} @ ${goDuration(c.eval_time)}`),
      ...(g.promql_expr_test ?? []).map((c) => `${c.expr} @ ${goDuration(c.eval_time)}`),
    ]);
    parsed.set(f, cases);
    return cases;
  });
}

/** The key of the one case a reference names in the mutation's files; throws unless exactly one. */
function resolve(ref: CaseRef, cases: string[]): string {
  const at = ` @ ${goDuration(ref.at)}`;
  const found =
    "group" in ref
      ? cases.filter((c) => c.endsWith(` | ${ref.alert}${at}`) && c.split(" | ")[0]?.includes(ref.group))
      : cases.filter((c) => c === `${ref.expr}${at}`);
  if (found.length !== 1) throw new Error(`${JSON.stringify(ref)} names ${found.length} cases, not one`);
  return found[0] as string;
}

/** The cases promtool reports failed, keyed as casesOf keys them. */
function failedCases(output: string): string[] {
  const alerts = [...output.matchAll(/name: (.*),\n\s+alertname: (\S+), time: (\S+?),/g)].map(
    ([, group, name, at]) => `${group} | ${name} @ ${at}`,
  );
  const exprs = [...output.matchAll(/^\s+expr: ("(?:[^"\\]|\\.)*"), time: (\S+?),/gm)].map(
    ([, query, at]) => `${JSON.parse(query as string)} @ ${at}`,
  );
  return [...alerts, ...exprs].sort();
}

/** promtool's verdict on the mutation's test files, run on the mutated rule files. */
async function runMutation(m: Mutation): Promise<{ ok: boolean; output: string }> {
  const { eks, edit } = m;
  const dir = workspace(
    eks
      ? { eksYaml: () => ruleFileYaml(withTextOf(siteRules(eks), siteRules(EKS))) }
      : edit
        ? { eksYaml: (yaml: string) => replaceAll(yaml, edit) }
        : {},
  );
  if (m.aksEdit) {
    const path = join(dir, "aks.rules.yml");
    writeFileSync(path, replaceAll(readFileSync(path, "utf8"), m.aksEdit));
  }
  return promtool(["test", "rules", ...m.tests.map((f) => `${f}.test.yml`)], dir);
}

describe("the mutations' expected failures", () => {
  it("each name exactly one case of the mutation's test files", () => {
    for (const m of MUTATIONS) {
      const cases = casesOf(m.tests);
      const keys = m.fails.map((f) => resolve(f, cases));
      expect(new Set(keys).size, m.name).toBe(keys.length);
      expect(keys.length, m.name).toBeGreaterThan(0);
    }
  });

  it("cover every threshold config can set", () => {
    const changed = (m: Mutation) =>
      Object.keys(t).filter((k) => m.eks && m.eks.thresholds[k as keyof typeof t] !== t[k as keyof typeof t]);
    expect([...new Set(MUTATIONS.flatMap(changed))].sort()).toEqual(Object.keys(t).sort());
  });

  it("read promtool's failure report as the cases' keys", () => {
    const report = [
      "  FAILED:",
      "    name: a pool at maxNodes,",
      "    alertname: HybridPoolAtMaxNodesWithPendingPods, time: 1d13h, ",
      "        exp:[], ",
      "  FAILED:",
      '    expr: "hybrid_ai_infra:pool_max_capacity{resource=\\"nvidia_com_gpu\\"}", time: 10m,',
      "        exp: 1",
    ].join("\n");
    expect(failedCases(report)).toEqual([
      "a pool at maxNodes | HybridPoolAtMaxNodesWithPendingPods @ 1d13h",
      'hybrid_ai_infra:pool_max_capacity{resource="nvidia_com_gpu"} @ 10m',
    ]);
    expect(goDuration("37h")).toBe("1d13h");
    expect(goDuration("0")).toBe("0s");
  });
});

describe.skipIf(!run)("a broken threshold, fact, label or expression under promtool", () => {
  it("leaves the unmutated rules passing the test files the mutations run", async () => {
    const files = [...new Set(MUTATIONS.flatMap((m) => m.tests))].sort();
    const result = await promtool(["test", "rules", ...files.map((f) => `${f}.test.yml`)], workspace());
    expect(result.ok, result.output).toBe(true);
    expect(failedCases(result.output)).toEqual([]);
    expect(result.output.match(/SUCCESS/g)?.length).toBe(files.length);
  });

  it("fails exactly the cases each mutation names", async () => {
    const results: { m: Mutation; ok: boolean; output: string }[] = [];
    const queue = [...MUTATIONS];
    const worker = async () => {
      for (let m = queue.shift(); m; m = queue.shift()) results.push({ m, ...(await runMutation(m)) });
    };
    await Promise.all([worker(), worker()]);
    expect(results).toHaveLength(MUTATIONS.length);
    const wrong = results
      .map(({ m, ok, output }) => {
        const expected = m.fails.map((f) => resolve(f, casesOf(m.tests))).sort();
        const failed = failedCases(output);
        return { name: m.name, ok, expected, failed, output };
      })
      .filter((r) => r.ok || JSON.stringify(r.failed) !== JSON.stringify(r.expected));
    expect(
      wrong.map(({ name, ok, expected, failed }) => ({ name, survived: ok, expected, failed })),
      wrong.map((w) => `${w.name}\n${w.output}`).join("\n\n"),
    ).toEqual([]);
  });
});
