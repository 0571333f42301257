// KMS keys: rotating key material, a key policy of their own that no one outside can use, enabled,
// and a deletion window long enough to notice a mistake.
import {
  family,
  get,
  isAbsent,
  isFalse,
  isTrue,
  numberOf,
  oneOf,
  refersTo,
  reportPublicStatements,
  resourceRule,
  show,
  stackRule,
} from "../kit";

const KEY = "aws:kms/key:Key";
const KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy";

export const awsKmsKeyRotation = resourceRule({
  name: "aws-kms-key-rotation",
  description:
    "Symmetric KMS keys (keySpec or customerMasterKeySpec SYMMETRIC_DEFAULT, the default) rotate their key material automatically (enableKeyRotation true; the provider defaults it to false). Asymmetric, HMAC and custom key store keys cannot and are exempt; the key's own spec decides that, and it is the key AWS creates.",
  remediation: "Set enableKeyRotation: true (rotationPeriodInDays 365 or less).",
  benchmarks: ["checkov:CKV_AWS_7", "aws-fsbp:KMS.4"],
  enforcementLevel: "mandatory",
  // aws-native's key names the same fields.
  types: [KEY, "aws-native:kms:Key"],
  check: (ctx) => {
    const spec = ctx.props.keySpec ?? ctx.props.customerMasterKeySpec;
    if (!ctx.known([spec, ctx.props.customKeyStoreId], "keySpec, customKeyStoreId")) return;
    if (!isAbsent(spec) && !oneOf(spec, "SYMMETRIC_DEFAULT")) return;
    // KMS refuses automatic rotation for keys whose material lives in a custom key store.
    if (!isAbsent(ctx.props.customKeyStoreId) && ctx.props.customKeyStoreId !== "") return;
    const rotation = ctx.props.enableKeyRotation;
    if (ctx.known(rotation, "enableKeyRotation") && !isTrue(rotation))
      ctx.report(
        `enableKeyRotation is ${show(rotation, "provider default false")} on a symmetric key; set it to true`,
      );
    const period = numberOf(ctx.props.rotationPeriodInDays);
    if (period !== undefined && period > 365)
      ctx.report(`rotationPeriodInDays is ${period}; rotate at least yearly (365 or less)`);
  },
});

/** Where each type keeps a key policy. */
const KEY_POLICY_FIELDS: Readonly<Record<string, string>> = {
  [KEY]: "policy",
  [KEY_POLICY]: "policy",
  "aws-native:kms:Key": "keyPolicy",
};

export const awsKmsKeyPolicyNotPublic = resourceRule({
  name: "aws-kms-key-policy-not-public",
  description:
    "No key policy lets everyone use the key: no Allow to Principal \"*\" (any spelling, or NotPrincipal) unless a condition pins the callers with fixed values (kms:CallerAccount, aws:PrincipalOrgID, aws:SourceVpce, ...); IfExists, negated, Null and wildcard conditions do not pin. Checked on the key's policy, a KeyPolicy resource and aws-native's key.",
  remediation:
    "Grant the key to the account root and named roles; for a service, condition on kms:CallerAccount and kms:ViaService with fixed values.",
  benchmarks: ["checkov:CKV_AWS_33", "kics:7ebc9038-0bde-479a-acc4-6ed7b6758899", "aws-fsbp:KMS.5"],
  enforcementLevel: "mandatory",
  types: Object.keys(KEY_POLICY_FIELDS),
  check: (ctx) => {
    const field = KEY_POLICY_FIELDS[ctx.type] ?? "policy";
    reportPublicStatements(
      ctx,
      field,
      get(ctx.props, field),
      "name the principals or pin them with kms:CallerAccount",
    );
  },
});

export const awsKmsKeyPolicyDefined = stackRule({
  name: "aws-kms-key-policy-defined",
  description:
    'Every KMS key has a key policy of its own (its policy input or a KeyPolicy resource): the default policy KMS writes otherwise delegates all use to IAM, where any principal with kms:* on Resource "*" may use the key.',
  remediation: "Give the key a policy naming the account root for administration and the roles that use it.",
  benchmarks: ["checkov:CKV2_AWS_64"],
  enforcementLevel: "advisory",
  check: (ctx) => {
    const policies = ctx.ofType(KEY_POLICY);
    for (const key of ctx.ofType(KEY)) {
      if (!isAbsent(key.props.policy)) continue;
      if (policies.some((p) => refersTo(p, "keyId", key, (k) => [k.props.keyId, k.name]))) continue;
      ctx.report(`KMS key ${key.name} has no key policy of its own, so KMS writes the default one`, key.urn);
    }
  },
});

export const awsKmsKeyEnabled = resourceRule({
  name: "aws-kms-key-enabled",
  description:
    "KMS keys are created enabled (isEnabled not false): a disabled key makes everything it encrypts unreadable.",
  remediation:
    "Leave isEnabled unset or true; to retire a key, schedule its deletion after re-encrypting its data.",
  benchmarks: ["checkov:CKV_AWS_227"],
  enforcementLevel: "advisory",
  types: [KEY],
  check: (ctx) => {
    const enabled = ctx.props.isEnabled;
    if (ctx.known(enabled, "isEnabled") && isFalse(enabled))
      ctx.report("isEnabled is false, so nothing encrypted under the key can be read; enable it");
  },
});

export const awsKmsDeletionWindow = resourceRule({
  name: "aws-kms-deletion-window",
  description:
    "A key scheduled for deletion waits at least minDeletionWindowDays (default 30, KMS's own default when unset) before its material is destroyed, so a mistaken deletion can be cancelled.",
  remediation: "Set deletionWindowInDays to 30 (or leave it unset).",
  benchmarks: ["kics:0b530315-0ea4-497f-b34c-4ff86268f59d", "aws-fsbp:KMS.3"],
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      minDeletionWindowDays: {
        type: "integer",
        minimum: 7,
        maximum: 30,
        default: 30,
        description: "The shortest deletion window allowed (KMS accepts 7 to 30 days).",
      },
    },
  },
  types: [KEY],
  check: (ctx) => {
    const days = ctx.props.deletionWindowInDays;
    if (!ctx.known(days, "deletionWindowInDays") || isAbsent(days)) return;
    const min = numberOf(ctx.config.minDeletionWindowDays) ?? 30;
    const n = numberOf(days);
    if (n === undefined || n < min)
      ctx.report(
        `deletionWindowInDays is ${show(days)}, under ${min} days; a mistaken deletion may not be noticed in time`,
      );
  },
});

export const FAMILY = family("aws-kms", "KMS keys", [
  awsKmsKeyRotation,
  awsKmsKeyPolicyNotPublic,
  awsKmsKeyPolicyDefined,
  awsKmsKeyEnabled,
  awsKmsDeletionWindow,
]);
