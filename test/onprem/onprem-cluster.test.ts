import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { GPU_TAINT, LABEL_POOL } from "../../components/facts";
import { OnPremCluster, type OnPremClusterArgs } from "../../components/onprem";
import { ConfigError } from "../../components/validation";
import type { RecordedResource, Recorder } from "../../scripts/plan";
import { descendants, one, resolved, startMocks } from "../helpers/mocks";

const KUBECONFIG = [
  "apiVersion: v1",
  "kind: Config",
  "clusters: [{name: dc1, cluster: {server: 'https://k8s.dc1.example.internal:6443'}}]",
  "users: [{name: admin, user: {token: do-not-leak}}]",
  "contexts: [{name: dc1-admin, context: {cluster: dc1, user: admin}}]",
  "current-context: dc1-admin",
].join("\n");

const ARGS: OnPremClusterArgs = {
  kubeconfig: KUBECONFIG,
  pools: [
    { name: "cpu", node: { cpu: 64, memoryGiB: 256 }, nodes: 10, pricePerNodeHour: 0.8 },
    {
      name: "a100",
      node: { cpu: 128, memoryGiB: 1024, gpu: { count: 8, model: "A100" } },
      nodes: 4,
      pricePerNodeHour: 12,
      headroom: 0.05,
    },
  ],
  gpu: { devicePlugin: "nvidia-device-plugin" },
  placement: { region: "dc-frankfurt", jurisdiction: "DE", datasets: ["patients"] },
};

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startMocks();
});

async function build(
  name: string,
  args: OnPremClusterArgs = ARGS,
): Promise<{ cluster: OnPremCluster; rs: RecordedResource[] }> {
  recorder.clear();
  const cluster = new OnPremCluster(name, args);
  await recorder.settle();
  return { cluster, rs: recorder.resources };
}

describe("OnPremCluster", () => {
  let cluster: OnPremCluster;
  let rs: RecordedResource[];

  beforeAll(async () => {
    ({ cluster, rs } = await build("dc1"));
  });

  it("declares nothing but itself: no cloud resource, and no Kubernetes provider", () => {
    const component = one(rs, "hybrid-ai-infra:index:OnPremCluster", "dc1");
    expect(rs.map((r) => `${r.type} ${r.name}`)).toEqual(["hybrid-ai-infra:index:OnPremCluster dc1"]);
    expect(descendants(rs, component.urn)).toEqual([]);
    // The platform phase needs no route to the cluster: the cluster phase builds the provider.
    expect(rs.some((r) => r.type.startsWith("pulumi:providers:") || r.type.startsWith("kubernetes:"))).toBe(
      false,
    );
    expect(cluster).not.toHaveProperty("kubernetesProvider");
  });

  it("leaves the context to the kubeconfig's current one unless given", () => {
    expect(cluster.context).toBeUndefined();
    const component = one(rs, "hybrid-ai-infra:index:OnPremCluster", "dc1");
    expect(Object.keys(component.outputs ?? {}).sort()).toEqual(["kubeconfig", "target"]);
  });

  it("keeps the kubeconfig output secret", async () => {
    expect(await pulumi.isSecret(cluster.kubeconfig)).toBe(true);
    expect(await resolved(cluster.kubeconfig)).toBe(KUBECONFIG);
    const component = one(rs, "hybrid-ai-infra:index:OnPremCluster", "dc1");
    expect(component.secretOutputs).toEqual(["kubeconfig"]);
    expect(component.outputs?.kubeconfig).toBe("[secret]");
    expect(JSON.stringify(component.outputs)).not.toContain("do-not-leak");
  });

  it("yields a private target whose pools are the fixed hardware, GPU pools tainted", async () => {
    expect(cluster.placementTarget).toEqual({
      name: "dc1",
      cloud: "onprem",
      region: "dc-frankfurt",
      jurisdiction: "DE",
      trust: "private",
      egressPricePerGiB: 0,
      datasets: ["patients"],
      pools: [
        {
          name: "cpu",
          node: { cpu: 64, memoryGiB: 256 },
          minNodes: 10,
          maxNodes: 10,
          pricePerNodeHour: 0.8,
          spot: false,
          labels: { [LABEL_POOL]: "cpu" },
          taints: [],
        },
        {
          name: "a100",
          node: { cpu: 128, memoryGiB: 1024, gpu: { count: 8, model: "A100" } },
          minNodes: 4,
          maxNodes: 4,
          pricePerNodeHour: 12,
          spot: false,
          headroom: 0.05,
          labels: { [LABEL_POOL]: "a100" },
          taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
        },
      ],
    });
    expect(await resolved(cluster.target)).toEqual(cluster.placementTarget);
    expect(one(rs, "hybrid-ai-infra:index:OnPremCluster", "dc1").outputs?.target).toEqual(
      cluster.placementTarget,
    );
  });
});

describe("OnPremCluster options", () => {
  it("takes a secret Output as kubeconfig, a context, and the caller's labels, taints and target fields", async () => {
    const { cluster, rs } = await build("lab", {
      kubeconfig: pulumi.secret(KUBECONFIG),
      context: "dc1-admin",
      pools: [
        {
          name: "gpu",
          node: { cpu: 32, memoryGiB: 256, gpu: { count: 4, model: "L40S" } },
          nodes: 2,
          pricePerNodeHour: 4,
          labels: { "node.kubernetes.io/instance-type": "l40s-box" },
          taints: [],
        },
      ],
      // The GPU operator's nodes here carry a taint of their own; the pool's empty list wins.
      gpu: { devicePlugin: "gpu-operator", taint: { key: "gpu", value: "l40s", effect: "NoSchedule" } },
      placement: {
        targetName: "onprem-lab",
        region: "dc-lab",
        jurisdiction: "EU",
        trust: "public",
        egressPricePerGiB: 0.02,
      },
    });
    // What the cluster phase's provider needs, handed over as is: the context and the secret kubeconfig.
    expect(cluster.context).toBe("dc1-admin");
    expect(await pulumi.isSecret(cluster.kubeconfig)).toBe(true);
    expect(await resolved(cluster.kubeconfig)).toBe(KUBECONFIG);
    expect(rs.map((r) => r.type)).toEqual(["hybrid-ai-infra:index:OnPremCluster"]);
    expect(cluster.placementTarget).toMatchObject({
      name: "onprem-lab",
      trust: "public",
      egressPricePerGiB: 0.02,
      datasets: [],
    });
    const [pool] = cluster.placementTarget.pools;
    // An explicit empty list means the operator runs these GPUs untainted.
    expect(pool?.taints).toEqual([]);
    expect(pool?.labels).toEqual({ "node.kubernetes.io/instance-type": "l40s-box" });
    expect(GPU_TAINT).toEqual({ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" });
  });
});

describe("OnPremCluster validation", () => {
  const pool = ARGS.pools[0] as OnPremClusterArgs["pools"][number];
  it.each([
    [
      "an empty kubeconfig",
      { kubeconfig: "" },
      'kubeconfig: "" is too small: is empty; give the cluster\'s kubeconfig (as a secret)',
    ],
    [
      "no pools",
      { pools: [] },
      "pools: [] is too small: needs at least one pool: placement can only use capacity it knows about",
    ],
    [
      "a pool name used twice",
      { pools: [pool, { ...pool }] },
      'pools[1].name: "cpu" is used twice; pool names must be unique',
    ],
    [
      "a pool without nodes",
      { pools: [{ ...pool, nodes: 0 }] },
      "pools[0].nodes: 0 is too small: expected number to be >=1",
    ],
    [
      "a GPU count of zero",
      { pools: [{ ...pool, node: { cpu: 8, memoryGiB: 64, gpu: { count: 0, model: "T4" } } }] },
      "pools[0].node.gpu.count: 0 is too small: expected number to be >=1",
    ],
    [
      "a lower-case jurisdiction",
      { placement: { region: "dc1", jurisdiction: "de" } },
      'placement.jurisdiction: "de" is not a jurisdiction code such as EU, US or DE',
    ],
    [
      // Issue 24, point 10: placement would count GPUs no device plugin ever advertises.
      "GPU pools with no device plugin stated",
      { gpu: undefined },
      "gpu: is unset, and pool a100 has GPUs: state what advertises nvidia.com/gpu there (devicePlugin: nvidia-device-plugin or gpu-operator) and the nodes' taint; without a device plugin no GPU pod is ever scheduled",
    ],
    [
      "a device plugin that is not one",
      { gpu: { devicePlugin: "k8s-device-plugin" } },
      'gpu.devicePlugin: "k8s-device-plugin" is not valid; use one of "nvidia-device-plugin", "gpu-operator"',
    ],
    [
      "a misspelt field",
      { pools: [{ ...pool, maxNodes: 3 } as OnPremClusterArgs["pools"][number]] },
      'pools[0]: unknown field "maxNodes"; check the spelling',
    ],
  ] as [string, Partial<OnPremClusterArgs>, string][])(
    "rejects %s, registering nothing",
    async (_, extra, detail) => {
      recorder.clear();
      let error: unknown;
      try {
        new OnPremCluster("dc1", { ...ARGS, ...extra });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe(`OnPremCluster "dc1": ${detail}`);
      await recorder.settle();
      expect(recorder.resources).toEqual([]);
    },
  );

  it("never shows the kubeconfig in an error", () => {
    let message = "";
    try {
      new OnPremCluster("dc1", { ...ARGS, pools: [] });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("pools");
    expect(message).not.toContain("do-not-leak");
  });
});
