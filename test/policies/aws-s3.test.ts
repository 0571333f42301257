// S3 in every spelling: companions and their V2 names, the bucket's own inline settings, access
// points and aws-native's policy; the public-policy logic against the conditions that match
// everyone.
import { describe, expect, it } from "vitest";
import {
  awsS3AccessLogging,
  awsS3AclNotPublic,
  awsS3AclsDisabled,
  awsS3BucketCompanions,
  awsS3BucketKey,
  awsS3Lifecycle,
  awsS3PolicyNoLockout,
  awsS3PolicyNotPublic,
  awsS3PublicAccessBlock,
  awsS3SseKms,
  awsS3TlsOnly,
  awsS3Versioning,
} from "../../policies/rules/aws-s3";
import { ruleCases } from "./cases";
import { resource, stackViolations, UNKNOWN_INPUT } from "./evaluate";

const BUCKET = "aws:s3/bucket:Bucket";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/fffe1046-5f12-7a1f-e4e4-a5cbc595e342";

const kmsRule = {
  applyServerSideEncryptionByDefault: { kmsMasterKeyId: KEY, sseAlgorithm: "aws:kms" },
  bucketKeyEnabled: true,
};

ruleCases(awsS3SseKms, [
  {
    name: "aws-native's bucket under a KMS key",
    type: "aws-native:s3:Bucket",
    props: {
      bucketEncryption: {
        serverSideEncryptionConfiguration: [
          {
            serverSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
            bucketKeyEnabled: true,
          },
        ],
      },
    },
  },
  {
    name: "aws-native's bucket with no bucketEncryption",
    type: "aws-native:s3:Bucket",
    props: {},
    fails: ["bucketEncryption is unset"],
  },
  {
    name: "aws-native's bucket with AES256 in lower case",
    type: "aws-native:s3:Bucket",
    props: {
      bucketEncryption: {
        serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: "aes256" } }],
      },
    },
    fails: ['sseAlgorithm is "aes256"'],
  },
  { name: "the library's SSE-KMS rule", type: SSE, props: { bucket: "b", rules: [kmsRule] } },
  {
    name: "DSSE-KMS",
    type: SSE,
    props: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse" } }] },
  },
  {
    name: "a bucket with no inline encryption (the companion's business)",
    type: BUCKET,
    props: { bucketPrefix: "d-" },
  },
  {
    name: "inline KMS on the v7 bucket",
    type: BUCKET,
    props: { serverSideEncryptionConfiguration: { rule: kmsRule } },
  },
  {
    name: "AES256",
    type: SSE,
    props: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
    fails: ['"AES256"'],
  },
  { name: "an empty rule list", type: SSE, props: { rules: [] }, fails: ["falls back to SSE-S3"] },
  {
    name: "inline AES256 on the v7 bucket",
    type: BUCKET,
    props: {
      serverSideEncryptionConfiguration: {
        rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      },
    },
    fails: ["serverSideEncryptionConfiguration.rule"],
  },
  {
    name: "inline AES256 in BucketV2's plural form",
    type: "aws:s3/bucketV2:BucketV2",
    props: {
      serverSideEncryptionConfigurations: [
        { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      ],
    },
    fails: ["serverSideEncryptionConfigurations[0].rules[0]"],
  },
]);

ruleCases(awsS3BucketKey, [
  { name: "bucket keys on", type: SSE, props: { rules: [kmsRule] } },
  {
    name: "DSSE-KMS without them",
    type: SSE,
    props: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse" } }] },
  },
  {
    name: "an aws:kms rule without a bucket key",
    type: SSE,
    props: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] },
    fails: ["bucketKeyEnabled is unset"],
  },
]);

ruleCases(awsS3Versioning, [
  {
    name: "aws-native's bucket versioned",
    type: "aws-native:s3:Bucket",
    props: { versioningConfiguration: { status: "Enabled" } },
  },
  {
    name: "aws-native's bucket without versioning",
    type: "aws-native:s3:Bucket",
    props: {},
    fails: ["versioningConfiguration.status is unset"],
  },
  {
    name: "aws-native's bucket suspended",
    type: "aws-native:s3:Bucket",
    props: { versioningConfiguration: { status: "suspended" } },
    fails: ["suspended"],
  },
  {
    name: "Enabled",
    type: VERSIONING,
    props: { bucket: "b", versioningConfiguration: { status: "Enabled" } },
  },
  { name: "inline versioning on", type: BUCKET, props: { versioning: { enabled: true } } },
  {
    name: "Suspended",
    type: VERSIONING,
    props: { versioningConfiguration: { status: "Suspended" } },
    fails: ['"Suspended"'],
  },
  {
    name: "inline versioning off",
    type: BUCKET,
    props: { versioning: { enabled: false } },
    fails: ["versioning.enabled is false"],
  },
  {
    name: "BucketV2's versionings off",
    type: "aws:s3/bucketV2:BucketV2",
    props: { versionings: [{ enabled: false }] },
    fails: ["versionings[0].enabled"],
  },
]);

const allBlocked = {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
};
ruleCases(awsS3PublicAccessBlock, [
  { name: "aws-native's bucket left to S3's default block", type: "aws-native:s3:Bucket", props: {} },
  {
    name: "aws-native's bucket turning two settings off",
    type: "aws-native:s3:Bucket",
    props: { publicAccessBlockConfiguration: { blockPublicPolicy: false, restrictPublicBuckets: "false" } },
    fails: ["blockPublicPolicy", "restrictPublicBuckets"],
  },
  { name: "all four on", type: PAB, props: { bucket: "b", ...allBlocked } },
  {
    name: "all four on, as strings",
    type: PAB,
    props: {
      blockPublicAcls: "true",
      blockPublicPolicy: "TRUE",
      ignorePublicAcls: "true",
      restrictPublicBuckets: "true",
    },
  },
  {
    name: "an access point without settings (AWS turns all four on)",
    type: "aws:s3/accessPoint:AccessPoint",
    props: { bucket: "b", name: "ap" },
  },
  {
    name: "settings left to the provider's false",
    type: PAB,
    props: { blockPublicAcls: true },
    fails: ["blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"],
  },
  {
    name: "an account-level block with one off",
    type: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    props: { ...allBlocked, restrictPublicBuckets: false },
    fails: ["restrictPublicBuckets is false"],
  },
  {
    name: "an access point that turns one off",
    type: "aws:s3/accessPoint:AccessPoint",
    props: { publicAccessBlockConfiguration: { ...allBlocked, blockPublicPolicy: false } },
    fails: ["publicAccessBlockConfiguration.blockPublicPolicy"],
  },
]);

const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const read = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };
const pinned = (Condition: unknown) => ({ ...read, Condition });

ruleCases(awsS3PolicyNotPublic, [
  {
    name: "a Multi-Region access point's policy naming the account",
    type: "aws:s3control/multiRegionAccessPointPolicy:MultiRegionAccessPointPolicy",
    props: {
      details: {
        name: "mrap",
        policy: doc({
          Effect: "Allow",
          Principal: { AWS: "123456789012" },
          Action: "s3:GetObject",
          Resource: "*",
        }),
      },
    },
  },
  ...(
    [
      ["aws:s3control/multiRegionAccessPointPolicy:MultiRegionAccessPointPolicy", "details.policy", "string"],
      ["aws:s3control/objectLambdaAccessPointPolicy:ObjectLambdaAccessPointPolicy", "policy", "string"],
      ["aws-native:s3:MultiRegionAccessPointPolicy", "policy", "object"],
      ["aws-native:s3objectlambda:AccessPointPolicy", "policyDocument", "object"],
      ["aws-native:s3express:BucketPolicy", "policyDocument", "object"],
      ["aws-native:s3outposts:BucketPolicy", "policyDocument", "object"],
    ] as const
  ).map(([type, field, shape]) => {
    const statement = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" };
    const value = shape === "string" ? doc(statement) : { Version: "2012-10-17", Statement: [statement] };
    const [outer, inner] = field.split(".");
    return {
      name: `Principal "*" on ${type}`,
      type,
      props: inner ? { [outer as string]: { name: "x", [inner]: value } } : { [field]: value },
      fails: ["Principal"],
    };
  }),
  {
    name: "the library's Deny statements for everyone",
    type: POLICY,
    props: {
      policy: doc({
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: "*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    },
  },
  {
    name: "an Allow pinned to the organization",
    type: POLICY,
    props: { policy: doc(pinned({ StringEquals: { "aws:PrincipalOrgID": "o-abc123" } })) },
  },
  {
    name: "an Allow pinned to a VPC endpoint",
    type: POLICY,
    props: { policy: doc(pinned({ StringEquals: { "aws:SourceVpce": "vpce-1a2b3c" } })) },
  },
  {
    name: "an Allow from an admin network",
    type: POLICY,
    props: { policy: doc(pinned({ IpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } })) },
  },
  {
    name: "an Allow to a named role",
    type: POLICY,
    props: { policy: doc({ ...read, Principal: { AWS: "arn:aws:iam::123456789012:role/reader" } }) },
  },
  {
    name: "a policy given as an object, pinned",
    type: POLICY,
    props: {
      policy: {
        Version: "2012-10-17",
        Statement: [pinned({ StringEquals: { "aws:SourceAccount": "123456789012" } })],
      },
    },
  },
  {
    name: 'Principal "*" with no condition',
    type: POLICY,
    props: { policy: doc(read) },
    fails: ["Statement[0]"],
  },
  {
    name: '{ AWS: "*" }',
    type: POLICY,
    props: { policy: doc({ ...read, Principal: { AWS: ["*"] } }) },
    fails: ["Statement[0]"],
  },
  {
    name: "a wildcard account ARN",
    type: POLICY,
    props: { policy: doc({ ...read, Principal: { AWS: "arn:aws:iam::*:root" } }) },
    fails: ["Statement[0]"],
  },
  {
    name: "NotPrincipal",
    type: POLICY,
    props: {
      policy: doc({ ...read, Principal: undefined, NotPrincipal: { AWS: "arn:aws:iam::123456789012:root" } }),
    },
    fails: ["NotPrincipal"],
  },
  {
    name: "an IfExists operator",
    type: POLICY,
    props: { policy: doc(pinned({ StringEqualsIfExists: { "aws:SourceVpce": "vpce-1" } })) },
    fails: ["passes when the key is absent"],
  },
  {
    name: "ForAllValues on an absent key",
    type: POLICY,
    props: { policy: doc(pinned({ "ForAllValues:StringEquals": { "aws:PrincipalOrgID": ["o-abc123"] } })) },
    fails: ["absent or empty"],
  },
  {
    name: "a wildcard org id",
    type: POLICY,
    props: { policy: doc(pinned({ StringLike: { "aws:PrincipalOrgID": "o-*" } })) },
    fails: ["no fixed value"],
  },
  {
    name: "a wildcard source ARN",
    type: POLICY,
    props: { policy: doc(pinned({ ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" } })) },
    fails: ["no fixed value"],
  },
  {
    name: "a policy variable",
    type: POLICY,
    props: { policy: doc(pinned({ StringEquals: { "aws:PrincipalAccount": `\${aws:PrincipalAccount}` } })) },
    fails: ["no fixed value"],
  },
  {
    name: "a Null test",
    type: POLICY,
    props: { policy: doc(pinned({ Null: { "aws:PrincipalOrgID": "false" } })) },
    fails: ["tests only whether the key is present"],
  },
  {
    name: "a negated operator",
    type: POLICY,
    props: { policy: doc(pinned({ StringNotEquals: { "aws:PrincipalAccount": "999999999999" } })) },
    fails: ["everyone but the values"],
  },
  {
    name: "the whole address space",
    type: POLICY,
    props: { policy: doc(pinned({ IpAddress: { "aws:SourceIp": ["0.0.0.0/1", "128.0.0.0/1"] } })) },
    fails: ["covers the internet"],
  },
  {
    name: "::/0",
    type: POLICY,
    props: { policy: doc(pinned({ IpAddress: { "aws:SourceIp": "::/0" } })) },
    fails: ["covers the internet"],
  },
  {
    name: "a condition on a key that pins no caller",
    type: POLICY,
    props: { policy: doc(pinned({ Bool: { "aws:SecureTransport": "true" } })) },
    fails: ["Statement[0]"],
  },
  {
    name: "the bucket's inline policy",
    type: BUCKET,
    props: { policy: doc(read) },
    fails: ["policy Statement[0]"],
  },
  {
    name: "an access point's policy",
    type: "aws:s3/accessPoint:AccessPoint",
    props: { policy: doc(read) },
    fails: ["policy Statement[0]"],
  },
  {
    name: "an s3control access point policy",
    type: "aws:s3control/accessPointPolicy:AccessPointPolicy",
    props: { policy: doc(read) },
    fails: ["policy Statement[0]"],
  },
  {
    name: "aws-native's bucket policy (an object)",
    type: "aws-native:s3:BucketPolicy",
    props: { policyDocument: { Statement: [read] } },
    fails: ["policyDocument Statement[0]"],
  },
]);

ruleCases(awsS3AclNotPublic, [
  { name: "aws-native's private bucket", type: "aws-native:s3:Bucket", props: { accessControl: "Private" } },
  {
    name: "aws-native's PublicRead bucket",
    type: "aws-native:s3:Bucket",
    props: { accessControl: "PublicRead" },
    fails: ['accessControl is "PublicRead"'],
  },
  {
    name: "aws-native's AuthenticatedRead bucket",
    type: "aws-native:s3:Bucket",
    props: { accessControl: "AuthenticatedRead" },
    fails: ["every AWS account"],
  },
  {
    name: "a private object",
    type: "aws:s3/bucketObjectv2:BucketObjectv2",
    props: { bucket: "b", key: "k", acl: "private" },
  },
  {
    name: "public-read on a BucketObjectv2",
    type: "aws:s3/bucketObjectv2:BucketObjectv2",
    props: { bucket: "b", key: "k", acl: "public-read" },
    fails: ["grants the object to everyone"],
  },
  {
    name: "public-read-write on a BucketObject",
    type: "aws:s3/bucketObject:BucketObject",
    props: { bucket: "b", key: "k", acl: "Public-Read-Write" },
    fails: ["grants the object to everyone"],
  },
  {
    name: "authenticated-read on an ObjectCopy",
    type: "aws:s3/objectCopy:ObjectCopy",
    props: { bucket: "b", key: "k", source: "a/k", acl: "authenticated-read" },
    fails: ["every AWS account"],
  },
  {
    name: "grants to AllUsers and AuthenticatedUsers in other spellings of their URI",
    type: "aws:s3/bucketAcl:BucketAcl",
    props: {
      accessControlPolicy: {
        grants: [
          {
            grantee: { type: "Group", uri: "https://acs.amazonaws.com/groups/global/AllUsers" },
            permission: "READ",
          },
          {
            grantee: { type: "Group", uri: "acs.amazonaws.com/groups/global/authenticatedusers/" },
            permission: "READ",
          },
        ],
      },
    },
    fails: ["AllUsers", "authenticatedusers"],
  },
  { name: "no ACL and private", type: BUCKET, props: { acl: "private" } },
  {
    name: "a grant to a canonical user",
    type: "aws:s3/bucketAcl:BucketAcl",
    props: {
      accessControlPolicy: {
        grants: [{ grantee: { type: "CanonicalUser", id: "abc" }, permission: "READ" }],
      },
    },
  },
  {
    name: "public-read on the bucket",
    type: BUCKET,
    props: { acl: "public-read" },
    fails: ["grants the bucket to everyone"],
  },
  {
    name: "authenticated-read on an ACL resource, upper case",
    type: "aws:s3/bucketAcl:BucketAcl",
    props: { acl: "Authenticated-Read" },
    fails: ["every AWS account"],
  },
  {
    name: "a grant to AllUsers",
    type: "aws:s3/bucketAcl:BucketAcl",
    props: {
      accessControlPolicy: {
        grants: [
          {
            grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" },
            permission: "READ",
          },
        ],
      },
    },
    fails: ["AllUsers"],
  },
  {
    name: "an inline grant to AuthenticatedUsers on the bucket",
    type: BUCKET,
    props: {
      grants: [
        {
          type: "Group",
          uri: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
          permissions: ["READ"],
        },
      ],
    },
    fails: ["grants[0]"],
  },
]);

ruleCases(awsS3AclsDisabled, [
  {
    name: "BucketOwnerEnforced",
    type: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    props: { rule: { objectOwnership: "BucketOwnerEnforced" } },
  },
  {
    name: "ObjectWriter",
    type: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    props: { rule: { objectOwnership: "ObjectWriter" } },
    fails: ["object ACLs still grant"],
  },
]);

/** A bucket the way AwsEncryptedBucket declares it, under a component, with its companions. */
function bucketStack(name = "datasets", spell: { v2?: boolean; skip?: string[]; known?: boolean } = {}) {
  const parent = resource("hybrid-ai-infra:index:AwsEncryptedBucket", name, {});
  const bucket = resource(
    spell.v2 ? "aws:s3/bucketV2:BucketV2" : BUCKET,
    name,
    { bucketPrefix: `${name}-` },
    { parent, protect: true },
  );
  const ref = spell.known ? `${name}-1` : UNKNOWN_INPUT;
  const companion = (type: string, n: string, props: Record<string, unknown>) =>
    resource(type, `${name}-${n}`, { bucket: ref, ...props }, { parent, dependencies: [bucket] });
  const all = [
    bucket,
    companion(
      spell.v2
        ? "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
        : SSE,
      "sse",
      { rules: [kmsRule] },
    ),
    companion(spell.v2 ? "aws:s3/bucketVersioningV2:BucketVersioningV2" : VERSIONING, "versioning", {
      versioningConfiguration: { status: "Enabled" },
    }),
    companion(PAB, "pab", allBlocked),
    companion("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "ownership", {
      rule: { objectOwnership: "BucketOwnerEnforced" },
    }),
    companion(POLICY, "policy", {
      policy: doc({
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    }),
    companion("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lifecycle", {
      rules: [
        {
          id: "abort",
          status: "Enabled",
          filter: {},
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    }),
    companion("aws:s3/bucketLogging:BucketLogging", "logging", { targetBucket: "logs" }),
  ];
  return all.filter((r) => !(spell.skip ?? []).some((s) => r.name.endsWith(`-${s}`)));
}

describe("aws-s3-bucket-companions", () => {
  it("passes the library's bucket, its V2 spelling, and two buckets under one component told apart", async () => {
    expect(await stackViolations(awsS3BucketCompanions, bucketStack())).toEqual([]);
    expect(await stackViolations(awsS3BucketCompanions, bucketStack("d", { v2: true }))).toEqual([]);
    expect(
      await stackViolations(awsS3BucketCompanions, [...bucketStack("raw"), ...bucketStack("curated")]),
    ).toEqual([]);
  });
  it("passes a bucket that states encryption and versioning inline", async () => {
    const inline = resource(BUCKET, "inline", {
      serverSideEncryptionConfiguration: { rule: kmsRule },
      versioning: { enabled: true },
    });
    const rest = bucketStack("inline", { skip: ["sse", "versioning"] })
      .slice(1)
      .map((r) => resource(r.type, r.name, r.props as Record<string, unknown>, { dependencies: [inline] }));
    expect(await stackViolations(awsS3BucketCompanions, [inline, ...rest])).toEqual([]);
  });
  it("names a missing companion, and the bucket it belongs to when two share a component", async () => {
    const found = await stackViolations(awsS3BucketCompanions, [
      ...bucketStack("raw", { skip: ["versioning"] }),
      ...bucketStack("curated"),
    ]);
    expect(found.map((f) => f.message)).toEqual(["bucket raw has no BucketVersioning (versioning Enabled)"]);
  });
  it("names a weak companion, matched by name when the name is known", async () => {
    const weak = bucketStack("named", { known: true }).map((r) =>
      r.name === "named-pab"
        ? resource(r.type, r.name, {
            ...(r.props as object),
            bucket: "named-1",
            restrictPublicBuckets: false,
          })
        : r,
    );
    const named = weak.map((r) => (r.type === BUCKET ? resource(BUCKET, "named", { bucket: "named-1" }) : r));
    expect((await stackViolations(awsS3BucketCompanions, named)).map((f) => f.message)).toEqual([
      "bucket named's BucketPublicAccessBlock does not give all four public-access blocks",
    ]);
  });
  it("fails inline AES256 although the bucket has no companion for it", async () => {
    const b = resource(BUCKET, "weak", {
      serverSideEncryptionConfiguration: {
        rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      },
    });
    expect((await stackViolations(awsS3BucketCompanions, [b])).map((f) => f.message)).toContain(
      "bucket weak's BucketServerSideEncryptionConfiguration does not give default encryption with KMS",
    );
  });
});

describe("aws-s3-tls-only, aws-s3-lifecycle and aws-s3-access-logging", () => {
  it("pass the library's bucket", async () => {
    for (const rule of [awsS3TlsOnly, awsS3Lifecycle, awsS3AccessLogging])
      expect(await stackViolations(rule, bucketStack())).toEqual([]);
  });
  it("fail a bucket without a TLS-only policy, a lifecycle aborting uploads, or access logs", async () => {
    const bare = bucketStack("bare", { skip: ["policy", "lifecycle", "logging"] });
    expect((await stackViolations(awsS3TlsOnly, bare))[0]?.message).toContain(
      "no policy statement denying requests without TLS",
    );
    expect((await stackViolations(awsS3Lifecycle, bare))[0]?.message).toBe(
      'bucket bare has no lifecycle configuration; add a rule (a BucketLifecycleConfiguration) { status: "Enabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }',
    );
    expect((await stackViolations(awsS3AccessLogging, bare))[0]?.message).toBe(
      "bucket bare has no server access logging; declare a BucketLogging with targetBucket",
    );
  });
  it("take the TLS Deny from the bucket's inline policy too, and fail a lifecycle without the abort rule", async () => {
    const inline = resource(BUCKET, "inline", {
      policy: doc({
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "*",
        Resource: "*",
        Condition: { Bool: { "aws:SecureTransport": false } },
      }),
      lifecycleRules: [{ enabled: true, expiration: { days: 30 } }],
    });
    expect(await stackViolations(awsS3TlsOnly, [inline])).toEqual([]);
    expect((await stackViolations(awsS3Lifecycle, [inline]))[0]?.message).toContain(
      "no enabled rule aborting incomplete multipart uploads",
    );
  });
});

describe("aws-s3-tls-only, aws-s3-lifecycle and aws-s3-access-logging on aws-native's bucket", () => {
  const NATIVE = "aws-native:s3:Bucket";
  const tlsDeny = {
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: ["arn:aws:s3:::datasets", "arn:aws:s3:::datasets/*"],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
  const good = {
    bucketName: "datasets",
    lifecycleConfiguration: {
      rules: [{ id: "abort", status: "Enabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }],
    },
    loggingConfiguration: { destinationBucketName: "access-logs", logFilePrefix: "datasets/" },
  };
  // aws-native's BucketPolicy takes the document as an object, naming the bucket by its name.
  const policy = (statement: unknown, bucket = "datasets") =>
    resource("aws-native:s3:BucketPolicy", "datasets-policy", {
      bucket,
      policyDocument: { Version: "2012-10-17", Statement: [statement] },
    });

  it("pass a bucket with its TLS-only policy, a lifecycle aborting uploads and access logs", async () => {
    const stack = [resource(NATIVE, "datasets", good), policy(tlsDeny)];
    for (const rule of [awsS3TlsOnly, awsS3Lifecycle, awsS3AccessLogging])
      expect(await stackViolations(rule, stack), rule.name).toEqual([]);
    // Without a destination S3 logs into the bucket itself: logging is on.
    const toItself = { ...good, loggingConfiguration: {} };
    expect(await stackViolations(awsS3AccessLogging, [resource(NATIVE, "datasets", toItself)])).toEqual([]);
  });

  it("fail it without them, or with a policy for another bucket, a lifecycle that never aborts, no logging", async () => {
    const bare = resource(NATIVE, "datasets", { bucketName: "datasets" });
    expect((await stackViolations(awsS3TlsOnly, [bare]))[0]?.message).toContain(
      "no policy statement denying requests without TLS",
    );
    expect(await stackViolations(awsS3TlsOnly, [bare, policy(tlsDeny, "other-bucket")])).toHaveLength(1);
    expect(await stackViolations(awsS3TlsOnly, [bare, policy({ ...tlsDeny, Condition: {} })])).toHaveLength(
      1,
    );
    expect((await stackViolations(awsS3Lifecycle, [bare]))[0]?.message).toBe(
      'bucket datasets has no lifecycle configuration; add a rule to lifecycleConfiguration.rules { status: "Enabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }',
    );
    const expiresOnly = resource(NATIVE, "datasets", {
      ...good,
      lifecycleConfiguration: { rules: [{ status: "Enabled", expirationInDays: 30 }] },
    });
    expect((await stackViolations(awsS3Lifecycle, [expiresOnly]))[0]?.message).toContain(
      "no enabled rule aborting incomplete multipart uploads",
    );
    const disabled = resource(NATIVE, "datasets", {
      ...good,
      lifecycleConfiguration: {
        rules: [{ status: "Disabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }],
      },
    });
    expect(await stackViolations(awsS3Lifecycle, [disabled])).toHaveLength(1);
    expect((await stackViolations(awsS3AccessLogging, [bare]))[0]?.message).toBe(
      "bucket datasets has no server access logging; set loggingConfiguration.destinationBucketName",
    );
  });

  it("take the classic provider's policy, lifecycle and logging resources that name the aws-native bucket", async () => {
    const bare = resource(NATIVE, "datasets", { bucketName: "datasets" });
    const companions = [
      resource("aws:s3/bucketPolicy:BucketPolicy", "tls", {
        bucket: "datasets",
        policy: JSON.stringify({ Version: "2012-10-17", Statement: [tlsDeny] }),
      }),
      resource("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "life", {
        bucket: "datasets",
        rules: [
          { id: "abort", status: "Enabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        ],
      }),
      resource("aws:s3/bucketLogging:BucketLogging", "logs", {
        bucket: "datasets",
        targetBucket: "access-logs",
      }),
    ];
    for (const rule of [awsS3TlsOnly, awsS3Lifecycle, awsS3AccessLogging])
      expect(await stackViolations(rule, [bare, ...companions]), rule.name).toEqual([]);
  });
});

const denyAll = {
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
};
ruleCases(awsS3PolicyNoLockout, [
  {
    name: "the library's TLS-only deny",
    type: POLICY,
    props: { policy: doc({ ...denyAll, Condition: { Bool: { "aws:SecureTransport": "false" } } }) },
  },
  {
    name: "a deny that spares the administrators",
    type: POLICY,
    props: { policy: doc({ ...denyAll, NotPrincipal: { AWS: "arn:aws:iam::123456789012:role/admin" } }) },
  },
  {
    name: "a deny of object deletes",
    type: POLICY,
    props: { policy: doc({ ...denyAll, Action: "s3:DeleteObject" }) },
  },
  {
    name: "s3:* to everyone",
    type: POLICY,
    props: { policy: doc(denyAll) },
    fails: ["s3:PutBucketPolicy and s3:DeleteBucketPolicy"],
  },
  {
    name: '* to { AWS: "*" } on the bucket\'s inline policy',
    type: BUCKET,
    props: { policy: doc({ ...denyAll, Principal: { AWS: "*" }, Action: "*" }) },
    fails: ["denies everyone"],
  },
  {
    name: "s3:Put*BucketPolicy as an object",
    type: POLICY,
    props: { policy: { Statement: [{ ...denyAll, Action: ["s3:Put*"] }] } },
    fails: ["s3:PutBucketPolicy without a condition"],
  },
  {
    name: "a NotAction that leaves the policy actions in",
    type: POLICY,
    props: { policy: doc({ Effect: "Deny", Principal: "*", NotAction: "s3:GetObject", Resource: "*" }) },
    fails: ["s3:PutBucketPolicy and s3:DeleteBucketPolicy"],
  },
]);
