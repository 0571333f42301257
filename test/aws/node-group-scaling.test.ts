// A later `pulumi up` of managed node groups that already run: the declared count is the one EKS
// reports now (the autoscaler's), moved into the declared bounds, so the autoscaler is never fought,
// a raised minimum applies (EKS refuses a minimum above the desired count), and the group is found by
// its pool label whatever Pulumi's auto-naming called it (issue 19, point 6).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type AwsClusterRef, AwsGpuNodeGroup, AwsNodeGroup } from "../../components/aws";
import { clampDesiredSize } from "../../components/aws/node-group";
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

/** A node group EKS runs for pool `pool` under `nodeGroupName`, at `desiredSize` nodes. */
function running(pool: string, nodeGroupName: string, desiredSize: number, clusterName = "ai-prod") {
  return {
    clusterName,
    nodeGroupName,
    labels: { "hybrid-ai-infra.io/pool": pool, "hybrid-ai-infra.io/trust": "public" },
    minSize: 0,
    maxSize: 10,
    desiredSize,
  };
}

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startMocks({
    cloud: {
      nodeGroups: [
        running("train", "train-0a1b2c3", 3),
        // Pool "train-big" carries its own label: its name starting with "train" does not matter.
        running("train-big", "train-big-0a1b2c3", 9),
        running("serve", "serve-4d5e6f7", 7),
        running("batch", "batch-8a9b0c1", 2),
        // A project autoname pattern (`pulumi:autonaming`) named this one: the label still finds it.
        running("infer", "prod-ai-infer-eu", 5),
        // The same pool in another cluster: not ours.
        running("idle", "idle-1a2b3c4", 6, "ai-other"),
        // A replacement under way: two groups carry the pool, the larger count wins.
        running("swap", "swap-1111111", 2),
        running("swap", "swap-2222222", 6),
      ],
    },
  });
});

async function scalingOf(name: string) {
  await recorder.settle();
  return one(recorder.resources, NODE_GROUP, name).inputs.scalingConfig;
}

describe("a node group that already runs", () => {
  it("declares the count the autoscaler set, not the initial one", async () => {
    new AwsGpuNodeGroup("train", {
      cluster: CLUSTER,
      instanceTypes: ["g5.xlarge"],
      minSize: 0,
      desiredSize: 1,
      maxSize: 8,
    });
    expect(await scalingOf("train")).toEqual({ minSize: 0, desiredSize: 3, maxSize: 8 });
  });

  it("finds its group by the pool label, whatever name auto-naming gave it, so it never resets to zero", async () => {
    new AwsGpuNodeGroup("infer", { cluster: CLUSTER, instanceTypes: ["g5.xlarge"], maxSize: 8 });
    expect(await scalingOf("infer")).toEqual({ minSize: 0, desiredSize: 5, maxSize: 8 });
  });

  it("raises the count to a raised minimum, so EKS accepts the new bounds", async () => {
    new AwsNodeGroup("batch", { cluster: CLUSTER, instanceTypes: ["m7i.large"], minSize: 4, maxSize: 6 });
    expect(await scalingOf("batch")).toEqual({ minSize: 4, desiredSize: 4, maxSize: 6 });
  });

  it("lowers the count only to a lowered maximum", async () => {
    new AwsNodeGroup("serve", { cluster: CLUSTER, instanceTypes: ["m7i.large"], minSize: 1, maxSize: 5 });
    expect(await scalingOf("serve")).toEqual({ minSize: 1, desiredSize: 5, maxSize: 5 });
  });

  it("starts a replacement as large as the largest group of its pool", async () => {
    new AwsNodeGroup("swap", { cluster: CLUSTER, instanceTypes: ["m7i.large"], minSize: 1, maxSize: 8 });
    expect(await scalingOf("swap")).toEqual({ minSize: 1, desiredSize: 6, maxSize: 8 });
  });

  it("starts a group that does not run yet (or runs only in another cluster) at its initial count", async () => {
    new AwsNodeGroup("idle", {
      cluster: CLUSTER,
      instanceTypes: ["m7i.large"],
      minSize: 1,
      desiredSize: 2,
      maxSize: 5,
    });
    expect(await scalingOf("idle")).toEqual({ minSize: 1, desiredSize: 2, maxSize: 5 });
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
          // Never below a live count the bounds allow: only a lowered maximum lowers it.
          if (live !== undefined && live <= maxSize) expect(desired).toBeGreaterThanOrEqual(live);
        },
      ),
    );
  });
});

describe("the platform project", () => {
  // Without a refresh the state keeps the count of the last update: the next `up` would show the
  // autoscaler's count as a change of every group it resized, though it sends what already runs.
  it("refreshes before every preview and update, so the state holds the autoscaler's counts", () => {
    const project = parse(readFileSync(resolve(__dirname, "../../Pulumi.yaml"), "utf8")) as {
      options?: { refresh?: string };
    };
    expect(project.options?.refresh).toBe("always");
  });
});
