import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type AwsClusterRef,
  AwsGpuNodeGroup,
  type AwsGpuNodeGroupArgs,
  AwsNodeGroup,
  type AwsNodeGroupArgs,
  AwsPrivateCluster,
} from "../../components/aws";
import { amiTypeFor } from "../../components/aws/internal";
import { isGpuGroup } from "../../components/aws/node-group";
import type { RecordedResource, Recorder } from "../../scripts/plan";
import { configErrorOf, expectStandardTags } from "../helpers/components";
import { descendants, ofType, one, resolved, startMocks } from "../helpers/mocks";

const CLUSTER: AwsClusterRef = {
  clusterName: "ai-dev",
  nodeRoleArn: "arn:aws:iam::123456789012:role/ai-node",
  privateSubnetIds: ["subnet-0a000000", "subnet-0b000000", "subnet-0c000000"],
  clusterSecurityGroupId: "sg-0c1554e7",
  vpcId: "vpc-0a1b2c3d",
};

const DISK_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const T = {
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  placementGroup: "aws:ec2/placementGroup:PlacementGroup",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  gpuGroup: "hybrid-ai-infra:index:AwsGpuNodeGroup",
  cpuGroup: "hybrid-ai-infra:index:AwsNodeGroup",
} as const;

interface Volume {
  deviceName: string;
  ebs: Record<string, unknown>;
}
interface Interface {
  deviceIndex: number;
  networkCardIndex: number;
  interfaceType?: string;
  associatePublicIpAddress?: string;
  securityGroups: string[];
}

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startMocks();
});

async function gpuGroup(
  name: string,
  extra: Partial<AwsGpuNodeGroupArgs> = {},
): Promise<{ group: AwsGpuNodeGroup; rs: RecordedResource[] }> {
  recorder.clear();
  const group = new AwsGpuNodeGroup(name, {
    cluster: CLUSTER,
    instanceTypes: ["g5.2xlarge"],
    maxSize: 4,
    ...extra,
  });
  await recorder.settle();
  return { group, rs: recorder.resources };
}

async function cpuGroup(
  name: string,
  extra: Partial<AwsNodeGroupArgs> = {},
): Promise<{ group: AwsNodeGroup; rs: RecordedResource[] }> {
  recorder.clear();
  const group = new AwsNodeGroup(name, {
    cluster: CLUSTER,
    instanceTypes: ["m7i.xlarge"],
    maxSize: 5,
    ...extra,
  });
  await recorder.settle();
  return { group, rs: recorder.resources };
}

describe("AMI types", () => {
  it.each([
    ["al2023", "x86_64", true, "AL2023_x86_64_NVIDIA"],
    ["al2023", "arm64", true, "AL2023_ARM_64_NVIDIA"],
    ["al2023", "x86_64", false, "AL2023_x86_64_STANDARD"],
    ["al2023", "arm64", false, "AL2023_ARM_64_STANDARD"],
    ["bottlerocket", "x86_64", true, "BOTTLEROCKET_x86_64_NVIDIA"],
    ["bottlerocket", "arm64", true, "BOTTLEROCKET_ARM_64_NVIDIA"],
    ["bottlerocket", "x86_64", false, "BOTTLEROCKET_x86_64"],
    ["bottlerocket", "arm64", false, "BOTTLEROCKET_ARM_64"],
  ] as const)("%s on %s (GPU %s) is %s", (os, arch, gpu, expected) => {
    expect(amiTypeFor(os, arch, gpu)).toBe(expected);
  });

  it.each([
    [["g5.2xlarge"], undefined, "AL2023_x86_64_NVIDIA"],
    [["g5g.2xlarge"], undefined, "AL2023_ARM_64_NVIDIA"],
    [["p5.48xlarge"], "bottlerocket", "BOTTLEROCKET_x86_64_NVIDIA"],
    [["g5g.xlarge"], "bottlerocket", "BOTTLEROCKET_ARM_64_NVIDIA"],
  ] as const)("a GPU group of %j on %s gets %s", async (instanceTypes, os, expected) => {
    const { group, rs } = await gpuGroup("ami", { instanceTypes: [...instanceTypes], ...(os ? { os } : {}) });
    expect(one(rs, T.nodeGroup, "ami").inputs.amiType).toBe(expected);
    expect(await resolved(group.amiType)).toBe(expected);
  });

  it.each([
    [["m7i.large"], undefined, "AL2023_x86_64_STANDARD"],
    [["m7g.large"], undefined, "AL2023_ARM_64_STANDARD"],
    [["c7i.xlarge"], "bottlerocket", "BOTTLEROCKET_x86_64"],
    [["m7g.xlarge"], "bottlerocket", "BOTTLEROCKET_ARM_64"],
  ] as const)("a CPU group of %j on %s gets %s", async (instanceTypes, os, expected) => {
    const { rs } = await cpuGroup("ami", { instanceTypes: [...instanceTypes], ...(os ? { os } : {}) });
    expect(one(rs, T.nodeGroup, "ami").inputs.amiType).toBe(expected);
  });
});

describe("AwsGpuNodeGroup on a cluster given by plain values", () => {
  let group: AwsGpuNodeGroup;
  let rs: RecordedResource[];

  beforeAll(async () => {
    ({ group, rs } = await gpuGroup("train", { capacityType: "SPOT", minSize: 1, maxSize: 8 }));
  });

  it("joins the cluster with the GPU taint, pool labels and spot capacity", () => {
    const ng = one(rs, T.nodeGroup, "train");
    expect(ng.parent).toBe(one(rs, T.gpuGroup, "train").urn);
    expect(ng.inputs).toMatchObject({
      clusterName: "ai-dev",
      nodeRoleArn: CLUSTER.nodeRoleArn,
      subnetIds: CLUSTER.privateSubnetIds,
      capacityType: "SPOT",
      instanceTypes: ["g5.2xlarge"],
      amiType: "AL2023_x86_64_NVIDIA",
      taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
      labels: {
        "hybrid-ai-infra.io/pool": "train",
        "hybrid-ai-infra.io/gpu-model": "A10G",
        "hybrid-ai-infra.io/trust": "public",
        "hybrid-ai-infra.io/capacity": "spot",
      },
      // A GPU node holds long-running work: replace one at a time.
      updateConfig: { maxUnavailable: 1 },
      nodeRepairConfig: { enabled: true },
    });
  });

  it("starts at its minimum and declares the count the autoscaler set afterwards, so it never fights it", () => {
    const ng = one(rs, T.nodeGroup, "train");
    // No group runs yet (a first up): the initial count. test/aws/node-group-scaling.test.ts
    // covers a later up, which reads the count back from the group's Auto Scaling group.
    expect(ng.inputs.scalingConfig).toEqual({ minSize: 1, desiredSize: 1, maxSize: 8 });
    // Ignoring the count would make a raised minSize fail: EKS refuses a minimum above the count.
    expect(ng.ignoreChanges).toEqual([]);
  });

  it("uses a launch template with IMDSv2 at hop limit 1, an encrypted fast gp3 volume and no public IP", () => {
    const template = one(rs, T.launchTemplate, "train");
    expect(template.parent).toBe(one(rs, T.gpuGroup, "train").urn);
    expect(template.inputs.metadataOptions).toEqual({
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: "disabled",
    });
    expect(template.inputs.blockDeviceMappings).toEqual([
      {
        deviceName: "/dev/xvda",
        ebs: {
          volumeSize: 200,
          volumeType: "gp3",
          encrypted: "true",
          deleteOnTermination: "true",
          throughput: 500,
          iops: 6000,
        },
      },
    ]);
    const interfaces = template.inputs.networkInterfaces as Interface[];
    expect(interfaces).toEqual([
      {
        deviceIndex: 0,
        networkCardIndex: 0,
        associatePublicIpAddress: "false",
        deleteOnTermination: "true",
        securityGroups: [CLUSTER.clusterSecurityGroupId],
      },
    ]);
    expect(template.inputs).not.toHaveProperty("placement");
    expect(template.inputs.updateDefaultVersion).toBe(true);
    const ng = one(rs, T.nodeGroup, "train");
    expect(ng.inputs.launchTemplate).toEqual({ id: expect.stringMatching(/^lt-/), version: "1" });
  });

  it("tags the instances, volumes and interfaces it launches", () => {
    const template = one(rs, T.launchTemplate, "train");
    const specs = template.inputs.tagSpecifications as {
      resourceType: string;
      tags: Record<string, string>;
    }[];
    expect(specs.map((s) => s.resourceType)).toEqual(["instance", "volume", "network-interface"]);
    for (const spec of specs) {
      expect(spec.tags).toEqual({
        environment: "dev",
        "managed-by": "hybrid-ai-infra",
        "data-classification": "internal",
        Name: "train",
        "hybrid-ai-infra.io/pool": "train",
      });
    }
    expect(expectStandardTags(rs)).toBe(2);
  });

  it("creates no EFA parts without efa, and nothing stateful", () => {
    expect(ofType(rs, T.placementGroup)).toEqual([]);
    expect(ofType(rs, T.sg)).toEqual([]);
    expect(rs.filter((r) => r.protect || r.retainOnDelete)).toEqual([]);
    expect(
      descendants(rs, one(rs, T.gpuGroup, "train").urn)
        .filter((r) => r.type !== "aws:autoscaling/tag:Tag")
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toEqual([`${T.nodeGroup} train`, `${T.launchTemplate} train`].sort());
  });

  it("offers placement a pool shaped like its smallest instance, at the spot share of the price", async () => {
    const pool = {
      name: "train",
      node: { cpu: 8, memoryGiB: 32, gpu: { count: 1, model: "A10G" } },
      minNodes: 1,
      maxNodes: 8,
      pricePerNodeHour: 0.4848,
      spot: true,
      labels: {
        "hybrid-ai-infra.io/pool": "train",
        "hybrid-ai-infra.io/gpu-model": "A10G",
        "hybrid-ai-infra.io/trust": "public",
        "hybrid-ai-infra.io/capacity": "spot",
      },
      taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
    };
    expect(group.placementPool).toEqual(pool);
    expect(await resolved(group.pool)).toEqual(pool);
    expect(one(rs, T.gpuGroup, "train").outputs).toMatchObject({
      pool,
      amiType: "AL2023_x86_64_NVIDIA",
      nodeGroupName: expect.stringMatching(/^train-/),
      nodeGroupArn: expect.stringMatching(/^arn:aws:eks:eu-west-1:123456789012:nodegroup\/ai-dev\/train-/),
    });
  });

  it("refuses types of different sizes: the autoscaler would plan an empty group by its first type (issue 19.5)", () => {
    const error = configErrorOf(
      () =>
        new AwsGpuNodeGroup("mixed", {
          cluster: CLUSTER,
          instanceTypes: ["g5.12xlarge", "g5.2xlarge"],
          maxSize: 2,
        }),
    );
    expect(error.message).toBe(
      'AwsGpuNodeGroup "mixed": instanceTypes[1]: "g5.2xlarge" (8 vCPU, 32 GiB, 1 GPU) is not the size of "g5.12xlarge" (48 vCPU, 192 GiB, 4 GPUs): Cluster Autoscaler plans a group by its first type, so an empty group would never start for work that fits only the larger one; list types of one size, or make another node group',
    );
  });

  it("takes types of one size, and prices the pool by the first (preferred) one", async () => {
    const { group } = await cpuGroup("same", { instanceTypes: ["m7i.xlarge", "m6i.xlarge"], maxSize: 2 });
    expect(group.placementPool?.node).toEqual({ cpu: 4, memoryGiB: 16 });
    expect(group.placementPool?.pricePerNodeHour).toBe(0.2016);
  });
});

describe("AwsGpuNodeGroup options", () => {
  it("keeps Bottlerocket's OS on a small baseline volume and images on an encrypted data volume", async () => {
    const { rs } = await gpuGroup("br", {
      os: "bottlerocket",
      diskSizeGiB: 300,
      diskKmsKeyArn: DISK_KEY,
    });
    const volumes = one(rs, T.launchTemplate, "br").inputs.blockDeviceMappings as Volume[];
    const common = {
      volumeType: "gp3",
      encrypted: "true",
      deleteOnTermination: "true",
      kmsKeyId: DISK_KEY,
    };
    expect(volumes).toEqual([
      // gp3 allows 500 IOPS per GiB above its 3000 baseline: a 4 GiB volume stays at baseline.
      { deviceName: "/dev/xvda", ebs: { ...common, volumeSize: 4, iops: 3000, throughput: 125 } },
      { deviceName: "/dev/xvdb", ebs: { ...common, volumeSize: 300, iops: 6000, throughput: 500 } },
    ]);
  });

  it("lets EC2 Auto Scaling use a given volume key through a grant the node group waits for", async () => {
    const { rs } = await gpuGroup("keyed", { diskKmsKeyArn: DISK_KEY });
    const grant = one(rs, "aws:kms/grant:Grant", "keyed-disk-key");
    expect(grant.inputs).toMatchObject({
      keyId: DISK_KEY,
      granteePrincipal:
        "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
    });
    expect([...(grant.inputs.operations as string[])].sort()).toEqual([
      "CreateGrant",
      "Decrypt",
      "DescribeKey",
      "Encrypt",
      "GenerateDataKey",
      "GenerateDataKeyWithoutPlaintext",
      "ReEncryptFrom",
      "ReEncryptTo",
    ]);
    expect(one(rs, T.nodeGroup, "keyed").dependsOn).toContain(grant.urn);
    const { rs: plain } = await gpuGroup("unkeyed");
    expect(ofType(plain, "aws:kms/grant:Grant")).toEqual([]);
  });

  it("refuses a volume key that is not a KMS key ARN, before anything is registered", () => {
    for (const arn of [
      "arn:aws:iam::123456789012:role/ebs",
      "arn:aws:kms:eu-west-1:123456789012:alias/ebs",
      "arn:aws:kms:eu-west-1:123456789012:key/ebs",
    ]) {
      const error = configErrorOf(
        () =>
          new AwsGpuNodeGroup("badkey", {
            cluster: CLUSTER,
            instanceTypes: ["g5.xlarge"],
            maxSize: 2,
            diskKmsKeyArn: arn,
          }),
      );
      expect(error.message).toContain(`diskKmsKeyArn: "${arn}" is not a KMS key ARN`);
    }
  });

  it("keeps every volume within gp3's IOPS and throughput limits", async () => {
    for (const [name, extra] of [
      ["small-al", { diskSizeGiB: 20 }],
      ["small-br", { os: "bottlerocket", diskSizeGiB: 20 }],
    ] as const) {
      const { rs } = await gpuGroup(name, extra);
      for (const v of one(rs, T.launchTemplate, name).inputs.blockDeviceMappings as Volume[]) {
        const { volumeSize, iops, throughput } = v.ebs as {
          volumeSize: number;
          iops: number;
          throughput: number;
        };
        expect(iops).toBeLessThanOrEqual(Math.max(3000, 500 * volumeSize));
        expect(throughput).toBeLessThanOrEqual(Math.max(125, 0.25 * iops));
      }
    }
  });

  it("gives nodes public IPs, a private trust label, extra labels and taints only when asked", async () => {
    const { rs, group } = await gpuGroup("lab", {
      publicIp: true,
      trust: "private",
      poolName: "lab-gpu",
      labels: { team: "research", "hybrid-ai-infra.io/pool": "spoofed" },
      taints: [{ key: "dedicated", value: "research", effect: "NoExecute" }],
      desiredSize: 2,
      maxSize: 3,
    });
    const template = one(rs, T.launchTemplate, "lab");
    expect((template.inputs.networkInterfaces as Interface[])[0]?.associatePublicIpAddress).toBe("true");
    const ng = one(rs, T.nodeGroup, "lab");
    expect(ng.inputs.labels).toEqual({
      team: "research",
      "hybrid-ai-infra.io/pool": "lab-gpu",
      "hybrid-ai-infra.io/gpu-model": "A10G",
      "hybrid-ai-infra.io/trust": "private",
      "hybrid-ai-infra.io/capacity": "on-demand",
      // Cluster Autoscaler's hint that a starting node has GPUs before its device plugin says so.
      "k8s.amazonaws.com/accelerator": "nvidia-a10g",
    });
    expect(ng.inputs.taints).toEqual([
      { key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" },
      { key: "dedicated", value: "research", effect: "NO_EXECUTE" },
    ]);
    expect(ng.inputs.scalingConfig).toEqual({ minSize: 0, desiredSize: 2, maxSize: 3 });
    expect(ng.inputs.capacityType).toBe("ON_DEMAND");
    expect(group.placementPool.taints).toEqual([
      { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" },
      { key: "dedicated", value: "research", effect: "NoExecute" },
    ]);
  });

  it("pins EFA nodes to one subnet and a cluster placement group, with a self-referencing security group", async () => {
    const { rs } = await gpuGroup("efa", { instanceTypes: ["p4d.24xlarge"], efa: true, maxSize: 4 });
    const placement = one(rs, T.placementGroup, "efa-placement");
    expect(placement.inputs.strategy).toBe("cluster");
    const sg = one(rs, T.sg, "efa-efa");
    expect(sg.inputs.vpcId).toBe(CLUSTER.vpcId);
    const ingress = one(rs, T.ingress, "efa-efa-in");
    const egress = one(rs, T.egress, "efa-efa-out");
    for (const rule of [ingress, egress]) {
      expect(rule.inputs).toMatchObject({ ipProtocol: "-1" });
      expect(rule.inputs.referencedSecurityGroupId).toBe(rule.inputs.securityGroupId);
      expect(rule.inputs).not.toHaveProperty("cidrIpv4");
    }
    const efaSgId = ingress.inputs.securityGroupId;
    expect(egress.inputs.securityGroupId).toBe(efaSgId);

    const template = one(rs, T.launchTemplate, "efa");
    expect(template.inputs.placement).toEqual({ groupName: expect.stringMatching(/^efa-placement-/) });
    const interfaces = template.inputs.networkInterfaces as Interface[];
    // p4d.24xlarge has four network cards: one EFA interface on each.
    expect(interfaces.map((i) => [i.networkCardIndex, i.deviceIndex, i.interfaceType])).toEqual([
      [0, 0, "efa"],
      [1, 1, "efa"],
      [2, 1, "efa"],
      [3, 1, "efa"],
    ]);
    for (const i of interfaces) {
      expect(i.securityGroups).toEqual([CLUSTER.clusterSecurityGroupId, efaSgId]);
      // EC2 rejects associatePublicIpAddress on a launch template with several interfaces.
      expect(i).not.toHaveProperty("associatePublicIpAddress");
    }
    expect(one(rs, T.nodeGroup, "efa").inputs.subnetIds).toEqual(["subnet-0a000000"]);
    expect(expectStandardTags(rs)).toBe(6);
  });

  it("puts an EFA group in the cluster's subnet of the zone it names", async () => {
    const zoned = { ...CLUSTER, privateSubnetZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] };
    const { rs } = await gpuGroup("zoned", {
      cluster: zoned,
      instanceTypes: ["p5.48xlarge"],
      efa: true,
      efaZone: "eu-west-1b",
    });
    expect(one(rs, T.nodeGroup, "zoned").inputs.subnetIds).toEqual(["subnet-0b000000"]);
  });

  it("refuses an EFA zone it cannot place: no zones known, with a subnet too, or without efa", () => {
    const base = { instanceTypes: ["p5.48xlarge"], maxSize: 2 };
    const noZones = configErrorOf(
      () => new AwsGpuNodeGroup("nozones", { ...base, cluster: CLUSTER, efa: true, efaZone: "eu-west-1b" }),
    );
    expect(noZones.message).toContain(
      'efaZone: "eu-west-1b" cannot be matched to a subnet: the cluster gives no privateSubnetZones',
    );
    const zoned = { ...CLUSTER, privateSubnetZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] };
    const both = configErrorOf(
      () =>
        new AwsGpuNodeGroup("both", {
          ...base,
          cluster: zoned,
          efa: true,
          efaZone: "eu-west-1b",
          efaSubnetId: "subnet-0b000000",
        }),
    );
    expect(both.message).toContain("efaSubnetId: cannot go with efaZone");
    const noEfa = configErrorOf(
      () => new AwsGpuNodeGroup("noefa", { ...base, cluster: zoned, efaZone: "eu-west-1b" }),
    );
    expect(noEfa.message).toContain("efaZone: only applies with efa: true");
  });

  it("attaches as many EFA interfaces as the instance has network cards, in the subnet asked for", async () => {
    const { rs } = await gpuGroup("h100", {
      instanceTypes: ["p5.48xlarge"],
      efa: true,
      efaSubnetId: "subnet-0c000000",
      maxSize: 2,
    });
    const interfaces = one(rs, T.launchTemplate, "h100").inputs.networkInterfaces as Interface[];
    expect(interfaces).toHaveLength(32);
    expect(interfaces.map((i) => i.networkCardIndex)).toEqual([...Array(32).keys()]);
    expect(one(rs, T.nodeGroup, "h100").inputs.subnetIds).toEqual(["subnet-0c000000"]);
    // A type without a row in the interface table gets one EFA interface, which says "no public IP".
    const { rs: g5 } = await gpuGroup("g5efa", { instanceTypes: ["g5.48xlarge"], efa: true, maxSize: 2 });
    const single = one(g5, T.launchTemplate, "g5efa").inputs.networkInterfaces as Interface[];
    expect(single.map((i) => [i.interfaceType, i.associatePublicIpAddress])).toEqual([["efa", "false"]]);
  });

  it("takes the EFA interface count from every listed type, not the first alone", async () => {
    // p4d and p4de both have four network cards: one template fits both.
    const { rs } = await gpuGroup("a100", {
      instanceTypes: ["p4d.24xlarge", "p4de.24xlarge"],
      efa: true,
      maxSize: 2,
    });
    expect(one(rs, T.launchTemplate, "a100").inputs.networkInterfaces).toHaveLength(4);
  });

  it("accepts cluster outputs as inputs", async () => {
    const { rs } = await gpuGroup("outputs", {
      cluster: {
        ...CLUSTER,
        clusterName: pulumi.output("from-stack-ref"),
        privateSubnetIds: pulumi.output(["subnet-08000000", "subnet-09000000"]),
      },
      efa: true,
      instanceTypes: ["g6.12xlarge"],
    });
    const ng = one(rs, T.nodeGroup, "outputs");
    expect(ng.inputs.clusterName).toBe("from-stack-ref");
    expect(ng.inputs.subnetIds).toEqual(["subnet-08000000"]);
  });
});

describe("AwsNodeGroup", () => {
  it("runs services on on-demand nodes with no taints, IMDSv2 and an encrypted baseline gp3 volume", async () => {
    const { group, rs } = await cpuGroup("svc");
    const ng = one(rs, T.nodeGroup, "svc");
    expect(ng.inputs).toMatchObject({
      capacityType: "ON_DEMAND",
      amiType: "AL2023_x86_64_STANDARD",
      scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 5 },
      taints: [],
      labels: {
        "hybrid-ai-infra.io/pool": "svc",
        "hybrid-ai-infra.io/trust": "public",
        "hybrid-ai-infra.io/capacity": "on-demand",
      },
      updateConfig: { maxUnavailablePercentage: 33 },
    });
    expect(ng.inputs.labels).not.toHaveProperty("hybrid-ai-infra.io/gpu-model");
    expect(ng.ignoreChanges).toEqual([]);
    const template = one(rs, T.launchTemplate, "svc");
    expect(template.inputs.metadataOptions).toMatchObject({
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
    });
    expect(template.inputs.blockDeviceMappings).toEqual([
      {
        deviceName: "/dev/xvda",
        ebs: {
          volumeSize: 100,
          volumeType: "gp3",
          encrypted: "true",
          deleteOnTermination: "true",
          throughput: 125,
          iops: 3000,
        },
      },
    ]);
    expect(group.placementPool).toEqual({
      name: "svc",
      node: { cpu: 4, memoryGiB: 16 },
      minNodes: 1,
      maxNodes: 5,
      pricePerNodeHour: 0.2016,
      spot: false,
      labels: ng.inputs.labels,
      taints: [],
    });
    expect(await resolved(group.pool)).toEqual(group.placementPool);
  });

  it("as a system group, carries the CriticalAddonsOnly taint and offers placement no pool", async () => {
    const { group, rs } = await cpuGroup("sys", { system: true, minSize: 2, maxSize: 3 });
    expect(one(rs, T.nodeGroup, "sys").inputs.taints).toEqual([
      { key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" },
    ]);
    expect(group.placementPool).toBeUndefined();
    expect(await resolved(group.pool)).toBeUndefined();
  });
});

describe("node groups declared by a cluster", () => {
  it("join that cluster's name, node role, subnets and security group, after its add-ons", async () => {
    recorder.clear();
    const cluster = new AwsPrivateCluster("ai", {
      network: {
        vpcId: "vpc-0a1b2c3d",
        cidrBlock: "10.20.0.0/16",
        privateSubnetIds: ["subnet-0a000000", "subnet-0b000000"],
      },
      admins: ["arn:aws:iam::123456789012:role/platform-admin"],
      placement: { region: "eu-west-1", jurisdiction: "EU" },
      kubernetesVersion: "1.34",
      nodeGroups: [
        { name: "arm", instanceTypes: ["g5g.2xlarge"], os: "bottlerocket", maxSize: 2 },
        { name: "train", instanceTypes: ["p5.48xlarge"], capacityType: "SPOT", efa: true, maxSize: 2 },
      ],
    });
    await recorder.settle();
    const rs = recorder.resources;
    const nodeRoleArn = await resolved(cluster.nodeRoleArn);
    const clusterSg = await resolved(cluster.clusterSecurityGroupId);
    const addons = ofType(rs, "aws:eks/addon:Addon").filter((a) => a.inputs.addonName !== "coredns");
    for (const pool of ["arm", "train"]) {
      const component = one(rs, T.gpuGroup, `ai-${pool}`);
      expect(component.parent).toBe(one(rs, "hybrid-ai-infra:index:AwsPrivateCluster", "ai").urn);
      expect(component.dependsOn).toEqual(expect.arrayContaining(addons.map((a) => a.urn)));
      const ng = one(rs, T.nodeGroup, `ai-${pool}`);
      expect(ng.inputs).toMatchObject({ clusterName: "ai-dev", nodeRoleArn });
      const template = one(rs, T.launchTemplate, `ai-${pool}`);
      expect((template.inputs.networkInterfaces as Interface[])[0]?.securityGroups[0]).toBe(clusterSg);
      expect(template.inputs.metadataOptions).toMatchObject({
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      });
    }
    expect(one(rs, T.nodeGroup, "ai-arm").inputs).toMatchObject({
      amiType: "BOTTLEROCKET_ARM_64_NVIDIA",
      subnetIds: ["subnet-0a000000", "subnet-0b000000"],
    });
    expect(
      (one(rs, T.launchTemplate, "ai-arm").inputs.blockDeviceMappings as Volume[]).map((v) => v.deviceName),
    ).toEqual(["/dev/xvda", "/dev/xvdb"]);
    expect(one(rs, T.nodeGroup, "ai-train").inputs).toMatchObject({
      amiType: "AL2023_x86_64_NVIDIA",
      capacityType: "SPOT",
      subnetIds: ["subnet-0a000000"],
    });
    expect(one(rs, T.placementGroup, "ai-train-placement").inputs.strategy).toBe("cluster");
    expect(ofType(rs, T.placementGroup)).toHaveLength(1);
  });
});

describe("node group validation", () => {
  const gpuCases: [string, Partial<AwsGpuNodeGroupArgs>, string][] = [
    [
      "a CPU type",
      { instanceTypes: ["m5.large"] },
      'instanceTypes[0]: "m5.large" has no GPU; pick one of g4dn.*, g5.*, g5g.*, g6.*, g6e.*, gr6.*, p4d.*, p4de.*, p5.*, p5e.*, p5en.*',
    ],
    [
      "a misspelled GPU type, as unknown with the closest name (issue 27.5)",
      { instanceTypes: ["g5.2xlarg"] },
      'instanceTypes[0]: "g5.2xlarg" is not a known instance type (facts as of 2026-11). Did you mean "g5.2xlarge"? GPU pools take g4dn.*, g5.*, g5g.*, g6.*, g6e.*, gr6.*, p4d.*, p4de.*, p5.*, p5e.*, p5en.*, general-purpose pools m7i.*, m6i.*, m7g.*, c7i.*, r7i.*',
    ],
    [
      "a size its GPU family does not have, as unknown",
      { instanceTypes: ["g6.3xlarge"] },
      'instanceTypes[0]: "g6.3xlarge" is not a known instance type (facts as of 2026-11). Did you mean "g6.xlarge"? GPU pools take g4dn.*, g5.*, g5g.*, g6.*, g6e.*, gr6.*, p4d.*, p4de.*, p5.*, p5e.*, p5en.*, general-purpose pools m7i.*, m6i.*, m7g.*, c7i.*, r7i.*',
    ],
    [
      "two GPU models",
      { instanceTypes: ["g5.2xlarge", "g6.2xlarge"] },
      'instanceTypes: ["g5.2xlarge","g6.2xlarge"] mixes GPU models A10G, L4; placement matches one model per pool, so split them',
    ],
    [
      "two architectures",
      { instanceTypes: ["g5.2xlarge", "g5g.2xlarge"] },
      'instanceTypes: ["g5.2xlarge","g5g.2xlarge"] mixes x86_64 and arm64 types; one node group runs one AMI, so use one architecture',
    ],
    [
      "EFA on a small size",
      { instanceTypes: ["g6.xlarge"], efa: true },
      'instanceTypes[0]: "g6.xlarge" does not support EFA; use a larger size (e.g. g6.8xlarge or up) or turn efa off',
    ],
    [
      "an EFA subnet without EFA",
      { efaSubnetId: "subnet-0a000000" },
      "efaSubnetId: only applies with efa: true",
    ],
    [
      "EFA types of different sizes (and interface counts)",
      { instanceTypes: ["p5.48xlarge", "p5.4xlarge"], efa: true },
      'instanceTypes[1]: "p5.4xlarge" (16 vCPU, 256 GiB, 1 GPU) is not the size of "p5.48xlarge" (192 vCPU, 2048 GiB, 8 GPUs): Cluster Autoscaler plans a group by its first type, so an empty group would never start for work that fits only the larger one; list types of one size, or make another node group',
    ],
    [
      "public IPs with EFA",
      { instanceTypes: ["g5.48xlarge"], efa: true, publicIp: true },
      "publicIp: true cannot go with efa: EFA nodes talk to each other inside one placement group, and EC2 gives no public IP to an instance with several network interfaces; drop publicIp or turn efa off",
    ],
    ["desired above max", { desiredSize: 9 }, "desiredSize: 9 must lie between minSize 0 and maxSize 4"],
    [
      "no instance types",
      { instanceTypes: [] },
      "instanceTypes: [] is too small: expected array to have >=1 items",
    ],
    [
      "an unknown capacity type",
      { capacityType: "RESERVED" as "SPOT" },
      'capacityType: "RESERVED" is not valid; use one of "ON_DEMAND", "SPOT"',
    ],
    [
      "a taint with an unknown effect",
      { taints: [{ key: "dedicated", value: "x", effect: "NoEntry" as "NoSchedule" }] },
      'taints[0].effect: "NoEntry" is not valid; use one of "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ],
    [
      "a label key with spaces",
      { labels: { "my label": "x" } },
      'labels["my label"]: "my label" is not a Kubernetes label key',
    ],
    [
      "a cluster ref without a security group id",
      { cluster: { ...CLUSTER, clusterSecurityGroupId: "cluster-sg" } },
      'cluster.clusterSecurityGroupId: "cluster-sg" is not a security group id (sg- and 8 or 17 hex digits, e.g. sg-0a1b2c3d4e5f67890)',
    ],
  ];

  it.each(gpuCases)("AwsGpuNodeGroup rejects %s, registering nothing", async (_, extra, detail) => {
    recorder.clear();
    const error = configErrorOf(
      () =>
        new AwsGpuNodeGroup("train", {
          cluster: CLUSTER,
          instanceTypes: ["g5.2xlarge"],
          maxSize: 4,
          ...extra,
        }),
    );
    expect(error.message).toBe(`AwsGpuNodeGroup "train": ${detail}`);
    await recorder.settle();
    expect(recorder.resources).toEqual([]);
  });

  it("AwsGpuNodeGroup names the exact problem in the documented words", () => {
    expect(
      () => new AwsGpuNodeGroup("train", { cluster: CLUSTER, instanceTypes: ["m5.large"], maxSize: 2 }),
    ).toThrowError(
      'AwsGpuNodeGroup "train": instanceTypes[0]: "m5.large" has no GPU; pick one of g4dn.*, g5.*, g5g.*, g6.*, g6e.*, gr6.*, p4d.*, p4de.*, p5.*, p5e.*, p5en.*',
    );
  });

  it.each([
    [
      "a GPU type",
      { instanceTypes: ["g5.xlarge"] },
      'AwsNodeGroup "svc": instanceTypes[0]: "g5.xlarge" is a GPU type; put it in a GPU node group, or pick one of m7i.*, m6i.*, m7g.*, c7i.*, r7i.*',
    ],
    [
      "an unknown type",
      { instanceTypes: ["t3.micro"] },
      'AwsNodeGroup "svc": instanceTypes[0]: "t3.micro" is not in the instance facts; general-purpose pools take m7i.*, m6i.*, m7g.*, c7i.*, r7i.*, GPU pools g4dn.*, g5.*, g5g.*, g6.*, g6e.*, gr6.*, p4d.*, p4de.*, p5.*, p5e.*, p5en.*',
    ],
    [
      "a misspelled type, as unknown with the closest name",
      { instanceTypes: ["m7i.xlarg"] },
      'AwsNodeGroup "svc": instanceTypes[0]: "m7i.xlarg" is not a known instance type (facts as of 2026-11). Did you mean "m7i.xlarge"? GPU pools take g4dn.*, g5.*, g5g.*, g6.*, g6e.*, gr6.*, p4d.*, p4de.*, p5.*, p5e.*, p5en.*, general-purpose pools m7i.*, m6i.*, m7g.*, c7i.*, r7i.*',
    ],
    ["min above max", { minSize: 6, maxSize: 5 }, 'AwsNodeGroup "svc": minSize: 6 is above maxSize 5'],
    [
      "a pool name with capitals",
      { poolName: "Services" },
      'AwsNodeGroup "svc": poolName: "Services" must be lower-case letters, digits and dashes (at most 40)',
    ],
  ] as [string, Partial<AwsNodeGroupArgs>, string][])(
    "AwsNodeGroup rejects %s",
    async (_, extra, message) => {
      recorder.clear();
      const error = configErrorOf(
        () =>
          new AwsNodeGroup("svc", { cluster: CLUSTER, instanceTypes: ["m7i.xlarge"], maxSize: 5, ...extra }),
      );
      expect(error.message).toBe(message);
      await recorder.settle();
      expect(recorder.resources).toEqual([]);
    },
  );
});

describe("isGpuGroup", () => {
  it("calls a group with any GPU type a GPU pool, so validation names its other types", () => {
    expect(isGpuGroup(["g5.xlarge", "g5.2xlarge"])).toBe(true);
    expect(isGpuGroup(["g5.xlarge", "m5.large"])).toBe(true);
    expect(isGpuGroup(["m7i.large", "m6i.large"])).toBe(false);
    expect(isGpuGroup(["t3.micro"])).toBe(false);
    expect(isGpuGroup([])).toBe(false);
  });
});
