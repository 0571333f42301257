import * as iam from "@pulumi/aws/iam";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { type Common, childName } from "../../kit";
import { createServiceRole } from "../iam";
import type { ResolvedBucketArgs } from "./args";
import type { BucketPolicyRefs, PolicyDocument } from "./policy";

/** Where replicas go. */
type Replication = NonNullable<ResolvedBucketArgs["replication"]>;

/**
 * The replication role's permissions, as a pure function of the ARNs: read the source's
 * configuration and object versions, replicate into the destination, decrypt with the source key
 * and encrypt with the destination key; nothing else.
 */
export function replicationPolicyDocument(
  source: BucketPolicyRefs,
  destination: Pick<Replication, "destinationBucketArn" | "destinationKmsKeyArn">,
): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
        Resource: source.bucketArn,
      },
      {
        Effect: "Allow",
        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        Resource: source.objectsArn,
      },
      {
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
        Resource: pulumi.interpolate`${destination.destinationBucketArn}/*`,
      },
      { Effect: "Allow", Action: "kms:Decrypt", Resource: source.keyArn },
      { Effect: "Allow", Action: "kms:Encrypt", Resource: destination.destinationKmsKeyArn },
    ],
  };
}

/** Replicates every KMS-encrypted object (and delete markers) to another bucket, through a least-privilege role. */
export function createReplication(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  source: BucketPolicyRefs & { bucketId: pulumi.Input<string> },
  replication: Replication,
  versioning: s3.BucketVersioning,
): s3.BucketReplicationConfig {
  const role = createServiceRole(childName(name, "replication"), parent, {
    description: `S3 replication of bucket ${name}`,
    service: "s3.amazonaws.com",
    tags: common.tags,
  });
  new iam.RolePolicy(
    childName(name, "replication"),
    { role: role.id, policy: pulumi.jsonStringify(replicationPolicyDocument(source, replication)) },
    { parent },
  );
  return new s3.BucketReplicationConfig(
    name,
    {
      bucket: source.bucketId,
      role: role.arn,
      rules: [
        {
          id: "replicate-everything",
          status: "Enabled",
          filter: {},
          deleteMarkerReplication: { status: "Enabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: {
            bucket: replication.destinationBucketArn,
            storageClass: replication.storageClass,
            encryptionConfiguration: { replicaKmsKeyId: replication.destinationKmsKeyArn },
          },
        },
      ],
    },
    { parent, dependsOn: [versioning] },
  );
}
