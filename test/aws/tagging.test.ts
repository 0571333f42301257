import { beforeAll, describe, expect, it } from "vitest";
import { AwsEncryptedBucket, AwsPrivateCluster, AwsVpc } from "../../components/aws";
import type { Recorder } from "../../scripts/plan";
import { expectStandardTags, isTaggable } from "../helpers/components";
import { startMocks } from "../helpers/mocks";

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startMocks();
});

describe("tags across the AWS components", () => {
  it("land on every taggable resource a full AWS deployment declares, whatever its type", async () => {
    recorder.clear();
    const common = {
      environment: "staging",
      dataClassification: "confidential" as const,
      tags: { costCentre: "ml-42" },
    };
    const vpc = new AwsVpc("net", {
      ...common,
      cidrBlock: "10.40.0.0/16",
      availabilityZones: ["eu-west-1a", "eu-west-1b"],
      natGateways: "perZone",
    });
    new AwsPrivateCluster("ai", {
      ...common,
      network: { vpcId: vpc.vpcId, cidrBlock: vpc.cidrBlock, privateSubnetIds: vpc.privateSubnetIds },
      admins: ["arn:aws:iam::123456789012:role/platform-admin"],
      endpointAccessCidrs: ["192.168.0.0/16"],
      placement: { region: "eu-west-1", jurisdiction: "EU" },
      kubernetesVersion: "1.34",
      nodeGroups: [{ name: "train", instanceTypes: ["p4d.24xlarge"], efa: true, maxSize: 2 }],
    });
    new AwsEncryptedBucket("data", {
      ...common,
      replication: {
        destinationBucketArn: "arn:aws:s3:::data-dr",
        destinationKmsKeyArn:
          "arn:aws:kms:eu-central-1:123456789012:key/dddddddd-1111-2222-3333-444444444444",
      },
    });
    await recorder.settle();
    const rs = recorder.resources;
    const checked = expectStandardTags(rs, {
      environment: "staging",
      "managed-by": "hybrid-ai-infra",
      "data-classification": "confidential",
      costCentre: "ml-42",
    });
    const taggableTypes = new Set(rs.filter((r) => r.custom && isTaggable(r.type)).map((r) => r.type));
    // The check is only as good as its reach: it covers the rule types too, not just the obvious ones.
    expect([...taggableTypes]).toEqual(
      expect.arrayContaining([
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        "aws:ec2/placementGroup:PlacementGroup",
        "aws:eks/accessEntry:AccessEntry",
        "aws:eks/addon:Addon",
        "aws:eks/podIdentityAssociation:PodIdentityAssociation",
        "aws:ec2/natGateway:NatGateway",
        "aws:ec2/flowLog:FlowLog",
        "aws:s3/bucket:Bucket",
      ]),
    );
    expect(checked).toBeGreaterThan(50);
    // And it knows an untaggable type when it sees one.
    expect(isTaggable("aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toBe(false);
    expect(isTaggable("aws:s3/bucketPolicy:BucketPolicy")).toBe(false);
  });
});
