import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { childName, statefulOptions } from "../../kit";
import { awsContext } from "../context";
import { createKmsKey } from "../kms";
import { createAccessLogging } from "./access-logging";
import { type AwsEncryptedBucketArgs, parseBucketArgs } from "./args";
import { createLifecycle, createObjectLock } from "./lifecycle";
import { bucketPolicyDocument } from "./policy";
import { createBucketGuards } from "./protection";
import { createReplication } from "./replication";

/**
 * An S3 bucket for datasets and models: SSE-KMS with a rotating key and bucket keys, versioning,
 * every public-access block, owner-enforced objects, one policy that denies non-TLS, TLS < 1.2
 * and uploads not encrypted with the bucket's key, and expiry of old versions.
 */
export class AwsEncryptedBucket extends pulumi.ComponentResource {
  /** The bucket name. */
  public readonly bucketName: pulumi.Output<string>;
  /** The bucket ARN. */
  public readonly bucketArn: pulumi.Output<string>;
  /** The KMS key objects are encrypted with. */
  public readonly kmsKeyArn: pulumi.Output<string>;
  /** The bucket's regional domain name. */
  public readonly regionalDomainName: pulumi.Output<string>;
  /** Datasets stored here. */
  public readonly datasets: pulumi.Output<string[]>;

  constructor(name: string, args: AwsEncryptedBucketArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseBucketArgs(name, args);
    super("hybrid-ai-infra:index:AwsEncryptedBucket", name, {}, opts);
    const { common } = parsed;
    const ctx = awsContext(this);

    const keyArn: pulumi.Output<string> = parsed.kmsKeyArn
      ? pulumi.output(parsed.kmsKeyArn)
      : createKmsKey(childName(name, "kms"), this, common, ctx, { description: `Objects in bucket ${name}` })
          .key.arn;
    const bucket = new s3.Bucket(
      name,
      {
        bucketPrefix: `${parsed.bucketPrefix}-`,
        forceDestroy: false,
        objectLockEnabled: parsed.objectLock !== undefined,
        tags: common.tags,
      },
      statefulOptions(this, common),
    );
    const refs = {
      bucketId: bucket.id,
      bucketArn: bucket.arn,
      objectsArn: pulumi.interpolate`${bucket.arn}/*`,
      keyArn,
    };
    const guards = createBucketGuards(name, this, common, bucket.id, keyArn);
    new s3.BucketPolicy(
      name,
      {
        bucket: bucket.id,
        policy: pulumi.jsonStringify(bucketPolicyDocument(refs, parsed.policyStatements)),
      },
      // S3 rejects policy changes while the public-access block is being applied.
      { parent: this, dependsOn: [guards.publicAccess, guards.ownership] },
    );
    createLifecycle(
      name,
      this,
      bucket.id,
      parsed.noncurrentVersionExpirationDays,
      guards.versioning,
      parsed.retentionByPrefix,
    );
    if (parsed.objectLock) createObjectLock(name, this, bucket.id, parsed.objectLock, guards.versioning);
    if (parsed.accessLogging) createAccessLogging(name, this, bucket.id, parsed.accessLogging);
    if (parsed.replication) {
      createReplication(name, this, common, refs, parsed.replication, guards.versioning);
    }

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.kmsKeyArn = keyArn;
    this.regionalDomainName = bucket.bucketRegionalDomainName;
    this.datasets = pulumi.output(parsed.datasets);
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      kmsKeyArn: this.kmsKeyArn,
      regionalDomainName: this.regionalDomainName,
      datasets: this.datasets,
    });
  }
}
