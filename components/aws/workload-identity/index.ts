// A workload's own AWS identity: EKS Pod Identity, reading only its datasets.
export { type DatasetGrant, datasetReadPolicy } from "./policy";
export {
  AwsWorkloadIdentity,
  type AwsWorkloadIdentityArgs,
  workloadIdentityNames,
} from "./workload-identity";
