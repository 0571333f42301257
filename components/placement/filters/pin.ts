import { poolFilter, targetFilter, unresolvable } from "./filter";

// `pin` limits the candidates to one target, or to one pool of it.

export const pinTarget = targetFilter({
  rule: "pin",
  reads: ["pinTarget", "pinPool"],
  check: (w, t) =>
    w.pinTarget === null || w.pinTarget === t.name
      ? null
      : unresolvable(`pinned to ${pinText(w)}; ${t.name} is another target`),
});

export const pinPool = poolFilter({
  rule: "pin",
  reads: ["pinTarget", "pinPool"],
  check: (w, _t, p) =>
    w.pinPool === null || w.pinPool === p.name
      ? null
      : unresolvable(`pinned to ${pinText(w)}; ${p.key} is another pool`),
});

function pinText(w: { pinTarget: string | null; pinPool: string | null }): string {
  return w.pinPool === null ? `${w.pinTarget}` : `${w.pinTarget}/${w.pinPool}`;
}
