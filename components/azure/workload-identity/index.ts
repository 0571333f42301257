// A workload's own Azure identity: workload identity federation, reading only its datasets.
export { type BlobDatasetGrant, datasetReadCondition } from "./condition";
export { ENTRA_ID_TOKEN_CIDRS } from "./entra";
export {
  AzureWorkloadIdentity,
  type AzureWorkloadIdentityArgs,
  ENTRA_TOKEN_AUDIENCE,
} from "./workload-identity";
