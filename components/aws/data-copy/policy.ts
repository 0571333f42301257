import type { DatasetGrant } from "../workload-identity";

// What a data copy's role may do in S3: read one dataset's prefix at the source, write one
// dataset's prefix (and its manifest) at the destination, each bucket's key only for that bucket.
// Nothing else: no delete (backups are additive and versioned; staging sync deletes only what its
// source deleted, in its own prefix), no bucket listing or creation.

/** One manifest object the copy writes (a backup) or reads (a drill). */
export interface ManifestGrant {
  bucketArn: string;
  kmsKeyArn: string;
  /** The object's key, e.g. `_manifests/clinical-notes.md5`. */
  key: string;
}

/** What one copy's role is granted. */
export interface CopyGrants {
  /** Prefixes read (the source; a drill's backup). */
  reads: DatasetGrant[];
  /** Prefixes written (the destination). */
  writes: DatasetGrant[];
  /** Manifest objects written (backup) or read (drill). */
  manifests?: { write: boolean; grants: ManifestGrant[] };
  /** Whether the copy may remove objects under its written prefixes (staging mirrors its source). */
  deletes?: boolean;
}

const list = (g: DatasetGrant, sid: string) => ({
  Sid: sid,
  Effect: "Allow",
  Action: "s3:ListBucket",
  Resource: g.bucketArn,
  Condition: { StringLike: { "s3:prefix": [`${g.prefix}/*`, g.prefix] } },
});

/**
 * The role's policy document. With an S3 Bucket Key the encryption context is the bucket's ARN,
 * so each key grant is conditioned on its bucket: the key cannot be used for another bucket.
 */
export function dataCopyPolicy(grants: CopyGrants): Record<string, unknown> {
  const statements: Record<string, unknown>[] = [];
  grants.reads.forEach((g, i) => {
    statements.push(
      list(g, `ListSource${i}`),
      {
        Sid: `ReadSource${i}`,
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: `${g.bucketArn}/${g.prefix}/*`,
      },
      {
        Sid: `DecryptSource${i}`,
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: g.kmsKeyArn,
        Condition: { StringEquals: { "kms:EncryptionContext:aws:s3:arn": g.bucketArn } },
      },
    );
  });
  grants.writes.forEach((g, i) => {
    statements.push(
      list(g, `ListDestination${i}`),
      {
        Sid: `WriteDestination${i}`,
        Effect: "Allow",
        // Get: the verify step reads hashes (HEAD) and compares bytes where there are none.
        Action: [
          "s3:GetObject",
          "s3:PutObject",
          "s3:AbortMultipartUpload",
          "s3:ListMultipartUploadParts",
          ...(grants.deletes ? ["s3:DeleteObject"] : []),
        ],
        Resource: `${g.bucketArn}/${g.prefix}/*`,
      },
      {
        Sid: `EncryptDestination${i}`,
        Effect: "Allow",
        // GenerateDataKey to write; Decrypt for multipart uploads and to read back.
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: g.kmsKeyArn,
        Condition: { StringEquals: { "kms:EncryptionContext:aws:s3:arn": g.bucketArn } },
      },
    );
  });
  (grants.manifests?.grants ?? []).forEach((m, i) => {
    const write = grants.manifests?.write ?? false;
    statements.push(
      {
        Sid: `Manifest${i}`,
        Effect: "Allow",
        Action: write ? ["s3:GetObject", "s3:PutObject"] : ["s3:GetObject"],
        Resource: `${m.bucketArn}/${m.key}`,
      },
      {
        Sid: `ManifestKey${i}`,
        Effect: "Allow",
        Action: write ? ["kms:GenerateDataKey", "kms:Decrypt"] : ["kms:Decrypt"],
        Resource: m.kmsKeyArn,
        Condition: { StringEquals: { "kms:EncryptionContext:aws:s3:arn": m.bucketArn } },
      },
    );
  });
  return { Version: "2012-10-17", Statement: statements };
}
