// A later `pulumi up` of managed node groups whose Auto Scaling groups already run: the declared
// count is the live one, moved into the declared bounds, so the autoscaler is never fought and a
// raised minimum applies (EKS refuses a minimum above the desired count).
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type AwsClusterRef, AwsGpuNodeGroup, AwsNodeGroup } from "../../components/aws";
import { autoNamePattern, clampDesiredSize } from "../../components/aws/node-group";
import type { Recorder } from "../../scripts/plan";
import { one, startMocks } from "../helpers/mocks";

const CLUSTER: AwsClusterRef = {
  clusterName: "ai-prod",
  nodeRoleArn: "arn:aws:iam::123456789012:role/ai-node",
  privateSubnetIds: ["subnet-0a000000", "subnet-0b000000", "subnet-0c000000"],
  clusterSecurityGroupId: "sg-0c1554e7",
  vpcId: "vpc-0a1b2c3d",
};
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

/** An Auto Scaling group EKS made for node group `nodeGroupName` in `clusterName`. */
function running(nodeGroupName: string, desiredCapacity: number, clusterName = "ai-prod") {
  return {
    name: `eks-${nodeGroupName}-0`,
    clusterName,
    nodeGroupName,
    minSize: 0,
    maxSize: 10,
    desiredCapacity,
  };
}

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startMocks({
    cloud: {
      autoScalingGroups: [
        running("train-0a1b2c3", 3),
        running("train-big-0a1b2c3", 9),
        running("serve-4d5e6f7", 7),
        running("batch-8a9b0c1", 2),
        // Same pool name in another cluster: not ours.
        running("idle-1a2b3c4", 6, "ai-other"),
      ],
    },
  });
});

async function scalingOf(_group: AwsGpuNodeGroup | AwsNodeGroup, name: string) {
  await recorder.settle();
  return one(recorder.resources, NODE_GROUP, name).inputs.scalingConfig;
}

describe("a node group that already runs", () => {
  it("declares the count the autoscaler set, not the initial one", async () => {
    const group = new AwsGpuNodeGroup("train", {
      cluster: CLUSTER,
      instanceTypes: ["g5.xlarge"],
      minSize: 0,
      desiredSize: 1,
      maxSize: 8,
    });
    // train-big's group matches the prefix "train-" but not the auto-name of "train".
    expect(await scalingOf(group, "train")).toEqual({ minSize: 0, desiredSize: 3, maxSize: 8 });
  });

  it("raises the count to a raised minimum, so EKS accepts the new bounds", async () => {
    const group = new AwsNodeGroup("batch", {
      cluster: CLUSTER,
      instanceTypes: ["m7i.large"],
      minSize: 4,
      maxSize: 6,
    });
    expect(await scalingOf(group, "batch")).toEqual({ minSize: 4, desiredSize: 4, maxSize: 6 });
  });

  it("lowers the count to a lowered maximum", async () => {
    const group = new AwsNodeGroup("serve", {
      cluster: CLUSTER,
      instanceTypes: ["m7i.large"],
      minSize: 1,
      maxSize: 5,
    });
    expect(await scalingOf(group, "serve")).toEqual({ minSize: 1, desiredSize: 5, maxSize: 5 });
  });

  it("starts a group that does not run yet (or runs only in another cluster) at its initial count", async () => {
    const group = new AwsNodeGroup("idle", {
      cluster: CLUSTER,
      instanceTypes: ["m7i.large"],
      minSize: 1,
      desiredSize: 2,
      maxSize: 5,
    });
    expect(await scalingOf(group, "idle")).toEqual({ minSize: 1, desiredSize: 2, maxSize: 5 });
  });
});

describe("the desired count", () => {
  it("is the live count (or the initial one) kept within [minSize, maxSize]", () => {
    fc.assert(
      fc.property(
        fc.nat(50),
        fc.nat(50),
        fc.nat(50),
        fc.option(fc.nat(100), { nil: undefined }),
        (a, b, initial, live) => {
          const [minSize, maxSize] = a <= b ? [a, b] : [b, a];
          const desired = clampDesiredSize(live, { initial, minSize, maxSize });
          expect(desired).toBeGreaterThanOrEqual(minSize);
          expect(desired).toBeLessThanOrEqual(maxSize);
          const wanted = live ?? initial;
          if (wanted >= minSize && wanted <= maxSize) expect(desired).toBe(wanted);
        },
      ),
    );
  });

  it("belongs to a group only by its exact auto-name", () => {
    const ours = autoNamePattern("gpu");
    expect(ours.test("gpu-0a1b2c3")).toBe(true);
    expect(ours.test("gpu-a-0a1b2c3")).toBe(false);
    expect(ours.test("xgpu-0a1b2c3")).toBe(false);
    expect(autoNamePattern("a.b").test("axb-0a1b2c3")).toBe(false);
  });
});
