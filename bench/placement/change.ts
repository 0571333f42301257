import type { PlacementInput } from "../../components/placement";
import { feasibleWorkload } from "./generator";
import { Rng } from "./rng";

// A 1% change to an instance, the kind a pull request makes: a few workloads removed, a few
// resized, a few added. Targets stay as they were.

export function perturb(input: PlacementInput, seed: number, share = 0.01): PlacementInput {
  const rng = new Rng(seed);
  const n = Math.max(1, Math.round(input.workloads.length * share));
  const datasets = [...new Set(input.targets.flatMap((t) => t.datasets ?? []))].sort();
  const workloads = input.workloads.map((w) => structuredClone(w));
  const removeCount = Math.max(0, Math.floor(n / 3));
  const changeCount = Math.max(0, Math.floor(n / 3));
  const addCount = n - removeCount - changeCount;
  for (let i = 0; i < removeCount && workloads.length > 1; i++)
    workloads.splice(rng.int(0, workloads.length - 1), 1);
  for (let i = 0; i < changeCount; i++) {
    const w = workloads[rng.int(0, workloads.length - 1)];
    if (w === undefined) continue;
    if (rng.chance(0.5)) w.replicas += 1;
    else if (w.replicas > (w.spread?.minTargets ?? 1)) w.replicas -= 1;
    else w.replicas += 1;
  }
  for (let i = 0; i < addCount; i++) {
    workloads.push(feasibleWorkload(rng, `new-${seed}-${i}`, input.targets, datasets));
  }
  return { ...input, workloads, previous: undefined };
}
