// Data copies (backups, staging, restore drills) as rclone Jobs: their rclone configuration and
// program, their Kubernetes objects, and the DataCopies component that applies them.
export { DataCopies, type DataCopiesArgs } from "./data-copies";
export type { ConfigMapObject, CopyJobObject, CronJobObject, DataCopyObject } from "./objects";
export {
  type AwsS3Store,
  type AzureBlobStore,
  type CopyStore,
  type OnPremS3Store,
  onPremCredentialsTemplate,
  renderRcloneConfig,
  rolesAnywhereAwsConfig,
  secretKeysIn,
} from "./rclone-config";
export {
  boundedName,
  COPY_KIND_LABELS,
  copyAnnotations,
  copyRemotes,
  copySettings,
  DATA_ANNOTATIONS,
  DATA_COPY_NAMESPACE,
  type DataCopiesRenderInput,
  LABEL_DATA_COPY,
  ROLES_ANYWHERE_PROFILE,
  renderDataCopies,
} from "./render";
export { COPY_SCRIPT, DRILL_SCRIPT } from "./scripts";
export {
  type CopyDestinationFacts,
  type CopyEgress,
  type CopyEnd,
  type CopyIdentity,
  DATA_COPY_KINDS,
  type DataCopyKind,
  type DataCopySpec,
  type EntraCertificateCredential,
  type RolesAnywhereCredential,
} from "./spec";
export {
  bandwidthSchema,
  batchSizeSchema,
  cronProblem,
  cronScheduleSchema,
  describeSchedule,
} from "./values";
