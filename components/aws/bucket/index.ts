// The encrypted S3 bucket: its args, the pure policy documents, and the component that wires the rest.
export {
  type AwsEncryptedBucketArgs,
  BUCKET_DEFAULTS,
  bucketArgsSchema,
  checkDerivedBucketPrefix,
  type ParsedBucketArgs,
  parseBucketArgs,
  type ResolvedBucketArgs,
  resolveBucketArgs,
} from "./args";
export { AwsEncryptedBucket } from "./encrypted-bucket";
export { type BucketPolicyRefs, bucketPolicyDocument, type PolicyDocument } from "./policy";
export { replicationPolicyDocument } from "./replication";
