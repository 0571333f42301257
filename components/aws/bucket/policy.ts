import type * as pulumi from "@pulumi/pulumi";

/** An IAM policy document whose values may still be Pulumi inputs; `pulumi.jsonStringify` turns it into JSON. */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: pulumi.Input<Record<string, unknown>>[];
}

/** What the bucket policy refers to, as ARNs. */
export interface BucketPolicyRefs {
  /** The bucket. */
  bucketArn: pulumi.Input<string>;
  /** Every object in it: `<bucket ARN>/*`. */
  objectsArn: pulumi.Input<string>;
  /** The KMS key uploads must be encrypted with. */
  keyArn: pulumi.Input<string>;
}

/** A statement that denies `action` on `resource` to everyone when `condition` holds. */
function deny(
  sid: string,
  action: string,
  resource: pulumi.Input<string> | pulumi.Input<string>[],
  condition: Record<string, Record<string, pulumi.Input<string>>>,
): Record<string, unknown> {
  return {
    Sid: sid,
    Effect: "Deny",
    Principal: "*",
    Action: action,
    Resource: resource,
    Condition: condition,
  };
}

/**
 * The bucket's one policy, as a pure function of its ARNs and the caller's statements: deny
 * requests without TLS or with TLS below 1.2, deny uploads that name an encryption other than KMS
 * or a key other than the bucket's, then the caller's statements in their order.
 */
export function bucketPolicyDocument(
  refs: BucketPolicyRefs,
  statements: readonly pulumi.Input<Record<string, unknown>>[] = [],
): PolicyDocument {
  const everything = () => [refs.bucketArn, refs.objectsArn];
  return {
    Version: "2012-10-17",
    Statement: [
      deny("DenyInsecureTransport", "s3:*", everything(), { Bool: { "aws:SecureTransport": "false" } }),
      deny("DenyOutdatedTls", "s3:*", everything(), { NumericLessThan: { "s3:TlsVersion": "1.2" } }),
      // Uploads that name an encryption must name KMS; those that name none get the default.
      deny("DenyUploadsNotKms", "s3:PutObject", refs.objectsArn, {
        StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" },
      }),
      deny("DenyUploadsWithOtherKey", "s3:PutObject", refs.objectsArn, {
        StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption-aws-kms-key-id": refs.keyArn },
      }),
      ...statements,
    ],
  };
}
