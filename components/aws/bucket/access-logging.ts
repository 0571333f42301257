import * as s3 from "@pulumi/aws/s3";
import type * as pulumi from "@pulumi/pulumi";
import { BUCKET_DEFAULTS } from "./args";

/** Server access logs to another bucket, under the bucket's own name by default. */
export function createAccessLogging(
  name: string,
  parent: pulumi.Resource,
  bucketId: pulumi.Input<string>,
  logging: { targetBucket: pulumi.Input<string>; targetPrefix?: string | undefined },
): s3.BucketLogging {
  return new s3.BucketLogging(
    name,
    {
      bucket: bucketId,
      targetBucket: logging.targetBucket,
      targetPrefix: logging.targetPrefix ?? BUCKET_DEFAULTS.accessLogPrefix(bucketId),
    },
    { parent },
  );
}
