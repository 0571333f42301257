import * as s3 from "@pulumi/aws/s3";
import type * as pulumi from "@pulumi/pulumi";
import { type Common, statefulOptions } from "../../kit";

/** The settings that guard a bucket, for what must wait for them. */
export interface BucketGuards {
  publicAccess: s3.BucketPublicAccessBlock;
  ownership: s3.BucketOwnershipControls;
  versioning: s3.BucketVersioning;
}

/**
 * Every public-access block, bucket-owner-enforced objects, SSE-KMS by default with a bucket key
 * (SSE-C blocked), and versioning. These are protected like the bucket: removing one of them (a
 * refactor, a rename) would open the bucket to public access, drop its default encryption,
 * re-enable ACLs or suspend versioning, so `pulumi destroy` refuses and a removal leaves them in place.
 */
export function createBucketGuards(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  bucketId: pulumi.Input<string>,
  keyArn: pulumi.Input<string>,
): BucketGuards {
  const guarded = statefulOptions(parent, common);
  const publicAccess = new s3.BucketPublicAccessBlock(
    name,
    {
      bucket: bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    guarded,
  );
  const ownership = new s3.BucketOwnershipControls(
    name,
    { bucket: bucketId, rule: { objectOwnership: "BucketOwnerEnforced" } },
    guarded,
  );
  new s3.BucketServerSideEncryptionConfiguration(
    name,
    {
      bucket: bucketId,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
          // One data key per bucket instead of per object: far fewer KMS calls for large datasets.
          bucketKeyEnabled: true,
          blockedEncryptionTypes: ["SSE-C"],
        },
      ],
    },
    guarded,
  );
  const versioning = new s3.BucketVersioning(
    name,
    { bucket: bucketId, versioningConfiguration: { status: "Enabled" } },
    guarded,
  );
  return { publicAccess, ownership, versioning };
}
