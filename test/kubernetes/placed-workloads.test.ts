import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import {
  decidePlacement,
  PlacedWorkloads,
  type PlacementCluster,
  type WorkloadSpec,
} from "../../components/kubernetes";
import type { PlacementResult } from "../../components/placement";
import { ConfigError } from "../../components/validation";
import type { RecordedResource, Recorder } from "../../scripts/plan";
import { ofType, resolved, startMocks } from "../helpers/mocks";
import { targets, workloads } from "./fixtures";

let recorder: Recorder;
let clusters: PlacementCluster[];

beforeAll(async () => {
  recorder = await startMocks();
  clusters = targets.map((t) => ({
    placementTarget: t,
    kubernetesProvider: new Provider(`${t.name}-k8s`, { kubeconfig: pulumi.secret("apiVersion: v1") }),
    networks: [{ dc1: "10.10.0.0/16", eks: "10.20.0.0/16", aks: "10.30.0.0/16" }[t.name] ?? "10.99.0.0/16"],
  }));
});

/** Runs `fn`, then waits until the unhandled rejections it caused arrive, and returns them. */
async function rejectionsDuring(fn: () => Promise<void>, waitMs = 10_000): Promise<unknown[]> {
  const seen: unknown[] = [];
  const collect = (reason: unknown): void => {
    seen.push(reason);
  };
  // Vitest fails the run on any unhandled rejection; these are the expected ones, so its
  // listeners step aside while they arrive and come back after.
  const others = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", collect);
  try {
    await fn();
    const until = Date.now() + waitMs;
    while (seen.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    // Let the rest of the chain (each derived output) reject too.
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    process.off("unhandledRejection", collect);
    for (const listener of others) process.on("unhandledRejection", listener);
  }
  return seen;
}

/** Kubernetes objects the PlacedWorkloads components of these names declared, by resource name. */
const declaredBy = (components: string[]): string[] =>
  recorder.resources
    .filter((r) => r.type.startsWith("kubernetes:") && components.some((c) => r.name.startsWith(`${c}-`)))
    .map((r) => r.name);

const errorOf = async (fn: () => unknown): Promise<ConfigError> => {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected a ConfigError");
};

describe("PlacedWorkloads", () => {
  it("places the catalog and declares its objects on the chosen clusters through their providers", async () => {
    recorder.clear();
    const placed = new PlacedWorkloads("apps", { clusters, workloads });
    const result = await resolved(placed.result);
    await recorder.settle();
    expect(result.unplaced).toEqual([]);
    const finetune = result.assignments.filter((a) => a.workload === "finetune");
    expect(finetune.map((a) => a.target)).toEqual(["dc1"]);
    const jobs = ofType(recorder.resources, "kubernetes:batch/v1:Job");
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.provider).toMatch(/pulumi:providers:kubernetes::dc1-k8s::/);
    expect(jobs[0]?.parent).toMatch(/hybrid-ai-infra:index:PlacedWorkloads::apps$/);
    for (const r of recorder.resources.filter(
      (r) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:core/v1:Namespace",
    )) {
      expect(
        r.dependsOn.some((d) => d.includes("kubernetes:core/v1:Namespace")),
        r.urn,
      ).toBe(true);
    }
    expect(await resolved(placed.nodesPerPool)).toContainEqual({ target: "dc1", pool: "a100", nodes: 1 });
    expect((await resolved(placed.lock)).assignments).toEqual(result.lock.assignments);
  });

  it("lets a Deployment wait for its pool to scale up, and only then", async () => {
    recorder.clear();
    // web pinned to eks/general, which keeps no node running (minNodes 0), next to the rest.
    const catalog = workloads.map((w) => (w.name === "web" ? { ...w, pin: "eks/general" } : w));
    const placed = new PlacedWorkloads("timeouts", { clusters, workloads: catalog });
    const result = await resolved(placed.result);
    await recorder.settle();
    const minimum = new Map(
      targets.flatMap((t) => t.pools.map((p) => [`${t.name}/${p.name}`, p.minNodes ?? 0] as const)),
    );
    const growing = new Set(
      result.packing
        .filter((p) => p.nodes.length > (minimum.get(`${p.target}/${p.pool}`) ?? 0))
        .map((p) => `${p.target}/${p.pool}`),
    );
    const deployments = ofType(recorder.resources, "kubernetes:apps/v1:Deployment");
    expect(deployments.map((d) => d.name)).toEqual(["timeouts-eks-deployment-web-web"]);
    let waiting = 0;
    for (const d of deployments) {
      const annotations = (d.inputs.metadata as { annotations: Record<string, string> }).annotations;
      const where = `${annotations["placement.hybrid-ai-infra.io/target"]}/${annotations["placement.hybrid-ai-infra.io/pool"]}`;
      if (growing.has(where)) {
        waiting++;
        expect(d.customTimeouts, d.name).toEqual({ create: "30m", update: "30m" });
      } else expect(d.customTimeouts, d.name).toBeUndefined();
    }
    // The fixtures place at least one Deployment on a pool that starts below what it needs.
    expect(waiting).toBeGreaterThan(0);
  });

  it("declares exactly a decision it is given, without deciding again", async () => {
    recorder.clear();
    const decision = await decidePlacement("test", { workloads, targets });
    // Not what the engine would pick (web spread over both clusters): the component must follow it.
    const given: PlacementResult = {
      ...decision,
      assignments: [
        ...decision.assignments.filter((a) => a.workload !== "web"),
        { workload: "web", target: "eks", pool: "general", replicas: 3 },
      ],
    };
    new PlacedWorkloads("given", { clusters, workloads, decision: given });
    await recorder.settle();
    const deployments = ofType(recorder.resources, "kubernetes:apps/v1:Deployment");
    expect(
      deployments.map((d) => [
        d.provider?.includes("eks-k8s"),
        (d.inputs.spec as { replicas: number }).replicas,
      ]),
    ).toEqual([[true, 3]]);
  });

  it("starts no pod before its namespace's default-deny policy and quota exist", async () => {
    recorder.clear();
    new PlacedWorkloads("guarded", { clusters, workloads });
    await recorder.settle();
    const mine = recorder.resources.filter((r) => r.name.startsWith("guarded-"));
    // The object of that type on the same cluster (same provider) as `pod`, by the end of its name.
    const beside = (pod: RecordedResource, type: string, suffix: string) =>
      mine.find((r) => r.type === type && r.provider === pod.provider && r.name.endsWith(suffix))?.urn;
    const pods = mine.filter(
      (r) => r.type === "kubernetes:apps/v1:Deployment" || r.type === "kubernetes:batch/v1:Job",
    );
    expect(pods.map((p) => p.type).sort()).toEqual([
      "kubernetes:apps/v1:Deployment",
      "kubernetes:batch/v1:Job",
    ]);
    for (const pod of pods) {
      const namespace = (pod.inputs.metadata as { namespace: string }).namespace;
      const guards = [
        beside(pod, "kubernetes:core/v1:Namespace", `-namespace-${namespace}`),
        beside(pod, "kubernetes:networking.k8s.io/v1:NetworkPolicy", `-${namespace}-default-deny`),
        beside(pod, "kubernetes:networking.k8s.io/v1:NetworkPolicy", `-${namespace}-allow-dns`),
        beside(pod, "kubernetes:core/v1:ResourceQuota", `-${namespace}-placement`),
      ];
      for (const guard of guards) {
        expect(guard, `${pod.name} ${namespace}`).toBeDefined();
        expect(pod.dependsOn, pod.name).toContain(guard);
      }
    }
  });

  it("refuses a given decision that breaks a hard rule or does not fit the catalog, before registering anything", async () => {
    recorder.clear();
    const decision = await decidePlacement("test", { workloads, targets });
    // Restricted fine-tuning moved onto the public cloud: a stale or edited decision.
    const leaked: PlacementResult = {
      ...decision,
      assignments: decision.assignments.map((a) =>
        a.workload === "finetune" ? { ...a, target: "eks", pool: "general" } : a,
      ),
    };
    const error = await errorOf(
      () => new PlacedWorkloads("leaked", { clusters, workloads, decision: leaked }),
    );
    expect(error.message).toMatch(/^PlacedWorkloads "leaked": the decision does not fit: /);
    expect(error.message).toContain(
      "puts finetune on eks/general: restricted data runs only on private targets; eks is in a public cloud (trust)",
    );
    const stale: PlacementResult = {
      ...decision,
      assignments: [
        ...decision.assignments.filter((a) => a.workload !== "web"),
        { workload: "web", target: "eks", pool: "general", replicas: 2 },
        { workload: "api", target: "eks", pool: "general", replicas: 1 },
      ],
    };
    const staleError = await errorOf(
      () => new PlacedWorkloads("stale", { clusters, workloads, decision: stale }),
    );
    expect(staleError.issues.map((i) => i.message)).toEqual([
      'names workload "api", which is not in the catalog',
      "places 2 replicas of web, which has 3; a workload runs whole or not at all",
    ]);
    await recorder.settle();
    expect(declaredBy(["leaked", "stale"])).toEqual([]);
  });

  it("fails on a given decision's unplaced workloads unless allowPartial, as when it decides", async () => {
    recorder.clear();
    const decision = await decidePlacement("test", { workloads, targets });
    const partial: PlacementResult = {
      ...decision,
      assignments: decision.assignments.filter((a) => a.workload !== "finetune"),
      unplaced: [
        { workload: "finetune", reasons: ["capacity exhausted on the only pool that passes every rule"] },
      ],
    };
    const error = await errorOf(
      () => new PlacedWorkloads("partial", { clusters, workloads, decision: partial }),
    );
    expect(error.message).toBe(
      'PlacedWorkloads "partial": 1 workload cannot be placed: finetune: capacity exhausted on the only pool that passes every rule',
    );
    await recorder.settle();
    expect(declaredBy(["partial"])).toEqual([]);
    const allowed = new PlacedWorkloads("allowed", {
      clusters,
      workloads,
      decision: partial,
      allowPartial: true,
    });
    expect(await resolved(allowed.unplaced)).toEqual(partial.unplaced);
    await recorder.settle();
    expect(declaredBy(["allowed"]).filter((name) => name.includes("-job-"))).toEqual([]);
    expect(declaredBy(["allowed"]).filter((name) => name.includes("-deployment-")).length).toBeGreaterThan(0);
  });

  it("fails the update when it decides itself and work is left unplaced, and declares nothing", async () => {
    recorder.clear();
    const huge: WorkloadSpec = {
      ...(workloads[0] as WorkloadSpec),
      name: "huge",
      gpu: { count: 16, models: ["A100"] },
    };
    // The failure surfaces as the component's outputs rejecting, which is what stops `pulumi up`;
    // the test collects those rejections instead of letting them fail the test run.
    const failures = await rejectionsDuring(async () => {
      new PlacedWorkloads("short", { clusters, workloads: [...workloads, huge] });
      await recorder.settle();
    });
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toMatch(
        /PlacedWorkloads "short": 1 workload cannot be placed: huge: .*16/,
      );
    }
    await recorder.settle();
    expect(declaredBy(["short"])).toEqual([]);
  });

  it("refuses network rules that name no peer or a workload the catalog does not have", async () => {
    const open: WorkloadSpec[] = [
      workloads[0] as WorkloadSpec,
      {
        ...(workloads[1] as WorkloadSpec),
        ingress: [{ ports: [8080] }, { fromNamespaces: [], fromWorkloads: ["ghost"] }],
        egress: [{ toWorkloads: ["finetune"] }, { ports: [443] }],
      },
    ];
    const error = await errorOf(() => decidePlacement("catalog", { workloads: open, targets }));
    expect(error.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "workloads[1].ingress[0]: names no peer; an ingress rule needs at least one of fromNamespaces, fromWorkloads (a rule without peers would allow every source; leave the rule out to allow none)",
      "workloads[1].egress[1]: names no peer; an egress rule needs at least one of toCidrs, toNamespaces, toWorkloads (a rule without peers would allow every destination; leave the rule out to allow none)",
      'workloads[1].ingress[1].fromWorkloads[0]: "ghost" is not a workload of the catalog; name one of finetune, web',
    ]);
  });

  it("rejects a bad catalog with one ConfigError naming every problem, before registering anything", async () => {
    recorder.clear();
    const bad: WorkloadSpec[] = [
      { ...(workloads[0] as WorkloadSpec), image: "finetune:latest", pin: "mars" },
      { ...(workloads[1] as WorkloadSpec), owner: "other-team", namespace: "ml-research", name: "Web_1" },
    ];
    const error = await errorOf(() => new PlacedWorkloads("bad", { clusters, workloads: bad }));
    expect(error.message).toMatch(/^PlacedWorkloads "bad": \d+ problems/);
    expect(error.message).toContain('workloads[0].image: "finetune:latest" uses :latest');
    expect(error.message).toContain("workloads[1].name");
    expect(error.message).toContain('workloads[1].owner: "other-team" differs from "ml-research"');
    expect(error.message).toContain("mars");
    await recorder.settle();
    expect(recorder.resources).toHaveLength(0);
  });

  it("fails with every unplaced workload's reasons, or reports them with allowPartial", async () => {
    const huge: WorkloadSpec = {
      ...(workloads[0] as WorkloadSpec),
      name: "huge",
      gpu: { count: 16, models: ["A100"] },
    };
    const error = await errorOf(() =>
      decidePlacement("catalog", { workloads: [...workloads, huge], targets }),
    );
    expect(error.message).toMatch(/^catalog: 1 workload cannot be placed: huge: .*16/);
    const partial = await decidePlacement("catalog", {
      workloads: [...workloads, huge],
      targets,
      allowPartial: true,
    });
    expect(partial.unplaced.map((u) => u.workload)).toEqual(["huge"]);
    expect(partial.assignments.some((a) => a.workload === "finetune")).toBe(true);
  });

  it("keeps a placement stable when fed its own lock", async () => {
    const first = await decidePlacement("catalog", { workloads, targets });
    const again = await decidePlacement("catalog", { workloads, targets, previous: first.lock });
    expect(again.assignments).toEqual(first.assignments);
    expect(again.cost.movePenalty).toBe(0);
  });

  it("refuses restricted data on a cluster whose stated CNI ignores NetworkPolicy, before registering anything", async () => {
    recorder.clear();
    const decision = await decidePlacement("test", { workloads, targets });
    const flannel = clusters.map((c) =>
      c.placementTarget.name === "dc1" ? { ...c, cni: "flannel" as const } : c,
    );
    const error = await errorOf(
      () => new PlacedWorkloads("flannel", { clusters: flannel, workloads, decision }),
    );
    expect(error.message).toMatch(
      /^PlacedWorkloads "flannel": the clusters cannot run the decision as they are/,
    );
    expect(error.message).toContain(
      'clusters[0].cni: is flannel, which does not enforce NetworkPolicy, and restricted workload "finetune"',
    );
    expect(recorder.resources.filter((r) => r.name.startsWith("flannel"))).toEqual([]);
    // The same decision on a CNI that enforces policy is declared.
    const calico = clusters.map((c) =>
      c.placementTarget.name === "dc1" ? { ...c, cni: "calico" as const } : c,
    );
    new PlacedWorkloads("calico", { clusters: calico, workloads, decision });
    await recorder.settle();
    expect(declaredBy(["calico"]).length).toBeGreaterThan(0);
  });
});
