import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type Common, type CommonArgs, commonArgsShape, input, resolveCommon } from "../../kit";
import {
  componentSubject,
  type IssueSink,
  kmsKeyArnSchema,
  parseOrThrow,
  s3BucketArnSchema,
} from "../../validation";

/** Arguments of `AwsEncryptedBucket`. */
export interface AwsEncryptedBucketArgs extends CommonArgs {
  /** Start of the bucket name; S3 names must be global, so a unique suffix follows. Default `<component name>-`. */
  bucketPrefix?: string;
  /** KMS key to encrypt with; default a dedicated key with yearly rotation. */
  kmsKeyArn?: pulumi.Input<string>;
  /** Days a replaced or deleted object version is kept before it expires. Default 90. */
  noncurrentVersionExpirationDays?: number;
  /**
   * Retention of old versions under given prefixes (each dataset's backups), on top of the bucket's:
   * a replaced or deleted version under `prefix/` expires once it is `noncurrentDays` old and
   * `newerNoncurrentVersions` newer old versions exist. None may be longer than
   * `noncurrentVersionExpirationDays`, which the whole bucket keeps (S3 applies the shorter rule).
   */
  retentionByPrefix?: { prefix: string; noncurrentDays: number; newerNoncurrentVersions?: number }[];
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

/**
 * What an omitted field of `AwsEncryptedBucketArgs` means, in one place. Not listed: `kmsKeyArn`
 * (a dedicated key is created), `objectLock`, `accessLogging` and `replication` (none),
 * `policyStatements` (only the bucket's own denies) and `datasets` (none).
 */
export const BUCKET_DEFAULTS = {
  /** `bucketPrefix`: the component name. */
  bucketPrefix: (component: string): string => component,
  /** `noncurrentVersionExpirationDays`. */
  noncurrentVersionExpirationDays: 90,
  /** `accessLogging.targetPrefix`: `<bucket name>/`. */
  accessLogPrefix: (bucketName: pulumi.Input<string>): pulumi.Output<string> =>
    pulumi.interpolate`${bucketName}/`,
  /** `replication.storageClass`. */
  replicaStorageClass: "STANDARD",
} as const;

const BUCKET_PREFIX = /^[a-z0-9][a-z0-9-]{1,35}$/;
const BUCKET_PREFIX_RULE = "must be 2-36 lower-case letters, digits and dashes (S3 appends a suffix)";

/**
 * The bucket prefix a component `name` derives when none is given must be one S3 takes (a given
 * one is checked by its field). Reported at the `bucketPrefix` arg, or, with `configPath`, at the
 * config entry's `name` the stack derives it from: a rule the stack config runs on its entries too.
 */
export function checkDerivedBucketPrefix(
  name: string,
  sink: IssueSink,
  configPath?: (string | number)[],
): void {
  const derived = BUCKET_DEFAULTS.bucketPrefix(name);
  if (BUCKET_PREFIX.test(derived)) return;
  const why = `the component name ${JSON.stringify(name)} is no bucket prefix: it ${BUCKET_PREFIX_RULE}`;
  sink.addIssue(
    configPath
      ? {
          code: "custom",
          path: configPath,
          message: `${JSON.stringify(name)} cannot be used: the stack derives the component's bucketPrefix from it, and ${why}; choose another name`,
        }
      : { code: "custom", path: ["bucketPrefix"], message: `is not given, and ${why}; set bucketPrefix` },
  );
}

/** Whether a policy principal is everyone: "*", {"AWS": "*"} or a list that contains "*". */
function isEveryone(principal: unknown): boolean {
  const values = (p: unknown): unknown[] => (Array.isArray(p) ? p : [p]);
  if (principal === undefined || principal === null) return false;
  if (typeof principal !== "object" || Array.isArray(principal)) return values(principal).includes("*");
  return Object.values(principal as Record<string, unknown>).some((v) => values(v).includes("*"));
}

/** The schema of `AwsEncryptedBucketArgs`, without the check that needs the component name. */
export const bucketArgsSchema = z
  .strictObject({
    ...commonArgsShape,
    bucketPrefix: z.string().regex(BUCKET_PREFIX, BUCKET_PREFIX_RULE).optional(),
    kmsKeyArn: input(kmsKeyArnSchema).optional(),
    noncurrentVersionExpirationDays: z.number().int().min(1).max(36500).optional(),
    retentionByPrefix: z
      .array(
        z.strictObject({
          prefix: z.string().regex(/^[A-Za-z0-9._-]+$/, "is not a prefix of letters, digits, . _ and -"),
          noncurrentDays: z.number().int().min(1).max(36500),
          newerNoncurrentVersions: z.number().int().min(1).max(100).optional(),
        }),
      )
      .optional(),
    objectLock: z
      .strictObject({ mode: z.enum(["GOVERNANCE", "COMPLIANCE"]), days: z.number().int().min(1).max(36500) })
      .optional(),
    accessLogging: z
      .strictObject({ targetBucket: input(z.string().min(3)), targetPrefix: z.string().optional() })
      .optional(),
    replication: z
      .strictObject({
        destinationBucketArn: input(s3BucketArnSchema),
        destinationKmsKeyArn: input(kmsKeyArnSchema),
        storageClass: z.enum(["STANDARD", "STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR"]).optional(),
      })
      .optional(),
    policyStatements: z.array(input(z.record(z.string(), z.unknown()))).optional(),
    datasets: z.array(z.string().min(1)).optional(),
  })
  .superRefine((args, ctx) => {
    const bucketDays = resolveNoncurrentDays(args);
    (args.retentionByPrefix ?? []).forEach((r, i) => {
      if (r.noncurrentDays > bucketDays)
        ctx.addIssue({
          code: "custom",
          path: ["retentionByPrefix", i, "noncurrentDays"],
          message: `is ${r.noncurrentDays}, longer than the bucket's ${bucketDays} (noncurrentVersionExpirationDays), which would expire the versions first; raise that`,
        });
    });
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

/** `AwsEncryptedBucketArgs` once validated. */
export type ParsedBucketArgs = z.output<typeof bucketArgsSchema>;

/** `AwsEncryptedBucketArgs` with every default applied: what the bucket's helpers take. */
export interface ResolvedBucketArgs {
  common: Common;
  bucketPrefix: string;
  kmsKeyArn?: pulumi.Input<string> | undefined;
  noncurrentVersionExpirationDays: number;
  retentionByPrefix: {
    prefix: string;
    noncurrentDays: number;
    newerNoncurrentVersions?: number | undefined;
  }[];
  objectLock?: { mode: "GOVERNANCE" | "COMPLIANCE"; days: number } | undefined;
  accessLogging?:
    | {
        targetBucket: pulumi.Input<string>;
        /** The prefix, given or derived from the bucket's name once it exists. */
        targetPrefix: (bucketName: pulumi.Input<string>) => pulumi.Input<string>;
      }
    | undefined;
  replication?:
    | {
        destinationBucketArn: pulumi.Input<string>;
        destinationKmsKeyArn: pulumi.Input<string>;
        storageClass: "STANDARD" | "STANDARD_IA" | "INTELLIGENT_TIERING" | "GLACIER_IR";
      }
    | undefined;
  policyStatements: pulumi.Input<Record<string, unknown>>[];
  datasets: string[];
}

/** How long the bucket keeps noncurrent versions: the schema's check and the bucket use this one value. */
function resolveNoncurrentDays(args: { noncurrentVersionExpirationDays?: number | undefined }): number {
  return args.noncurrentVersionExpirationDays ?? BUCKET_DEFAULTS.noncurrentVersionExpirationDays;
}

/** Applies the defaults of `BUCKET_DEFAULTS` once. */
export function resolveBucketArgs(name: string, parsed: ParsedBucketArgs): ResolvedBucketArgs {
  const { accessLogging, replication } = parsed;
  const prefix = accessLogging?.targetPrefix;
  return {
    common: resolveCommon(parsed),
    bucketPrefix: parsed.bucketPrefix ?? BUCKET_DEFAULTS.bucketPrefix(name),
    kmsKeyArn: parsed.kmsKeyArn,
    noncurrentVersionExpirationDays: resolveNoncurrentDays(parsed),
    retentionByPrefix: parsed.retentionByPrefix ?? [],
    objectLock: parsed.objectLock,
    accessLogging: accessLogging && {
      targetBucket: accessLogging.targetBucket,
      targetPrefix: (bucket) => prefix ?? BUCKET_DEFAULTS.accessLogPrefix(bucket),
    },
    replication: replication && {
      destinationBucketArn: replication.destinationBucketArn,
      destinationKmsKeyArn: replication.destinationKmsKeyArn,
      storageClass: replication.storageClass ?? BUCKET_DEFAULTS.replicaStorageClass,
    },
    policyStatements: parsed.policyStatements ?? [],
    datasets: parsed.datasets ?? [],
  };
}

/**
 * Validates and resolves the args of the bucket component `name`, or throws one `ConfigError`
 * listing every problem. The prefix defaults to the component name; S3 would reject a bad one
 * only at deploy time, so it is checked here.
 */
export function parseBucketArgs(name: string, args: AwsEncryptedBucketArgs): ResolvedBucketArgs {
  const parsed = parseOrThrow(
    componentSubject("AwsEncryptedBucket", name),
    bucketArgsSchema.superRefine((a, ctx) => {
      if (a.bucketPrefix === undefined) checkDerivedBucketPrefix(name, ctx);
    }),
    args,
  );
  return resolveBucketArgs(name, parsed);
}
