import { z } from "zod";

// Validation rules that several components and the stack config share. Each is written once here
// (Pulumi-free, so the stack config and tools can use them without a program), with the sentence a
// user reads when a value breaks it.

/** A DNS label (RFC 1123): Kubernetes namespace and object names. */
export const dnsLabelSchema = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
    "is not a DNS label (lower-case letters, digits, dashes; at most 63)",
  );

/**
 * A name that becomes a child resource name, a node label value, a placement target or pool name:
 * lower-case letters, digits and dashes, at most 40, starting and ending with a letter or digit.
 */
export const nameSchema = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/,
    "must be lower-case letters, digits and dashes (at most 40)",
  );

/** A legal jurisdiction code that residency rules match: EU, US, DE. */
export const jurisdictionSchema = z
  .string()
  .regex(/^[A-Z]{2,8}$/, "is not a jurisdiction code such as EU, US or DE");

/** An AWS availability zone name: eu-west-1a. */
export const availabilityZoneSchema = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, "is not an availability zone name such as eu-west-1a");

/**
 * An IAM role or user ARN, as EKS access entries take them (an STS assumed-role ARN is rejected
 * by the API).
 */
export const iamPrincipalArnSchema = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/,
    "is not an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admin",
  );

/**
 * A KMS key ARN (single- or multi-Region key), as launch templates and log groups take it; an alias
 * ARN or another service's ARN would reach the resource and fail only when a node launches.
 */
export const kmsKeyArnSchema = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
    "is not a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  );

/** An S3 bucket ARN: arn:aws:s3:::name (no key, no access point). */
export const s3BucketArnSchema = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    "is not an S3 bucket ARN such as arn:aws:s3:::ml-datasets",
  );

/** An IAM role ARN (a path may precede the name). */
export const iamRoleArnSchema = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/,
    "is not an IAM role ARN such as arn:aws:iam::123456789012:role/nodes",
  );

/** A Kubernetes minor version, as EKS and AKS take it: 1.34. */
export const kubernetesVersionSchema = z
  .string()
  .regex(/^1\.\d{2}$/, "is not a Kubernetes minor version such as 1.34");

/** A container image pinned by tag or digest, never `:latest`, so a deploy repeats. */
export const pinnedImageSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._\-/:]*(@sha256:[a-f0-9]{64}|:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})$/,
    "must name a tag or a digest, e.g. registry/team/app:1.4.2 or app@sha256:...",
  )
  .refine((image) => !/:latest$/.test(image), {
    error: (issue) =>
      `${JSON.stringify(issue.input)} uses :latest; pin a version or a digest so deploys repeat`,
  });

/** What each AWS id prefix names, for messages. */
const AWS_ID_KINDS = {
  vpc: "a VPC id",
  subnet: "a subnet id",
  rtb: "a route table id",
  sg: "a security group id",
  vpce: "a VPC endpoint id",
} as const;

/**
 * An AWS resource id of one kind: its prefix and 8 or 17 hex digits (`vpc-0a1b2c3d4e5f67890`), so a
 * subnet id given for a VPC, or a name, is refused before the cloud does.
 */
export function awsIdSchema(prefix: keyof typeof AWS_ID_KINDS) {
  return z
    .string()
    .regex(
      new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`),
      `is not ${AWS_ID_KINDS[prefix]} (${prefix}- and 8 or 17 hex digits, e.g. ${prefix}-0a1b2c3d4e5f67890)`,
    );
}
