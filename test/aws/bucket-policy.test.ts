// The bucket's policy documents as pure functions: no Pulumi mocks, plain ARNs in, plain documents out.
import { describe, expect, it } from "vitest";
import { bucketPolicyDocument, replicationPolicyDocument } from "../../components/aws/bucket";

const REFS = {
  bucketArn: "arn:aws:s3:::data-123",
  objectsArn: "arn:aws:s3:::data-123/*",
  keyArn: "arn:aws:kms:eu-west-1:123456789012:key/k1",
};

describe("bucketPolicyDocument", () => {
  it("denies non-TLS and TLS below 1.2 on the bucket and its objects", () => {
    const [insecure, outdated] = bucketPolicyDocument(REFS).Statement;
    expect(insecure).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [REFS.bucketArn, REFS.objectsArn],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(outdated).toEqual({
      Sid: "DenyOutdatedTls",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [REFS.bucketArn, REFS.objectsArn],
      Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    });
  });

  it("denies uploads that name another encryption than KMS, or another key than the bucket's", () => {
    const [, , notKms, otherKey] = bucketPolicyDocument(REFS).Statement;
    expect(notKms).toEqual({
      Sid: "DenyUploadsNotKms",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: REFS.objectsArn,
      Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } },
    });
    expect(otherKey).toEqual({
      Sid: "DenyUploadsWithOtherKey",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: REFS.objectsArn,
      Condition: {
        StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption-aws-kms-key-id": REFS.keyArn },
      },
    });
  });

  it("merges the caller's statements after its own denies, in their order, into one document", () => {
    const read = {
      Sid: "Read",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::1:role/r" },
      Action: "s3:GetObject",
    };
    const list = {
      Sid: "List",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::1:role/r" },
      Action: "s3:ListBucket",
    };
    const document = bucketPolicyDocument(REFS, [read, list]);
    expect(document.Version).toBe("2012-10-17");
    expect(document.Statement.map((s) => (s as { Sid: string }).Sid)).toEqual([
      "DenyInsecureTransport",
      "DenyOutdatedTls",
      "DenyUploadsNotKms",
      "DenyUploadsWithOtherKey",
      "Read",
      "List",
    ]);
    expect(document.Statement[4]).toBe(read);
    expect(bucketPolicyDocument(REFS).Statement).toHaveLength(4);
  });

  it("keeps the policy JSON byte for byte, so a refactor shows no diff on the bucket policy", () => {
    expect(JSON.stringify(bucketPolicyDocument(REFS))).toBe(
      '{"Version":"2012-10-17","Statement":[' +
        '{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::data-123","arn:aws:s3:::data-123/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},' +
        '{"Sid":"DenyOutdatedTls","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::data-123","arn:aws:s3:::data-123/*"],"Condition":{"NumericLessThan":{"s3:TlsVersion":"1.2"}}},' +
        '{"Sid":"DenyUploadsNotKms","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::data-123/*","Condition":{"StringNotEqualsIfExists":{"s3:x-amz-server-side-encryption":"aws:kms"}}},' +
        '{"Sid":"DenyUploadsWithOtherKey","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::data-123/*","Condition":{"StringNotEqualsIfExists":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"arn:aws:kms:eu-west-1:123456789012:key/k1"}}}]}',
    );
  });

  it("is pure: two calls give equal documents that share no arrays", () => {
    const a = bucketPolicyDocument(REFS);
    const b = bucketPolicyDocument(REFS);
    expect(a).toEqual(b);
    expect(a.Statement).not.toBe(b.Statement);
    const [first, second] = a.Statement as { Resource: string[] }[];
    expect(first?.Resource).not.toBe(second?.Resource);
  });
});

describe("replicationPolicyDocument", () => {
  it("lets replication read the source, write replicas and use exactly the two keys", () => {
    const document = replicationPolicyDocument(REFS, {
      destinationBucketArn: "arn:aws:s3:::dr",
      destinationKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/dr",
    });
    const statements = document.Statement as {
      Effect: string;
      Action: string | string[];
      Resource: unknown;
    }[];
    expect(statements.every((s) => s.Effect === "Allow")).toBe(true);
    expect(statements.map((s) => s.Action)).toEqual([
      ["s3:GetReplicationConfiguration", "s3:ListBucket"],
      ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
      ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
      "kms:Decrypt",
      "kms:Encrypt",
    ]);
    expect(statements[0]?.Resource).toBe(REFS.bucketArn);
    expect(statements[1]?.Resource).toBe(REFS.objectsArn);
    expect(statements[3]?.Resource).toBe(REFS.keyArn);
    expect(statements[4]?.Resource).toBe("arn:aws:kms:us-east-1:123456789012:key/dr");
  });
});
