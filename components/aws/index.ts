// AWS components and the AWS building blocks other folders (network) reuse.
export { type AwsContext, awsContext, serviceTrustPolicy } from "./context";
export { createKmsKey, type KmsKeyOptions } from "./kms";
export { createLogGroup, LOG_RETENTION_DAYS } from "./logs";
