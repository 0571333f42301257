import * as s3 from "@pulumi/aws/s3";
import type * as pulumi from "@pulumi/pulumi";
import type { ResolvedBucketArgs } from "./args";

/** Server access logs to another bucket, under the prefix the args resolved. */
export function createAccessLogging(
  name: string,
  parent: pulumi.Resource,
  bucketId: pulumi.Input<string>,
  logging: NonNullable<ResolvedBucketArgs["accessLogging"]>,
): s3.BucketLogging {
  return new s3.BucketLogging(
    name,
    { bucket: bucketId, targetBucket: logging.targetBucket, targetPrefix: logging.targetPrefix(bucketId) },
    { parent },
  );
}
