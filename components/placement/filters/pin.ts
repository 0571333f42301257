import type { PoolFilter, TargetFilter } from "./filter";

// `pin` limits the candidates to one target, or to one pool of it.

export const pinTarget: TargetFilter = {
  rule: "pin",
  check: (w, t) =>
    w.pinTarget === null || w.pinTarget === t.name
      ? null
      : `pinned to ${pinText(w)}; ${t.name} is another target`,
};

export const pinPool: PoolFilter = {
  rule: "pin",
  check: (w, _t, p) =>
    w.pinPool === null || w.pinPool === p.name ? null : `pinned to ${pinText(w)}; ${p.key} is another pool`,
};

function pinText(w: { pinTarget: string | null; pinPool: string | null }): string {
  return w.pinPool === null ? `${w.pinTarget}` : `${w.pinTarget}/${w.pinPool}`;
}
