import { describe, expect, it } from "vitest";
import { type PlacementInput, place } from "../../components/placement";
import { gpuPool, input, placements, pool, rejection, target, workload } from "./fixtures";

// The objective of DESIGN.md section 6, scenario by scenario, on both solvers: HiGHS (exact, for
// small inputs) and the heuristic that runs on large ones.

const SOLVERS = ["exact", "heuristic"] as const;

function using(solver: (typeof SOLVERS)[number], value: PlacementInput): PlacementInput {
  return { ...value, options: { ...value.options, solver } };
}

describe.each(SOLVERS)("objective (%s)", (solver) => {
  it("compute: pays max(minNodes, nodes used) x price, and fills nodes already paid for first", async () => {
    const result = await place(
      using(
        solver,
        input(
          [workload("a", { replicas: 2, cpu: 2 }), workload("b", { cpu: 3 })],
          [
            target("onprem", {
              cloud: "onprem",
              pools: [pool("metal", { minNodes: 2, maxNodes: 2, pricePerNodeHour: 0.3 })],
            }),
            target("aws", { pools: [pool("cpu", { pricePerNodeHour: 0.2 })] }),
          ],
        ),
      ),
    );
    // 7 CPU fit one 7.2-CPU node of the paid-for on-prem pool; the cheaper cloud pool is not needed.
    expect(placements(result).get("a")).toEqual(["onprem/metal"]);
    expect(placements(result).get("b")).toEqual(["onprem/metal"]);
    expect(result.cost.computePerHour).toBeCloseTo(0.6, 9);
    expect(result.packing).toEqual([
      {
        target: "onprem",
        pool: "metal",
        costPerHour: 0.6,
        nodes: [
          [
            { workload: "a", replicas: 2 },
            { workload: "b", replicas: 1 },
          ],
          [],
        ],
      },
    ]);
  });

  it("egress: runs next to its dataset when the egress costs more than the cheaper compute saves", async () => {
    const data = [{ name: "scans", readGiBPerHour: 20 }];
    const result = await place(
      using(
        solver,
        input(
          [workload("train", { kind: "batch", datasets: data })],
          [
            target("home", {
              egressPricePerGiB: 0.09,
              datasets: ["scans"],
              pools: [pool("cpu", { pricePerNodeHour: 0.5 })],
            }),
            target("cheap", { pools: [pool("cpu", { pricePerNodeHour: 0.2 })] }),
          ],
        ),
      ),
    );
    expect(placements(result).get("train")).toEqual(["home/cpu"]);
    expect(result.cost.egressPerHour).toBe(0);
    expect(rejection(result, "train", "cheap/cpu")).toBe(
      "more expensive: +$1.50/h (compute -$0.30, egress +$1.80)",
    );
  });

  it("egress: a part pays its share of replicas x read x the cheapest host's price; unhosted data is free", async () => {
    const result = await place(
      using(
        solver,
        input(
          [
            workload("web", {
              replicas: 2,
              spread: { minTargets: 2 },
              datasets: [
                { name: "cache", readGiBPerHour: 10 },
                { name: "nowhere", readGiBPerHour: 100 },
              ],
            }),
          ],
          [
            target("a", { egressPricePerGiB: 0.09, datasets: ["cache"] }),
            target("b", { egressPricePerGiB: 0.02, datasets: ["cache"] }),
            target("c"),
          ],
        ),
      ),
    );
    // a and b host the cache, so the spread goes there and reads nothing over the network.
    expect(placements(result).get("web")).toEqual(["a/cpu", "b/cpu"]);
    expect(result.cost.egressPerHour).toBe(0);
    // On c, one of two replicas would read 10 GiB/h from b, the cheaper host: 0.5 x 10 x 0.02.
    expect(rejection(result, "web", "c/cpu")).toBe("more expensive: +$0.10/h (egress +$0.10)");
  });

  it("spread: at least minTargets distinct targets, even when one is cheaper", async () => {
    const result = await place(
      using(
        solver,
        input(
          [workload("api", { replicas: 3, spread: { minTargets: 2 } })],
          [
            target("cheap", { pools: [pool("cpu", { pricePerNodeHour: 0.1 })] }),
            target("dear", { pools: [pool("cpu", { pricePerNodeHour: 0.9 })] }),
          ],
        ),
      ),
    );
    expect(new Set(result.assignments.map((a) => a.target))).toEqual(new Set(["cheap", "dear"]));
    expect(result.assignments.reduce((s, a) => s + a.replicas, 0)).toBe(3);
  });

  it("spread: unplaced, with the reason, when too few targets pass the rules", async () => {
    const result = await place(
      using(
        solver,
        input([workload("api", { replicas: 3, spread: { minTargets: 3 } })], [target("a"), target("b")]),
      ),
    );
    expect(result.assignments).toEqual([]);
    // Another target that passes the rules would do: a capacity change.
    expect(result.unplaced).toEqual([
      {
        workload: "api",
        reasons: ["spread needs 3 targets; only 2 pass every rule (a, b); a capacity change could fix this"],
        code: "Unschedulable",
      },
    ]);
  });

  it("move penalty: stays put unless moving saves more than moveCost", async () => {
    const targets = [
      target("old", { pools: [pool("cpu", { pricePerNodeHour: 0.9 })] }),
      target("new", { pools: [pool("cpu", { pricePerNodeHour: 0.3 })] }),
    ];
    const previous = {
      version: 1 as const,
      assignments: [{ workload: "web", target: "old", pool: "cpu", replicas: 1 }],
    };
    const stays = await place(using(solver, input([workload("web")], targets, { previous })));
    expect(placements(stays).get("web")).toEqual(["old/cpu"]);
    expect(stays.cost.movePenalty).toBe(0);
    expect(rejection(stays, "web", "new/cpu")).toBe(
      "more expensive: +$0.40/h (compute -$0.60, move penalty +$1.00)",
    );
    const moves = await place(
      using(solver, input([workload("web")], targets, { previous, options: { moveCost: 0.5 } })),
    );
    expect(placements(moves).get("web")).toEqual(["new/cpu"]);
    expect(moves.cost.movePenalty).toBe(0.5);
    expect(moves.cost.total).toBeCloseTo(0.8, 9);
  });

  it("priority: a higher-priority workload is never left out so a lower one fits", async () => {
    const result = await place(
      using(
        solver,
        input(
          [workload("a-low", { cpu: 6 }), workload("z-high", { cpu: 6, priority: 5 })],
          [target("only", { pools: [pool("cpu", { maxNodes: 1 })] })],
        ),
      ),
    );
    expect(placements(result).get("z-high")).toEqual(["only/cpu"]);
    expect(result.unplaced.map((u) => u.workload)).toEqual(["a-low"]);
    expect(result.unplaced[0]?.reasons[0]).toBe(
      "capacity exhausted by higher-priority work on the only pool that passes every rule; a capacity change could fix this",
    );
    expect(result.unplaced[0]?.code).toBe("Unschedulable");
    expect(result.unplaced[0]?.reasons[1]).toContain("only/cpu: 1 of 1 nodes (maxNodes) in use");
  });

  it("all replicas or none: a workload that does not fit whole is left out", async () => {
    const result = await place(
      using(
        solver,
        input(
          [workload("big", { replicas: 3, cpu: 4 })],
          [target("t", { pools: [pool("cpu", { maxNodes: 2 })] })],
        ),
      ),
    );
    expect(result.assignments).toEqual([]);
    expect(result.unplaced.map((u) => u.workload)).toEqual(["big"]);
  });

  it("replicas split over pools only when one pool cannot take them all", async () => {
    const result = await place(
      using(
        solver,
        input(
          [workload("batch", { kind: "batch", replicas: 4, cpu: 3 })],
          [target("t", { pools: [pool("a", { maxNodes: 1 }), pool("b", { maxNodes: 1 })] })],
        ),
      ),
    );
    expect(result.assignments).toEqual([
      { workload: "batch", target: "t", pool: "a", replicas: 2 },
      { workload: "batch", target: "t", pool: "b", replicas: 2 },
    ]);
  });

  it("GPU: a workload that no pool can run says what is missing", async () => {
    const result = await place(
      using(
        solver,
        input(
          [
            workload("train", {
              kind: "training",
              gpu: { count: 8, models: ["H100"] },
              cpu: 16,
              memoryGiB: 64,
            }),
          ],
          [target("aws", { pools: [gpuPool("h100", "H100", 4), pool("cpu")] })],
        ),
      ),
    );
    expect(result.unplaced).toEqual([
      {
        workload: "train",
        reasons: [
          "no target or pool passes every hard rule; a capacity change could fix this",
          "needs 8 x H100 per node; the largest H100 node has 4; a capacity change could fix this",
        ],
        code: "Unschedulable",
      },
    ]);
  });
});
