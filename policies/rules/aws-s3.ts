// S3 as the security model wants it, whichever way a program spells it: the bucket's own inline
// settings (aws v7 `Bucket` keeps v6's inline `acl`, `grants`, `policy`, `versioning`,
// `serverSideEncryptionConfiguration`; `BucketV2` has their plural forms), the companion
// resources and their V2 names (types.ts folds those), access points and their policies, and
// aws-native's bucket policy. Encrypted with KMS, versioned, never public by ACL or by policy
// (judged as S3 judges "public"), ACLs disabled, TLS only, lifecycle that aborts stale uploads.
import {
  and,
  everyone,
  family,
  get,
  grants,
  isAbsent,
  isFalse,
  isTrue,
  isUnknown,
  label,
  list,
  oneOf,
  type Props,
  parseDocument,
  referenced,
  reportPublicStatements,
  resourceRule,
  type StackContext,
  type StackResource,
  type Statement,
  show,
  stackRule,
  UNKNOWN,
} from "../kit";

export const BUCKET = "aws:s3/bucket:Bucket";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const ACCOUNT_PUBLIC_ACCESS_BLOCK = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock";
const OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
const BUCKET_ACL = "aws:s3/bucketAcl:BucketAcl";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const ACCESS_POINT = "aws:s3/accessPoint:AccessPoint";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const LOGGING = "aws:s3/bucketLogging:BucketLogging";
/**
 * aws-native's bucket carries its settings inline (bucketEncryption, versioningConfiguration,
 * publicAccessBlockConfiguration, accessControl), with CloudFormation's defaults: left out, S3
 * encrypts with its own keys, keeps one version and blocks public access.
 */
const NATIVE_BUCKET = "aws-native:s3:Bucket";
const NATIVE_BUCKET_POLICY = "aws-native:s3:BucketPolicy";

/** Where each resource type keeps a bucket or access point policy document. */
const POLICY_FIELDS: Readonly<Record<string, string>> = {
  [BUCKET_POLICY]: "policy",
  [BUCKET]: "policy",
  [ACCESS_POINT]: "policy",
  "aws:s3control/accessPointPolicy:AccessPointPolicy": "policy",
  "aws:s3control/bucketPolicy:BucketPolicy": "policy",
  "aws-native:s3:BucketPolicy": "policyDocument",
  "aws-native:s3:AccessPoint": "policy",
  // Multi-Region and Object Lambda access points reach the same buckets' objects.
  "aws:s3control/multiRegionAccessPointPolicy:MultiRegionAccessPointPolicy": "details.policy",
  "aws:s3control/objectLambdaAccessPointPolicy:ObjectLambdaAccessPointPolicy": "policy",
  "aws-native:s3:MultiRegionAccessPointPolicy": "policy",
  "aws-native:s3objectlambda:AccessPointPolicy": "policyDocument",
  // Directory buckets (S3 Express One Zone) and S3 on Outposts, under Cloud Control.
  "aws-native:s3express:BucketPolicy": "policyDocument",
  "aws-native:s3outposts:BucketPolicy": "policyDocument",
};

/** Objects carry ACLs of their own, which make the one object public whatever the bucket's ACL says. */
const OBJECT_ACL_TYPES = [
  "aws:s3/bucketObjectv2:BucketObjectv2",
  "aws:s3/bucketObject:BucketObject",
  "aws:s3/objectCopy:ObjectCopy",
];

// ------------------------------------------------------------------------- encryption and versions

/** The default-encryption rules a resource declares, with where each sits (none when it declares none). */
function encryptionRules(type: string, props: Props): { rule: unknown; at: string }[] {
  if (type === SSE) return list(props.rules).map((rule, i) => ({ rule, at: `rules[${i}]` }));
  // v7 Bucket: one inline block with one rule; BucketV2: a list of blocks with rule lists.
  const inline = props.serverSideEncryptionConfiguration;
  if (!isAbsent(inline))
    return list(get(inline, "rule")).map((rule) => ({ rule, at: "serverSideEncryptionConfiguration.rule" }));
  return list(props.serverSideEncryptionConfigurations).flatMap((c, i) =>
    list(get(c, "rules")).map((rule, j) => ({
      rule,
      at: `serverSideEncryptionConfigurations[${i}].rules[${j}]`,
    })),
  );
}

export const awsS3SseKms = resourceRule({
  name: "aws-s3-sse-kms",
  description:
    'A bucket\'s default encryption uses KMS (sseAlgorithm "aws:kms" or "aws:kms:dsse"), whether declared by a BucketServerSideEncryptionConfiguration(V2), inline on the bucket or in aws-native\'s bucketEncryption, so reading an object also takes kms:Decrypt on the key and every use lands in CloudTrail; S3\'s own AES256 keys leave the bucket policy as the only gate.',
  remediation:
    'Set every rule\'s applyServerSideEncryptionByDefault to { sseAlgorithm: "aws:kms", kmsMasterKeyId: <a customer managed key> }.',
  benchmarks: [
    "checkov:CKV_AWS_145",
    "checkov:CKV_AWS_19",
    "kics:6726dcc0-5ff5-459d-b473-a780bef7665c",
    "kics:ad03cb46-f174-4674-bf8e-2880a7000edd",
    "aws-fsbp:S3.17",
  ],
  enforcementLevel: "mandatory",
  types: [SSE, BUCKET, NATIVE_BUCKET],
  check: (ctx) => {
    if (ctx.type === NATIVE_BUCKET) {
      const config = get(ctx.props, "bucketEncryption.serverSideEncryptionConfiguration");
      if (!ctx.known(config, "bucketEncryption")) return;
      if (list(config).length === 0 && ctx.judgesAbsent)
        ctx.report(
          'bucketEncryption is unset, so the bucket falls back to SSE-S3 (AES256); add a rule with sseAlgorithm "aws:kms"',
        );
      list(config).forEach((rule, i) => {
        const at = `bucketEncryption.serverSideEncryptionConfiguration[${i}].serverSideEncryptionByDefault.sseAlgorithm`;
        const algorithm = get(rule, "serverSideEncryptionByDefault.sseAlgorithm");
        if (ctx.known(algorithm, at) && !oneOf(algorithm, "aws:kms", "aws:kms:dsse"))
          ctx.report(`${at} is ${show(algorithm)}; use "aws:kms" (or "aws:kms:dsse")`);
      });
      return;
    }
    const field = ctx.type === SSE ? "rules" : "serverSideEncryptionConfiguration(s)";
    if (
      !ctx.known(
        [
          ctx.props.rules,
          ctx.props.serverSideEncryptionConfiguration,
          ctx.props.serverSideEncryptionConfigurations,
        ],
        field,
      )
    )
      return;
    const rules = encryptionRules(ctx.type, ctx.props);
    if (rules.length === 0) {
      if (ctx.type === SSE && ctx.judgesAbsent)
        ctx.report(
          'rules is empty, so the bucket falls back to SSE-S3 (AES256); add a rule with sseAlgorithm "aws:kms"',
        );
      return;
    }
    for (const { rule, at } of rules) {
      const algorithm = get(rule, "applyServerSideEncryptionByDefault.sseAlgorithm");
      if (
        ctx.known(algorithm, `${at}.applyServerSideEncryptionByDefault.sseAlgorithm`) &&
        !oneOf(algorithm, "aws:kms", "aws:kms:dsse")
      )
        ctx.report(
          `${at}.applyServerSideEncryptionByDefault.sseAlgorithm is ${show(algorithm)}; use "aws:kms" (or "aws:kms:dsse")`,
        );
    }
  },
});

export const awsS3BucketKey = resourceRule({
  name: "aws-s3-bucket-key",
  description:
    "SSE-KMS buckets use S3 Bucket Keys (bucketKeyEnabled true): S3 then calls KMS once per bucket key instead of once per object, cutting KMS cost and throttling on dataset-sized buckets. DSSE-KMS does not support them and is exempt.",
  remediation: "Set bucketKeyEnabled: true on each aws:kms rule.",
  benchmarks: ["hybrid-ai-infra:s3-bucket-keys"],
  enforcementLevel: "advisory",
  types: [SSE, BUCKET],
  check: (ctx) => {
    for (const { rule, at } of encryptionRules(ctx.type, ctx.props)) {
      if (!oneOf(get(rule, "applyServerSideEncryptionByDefault.sseAlgorithm"), "aws:kms")) continue;
      const enabled = get(rule, "bucketKeyEnabled");
      if (
        ctx.known(enabled, `${at}.bucketKeyEnabled`) &&
        !isTrue(enabled) &&
        (ctx.judgesAbsent || !isAbsent(enabled))
      )
        ctx.report(`${at}.bucketKeyEnabled is ${show(enabled)} on an aws:kms rule; set it to true`);
    }
  },
});

export const awsS3Versioning = resourceRule({
  name: "aws-s3-versioning",
  description:
    "Bucket versioning is Enabled (BucketVersioning(V2), inline on the bucket, or aws-native's versioningConfiguration), so an overwritten or deleted object (a dataset, a checkpoint) can be restored; Suspended or Disabled keeps only the latest copy.",
  remediation:
    'Set versioningConfiguration.status to "Enabled" (with a lifecycle rule expiring old versions).',
  benchmarks: ["checkov:CKV_AWS_21", "kics:568a4d22-3517-44a6-a7ad-6a7eed88722c", "aws-fsbp:S3.14"],
  enforcementLevel: "mandatory",
  types: [VERSIONING, BUCKET, NATIVE_BUCKET],
  check: (ctx) => {
    if (ctx.type === VERSIONING || ctx.type === NATIVE_BUCKET) {
      const status = get(ctx.props, "versioningConfiguration.status");
      if (ctx.type === NATIVE_BUCKET && isAbsent(status) && !ctx.judgesAbsent) return;
      if (ctx.known(status, "versioningConfiguration.status") && !oneOf(status, "Enabled"))
        ctx.report(`versioningConfiguration.status is ${show(status)}; set it to "Enabled"`);
      return;
    }
    // Inline on the bucket: `versioning` (v7) or `versionings` (BucketV2); absent is the companions' business.
    const inline = [
      ...(isAbsent(ctx.props.versioning) ? [] : [{ v: ctx.props.versioning, at: "versioning" }]),
      ...list(ctx.props.versionings).map((v, i) => ({ v, at: `versionings[${i}]` })),
    ];
    for (const { v, at } of inline) {
      const enabled = get(v, "enabled");
      if (ctx.known(enabled, `${at}.enabled`) && !isTrue(enabled))
        ctx.report(`${at}.enabled is ${show(enabled, "false")}; set it to true`);
    }
  },
});

// ------------------------------------------------------------------------- public access

/** The four settings of a public access block. */
const PUBLIC_ACCESS_SETTINGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
];

export const awsS3PublicAccessBlock = resourceRule({
  name: "aws-s3-public-access-block",
  description:
    "Every public access block turns on all four settings (blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets): the bucket's (each left out defaults to false), the account's, and an access point's or aws-native bucket's publicAccessBlockConfiguration (which default to true, so only an explicit false fails).",
  remediation: "Set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.",
  benchmarks: [
    "checkov:CKV_AWS_53",
    "checkov:CKV_AWS_54",
    "checkov:CKV_AWS_55",
    "checkov:CKV_AWS_56",
    "checkov:CKV_AWS_392",
    "kics:1a4bc881-9f69-4d44-8c9a-d37d08f54c50",
    "kics:d0cc8694-fcad-43ff-ac86-32331d7e867f",
    "kics:4fa66806-0dd9-4f8d-9480-3174d39c7c91",
    "kics:1ec253ab-c220-4d63-b2de-5b40e0af9293",
    "aws-fsbp:S3.8",
    "aws-fsbp:S3.1",
    "aws-fsbp:S3.19",
  ],
  enforcementLevel: "mandatory",
  types: [PUBLIC_ACCESS_BLOCK, ACCOUNT_PUBLIC_ACCESS_BLOCK, ACCESS_POINT, NATIVE_BUCKET],
  check: (ctx) => {
    // Access points and aws-native's bucket block everything unless told otherwise.
    const accessPoint = ctx.type === ACCESS_POINT || ctx.type === NATIVE_BUCKET;
    const block = accessPoint ? get(ctx.props, "publicAccessBlockConfiguration") : ctx.props;
    const at = accessPoint ? "publicAccessBlockConfiguration." : "";
    for (const setting of PUBLIC_ACCESS_SETTINGS) {
      const value = get(block, setting);
      if (!ctx.known(value, `${at}${setting}`)) continue;
      const bad = accessPoint || !ctx.judgesAbsent ? isFalse(value) : !isTrue(value);
      if (bad) ctx.report(`${at}${setting} is ${show(value, "false")}; set it to true`);
    }
  },
});

export const awsS3PolicyNotPublic = resourceRule({
  name: "aws-s3-policy-not-public",
  description:
    'No bucket or access point policy lets everyone in: no Allow to Principal "*" (any spelling: { AWS: "*" }, a wildcard ARN, NotPrincipal) unless a condition pins the callers with fixed values (aws:PrincipalOrgID, aws:SourceVpce, aws:SourceIp narrower than the internet, ...). IfExists and ForAllValues operators, negated operators, Null tests, wildcard or variable values and address ranges that add up to the internet do not pin, as S3 itself judges. Checked on BucketPolicy, the bucket\'s inline policy, access points and their policies (Multi-Region and Object Lambda ones too), and aws-native\'s bucket, directory bucket, Outposts and access point policies.',
  remediation:
    'Name the principals (account or role ARNs) in each Allow statement, or add a StringEquals condition on aws:PrincipalOrgID / aws:SourceVpce with a fixed value; Deny statements may keep Principal "*".',
  benchmarks: [
    "checkov:CKV_AWS_70",
    "kics:7af43613-6bb9-4a0e-8c4d-1314b799425e",
    "kics:66c6f96f-2d9e-417e-a998-9058aeeecd44",
    "kics:d24c0755-c028-44b1-b503-8e719c898832",
    "kics:1df37f4b-7197-45ce-83f8-9994d2fcf885",
    "kics:ffdf4b37-7703-4dfe-a682-9d2e99bc6c09",
    "kics:64a222aa-7793-4e40-915f-4b302c76e4d4",
    "kics:a4966c4f-9141-48b8-a564-ffe9959945bc",
    "aws-fsbp:S3.2",
    "aws-fsbp:S3.3",
  ],
  enforcementLevel: "mandatory",
  types: Object.keys(POLICY_FIELDS),
  check: (ctx) => {
    const field = POLICY_FIELDS[ctx.type] ?? "policy";
    reportPublicStatements(
      ctx,
      field,
      get(ctx.props, field),
      "name the principals or add an aws:PrincipalOrgID / aws:SourceVpce condition with a fixed value",
    );
  },
});

/** Canned ACLs that grant to AllUsers or AuthenticatedUsers (any AWS account in the world). */
const PUBLIC_CANNED_ACLS = ["public-read", "public-read-write", "authenticated-read"];
/**
 * Grantee groups that mean the public, by the last part of their URI (S3 writes them
 * `http://acs.amazonaws.com/groups/global/AllUsers`; the scheme, case and a trailing slash vary).
 */
const PUBLIC_GRANTEES = ["allusers", "authenticatedusers"];
const isPublicGrantee = (uri: string) => {
  const m = /^(?:https?:\/\/)?acs\.amazonaws\.com\/groups\/global\/([a-z]+)\/*$/i.exec(uri.trim());
  return m?.[1] !== undefined && PUBLIC_GRANTEES.includes(m[1].toLowerCase());
};

export const awsS3AclNotPublic = resourceRule({
  name: "aws-s3-acl-not-public",
  description:
    "No bucket or object ACL is public: no canned acl public-read, public-read-write or authenticated-read (on the bucket, inline, an ACL resource, an object, or aws-native's accessControl), and no grant to the AllUsers or AuthenticatedUsers groups in any spelling of their URI (the bucket's inline grants or an ACL's accessControlPolicy).",
  remediation:
    'Drop the ACL (or use "private") and set the bucket\'s ownership controls to BucketOwnerEnforced; share objects through a bucket policy naming principals.',
  benchmarks: [
    "checkov:CKV_AWS_20",
    "checkov:CKV_AWS_57",
    "checkov:CKV2_AWS_43",
    "checkov:CKV_AWS_375",
    "kics:57b9893d-33b1-4419-bcea-a717ea87e139",
    "kics:38c5ee0d-7f22-4260-ab72-5073048df100",
    "aws-fsbp:S3.2",
    "aws-fsbp:S3.3",
  ],
  enforcementLevel: "mandatory",
  types: [BUCKET, BUCKET_ACL, ...OBJECT_ACL_TYPES, NATIVE_BUCKET],
  check: (ctx) => {
    // aws-native's canned ACL is accessControl, spelled PublicRead (the same token).
    const acl = ctx.type === NATIVE_BUCKET ? ctx.props.accessControl : ctx.props.acl;
    const what = OBJECT_ACL_TYPES.includes(ctx.type) ? "object" : "bucket";
    const aclField = ctx.type === NATIVE_BUCKET ? "accessControl" : "acl";
    if (ctx.known(acl, aclField) && typeof acl === "string" && oneOf(acl, ...PUBLIC_CANNED_ACLS))
      ctx.report(
        `${aclField} is "${acl}", which grants the ${what} to ${oneOf(acl, "authenticated-read") ? "every AWS account" : "everyone"}; use "private" or no ACL`,
      );
    const grants = [
      ...list(get(ctx.props, "accessControlPolicy.grants")).map((g, i) => ({
        g,
        at: `accessControlPolicy.grants[${i}]`,
        uri: get(g, "grantee.uri"),
        permission: get(g, "permission"),
      })),
      ...list(ctx.props.grants).map((g, i) => ({
        g,
        at: `grants[${i}]`,
        uri: get(g, "uri"),
        permission: get(g, "permissions"),
      })),
    ];
    for (const { at, uri, permission } of grants) {
      if (!ctx.known(uri, `${at} grantee`)) continue;
      if (typeof uri === "string" && isPublicGrantee(uri))
        ctx.report(`${at} gives ${show(permission)} to ${uri}; grant to canonical user IDs only`);
    }
  },
});

export const awsS3AclsDisabled = resourceRule({
  name: "aws-s3-acls-disabled",
  description:
    "Bucket ownership controls disable ACLs (objectOwnership BucketOwnerEnforced): with ObjectWriter or BucketOwnerPreferred, object ACLs still grant access beside the bucket policy.",
  remediation: 'Set rule.objectOwnership to "BucketOwnerEnforced".',
  benchmarks: ["checkov:CKV2_AWS_65", "aws-fsbp:S3.12"],
  enforcementLevel: "mandatory",
  types: [OWNERSHIP],
  check: (ctx) => {
    const ownership = get(ctx.props, "rule.objectOwnership");
    if (ctx.known(ownership, "rule.objectOwnership") && !oneOf(ownership, "BucketOwnerEnforced"))
      ctx.report(
        `rule.objectOwnership is ${show(ownership)}, so object ACLs still grant access; set it to "BucketOwnerEnforced"`,
      );
  },
});

// ------------------------------------------------------------------------- per bucket, across resources

/** A bucket's names: its explicit name, else its Pulumi name (companions may name it by either). */
// aws-native's bucket is named by bucketName, the classic one by bucket.
const bucketIds = (b: StackResource) => [b.props.bucket, b.props.bucketName, b.name];

/** The resources of `type` that configure `bucket` (by name, or by what their `bucket` input was computed from). */
function companionsOf(ctx: StackContext, bucket: StackResource, ...types: string[]): StackResource[] {
  return ctx.ofType(...types).filter((c) => referenced(c, "bucket", [bucket], bucketIds).length > 0);
}

const kind = (type: string) => type.split(":").pop() ?? type;

/** What each companion must say, and how the bucket may say it inline instead. */
const COMPANIONS: {
  type: string;
  what: string;
  ok: (p: Props) => boolean;
  inline?: (bucket: Props) => boolean | undefined;
}[] = [
  {
    type: SSE,
    what: "default encryption with KMS",
    ok: (p) =>
      list(p.rules).some((r) =>
        String(get(r, "applyServerSideEncryptionByDefault.sseAlgorithm") ?? "").startsWith("aws:kms"),
      ),
    inline: (b) => {
      const rules = encryptionRules(BUCKET, b);
      return rules.length === 0
        ? undefined
        : rules.every(({ rule }) =>
            String(get(rule, "applyServerSideEncryptionByDefault.sseAlgorithm") ?? "").startsWith("aws:kms"),
          );
    },
  },
  {
    type: VERSIONING,
    what: "versioning Enabled",
    ok: (p) => oneOf(get(p, "versioningConfiguration.status"), "Enabled"),
    inline: (b) => {
      const v = [b.versioning, ...list(b.versionings)].filter((x) => !isAbsent(x));
      return v.length === 0 ? undefined : v.every((x) => isTrue(get(x, "enabled")));
    },
  },
  {
    type: PUBLIC_ACCESS_BLOCK,
    what: "all four public-access blocks",
    ok: (p) => PUBLIC_ACCESS_SETTINGS.every((k) => isTrue(p[k])),
  },
  {
    type: OWNERSHIP,
    what: "ACLs disabled (BucketOwnerEnforced)",
    ok: (p) => oneOf(get(p, "rule.objectOwnership"), "BucketOwnerEnforced"),
  },
];

export const awsS3BucketCompanions = stackRule({
  name: "aws-s3-bucket-companions",
  description:
    "Every S3 bucket has its KMS default encryption and versioning (as companion resources, their V2 names, or inline on the bucket), its public-access block with all four settings and ownership controls that disable ACLs. Companions are matched to their bucket by the bucket input and what it was computed from, so two buckets under one component are told apart.",
  remediation:
    "Declare a BucketServerSideEncryptionConfiguration (aws:kms), BucketVersioning (Enabled), BucketPublicAccessBlock (all four true) and BucketOwnershipControls (BucketOwnerEnforced) for each bucket (AwsEncryptedBucket does).",
  benchmarks: [
    "checkov:CKV2_AWS_6",
    "checkov:CKV_AWS_145",
    "checkov:CKV_AWS_21",
    "checkov:CKV2_AWS_65",
    "aws-fsbp:S3.8",
    "aws-fsbp:S3.12",
    "aws-fsbp:S3.14",
    "aws-fsbp:S3.17",
  ],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    for (const bucket of ctx.ofType(BUCKET)) {
      for (const need of COMPANIONS) {
        const inline = need.inline?.(bucket.props);
        const found = companionsOf(ctx, bucket, need.type);
        if (found.length === 0 && inline === undefined) {
          ctx.report(`bucket ${bucket.name} has no ${kind(need.type)} (${need.what})`, bucket.urn);
          continue;
        }
        const known = found.filter((c) => ctx.known(c.props, `${c.name}.${kind(need.type)}`));
        if (
          inline === false ||
          (found.length > 0 && known.length === found.length && !found.some((c) => need.ok(c.props)))
        )
          ctx.report(`bucket ${bucket.name}'s ${kind(need.type)} does not give ${need.what}`, bucket.urn);
      }
    }
  },
});

/** Whether a statement denies requests that do not use TLS (aws:SecureTransport false, or a TLS version floor). */
function deniesPlainHttp(s: Statement): boolean {
  if (s.effect !== "deny" || everyone(s) !== true) return false;
  const all = (s.actions ?? []).some(
    (a) => a === "*" || (typeof a === "string" && a.toLowerCase() === "s3:*"),
  );
  if (!all) return false;
  return s.conditions.some(
    (c) =>
      (c.base === "bool" && c.key === "aws:securetransport" && c.values.some(isFalse)) ||
      (c.base === "numericlessthan" && c.key === "s3:tlsversion"),
  );
}

export const awsS3TlsOnly = stackRule({
  name: "aws-s3-tls-only",
  description:
    'Every bucket\'s policy (a BucketPolicy or the bucket\'s inline policy; aws-native\'s BucketPolicy for its bucket) denies all S3 actions to everyone over plain HTTP: a Deny of "s3:*" to Principal "*" when aws:SecureTransport is false.',
  remediation:
    'Add { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [<bucket ARN>, "<bucket ARN>/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } } (AwsEncryptedBucket does).',
  benchmarks: ["aws-fsbp:S3.5", "checkov:CKV_AWS_379"],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    for (const bucket of ctx.ofType(BUCKET, NATIVE_BUCKET)) {
      // Either provider's BucketPolicy may name either provider's bucket.
      const documents = [
        bucket.props.policy,
        ...companionsOf(ctx, bucket, BUCKET_POLICY).map((p) => p.props.policy),
        ...companionsOf(ctx, bucket, NATIVE_BUCKET_POLICY).map((p) => p.props.policyDocument),
      ]
        .filter((d) => !isAbsent(d))
        .map(parseDocument);
      if (documents.some(isUnknown)) {
        ctx.known(UNKNOWN, `${bucket.name} policy`);
        continue;
      }
      const statements = documents.flatMap((d) => (d && !isUnknown(d) ? d.statements : []));
      if (statements.some(deniesPlainHttp)) continue;
      // A statement not known yet may be the deny.
      if (statements.some((s) => s.unknown)) {
        ctx.known(UNKNOWN, `${bucket.name} policy`);
        continue;
      }
      ctx.report(
        `bucket ${bucket.name} has no policy statement denying requests without TLS (aws:SecureTransport false), so clients may read and write over plain HTTP`,
        bucket.urn,
      );
    }
  },
});

/** Whether a lifecycle rule is on and aborts incomplete multipart uploads. */
const abortsUploads = (r: unknown) =>
  oneOf(get(r, "status"), "Enabled") &&
  !isAbsent(get(r, "abortIncompleteMultipartUpload.daysAfterInitiation"));
const abortsUploadsInline = (r: unknown) =>
  isTrue(get(r, "enabled")) && !isAbsent(get(r, "abortIncompleteMultipartUploadDays"));

export const awsS3Lifecycle = stackRule({
  name: "aws-s3-lifecycle",
  description:
    "Every bucket has a lifecycle configuration (a BucketLifecycleConfiguration(V2), the bucket's inline rules, or aws-native's lifecycleConfiguration) with an enabled rule that aborts incomplete multipart uploads: their parts are billed and hold data nobody can see in listings.",
  remediation:
    'Declare a BucketLifecycleConfiguration with a rule { status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } } (AwsEncryptedBucket does).',
  benchmarks: ["checkov:CKV2_AWS_61", "checkov:CKV_AWS_300", "aws-fsbp:S3.13"],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    for (const bucket of ctx.ofType(BUCKET, NATIVE_BUCKET)) {
      const native = bucket.type === NATIVE_BUCKET;
      const configs = companionsOf(ctx, bucket, LIFECYCLE);
      // The bucket's own rules: the classic inline lifecycleRules, or aws-native's
      // lifecycleConfiguration.rules (the S3 API's shape, as a companion's).
      const own = native ? get(bucket.props, "lifecycleConfiguration.rules") : bucket.props.lifecycleRules;
      const inline = list(own);
      if (!ctx.known([configs.map((c) => c.props.rules), own], `${bucket.name} lifecycle`)) continue;
      if (configs.length === 0 && inline.length === 0) {
        ctx.report(
          `bucket ${bucket.name} has no lifecycle configuration; add a rule ${native ? "to lifecycleConfiguration.rules" : "(a BucketLifecycleConfiguration)"} { status: "Enabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }`,
          bucket.urn,
        );
        continue;
      }
      const ok =
        configs.some((c) => list(c.props.rules).some(abortsUploads)) ||
        inline.some(native ? abortsUploads : abortsUploadsInline);
      if (!ok)
        ctx.report(
          `bucket ${bucket.name}'s lifecycle has no enabled rule aborting incomplete multipart uploads; add abortIncompleteMultipartUpload`,
          bucket.urn,
        );
    }
  },
});

export const awsS3AccessLogging = stackRule({
  name: "aws-s3-access-logging",
  description:
    "Every bucket logs server access (a BucketLogging(V2), the bucket's inline logging, or aws-native's loggingConfiguration) to another bucket, so who read or wrote which object can be traced without CloudTrail data events.",
  remediation:
    "Pass accessLogging to AwsEncryptedBucket (or declare a BucketLogging with targetBucket), or record S3 data events in an organization CloudTrail and disable this rule.",
  benchmarks: ["checkov:CKV_AWS_18", "kics:f861041c-8c9f-4156-acfc-5e6e524f5884", "aws-fsbp:S3.9"],
  enforcementLevel: "advisory",
  check: (ctx) => {
    for (const bucket of ctx.ofType(BUCKET, NATIVE_BUCKET)) {
      // aws-native's loggingConfiguration: without destinationBucketName S3 logs into the bucket
      // itself, on all the same.
      const inline = [
        bucket.props.logging,
        ...list(bucket.props.loggings),
        bucket.props.loggingConfiguration,
      ].filter((l) => !isAbsent(l));
      if (!ctx.known(inline, `${bucket.name}.logging`)) continue;
      if (companionsOf(ctx, bucket, LOGGING).length === 0 && inline.length === 0)
        ctx.report(
          `bucket ${bucket.name} has no server access logging; ${bucket.type === NATIVE_BUCKET ? "set loggingConfiguration.destinationBucketName" : "declare a BucketLogging with targetBucket"}`,
          bucket.urn,
        );
    }
  },
});

/** Actions a lockout statement denies: whoever cannot change the policy cannot undo it. */
const LOCKOUT_ACTIONS = ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy"];

export const awsS3PolicyNoLockout = resourceRule({
  name: "aws-s3-policy-no-lockout",
  description:
    'No bucket policy denies everyone (Principal "*" in any spelling, no condition, no NotPrincipal) the right to change or delete the policy (s3:PutBucketPolicy or s3:DeleteBucketPolicy, directly, through a wildcard or a NotAction): only the account\'s root user could then undo it.',
  remediation:
    "Add a condition to the Deny (aws:PrincipalArn not the administrators' role, aws:SecureTransport false, ...) or exempt the administrators with NotPrincipal.",
  benchmarks: ["checkov:CKV_AWS_93"],
  enforcementLevel: "mandatory",
  types: Object.keys(POLICY_FIELDS),
  check: (ctx) => {
    const field = POLICY_FIELDS[ctx.type] ?? "policy";
    const doc = parseDocument(get(ctx.props, field));
    if (isUnknown(doc)) {
      ctx.known(doc, field);
      return;
    }
    for (const s of doc?.statements ?? []) {
      if (s.effect !== "deny" || s.notPrincipal !== undefined || s.conditions.length > 0) continue;
      const locks = LOCKOUT_ACTIONS.map((a) => and(everyone(s), grants(s, a)));
      if (s.conditionsUnknown || locks.some(isUnknown)) {
        ctx.known(UNKNOWN, `${field} ${label(s)}`);
        continue;
      }
      const denied = LOCKOUT_ACTIONS.filter((_, i) => locks[i] === true);
      if (denied.length > 0)
        ctx.report(
          `${field} ${label(s)} denies everyone ${denied.join(" and ")} without a condition, so only the root user can change the policy again; add a condition or a NotPrincipal for the administrators`,
        );
    }
  },
});

export const FAMILY = family("aws-s3", "S3", [
  awsS3SseKms,
  awsS3BucketKey,
  awsS3Versioning,
  awsS3PublicAccessBlock,
  awsS3PolicyNotPublic,
  awsS3PolicyNoLockout,
  awsS3AclNotPublic,
  awsS3AclsDisabled,
  awsS3BucketCompanions,
  awsS3TlsOnly,
  awsS3Lifecycle,
  awsS3AccessLogging,
]);
