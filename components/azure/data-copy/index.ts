// Data copies on Azure: the identity a copy runs as (federated with the cluster that runs it, its
// dataset's folders only) and the conditions that narrow its roles.
export { type BlobWriteScope, blobWriteCondition } from "./condition";
export {
  AzureDataCopyIdentity,
  type AzureDataCopyIdentityArgs,
  type CopyContainerGrant,
} from "./copy-identity";
