import { beforeAll, describe, expect, it } from "vitest";
import { AwsWorkloadIdentity } from "../../components/aws";
import { datasetReadPolicy } from "../../components/aws/internal";
import type { Recorder } from "../../scripts/plan";
import { configErrorOf } from "../helpers/components";
import { one, resolved, startMocks } from "../helpers/mocks";

const BUCKET = "arn:aws:s3:::datasets-0a1b2c3";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("datasetReadPolicy", () => {
  it("lists and reads under the dataset's prefix only, and decrypts only for that bucket", () => {
    expect(datasetReadPolicy([{ bucketArn: BUCKET, kmsKeyArn: KEY, prefix: "product-catalog" }])).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "List0",
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: BUCKET,
          Condition: { StringLike: { "s3:prefix": ["product-catalog/*", "product-catalog"] } },
        },
        { Sid: "Read0", Effect: "Allow", Action: "s3:GetObject", Resource: `${BUCKET}/product-catalog/*` },
        {
          Sid: "Decrypt0",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: KEY,
          Condition: { StringEquals: { "kms:EncryptionContext:aws:s3:arn": BUCKET } },
        },
      ],
    });
  });
});

describe("AwsWorkloadIdentity", () => {
  let recorder: Recorder;
  beforeAll(async () => {
    recorder = await startMocks();
  });

  it("binds a role only EKS Pod Identity assumes, reading only the datasets, to the workload's ServiceAccount", async () => {
    const identity = new AwsWorkloadIdentity("eks-embed", {
      clusterName: "eks-dev",
      namespace: "search",
      serviceAccount: "embed",
      datasets: [{ bucketArn: BUCKET, kmsKeyArn: KEY, prefix: "product-catalog" }],
    });
    await recorder.settle();
    const rs = recorder.resources;
    const role = one(rs, "aws:iam/role:Role", "eks-embed");
    expect(JSON.parse(String(role.inputs.assumeRolePolicy))).toMatchObject({
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "pods.eks.amazonaws.com" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
          // Only this cluster's association for this namespace and account (issue 19.8): EKS Pod
          // Identity tags each session with them, and any other association in the account is refused.
          Condition: {
            StringEquals: {
              "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:eu-west-1:123456789012:cluster/eks-dev",
              "aws:RequestTag/kubernetes-namespace": "search",
              "aws:RequestTag/kubernetes-service-account": "embed",
            },
          },
        },
      ],
    });
    const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as { Statement: { Condition: unknown }[] };
    expect(Object.keys(trust.Statement[0]?.Condition as object)).toEqual(["StringEquals"]);
    const policy = one(rs, "aws:iam/rolePolicy:RolePolicy", "eks-embed-datasets");
    expect(JSON.parse(String(policy.inputs.policy)).Statement).toHaveLength(3);
    const association = one(rs, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "eks-embed");
    expect(association.inputs).toMatchObject({
      clusterName: "eks-dev",
      namespace: "search",
      serviceAccount: "embed",
    });
    expect(association.dependsOn).toContain(policy.urn);
    expect(await resolved(identity.roleArn)).toMatch(/^arn:aws:iam::123456789012:role\/eks-embed/);
  });

  it("refuses an identity that grants nothing, and a prefix with a slash", () => {
    const error = configErrorOf(
      () =>
        new AwsWorkloadIdentity("bad", {
          clusterName: "eks-dev",
          namespace: "search",
          serviceAccount: "embed",
          datasets: [],
        }),
    );
    expect(error.message).toContain("grants nothing; a workload without datasets needs no identity");
    const slash = configErrorOf(
      () =>
        new AwsWorkloadIdentity("bad", {
          clusterName: "eks-dev",
          namespace: "search",
          serviceAccount: "embed",
          datasets: [{ bucketArn: BUCKET, kmsKeyArn: KEY, prefix: "a/b" }],
        }),
    );
    expect(slash.message).toContain("datasets[0].prefix");
  });
});
