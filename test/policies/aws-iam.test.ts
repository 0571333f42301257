// IAM permissions and trust, and KMS keys, in every place a program writes a policy document.
import { describe, expect, it } from "vitest";
import {
  awsIamNoAdminManagedPolicies,
  awsIamNoAdminPolicy,
  awsIamNoUnconstrainedSensitiveActions,
  awsIamNoUnconstrainedWrites,
  awsIamNoWildcardActions,
  awsIamOidcTrustSubject,
  awsIamPodIdentityTrust,
  awsIamServiceTrustSource,
  awsIamTrustAccountRoot,
  awsIamTrustNotPublic,
} from "../../policies/rules/aws-iam";
import {
  awsKmsDeletionWindow,
  awsKmsKeyEnabled,
  awsKmsKeyPolicyDefined,
  awsKmsKeyPolicyNotPublic,
  awsKmsKeyRotation,
} from "../../policies/rules/aws-kms";
import { ruleCases } from "./cases";
import { judge, resource, stackViolations, UNKNOWN_INPUT } from "./evaluate";

const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const POLICY = "aws:iam/policy:Policy";
const ROLE = "aws:iam/role:Role";
const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const allow = (Action: unknown, Resource: unknown, extra: Record<string, unknown> = {}) => ({
  Effect: "Allow",
  Action,
  Resource,
  ...extra,
});

/** The library's own permission policies (from the prod plan). */
const autoscaler = doc(
  allow(
    [
      "autoscaling:DescribeAutoScalingGroups",
      "ec2:DescribeImages",
      "ec2:GetInstanceTypesFromInstanceRequirements",
      "eks:DescribeNodegroup",
    ],
    "*",
    { Sid: "Describe" },
  ),
  allow(["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"], "*", {
    Sid: "ScaleThisClusterOnly",
    Condition: { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/eks-prod": "owned" } },
  }),
);
const reader = doc(
  allow("s3:ListBucket", "arn:aws:s3:::datasets-b181700", {
    Condition: { StringLike: { "s3:prefix": ["product-catalog/*"] } },
  }),
  allow("s3:GetObject", "arn:aws:s3:::datasets-b181700/product-catalog/*"),
  allow("kms:Decrypt", "arn:aws:kms:eu-west-1:123456789012:key/fffe1046"),
);

ruleCases(awsIamNoAdminPolicy, [
  {
    name: "a bucket's every object by its ARN pattern (not every resource)",
    type: ROLE_POLICY,
    props: { policy: doc(allow("*", "arn:aws:s3:::b/*")) },
    fails: [],
  },
  {
    name: '"?*" and "**": wildcards that match every action',
    type: POLICY,
    props: { policy: doc(allow("?*", "*"), allow(["**"], ["*"])) },
    fails: ["administrator access", "administrator access"],
  },
  {
    name: 'every resource spelled as an ARN ("arn:*", "arn:aws:*:*:*:*", "arn:aws-us-gov:*:*:*:*")',
    type: POLICY,
    props: {
      policy: doc(
        allow("*", "arn:*"),
        allow("*", ["arn:aws:*:*:*:*"]),
        allow("*:*", "arn:aws-us-gov:*:*:*:*"),
      ),
    },
    fails: ["administrator access", "administrator access", "administrator access"],
  },
  { name: "the autoscaler's policy", type: ROLE_POLICY, props: { policy: autoscaler } },
  { name: "a workload's dataset reader", type: ROLE_POLICY, props: { policy: reader } },
  {
    name: '"*" on "*"',
    type: ROLE_POLICY,
    props: { policy: doc(allow("*", "*")) },
    fails: ["administrator access"],
  },
  {
    name: '"*:*" in a managed policy',
    type: POLICY,
    props: { policy: doc(allow(["*:*"], ["*"])) },
    fails: ["administrator access"],
  },
  {
    name: "NotAction on every resource",
    type: POLICY,
    props: { policy: doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) },
    fails: ["administrator access"],
  },
  {
    name: "NotResource with every action",
    type: POLICY,
    props: { policy: doc({ Effect: "Allow", Action: "*", NotResource: "arn:aws:s3:::x" }) },
    fails: ["administrator access"],
  },
  {
    name: "a role's inlinePolicies",
    type: ROLE,
    props: { inlinePolicies: [{ name: "x", policy: doc(allow("*", "*")) }] },
    fails: ["inlinePolicies[0].policy"],
  },
  {
    name: "a user policy, the document as an object",
    type: "aws:iam/userPolicy:UserPolicy",
    props: { policy: { Statement: allow("*", "*") } },
    fails: ["administrator access"],
  },
  {
    name: "aws-native's role policies",
    type: "aws-native:iam:Role",
    props: { policies: [{ policyName: "x", policyDocument: { Statement: [allow("*", "*")] } }] },
    fails: ["policies[0].policyDocument"],
  },
]);

ruleCases(awsIamNoWildcardActions, [
  {
    name: "a service's wildcard in other spellings (s3:**, s3:?*) and every action as ?*",
    type: POLICY,
    props: {
      policy: doc(
        allow(["s3:**"], "arn:aws:s3:::b"),
        allow("s3:?*", "arn:aws:s3:::b"),
        allow("?*", "arn:aws:s3:::b"),
      ),
    },
    fails: ["allows s3:**", "allows s3:?*", "allows ?*"],
  },
  {
    name: "a prefix wildcard (s3:Get*) is not a service's wildcard",
    type: POLICY,
    props: { policy: doc(allow("s3:Get*", "arn:aws:s3:::b/*")) },
  },
  { name: "named actions", type: ROLE_POLICY, props: { policy: reader } },
  {
    name: "s3:* on one bucket",
    type: ROLE_POLICY,
    props: { policy: doc(allow("s3:*", "arn:aws:s3:::b")) },
    fails: ["allows s3:*"],
  },
  {
    name: "IAM:* in any casing",
    type: POLICY,
    props: { policy: doc(allow(["IAM:*"], "arn:aws:iam::1:role/x")) },
    fails: ["allows IAM:*"],
  },
  {
    name: "NotAction with Allow",
    type: POLICY,
    props: { policy: doc({ Effect: "Allow", NotAction: "s3:DeleteBucket", Resource: "arn:aws:s3:::b" }) },
    fails: ["NotAction with Allow"],
  },
]);

ruleCases(awsIamNoUnconstrainedWrites, [
  {
    name: "the autoscaler's policy (reads unscoped, writes conditioned on a tag)",
    type: ROLE_POLICY,
    props: { policy: autoscaler },
  },
  {
    name: "the flow-log role's writes on its log group",
    type: ROLE_POLICY,
    props: {
      policy: doc(
        allow(
          ["logs:CreateLogStream", "logs:PutLogEvents"],
          ["arn:aws:logs:eu-west-1:1:log-group:g", "arn:aws:logs:eu-west-1:1:log-group:g:*"],
        ),
      ),
    },
  },
  {
    name: "a write on every resource",
    type: ROLE_POLICY,
    props: { policy: doc(allow("ec2:TerminateInstances", "*")) },
    fails: ["ec2:TerminateInstances on every resource"],
  },
  {
    name: "a write whose only condition is IfExists",
    type: ROLE_POLICY,
    props: {
      policy: doc(
        allow("ec2:TerminateInstances", "*", {
          Condition: { StringEqualsIfExists: { "aws:ResourceTag/team": "ml" } },
        }),
      ),
    },
    fails: ["on every resource"],
  },
  {
    name: "a wildcard write pattern on NotResource",
    type: POLICY,
    props: { policy: doc({ Effect: "Allow", Action: "s3:Put*", NotResource: "arn:aws:s3:::logs/*" }) },
    fails: ["s3:Put*"],
  },
]);

ruleCases(awsIamNoUnconstrainedSensitiveActions, [
  { name: "a reader scoped to one bucket and key", type: ROLE_POLICY, props: { policy: reader } },
  {
    name: "iam:PassRole to one service",
    type: ROLE_POLICY,
    props: {
      policy: doc(
        allow("iam:PassRole", "*", {
          Condition: { StringEquals: { "iam:PassedToService": "eks.amazonaws.com" } },
        }),
      ),
    },
  },
  {
    name: "iam:PassRole on every role",
    type: ROLE_POLICY,
    props: { policy: doc(allow("iam:PassRole", "*")) },
    fails: ["privilege escalation (iam:PassRole)"],
  },
  {
    name: "iam:* (through the pattern)",
    type: ROLE_POLICY,
    props: { policy: doc(allow("iam:*", "*")) },
    fails: ["and credentials exposure (iam:CreateAccessKey"],
  },
  {
    name: "kms:Decrypt on every key",
    type: POLICY,
    props: { policy: doc(allow(["kms:Decrypt"], "*")) },
    fails: ["data and secrets of the whole account (kms:Decrypt)"],
  },
  {
    name: "s3:Get* on every bucket",
    type: POLICY,
    props: { policy: doc(allow("s3:Get*", "*")) },
    fails: ["s3:GetObject, s3:GetObjectVersion"],
  },
  {
    name: "secrets on every secret with a negated condition",
    type: POLICY,
    props: {
      policy: doc(
        allow("secretsmanager:GetSecretValue", "*", {
          Condition: { StringNotEquals: { "aws:ResourceTag/x": "y" } },
        }),
      ),
    },
    fails: ["secretsmanager:GetSecretValue"],
  },
]);

ruleCases(awsIamNoAdminManagedPolicies, [
  {
    name: "the node role's EKS policies",
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    props: { policyArn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" },
  },
  {
    name: "a customer policy named AdministratorAccess",
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    props: { policyArn: "arn:aws:iam::123456789012:policy/AdministratorAccess" },
  },
  {
    name: "AdministratorAccess",
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    props: { policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
    fails: ["administrator-level"],
  },
  {
    name: "IAMFullAccess in GovCloud, on a group",
    type: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    props: { policyArn: "arn:aws-us-gov:iam::aws:policy/IAMFullAccess" },
    fails: ["administrator-level"],
  },
  {
    name: "PowerUserAccess in a role's managedPolicyArns",
    type: ROLE,
    props: { managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] },
    fails: ["managedPolicyArns[0]"],
  },
  {
    name: "an exclusive attachment list",
    type: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    props: { policyArns: ["arn:aws:iam::aws:policy/job-function/../AdministratorAccess"] },
    fails: ["policyArns[0]"],
  },
]);

const trust = (statement: Record<string, unknown>) => ({
  assumeRolePolicy: doc({ Effect: "Allow", Action: "sts:AssumeRole", ...statement }),
});

ruleCases(awsIamTrustNotPublic, [
  { name: "the EKS cluster role", type: ROLE, props: trust({ Principal: { Service: "eks.amazonaws.com" } }) },
  {
    name: "anyone in the organization",
    type: ROLE,
    props: trust({ Principal: { AWS: "*" }, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } }),
  },
  {
    name: 'Principal "*"',
    type: ROLE,
    props: trust({ Principal: "*" }),
    fails: ["assume the role with no condition"],
  },
  {
    name: "a wildcard account",
    type: ROLE,
    props: trust({ Principal: { AWS: ["arn:aws:iam::*:root"] } }),
    fails: ["assume the role"],
  },
  {
    name: "a wildcard org id",
    type: ROLE,
    props: trust({ Principal: { AWS: "*" }, Condition: { StringLike: { "aws:PrincipalOrgID": "o-*" } } }),
    fails: ["assume the role"],
  },
  {
    name: "aws-native's role",
    type: "aws-native:iam:Role",
    props: {
      assumeRolePolicyDocument: {
        Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }],
      },
    },
    fails: ["assumeRolePolicyDocument Statement[0]"],
  },
]);

const OIDC = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EDA9E951";
const GITHUB = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const web = (Federated: string, Condition?: unknown) =>
  trust({
    Principal: { Federated },
    Action: "sts:AssumeRoleWithWebIdentity",
    ...(Condition ? { Condition } : {}),
  });

ruleCases(awsIamOidcTrustSubject, [
  {
    name: "a Cognito identity pool pinned by aud",
    type: ROLE,
    props: web("cognito-identity.amazonaws.com", {
      StringEquals: {
        "cognito-identity.amazonaws.com:aud": "eu-west-1:0c5a4d1e-0000-4000-8000-000000000000",
      },
      "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" },
    }),
  },
  {
    name: "a Cognito identity pool with no aud (anyone's pool), with aud IfExists, and Google with an aud wildcard",
    type: ROLE,
    props: {
      assumeRolePolicy: doc(
        {
          Effect: "Allow",
          Principal: { Federated: "cognito-identity.amazonaws.com" },
          Action: "sts:AssumeRoleWithWebIdentity",
        },
        {
          Effect: "Allow",
          Principal: { Federated: "Cognito-Identity.amazonaws.com" },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEqualsIfExists: { "cognito-identity.amazonaws.com:aud": "eu-west-1:pool" } },
        },
        {
          Effect: "Allow",
          Principal: { Federated: "accounts.google.com" },
          Action: "sts:*",
          Condition: { StringLike: { "accounts.google.com:aud": "*" } },
        },
      ),
    },
    fails: [
      "trusts cognito-identity.amazonaws.com",
      "trusts cognito-identity.amazonaws.com",
      "trusts accounts.google.com",
    ],
  },
  {
    name: "IRSA pinned to one service account",
    type: ROLE,
    props: web(OIDC, {
      StringEquals: {
        "oidc.eks.eu-west-1.amazonaws.com/id/EDA9E951:sub": "system:serviceaccount:search:embed",
        "oidc.eks.eu-west-1.amazonaws.com/id/EDA9E951:aud": "sts.amazonaws.com",
      },
    }),
  },
  {
    name: "GitHub pinned to a repository and branch",
    type: ROLE,
    props: web(GITHUB, {
      StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/platform:ref:refs/heads/main" },
    }),
  },
  {
    name: "IRSA without a subject",
    type: ROLE,
    props: web(OIDC, {
      StringEquals: { "oidc.eks.eu-west-1.amazonaws.com/id/EDA9E951:aud": "sts.amazonaws.com" },
    }),
    fails: ["no condition pinning"],
  },
  {
    name: "IRSA for every service account",
    type: ROLE,
    props: web(OIDC, {
      StringLike: { "oidc.eks.eu-west-1.amazonaws.com/id/EDA9E951:sub": "system:serviceaccount:*" },
    }),
    fails: ["to fixed subjects"],
  },
  {
    name: "GitHub for a whole organization",
    type: ROLE,
    props: web(GITHUB, { StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/*" } }),
    fails: ["to fixed subjects"],
  },
  {
    name: "GitHub with the subject under IfExists",
    type: ROLE,
    props: web(GITHUB, {
      StringLikeIfExists: {
        "token.actions.githubusercontent.com:sub": "repo:acme/platform:ref:refs/heads/main",
      },
    }),
    fails: ["to fixed subjects"],
  },
]);

ruleCases(awsIamServiceTrustSource, [
  {
    name: "the library's flow-log role",
    type: ROLE,
    props: trust({
      Principal: { Service: "vpc-flow-logs.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    }),
  },
  {
    name: "EC2 (not a cross-account deputy)",
    type: ROLE,
    props: trust({ Principal: { Service: "ec2.amazonaws.com" } }),
  },
  {
    name: "S3 replication with no source condition",
    type: ROLE,
    props: trust({ Principal: { Service: "s3.amazonaws.com" } }),
    fails: ["s3.amazonaws.com without"],
  },
  {
    name: "a regional logs principal with the account under IfExists",
    type: ROLE,
    props: trust({
      Principal: { Service: ["logs.eu-west-1.amazonaws.com"] },
      Condition: { StringEqualsIfExists: { "aws:SourceAccount": "1" } },
    }),
    fails: ["logs.eu-west-1.amazonaws.com"],
  },
]);

ruleCases(awsIamPodIdentityTrust, [
  {
    name: "Pod Identity pinned to a cluster and account",
    type: ROLE,
    props: trust({
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Condition: {
        StringEquals: {
          "aws:SourceArn": "arn:aws:eks:eu-west-1:1:cluster/eks-prod",
          "aws:RequestTag/kubernetes-namespace": "search",
        },
      },
    }),
  },
  {
    name: "Pod Identity with no condition (the library today)",
    type: ROLE,
    props: trust({
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
    }),
    fails: ["any Pod Identity association"],
  },
]);

ruleCases(awsIamTrustAccountRoot, [
  {
    name: "a named role of another account",
    type: ROLE,
    props: trust({ Principal: { AWS: "arn:aws:iam::210987654321:role/ci" } }),
  },
  {
    name: "an account root pinned to one principal",
    type: ROLE,
    props: trust({
      Principal: { AWS: "210987654321" },
      Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::210987654321:role/ci" } },
    }),
  },
  {
    name: "a whole account",
    type: ROLE,
    props: trust({ Principal: { AWS: "arn:aws:iam::210987654321:root" } }),
    fails: ["as a whole"],
  },
]);

describe("IAM rules under preview unknowns", () => {
  it("leave a document built from values known after apply to the update, and still judge a known bad one", async () => {
    const unknown = await judge(awsIamNoAdminPolicy, ROLE_POLICY, {
      role: UNKNOWN_INPUT,
      policy: UNKNOWN_INPUT,
    });
    expect(unknown.violations).toEqual([]);
    expect(unknown.undecided).toContain("can't be known during preview");
    const known = await judge(awsIamNoAdminPolicy, ROLE_POLICY, {
      role: UNKNOWN_INPUT,
      policy: doc(allow("*", "*")),
    });
    expect(known.violations).toHaveLength(1);
    // A document given as an object with an unknown resource ARN: the wildcard action is still known.
    const partial = await judge(awsIamNoWildcardActions, POLICY, {
      policy: { Statement: [allow("s3:*", UNKNOWN_INPUT)] },
    });
    expect(partial.violations).toEqual(["policy Statement[0] allows s3:*; list the actions needed"]);
  });
});

const KEY = "aws:kms/key:Key";
const rootAdmin = {
  Sid: "AccountAdministration",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::123456789012:root" },
  Action: "kms:*",
  Resource: "*",
};
const logsUse = {
  Effect: "Allow",
  Principal: { Service: "logs.eu-west-1.amazonaws.com" },
  Action: ["kms:Encrypt*", "kms:Decrypt*"],
  Resource: "*",
  Condition: {
    ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*" },
  },
};

ruleCases(awsKmsKeyRotation, [
  {
    name: "aws-native's rotating key",
    type: "aws-native:kms:Key",
    props: { enableKeyRotation: true, keyPolicy: {} },
  },
  {
    name: "aws-native's key left without rotation",
    type: "aws-native:kms:Key",
    props: { keyPolicy: {} },
    fails: ["enableKeyRotation is unset (provider default false)"],
  },
  {
    name: "a rotating symmetric key",
    type: KEY,
    props: { customerMasterKeySpec: "SYMMETRIC_DEFAULT", enableKeyRotation: true },
  },
  {
    name: "an asymmetric signing key",
    type: KEY,
    props: { keySpec: "ECC_NIST_P256", keyUsage: "SIGN_VERIFY" },
  },
  {
    name: "rotation left to the provider's false",
    type: KEY,
    props: {},
    fails: ["enableKeyRotation is unset"],
  },
  {
    name: "a rotation period over a year",
    type: KEY,
    props: { enableKeyRotation: true, rotationPeriodInDays: 730 },
    fails: ["rotate at least yearly"],
  },
]);

ruleCases(awsKmsKeyPolicyNotPublic, [
  { name: "the library's key policy", type: KEY, props: { policy: doc(rootAdmin, logsUse) } },
  {
    name: "everyone, pinned to the account by kms:CallerAccount",
    type: KEY,
    props: {
      policy: doc({
        ...rootAdmin,
        Principal: "*",
        Condition: { StringEquals: { "kms:CallerAccount": "123456789012" } },
      }),
    },
  },
  {
    name: "everyone",
    type: KEY,
    props: { policy: doc({ ...rootAdmin, Principal: { AWS: "*" } }) },
    fails: ["Statement[0] (AccountAdministration)"],
  },
  {
    name: "a KeyPolicy resource with CallerAccount under IfExists",
    type: "aws:kms/keyPolicy:KeyPolicy",
    props: {
      keyId: "k",
      policy: doc({
        ...rootAdmin,
        Principal: "*",
        Condition: { StringEqualsIfExists: { "kms:CallerAccount": "1" } },
      }),
    },
    fails: ["passes when the key is absent"],
  },
  {
    name: "aws-native's key",
    type: "aws-native:kms:Key",
    props: { keyPolicy: { Statement: [{ ...rootAdmin, Principal: "*" }] } },
    fails: ["keyPolicy Statement[0]"],
  },
]);

ruleCases(awsKmsKeyEnabled, [
  { name: "an enabled key", type: KEY, props: {} },
  { name: "a disabled key", type: KEY, props: { isEnabled: false }, fails: ["isEnabled is false"] },
]);

ruleCases(awsKmsDeletionWindow, [
  { name: "the library's 30 days", type: KEY, props: { deletionWindowInDays: 30 } },
  { name: "KMS's default (unset)", type: KEY, props: {} },
  { name: "seven days", type: KEY, props: { deletionWindowInDays: 7 }, fails: ["under 30 days"] },
]);

describe("aws-kms-key-policy-defined", () => {
  it("passes a key with a policy, or with a KeyPolicy resource computed from it, and names one with neither", async () => {
    const own = resource(KEY, "own", { policy: doc(rootAdmin) });
    const bare = resource(KEY, "bare", {});
    const covered = resource(KEY, "covered", {});
    const keyPolicy = resource(
      "aws:kms/keyPolicy:KeyPolicy",
      "covered-policy",
      { keyId: UNKNOWN_INPUT, policy: doc(rootAdmin) },
      { dependencies: [covered] },
    );
    expect(
      (await stackViolations(awsKmsKeyPolicyDefined, [own, bare, covered, keyPolicy])).map((v) => v.urn),
    ).toEqual([bare.urn]);
  });
});
