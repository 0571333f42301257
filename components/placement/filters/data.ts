import { list } from "../words";
import { targetFilter, unresolvable } from "./filter";

// A workload runs only where it can read every dataset it declares: hosted on the target, or
// hosted elsewhere on a path the target was given (`remoteDatasets`). A target that says nothing
// about remote datasets reaches them all, at its egress price.

export const data = targetFilter({
  rule: "data",
  reads: ["datasetNames"],
  check: (w, t) => {
    if (t.remoteDatasets === null) return null;
    const reachable = t.remoteDatasets;
    const missing = w.datasetNames.filter((d) => !t.datasets.has(d) && !reachable.has(d));
    if (missing.length === 0) return null;
    const one = missing.length === 1;
    return unresolvable(
      `reads ${list(missing)}, which ${t.name} neither hosts nor reaches (no network path and identity ${one ? "grants it" : "grant them"} there)`,
    );
  },
});
