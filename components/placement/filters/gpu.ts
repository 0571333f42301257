import type { WorkloadModel } from "../model";
import { gpus, list } from "../words";
import { poolFilter, unresolvable, unschedulable } from "./filter";

// A GPU workload needs a pool whose node GPU model is one it accepts (any when it names none;
// compared without regard to case) with at least as many GPUs per node as one replica asks for.
// A pool without GPUs, or with another model, is the wrong kind; too few GPUs per node is a node
// size, which a capacity change fixes.

function acceptsModel(w: Pick<WorkloadModel, "gpuModels">, model: string | null): boolean {
  if (model === null) return false;
  if (w.gpuModels === null) return true;
  const wanted = model.toLowerCase();
  return w.gpuModels.some((m) => m.toLowerCase() === wanted);
}

export const gpu = poolFilter({
  rule: "gpu",
  reads: ["gpu", "gpuModels"],
  check: (w, _t, p) => {
    if (w.gpu === 0) return null;
    if (p.nodeGpu === 0)
      return unresolvable(`needs ${gpus(w.gpu, w.gpuModels)} per replica; ${p.key} has no GPUs`);
    if (!acceptsModel(w, p.gpuModel))
      return unresolvable(`needs ${gpus(w.gpu, w.gpuModels)}; ${p.key} has ${p.gpuModel}`);
    return p.nodeGpu >= w.gpu
      ? null
      : unschedulable(
          `needs ${gpus(w.gpu, w.gpuModels)} per node; ${p.key} has ${p.nodeGpu} x ${p.gpuModel}`,
        );
  },
  missing: (w, rejected) => {
    const suitable = rejected.filter((p) => acceptsModel(w, p.gpuModel));
    if (suitable.length === 0) {
      const seen = [
        ...new Set(rejected.map((p) => p.gpuModel).filter((m): m is string => m !== null)),
      ].sort();
      return unresolvable(
        seen.length === 0
          ? `needs ${gpus(w.gpu, w.gpuModels)} per replica; no eligible pool has GPUs`
          : `needs ${gpus(w.gpu, w.gpuModels)} per replica; eligible pools have only ${list(seen)}`,
      );
    }
    const largest = suitable.reduce((best, p) => (p.nodeGpu > best.nodeGpu ? p : best));
    const model = w.gpuModels?.length === 1 ? (w.gpuModels[0] ?? largest.gpuModel) : largest.gpuModel;
    return unschedulable(
      `needs ${gpus(w.gpu, w.gpuModels)} per node; the largest ${model} node has ${largest.nodeGpu}`,
    );
  },
});
