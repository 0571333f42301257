import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  availabilityZoneSchema,
  ConfigError,
  iamPrincipalArnSchema,
  iamRoleArnSchema,
  jurisdictionSchema,
  kmsKeyArnSchema,
  kubernetesVersionSchema,
  nameSchema,
  parseOrThrow,
  s3BucketArnSchema,
} from "../../components/validation";

/** The one-line reason `parseOrThrow` gives for `value` under `schema`, or "ok". */
function reason(schema: z.ZodType, value: unknown): string {
  try {
    parseOrThrow("x", z.strictObject({ v: schema }), { v: value });
    return "ok";
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
}

describe("shared validation rules", () => {
  it.each([
    [
      nameSchema,
      "gpu-spot",
      "Gpu_Spot",
      'x: v: "Gpu_Spot" must be lower-case letters, digits and dashes (at most 40)',
    ],
    [jurisdictionSchema, "EU", "europe", 'x: v: "europe" is not a jurisdiction code such as EU, US or DE'],
    [
      availabilityZoneSchema,
      "eu-west-1a",
      "eu-west-1",
      'x: v: "eu-west-1" is not an availability zone name such as eu-west-1a',
    ],
    [
      iamPrincipalArnSchema,
      "arn:aws:iam::123456789012:role/admin",
      "arn:aws:sts::123456789012:assumed-role/admin/alice",
      'x: v: "arn:aws:sts::123456789012:assumed-role/admin/alice" is not an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admin',
    ],
    [
      kubernetesVersionSchema,
      "1.34",
      "1.34.1",
      'x: v: "1.34.1" is not a Kubernetes minor version such as 1.34',
    ],
  ] as [z.ZodType, string, string, string][])(
    "accepts %#: a good value, and names the rule a bad one breaks",
    (schema, good, bad, message) => {
      expect(reason(schema, good)).toBe("ok");
      expect(reason(schema, bad)).toBe(message);
    },
  );

  it("limits names to 40 characters, alphanumeric at both ends", () => {
    expect(reason(nameSchema, "a".repeat(40))).toBe("ok");
    expect(reason(nameSchema, "a".repeat(41))).not.toBe("ok");
    expect(reason(nameSchema, "-gpu")).not.toBe("ok");
    expect(reason(nameSchema, "gpu-")).not.toBe("ok");
  });
});

describe("ARNs of one kind", () => {
  it("take a KMS key, S3 bucket or IAM role ARN, and refuse another service's or resource type's", () => {
    const ok = (schema: { safeParse(v: unknown): { success: boolean } }, value: string) =>
      schema.safeParse(value).success;
    expect(
      ok(kmsKeyArnSchema, "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    ).toBe(true);
    expect(
      ok(kmsKeyArnSchema, "arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab"),
    ).toBe(true);
    expect(ok(kmsKeyArnSchema, "arn:aws:kms:eu-west-1:123456789012:alias/data")).toBe(false);
    expect(ok(kmsKeyArnSchema, "arn:aws:iam::123456789012:role/data")).toBe(false);
    expect(ok(s3BucketArnSchema, "arn:aws:s3:::ml-datasets")).toBe(true);
    expect(ok(s3BucketArnSchema, "arn:aws:s3:::ml-datasets/prefix")).toBe(false);
    expect(ok(s3BucketArnSchema, "arn:aws:kms:eu-west-1:123456789012:key/x")).toBe(false);
    expect(ok(iamRoleArnSchema, "arn:aws:iam::123456789012:role/service/nodes")).toBe(true);
    expect(ok(iamRoleArnSchema, "arn:aws:iam::123456789012:user/alice")).toBe(false);
    expect(ok(iamRoleArnSchema, "arn:aws-cn:iam::123456789012:role/nodes")).toBe(true);
  });
});
