import * as s3 from "@pulumi/aws/s3";
import type * as pulumi from "@pulumi/pulumi";

/**
 * How long versions live: non-current versions expire after `noncurrentDays` (sooner under a
 * prefix with its own retention), stale multipart uploads are aborted after a week, and delete
 * markers with nothing behind them are removed.
 */
export function createLifecycle(
  name: string,
  parent: pulumi.Resource,
  bucketId: pulumi.Input<string>,
  noncurrentDays: number,
  versioning: s3.BucketVersioning,
  byPrefix: readonly {
    prefix: string;
    noncurrentDays: number;
    newerNoncurrentVersions?: number | undefined;
  }[] = [],
): s3.BucketLifecycleConfiguration {
  return new s3.BucketLifecycleConfiguration(
    name,
    {
      bucket: bucketId,
      rules: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: {},
          noncurrentVersionExpiration: { noncurrentDays },
        },
        ...byPrefix.map((r) => ({
          id: `retain-${r.prefix}`,
          status: "Enabled",
          filter: { prefix: `${r.prefix}/` },
          noncurrentVersionExpiration: {
            noncurrentDays: r.noncurrentDays,
            ...(r.newerNoncurrentVersions ? { newerNoncurrentVersions: r.newerNoncurrentVersions } : {}),
          },
        })),
        {
          id: "abort-incomplete-multipart-uploads",
          status: "Enabled",
          filter: {},
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
        {
          id: "remove-expired-delete-markers",
          status: "Enabled",
          filter: {},
          expiration: { expiredObjectDeleteMarker: true },
        },
      ],
    },
    { parent, dependsOn: [versioning] },
  );
}

/** Write-once default retention for new objects (the bucket must have object lock enabled at creation). */
export function createObjectLock(
  name: string,
  parent: pulumi.Resource,
  bucketId: pulumi.Input<string>,
  lock: { mode: "GOVERNANCE" | "COMPLIANCE"; days: number },
  versioning: s3.BucketVersioning,
): s3.BucketObjectLockConfiguration {
  return new s3.BucketObjectLockConfiguration(
    name,
    {
      bucket: bucketId,
      objectLockEnabled: "Enabled",
      rule: { defaultRetention: { mode: lock.mode, days: lock.days } },
    },
    { parent, dependsOn: [versioning] },
  );
}
