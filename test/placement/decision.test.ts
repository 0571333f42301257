import { describe, expect, it } from "vitest";
import { checkDecision, type Decision, place } from "../../components/placement";
import { gpuPool, input, pool, target, workload } from "./fixtures";

// A decision made elsewhere is read against the input it is about to be applied to: known names,
// whole workloads, and every hard rule, each problem at the path of the row that has it.

const targets = [
  target("onprem", { pools: [pool("cpu"), gpuPool("gpu", "A100", 8)] }),
  target("cloud", { trust: "public" }),
];
const workloads = [
  workload("ledger", { classification: "restricted" }),
  workload("web", { replicas: 3, spread: { minTargets: 2 } }),
];
const messages = (decision: Decision): string[] =>
  checkDecision(input(workloads, targets), decision).map((i) => `${i.path}: ${i.message}`);

describe("checkDecision", () => {
  it("accepts what place() decided for the same input", async () => {
    const result = await place(input(workloads, targets));
    expect(result.unplaced).toEqual([]);
    expect(messages(result)).toEqual([]);
  });

  it("refuses a row that breaks a hard rule, in the filter's words", () => {
    expect(
      messages({
        assignments: [
          { workload: "ledger", target: "cloud", pool: "cpu", replicas: 1 },
          { workload: "web", target: "cloud", pool: "cpu", replicas: 2 },
          { workload: "web", target: "onprem", pool: "gpu", replicas: 1 },
        ],
        unplaced: [],
      }),
    ).toEqual([
      "decision.assignments[0]: puts ledger on cloud/cpu: restricted data runs only on private targets; cloud is in a public cloud (trust)",
      "decision.assignments[2]: puts web on onprem/gpu: needs no GPU; onprem/gpu has A100 GPUs, kept for GPU work (gpu-reserved)",
    ]);
  });

  it("refuses unknown names, repeated rows, partial or missing workloads and a broken spread", () => {
    expect(
      messages({
        assignments: [
          { workload: "ghost", target: "onprem", pool: "cpu", replicas: 1 },
          { workload: "ledger", target: "mars", pool: "cpu", replicas: 1 },
          { workload: "web", target: "onprem", pool: "tpu", replicas: 1 },
          { workload: "web", target: "cloud", pool: "cpu", replicas: 1 },
          { workload: "web", target: "cloud", pool: "cpu", replicas: 1 },
        ],
        unplaced: [{ workload: "nobody", reasons: [] }],
      }),
    ).toEqual([
      'decision.assignments[0]: names workload "ghost", which is not in the catalog',
      'decision.assignments[1]: names target "mars", which is not among the targets',
      'decision.assignments[2]: names pool "tpu", which target "onprem" does not have',
      "decision.assignments[4]: repeats decision.assignments[3] (web on cloud/cpu); one row per pool",
      'decision.unplaced[0]: names workload "nobody", which is not in the catalog',
      "decision: places none of ledger's 1 replicas and does not list it as unplaced; the decision was made for another catalog",
      "decision.assignments: places 2 replicas of web, which has 3; a workload runs whole or not at all",
      "decision.assignments: places web on 1 target; its spread needs 2",
    ]);
  });

  it("takes a workload listed unplaced with no rows, and refuses one listed unplaced yet placed", () => {
    const web = [
      { workload: "web", target: "cloud", pool: "cpu", replicas: 2 },
      { workload: "web", target: "onprem", pool: "cpu", replicas: 1 },
    ];
    expect(messages({ assignments: web, unplaced: [{ workload: "ledger", reasons: ["no room"] }] })).toEqual(
      [],
    );
    expect(
      messages({
        assignments: web,
        unplaced: [
          { workload: "ledger", reasons: [] },
          { workload: "web", reasons: [] },
        ],
      }),
    ).toEqual([
      "decision.unplaced[1]: lists web as unplaced, yet decision.assignments places 3 of its replicas",
    ]);
  });
});
