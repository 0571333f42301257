import type { PlacementInput, PlacementLock, PlacementResult, Target } from "../placement";
import { ruleRejectionsOf } from "../placement/internal";
import { namespaceOf } from "./render";
import { QUEUED_KINDS, type WorkloadSpec } from "./spec";

// An applied Job stays where it runs. Its object is declared per cluster (and per pool part), so a
// Job that placement moved to another cluster is a new resource there, and the update deletes the
// old one at its end: a running training Job is killed, a finished Job runs again. Within one
// resource Pulumi ignores the Job's spec (JOB_IGNORED_CHANGES), but nothing spans two clusters.
// So placement gets each applied Job pinned where the previous decision put it, unless the catalog
// pins it itself (a deliberate move) or the Job starts a new run (a new object, free to go anywhere).

/** Where an applied Job is held: `target/pool` when it ran on one pool, else `target`. */
export type AppliedJobPins = ReadonlyMap<string, string>;

/**
 * The pin of each Job of `workloads` that the previous decision placed on one target that still
 * exists, in the same run and namespace as `previousWorkloads` (default `workloads`: a run raised
 * without it cannot be told apart, and stays where it ran).
 */
export function appliedJobPins(
  workloads: readonly WorkloadSpec[],
  targets: readonly Target[],
  previous: PlacementLock | undefined,
  previousWorkloads: readonly WorkloadSpec[] | undefined,
): AppliedJobPins {
  const pins = new Map<string, string>();
  if (!previous) return pins;
  const before = new Map((previousWorkloads ?? workloads).map((w) => [w.name, w]));
  for (const w of workloads) {
    // A spread over clusters is a Job per cluster, which no single pin can hold.
    if (!QUEUED_KINDS.includes(w.kind) || w.pin !== undefined || (w.spread?.minTargets ?? 1) > 1) continue;
    const was = before.get(w.name);
    // Another run or another namespace is another object: the update creates it beside the old.
    if (!was || (was.run ?? 1) !== (w.run ?? 1) || namespaceOf(was) !== namespaceOf(w)) continue;
    const rows = previous.assignments.filter((a) => a.workload === w.name);
    const target = targets.find((t) => t.name === rows[0]?.target);
    // Split over clusters (each part its own Job), or its cluster gone (and the Job with it).
    if (!target || rows.some((a) => a.target !== target.name)) continue;
    const pools = new Set(rows.map((a) => a.pool));
    const [pool] = pools;
    // One pool: there, as its pods keep the pool they started on. Split over pools: its cluster.
    pins.set(
      w.name,
      pools.size === 1 && target.pools.some((p) => p.name === pool) ? `${target.name}/${pool}` : target.name,
    );
  }
  return pins;
}

/** Why a held Job is unplaced: it stays where it runs, and what moves it. */
export function heldJobReason(name: string, pin: string, previousWorkloadsGiven: boolean): string {
  return `${name} is a Job the previous decision put on ${pin}, and an update never moves an applied Job (its cluster's object would be deleted and the run started over elsewhere): give it a pin to move it${previousWorkloadsGiven ? ", or raise its run to start it anew" : ""}`;
}

/**
 * `result` with each held Job's explanation in its own words. Placement names the hold as the pin
 * it is (`pinned to dc1/a100` for every other candidate), which reads as if the catalog pinned the
 * Job and hides the rules that keep it off those candidates anyway. So each held Job's rejected
 * candidates are the hard rules it breaks without the hold (`unpinned`: the input before the holds),
 * then the hold (`held on dc1/a100, ...`) for the candidates that pass every rule.
 */
export function explainHeld(
  result: PlacementResult,
  pins: AppliedJobPins,
  unpinned: PlacementInput,
): PlacementResult {
  const held = [...pins.keys()].filter((name) => result.explanations[name] !== undefined);
  if (held.length === 0) return result;
  const rules = ruleRejectionsOf(unpinned, held);
  const poolsOf = new Map(unpinned.targets.map((t) => [t.name, t.pools.map((p) => `${t.name}/${p.name}`)]));
  const explanations = { ...result.explanations };
  for (const name of held) {
    const e = explanations[name];
    const pin = pins.get(name);
    if (!e || pin === undefined) continue;
    const broken = rules.get(name) ?? [];
    const said = new Set(broken.map((r) => r.candidate));
    // A candidate the hold rejects whole is told by its rules when each of its pools breaks one.
    const told = (candidate: string): boolean =>
      said.has(candidate) || (poolsOf.get(candidate)?.every((p) => said.has(p)) ?? false);
    const others = e.rejected.filter((r) => r.rule !== "pin");
    const byRule = [
      ...broken,
      ...e.rejected
        .filter((r) => r.rule === "pin" && !told(r.candidate))
        .map((r) => ({ ...r, reason: heldWords(r.reason, pin) })),
    ]
      .filter((r) => !others.some((o) => o.candidate === r.candidate))
      .sort((a, b) => (a.candidate < b.candidate ? -1 : a.candidate > b.candidate ? 1 : 0));
    // Placement counted the candidates the hold rejected; the rules may split a target into pools.
    const reason = heldWords(e.reason, pin).replace(/; \d+ other candidates? broke a rule$/, "");
    const count = byRule.length;
    explanations[name] = {
      ...e,
      reason:
        count > 0 ? `${reason}; ${count} other candidate${count === 1 ? "" : "s"} broke a rule` : reason,
      rejected: [...others, ...byRule],
    };
  }
  return {
    ...result,
    explanations,
    unplaced: result.unplaced.map((u) => {
      const pin = pins.get(u.workload);
      return pin ? { ...u, reasons: u.reasons.map((r) => heldWords(r, pin)) } : u;
    }),
  };
}

/** `text` with placement's `pinned to dc1/a100` said as the hold it is. */
export function heldWords(text: string, pin: string): string {
  const at = text.indexOf(`pinned to ${pin}`);
  const end = at + `pinned to ${pin}`.length;
  if (at < 0 || (end < text.length && text[end] !== ";")) return text;
  return `${text.slice(0, at)}held on ${pin}, where the applied Job runs until its next run${text.slice(end)}`;
}
