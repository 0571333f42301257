// Workloads over their life (issue 24): what an update does to objects that already run.
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { describe, expect, it } from "vitest";
import { type RenderedObject, renderPlacement, type WorkloadSpec } from "../../components/kubernetes";
import type { PlacementLock, PlacementResult } from "../../components/placement";
import { targets } from "./fixtures";

const service = (name: string, image: string): WorkloadSpec => ({
  name,
  kind: "service",
  replicas: 2,
  cpu: 1,
  memoryGiB: 2,
  classification: "internal",
  image: `registry.example.com/shop/${name}:${image}`,
  owner: "shop",
  namespace: "shop",
});

const decision = (assignments: PlacementResult["assignments"]): PlacementResult => ({
  assignments,
  unplaced: [],
  packing: [],
  cost: { computePerHour: 0, egressPerHour: 0, movePenalty: 0, total: 0 },
  explanations: {},
  lock: { version: 1, assignments },
  solver: { method: "heuristic", optimal: false, work: 0, budget: 0 },
});

const quotaOf = (objects: RenderedObject[], namespace: string) => {
  const quota = objects.find((o) => o.kind === "ResourceQuota" && o.metadata.namespace === namespace);
  if (quota?.kind !== "ResourceQuota") throw new Error(`no quota in ${namespace}`);
  new ResourceQuota(quota).validate();
  return quota.spec.hard;
};

/** Kubernetes' quota admission for one more pod: every resource stays within `hard` (CPU in millicores). */
function admits(hard: Record<string, string>, running: WorkloadSpec[], next: WorkloadSpec): boolean {
  const pods = running.length + 1;
  const cpu = [...running, next].reduce((s, w) => s + w.cpu * 1000, 0);
  const memory = [...running, next].reduce((s, w) => s + w.memoryGiB * 1024, 0);
  return (
    pods <= Number(hard.pods) &&
    cpu <= Number.parseInt(hard["requests.cpu"] ?? "0", 10) &&
    memory <= Number.parseInt(hard["requests.memory"] ?? "0", 10)
  );
}

describe("quota over an update (issue 24, point 1)", () => {
  const cart = service("cart", "1.0.0");
  const search = service("search", "1.0.0");
  const before: PlacementLock = {
    version: 1,
    assignments: [
      { workload: "cart", target: "dc1", pool: "cpu", replicas: 2 },
      { workload: "search", target: "dc1", pool: "cpu", replicas: 2 },
    ],
  };
  // search moves to EKS while cart rolls to a new image in the namespace search leaves.
  const moved = decision([
    { workload: "cart", target: "dc1", pool: "cpu", replicas: 2 },
    { workload: "search", target: "eks", pool: "general", replicas: 2 },
  ]);
  const catalog = [service("cart", "1.1.0"), search];

  it("keeps room for a departing workload's pods, which Pulumi deletes after the quota and the rollouts", () => {
    const rendered = renderPlacement({
      result: moved,
      workloads: catalog,
      targets,
      previous: { lock: before },
    });
    const hard = quotaOf(rendered.find((r) => r.target === "dc1")?.objects ?? [], "shop");
    // While the update runs, search's two old pods and cart's two still count; cart's rollout
    // starts one new pod before it stops an old one.
    expect(admits(hard, [search, search, cart, cart], cart)).toBe(true);
  });

  it("drops the room once the lock records the decision (shrink after the deletions)", () => {
    const rendered = renderPlacement({
      result: moved,
      workloads: catalog,
      targets,
      previous: { lock: moved.lock },
    });
    const hard = quotaOf(rendered.find((r) => r.target === "dc1")?.objects ?? [], "shop");
    expect(hard.pods).toBe("3");
    expect(hard["requests.cpu"]).toBe("3000m");
  });

  it("keeps room for a workload renamed in the namespace, sized from the catalog the lock was made for", () => {
    const renamed = decision([
      { workload: "cart", target: "dc1", pool: "cpu", replicas: 2 },
      { workload: "search-v2", target: "dc1", pool: "cpu", replicas: 2 },
    ]);
    const v2 = { ...search, name: "search-v2" };
    const rendered = renderPlacement({
      result: renamed,
      workloads: [cart, v2],
      targets,
      previous: { lock: before, workloads: [cart, search] },
    });
    const hard = quotaOf(rendered.find((r) => r.target === "dc1")?.objects ?? [], "shop");
    // search-v2's two pods are created while search's two still run, and cart may roll beside them.
    expect(admits(hard, [search, search, cart, cart, v2, v2], cart)).toBe(true);
  });
});

describe("moves, rollouts and disruptions (issue 24, point 4)", () => {
  const web = (replicas: number): WorkloadSpec => ({ ...service("web", "1.0.0"), replicas });
  const deployment = (objects: RenderedObject[]) => {
    const d = objects.find((o) => o.kind === "Deployment");
    if (d?.kind !== "Deployment") throw new Error("no Deployment");
    new Deployment(d as never).validate();
    return d;
  };
  const on = (pool: string, replicas: number) =>
    renderPlacement({
      result: decision([{ workload: "web", target: "dc1", pool, replicas }]),
      workloads: [web(replicas)],
      targets,
    })[0]?.objects ?? [];

  it("moves a Deployment to another pool of its cluster as a rolling update: its immutable selector stays", () => {
    const before = deployment(on("cpu", 2));
    const after = deployment(on("a100", 2));
    // pulumi-kubernetes replaces a Deployment whose spec.selector changes, deleting it first
    // (same name): every replica would go before the new pool had any.
    expect(after.metadata.name).toBe(before.metadata.name);
    expect(after.spec.selector).toEqual(before.spec.selector);
    expect(after.spec.template.spec.nodeSelector["hybrid-ai-infra.io/pool"]).toBe("a100");
  });

  it("surges a single replica (replaced once its successor is ready) and bounds the rest to one pod at a time", () => {
    expect(deployment(on("cpu", 1)).spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(deployment(on("cpu", 3)).spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 1 });
  });

  it("gives a multi-replica service a disruption budget and spreads it over nodes", () => {
    const objects = on("cpu", 3);
    const budget = objects.find((o) => o.kind === "PodDisruptionBudget");
    if (budget?.kind !== "PodDisruptionBudget") throw new Error("no PodDisruptionBudget");
    new PodDisruptionBudget(budget).validate();
    expect(budget.spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow" });
    const d = deployment(objects);
    // The budget selects every pod of the workload, and only those.
    expect(d.spec.template.metadata.labels).toMatchObject(budget.spec.selector.matchLabels ?? {});
    expect(d.spec.template.spec.topologySpreadConstraints?.[0]).toMatchObject({
      topologyKey: "kubernetes.io/hostname",
      whenUnsatisfiable: "DoNotSchedule",
      maxSkew: 1,
      minDomains: 2,
    });
    // A single replica has nothing to spread and no budget (a budget of 0 would block every drain).
    const single = on("cpu", 1);
    expect(single.some((o) => o.kind === "PodDisruptionBudget")).toBe(false);
    expect(deployment(single).spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });
});
