// Queues from placement: quotas that are placement's budget (a property over random placements),
// MultiKueue bursting wired end to end, the await semantics of queued Jobs, and bad catalog values.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { KUEUE_LABELS, KUEUE_RESOURCES } from "../../components/facts";
import {
  ConfigError,
  JOB_WAIT_FOR,
  parseCatalog,
  renderPlacement,
  type WorkloadSpec,
} from "../../components/kubernetes";
import { renderQueues } from "../../components/kubernetes/internal";
import { multiKueueKubeconfig } from "../../components/kubernetes/queues/credentials";
import { type PlacementResult, place, type Target } from "../../components/placement";
import { inputArb } from "../placement/arbitraries";

const asSpec = (w: Omit<WorkloadSpec, "image" | "owner">): WorkloadSpec => ({
  ...w,
  image: "registry.example/app:1.0.0",
  owner: "team",
});
const amount = (resource: string, q: string) =>
  resource === "cpu"
    ? q.endsWith("m")
      ? Number(q.slice(0, -1))
      : Number(q) * 1000
    : resource === "memory"
      ? q.endsWith("Gi")
        ? Number(q.slice(0, -2)) * 1024
        : Number(q.slice(0, -2))
      : Number(q);

describe("quotas from placement (property)", () => {
  it("per flavor, at least what placement put of the queued Jobs there, never above the pool at maxNodes", async () => {
    await fc.assert(
      fc.asyncProperty(inputArb({ targets: [1, 3], workloads: [1, 6] }), async (input) => {
        const result = await place({ ...input, options: { solver: "heuristic" } });
        const workloads = input.workloads.map((w) => asSpec({ ...w, namespace: `ns-${w.name}` }));
        const plan = renderQueues({ result, workloads, targets: input.targets });
        for (const t of input.targets) {
          const queues = (plan.objects[t.name] ?? []).filter((o) => o.kind === "ClusterQueue");
          for (const p of t.pools) {
            const quota = Object.fromEntries(KUEUE_RESOURCES.map((r) => [r, 0]));
            for (const q of queues)
              for (const f of (q.spec as any).resourceGroups[0].flavors)
                if (f.name === p.name)
                  for (const r of f.resources)
                    quota[r.name] = (quota[r.name] ?? 0) + amount(r.name, r.nominalQuota);
            const placed = Object.fromEntries(KUEUE_RESOURCES.map((r) => [r, 0]));
            for (const a of result.assignments.filter((x) => x.target === t.name && x.pool === p.name)) {
              const w = input.workloads.find((x) => x.name === a.workload);
              if (!w || (w.kind !== "batch" && w.kind !== "training")) continue;
              placed.cpu = (placed.cpu ?? 0) + Math.ceil(w.cpu * 1000) * a.replicas;
              placed.memory = (placed.memory ?? 0) + Math.ceil(w.memoryGiB * 1024) * a.replicas;
              placed["nvidia.com/gpu"] = (placed["nvidia.com/gpu"] ?? 0) + (w.gpu?.count ?? 0) * a.replicas;
            }
            const capacity = {
              cpu: p.node.cpu * 1000 * p.maxNodes,
              memory: p.node.memoryGiB * 1024 * p.maxNodes,
              "nvidia.com/gpu": (p.node.gpu?.count ?? 0) * p.maxNodes,
            } as Record<string, number>;
            for (const r of KUEUE_RESOURCES) {
              expect(quota[r], `${t.name}/${p.name} ${r}`).toBeGreaterThanOrEqual(placed[r] ?? 0);
              expect(quota[r], `${t.name}/${p.name} ${r}`).toBeLessThanOrEqual(capacity[r] ?? 0);
            }
          }
        }
      }),
      { numRuns: 40, seed: 20 },
    );
  });
});

// A private site with one A100 node and a cloud with room: the burstable shards that do not fit
// on-premises go through dc1's burst queue to eks.
const pool = (name: string, gpus: number, nodes: number) => ({
  name,
  node: { cpu: 32, memoryGiB: 256, gpu: { count: gpus, model: "A100" } },
  minNodes: 0,
  maxNodes: nodes,
  pricePerNodeHour: 4,
  labels: { "hybrid-ai-infra.io/pool": name },
  taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
});
const targets: Target[] = [
  {
    name: "dc1",
    cloud: "onprem",
    region: "r",
    jurisdiction: "EU",
    trust: "private",
    pools: [{ ...pool("a100", 4, 1), minNodes: 1, pricePerNodeHour: 1 }],
  },
  { name: "eks", cloud: "aws", region: "r", jurisdiction: "EU", trust: "public", pools: [pool("gpu", 4, 4)] },
];
const shards = asSpec({
  name: "shards",
  kind: "batch",
  replicas: 3,
  cpu: 4,
  memoryGiB: 16,
  gpu: { count: 2 },
  classification: "internal",
  burst: true,
  namespace: "research",
  priority: 20,
});
const secretTraining = asSpec({
  name: "secret",
  kind: "training",
  replicas: 1,
  cpu: 4,
  memoryGiB: 16,
  gpu: { count: 1 },
  classification: "confidential",
  namespace: "research",
});
const multiKueue = { manager: "dc1", workers: ["eks"] };

describe("bursting with MultiKueue", () => {
  let result: PlacementResult;
  it("dispatches the shards placement found no room for on the private site, through its burst queue", async () => {
    result = await place({ workloads: [shards, secretTraining], targets });
    expect(result.assignments.map((a) => `${a.workload}@${a.target}x${a.replicas}`).sort()).toEqual([
      "secret@dc1x1",
      "shards@dc1x1",
      "shards@eksx2",
    ]);
    const plan = renderQueues({ result, workloads: [shards, secretTraining], targets, multiKueue });
    expect(plan.bursts).toEqual([{ workload: "shards", allowed: ["eks"], refused: [], routed: ["eks"] }]);
    const sub = plan.submissions.find((s) => s.workload === "shards" && s.target === "eks");
    expect(sub).toMatchObject({ submitTo: "dc1", queue: "burst-eks", burstTo: "eks" });
    const dc1 = plan.objects.dc1 ?? [];
    const byKind = (kind: string, name: string) =>
      dc1.find((o) => o.kind === kind && o.metadata.name === name);
    expect(byKind("MultiKueueCluster", "eks")?.spec).toEqual({
      clusterSource: { kubeConfig: { locationType: "Secret", location: "multikueue-eks" } },
    });
    expect(byKind("MultiKueueConfig", "burst-eks")?.spec).toEqual({ clusters: ["eks"] });
    expect(byKind("AdmissionCheck", "burst-eks")?.spec).toMatchObject({
      controllerName: "kueue.x-k8s.io/multikueue",
      parameters: { apiGroup: "kueue.x-k8s.io", kind: "MultiKueueConfig", name: "burst-eks" },
    });
    expect(byKind("ClusterQueue", "research-burst-eks")?.spec).toMatchObject({
      admissionChecksStrategy: { admissionChecks: [{ name: "burst-eks" }] },
    });
    // The worker has a LocalQueue of the manager's name, feeding the team's own queue there.
    const worker = plan.objects.eks ?? [];
    expect(worker.find((o) => o.kind === "LocalQueue" && o.metadata.name === "burst-eks")?.spec).toEqual({
      clusterQueue: "research",
    });
    expect(plan.credentials).toEqual([
      { worker: "eks", manager: "dc1", serviceAccount: "multikueue-dc1", secret: "multikueue-eks" },
    ]);
  });

  it("declares the burst Job on the manager, labelled for its burst queue, awaited until MultiKueue holds it", () => {
    const out = renderPlacement({
      result,
      workloads: [shards, secretTraining],
      targets,
      queues: { multiKueue },
    });
    const jobsOn = (t: string) =>
      (out.find((r) => r.target === t)?.objects ?? []).filter((o) => o.kind === "Job");
    expect(jobsOn("eks")).toEqual([]);
    const burst = jobsOn("dc1").find((j) => j.metadata.name === "shards-eks");
    expect(burst?.metadata.labels?.[KUEUE_LABELS.queueName]).toBe("burst-eks");
    expect(burst?.metadata.annotations?.["pulumi.com/waitFor"]).toBe(JOB_WAIT_FOR.dispatched);
    // Its pods are the ones eks runs: eks's pool, placed where placement put them.
    expect((burst as any).spec.template.spec.nodeSelector["hybrid-ai-infra.io/pool"]).toBe("gpu");
  });

  it("never bursts confidential data without a residency that admits the cloud, by the trust rule", () => {
    const confidential = asSpec({ ...shards, classification: "confidential" });
    const plan = renderQueues({ result, workloads: [confidential, secretTraining], targets, multiKueue });
    expect(plan.bursts[0]?.allowed).toEqual([]);
    expect(plan.bursts[0]?.refused[0]?.reason).toMatch(/confidential data runs on private targets/);
    expect(plan.submissions.every((s) => s.burstTo === undefined)).toBe(true);
  });

  it("builds the manager's kubeconfig from the worker's server and CA and a ServiceAccount token, never an exec plugin", () => {
    const eks = [
      "apiVersion: v1",
      "clusters:",
      "- name: eks",
      "  cluster:",
      "    server: https://ABC.gr7.eu-west-1.eks.amazonaws.com",
      "    certificate-authority-data: Q0E=",
      "users:",
      "- name: aws",
      "  user:",
      "    exec: {command: aws, args: [eks, get-token]}",
    ].join("\n");
    const config = parse(multiKueueKubeconfig("eks", eks, "tok")) as any;
    expect(config.clusters[0].cluster).toEqual({
      server: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
      "certificate-authority-data": "Q0E=",
    });
    expect(config.users[0].user).toEqual({ token: "tok" });
    expect(JSON.stringify(config)).not.toContain("exec");
    expect(() =>
      multiKueueKubeconfig(
        "eks",
        eks.replace("certificate-authority-data: Q0E=", "certificate-authority: /ca.pem"),
        "t",
      ),
    ).toThrow(/certificate-authority-data/);
  });
});

describe("what an update waits for on a Job", () => {
  const local = asSpec({
    name: "train",
    kind: "training",
    replicas: 1,
    cpu: 4,
    memoryGiB: 16,
    gpu: { count: 1 },
    classification: "restricted",
    priority: 100,
  });
  const result: PlacementResult = {
    assignments: [{ workload: "train", target: "dc1", pool: "a100", replicas: 1 }],
    unplaced: [],
    packing: [],
    cost: { computePerHour: 0, egressPerHour: 0, movePenalty: 0, total: 0 },
    explanations: {},
    lock: { version: 1, assignments: [] },
    solver: { method: "heuristic", optimal: false, work: 0, budget: 0 },
  };
  const jobOf = (queues: boolean) =>
    renderPlacement({
      result,
      workloads: [local],
      targets,
      ...(queues ? { queues: {} } : {}),
    })[0]?.objects.find((o) => o.kind === "Job") as any;

  it("queued: created once the Job controller holds it, or it started or finished; never skipAwait", () => {
    const job = jobOf(true);
    expect(job.metadata.annotations["pulumi.com/waitFor"]).toBe(JOB_WAIT_FOR.queued);
    expect(job.metadata.annotations["pulumi.com/skipAwait"]).toBeUndefined();
    expect(job.metadata.labels[KUEUE_LABELS.queueName]).toBe("default");
    expect(job.metadata.labels[KUEUE_LABELS.priorityClass]).toBe("priority-100");
    // Kueue owns suspend and managedBy: declaring them would fight its webhook and controller.
    expect(job.spec.suspend).toBeUndefined();
    expect(job.spec.managedBy).toBeUndefined();
    // A priority change is a label on the Job, never on its pods (a template change replaces the Job).
    expect(JSON.stringify(job.spec.template)).not.toContain("kueue.x-k8s.io");
  });

  it("unqueued: created once it has started (no Kueue on the cluster)", () => {
    expect(jobOf(false).metadata.annotations["pulumi.com/waitFor"]).toBe(JOB_WAIT_FOR.unqueued);
    expect(jobOf(false).metadata.labels[KUEUE_LABELS.queueName]).toBeUndefined();
  });

  it("parses as pulumi-kubernetes parses a waitFor: one expression in braces, an optional value after a single =", () => {
    for (const expr of Object.values(JOB_WAIT_FOR)) {
      const raw = expr.replace(/^jsonpath=/, "").replaceAll("==", "\u0000");
      expect(raw.split("=").length, expr).toBeLessThanOrEqual(2);
      expect(raw.split("=")[0]).toMatch(/^\{[^{}]+\}$/);
    }
  });
});

describe("bad catalog values", () => {
  const catalog = (workload: string, queues = "") => `${queues}
workloads:
  - name: job
    kind: batch
    owner: team
    image: registry.example/app:1.0.0
    replicas: 1
    cpu: 1
    memoryGiB: 1
${workload}`;
  const issues = (text: string) => {
    try {
      parseCatalog(text, "workloads.yaml");
    } catch (e) {
      if (e instanceof ConfigError) return e.issues;
      throw e;
    }
    return [];
  };

  it("refuses an unknown priority class by its path", () => {
    const found = issues(
      catalog(
        "    classification: internal\n    priority: urgent",
        "queues:\n  priorityClasses: [{ name: normal, value: 0 }]",
      ),
    );
    expect(found).toEqual([
      {
        path: "workloads[0].priority",
        message:
          '"urgent" is not a priority class of the catalog; name one of normal (queues.priorityClasses), or give a number',
      },
    ]);
  });

  it("resolves a named priority to its value and class", () => {
    const text = catalog(
      "    classification: internal\n    priority: normal",
      "queues:\n  priorityClasses: [{ name: normal, value: 7 }]",
    );
    expect(parseCatalog(text).workloads[0]).toMatchObject({ priority: 7, priorityClass: "normal" });
  });

  it("refuses burst on restricted data, and on a service, by their paths", () => {
    expect(issues(catalog("    classification: restricted\n    burst: true"))).toEqual([
      expect.objectContaining({
        path: "workloads[0].burst",
        message: expect.stringContaining("restricted data runs only on private targets"),
      }),
    ]);
    const service = catalog("    classification: internal\n    burst: true").replace(
      "kind: batch",
      "kind: service",
    );
    expect(issues(service)).toEqual([
      expect.objectContaining({
        path: "workloads[0].burst",
        message: expect.stringContaining("only batch and training Jobs"),
      }),
    ]);
  });

  it("refuses a preemption policy Kueue refuses", () => {
    const found = issues(
      catalog(
        "    classification: internal",
        "queues:\n  preemption: { reclaimWithinCohort: Never, borrowWithinCohort: { policy: LowerPriority } }",
      ),
    );
    expect(found.map((i) => i.path)).toEqual(["queues.preemption.borrowWithinCohort.policy"]);
  });
});
