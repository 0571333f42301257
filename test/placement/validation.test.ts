import { describe, expect, it } from "vitest";
import { type PlacementInput, place, validatePlacementInput } from "../../components/placement";
import { ConfigError } from "../../components/validation";
import { gpuPool, input, pool, target, workload } from "./fixtures";

function problems(value: unknown): ConfigError {
  try {
    validatePlacementInput(value);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("placement input validation", () => {
  it("accepts a valid input and applies nothing surprising", () => {
    const parsed = validatePlacementInput(input([workload("web")], [target("a")]));
    expect(parsed.workloads[0]?.name).toBe("web");
  });

  it("lists every problem at once, each with its path and value", () => {
    const bad = {
      workloads: [
        { ...workload("web"), replicas: 0 },
        { ...workload("web"), classification: "secret" },
        { ...workload("job"), kind: "cron", cpu: -1 },
      ],
      targets: [target("a", { pools: [pool("cpu", { maxNodes: 1, minNodes: 2, headroom: 1 })] })],
    };
    const error = problems(bad);
    expect(error.subject).toBe("placement input");
    const text = error.message;
    expect(text).toContain("workloads[0].replicas: 0 is too small");
    expect(text).toContain(
      'workloads[1].classification: "secret" is not valid; use one of "public", "internal", "confidential", "restricted"',
    );
    expect(text).toContain('workloads[2].kind: "cron" is not valid');
    expect(text).toContain("workloads[2].cpu: -1 is too small");
    expect(text).toContain('workloads[1].name: "web" is already the name of workloads[0]');
    expect(text).toContain("targets[0].pools[0].maxNodes: 1 is below minNodes 2");
    expect(text).toContain("targets[0].pools[0].headroom: 1 is too big");
    expect(error.issues.length).toBeGreaterThanOrEqual(7);
  });

  it("names unknown pins with the valid choices", () => {
    const error = problems(
      input(
        [workload("a", { pin: "nowhere" }), workload("b", { pin: "t1/gpu" })],
        [target("t1", { pools: [pool("cpu"), pool("mem")] })],
      ),
    );
    expect(error.message).toContain('workloads[0].pin: "nowhere" names no target; targets are t1');
    expect(error.message).toContain('workloads[1].pin: "t1/gpu" names no pool of t1; its pools are cpu, mem');
  });

  it("rejects duplicate targets, duplicate pools within a target and slashes in names", () => {
    const error = problems(
      input(
        [workload("a")],
        [target("t1", { pools: [pool("cpu"), pool("cpu")] }), target("t1"), target("x/y")],
      ),
    );
    expect(error.message).toContain('targets[1].name: "t1" is already the name of targets[0]');
    expect(error.message).toContain(
      'targets[0].pools[1].name: "cpu" is already the name of targets[0].pools[0]',
    );
    expect(error.message).toContain("targets[2].name: \"x/y\" must not contain '/'");
  });

  it("rejects a spread wider than the replicas and non-integer GPU counts", () => {
    const error = problems(
      input(
        [workload("a", { replicas: 2, spread: { minTargets: 3 } }), workload("g", { gpu: { count: 1.5 } })],
        [target("t1", { pools: [gpuPool("gpu", "A100", 8)] })],
      ),
    );
    expect(error.message).toContain("workloads[0].spread.minTargets: 3 exceeds replicas 2");
    expect(error.message).toContain("workloads[1].gpu.count: expected an int, got 1.5");
  });

  it("rejects negative prices and a zero-size node", () => {
    const error = problems(
      input(
        [workload("a")],
        [target("t1", { pools: [pool("cpu", { pricePerNodeHour: -1, node: { cpu: 0, memoryGiB: 4 } })] })],
      ),
    );
    expect(error.message).toContain("targets[0].pools[0].pricePerNodeHour: -1 is too small");
    expect(error.message).toContain("targets[0].pools[0].node.cpu: 0 is too small");
  });

  it("rejects a pool with no capacity (maxNodes 0), naming the pool, beside its other problems", () => {
    const error = problems(
      input(
        [workload("a")],
        [
          target("t1", {
            pools: [
              pool("cpu"),
              pool("gpu", { maxNodes: 0, pricePerNodeHour: -1 }),
              pool("half", { maxNodes: 1.5 }),
            ],
          }),
        ],
      ),
    );
    expect(error.message).toContain(
      'targets[0].pools[1].maxNodes: 0 leaves pool "gpu" no capacity; maxNodes must be at least 1',
    );
    expect(error.message).toContain("targets[0].pools[1].pricePerNodeHour: -1 is too small");
    expect(error.message).toContain("targets[0].pools[2].maxNodes: expected an int, got 1.5");
    expect(error.issues.filter((i) => i.path.endsWith("maxNodes"))).toHaveLength(2);
  });

  it("refuses replica counts beyond the ceiling, and names NaN and Infinity as such", () => {
    const huge = problems(input([{ ...workload("typo"), replicas: 1_000_000 }], [target("a")]));
    expect(huge.message).toContain(
      "workloads[0].replicas: 1000000 is too big: the most one workload may ask for is 10000 replicas",
    );
    const nan = problems(
      input([{ ...workload("w"), replicas: Number.NaN, cpu: Number.POSITIVE_INFINITY }], [target("a")]),
    );
    expect(nan.message).toContain("workloads[0].replicas: expected a number, got NaN");
    expect(nan.message).toContain("workloads[0].cpu: expected a number, got Infinity");
  });

  it("reports a workload no pool set could hold at once, with the capacity it would need", async () => {
    // 10 000 replicas on a pool that holds 14: unplaced without the solvers packing any of it.
    const started = Date.now();
    const result = await place(
      input(
        [{ ...workload("typo"), replicas: 10_000, cpu: 1, memoryGiB: 2 }],
        [
          target("a", {
            pools: [pool("cpu", { node: { cpu: 8, memoryGiB: 32 }, maxNodes: 2, headroom: 0.1 })],
          }),
        ],
      ),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.unplaced).toEqual([
      {
        workload: "typo",
        code: "Unschedulable",
        reasons: [
          "needs 10000 replicas; the only pool that passes every rule holds at most 14 at maxNodes; a capacity change could fix this",
          "a/cpu: 2 nodes (maxNodes) x 7 per node = 14",
        ],
      },
    ]);
    expect(result.explanations.typo?.rejected.map((r) => r.candidate)).toEqual(["a/cpu"]);
  });

  it("validates before anything else: place() throws the same ConfigError", () => {
    const bad = { workloads: [{ name: "x" }], targets: [] } as unknown as PlacementInput;
    expect(() => place(bad)).toThrow(ConfigError);
    expect(() => place(bad)).toThrow(/workloads\[0\]\.replicas: is required \(a number\)/);
  });

  it("ignores lock rows for workloads that no longer exist; a row for a vanished pool counts as a move", async () => {
    const result = await place(
      input([workload("web")], [target("a")], {
        previous: {
          version: 1,
          assignments: [
            { workload: "gone", target: "a", pool: "cpu", replicas: 1 },
            { workload: "web", target: "old", pool: "cpu", replicas: 1 },
          ],
        },
      }),
    );
    expect(result.assignments).toEqual([{ workload: "web", target: "a", pool: "cpu", replicas: 1 }]);
    // web's lock named a pool that is gone, so it moved whatever happens.
    expect(result.cost.movePenalty).toBe(1);
  });
});
