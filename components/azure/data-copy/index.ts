// Data copies on Azure: the identity a copy runs as (federated with the cluster that runs it, or an
// Entra application with the on-premises site's certificate; its dataset's folders only) and the
// conditions that narrow its roles.
export {
  type EntraCertificateFacts,
  entraCertificateFacts,
  entraCertificateSchema,
  entraCertificatesSchema,
} from "./certificate";
export { type BlobWriteScope, blobWriteCondition } from "./condition";
export { AzureDataCopyApplication, type AzureDataCopyApplicationArgs } from "./copy-application";
export {
  AzureDataCopyIdentity,
  type AzureDataCopyIdentityArgs,
  type CopyContainerGrant,
} from "./copy-identity";
