// A rule test that cannot fail proves nothing: break one threshold, fact or label name at a time
// (in the generator's input, or in the rendered rule file as a typo in the code would) and some
// promtool test must fail. Each mutation runs only the test files it concerns, two at a time.
import { describe, expect, it } from "vitest";
import type { SiteMetrics } from "../../components/monitoring";
import { labSupport } from "../helpers/lab";
import { AKS, EKS } from "./monitoring/fixtures";
import { promtool, workspace } from "./monitoring/promtool";

const { run } = labSupport("monitoring rule mutations (promtool)", {
  commands: ["promtool"],
  install: "apt-get install -y prometheus",
});

interface Mutation {
  name: string;
  tests: string[];
  eks?: SiteMetrics;
  aks?: SiteMetrics;
  /** An edit of the rendered eks rule file (s/from/to/g); it must change something. */
  edit?: [from: string, to: string];
  /** The same for the aks rule file. */
  aksEdit?: [from: string, to: string];
}

const t = EKS.thresholds;
const MUTATIONS: Mutation[] = [
  {
    name: "threshold: GPU idle below 1% instead of 5%",
    tests: ["long-horizon"],
    eks: { ...EKS, thresholds: { ...t, gpuIdleBelowPercent: 1 } },
  },
  {
    name: "threshold: pool full for 30m instead of 15m",
    tests: ["alerts-pools"],
    eks: { ...EKS, thresholds: { ...t, poolFullPendingFor: "30m" } },
  },
  {
    name: "threshold: backup grace 2x instead of 1.5x",
    tests: ["long-horizon", "alerts-backups"],
    eks: { ...EKS, thresholds: { ...t, backupGraceFactor: 2 } },
  },
  {
    name: "threshold: VPN down for 20m instead of 10m",
    tests: ["alerts-vpn"],
    eks: { ...EKS, thresholds: { ...t, vpnDownFor: "20m" } },
  },
  {
    name: "threshold: queue gpu-spot's target 1h instead of 30m",
    tests: ["alerts-queues"],
    eks: { ...EKS, thresholds: { ...t, queueWaitTargets: { "gpu-spot": "1h" } } },
  },
  {
    name: "fact: pool gpu's maxNodes 7 instead of 6",
    tests: ["alerts-pools", "capacity"],
    eks: { ...EKS, pools: EKS.pools.map((p) => (p.name === "gpu" ? { ...p, maxNodes: 7 } : p)) },
  },
  {
    name: "label: nodes' pool label key",
    tests: ["capacity"],
    edit: ["label_hybrid_ai_infra_io_pool", "label_hybrid_ai_infra_io_nodepool"],
  },
  {
    name: "label: pods' workload label key",
    tests: ["capacity"],
    edit: ["label_hybrid_ai_infra_io_workload", "label_app_kubernetes_io_name"],
  },
  {
    name: "label: DCGM's pod as exported_pod (a scrape that keeps target labels)",
    tests: ["capacity"],
    edit: ['namespace!="", pod!=""', 'exported_namespace!="", exported_pod!=""'],
  },
  {
    name: "label: kube-state-metrics' GPU resource unsanitised",
    tests: ["capacity"],
    edit: ["cpu|memory|nvidia_com_gpu", "cpu|memory|nvidia.com/gpu"],
  },
  {
    name: "label: the CloudWatch exporter's job-name label",
    tests: ["alerts-vpn"],
    edit: ['"name", "(.+)"', '"job_name", "(.+)"'],
  },
  {
    name: "label: Azure exporter's dimension label",
    tests: ["aks"],
    aksEdit: ['"dimension", "(.+)"', '"dimensionBgpPeerAddress", "(.+)"'],
  },
  {
    name: "label: Kueue's inadmissible status dropped",
    tests: ["alerts-queues"],
    edit: ['status=~"active|inadmissible"', 'status="active"'],
  },
  {
    name: "label: backup CronJobs' label key",
    tests: ["long-horizon", "alerts-backups"],
    edit: ["label_hybrid_ai_infra_io_backup", "label_hybrid_ai_infra_io_backups"],
  },
  {
    name: "expr: finished pods counted as requested",
    tests: ["capacity"],
    edit: ['phase=~"Pending|Running"', 'phase=~"Pending|Running|Succeeded"'],
  },
  {
    name: "expr: cAdvisor's container filter dropped (pod cgroups counted twice)",
    tests: ["capacity"],
    edit: ['{container!="", container!="POD", image!=""}', ""],
  },
];

const replaceAll = (text: string, [from, to]: [string, string]) => {
  const out = text.split(from).join(to);
  if (out === text) throw new Error(`the edit ${from} -> ${to} changes nothing`);
  return out;
};

/** Runs one mutation; returns the name of what caught it, or undefined when every test still passed. */
async function survives(m: Mutation): Promise<{ caught: boolean; output: string }> {
  const dir = workspace({
    ...(m.eks ? { eks: m.eks } : {}),
    ...(m.aks ? { aks: m.aks } : m.aksEdit ? { aks: AKS } : {}),
    ...(m.edit ? { eksYaml: (yaml: string) => replaceAll(yaml, m.edit as [string, string]) } : {}),
  });
  if (m.aksEdit) {
    const { readFileSync, writeFileSync } = await import("node:fs");
    const path = `${dir}/aks.rules.yml`;
    writeFileSync(path, replaceAll(readFileSync(path, "utf8"), m.aksEdit));
  }
  const check = await promtool(["check", "rules", "eks.rules.yml", "aks.rules.yml"], dir);
  if (!check.ok) return { caught: true, output: check.output };
  const result = await promtool(["test", "rules", ...m.tests.map((f) => `${f}.test.yml`)], dir);
  return { caught: !result.ok, output: result.output };
}

describe.skipIf(!run)("a broken threshold, fact or label", () => {
  it("makes a rule test fail, every one of them", async () => {
    const results: { name: string; caught: boolean; output: string }[] = [];
    const queue = [...MUTATIONS];
    const worker = async () => {
      for (let m = queue.shift(); m; m = queue.shift())
        results.push({ name: m.name, ...(await survives(m)) });
    };
    await Promise.all([worker(), worker()]);
    expect(results).toHaveLength(MUTATIONS.length);
    for (const r of results) {
      expect(r.caught, `${r.name} survived:\n${r.output}`).toBe(true);
      expect(r.output, r.name).toMatch(/FAILED/);
    }
  });
});
