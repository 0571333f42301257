import { poolFilter, unresolvable } from "./filter";

// A pool tainted NoSchedule or NoExecute takes only workloads that tolerate the taint. GPU
// workloads tolerate the NVIDIA GPU taint, and spot-tolerant workloads the taint a cloud puts on
// its spot nodes (the spot rule decides those); other tolerations are declared on the workload.

const GPU_TAINT_KEY = "nvidia.com/gpu";
/** Taint keys clouds put on spot capacity: AKS spot pools, GKE spot nodes. */
const SPOT_TAINT_KEYS = new Set(["kubernetes.azure.com/scalesetpriority", "cloud.google.com/gke-spot"]);
const BLOCKING = new Set(["NoSchedule", "NoExecute"]);

export const taints = poolFilter({
  rule: "taints",
  reads: ["gpu", "spotOk", "tolerations"],
  check: (w, _t, p) => {
    for (const taint of p.taints) {
      if (!BLOCKING.has(taint.effect)) continue;
      if (taint.key === GPU_TAINT_KEY && w.gpu > 0) continue;
      if (SPOT_TAINT_KEYS.has(taint.key) && p.spot && w.spotOk) continue;
      const tolerated = w.tolerations.some(
        (t) =>
          t.key === taint.key &&
          (t.value === undefined || t.value === taint.value) &&
          (t.effect === undefined || t.effect === taint.effect),
      );
      if (!tolerated) {
        const shown = `${taint.key}${taint.value === undefined ? "" : `=${taint.value}`}:${taint.effect}`;
        return unresolvable(`${p.key} is tainted ${shown}, which the workload does not tolerate`);
      }
    }
    return null;
  },
});
