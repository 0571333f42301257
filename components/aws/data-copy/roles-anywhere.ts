import * as rolesanywhere from "@pulumi/aws/rolesanywhere";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, commonArgsShape, resolveCommon } from "../../kit";
import { componentSubject, parseOrThrow } from "../../validation";

/** Arguments of `AwsRolesAnywhereAnchor`. */
export interface AwsRolesAnywhereAnchorArgs extends CommonArgs {
  /** The PEM bundle of the CA (root, or root and intermediates) that issues the site's copy certificates. */
  caBundle: string;
}

/** One or more PEM certificates and nothing else: a private key here would be the CA's. */
export const pemCertificateBundleSchema = z
  .string()
  .refine(
    (pem) =>
      /^\s*(-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*)+$/.test(pem),
    "is not a PEM bundle of CA certificates (-----BEGIN CERTIFICATE----- blocks only)",
  );

const argsSchema = z.strictObject({ ...commonArgsShape, caBundle: pemCertificateBundleSchema });

/**
 * An IAM Roles Anywhere trust anchor for a site whose workloads cannot federate an issuer (a
 * cluster whose service-account issuer AWS cannot reach): the site's CA, whose end-entity
 * certificates the copies' roles then trust (`AwsDataCopyRole`, trust `rolesAnywhere`). Enabled,
 * with AWS's default expiry notifications.
 */
export class AwsRolesAnywhereAnchor extends pulumi.ComponentResource {
  /** The trust anchor's ARN, which the roles' trust policies require as the session's source. */
  public readonly trustAnchorArn: pulumi.Output<string>;

  constructor(name: string, args: AwsRolesAnywhereAnchorArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AwsRolesAnywhereAnchor", name), argsSchema, args);
    super("hybrid-ai-infra:index:AwsRolesAnywhereAnchor", name, {}, opts);
    const common = resolveCommon(parsed);
    const anchor = new rolesanywhere.TrustAnchor(
      name,
      {
        name,
        enabled: true,
        source: {
          sourceType: "CERTIFICATE_BUNDLE",
          sourceData: { x509CertificateData: parsed.caBundle.trim() },
        },
        tags: common.tags,
      },
      { parent: this },
    );
    this.trustAnchorArn = anchor.arn;
    this.registerOutputs({ trustAnchorArn: this.trustAnchorArn });
  }
}

/** The certificate a role trusts: its anchor, and the subject and issuer fields it must carry. */
export interface RolesAnywhereTrust {
  trustAnchorArn: string;
  /** Subject fields the certificate must carry exactly: CN always; O and OU where given. */
  subject: { CN: string; O?: string | undefined; OU?: string | undefined };
  /** Issuer fields (the issuing CA's), CN always. */
  issuer: { CN: string; O?: string | undefined };
}

/**
 * The trust policy of a role assumed through IAM Roles Anywhere: the service principal with the
 * three actions it needs (AssumeRole, TagSession, SetSourceIdentity), only for sessions from this
 * trust anchor, only for a certificate with these subject and issuer fields (Roles Anywhere maps
 * them to the `x509Subject/*` and `x509Issuer/*` principal tags).
 */
export function rolesAnywhereTrustPolicy(trust: RolesAnywhereTrust): string {
  const fields = (prefix: string, values: Record<string, string | undefined>) =>
    Object.fromEntries(
      Object.entries(values)
        .filter((e): e is [string, string] => e[1] !== undefined)
        .map(([k, v]) => [`aws:PrincipalTag/${prefix}/${k}`, v]),
    );
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "rolesanywhere.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
        Condition: {
          ArnEquals: { "aws:SourceArn": trust.trustAnchorArn },
          StringEquals: { ...fields("x509Subject", trust.subject), ...fields("x509Issuer", trust.issuer) },
        },
      },
    ],
  });
}
