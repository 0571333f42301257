// IAM permissions and trust, in every place a program writes a policy: managed policies, inline
// role/user/group policies, a role's inlinePolicies, aws-native's equivalents, and the AWS
// managed policies attached by ARN. Permissions: no administrator or service-wide wildcards, no
// unconstrained writes, privilege escalation or credential and data access on every resource.
// Trust: no role anyone can assume, OIDC trusts pinned to a subject, services pinned to the
// calling account, EKS Pod Identity pinned to a cluster.
import {
  and,
  constrained,
  everyAction,
  everyActionPattern,
  everyone,
  everyResource,
  family,
  get,
  grants,
  isAbsent,
  isFixed,
  isUnknown,
  label,
  list,
  not,
  or,
  type Props,
  parseDocument,
  pinnedBy,
  principals,
  type ResourceContext,
  resourceRule,
  type Statement,
  type Tri,
  UNKNOWN,
} from "../kit";

const ROLE = "aws:iam/role:Role";
const NATIVE_ROLE = "aws-native:iam:Role";

/** Where each type keeps identity (permission) policy documents. */
const PERMISSION_DOCUMENTS: Readonly<Record<string, (p: Props) => { doc: unknown; at: string }[]>> = {
  "aws:iam/policy:Policy": (p) => [{ doc: p.policy, at: "policy" }],
  "aws:iam/rolePolicy:RolePolicy": (p) => [{ doc: p.policy, at: "policy" }],
  "aws:iam/userPolicy:UserPolicy": (p) => [{ doc: p.policy, at: "policy" }],
  "aws:iam/groupPolicy:GroupPolicy": (p) => [{ doc: p.policy, at: "policy" }],
  [ROLE]: (p) =>
    list(p.inlinePolicies).map((x, i) => ({ doc: get(x, "policy"), at: `inlinePolicies[${i}].policy` })),
  "aws-native:iam:ManagedPolicy": (p) => [{ doc: p.policyDocument, at: "policyDocument" }],
  "aws-native:iam:RolePolicy": (p) => [{ doc: p.policyDocument, at: "policyDocument" }],
  "aws-native:iam:UserPolicy": (p) => [{ doc: p.policyDocument, at: "policyDocument" }],
  "aws-native:iam:GroupPolicy": (p) => [{ doc: p.policyDocument, at: "policyDocument" }],
  [NATIVE_ROLE]: (p) =>
    list(p.policies).map((x, i) => ({ doc: get(x, "policyDocument"), at: `policies[${i}].policyDocument` })),
};
const PERMISSION_TYPES = Object.keys(PERMISSION_DOCUMENTS);

/** Runs `judge` on each Allow statement of each permission document, leaving unknown documents to the update. */
function eachAllow(ctx: ResourceContext, judge: (s: Statement, at: string) => void): void {
  for (const { doc, at } of PERMISSION_DOCUMENTS[ctx.type]?.(ctx.props) ?? []) {
    if (isAbsent(doc)) continue;
    const parsed = parseDocument(doc);
    if (isUnknown(parsed)) {
      ctx.known(UNKNOWN, at);
      continue;
    }
    for (const s of parsed?.statements ?? []) if (s.effect === "allow") judge(s, `${at} ${label(s)}`);
  }
}

/** Reports when `verdict` is true, leaves it to the update when unknown. */
function decide(ctx: ResourceContext, verdict: Tri, what: string, message: string): void {
  if (verdict === UNKNOWN) ctx.known(UNKNOWN, what);
  else if (verdict) ctx.report(message);
}

const shown = (s: Statement) => JSON.stringify(s.actions ?? { NotAction: s.notActions });

export const awsIamNoAdminPolicy = resourceRule({
  name: "aws-iam-no-admin-policy",
  description:
    'No identity policy grants every action on every resource: an Allow of "*" (or "*:*", or any NotAction) on Resource "*" (or any NotResource) is administrator access, whether in a managed policy, an inline role/user/group policy or a role\'s inlinePolicies.',
  remediation:
    "Grant the actions the principal needs on the resources it needs (the library's components do); use AWS managed job-function policies for humans.",
  benchmarks: [
    "checkov:CKV_AWS_1",
    "checkov:CKV_AWS_62",
    "kics:2f37c4a3-58b9-4afe-8a87-d7f1d2286f84",
    "kics:b1ffa705-19a3-4b73-b9d0-0c97d0663842",
    "aws-fsbp:IAM.1",
  ],
  enforcementLevel: "mandatory",
  types: PERMISSION_TYPES,
  check: (ctx) =>
    eachAllow(ctx, (s, at) =>
      decide(
        ctx,
        and(everyAction(s), everyResource(s)),
        at,
        `${at} allows ${shown(s)} on every resource, which is administrator access; list the actions and resources needed`,
      ),
    ),
});

/** Whether an action pattern is a whole service (`s3:*`) or everything. */
/** Every action, or every action of one service in any spelling of its wildcard (`s3:*`, `s3:**`, `s3:?*`). */
const serviceWide = (a: unknown) =>
  typeof a === "string" && (everyActionPattern(a) || /^[a-z0-9-]+:[*?]*\*[*?]*$/i.test(a.trim()));

export const awsIamNoWildcardActions = resourceRule({
  name: "aws-iam-no-wildcard-actions",
  description:
    'No identity policy allows every action of a service ("s3:*", "iam:*") or of all services ("*"), whatever the resource: a wildcard grants actions added later and the destructive ones with the rest.',
  remediation: "List the actions the principal needs (e.g. s3:GetObject, s3:ListBucket).",
  benchmarks: [
    "checkov:CKV_AWS_49",
    "checkov:CKV_AWS_63",
    "kics:575a2155-6af1-4026-b1af-d5bc8fe2a904",
    "aws-fsbp:IAM.21",
  ],
  enforcementLevel: "mandatory",
  types: PERMISSION_TYPES,
  check: (ctx) =>
    eachAllow(ctx, (s, at) => {
      const wild = (s.actions ?? []).filter(serviceWide);
      if (wild.length > 0) ctx.report(`${at} allows ${wild.join(", ")}; list the actions needed`);
      else if (s.notActions !== undefined)
        ctx.report(
          `${at} uses NotAction with Allow, which grants every other action of every service; list the actions needed`,
        );
      else if ((s.actions ?? []).some(isUnknown)) ctx.known(UNKNOWN, `${at} Action`);
    }),
});

/** Verbs of actions that only read metadata (many cannot be scoped to a resource at all). */
const READ_ONLY_VERB =
  /^(describe|list|get|head|view|search|check|lookup|select|batchget|query|scan|validate|estimate|preview|test|detect|filter|download)/i;

/** Whether an action (or pattern) only reads. */
const readOnly = (action: string) => {
  const verb = action.split(":")[1] ?? "";
  return verb !== "" && verb !== "*" && READ_ONLY_VERB.test(verb);
};

export const awsIamNoUnconstrainedWrites = resourceRule({
  name: "aws-iam-no-unconstrained-writes",
  description:
    'No identity policy allows a write or permissions-management action on every resource (Resource "*" or NotResource) without a condition constraining it: only read-only actions (Describe*, List*, Get*, most of which cannot be scoped) may go unscoped. A condition with a positive operator and fixed values (aws:ResourceTag/..., iam:PassedToService, kms:ViaService) constrains; IfExists, ForAllValues, negated and Null conditions do not.',
  remediation:
    "Name the resources (ARNs) the actions apply to, or add a condition on the resources' tags (aws:ResourceTag/<key>) with fixed values.",
  benchmarks: [
    "checkov:CKV_AWS_355",
    "checkov:CKV_AWS_356",
    "checkov:CKV_AWS_111",
    "checkov:CKV_AWS_290",
    "checkov:CKV_AWS_109",
    "checkov:CKV_AWS_289",
  ],
  enforcementLevel: "mandatory",
  types: PERMISSION_TYPES,
  check: (ctx) =>
    eachAllow(ctx, (s, at) => {
      // Every action on every resource is aws-iam-no-admin-policy's finding.
      if (everyAction(s) === true) return;
      const writes = (s.actions ?? []).filter((a): a is string => typeof a === "string" && !readOnly(a));
      if (writes.length === 0) {
        if ((s.actions ?? []).some(isUnknown)) ctx.known(UNKNOWN, `${at} Action`);
        return;
      }
      decide(
        ctx,
        and(everyResource(s), not(constrained(s))),
        at,
        `${at} allows ${writes.join(", ")} on every resource with no condition constraining it; name the resources or condition on their tags`,
      );
    }),
});

/**
 * Actions that let a principal raise its own privileges, mint credentials, or read the data and
 * secrets of the whole account when granted on every resource (Rhino Security's IAM escalation
 * methods and Cloudsplaining's credentials-exposure and data-exfiltration lists).
 */
export const SENSITIVE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  "privilege escalation": [
    "iam:AddUserToGroup",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:CreateLoginProfile",
    "iam:CreatePolicyVersion",
    "iam:PassRole",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:PutUserPolicy",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateLoginProfile",
    "sts:AssumeRole",
    "lambda:UpdateFunctionCode",
    "glue:UpdateDevEndpoint",
    "ssm:SendCommand",
    "ssm:StartSession",
    "ec2-instance-connect:SendSSHPublicKey",
  ],
  "credentials exposure": [
    "iam:CreateAccessKey",
    "iam:UpdateAccessKey",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "iam:UploadSSHPublicKey",
    "iam:UploadSigningCertificate",
    "redshift:GetClusterCredentials",
    "sso:GetRoleCredentials",
    "cognito-identity:GetCredentialsForIdentity",
    "lightsail:GetInstanceAccessDetails",
  ],
  "data and secrets of the whole account": [
    "s3:GetObject",
    "s3:GetObjectVersion",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
  ],
};

/** The sensitive actions a statement grants (through patterns too), by kind. */
function sensitiveGrants(s: Statement): { kind: string; actions: string[] }[] {
  return Object.entries(SENSITIVE_ACTIONS).flatMap(([kind, actions]) => {
    const granted = actions.filter((a) => grants(s, a) === true);
    return granted.length > 0 ? [{ kind, actions: granted }] : [];
  });
}

export const awsIamNoUnconstrainedSensitiveActions = resourceRule({
  name: "aws-iam-no-unconstrained-sensitive-actions",
  description:
    "No identity policy grants, on every resource and without a constraining condition, actions that raise privileges (iam:PassRole, iam:AttachRolePolicy, iam:CreatePolicyVersion, sts:AssumeRole, ...), mint credentials (iam:CreateAccessKey, ...) or read every secret and object of the account (s3:GetObject, secretsmanager:GetSecretValue, ssm:GetParameter*, kms:Decrypt on all keys) - directly or through a pattern such as iam:* or s3:Get*.",
  remediation:
    "Scope these actions to the roles, secrets, keys and buckets concerned (iam:PassRole to one role with iam:PassedToService, kms:Decrypt to one key ARN).",
  benchmarks: [
    "checkov:CKV_AWS_286",
    "checkov:CKV_AWS_110",
    "checkov:CKV_AWS_287",
    "checkov:CKV_AWS_107",
    "checkov:CKV_AWS_288",
    "checkov:CKV_AWS_108",
    "checkov:CKV2_AWS_40",
    "aws-fsbp:KMS.1",
    "aws-fsbp:KMS.2",
  ],
  enforcementLevel: "mandatory",
  types: PERMISSION_TYPES,
  check: (ctx) =>
    eachAllow(ctx, (s, at) => {
      if (everyAction(s) === true) return;
      const found = sensitiveGrants(s);
      if (found.length === 0) {
        if ((s.actions ?? []).some(isUnknown)) ctx.known(UNKNOWN, `${at} Action`);
        return;
      }
      decide(
        ctx,
        and(everyResource(s), not(constrained(s))),
        at,
        `${at} grants ${found.map((f) => `${f.kind} (${f.actions.join(", ")})`).join(" and ")} on every resource with no condition constraining it; scope them to the resources concerned`,
      );
    }),
});

/** AWS managed policies that amount to administrator access (or the means to grant it). */
const ADMIN_MANAGED_POLICIES = ["AdministratorAccess", "IAMFullAccess", "PowerUserAccess"];

/** Where each type names attached managed policies. */
const ATTACHMENTS: Readonly<Record<string, (p: Props) => { arn: unknown; at: string }[]>> = {
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (p) => [{ arn: p.policyArn, at: "policyArn" }],
  "aws:iam/userPolicyAttachment:UserPolicyAttachment": (p) => [{ arn: p.policyArn, at: "policyArn" }],
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": (p) => [{ arn: p.policyArn, at: "policyArn" }],
  "aws:iam/policyAttachment:PolicyAttachment": (p) => [{ arn: p.policyArn, at: "policyArn" }],
  [ROLE]: (p) => list(p.managedPolicyArns).map((arn, i) => ({ arn, at: `managedPolicyArns[${i}]` })),
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": (p) =>
    list(p.policyArns).map((arn, i) => ({ arn, at: `policyArns[${i}]` })),
  "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": (p) =>
    list(p.policyArns).map((arn, i) => ({ arn, at: `policyArns[${i}]` })),
  "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": (p) =>
    list(p.policyArns).map((arn, i) => ({ arn, at: `policyArns[${i}]` })),
  [NATIVE_ROLE]: (p) => list(p.managedPolicyArns).map((arn, i) => ({ arn, at: `managedPolicyArns[${i}]` })),
};

export const awsIamNoAdminManagedPolicies = resourceRule({
  name: "aws-iam-no-admin-managed-policies",
  description:
    "No role, user or group is attached AWS's AdministratorAccess, IAMFullAccess or PowerUserAccess managed policies (in any partition), whether by a policy attachment, a role's managedPolicyArns or an exclusive attachment list.",
  remediation:
    "Attach least-privilege policies; reserve administrator access for break-glass roles managed outside the workload stacks.",
  benchmarks: ["checkov:CKV_AWS_274", "checkov:CKV2_AWS_56", "checkov:CKV_AWS_275"],
  enforcementLevel: "mandatory",
  types: Object.keys(ATTACHMENTS),
  check: (ctx) => {
    for (const { arn, at } of ATTACHMENTS[ctx.type]?.(ctx.props) ?? []) {
      if (!ctx.known(arn, at) || typeof arn !== "string") continue;
      const m = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
      if (m?.[1] && ADMIN_MANAGED_POLICIES.includes(m[1]))
        ctx.report(`${at} attaches ${arn}, administrator-level access; attach least-privilege policies`);
    }
  },
});

// ------------------------------------------------------------------------- trust policies

const TRUST_FIELDS: Readonly<Record<string, string>> = {
  [ROLE]: "assumeRolePolicy",
  [NATIVE_ROLE]: "assumeRolePolicyDocument",
};

/** Runs `judge` on each Allow statement of the role's trust policy. */
function eachTrust(ctx: ResourceContext, judge: (s: Statement, at: string) => void): void {
  const field = TRUST_FIELDS[ctx.type] ?? "assumeRolePolicy";
  const parsed = parseDocument(get(ctx.props, field));
  if (isUnknown(parsed)) {
    ctx.known(UNKNOWN, field);
    return;
  }
  for (const s of parsed?.statements ?? []) if (s.effect === "allow") judge(s, `${field} ${label(s)}`);
}

/** Keys that pin who may assume a role (their values fixed). */
const TRUST_CALLER_KEYS: ReadonlySet<string> = new Set(
  [
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:SourceAccount",
    "aws:SourceArn",
  ].map((k) => k.toLowerCase()),
);

export const awsIamTrustNotPublic = resourceRule({
  name: "aws-iam-trust-not-public",
  description:
    'No role can be assumed by anyone: no trust statement allows Principal "*" (or { AWS: "*" }, a wildcard ARN such as arn:aws:iam::*:root, or NotPrincipal) unless a condition pins the callers to an organization, account or principal with fixed values.',
  remediation:
    "Trust the role ARNs or service principals that need the role, or condition on aws:PrincipalOrgID / aws:PrincipalAccount with fixed values.",
  benchmarks: [
    "checkov:CKV_AWS_60",
    "kics:bcdcbdc6-a350-4855-ae7c-d1e6436f7c97",
    "kics:12b7e704-37f0-4d1e-911a-44bf60c48c21",
  ],
  enforcementLevel: "mandatory",
  types: Object.keys(TRUST_FIELDS),
  check: (ctx) =>
    eachTrust(ctx, (s, at) =>
      decide(
        ctx,
        and(everyone(s), not(pinnedBy(s, TRUST_CALLER_KEYS))),
        at,
        `${at} lets ${s.notPrincipal !== undefined ? "NotPrincipal (everyone but a few)" : `Principal ${JSON.stringify(s.principal)}`} assume the role with no condition pinning the callers; trust named principals`,
      ),
    ),
});

/** OIDC providers whose tokens' `sub` must be pinned, and what a pinned subject looks like. */
const OIDC_SUBJECTS: readonly { host: RegExp; shape: RegExp; example: string }[] = [
  {
    host: /^token\.actions\.githubusercontent\.com/,
    shape: /^repo:[^*?/:]+\/[^*?/:]+:./,
    example: "repo:my-org/my-repo:ref:refs/heads/main",
  },
  {
    host: /^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\//,
    shape: /^system:serviceaccount:[^*?:]+:[^*?:]+$/,
    example: "system:serviceaccount:<namespace>:<service account>",
  },
  {
    host: /^gitlab\.com/,
    shape: /^project_path:[^*?]+\/[^*?]+:./,
    example: "project_path:my-group/my-project:ref_type:branch:ref:main",
  },
  {
    host: /^app\.terraform\.io/,
    shape: /^organization:[^*?:]+:project:[^*?:]+:workspace:[^*?:]+/,
    example: "organization:org:project:proj:workspace:ws:run_phase:apply",
  },
];

/**
 * Web identity federation without an IAM OIDC provider: Cognito identity pools and the public
 * identity providers. Their tokens come from anyone's pool or app, so the trust must pin the
 * audience (the identity pool or app id) or the subject with fixed values, as AWS's docs show.
 */
const WEB_IDENTITY_PROVIDERS = [
  "cognito-identity.amazonaws.com",
  "accounts.google.com",
  "graph.facebook.com",
  "www.amazon.com",
];

function webIdentityPinned(ctx: ResourceContext, s: Statement, at: string, provider: string): void {
  const keys = [`${provider}:aud`, `${provider}:sub`];
  const pinning = s.conditions.filter((c) => keys.includes(c.key));
  if (s.conditionsUnknown || pinning.some((c) => c.values.some(isUnknown))) {
    ctx.known(UNKNOWN, `${at} Condition`);
    return;
  }
  const pinned = pinning.some(
    (c) =>
      ["stringequals", "stringlike"].includes(c.base) &&
      !c.ifExists &&
      c.qualifier !== "forallvalues" &&
      c.values.length > 0 &&
      c.values.every(isFixed),
  );
  if (!pinned)
    ctx.report(
      `${at} trusts ${provider} with no condition pinning ${provider}:aud (the identity pool or app) to fixed values, so a token from anyone's ${provider === "cognito-identity.amazonaws.com" ? "identity pool" : "app"} can assume the role; add StringEquals on ${provider}:aud`,
    );
}

/** The OIDC host a federated principal ARN names (`...:oidc-provider/<host>`). */
const oidcHost = (arn: string) => /:oidc-provider\/(.+)$/.exec(arn)?.[1]?.toLowerCase();

export const awsIamOidcTrustSubject = resourceRule({
  name: "aws-iam-oidc-trust-subject",
  description:
    "A role trusting an OIDC provider (sts:AssumeRoleWithWebIdentity: EKS IRSA, GitHub Actions, GitLab, Terraform Cloud, any other) pins the token's subject: a StringEquals/StringLike condition on <provider>:sub with fixed values naming one repository or one namespace and service account. Without it (or with a wildcard such as repo:* or system:serviceaccount:*), every workflow or pod the provider issues tokens for can assume the role. Web identity without an IAM OIDC provider (Cognito identity pools, Google, Facebook, Login with Amazon) pins <provider>:aud (the pool or app) or <provider>:sub the same way.",
  remediation:
    'Add Condition: { StringEquals: { "<provider>:sub": "<subject>", "<provider>:aud": "sts.amazonaws.com" } } naming the one repository, branch or service account.',
  benchmarks: ["checkov:CKV_AWS_358", "checkov:CKV_AWS_393"],
  enforcementLevel: "mandatory",
  types: Object.keys(TRUST_FIELDS),
  check: (ctx) =>
    eachTrust(ctx, (s, at) => {
      const federated = principals(s, "Federated");
      const webIdentity = grants(s, "sts:AssumeRoleWithWebIdentity");
      if (webIdentity === false) return;
      for (const arn of federated) {
        const provider = arn.toLowerCase();
        if (WEB_IDENTITY_PROVIDERS.includes(provider)) {
          webIdentityPinned(ctx, s, at, provider);
          continue;
        }
        const host = oidcHost(arn);
        if (!host) continue;
        const subject = s.conditions.filter((c) => c.key === `${host}:sub`);
        if (s.conditionsUnknown || subject.some((c) => c.values.some(isUnknown))) {
          ctx.known(UNKNOWN, `${at} Condition`);
          continue;
        }
        const shape = OIDC_SUBJECTS.find((o) => o.host.test(host));
        const pinned = subject.filter(
          (c) =>
            ["stringequals", "stringlike"].includes(c.base) &&
            !c.ifExists &&
            c.qualifier !== "forallvalues" &&
            c.values.length > 0 &&
            c.values.every((v) => typeof v === "string" && (shape ? shape.shape.test(v) : isFixed(v))),
        );
        if (pinned.length === 0)
          ctx.report(
            `${at} trusts ${host} with no condition pinning ${host}:sub${subject.length > 0 ? ` to fixed subjects (has ${subject.map((c) => `${c.operator} ${JSON.stringify(c.values)}`).join(", ")})` : ""}, so any token the provider issues can assume the role; pin it${shape ? `, e.g. "${shape.example}"` : ""}`,
          );
      }
    }),
});

/**
 * Services that act for many accounts and so can be steered into a role (the confused deputy)
 * unless its trust pins the calling account or resource, as AWS documents for each.
 */
const DEPUTY_SERVICES = [
  "s3.amazonaws.com",
  "batchoperations.s3.amazonaws.com",
  "vpc-flow-logs.amazonaws.com",
  "delivery.logs.amazonaws.com",
  "cloudtrail.amazonaws.com",
  "config.amazonaws.com",
  "sns.amazonaws.com",
  "events.amazonaws.com",
  "backup.amazonaws.com",
];
const DEPUTY_KEYS: ReadonlySet<string> = new Set(
  ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths"].map((k) => k.toLowerCase()),
);

export const awsIamServiceTrustSource = resourceRule({
  name: "aws-iam-service-trust-source",
  description: `A role that a cross-account service may assume (${DEPUTY_SERVICES.join(", ")}, logs.<region>.amazonaws.com) pins the calling account or resource with an aws:SourceAccount / aws:SourceArn condition of fixed values; without it, the service acting for another account could be steered into the role (the confused deputy).`,
  remediation:
    'Add Condition: { StringEquals: { "aws:SourceAccount": "<this account id>" } } (and ArnLike aws:SourceArn for the source resource) to the statement trusting the service.',
  benchmarks: ["hybrid-ai-infra:confused-deputy"],
  enforcementLevel: "mandatory",
  types: Object.keys(TRUST_FIELDS),
  check: (ctx) =>
    eachTrust(ctx, (s, at) => {
      const services = principals(s, "Service").filter(
        (p) =>
          DEPUTY_SERVICES.includes(p.toLowerCase()) ||
          /^logs\.[a-z0-9-]+\.amazonaws\.com$/.test(p.toLowerCase()),
      );
      if (services.length === 0) return;
      decide(
        ctx,
        not(pinnedBy(s, DEPUTY_KEYS)),
        at,
        `${at} trusts ${services.join(", ")} without a fixed aws:SourceAccount or aws:SourceArn condition; add StringEquals aws:SourceAccount with this account's id`,
      );
    }),
});

const POD_IDENTITY_KEYS: ReadonlySet<string> = new Set(
  [
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:RequestTag/eks-cluster-arn",
    "aws:RequestTag/eks-cluster-name",
    "aws:RequestTag/kubernetes-namespace",
    "aws:RequestTag/kubernetes-service-account",
  ].map((k) => k.toLowerCase()),
);

export const awsIamPodIdentityTrust = resourceRule({
  name: "aws-iam-pod-identity-trust",
  description:
    "A role trusting EKS Pod Identity (pods.eks.amazonaws.com) pins who may use it with a fixed aws:SourceArn (the cluster) or the session tags EKS sets (aws:RequestTag/eks-cluster-arn, kubernetes-namespace, kubernetes-service-account); unconditioned, any Pod Identity association in the account can hand the role to any pod of any cluster.",
  remediation:
    'Add Condition: { StringEquals: { "aws:SourceArn": "<cluster ARN>", "aws:RequestTag/kubernetes-namespace": "<ns>", "aws:RequestTag/kubernetes-service-account": "<sa>" } } to the trust statement.',
  benchmarks: ["cis-eks:5.2.1", "hybrid-ai-infra:pod-identity-scope"],
  // The library's own Pod Identity roles lack these conditions until issue 19 #8 lands.
  enforcementLevel: "advisory",
  types: Object.keys(TRUST_FIELDS),
  check: (ctx) =>
    eachTrust(ctx, (s, at) => {
      if (!principals(s, "Service").some((p) => p.toLowerCase() === "pods.eks.amazonaws.com")) return;
      decide(
        ctx,
        not(pinnedBy(s, POD_IDENTITY_KEYS)),
        at,
        `${at} trusts pods.eks.amazonaws.com with no condition on the cluster, namespace or service account, so any Pod Identity association in the account can use the role; condition on aws:SourceArn and the kubernetes-namespace / kubernetes-service-account session tags`,
      );
    }),
});

const ACCOUNT_ROOT = /^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:root)$/;

export const awsIamTrustAccountRoot = resourceRule({
  name: "aws-iam-trust-account-root",
  description:
    "A role trusting a whole account (an account id or its :root ARN) pins which of its principals may assume it (aws:PrincipalArn or aws:PrincipalTag/... condition); otherwise every principal of that account given sts:AssumeRole can.",
  remediation:
    "Trust the role or user ARNs that need the role, or add a condition on aws:PrincipalArn with fixed values.",
  benchmarks: ["checkov:CKV_AWS_61"],
  enforcementLevel: "advisory",
  types: Object.keys(TRUST_FIELDS),
  check: (ctx) =>
    eachTrust(ctx, (s, at) => {
      const roots = principals(s, "AWS").filter((p) => ACCOUNT_ROOT.test(p));
      if (roots.length === 0) return;
      const pinned = or(
        pinnedBy(s, new Set(["aws:principalarn"])),
        pinnedBy(s, new Set(["aws:principaltag/"])),
      );
      decide(
        ctx,
        not(pinned),
        at,
        `${at} trusts account ${roots.join(", ")} as a whole; name the principals or condition on aws:PrincipalArn`,
      );
    }),
});

export const FAMILY = family("aws-iam", "IAM permissions and trust", [
  awsIamNoAdminPolicy,
  awsIamNoWildcardActions,
  awsIamNoUnconstrainedWrites,
  awsIamNoUnconstrainedSensitiveActions,
  awsIamNoAdminManagedPolicies,
  awsIamTrustNotPublic,
  awsIamOidcTrustSubject,
  awsIamServiceTrustSource,
  awsIamPodIdentityTrust,
  awsIamTrustAccountRoot,
]);
