/** One dataset a workload reads: the bucket, the key that encrypts it, and its prefix there. */
export interface DatasetGrant {
  bucketArn: string;
  kmsKeyArn: string;
  /** The dataset's folder in the bucket (its name), without slashes. */
  prefix: string;
}

/**
 * Read access to exactly the datasets given: list and get under each dataset's prefix only, and
 * decrypt with the bucket's key only for that bucket (with an S3 Bucket Key the encryption context
 * is the bucket's ARN), so the role cannot read another prefix or use the key elsewhere.
 */
export function datasetReadPolicy(grants: readonly DatasetGrant[]): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: grants.flatMap((g, i) => [
      {
        Sid: `List${i}`,
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: g.bucketArn,
        Condition: { StringLike: { "s3:prefix": [`${g.prefix}/*`, g.prefix] } },
      },
      { Sid: `Read${i}`, Effect: "Allow", Action: "s3:GetObject", Resource: `${g.bucketArn}/${g.prefix}/*` },
      {
        Sid: `Decrypt${i}`,
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: g.kmsKeyArn,
        Condition: { StringEquals: { "kms:EncryptionContext:aws:s3:arn": g.bucketArn } },
      },
    ]),
  };
}
