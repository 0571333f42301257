import { describe, expect, it } from "vitest";
import { place, type Target, type Workload } from "../../components/placement";
import { gpuPool, input, pool, target, workload } from "./fixtures";

// Explanations: every other candidate with the sentence of the rule it broke, or the price of
// taking it instead; one sentence on why the workload runs where it does; a cost share per workload.

const targets = [
  target("aws-public", { trust: "public", pools: [pool("cpu", { pricePerNodeHour: 0.1 })] }),
  target("onprem", {
    cloud: "onprem",
    pools: [pool("cpu", { pricePerNodeHour: 0.3 }), gpuPool("gpu", "A100", 8)],
  }),
  target("azure", {
    pools: [pool("cpu", { pricePerNodeHour: 0.5 }), pool("spot", { spot: true, pricePerNodeHour: 0.05 })],
  }),
];

describe("explanations", () => {
  it("say why each candidate was rejected, cheapest alternatives first", async () => {
    const result = await place(input([workload("ledger", { classification: "restricted" })], targets));
    const e = result.explanations.ledger;
    expect(e?.chosen).toEqual(["onprem/cpu"]);
    expect(e?.rejected).toEqual([
      { candidate: "azure/cpu", reason: "more expensive: +$0.20/h", rule: "cost" },
      {
        candidate: "aws-public",
        reason:
          "restricted data runs only on private targets; aws-public is in a public cloud; no capacity change can fix this",
        rule: "trust",
        code: "UnschedulableAndUnresolvable",
      },
      {
        candidate: "azure/spot",
        reason:
          "restricted data never runs on spot pools; azure/spot is spot; no capacity change can fix this",
        rule: "spot",
        code: "UnschedulableAndUnresolvable",
      },
      {
        candidate: "onprem/gpu",
        reason: "needs no GPU; onprem/gpu has A100 GPUs, kept for GPU work; no capacity change can fix this",
        rule: "gpu-reserved",
        code: "UnschedulableAndUnresolvable",
      },
    ]);
    expect(e?.reason).toBe("cheapest of 2 places that pass every rule; 3 other candidates broke a rule");
    expect(e?.costPerHour).toBeCloseTo(0.3, 9);
  });

  it("count one rule-breaking candidate in the singular", async () => {
    const result = await place(
      input(
        [workload("ledger", { classification: "restricted" })],
        [target("public", { trust: "public" }), target("private")],
      ),
    );
    expect(result.explanations.ledger?.reason).toBe(
      "the only place that passes every rule; 1 other candidate broke a rule",
    );
  });

  it("read the same whatever the order of the lists inside a workload or a target", async () => {
    const us = target("us", {
      trust: "public",
      jurisdiction: "US",
      datasets: ["logs", "images"],
      pools: [
        gpuPool("gpu", "L4", 4, {
          taints: [
            { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" },
            { key: "team", value: "ml", effect: "NoSchedule" },
          ],
        }),
      ],
    });
    const eu = target("eu", { egressPricePerGiB: 0.05, datasets: ["images", "logs"] });
    const trainer = workload("trainer", {
      classification: "confidential",
      residency: ["EU", "CH"],
      gpu: { count: 1, models: ["L4", "A100"] },
      tolerations: [{ key: "team", value: "ml" }, { key: "zone" }],
      datasets: [
        { name: "logs", readGiBPerHour: 0.3 },
        { name: "images", readGiBPerHour: 0.1 },
      ],
    });
    const reader = workload("reader", {
      datasets: [
        { name: "logs", readGiBPerHour: 0.1 },
        { name: "images", readGiBPerHour: 0.2 },
      ],
    });
    const reversed = <T>(list: readonly T[] | undefined): T[] => [...(list ?? [])].reverse();
    const flip = (w: Workload): Workload => ({
      ...w,
      ...(w.residency ? { residency: reversed(w.residency) } : {}),
      ...(w.gpu?.models ? { gpu: { ...w.gpu, models: reversed(w.gpu.models) } } : {}),
      ...(w.tolerations ? { tolerations: reversed(w.tolerations) } : {}),
      ...(w.datasets ? { datasets: reversed(w.datasets) } : {}),
    });
    const flipTarget = (t: Target): Target => ({
      ...t,
      datasets: reversed(t.datasets),
      pools: t.pools.map((p) => ({ ...p, ...(p.taints ? { taints: reversed(p.taints) } : {}) })),
    });
    const once = await place(input([trainer, reader], [us, eu]));
    const again = await place(input([trainer, reader].map(flip), [us, eu].map(flipTarget)));
    expect(once.explanations.trainer?.rejected.map((r) => r.reason)).toEqual([
      "needs 1 x A100 or L4 per replica; eu/cpu has no GPUs; no capacity change can fix this",
      "confidential data runs on private targets, or in a public cloud inside its residency (CH, EU); us is in a public cloud, in US; no capacity change can fix this",
    ]);
    expect(JSON.stringify(again)).toBe(JSON.stringify(once));
  });

  it("name a pin, and a lock that was kept", async () => {
    const pinned = await place(input([workload("etl", { pin: "azure/cpu" })], targets));
    expect(pinned.explanations.etl?.reason).toMatch(/^pinned to azure\/cpu/);
    expect(pinned.explanations.etl?.rejected.find((r) => r.candidate === "onprem")).toEqual({
      candidate: "onprem",
      reason: "pinned to azure/cpu; onprem is another target; no capacity change can fix this",
      rule: "pin",
      code: "UnschedulableAndUnresolvable",
    });
    const kept = await place(
      input([workload("web")], targets, {
        previous: {
          version: 1,
          assignments: [{ workload: "web", target: "onprem", pool: "cpu", replicas: 1 }],
        },
      }),
    );
    expect(kept.explanations.web?.chosen).toEqual(["onprem/cpu"]);
    expect(kept.explanations.web?.reason).toContain("kept where the lock put it");
    expect(kept.explanations.web?.rejected[0]).toEqual({
      candidate: "aws-public/cpu",
      reason: "more expensive: +$0.80/h (compute -$0.20, move penalty +$1.00)",
      rule: "cost",
    });
  });

  it("for an unplaced workload: no chosen place, the full pools, and the reasons", async () => {
    const result = await place(
      input(
        [workload("big", { cpu: 6, priority: 1 }), workload("small", { cpu: 6 })],
        [target("only", { pools: [pool("cpu", { maxNodes: 1 })] })],
      ),
    );
    expect(result.unplaced.map((u) => u.workload)).toEqual(["small"]);
    const e = result.explanations.small;
    expect(e?.chosen).toEqual([]);
    expect(e?.rejected).toEqual([
      {
        candidate: "only/cpu",
        reason:
          "no room: 1 of 1 nodes (maxNodes) in use, too full for 1 x (6 CPU / 2 GiB) more; a capacity change could fix this",
        rule: "capacity",
        code: "Unschedulable",
      },
    ]);
    expect(e?.reason).toBe(
      "capacity exhausted by higher-priority work on the only pool that passes every rule; a capacity change could fix this",
    );
    expect(result.unplaced[0]?.code).toBe("Unschedulable");
    expect(e?.costPerHour).toBe(0);
  });

  it("say whether a capacity change could fix a rejection, as the scheduler's status codes do", async () => {
    const result = await place(
      input(
        [
          workload("ledger", { classification: "restricted" }),
          workload("giant", { classification: "restricted", cpu: 16 }),
        ],
        [target("a", { trust: "public" }), target("b", { trust: "public" }), target("dc")],
      ),
    );
    // Only public targets but the one whose nodes are too small: larger nodes would place it.
    expect(result.unplaced).toEqual([
      {
        workload: "giant",
        reasons: [
          "no target or pool passes every hard rule; a capacity change could fix this",
          "restricted data runs only on private targets; a is in a public cloud (and 1 more like it); no capacity change can fix this",
          "one replica needs 16 CPU / 2 GiB; the roomiest eligible node (dc/cpu) offers 7.2 CPU / 28.8 GiB after 10% headroom; a capacity change could fix this",
        ],
        code: "Unschedulable",
      },
    ]);
    const nowhere = await place(
      input([workload("ledger", { classification: "restricted" })], [target("a", { trust: "public" })]),
    );
    expect(nowhere.unplaced).toEqual([
      {
        workload: "ledger",
        reasons: [
          "no target or pool passes every hard rule; no capacity change can fix this",
          "restricted data runs only on private targets; a is in a public cloud; no capacity change can fix this",
        ],
        code: "UnschedulableAndUnresolvable",
      },
    ]);
    expect(nowhere.explanations.ledger?.rejected.map((r) => r.code)).toEqual([
      "UnschedulableAndUnresolvable",
    ]);
  });

  it("share the compute of each pool among its workloads, so the shares add up to the total", async () => {
    const result = await place(
      input(
        [
          workload("a", { cpu: 2, replicas: 2 }),
          workload("b", { cpu: 1, memoryGiB: 8 }),
          workload("c", { classification: "restricted" }),
        ],
        targets,
      ),
    );
    const shares = Object.values(result.explanations).reduce((sum, e) => sum + e.costPerHour, 0);
    expect(shares).toBeCloseTo(result.cost.total, 6);
    expect(result.packing.reduce((sum, p) => sum + p.costPerHour, 0)).toBeCloseTo(
      result.cost.computePerHour,
      6,
    );
  });

  it("cover every workload, and the lock is the assignments again", async () => {
    const result = await place(input([workload("a"), workload("b", { gpu: { count: 1 } })], targets));
    expect(Object.keys(result.explanations).sort()).toEqual(["a", "b"]);
    expect(result.lock).toEqual({ version: 1, assignments: result.assignments });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});
