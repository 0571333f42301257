// A workload's own Azure identity: workload identity federation, reading only its datasets.
export { type BlobDatasetGrant, datasetReadCondition } from "./condition";
export { ENTRA_ID_TOKEN_CIDRS } from "./entra";
export {
  blobContainerNameSchema,
  containerScope,
  createFederatedIdentity,
  ENTRA_TOKEN_AUDIENCE,
  federatedIdentityArgsShape,
  storageAccountIdSchema,
} from "./federation";
export { AzureWorkloadIdentity, type AzureWorkloadIdentityArgs } from "./workload-identity";
