// Labels every rendered object carries. The workload label is a fact (monitoring reads it too).
export { LABEL_WORKLOAD } from "../facts";
export const LABEL_OWNER = "hybrid-ai-infra.io/owner";
export const LABEL_DATA_CLASSIFICATION = "hybrid-ai-infra.io/data-classification";
export const MANAGED_BY = { "app.kubernetes.io/managed-by": "hybrid-ai-infra" } as const;
/**
 * The Deployment a pod belongs to (a workload split over pools has one per pool): its selector. The
 * pool is not in the selector, which is immutable: a move to another pool is a rolling update.
 */
export const LABEL_PART = "hybrid-ai-infra.io/part";
