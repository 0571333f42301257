import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AwsEncryptedBucket, type AwsEncryptedBucketArgs } from "../../components/aws";
import type { RecordedResource, Recorder } from "../../scripts/plan";
import { configErrorOf, expectStandardTags } from "../helpers/components";
import { descendants, ofType, one, resolved, startMocks } from "../helpers/mocks";
import { policyOf, type Statement } from "./support";

const T = {
  component: "hybrid-ai-infra:index:AwsEncryptedBucket",
  bucket: "aws:s3/bucket:Bucket",
  key: "aws:kms/key:Key",
  alias: "aws:kms/alias:Alias",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  lock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  logging: "aws:s3/bucketLogging:BucketLogging",
  replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
} as const;

const TRAINING_ROLE = "arn:aws:iam::123456789012:role/training";
const DR_BUCKET = "arn:aws:s3:::datasets-dr-eu-central-1";
const DR_KEY = "arn:aws:kms:eu-central-1:123456789012:key/1111aaaa-2222-3333-4444-555566667777";

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startMocks();
});

async function build(
  name: string,
  args: AwsEncryptedBucketArgs = {},
): Promise<{ bucket: AwsEncryptedBucket; rs: RecordedResource[] }> {
  recorder.clear();
  const bucket = new AwsEncryptedBucket(name, args);
  await recorder.settle();
  return { bucket, rs: recorder.resources };
}

function keyArnOf(rs: RecordedResource[], keyName: string): string {
  return `arn:aws:kms:eu-west-1:123456789012:key/${String(one(rs, T.alias, `${keyName}-alias`).inputs.targetKeyId)}`;
}

/** The statements of the one bucket policy, and that policy. */
function statementsOf(rs: RecordedResource[]): { policy: RecordedResource; statements: Statement[] } {
  const policies = ofType(rs, T.policy);
  expect(policies).toHaveLength(1);
  const policy = policies[0] as RecordedResource;
  return { policy, statements: policyOf(policy).Statement };
}

describe("AwsEncryptedBucket defaults", () => {
  let bucket: AwsEncryptedBucket;
  let rs: RecordedResource[];
  let bucketArn: string;
  let keyArn: string;

  beforeAll(async () => {
    ({ bucket, rs } = await build("datasets", {
      policyStatements: [
        {
          Sid: "TrainingRead",
          Effect: "Allow",
          Principal: { AWS: TRAINING_ROLE },
          Action: ["s3:GetObject", "s3:ListBucket"],
          Resource: ["arn:aws:s3:::datasets-*", "arn:aws:s3:::datasets-*/*"],
        },
      ],
      datasets: ["imagenet", "laion-5b"],
    }));
    bucketArn = await resolved(bucket.bucketArn);
    keyArn = keyArnOf(rs, "datasets-kms");
  });

  it("creates a bucket with a prefixed name, no force-destroy and no object lock", async () => {
    const b = one(rs, T.bucket, "datasets");
    expect(b.inputs).toEqual({
      bucketPrefix: "datasets-",
      forceDestroy: false,
      objectLockEnabled: false,
      tags: { environment: "dev", "managed-by": "hybrid-ai-infra", "data-classification": "internal" },
    });
    const name = await resolved(bucket.bucketName);
    expect(name).toMatch(/^datasets-[0-9a-f]+$/);
    expect(bucketArn).toBe(`arn:aws:s3:::${name}`);
    expect(await resolved(bucket.regionalDomainName)).toBe(`${name}.s3.eu-west-1.amazonaws.com`);
    expect(await resolved(bucket.datasets)).toEqual(["imagenet", "laion-5b"]);
  });

  it("encrypts with SSE-KMS under its own rotating key, with a bucket key and SSE-C blocked", async () => {
    const sse = one(rs, T.sse, "datasets");
    expect(sse.inputs.rules).toEqual([
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
        bucketKeyEnabled: true,
        blockedEncryptionTypes: ["SSE-C"],
      },
    ]);
    expect(one(rs, T.key, "datasets-kms").inputs).toMatchObject({
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: 30,
    });
    expect(await resolved(bucket.kmsKeyArn)).toBe(keyArn);
  });

  it("turns on versioning and every public-access block, and enforces bucket-owner objects", async () => {
    const name = await resolved(bucket.bucketName);
    expect(one(rs, T.versioning, "datasets").inputs).toEqual({
      bucket: name,
      versioningConfiguration: { status: "Enabled" },
    });
    expect(one(rs, T.publicAccess, "datasets").inputs).toEqual({
      bucket: name,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(one(rs, T.ownership, "datasets").inputs).toEqual({
      bucket: name,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
  });

  it("has exactly one policy, which denies non-TLS, TLS below 1.2 and uploads not under its key", async () => {
    const { policy, statements } = statementsOf(rs);
    expect(policy.inputs.bucket).toBe(await resolved(bucket.bucketName));
    const denies = statements.filter((s) => s.Effect === "Deny");
    for (const s of denies) expect(s.Principal).toBe("*");
    const both = [bucketArn, `${bucketArn}/*`];
    expect(denies).toEqual([
      expect.objectContaining({
        Action: "s3:*",
        Resource: both,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
      expect.objectContaining({
        Action: "s3:*",
        Resource: both,
        Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
      }),
      expect.objectContaining({
        Action: "s3:PutObject",
        Resource: `${bucketArn}/*`,
        Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } },
      }),
      expect.objectContaining({
        Action: "s3:PutObject",
        Resource: `${bucketArn}/*`,
        Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn } },
      }),
    ]);
    // The policy lands after the public-access block and ownership controls.
    expect(policy.dependsOn).toEqual(
      expect.arrayContaining([one(rs, T.publicAccess, "datasets").urn, one(rs, T.ownership, "datasets").urn]),
    );
  });

  it("merges the caller's statements into that one policy", () => {
    const { statements } = statementsOf(rs);
    expect(statements).toHaveLength(5);
    expect(statements[4]).toEqual({
      Sid: "TrainingRead",
      Effect: "Allow",
      Principal: { AWS: TRAINING_ROLE },
      Action: ["s3:GetObject", "s3:ListBucket"],
      Resource: ["arn:aws:s3:::datasets-*", "arn:aws:s3:::datasets-*/*"],
    });
  });

  it("expires non-current versions after 90 days and aborts stale multipart uploads", () => {
    const lifecycle = one(rs, T.lifecycle, "datasets");
    expect(lifecycle.inputs.rules).toEqual([
      {
        id: "expire-noncurrent-versions",
        status: "Enabled",
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: 90 },
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
    ]);
    expect(lifecycle.dependsOn).toContain(one(rs, T.versioning, "datasets").urn);
  });

  it("protects and retains the bucket, its key and the settings that guard it (versioning, public-access block, encryption, ownership), and nothing else", () => {
    // Removing any of these settings would weaken the bucket, so each is protected like the data.
    const stateful = [
      one(rs, T.bucket, "datasets"),
      one(rs, T.key, "datasets-kms"),
      one(rs, T.versioning, "datasets"),
      one(rs, T.publicAccess, "datasets"),
      one(rs, T.sse, "datasets"),
      one(rs, T.ownership, "datasets"),
    ];
    for (const r of stateful) expect([r.type, r.protect, r.retainOnDelete]).toEqual([r.type, true, true]);
    expect(
      rs
        .filter((r) => !stateful.includes(r) && (r.protect || r.retainOnDelete))
        .map((r) => `${r.type} ${r.name}`),
    ).toEqual([]);
  });

  it("adds no object lock, access logging or replication unless asked", () => {
    expect(ofType(rs, T.lock)).toEqual([]);
    expect(ofType(rs, T.logging)).toEqual([]);
    expect(ofType(rs, T.replication)).toEqual([]);
    expect(ofType(rs, T.role)).toEqual([]);
  });

  it("names every child after the component and tags every taggable one", () => {
    const component = one(rs, T.component, "datasets");
    const children = descendants(rs, component.urn);
    expect(children.map((r) => `${r.type} ${r.name}`).sort()).toEqual(
      [
        `${T.bucket} datasets`,
        `${T.key} datasets-kms`,
        `${T.alias} datasets-kms-alias`,
        `${T.sse} datasets`,
        `${T.versioning} datasets`,
        `${T.publicAccess} datasets`,
        `${T.ownership} datasets`,
        `${T.policy} datasets`,
        `${T.lifecycle} datasets`,
      ].sort(),
    );
    expect(expectStandardTags(children)).toBe(2);
    expect(component.outputs).toMatchObject({
      bucketArn,
      kmsKeyArn: keyArn,
      datasets: ["imagenet", "laion-5b"],
    });
    expect(component.secretOutputs).toEqual([]);
  });
});

describe("AwsEncryptedBucket options", () => {
  it("uses a given key instead of creating one, in encryption and in the policy", async () => {
    const given = "arn:aws:kms:eu-west-1:123456789012:key/0000aaaa-1111-2222-3333-444455556666";
    const { bucket, rs } = await build("models", { kmsKeyArn: given, bucketPrefix: "ml-models" });
    expect(ofType(rs, T.key)).toEqual([]);
    expect(ofType(rs, T.alias)).toEqual([]);
    expect(one(rs, T.bucket, "models").inputs.bucketPrefix).toBe("ml-models-");
    expect(one(rs, T.sse, "models").inputs.rules).toMatchObject([
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: given },
        bucketKeyEnabled: true,
      },
    ]);
    const { statements } = statementsOf(rs);
    expect(statements[3]?.Condition).toEqual({
      StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption-aws-kms-key-id": given },
    });
    expect(await resolved(bucket.kmsKeyArn)).toBe(given);
  });

  it("takes a key given as an Output", async () => {
    const given = "arn:aws:kms:eu-west-1:123456789012:key/0f0f0f0f-1111-2222-3333-444455556666";
    const { rs } = await build("shared", { kmsKeyArn: pulumi.output(given) });
    expect(ofType(rs, T.key)).toEqual([]);
    expect(one(rs, T.sse, "shared").inputs.rules).toMatchObject([
      { applyServerSideEncryptionByDefault: { kmsMasterKeyId: given } },
    ]);
  });

  it("keeps non-current versions as long as asked", async () => {
    const { rs } = await build("short", { noncurrentVersionExpirationDays: 30 });
    expect((one(rs, T.lifecycle, "short").inputs.rules as unknown[])[0]).toMatchObject({
      noncurrentVersionExpiration: { noncurrentDays: 30 },
    });
  });

  it("sets object lock at creation, with default retention, after versioning", async () => {
    const { rs } = await build("audit", { objectLock: { mode: "COMPLIANCE", days: 365 } });
    expect(one(rs, T.bucket, "audit").inputs.objectLockEnabled).toBe(true);
    const lock = one(rs, T.lock, "audit");
    expect(lock.inputs).toMatchObject({
      objectLockEnabled: "Enabled",
      rule: { defaultRetention: { mode: "COMPLIANCE", days: 365 } },
    });
    expect(lock.dependsOn).toContain(one(rs, T.versioning, "audit").urn);
  });

  it("sends access logs to the bucket asked for, under the bucket's own prefix by default", async () => {
    const { bucket, rs } = await build("logged", { accessLogging: { targetBucket: "org-access-logs" } });
    const name = await resolved(bucket.bucketName);
    expect(one(rs, T.logging, "logged").inputs).toEqual({
      bucket: name,
      targetBucket: "org-access-logs",
      targetPrefix: `${name}/`,
    });
    const { rs: custom } = await build("logged2", {
      accessLogging: { targetBucket: "org-access-logs", targetPrefix: "s3/logged2/" },
    });
    expect(one(custom, T.logging, "logged2").inputs.targetPrefix).toBe("s3/logged2/");
  });

  it("replicates KMS-encrypted objects through a least-privilege role", async () => {
    const { bucket, rs } = await build("replicated", {
      replication: {
        destinationBucketArn: DR_BUCKET,
        destinationKmsKeyArn: DR_KEY,
        storageClass: "STANDARD_IA",
      },
    });
    const bucketArn = await resolved(bucket.bucketArn);
    const keyArn = keyArnOf(rs, "replicated-kms");
    const role = one(rs, T.role, "replicated-replication");
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: ["sts:AssumeRole"] },
    ]);
    const permissions = policyOf(one(rs, T.rolePolicy, "replicated-replication")).Statement;
    expect(permissions).toEqual([
      { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: bucketArn },
      {
        Effect: "Allow",
        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        Resource: `${bucketArn}/*`,
      },
      {
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
        Resource: `${DR_BUCKET}/*`,
      },
      { Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn },
      { Effect: "Allow", Action: "kms:Encrypt", Resource: DR_KEY },
    ]);
    for (const s of permissions) {
      expect([s.Action].flat().some((a) => a.endsWith("*"))).toBe(false);
      expect([s.Resource].flat()).not.toContain("*");
    }
    const replication = one(rs, T.replication, "replicated");
    const roleName = one(rs, T.rolePolicy, "replicated-replication").inputs.role;
    expect(replication.inputs.role).toBe(`arn:aws:iam::123456789012:role/${String(roleName)}`);
    expect(replication.inputs.rules).toEqual([
      {
        id: "replicate-everything",
        status: "Enabled",
        filter: {},
        deleteMarkerReplication: { status: "Enabled" },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
        destination: {
          bucket: DR_BUCKET,
          storageClass: "STANDARD_IA",
          encryptionConfiguration: { replicaKmsKeyId: DR_KEY },
        },
      },
    ]);
    expect(replication.dependsOn).toContain(one(rs, T.versioning, "replicated").urn);
    expect(expectStandardTags(rs)).toBe(3);
  });

  it("drops protection and retention when protectData is false, yet never force-destroys", async () => {
    const { rs } = await build("scratch", { protectData: false });
    for (const r of [
      one(rs, T.bucket, "scratch"),
      one(rs, T.key, "scratch-kms"),
      one(rs, T.versioning, "scratch"),
      one(rs, T.publicAccess, "scratch"),
      one(rs, T.sse, "scratch"),
      one(rs, T.ownership, "scratch"),
    ]) {
      expect([r.type, r.protect, r.retainOnDelete]).toEqual([r.type, false, false]);
    }
    expect(one(rs, T.bucket, "scratch").inputs.forceDestroy).toBe(false);
  });

  it("tags with the caller's tags and classification; the standard tags win a clash", async () => {
    const { rs } = await build("pii", {
      environment: "prod",
      dataClassification: "restricted",
      tags: { team: "data", "managed-by": "someone-else" },
    });
    expect(
      expectStandardTags(rs, {
        environment: "prod",
        "managed-by": "hybrid-ai-infra",
        "data-classification": "restricted",
        team: "data",
      }),
    ).toBe(2);
  });

  it("accepts an Allow to everyone when a condition narrows it", async () => {
    const { rs } = await build("org", {
      policyStatements: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::org-*/*",
          Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } },
        },
      ],
    });
    expect(statementsOf(rs).statements).toHaveLength(5);
  });
});

describe("AwsEncryptedBucket validation", () => {
  const everyone = "allows everyone (Principal *) without a condition; name the principals that need access";
  it.each([
    [
      "an Allow to Principal *",
      { policyStatements: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }] },
      `policyStatements[0]: ${everyone}`,
    ],
    [
      "an Allow to AWS *",
      { policyStatements: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject" }] },
      `policyStatements[0]: ${everyone}`,
    ],
    [
      "an Allow to a list holding *",
      {
        policyStatements: [
          { Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket" },
          { Effect: "Allow", Principal: { AWS: [TRAINING_ROLE, "*"] }, Action: "s3:GetObject" },
        ],
      },
      `policyStatements[1]: ${everyone}`,
    ],
    [
      "a bucket prefix with capitals",
      { bucketPrefix: "Datasets" },
      'bucketPrefix: "Datasets" must be 2-36 lower-case letters, digits and dashes (S3 appends a suffix)',
    ],
    [
      "a key that is no KMS ARN",
      { kmsKeyArn: "alias/datasets" },
      'kmsKeyArn: "alias/datasets" is not a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ],
    [
      "zero-day version expiry",
      { noncurrentVersionExpirationDays: 0 },
      "noncurrentVersionExpirationDays: 0 is too small: expected number to be >=1",
    ],
    [
      "an unknown lock mode",
      { objectLock: { mode: "LEGAL" as "GOVERNANCE", days: 1 } },
      'objectLock.mode: "LEGAL" is not valid; use one of "GOVERNANCE", "COMPLIANCE"',
    ],
    [
      "a replication destination that is no ARN",
      { replication: { destinationBucketArn: "datasets-dr", destinationKmsKeyArn: DR_KEY } },
      'replication.destinationBucketArn: "datasets-dr" is not an S3 bucket ARN such as arn:aws:s3:::ml-datasets',
    ],
  ] as [string, AwsEncryptedBucketArgs, string][])(
    "rejects %s, registering nothing",
    async (_, args, detail) => {
      recorder.clear();
      const error = configErrorOf(() => new AwsEncryptedBucket("bad", args));
      expect(error.message).toBe(`AwsEncryptedBucket "bad": ${detail}`);
      await recorder.settle();
      expect(recorder.resources).toEqual([]);
    },
  );

  it("rejects a component name S3 would refuse as the default prefix, and accepts it with a prefix", async () => {
    recorder.clear();
    const error = configErrorOf(() => new AwsEncryptedBucket("Training_Data", {}));
    expect(error.message).toBe(
      'AwsEncryptedBucket "Training_Data": bucketPrefix: is not given, and the component name "Training_Data" is no bucket prefix: it must be 2-36 lower-case letters, digits and dashes (S3 appends a suffix); set bucketPrefix',
    );
    await recorder.settle();
    expect(recorder.resources).toEqual([]);
    const { rs } = await build("Training_Data", { bucketPrefix: "training-data" });
    expect(one(rs, T.bucket, "Training_Data").inputs.bucketPrefix).toBe("training-data-");
  });
});
