import { poolFilter, unresolvable } from "./filter";

// GPU nodes are tainted for GPU work only: a workload without `gpu` never lands on a GPU pool.

export const gpuReserved = poolFilter({
  rule: "gpu-reserved",
  reads: ["gpu"],
  check: (w, _t, p) =>
    w.gpu > 0 || p.nodeGpu === 0
      ? null
      : unresolvable(`needs no GPU; ${p.key} has ${p.gpuModel} GPUs, kept for GPU work`),
});
