// What keeps an EKS cluster and its node groups right after the first `up` (issues 19, 24, 25):
// generated names within the services' limits, the empty group's autoscaler template, add-on
// versions that move only with the config, the service-linked role a disk-key grant needs,
// images the nodes can pull, a team's own GPU group's device plugin, and strict network policies.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  type AwsClusterRef,
  AwsGpuNodeGroup,
  AwsPrivateCluster,
  type AwsPrivateClusterArgs,
  AwsWorkloadIdentity,
} from "../../components/aws";
import { firstHost } from "../../components/aws/cluster";
import type { Recorder } from "../../scripts/plan";
import { configErrorOf } from "../helpers/components";
import { ofType, one, resolved, startMocks } from "../helpers/mocks";

const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
const BASE: AwsPrivateClusterArgs = {
  network: {
    vpcId: "vpc-0a1b2c3d4e5f60718",
    cidrBlock: "10.20.0.0/16",
    privateSubnetIds: ["subnet-0a000000", "subnet-0b000000", "subnet-0c000000"],
  },
  kubernetesVersion: "1.34",
  admins: [ADMIN],
  placement: { region: "eu-west-1", jurisdiction: "EU" },
};
const CLUSTER: AwsClusterRef = {
  clusterName: "ai-prod",
  nodeRoleArn: "arn:aws:iam::123456789012:role/ai-node",
  privateSubnetIds: ["subnet-0a000000", "subnet-0b000000"],
  clusterSecurityGroupId: "sg-0c1554e7",
  vpcId: "vpc-0a1b2c3d",
};
const TAG = "aws:autoscaling/tag:Tag";

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startMocks({
    cloud: {
      // A later `up`: kube-proxy's version was recorded when the cluster was created, and EKS's
      // default for 1.34 has moved on since.
      stashes: { "life-kube-proxy-version": "v1.34.0-eksbuild.1" },
    },
  });
});

async function settled() {
  await recorder.settle();
  return recorder.resources;
}

describe("generated names within each service's limit (issue 25.5)", () => {
  it("refuses a cluster whose name makes an IAM role name over 64 characters, before registering anything", async () => {
    recorder.clear();
    const name = "machine-learning-platform-europe-west-01";
    const error = configErrorOf(() => new AwsPrivateCluster(name, BASE));
    expect(error.message).toContain(
      `the component name gives the IAM role name "${name}-cluster-autoscaler-xxxxxxx" (${name.length + 27} characters, the last seven random), over the 64 IAM CreateRole, RoleName allows; shorten it by ${name.length + 27 - 64}`,
    );
    expect(await settled()).toEqual([]);
  });

  it("refuses a pool whose name makes the EKS node group name over 63, at the pool's name", async () => {
    const pool = "p".repeat(40);
    const error = configErrorOf(
      () =>
        new AwsPrivateCluster("ml-platform-eu1", {
          ...BASE,
          nodeGroups: [
            { name: "general", instanceTypes: ["m7i.xlarge"], maxSize: 2 },
            { name: pool, instanceTypes: ["g5.xlarge"], maxSize: 2 },
          ],
        }),
    );
    expect(error.message).toBe(
      `AwsPrivateCluster "ml-platform-eu1": nodeGroups[1].name: this name gives the EKS node group name "ml-platform-eu1-${pool}-xxxxxxx" (64 characters, the last seven random), over the 63 EKS CreateNodegroup, nodegroupName allows; shorten it by 1`,
    );
    // One character less fits.
    expect(
      () =>
        new AwsPrivateCluster("ml-platform-eu", {
          ...BASE,
          nodeGroups: [{ name: pool, instanceTypes: ["g5.xlarge"], maxSize: 2 }],
        }),
    ).not.toThrow();
    await settled();
  });

  it("refuses a standalone GPU group and a workload identity whose own names are too long", () => {
    const long = "x".repeat(57);
    expect(
      configErrorOf(
        () => new AwsGpuNodeGroup(long, { cluster: CLUSTER, instanceTypes: ["g5.xlarge"], maxSize: 1 }),
      ).message,
    ).toContain("EKS node group name");
    expect(
      configErrorOf(
        () =>
          new AwsWorkloadIdentity(long, {
            clusterName: "ai",
            namespace: "ml",
            serviceAccount: "reader",
            datasets: [
              {
                bucketArn: "arn:aws:s3:::datasets-0a1b2c3",
                kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-0000-0000-0000-000000000000",
                prefix: "web",
              },
            ],
          }),
      ).message,
    ).toContain("IAM role name");
  });
});

describe("a GPU group's Auto Scaling group carries the template Cluster Autoscaler sizes it by while empty (issue 19.5)", () => {
  let rs: Awaited<ReturnType<typeof settled>>;
  beforeAll(async () => {
    recorder.clear();
    new AwsGpuNodeGroup("efa", {
      cluster: { ...CLUSTER, privateSubnetZones: ["eu-west-1a", "eu-west-1b"] },
      instanceTypes: ["p5.48xlarge"],
      maxSize: 2,
      efa: true,
      labels: { team: "research" },
      taints: [{ key: "dedicated", value: "training", effect: "NoSchedule" }],
    });
    rs = await settled();
  });

  it("tags its EKS-made Auto Scaling group with every label, taint and extended resource, unpropagated", () => {
    const tags = Object.fromEntries(
      ofType(rs, TAG).map((t) => {
        const tag = t.inputs.tag as { key: string; value: string; propagateAtLaunch: boolean };
        expect(tag.propagateAtLaunch).toBe(false);
        expect(t.inputs.autoscalingGroupName).toMatch(/^eks-efa-[0-9a-f]{7}-/);
        return [tag.key, tag.value];
      }),
    );
    const t = "k8s.io/cluster-autoscaler/node-template";
    expect(tags).toEqual({
      [`${t}/label/hybrid-ai-infra.io/capacity`]: "on-demand",
      [`${t}/label/hybrid-ai-infra.io/gpu-model`]: "H100",
      [`${t}/label/hybrid-ai-infra.io/pool`]: "efa",
      [`${t}/label/hybrid-ai-infra.io/trust`]: "public",
      [`${t}/label/k8s.amazonaws.com/accelerator`]: "nvidia-h100",
      [`${t}/label/team`]: "research",
      [`${t}/resources/nvidia.com/gpu`]: "8",
      // Nowhere but on a running node otherwise: an empty EFA group would never leave zero.
      [`${t}/resources/vpc.amazonaws.com/efa`]: "32",
      [`${t}/taint/dedicated`]: "training:NoSchedule",
      [`${t}/taint/nvidia.com/gpu`]: "true:NoSchedule",
    });
  });

  it("labels GPU nodes for the autoscaler's GPU handling", () => {
    const ng = one(rs, "aws:eks/nodeGroup:NodeGroup", "efa");
    expect((ng.inputs.labels as Record<string, string>)["k8s.amazonaws.com/accelerator"]).toBe("nvidia-h100");
  });

  it("refuses a label key whose template tag would pass Auto Scaling's 128 characters", () => {
    const key = `research.example.com/${"k".repeat(63)}`;
    expect(
      configErrorOf(
        () =>
          new AwsGpuNodeGroup("labels", {
            cluster: CLUSTER,
            instanceTypes: ["g5.xlarge"],
            maxSize: 1,
            labels: { [key]: "v" },
          }),
      ).message,
    ).toContain(`labels["${key}"]: gives the Auto Scaling group tag`);
  });
});

describe("a team's own GPU group (issue 24.8)", () => {
  it("says what the cluster phase must run for its GPUs: NVIDIA's device plugin on its pool", async () => {
    recorder.clear();
    const group = new AwsGpuNodeGroup("team-train", {
      cluster: CLUSTER,
      instanceTypes: ["g6e.12xlarge"],
      maxSize: 4,
      taints: [{ key: "team", value: "a", effect: "NoSchedule" }],
    });
    expect(group.addons.nvidiaDevicePlugins).toEqual([
      {
        name: "nvidia-device-plugin",
        migStrategy: "none",
        pools: ["team-train"],
        taints: [{ key: "team", value: "a", effect: "NoSchedule" }],
      },
    ]);
    expect(group.addons.clusterAutoscaler).toBeUndefined();
  });

  it("leaves it to Bottlerocket's image, or to a GPU operator when asked", () => {
    const bottlerocket = new AwsGpuNodeGroup("br", {
      cluster: CLUSTER,
      instanceTypes: ["g5.xlarge"],
      maxSize: 1,
      os: "bottlerocket",
    });
    const operator = new AwsGpuNodeGroup("op", {
      cluster: CLUSTER,
      instanceTypes: ["g5.xlarge"],
      maxSize: 1,
      gpuDevicePlugin: false,
    });
    expect(bottlerocket.addons).toEqual({});
    expect(operator.addons).toEqual({});
  });

  it("adds the EFA plugin from the region's EKS registry on an EFA group", async () => {
    const group = new AwsGpuNodeGroup("efa-team", {
      cluster: CLUSTER,
      instanceTypes: ["p5.48xlarge"],
      maxSize: 1,
      efa: true,
    });
    expect(group.addons.efaDevicePlugin?.pools).toEqual(["efa-team"]);
    expect(await resolved(pulumi.output(group.addons.efaDevicePlugin?.image))).toBe(
      "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/aws-efa-k8s-device-plugin:v0.5.20",
    );
  });
});

describe("a cluster after its first up", () => {
  let cluster: AwsPrivateCluster;
  let rs: Awaited<ReturnType<typeof settled>>;
  let warnings: string[];
  beforeAll(async () => {
    recorder.clear();
    const warn = vi.spyOn(pulumi.log, "warn");
    cluster = new AwsPrivateCluster("life", {
      ...BASE,
      addonVersions: { coredns: "v1.12.3-eksbuild.1" },
      nodeGroups: [{ name: "gpu", instanceTypes: ["g5.xlarge"], maxSize: 2 }],
    });
    rs = await settled();
    warnings = warn.mock.calls.map(([message]) => message);
    warn.mockRestore();
  });

  it("keeps each add-on at the version recorded for its Kubernetes version, or the one pinned (issue 19.7)", async () => {
    const version = (addon: string) => one(rs, "aws:eks/addon:Addon", `life-${addon}`).inputs.addonVersion;
    // Recorded at creation: EKS's newer default is reported, not applied.
    expect(version("kube-proxy")).toBe("v1.34.0-eksbuild.1");
    expect(version("coredns")).toBe("v1.12.3-eksbuild.1");
    const versions = await resolved(cluster.addonVersions);
    expect(versions["kube-proxy"]?.version).toBe("v1.34.0-eksbuild.1");
    expect(versions["kube-proxy"]?.default).not.toBe("v1.34.0-eksbuild.1");
    expect(versions.coredns?.pinned).toBe(true);
    // What is not pinned is recorded in a stash per add-on, which a new Kubernetes version replaces.
    expect(
      ofType(rs, "pulumi:index:Stash")
        .map((s) => s.name)
        .sort(),
    ).toEqual(["life-eks-pod-identity-agent-version", "life-kube-proxy-version", "life-vpc-cni-version"]);
  });

  it("says on each preview which add-on EKS now defaults to a newer version of, and how to move (issue 19.7)", () => {
    const addonWarnings = warnings.filter((w) => w.startsWith("add-on "));
    // kube-proxy (recorded) and coredns (pinned) lag EKS's default; the others were recorded at it.
    expect(addonWarnings).toHaveLength(2);
    expect(addonWarnings).toContainEqual(
      expect.stringMatching(
        /^add-on kube-proxy stays at v1\.34\.0-eksbuild\.1; EKS's default for this Kubernetes version is now \S+\. To move, set addonVersions\["kube-proxy"\] to it \(or replace the recorded version: pulumi up --replace <urn of life-kube-proxy-version>\)$/,
      ),
    );
    expect(addonWarnings).toContainEqual(
      expect.stringMatching(/^add-on coredns stays at v1\.12\.3-eksbuild\.1; .*to it$/),
    );
  });

  it("starts pods denied until their policies hold, and lets CoreDNS and the autoscaler talk (issue 24.9)", async () => {
    const cni = one(rs, "aws:eks/addon:Addon", "life-vpc-cni");
    expect(JSON.parse(String(cni.inputs.configurationValues))).toEqual({
      enableNetworkPolicy: "true",
      env: { NETWORK_POLICY_ENFORCING_MODE: "strict" },
    });
    const policies = await resolved(pulumi.output(cluster.addons.networkPolicies ?? []));
    const coredns = policies.find((p) => p.name === "coredns");
    expect(coredns?.podLabels).toEqual({ "k8s-app": "kube-dns" });
    // The kubernetes Service's address, which the pod's packets carry before kube-proxy's NAT.
    expect(coredns?.egress?.[1]?.to).toEqual([
      { ipBlock: { cidr: "172.20.0.1/32" } },
      { ipBlock: { cidr: "10.20.0.0/16" } },
    ]);
    const autoscaler = policies.find((p) => p.name === "cluster-autoscaler");
    expect(autoscaler?.egress?.map((e) => e.ports)).toContainEqual([{ protocol: "TCP", port: 80 }]);
    expect(firstHost("10.100.0.0/16")).toBe("10.100.0.1");
  });

  it("lets the args choose the standard mode, with no system policies", () => {
    const standard = new AwsPrivateCluster("std", { ...BASE, networkPolicyMode: "standard" });
    expect(standard.addons.networkPolicies).toBeUndefined();
  });

  it("refuses a pinned VPC CNI that cannot enforce the mode (strict from 1.17.1, policies from 1.14)", () => {
    const pinned = (version: string, mode?: "strict" | "standard") => () =>
      new AwsPrivateCluster(`cni-${version.replace(/\W/g, "")}-${mode ?? "default"}`, {
        ...BASE,
        addonVersions: { "vpc-cni": version },
        ...(mode ? { networkPolicyMode: mode } : {}),
      });
    expect(configErrorOf(pinned("v1.17.0-eksbuild.1")).message).toBe(
      'AwsPrivateCluster "cni-v1170eksbuild1-default": addonVersions["vpc-cni"]: v1.17.0-eksbuild.1 enforces no network policies in strict mode; VPC CNI 1.17.1 or later does (set networkPolicyMode, or pin a later version)',
    );
    expect(configErrorOf(pinned("v1.13.4-eksbuild.1", "standard")).message).toContain(
      "enforces no network policies in standard mode; VPC CNI 1.14.0 or later does",
    );
    for (const ok of [
      pinned("v1.17.1-eksbuild.1"),
      pinned("v1.20.4-eksbuild.1"),
      pinned("v1.16.4-eksbuild.2", "standard"),
    ])
      expect(ok).not.toThrow();
  });
});

describe("images the nodes can pull (issue 19.9)", () => {
  it("refuses public images for a network without internet egress, in the component", () => {
    const error = configErrorOf(
      () =>
        new AwsPrivateCluster("closed", {
          ...BASE,
          network: { ...BASE.network, internetEgress: false },
          nodeGroups: [{ name: "gpu", instanceTypes: ["g5.xlarge"], maxSize: 2 }],
        }),
    );
    expect(error.message).toContain(
      "gpuDevicePluginImage: is not set, and the network has no internet egress",
    );
    expect(error.message).toContain("clusterAutoscalerImage: is not set");
  });
});
