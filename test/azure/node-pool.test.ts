import { beforeAll, describe, expect, it } from "vitest";
import {
  AKS_SPOT_TAINT,
  type AzureClusterRef,
  AzureGpuNodePool,
  type AzureGpuNodePoolArgs,
  AzureNodePool,
  azureClusterTarget,
} from "../../components/azure";
import { agentPoolPlacement, agentPoolPlanFor, MIG_SLICES_PER_GPU } from "../../components/azure/node-pool";
import {
  AZURE_CPU_FAMILIES,
  AZURE_CPU_SIZES,
  AZURE_GPU_FAMILIES,
  AZURE_GPU_SIZES,
  GPU_TAINT,
  LABEL_CAPACITY,
  LABEL_GPU_MODEL,
  LABEL_POOL,
  LABEL_TRUST,
  SPOT_PRICE_FACTOR,
} from "../../components/facts";
import { place } from "../../components/placement";
import type { RecordedResource, Recorder } from "../../scripts/plan";
import { configErrorOf, expectStandardTags } from "../helpers/components";
import { descendants, one, resolved, startMocks } from "../helpers/mocks";
import { RG, subnetId, T } from "./support";

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startMocks();
});

const CLUSTER: AzureClusterRef = {
  clusterName: "aks-dev",
  resourceGroupName: RG,
  nodeSubnetId: subnetId("gpu"),
};
const BASE: AzureGpuNodePoolArgs = { cluster: CLUSTER, vmSize: "Standard_NC24ads_A100_v4", maxCount: 4 };

async function build(
  name: string,
  extra: Partial<AzureGpuNodePoolArgs> = {},
): Promise<{ pool: AzureGpuNodePool; rs: RecordedResource[]; agentPool: RecordedResource }> {
  recorder.clear();
  const pool = new AzureGpuNodePool(name, { ...BASE, ...extra });
  await recorder.settle();
  return { pool, rs: recorder.resources, agentPool: one(recorder.resources, T.agentPool, name) };
}

describe("Azure VM size facts", () => {
  it("list every issue-4 GPU family in the shared GpuFacts shape, InfiniBand only on ND sizes", () => {
    expect(AZURE_GPU_FAMILIES).toEqual([
      "NCasT4_v3",
      "NVadsA10_v5",
      "NC_A100_v4",
      "ND_A100_v4",
      "NDm_A100_v4",
      "NCads_H100_v5",
      "ND_H100_v5",
    ]);
    for (const f of AZURE_GPU_SIZES.values()) {
      expect(f.type).toMatch(/^Standard_N[CDV]\d+/);
      expect(f.gpus).toBeGreaterThan(0);
      expect(f.vcpu).toBeGreaterThan(0);
      expect(f.memoryGiB).toBeGreaterThan(f.gpus);
      expect(f.usdPerHour).toBeGreaterThan(0);
      expect(f.arch).toBe("x86_64");
      expect(f.fabric).toBe(f.family.startsWith("ND"));
      expect(f.mig).toBe(["A100", "H100"].includes(f.gpuModel));
    }
    expect(AZURE_GPU_SIZES.get("Standard_ND96asr_v4")).toMatchObject({
      gpuModel: "A100",
      gpus: 8,
      gpuMemoryGiB: 40,
    });
    expect(AZURE_GPU_SIZES.get("Standard_ND96amsr_A100_v4")).toMatchObject({ gpus: 8, gpuMemoryGiB: 80 });
    expect(AZURE_GPU_SIZES.get("Standard_ND96isr_H100_v5")).toMatchObject({
      gpuModel: "H100",
      gpus: 8,
      fabric: true,
    });
    expect(AZURE_CPU_FAMILIES).toContain("Ddsv5");
    expect(AZURE_CPU_SIZES.get("Standard_D4ds_v5")).toMatchObject({
      vcpu: 4,
      memoryGiB: 16,
      localDiskGiB: 150,
    });
    expect(AZURE_CPU_SIZES.get("Standard_D4s_v5")?.localDiskGiB).toBe(0);
  });
});

describe("AzureGpuNodePool", () => {
  it("is a Spot user pool with eviction Delete, an on-demand price cap, the GPU taint and the shared labels", async () => {
    const { pool, rs, agentPool } = await build("gpu-spot", { priority: "Spot" });
    const component = one(rs, "hybrid-ai-infra:index:AzureGpuNodePool", "gpu-spot");
    expect(descendants(rs, component.urn).map((r) => [r.type, r.name])).toEqual([[T.agentPool, "gpu-spot"]]);
    expect(agentPool.inputs).toMatchObject({
      agentPoolName: "gpuspot",
      resourceName: "aks-dev",
      resourceGroupName: RG,
      mode: "User",
      osType: "Linux",
      osSKU: "Ubuntu",
      vmSize: "Standard_NC24ads_A100_v4",
      vnetSubnetID: subnetId("gpu"),
      scaleSetPriority: "Spot",
      scaleSetEvictionPolicy: "Delete",
      spotMaxPrice: -1,
      enableAutoScaling: true,
      minCount: 0,
      maxCount: 4,
      count: 0,
      enableEncryptionAtHost: true,
      enableNodePublicIP: false,
      securityProfile: { sshAccess: "Disabled" },
      gpuProfile: { driver: "Install" },
      // 64 GiB of temp disk cannot hold a 256 GiB OS disk.
      osDiskType: "Managed",
      osDiskSizeGB: 256,
      nodeLabels: {
        [LABEL_POOL]: "gpu-spot",
        [LABEL_GPU_MODEL]: "A100",
        [LABEL_TRUST]: "public",
        [LABEL_CAPACITY]: "spot",
      },
      nodeTaints: ["nvidia.com/gpu=true:NoSchedule", "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"],
    });
    // AKS rejects surge settings on spot pools; no zones pins GPU capacity to none.
    expect(agentPool.inputs.upgradeSettings).toBeUndefined();
    expect(agentPool.inputs.availabilityZones).toBeUndefined();
    expect(agentPool.inputs.gpuInstanceProfile).toBeUndefined();
    expect(agentPool.ignoreChanges).toEqual(["count"]);
    expect(expectStandardTags(rs)).toBe(1);

    expect(pool.placementPool).toEqual({
      name: "gpu-spot",
      // 24 vCPU and 220 GiB, less AKS's 340m and 5050 + 100 MiB.
      node: { cpu: 23.66, memoryGiB: 214.9707, gpu: { count: 1, model: "A100" } },
      minNodes: 0,
      maxNodes: 4,
      pricePerNodeHour: Math.round(3.673 * SPOT_PRICE_FACTOR * 10_000) / 10_000,
      spot: true,
      labels: agentPool.inputs.nodeLabels,
      taints: [{ ...GPU_TAINT }, AKS_SPOT_TAINT],
    });
    expect(await resolved(pool.pool)).toEqual(pool.placementPool);
    expect(await resolved(pool.agentPoolId)).toBe(
      `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${RG}/providers/Microsoft.ContainerService/managedClusters/aks-dev/agentPools/gpuspot`,
    );
    expect(component.outputs).toMatchObject({ agentPoolName: "gpuspot" });
  });

  it("runs Regular nodes one surge at a time, on an ephemeral disk where it fits, with MIG and operator-managed drivers", async () => {
    const { pool, agentPool } = await build("train", {
      vmSize: "Standard_ND96asr_v4",
      // ND sizes with InfiniBand do not offer encryption at host.
      encryptionAtHost: false,
      minCount: 1,
      maxCount: 2,
      migProfile: "MIG3g",
      gpuDriver: "None",
      availabilityZones: ["2"],
      pricePerNodeHour: 20,
      trust: "private",
      labels: { team: "research" },
    });
    expect(agentPool.inputs).toMatchObject({
      scaleSetPriority: "Regular",
      upgradeSettings: { maxSurge: "1" },
      osDiskType: "Ephemeral",
      osDiskSizeGB: 256,
      gpuInstanceProfile: "MIG3g",
      gpuProfile: { driver: "None" },
      availabilityZones: ["2"],
      minCount: 1,
      count: 1,
      nodeTaints: ["nvidia.com/gpu=true:NoSchedule"],
      nodeLabels: { team: "research", [LABEL_TRUST]: "private", [LABEL_CAPACITY]: "on-demand" },
    });
    expect(agentPool.inputs.scaleSetEvictionPolicy).toBeUndefined();
    expect(agentPool.inputs.spotMaxPrice).toBeUndefined();
    // MIG3g splits each of the 8 A100s in two: placement sees 16 slices of a model of their own.
    expect(pool.placementPool).toMatchObject({
      node: { gpu: { count: 16, model: "A100-MIG3g" } },
      pricePerNodeHour: 20,
      spot: false,
    });
    expect(agentPool.inputs.nodeLabels).toMatchObject({ [LABEL_GPU_MODEL]: "A100-MIG3g" });
  });

  it("counts MIG slices per GPU from the MIG facts table, and names the slice as the model", async () => {
    const expected = { MIG1g: 7, MIG2g: 3, MIG3g: 2, MIG4g: 1, MIG7g: 1 } as const;
    expect(MIG_SLICES_PER_GPU).toEqual(expected);
    for (const [profile, slices] of Object.entries(expected)) {
      const plan = agentPoolPlanFor(
        "mig",
        { vmSize: "Standard_NC48ads_A100_v4", maxCount: 1 },
        "public",
        "gpu",
        {
          migProfile: profile as keyof typeof expected,
        },
      );
      expect(agentPoolPlacement(plan).node.gpu).toEqual({ count: 2 * slices, model: `A100-${profile}` });
    }
    const whole = agentPoolPlanFor(
      "a100",
      { vmSize: "Standard_NC48ads_A100_v4", maxCount: 1 },
      "public",
      "gpu",
    );
    expect(agentPoolPlacement(whole).node.gpu).toEqual({ count: 2, model: "A100" });
  });

  it("offers placement what AKS leaves allocatable: kube-reserved cpu and memory and the eviction threshold subtracted", () => {
    const node = (vmSize: string, maxPods?: number) =>
      agentPoolPlacement(
        agentPoolPlanFor(
          "p",
          { vmSize, maxCount: 1, ...(maxPods === undefined ? {} : { maxPods }) },
          "public",
          AZURE_GPU_SIZES.has(vmSize) ? "gpu" : "cpu",
        ),
      ).node;
    const gib = (mib: number) => Math.round((mib / 1024) * 10_000) / 10_000;
    // The AKS docs' example: 8 GiB, 30 pods: 20 MiB x 30 + 50 MiB kube-reserved, 100 MiB eviction.
    // 2 cores: 100m kube-reserved.
    expect(node("Standard_D2ds_v5", 30)).toEqual({ cpu: 1.9, memoryGiB: gib(8 * 1024 - 650 - 100) });
    // 250 pods (the overlay default) would reserve 5050 MiB; 25% of 16 GiB caps it at 4096 MiB.
    expect(node("Standard_D4ds_v5")).toEqual({ cpu: 3.86, memoryGiB: gib(16 * 1024 - 4096 - 100) });
    // 32 GiB: 5050 MiB is under the cap. 8 cores: 180m.
    expect(node("Standard_D8ds_v5")).toEqual({ cpu: 7.82, memoryGiB: gib(32 * 1024 - 5050 - 100) });
    // Between the documented core counts the reservation grows 10m per core: 24 cores 340m, 96 cores 1060m.
    expect(node("Standard_NC24ads_A100_v4").cpu).toBe(23.66);
    expect(node("Standard_ND96asr_v4")).toMatchObject({
      cpu: 94.94,
      memoryGiB: gib(900 * 1024 - 5050 - 100),
      gpu: { count: 8, model: "A100" },
    });
  });

  it("never places a workload that asks for A100 on a pool of A100 slices", async () => {
    const target = azureClusterTarget("aks", {
      placement: { region: "westeurope", jurisdiction: "EU" },
      nodePools: [{ name: "slices", vmSize: "Standard_NC96ads_A100_v4", maxCount: 2, migProfile: "MIG1g" }],
    });
    const workload = (name: string, models: string[]) => ({
      name,
      kind: "inference" as const,
      replicas: 1,
      cpu: 2,
      memoryGiB: 8,
      gpu: { count: 1, models },
      classification: "internal" as const,
    });
    const result = await place({
      workloads: [workload("whole", ["A100"]), workload("slice", ["A100-MIG1g"])],
      targets: [target],
    });
    expect(result.assignments.map((a) => [a.workload, a.pool])).toEqual([["slice", "slices"]]);
    expect(result.unplaced.map((u) => u.workload)).toEqual(["whole"]);
  });

  it("takes a spot price cap and public node IPs only when asked", async () => {
    const { agentPool } = await build("cheap", {
      vmSize: "Standard_NC4as_T4_v3",
      priority: "Spot",
      spotMaxPrice: 0.3,
      publicIp: true,
      osSku: "AzureLinux",
    });
    expect(agentPool.inputs).toMatchObject({
      spotMaxPrice: 0.3,
      enableNodePublicIP: true,
      osSKU: "AzureLinux",
    });
  });

  it("rejects a size without GPUs, MIG on a T4 and an ephemeral disk that does not fit, naming each field", () => {
    recorder.clear();
    expect(() => new AzureGpuNodePool("bad", { ...BASE, vmSize: "Standard_D4s_v5" })).toThrowError(
      'AzureGpuNodePool "bad": vmSize: "Standard_D4s_v5" has no GPU; pick a size of NCasT4_v3, NVadsA10_v5, NC_A100_v4, ND_A100_v4, NDm_A100_v4, NCads_H100_v5, ND_H100_v5 (e.g. Standard_NC24ads_A100_v4)',
    );
    const error = configErrorOf(
      () =>
        new AzureGpuNodePool("bad", {
          ...BASE,
          vmSize: "Standard_NC4as_T4_v3",
          migProfile: "MIG1g",
          osDiskType: "Ephemeral",
          spotMaxPrice: 1,
          minCount: 5,
        }),
    );
    expect(error.message).toMatch(/^AzureGpuNodePool "bad": 4 problems/);
    expect(error.issues).toEqual([
      { path: "minCount", message: "5 is above maxCount 4" },
      { path: "spotMaxPrice", message: 'only applies with priority: "Spot"' },
      {
        path: "osDiskType",
        message:
          '"Ephemeral" needs 256 GiB of local disk, and "Standard_NC4as_T4_v3" has 176; lower osDiskSizeGiB or use "Managed"',
      },
      {
        path: "migProfile",
        message:
          '"MIG1g" needs a GPU that supports MIG (A100, H100: NC_A100_v4, ND_A100_v4, NDm_A100_v4, NCads_H100_v5, ND_H100_v5); "Standard_NC4as_T4_v3" has T4',
      },
    ]);
    expect(recorder.resources).toHaveLength(0);
  });

  it("needs a pool name AKS accepts, and a spot cap of -1 or a price", () => {
    expect(() => new AzureGpuNodePool("gpu-h100-training", BASE)).toThrowError(
      'poolName: is not given, and the component name "gpu-h100-training" makes the AKS agent pool name "gpuh100training"; AKS allows 1-12 lower-case letters and digits starting with a letter (dashes are dropped), so shorten it; set poolName',
    );
    expect(() => new AzureGpuNodePool("x", { ...BASE, poolName: "system" })).toThrowError(
      `poolName: "system" is the cluster's system pool; pick another name`,
    );
    expect(() => new AzureGpuNodePool("x", { ...BASE, priority: "Spot", spotMaxPrice: 0 })).toThrowError(
      "spotMaxPrice: 0 is not valid; use -1 (cap at the on-demand price) or a price above 0, USD per hour",
    );
    expect(
      () => new AzureGpuNodePool("x", { ...BASE, cluster: { ...CLUSTER, nodeSubnetId: "subnet-10000000" } }),
    ).toThrowError('cluster.nodeSubnetId: "subnet-10000000" is not a subnet resource id');
  });
});

describe("AzureNodePool", () => {
  it("takes the general-purpose defaults and only AKS's spot taint, and refuses GPU-only args", async () => {
    recorder.clear();
    const pool = new AzureNodePool("batch", {
      cluster: { ...CLUSTER, nodeSubnetId: subnetId("system") },
      vmSize: "Standard_D8ds_v5",
      maxCount: 3,
      priority: "Spot",
    });
    await recorder.settle();
    expect(one(recorder.resources, "hybrid-ai-infra:index:AzureNodePool", "batch")).toBeDefined();
    expect(one(recorder.resources, T.agentPool, "batch").inputs).toMatchObject({
      osSKU: "AzureLinux",
      minCount: 1,
      nodeTaints: ["kubernetes.azure.com/scalesetpriority=spot:NoSchedule"],
    });
    expect(pool.placementPool.taints).toEqual([AKS_SPOT_TAINT]);
    const error = configErrorOf(
      () =>
        new AzureNodePool("bad", {
          cluster: CLUSTER,
          vmSize: "Standard_D8ds_v5",
          maxCount: 3,
          gpuDriver: "None",
        } as never),
    );
    expect(error.message).toMatch(/^AzureNodePool "bad": /);
    expect(error.issues).toEqual([{ path: "", message: 'unknown field "gpuDriver"; check the spelling' }]);
    expect(
      () =>
        new AzureNodePool("bad", {
          cluster: CLUSTER,
          vmSize: "Standard_D8ds_v5",
          maxCount: 3,
          priority: "Spot",
          taints: [{ key: AKS_SPOT_TAINT.key, value: "x", effect: "NoSchedule" }],
        }),
    ).toThrowError(
      'taints[0].key: "kubernetes.azure.com/scalesetpriority" is already a taint of this pool; AKS rejects a taint key twice',
    );
  });

  it("is an autoscaled general-purpose user pool with an ephemeral OS disk, and refuses GPU sizes", async () => {
    recorder.clear();
    const pool = new AzureNodePool("general", {
      cluster: { ...CLUSTER, nodeSubnetId: subnetId("system") },
      vmSize: "Standard_D8ds_v5",
      maxCount: 5,
      availabilityZones: ["1", "2", "3"],
    });
    await recorder.settle();
    const agentPool = one(recorder.resources, T.agentPool, "general");
    expect(agentPool.inputs).toMatchObject({
      agentPoolName: "general",
      mode: "User",
      osSKU: "AzureLinux",
      osDiskType: "Ephemeral",
      osDiskSizeGB: 128,
      minCount: 1,
      scaleSetPriority: "Regular",
      upgradeSettings: { maxSurge: "33%" },
      availabilityZones: ["1", "2", "3"],
      enableEncryptionAtHost: true,
      enableNodePublicIP: false,
      nodeTaints: [],
    });
    expect(agentPool.inputs.gpuProfile).toBeUndefined();
    expect(pool.placementPool).toMatchObject({
      node: { cpu: 7.82, memoryGiB: 26.9707 },
      pricePerNodeHour: 0.452,
      taints: [],
    });

    expect(
      () =>
        new AzureNodePool("bad", {
          cluster: CLUSTER,
          vmSize: "Standard_NC4as_T4_v3",
          maxCount: 1,
        }),
    ).toThrowError(
      'vmSize: "Standard_NC4as_T4_v3" is a GPU size; put it in a GPU pool, or pick a size of Dsv5',
    );
    expect(
      () =>
        new AzureNodePool("bad", {
          cluster: CLUSTER,
          vmSize: "Standard_D4s_v5",
          maxCount: 1,
          osDiskType: "Ephemeral",
        }),
    ).toThrowError(
      'osDiskType: "Ephemeral" needs a local disk, and "Standard_D4s_v5" has none AKS can use; use "Managed" or a size with a temp disk',
    );
  });
});
