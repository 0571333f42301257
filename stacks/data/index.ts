// Data copies across sites (backups, their restore drills, staging next to placed readers): what
// runs where, decided from config and placement (model), the stores, endpoints and identities
// the platform phase declares (platform), and the Jobs the cluster phase renders (cluster).
export { type ClusterCopiesView, declareDataCopies } from "./cluster";
export { type DatasetView, datasetViews, type PlannedCopy, planCopies } from "./model";
export {
  type AzureStoreRef,
  type ClusterCopies,
  copyPool,
  type DataOutputs,
  declareData,
  type StagedStores,
} from "./platform";
export { COPY_CONTAINERS, manifestKey } from "./stores";
