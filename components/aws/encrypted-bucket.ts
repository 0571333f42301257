import * as iam from "@pulumi/aws/iam";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { componentSubject, parseOrThrow } from "../pulumi-free";
import {
  type CommonArgs,
  childName,
  commonArgsShape,
  input,
  resolveCommon,
  statefulOptions,
} from "../pulumi-kit";
import { awsContext } from "./context";
import { serviceTrustPolicy } from "./iam";
import { createKmsKey } from "./kms";

/** Arguments of `AwsEncryptedBucket`. */
export interface AwsEncryptedBucketArgs extends CommonArgs {
  /** Start of the bucket name; S3 names must be global, so a unique suffix follows. Default `<component name>-`. */
  bucketPrefix?: string;
  /** KMS key to encrypt with; default a dedicated key with yearly rotation. */
  kmsKeyArn?: pulumi.Input<string>;
  /** Days a replaced or deleted object version is kept before it expires. Default 90. */
  noncurrentVersionExpirationDays?: number;
  /** Write-once retention for new objects (object lock, set at creation only). Default none. */
  objectLock?: { mode: "GOVERNANCE" | "COMPLIANCE"; days: number };
  /** Server access logs to this bucket (it must use SSE-S3: S3 cannot deliver access logs to SSE-KMS buckets). */
  accessLogging?: { targetBucket: pulumi.Input<string>; targetPrefix?: string };
  /** Replicate every object to another versioned, KMS-encrypted bucket (another region, for disaster recovery). */
  replication?: {
    /** Destination bucket ARN. */
    destinationBucketArn: pulumi.Input<string>;
    /** KMS key the destination encrypts replicas with. */
    destinationKmsKeyArn: pulumi.Input<string>;
    /** Storage class of replicas. Default STANDARD. */
    storageClass?: "STANDARD" | "STANDARD_IA" | "INTELLIGENT_TIERING" | "GLACIER_IR";
  };
  /** Statements merged into the bucket's one policy, e.g. read access for a training role. */
  policyStatements?: pulumi.Input<Record<string, unknown>>[];
  /** Datasets stored in this bucket; the placement target in its region hosts them. */
  datasets?: string[];
}

const BUCKET_PREFIX = /^[a-z0-9][a-z0-9-]{1,35}$/;
const BUCKET_PREFIX_RULE = "must be 2-36 lower-case letters, digits and dashes (S3 appends a suffix)";

/** Whether a policy principal is everyone: "*", {"AWS": "*"} or a list that contains "*". */
function isEveryone(principal: unknown): boolean {
  const values = (p: unknown): unknown[] => (Array.isArray(p) ? p : [p]);
  if (principal === undefined || principal === null) return false;
  if (typeof principal !== "object" || Array.isArray(principal)) return values(principal).includes("*");
  return Object.values(principal as Record<string, unknown>).some((v) => values(v).includes("*"));
}

const schema = z
  .strictObject({
    ...commonArgsShape,
    bucketPrefix: z.string().regex(BUCKET_PREFIX, BUCKET_PREFIX_RULE).optional(),
    kmsKeyArn: input(z.string().regex(/^arn:aws[a-z-]*:kms:/, "is not a KMS key ARN")).optional(),
    noncurrentVersionExpirationDays: z.number().int().min(1).max(36500).optional(),
    objectLock: z
      .strictObject({ mode: z.enum(["GOVERNANCE", "COMPLIANCE"]), days: z.number().int().min(1).max(36500) })
      .optional(),
    accessLogging: z
      .strictObject({ targetBucket: input(z.string().min(3)), targetPrefix: z.string().optional() })
      .optional(),
    replication: z
      .strictObject({
        destinationBucketArn: input(z.string().startsWith("arn:aws")),
        destinationKmsKeyArn: input(z.string().startsWith("arn:aws")),
        storageClass: z.enum(["STANDARD", "STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR"]).optional(),
      })
      .optional(),
    policyStatements: z.array(input(z.record(z.string(), z.unknown()))).optional(),
    datasets: z.array(z.string().min(1)).optional(),
  })
  .superRefine((args, ctx) => {
    const statements = args.policyStatements ?? [];
    statements.forEach((statement, i) => {
      if (pulumi.Output.isInstance(statement)) return;
      if (statement.Effect === "Allow" && isEveryone(statement.Principal) && !statement.Condition) {
        ctx.addIssue({
          code: "custom",
          path: ["policyStatements", i],
          message: "allows everyone (Principal *) without a condition; name the principals that need access",
        });
      }
    });
  });

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
    const parsed = parseOrThrow(
      componentSubject("AwsEncryptedBucket", name),
      schema.superRefine((a, ctx) => {
        // The prefix defaults to the component name; S3 would reject a bad one only at deploy time.
        if (a.bucketPrefix === undefined && !BUCKET_PREFIX.test(name)) {
          ctx.addIssue({
            code: "custom",
            path: ["bucketPrefix"],
            message: `is not given, and the component name ${JSON.stringify(name)} is no bucket prefix: it ${BUCKET_PREFIX_RULE}; set bucketPrefix`,
          });
        }
      }),
      args,
    );
    super("hybrid-ai-infra:index:AwsEncryptedBucket", name, {}, opts);
    const common = resolveCommon(parsed);
    const ctx = awsContext(this);
    const parent = { parent: this };

    const keyArn: pulumi.Output<string> = parsed.kmsKeyArn
      ? pulumi.output(parsed.kmsKeyArn)
      : createKmsKey(childName(name, "kms"), this, common, ctx, { description: `Objects in bucket ${name}` })
          .key.arn;

    const bucket = new s3.Bucket(
      name,
      {
        bucketPrefix: `${parsed.bucketPrefix ?? name}-`,
        forceDestroy: false,
        objectLockEnabled: parsed.objectLock !== undefined,
        tags: common.tags,
      },
      statefulOptions(this, common),
    );
    const bucketId = bucket.id;

    // The bucket's protective settings are protected like the bucket: removing one of these
    // resources (a refactor, a rename) would open the bucket to public access, drop its default
    // encryption or re-enable ACLs, so `pulumi destroy` refuses and a removal leaves them in place.
    const guarded = statefulOptions(this, common);
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
    // Removing this resource would suspend versioning, which is a loss of protection for data.
    const versioning = new s3.BucketVersioning(
      name,
      { bucket: bucketId, versioningConfiguration: { status: "Enabled" } },
      guarded,
    );

    const objects = pulumi.interpolate`${bucket.arn}/*`;
    const statements: pulumi.Input<Record<string, unknown>>[] = [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucket.arn, objects],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "DenyOutdatedTls",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucket.arn, objects],
        Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
      },
      {
        // Uploads that name an encryption must name KMS; those that name none get the default.
        Sid: "DenyUploadsNotKms",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: objects,
        Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } },
      },
      {
        Sid: "DenyUploadsWithOtherKey",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: objects,
        Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn } },
      },
      ...(parsed.policyStatements ?? []),
    ];
    new s3.BucketPolicy(
      name,
      { bucket: bucketId, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }) },
      // S3 rejects policy changes while the public-access block is being applied.
      { parent: this, dependsOn: [publicAccess, ownership] },
    );

    new s3.BucketLifecycleConfiguration(
      name,
      {
        bucket: bucketId,
        rules: [
          {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: parsed.noncurrentVersionExpirationDays ?? 90 },
          },
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
      { parent: this, dependsOn: [versioning] },
    );

    if (parsed.objectLock) {
      new s3.BucketObjectLockConfiguration(
        name,
        {
          bucket: bucketId,
          objectLockEnabled: "Enabled",
          rule: { defaultRetention: { mode: parsed.objectLock.mode, days: parsed.objectLock.days } },
        },
        { parent: this, dependsOn: [versioning] },
      );
    }

    if (parsed.accessLogging) {
      new s3.BucketLogging(
        name,
        {
          bucket: bucketId,
          targetBucket: parsed.accessLogging.targetBucket,
          targetPrefix: parsed.accessLogging.targetPrefix ?? pulumi.interpolate`${bucketId}/`,
        },
        parent,
      );
    }

    if (parsed.replication) {
      const r = parsed.replication;
      const role = new iam.Role(
        childName(name, "replication"),
        {
          description: `S3 replication of bucket ${name}`,
          assumeRolePolicy: serviceTrustPolicy("s3.amazonaws.com"),
          tags: common.tags,
        },
        parent,
      );
      new iam.RolePolicy(
        childName(name, "replication"),
        {
          role: role.id,
          policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                Resource: bucket.arn,
              },
              {
                Effect: "Allow",
                Action: [
                  "s3:GetObjectVersionForReplication",
                  "s3:GetObjectVersionAcl",
                  "s3:GetObjectVersionTagging",
                ],
                Resource: objects,
              },
              {
                Effect: "Allow",
                Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                Resource: pulumi.interpolate`${r.destinationBucketArn}/*`,
              },
              { Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn },
              { Effect: "Allow", Action: "kms:Encrypt", Resource: r.destinationKmsKeyArn },
            ],
          }),
        },
        parent,
      );
      new s3.BucketReplicationConfig(
        name,
        {
          bucket: bucketId,
          role: role.arn,
          rules: [
            {
              id: "replicate-everything",
              status: "Enabled",
              filter: {},
              deleteMarkerReplication: { status: "Enabled" },
              sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
              destination: {
                bucket: r.destinationBucketArn,
                storageClass: r.storageClass ?? "STANDARD",
                encryptionConfiguration: { replicaKmsKeyId: r.destinationKmsKeyArn },
              },
            },
          ],
        },
        { parent: this, dependsOn: [versioning] },
      );
    }

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.kmsKeyArn = keyArn;
    this.regionalDomainName = bucket.bucketRegionalDomainName;
    this.datasets = pulumi.output(parsed.datasets ?? []);
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      kmsKeyArn: this.kmsKeyArn,
      regionalDomainName: this.regionalDomainName,
      datasets: this.datasets,
    });
  }
}
