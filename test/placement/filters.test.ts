import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Pool, Target, Workload } from "../../components/placement";
import {
  FILTER_READS,
  POOL_FILTERS,
  type Status,
  TARGET_FILTERS,
  unresolvable,
  unschedulable,
  type WorkloadField,
} from "../../components/placement/filters";
import { buildModel, type WorkloadModel } from "../../components/placement/model";
import { validatePlacementInput } from "../../components/placement/validate";
import { inputArb } from "./arbitraries";
import { gpuPool, input, pool, target, workload } from "./fixtures";

// Each hard rule is one filter: null when the candidate may run the workload, else its sentence
// and a code: `Unschedulable` when a capacity change could fix it, `UnschedulableAndUnresolvable`
// when the candidate is the wrong kind for the workload.

function filter<T extends { rule: string }>(list: readonly T[], rule: string): T {
  const found = list.find((f) => f.rule === rule);
  if (found === undefined) throw new Error(`no filter ${rule}`);
  return found;
}

/** Runs the rule `rule` for the only workload on the first pool of the only target. */
function check(rule: string, w: Workload, t: Target): Status | null {
  const model = buildModel(validatePlacementInput(input([w], [t])));
  const wm = model.workloads[0];
  const tm = model.targets[0];
  const pm = tm?.pools[0];
  if (wm === undefined || tm === undefined || pm === undefined) throw new Error("empty model");
  const byTarget = TARGET_FILTERS.find((f) => f.rule === rule);
  return byTarget !== undefined ? byTarget.check(wm, tm) : filter(POOL_FILTERS, rule).check(wm, tm, pm);
}

function on(p: Pool, over: Partial<Target> = {}): Target {
  return target("aws-eu", { pools: [p], ...over });
}

describe("filters", () => {
  it("pin: the target, or the pool of it", () => {
    const t = on(pool("cpu"));
    expect(check("pin", workload("w", { pin: "aws-eu" }), t)).toBeNull();
    const elsewhere = input([workload("w", { pin: "onprem" })], [t, target("onprem")]);
    const model = buildModel(validatePlacementInput(elsewhere));
    const [wm] = model.workloads;
    const aws = model.targets.find((x) => x.name === "aws-eu");
    if (wm === undefined || aws === undefined) throw new Error("empty model");
    expect(filter(TARGET_FILTERS, "pin").check(wm, aws)).toEqual(
      unresolvable("pinned to onprem; aws-eu is another target"),
    );
    const twoPools = on(pool("cpu"), { pools: [pool("cpu"), pool("mem")] });
    const m2 = buildModel(validatePlacementInput(input([workload("w", { pin: "aws-eu/mem" })], [twoPools])));
    const [w2] = m2.workloads;
    const [t2] = m2.targets;
    const cpu = t2?.pools.find((p) => p.name === "cpu");
    if (w2 === undefined || t2 === undefined || cpu === undefined) throw new Error("empty model");
    expect(filter(POOL_FILTERS, "pin").check(w2, t2, cpu)).toEqual(
      unresolvable("pinned to aws-eu/mem; aws-eu/cpu is another pool"),
    );
  });

  it("trust: restricted only on private targets", () => {
    const publicTarget = on(pool("cpu"), { trust: "public" });
    expect(check("trust", workload("w", { classification: "restricted" }), publicTarget)).toEqual(
      unresolvable("restricted data runs only on private targets; aws-eu is in a public cloud"),
    );
    expect(check("trust", workload("w", { classification: "restricted" }), on(pool("cpu")))).toBeNull();
    expect(check("trust", workload("w", { classification: "internal" }), publicTarget)).toBeNull();
  });

  it("trust: confidential on private targets, or public ones inside its residency", () => {
    const publicUs = on(pool("cpu"), { trust: "public", jurisdiction: "US" });
    expect(check("trust", workload("w", { classification: "confidential" }), publicUs)).toEqual(
      unresolvable(
        "confidential data runs on private targets, or in a public cloud inside its residency (none given); aws-eu is in a public cloud",
      ),
    );
    expect(
      check("trust", workload("w", { classification: "confidential", residency: ["EU"] }), publicUs),
    ).toEqual(
      unresolvable(
        "confidential data runs on private targets, or in a public cloud inside its residency (EU); aws-eu is in a public cloud, in US",
      ),
    );
    const publicEu = on(pool("cpu"), { trust: "public", jurisdiction: "eu" });
    expect(
      check("trust", workload("w", { classification: "confidential", residency: ["EU"] }), publicEu),
    ).toBeNull();
  });

  it("data: every dataset hosted on the target or reachable from it, when the target says what it reaches", () => {
    // `store` hosts both datasets; the rule is checked on aws-eu.
    const dataCheck = (w: Workload, over: Partial<Target>): Status | null => {
      const both = input([w], [on(pool("cpu"), over), target("store", { datasets: ["notes", "scans"] })]);
      const model = buildModel(validatePlacementInput(both));
      const wm = model.workloads[0];
      const tm = model.targets.find((t) => t.name === "aws-eu");
      if (wm === undefined || tm === undefined) throw new Error("empty model");
      return filter(TARGET_FILTERS, "data").check(wm, tm);
    };
    const reads = workload("w", {
      datasets: [
        { name: "notes", readGiBPerHour: 5 },
        { name: "scans", readGiBPerHour: 1 },
      ],
    });
    expect(dataCheck(reads, {})).toBeNull();
    expect(dataCheck(reads, { datasets: ["scans"], remoteDatasets: ["notes"] })).toBeNull();
    expect(dataCheck(reads, { datasets: ["scans"], remoteDatasets: [] })).toEqual(
      unresolvable(
        "reads notes, which aws-eu neither hosts nor reaches (no network path and identity grants it there)",
      ),
    );
    expect(dataCheck(reads, { remoteDatasets: [] })).toEqual(
      unresolvable(
        "reads notes, scans, which aws-eu neither hosts nor reaches (no network path and identity grant them there)",
      ),
    );
    expect(dataCheck(workload("w"), { remoteDatasets: [] })).toBeNull();
    // A dataset no target hosts lies outside the model: reachable from every target.
    const external = workload("w", { datasets: [{ name: "elsewhere", readGiBPerHour: 1 }] });
    expect(dataCheck(external, { remoteDatasets: [] })).toBeNull();
  });

  it("residency: every classification stays inside the listed jurisdictions", () => {
    const us = on(pool("cpu"), { jurisdiction: "US" });
    // The model sorts the list, so the sentence reads the same whatever order the catalog used.
    expect(check("residency", workload("w", { residency: ["EU", "CH"] }), us)).toEqual(
      unresolvable("residency allows CH, EU; aws-eu is in US"),
    );
    expect(check("residency", workload("w", { residency: ["us"] }), us)).toBeNull();
    expect(check("residency", workload("w"), us)).toBeNull();
  });

  it("gpu-reserved: work without a GPU never lands on a GPU pool", () => {
    expect(check("gpu-reserved", workload("w"), on(gpuPool("a100", "A100", 8)))).toEqual(
      unresolvable("needs no GPU; aws-eu/a100 has A100 GPUs, kept for GPU work"),
    );
    expect(check("gpu-reserved", workload("w"), on(pool("cpu")))).toBeNull();
  });

  it("gpu: the model (any case) and enough GPUs per node", () => {
    const h100x4 = on(gpuPool("h100", "H100", 4));
    expect(check("gpu", workload("w", { gpu: { count: 1 } }), on(pool("cpu")))).toEqual(
      unresolvable("needs 1 x GPU per replica; aws-eu/cpu has no GPUs"),
    );
    expect(check("gpu", workload("w", { gpu: { count: 1, models: ["A100"] } }), h100x4)).toEqual(
      unresolvable("needs 1 x A100; aws-eu/h100 has H100"),
    );
    expect(check("gpu", workload("w", { gpu: { count: 8, models: ["h100"] } }), h100x4)).toEqual(
      unschedulable("needs 8 x h100 per node; aws-eu/h100 has 4 x H100"),
    );
    expect(check("gpu", workload("w", { gpu: { count: 4, models: ["h100"] } }), h100x4)).toBeNull();
    expect(check("gpu", workload("w", { gpu: { count: 2 } }), h100x4)).toBeNull();
  });

  it("gpu: says what is missing across pools", () => {
    const model = buildModel(
      validatePlacementInput(
        input(
          [workload("w", { gpu: { count: 8, models: ["H100"] } })],
          [target("t", { pools: [gpuPool("small", "H100", 4), gpuPool("a100", "A100", 8)] })],
        ),
      ),
    );
    const [w] = model.workloads;
    if (w === undefined) throw new Error("empty model");
    expect(filter(POOL_FILTERS, "gpu").missing?.(w, model.pools)).toEqual(
      unschedulable("needs 8 x H100 per node; the largest H100 node has 4"),
    );
  });

  it("taints: only what the workload tolerates (GPU work tolerates the GPU taint)", () => {
    const tainted = on(
      pool("sys", { taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" }] }),
    );
    expect(check("taints", workload("w"), tainted)).toEqual(
      unresolvable(
        "aws-eu/sys is tainted CriticalAddonsOnly=true:NoSchedule, which the workload does not tolerate",
      ),
    );
    expect(
      check("taints", workload("w", { tolerations: [{ key: "CriticalAddonsOnly" }] }), tainted),
    ).toBeNull();
    const gpu = on(
      gpuPool("gpu", "L4", 1, { taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }] }),
    );
    expect(check("taints", workload("w", { gpu: { count: 1 } }), gpu)).toBeNull();
    const soft = on(pool("cpu", { taints: [{ key: "x", effect: "PreferNoSchedule" }] }));
    expect(check("taints", workload("w"), soft)).toBeNull();
  });

  it("spot: only spotOk work, and never confidential or restricted data", () => {
    const spot = on(pool("spot", { spot: true }));
    expect(check("spot", workload("w"), spot)).toEqual(
      unresolvable("aws-eu/spot is a spot pool and the workload is not spotOk"),
    );
    expect(check("spot", workload("w", { spotOk: true }), spot)).toBeNull();
    expect(check("spot", workload("w", { spotOk: true, classification: "confidential" }), spot)).toEqual(
      unresolvable("confidential data never runs on spot pools; aws-eu/spot is spot"),
    );
  });

  it("fits-node: one replica fits a node less headroom", () => {
    const small = on(pool("cpu", { node: { cpu: 8, memoryGiB: 32 } }));
    expect(check("fits-node", workload("w", { cpu: 8, memoryGiB: 8 }), small)).toEqual(
      unschedulable(
        "one replica needs 8 CPU / 8 GiB; a node of aws-eu/cpu offers 7.2 CPU / 28.8 GiB after 10% headroom",
      ),
    );
    expect(check("fits-node", workload("w", { cpu: 7.2, memoryGiB: 28.8 }), small)).toBeNull();
    const noHeadroom = on(pool("cpu", { node: { cpu: 8, memoryGiB: 32 }, headroom: 0 }));
    expect(check("fits-node", workload("w", { cpu: 8, memoryGiB: 8 }), noHeadroom)).toBeNull();
  });

  it("training-world: a pool that cannot hold every rank of a training world at maxNodes is out", () => {
    const world = workload("train", { kind: "training", replicas: 3, cpu: 6, memoryGiB: 20 });
    // 8 CPU nodes less 10% headroom hold one 6-CPU rank each: 2 nodes hold 2 of the 3 ranks.
    expect(check("training-world", world, on(pool("cpu", { maxNodes: 2 })))).toEqual(
      unschedulable(
        "a training world of 3 ranks needs one pool with room for all 3; aws-eu/cpu holds 2 at maxNodes (2 x 1 per node)",
      ),
    );
    expect(check("training-world", world, on(pool("cpu", { maxNodes: 3 })))).toBeNull();
    // One rank alone, or replicas of any other kind, may be split over pools: the rule does not apply.
    expect(check("training-world", { ...world, replicas: 1 }, on(pool("cpu", { maxNodes: 1 })))).toBeNull();
    expect(check("training-world", { ...world, kind: "batch" }, on(pool("cpu", { maxNodes: 1 })))).toBeNull();
    const rule = filter(POOL_FILTERS, "training-world");
    const model = buildModel(
      validatePlacementInput(
        input(
          [world],
          [
            on(pool("cpu", { maxNodes: 2 }), {
              pools: [pool("a", { maxNodes: 1 }), pool("b", { maxNodes: 2 })],
            }),
          ],
        ),
      ),
    );
    const [wm] = model.workloads;
    if (wm === undefined || rule.missing === undefined) throw new Error("empty model");
    expect(rule.missing(wm, model.pools)).toEqual(
      unschedulable(
        "a training world of 3 ranks needs one pool with room for all 3; the largest (aws-eu/b) holds 2 at maxNodes",
      ),
    );
  });

  it("codes: Unschedulable when a capacity change could fix it, else UnschedulableAndUnresolvable", () => {
    expect(unschedulable("x")).toEqual({ code: "Unschedulable", reason: "x" });
    expect(unresolvable("x")).toEqual({ code: "UnschedulableAndUnresolvable", reason: "x" });
  });

  it("declare what they read: the candidate cache key is every field some filter reads", () => {
    expect(FILTER_READS).toEqual([
      "pinTarget",
      "pinPool",
      "classification",
      "residency",
      "datasetNames",
      "gpu",
      "gpuModels",
      "spotOk",
      "tolerations",
      "cpu",
      "memoryGiB",
      "world",
    ]);
  });

  it("read nothing else: a workload alike in a filter's fields gets the same answer", () => {
    fc.assert(
      fc.property(inputArb({ targets: [1, 3], workloads: [2, 6] }), (value) => {
        const model = buildModel(validatePlacementInput(value));
        const [first, ...others] = model.workloads;
        if (first === undefined) return;
        for (const other of others) {
          // `other`'s declared fields on top of everything else of `first`.
          const alike = (reads: readonly WorkloadField[]): WorkloadModel => ({
            ...first,
            ...Object.fromEntries(reads.map((k) => [k, other[k]])),
          });
          for (const t of model.targets) {
            for (const f of TARGET_FILTERS) expect(f.check(alike(f.reads), t)).toEqual(f.check(other, t));
            for (const p of t.pools)
              for (const f of POOL_FILTERS)
                expect(f.check(alike(f.reads), t, p)).toEqual(f.check(other, t, p));
          }
        }
      }),
      { numRuns: 60, seed: 23 },
    );
  });
});
