import type { WorkloadModel } from "../model";
import { gpus, list } from "../words";
import type { PoolFilter } from "./filter";

// A GPU workload needs a pool whose node GPU model is one it accepts (any when it names none;
// compared without regard to case) with at least as many GPUs per node as one replica asks for.

function acceptsModel(w: WorkloadModel, model: string | null): boolean {
  if (model === null) return false;
  if (w.gpuModels === null) return true;
  const wanted = model.toLowerCase();
  return w.gpuModels.some((m) => m.toLowerCase() === wanted);
}

export const gpu: PoolFilter = {
  rule: "gpu",
  check: (w, _t, p) => {
    if (w.gpu === 0) return null;
    if (p.nodeGpu === 0) return `needs ${gpus(w.gpu, w.gpuModels)} per replica; ${p.key} has no GPUs`;
    if (!acceptsModel(w, p.gpuModel)) return `needs ${gpus(w.gpu, w.gpuModels)}; ${p.key} has ${p.gpuModel}`;
    return p.nodeGpu >= w.gpu
      ? null
      : `needs ${gpus(w.gpu, w.gpuModels)} per node; ${p.key} has ${p.nodeGpu} x ${p.gpuModel}`;
  },
  missing: (w, rejected) => {
    const suitable = rejected.filter((p) => acceptsModel(w, p.gpuModel));
    if (suitable.length === 0) {
      const seen = [
        ...new Set(rejected.map((p) => p.gpuModel).filter((m): m is string => m !== null)),
      ].sort();
      return seen.length === 0
        ? `needs ${gpus(w.gpu, w.gpuModels)} per replica; no eligible pool has GPUs`
        : `needs ${gpus(w.gpu, w.gpuModels)} per replica; eligible pools have only ${list(seen)}`;
    }
    const largest = suitable.reduce((best, p) => (p.nodeGpu > best.nodeGpu ? p : best));
    const model = w.gpuModels?.length === 1 ? (w.gpuModels[0] ?? largest.gpuModel) : largest.gpuModel;
    return `needs ${gpus(w.gpu, w.gpuModels)} per node; the largest ${model} node has ${largest.nodeGpu}`;
  },
};
