import * as iam from "@pulumi/aws/iam";
import * as rolesanywhere from "@pulumi/aws/rolesanywhere";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, childName, commonArgsShape, input, resolveCommon } from "../../kit";
import {
  componentSubject,
  dnsLabelSchema,
  kmsKeyArnSchema,
  parseOrThrow,
  s3BucketArnSchema,
} from "../../validation";
import { awsContext } from "../context";
import { associatePodIdentity, eksClusterArn, podIdentityTrustPolicy } from "../iam";
import { dataCopyPolicy } from "./policy";
import { rolesAnywhereTrustPolicy } from "./roles-anywhere";

/** A bucket, its key, and the dataset's folder in it. */
export interface CopyBucketGrant {
  bucketArn: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  prefix: string;
}

/** How the copy's pods assume the role. */
export type CopyRoleTrust =
  /** EKS Pod Identity on the cluster in this account, for the copy's ServiceAccount only. */
  | { podIdentity: { clusterName: pulumi.Input<string> } }
  /** Web identity from another cluster's issuer (AKS, on-premises) through an IAM OIDC provider. */
  | { webIdentity: { providerArn: pulumi.Input<string>; issuerUrl: pulumi.Input<string> } }
  /** IAM Roles Anywhere: a certificate from the site's CA (an `AwsRolesAnywhereAnchor`) with these fields. */
  | { rolesAnywhere: RolesAnywhereRoleTrust };

/** Which certificates may assume a copy's role through IAM Roles Anywhere, and for how long. */
export interface RolesAnywhereRoleTrust {
  trustAnchorArn: pulumi.Input<string>;
  /** Subject fields the certificate must carry exactly: CN, and O and OU where given. */
  subject: { CN: string; O?: string; OU?: string };
  /** The issuing CA's fields: CN, and O where given. */
  issuer: { CN: string; O?: string };
  /**
   * Session length in seconds, 900 to 3600 (the role's default maximum); default 3600. The SDK
   * runs the helper again when a session expires, so a long copy never needs a longer one.
   */
  sessionSeconds?: number;
}

/** Arguments of `AwsDataCopyRole`. */
export interface AwsDataCopyRoleArgs extends CommonArgs {
  /** Who may assume it: Pod Identity on an EKS cluster, or a federated cluster's issuer. */
  trust: CopyRoleTrust;
  /** The copy's namespace and ServiceAccount: the only subject the role trusts. */
  namespace: string;
  serviceAccount: string;
  /** Prefixes it reads (a backup's or staging's source; a drill's backup). */
  reads?: CopyBucketGrant[];
  /** Prefixes it writes (a backup's or staging's destination). */
  writes?: CopyBucketGrant[];
  /** The manifest object a backup writes or a drill reads: its bucket, key and object key. */
  manifest?: {
    bucketArn: pulumi.Input<string>;
    kmsKeyArn: pulumi.Input<string>;
    key: string;
    write: boolean;
  };
  /** Whether it may delete under the written prefixes (a staged copy mirrors its source). Default false. */
  deletes?: boolean;
}

const grant = z.strictObject({
  bucketArn: input(s3BucketArnSchema),
  kmsKeyArn: input(kmsKeyArnSchema),
  prefix: z.string().regex(/^[A-Za-z0-9._-]+$/, "is not a prefix of letters, digits, . _ and -"),
});

/** A certificate field a trust policy compares: printable, no wildcard IAM would read as one. */
/**
 * A Roles Anywhere session's length: the profile's `durationSeconds` and the signing helper's
 * `--session-duration`, which AWS bounds to 900-3600 (default 3600).
 */
export const rolesAnywhereSessionSecondsSchema = z.number().int().min(900).max(3600).default(3600);

const certField = z
  .string()
  .regex(
    /^[A-Za-z0-9 .,:_@=+/-]{1,64}$/,
    "is not a certificate field of at most 64 plain characters (no * or ?)",
  );

const argsSchema = z
  .strictObject({
    ...commonArgsShape,
    trust: z.union([
      z.strictObject({ podIdentity: z.strictObject({ clusterName: input(z.string().min(1)) }) }),
      z.strictObject({
        rolesAnywhere: z.strictObject({
          trustAnchorArn: input(z.string().min(1)),
          subject: z.strictObject({ CN: certField, O: certField.optional(), OU: certField.optional() }),
          issuer: z.strictObject({ CN: certField, O: certField.optional() }),
          sessionSeconds: rolesAnywhereSessionSecondsSchema,
        }),
      }),
      z.strictObject({
        webIdentity: z.strictObject({
          providerArn: input(z.string().min(1)),
          issuerUrl: input(z.string().min(1)),
        }),
      }),
    ]),
    namespace: dnsLabelSchema,
    serviceAccount: dnsLabelSchema,
    reads: z.array(grant).optional(),
    writes: z.array(grant).optional(),
    manifest: z
      .strictObject({
        bucketArn: input(s3BucketArnSchema),
        kmsKeyArn: input(kmsKeyArnSchema),
        key: z.string().regex(/^[A-Za-z0-9._/-]+$/, "is not an object key"),
        write: z.boolean(),
      })
      .optional(),
    deletes: z.boolean().optional(),
  })
  .refine((a) => (a.reads?.length ?? 0) + (a.writes?.length ?? 0) > 0, {
    message: "grants nothing: a copy reads or writes at least one prefix",
  });

/** The web-identity trust: this issuer, this ServiceAccount, STS's audience, and nothing else. */
function webIdentityTrust(providerArn: string, issuerUrl: string, subject: string): string {
  const host = issuerUrl.replace(/^https:\/\//, "");
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${host}:sub`]: subject, [`${host}:aud`]: "sts.amazonaws.com" } },
      },
    ],
  });
}

/**
 * The AWS identity of one data copy: a role that only the copy's ServiceAccount can assume (EKS
 * Pod Identity on this account's cluster, or web identity through another cluster's issuer),
 * allowed to read its source prefix and write its destination prefix, each key for its bucket
 * only (`dataCopyPolicy`). The role belongs to the platform phase; the ServiceAccount to the
 * cluster phase.
 */
export class AwsDataCopyRole extends pulumi.ComponentResource {
  /** The role's ARN (AWS_ROLE_ARN for web identity). */
  public readonly roleArn: pulumi.Output<string>;
  /** The policy granted, as JSON. */
  public readonly policy: pulumi.Output<string>;
  /** Roles Anywhere: the profile (this role alone) the copy's signing helper names. */
  public readonly profileArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: AwsDataCopyRoleArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AwsDataCopyRole", name), argsSchema, args);
    super("hybrid-ai-infra:index:AwsDataCopyRole", name, {}, opts);
    const common = resolveCommon(parsed);
    const subject = `system:serviceaccount:${parsed.namespace}:${parsed.serviceAccount}`;
    const trust = parsed.trust;
    const role = new iam.Role(
      name,
      {
        description: `Data copy ${parsed.namespace}/${parsed.serviceAccount}: its dataset's prefixes only`,
        assumeRolePolicy:
          "podIdentity" in trust
            ? // Only this cluster's association for the copy's ServiceAccount: without the session
              // tags' conditions any Pod Identity association in the account could bind the role.
              podIdentityTrustPolicy({
                clusterArn: eksClusterArn(awsContext(this), trust.podIdentity.clusterName),
                namespace: parsed.namespace,
                serviceAccount: parsed.serviceAccount,
              })
            : "rolesAnywhere" in trust
              ? pulumi.output(trust.rolesAnywhere.trustAnchorArn).apply((trustAnchorArn) =>
                  rolesAnywhereTrustPolicy({
                    trustAnchorArn,
                    subject: trust.rolesAnywhere.subject,
                    issuer: trust.rolesAnywhere.issuer,
                  }),
                )
              : pulumi
                  .all([trust.webIdentity.providerArn, trust.webIdentity.issuerUrl])
                  .apply(([arn, issuer]) => webIdentityTrust(arn, issuer, subject)),
        tags: common.tags,
      },
      { parent: this },
    );
    const resolve = (list: typeof parsed.reads) =>
      pulumi.all((list ?? []).map((g) => pulumi.all([g.bucketArn, g.kmsKeyArn, g.prefix])));
    const manifest = parsed.manifest;
    const document = pulumi
      .all([
        resolve(parsed.reads),
        resolve(parsed.writes),
        manifest ? pulumi.all([manifest.bucketArn, manifest.kmsKeyArn]) : pulumi.output(undefined),
      ])
      .apply(([reads, writes, m]) =>
        JSON.stringify(
          dataCopyPolicy({
            reads: reads.map(([bucketArn, kmsKeyArn, prefix]) => ({ bucketArn, kmsKeyArn, prefix })),
            writes: writes.map(([bucketArn, kmsKeyArn, prefix]) => ({ bucketArn, kmsKeyArn, prefix })),
            ...(m && manifest
              ? {
                  manifests: {
                    write: manifest.write,
                    grants: [{ bucketArn: m[0], kmsKeyArn: m[1], key: manifest.key }],
                  },
                }
              : {}),
            ...(parsed.deletes ? { deletes: true } : {}),
          }),
        ),
      );
    const policy = new iam.RolePolicy(
      childName(name, "data"),
      { role: role.id, policy: document },
      { parent: this },
    );
    if ("podIdentity" in trust)
      associatePodIdentity(
        name,
        this,
        {
          clusterName: trust.podIdentity.clusterName,
          namespace: parsed.namespace,
          serviceAccount: parsed.serviceAccount,
          roleArn: role.arn,
          tags: common.tags,
        },
        policy,
      );
    this.profileArn =
      "rolesAnywhere" in trust
        ? new rolesanywhere.Profile(
            name,
            {
              name,
              enabled: true,
              roleArns: [role.arn],
              durationSeconds: trust.rolesAnywhere.sessionSeconds,
              tags: common.tags,
            },
            { parent: this, dependsOn: [policy] },
          ).arn
        : undefined;
    this.roleArn = role.arn;
    this.policy = document;
    this.registerOutputs({ roleArn: this.roleArn, policy: this.policy, profileArn: this.profileArn });
  }
}
