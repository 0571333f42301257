// The placement folder's second door (never published): the catalog's placement fields, which the
// Kubernetes folder extends with how to run each workload.

export { ruleRejectionsOf } from "./eligibility";
export { workloadSchema } from "./schema";
