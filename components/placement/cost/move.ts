import type { PreviousPlacement } from "../model";

/**
 * Whether a workload moved: the lock placed it, and its set of (target, pool) now differs (being
 * unplaced counts as a different set). Replica counts within the same pools are not a move.
 */
export function hasMoved(previous: PreviousPlacement | null, pools: Iterable<number>): boolean {
  if (previous === null) return false;
  if (previous.lost) return true;
  let size = 0;
  for (const p of pools) {
    if (!previous.parts.has(p)) return true;
    size += 1;
  }
  return size !== previous.parts.size;
}

/** The move penalty of one workload, $/h. */
export function movePenalty(
  previous: PreviousPlacement | null,
  pools: Iterable<number>,
  moveCost: number,
): number {
  return hasMoved(previous, pools) ? moveCost : 0;
}
