import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findCandidates } from "../../components/placement/candidates";
import { buildModel } from "../../components/placement/model";
import { buildProblem, fitCount } from "../../components/placement/solver/problem";
import { Node, State } from "../../components/placement/solver/state";
import { parsePlacementInput } from "../../components/placement/validate";
import { input, pool, target, workload } from "./fixtures";

// The state keeps, by pool, an upper bound on the room left on any node in use, so that a scan
// for room on a pool whose nodes are all full is skipped (and costs no work: the budget then buys
// search elsewhere). Skipping is only sound while the bound never falls below a node's real room.

const SIZES = [
  { cpu: 1, memoryGiB: 2 },
  { cpu: 3, memoryGiB: 4 },
  { cpu: 2, memoryGiB: 12 },
  { cpu: 5, memoryGiB: 6 },
];

function newState(): State {
  const value = input(
    SIZES.map((size, i) => workload(`w${i}`, { ...size, replicas: 40 })),
    [target("a", { pools: [pool("small"), pool("big", { node: { cpu: 16, memoryGiB: 64 } })] })],
  );
  const model = buildModel(parsePlacementInput(value));
  return new State(buildProblem(model, findCandidates(model)));
}

type Op =
  | { kind: "add"; w: number; p: number; node: number; k: number }
  | { kind: "remove"; w: number }
  | { kind: "insert"; w: number; p: number; k: number; open: boolean }
  | { kind: "mark" }
  | { kind: "rollback" }
  | { kind: "commit" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("add" as const),
    w: fc.nat(3),
    p: fc.nat(1),
    node: fc.nat(5),
    k: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ kind: fc.constant("remove" as const), w: fc.nat(3) }),
  fc.record({
    kind: fc.constant("insert" as const),
    w: fc.nat(3),
    p: fc.nat(1),
    k: fc.integer({ min: 1, max: 6 }),
    open: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("mark" as const) }),
  fc.record({ kind: fc.constant("rollback" as const) }),
  fc.record({ kind: fc.constant("commit" as const) }),
);

describe("placement state: room bound", () => {
  it("never claims a pool full while a node in use has room (any sequence of moves and undos)", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const state = newState();
        let mark = state.mark();
        for (const op of ops) {
          if (op.kind === "add") {
            const nodes = state.poolNodes(op.p);
            let node = nodes[op.node];
            if (node === undefined) {
              node = new Node();
              nodes.push(node);
            }
            const pool = state.pool(op.p);
            const wl = state.workload(op.w);
            if (fitCount(wl, pool, node.cpu, node.mem, node.gpu) >= op.k) state.add(op.w, op.p, node, op.k);
          } else if (op.kind === "remove") state.removeWorkload(op.w);
          else if (op.kind === "insert") state.insert(op.w, op.p, op.k, op.open);
          else if (op.kind === "mark") mark = state.mark();
          else if (op.kind === "rollback") state.rollback(Math.min(mark, state.mark()));
          else {
            state.commit();
            mark = state.mark();
          }
          for (const p of [0, 1]) {
            const pool = state.pool(p);
            for (const w of [0, 1, 2, 3]) {
              const wl = state.workload(w);
              const room = state
                .poolNodes(p)
                .some((n) => n.replicas > 0 && fitCount(wl, pool, n.cpu, n.mem, n.gpu) > 0);
              if (room) expect(state.mayFit(p, wl)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("looks for room on a pool of full nodes without visiting them", () => {
    const state = newState();
    // Pool "small" (8 cpu, 32 GiB): 30 nodes, each as full of w0 (1 cpu, 2 GiB) as it goes.
    const small = state.problem.model.pools.findIndex((p) => p.name === "small");
    const perNode = fitCount(state.workload(0), state.pool(small), 0, 0, 0);
    const nodes = state.poolNodes(small);
    for (let i = 0; i < 30; i++) {
      const node = new Node();
      nodes.push(node);
      state.add(0, small, node, perNode);
    }
    state.commit();
    const before = state.work;
    expect(state.insert(1, small, 1, false)).toBe(0);
    expect(state.work - before).toBeLessThan(30);
    // Once a node has room again, the scan finds it.
    const first = nodes[0];
    if (first === undefined) throw new Error("no node");
    state.add(0, small, first, -4);
    expect(state.insert(1, small, 1, false)).toBe(1);
  });
});
