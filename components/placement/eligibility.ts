import { ruleRejections } from "./candidates";
import { buildModel } from "./model";
import type { PlacementInput, Rejection } from "./types";
import { parsePlacementInput } from "./validate";
import { withCode } from "./words";

// Where a workload may run under the hard rules alone, capacity aside: the same filters `place()`
// runs, asked of one workload. Queues use it to tell "placed in the cloud because the private site
// was full" (the private site passes every rule) from "placed in the cloud because nothing else may
// run it" (a rule keeps it off the private site).

/** One target's answer for a workload. */
export interface Eligibility {
  /** The pools that pass every hard rule, by name, sorted. */
  pools: string[];
  /** The first rule each other candidate broke (`target` or `target/pool`), in the filters' words. */
  rejected: { candidate: string; reason: string }[];
}

/**
 * For every target of `input`: the pools `workload` (a name in `input.workloads`) may run on. The
 * whole input is read, as `place()` reads it: whether a dataset is reachable depends on which
 * targets host it. Throws the usual ConfigError when the input is invalid.
 */
export function eligibility(input: PlacementInput, workload: string): Record<string, Eligibility> {
  const model = buildModel(parsePlacementInput(input));
  const w = model.workloads.find((x) => x.name === workload);
  if (!w) throw new Error(`eligibility: "${workload}" is not a workload of the input`);
  const rejections = ruleRejections(model, w);
  const out: Record<string, Eligibility> = {};
  for (const t of model.targets) {
    const mine = rejections.filter((r) => r.target === t.index);
    const wholeTarget = mine.some((r) => r.pool === null);
    const ruledOut = new Set(mine.map((r) => r.pool));
    out[t.name] = {
      pools: wholeTarget ? [] : t.pools.filter((p) => !ruledOut.has(p.index)).map((p) => p.name),
      rejected: mine.map((r) => ({ candidate: r.candidate, reason: withCode(r.reason, r.code) })),
    };
  }
  return out;
}

/**
 * The hard rules each of `workloads` (names in `input.workloads`) breaks, candidate by candidate,
 * in the words and codes of `place()`'s explanations, from one model of the input. The Kubernetes
 * folder asks it of Jobs it holds where they run (a pin), to explain them by the rules that hold
 * without the pin.
 */
export function ruleRejectionsOf(
  input: PlacementInput,
  workloads: readonly string[],
): Map<string, Rejection[]> {
  const out = new Map<string, Rejection[]>();
  if (workloads.length === 0) return out;
  const model = buildModel(parsePlacementInput(input));
  const byName = new Map(model.workloads.map((w) => [w.name, w]));
  for (const name of workloads) {
    const w = byName.get(name);
    if (!w) throw new Error(`ruleRejectionsOf: "${name}" is not a workload of the input`);
    out.set(
      name,
      ruleRejections(model, w).map((r) => ({
        candidate: r.candidate,
        reason: withCode(r.reason, r.code),
        rule: r.rule,
        code: r.code,
      })),
    );
  }
  return out;
}
