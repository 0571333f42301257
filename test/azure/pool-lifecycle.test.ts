// Pools over their life (issue 19 points 13 and 20): what a change of each pool setting does to a
// pool that runs, read from a mock AKS that already runs cluster "aks-dev" with its pools.
import { beforeAll, describe, expect, it } from "vitest";
import { AzureGpuNodePool, type AzureGpuNodePoolArgs, AzureNodePool } from "../../components/azure";
import {
  clusterArgsSchema,
  clusterPoolList,
  type LiveCluster,
  resolveClusterArgs,
} from "../../components/azure/cluster";
import {
  POOL_SETTING_CHANGES,
  poolChangeIssues,
  resolvePoolSettings,
} from "../../components/azure/node-pool";
import { AZURE_GPU_SIZES } from "../../components/facts";
import type { MockAksCluster, RecordedResource, Recorder } from "../../components/testing";
import { configErrorOf } from "../helpers/components";
import { ofType, startMocks } from "../helpers/mocks";
import { RG, subnetId, T, VNET_ID } from "./support";

const CLUSTER = { clusterName: "aks-dev", resourceGroupName: RG, nodeSubnetId: subnetId("gpu") };

/** What AKS reports for the a100 pool as the last `up` made it. */
const RUNNING_A100 = {
  name: "a100",
  vmSize: "Standard_NC24ads_A100_v4",
  osDiskType: "Managed",
  osDiskSizeGB: 256,
  enableEncryptionAtHost: true,
  enableNodePublicIP: false,
  scaleSetPriority: "Regular",
  vnetSubnetID: subnetId("gpu"),
  gpuProfile: { driver: "Install" },
  minCount: 0,
  maxCount: 4,
  orchestratorVersion: "1.34",
};
const RUNNING: MockAksCluster = {
  resourceGroupName: RG,
  name: "aks-dev",
  kubernetesVersion: "1.34",
  agentPoolProfiles: [RUNNING_A100],
};

let recorder: Recorder;
const failures: unknown[] = [];

beforeAll(async () => {
  recorder = await startMocks({ cloud: { aksClusters: [RUNNING] } });
  // A check that fails at deploy time fails the resource's registration, as `pulumi up` shows it.
  process.on("unhandledRejection", (e) => failures.push(e));
});

async function build(name: string, args: AzureGpuNodePoolArgs): Promise<RecordedResource[]> {
  recorder.clear();
  failures.length = 0;
  new AzureGpuNodePool(name, args);
  await recorder.settle();
  return ofType(recorder.resources, T.agentPool).filter((r) => r.name === name);
}

const A100: AzureGpuNodePoolArgs = {
  cluster: CLUSTER,
  poolName: "a100",
  vmSize: "Standard_NC24ads_A100_v4",
  osDiskType: "Managed",
  minCount: 0,
  maxCount: 4,
};

describe("encryption at host by the size's EncryptionAtHostSupported capability (point 13)", () => {
  it("records the capability per size: the ND sizes with InfiniBand do not offer it", () => {
    expect(AZURE_GPU_SIZES.get("Standard_NC24ads_A100_v4")?.encryptionAtHost).toBe(true);
    expect(AZURE_GPU_SIZES.get("Standard_ND96asr_v4")?.encryptionAtHost).toBe(false);
  });

  it("refuses it by path on a size without it, at vmSize by default and at encryptionAtHost when asked", () => {
    const nd = { cluster: CLUSTER, vmSize: "Standard_ND96asr_v4", maxCount: 1 };
    expect(configErrorOf(() => new AzureGpuNodePool("nd", nd)).issues).toEqual([
      expect.objectContaining({
        path: "vmSize",
        message: expect.stringContaining("EncryptionAtHostSupported"),
      }),
    ]);
    expect(configErrorOf(() => new AzureGpuNodePool("nd", { ...nd, encryptionAtHost: true })).issues).toEqual(
      [expect.objectContaining({ path: "encryptionAtHost" })],
    );
    expect(() => new AzureGpuNodePool("nd-off", { ...nd, encryptionAtHost: false })).not.toThrow();
  });
});

describe("a change of a pool setting on a running pool (point 20)", () => {
  it("classes every setting: in place, a new pool, or placement only", () => {
    const classes = Object.fromEntries(Object.entries(POOL_SETTING_CHANGES).map(([k, v]) => [k, v.change]));
    expect(classes).toMatchObject({
      vmSize: "new-pool",
      migProfile: "new-pool",
      encryptionAtHost: "new-pool",
      osDiskSizeGiB: "new-pool",
      availabilityZones: "new-pool",
      maxPods: "new-pool",
      publicIp: "new-pool",
      spotMaxPrice: "new-pool",
      priority: "new-pool",
      subnetId: "new-pool",
      gpuDriver: "new-pool",
      maxCount: "in-place",
      minCount: "in-place",
      osSku: "in-place",
      kubernetesVersion: "in-place",
      pricePerNodeHour: "placement-only",
    });
  });

  it("sends an in-place change (maxCount) to the running pool, with the Kubernetes version it is given", async () => {
    const pools = await build("aks-a100", { ...A100, maxCount: 6, kubernetesVersion: "1.34" });
    expect(failures).toEqual([]);
    expect(pools).toHaveLength(1);
    expect(pools[0]?.inputs).toMatchObject({
      agentPoolName: "a100",
      maxCount: 6,
      orchestratorVersion: "1.34",
    });
  });

  it("creates a pool under a new name beside the running one (the old one goes when removed from the program)", async () => {
    const pools = await build("aks-a100x2", {
      ...A100,
      poolName: "a100x2",
      vmSize: "Standard_NC48ads_A100_v4",
    });
    expect(failures).toEqual([]);
    expect(pools.map((p) => p.inputs.agentPoolName)).toEqual(["a100x2"]);
  });

  it("compares the settings a pool keeps with the running pool, and nothing for a pool not yet created", () => {
    const wanted = resolvePoolSettings(
      { vmSize: "Standard_NC24ads_A100_v4", maxCount: 4, maxPods: 110 },
      "gpu",
    );
    expect(poolChangeIssues("a100", wanted, subnetId("gpu"), undefined)).toEqual([]);
    const issues = poolChangeIssues("a100", wanted, subnetId("gpu"), { ...RUNNING_A100, maxPods: 250 }, [
      "nodePools",
      1,
    ]);
    expect(issues.map((i) => i.path)).toEqual(["nodePools[1].maxPods"]);
    const moved = resolvePoolSettings(
      { vmSize: "Standard_NC48ads_A100_v4", maxCount: 4, encryptionAtHost: false, osDiskType: "Managed" },
      "gpu",
    );
    const refused = poolChangeIssues("a100", moved, subnetId("gpu"), RUNNING_A100);
    expect(refused.map((i) => i.path)).toEqual(["vmSize", "encryptionAtHost"]);
    expect(refused[0]?.message).toContain(
      '"Standard_NC48ads_A100_v4" differs from "Standard_NC24ads_A100_v4", which pool "a100" runs with, and AKS keeps the VM size for a pool\'s life; declare a new pool under another name',
    );
  });

  it("gives a general-purpose pool the same treatment", async () => {
    recorder.clear();
    new AzureNodePool("aks-general", { cluster: CLUSTER, vmSize: "Standard_D8ds_v5", maxCount: 3 });
    await recorder.settle();
    expect(ofType(recorder.resources, T.agentPool).filter((r) => r.name === "aks-general")).toHaveLength(1);
  });
});

describe("the system pool and the cluster's pool list over the cluster's life (point 20)", () => {
  const common = { environment: "dev", dataClassification: "internal" as const, protectData: true, tags: {} };
  const cluster = (extra: Record<string, unknown> = {}) =>
    resolveClusterArgs(
      "aks",
      clusterArgsSchema.parse({
        resourceGroupName: RG,
        network: {
          virtualNetworkId: VNET_ID,
          addressSpace: "10.30.0.0/16",
          systemSubnetId: subnetId("system"),
          outboundType: "userAssignedNATGateway",
        },
        adminGroupObjectIds: ["5f1c0d3e-1111-4a2b-9c3d-0123456789ab"],
        placement: { region: "westeurope", jurisdiction: "EU" },
        kubernetesVersion: "1.34",
        ...extra,
      }),
      common,
    );
  const runningSystem = {
    name: "system",
    mode: "System",
    vmSize: "Standard_D4ds_v5",
    osDiskType: "Ephemeral",
    osDiskSizeGB: 128,
    availabilityZones: ["1", "2", "3"],
    enableEncryptionAtHost: true,
    enableNodePublicIP: false,
    vnetSubnetID: subnetId("system"),
    minCount: 2,
    maxCount: 3,
    count: 3,
    osSKU: "AzureLinux",
    nodeLabels: cluster().systemPool.labels,
    orchestratorVersion: "1.34",
    provisioningState: "Succeeded",
  };
  const live = (system: Record<string, unknown>, pools: Record<string, unknown>[] = []): LiveCluster =>
    ({ kubernetesVersion: "1.34", agentPoolProfiles: [system, ...pools] }) as unknown as LiveCluster;

  it("sends the system pool when the cluster is created", () => {
    const decision = clusterPoolList(cluster(), undefined, subnetId("system"));
    expect("profiles" in decision && decision.profiles?.map((p) => p.name)).toEqual(["system"]);
  });

  it("sends no pool list when the running pools match, so a refresh never replays a stored list", () => {
    const labels = clusterPoolList(cluster(), undefined, subnetId("system"));
    const system = {
      ...runningSystem,
      nodeLabels: "profiles" in labels ? labels.profiles?.[0]?.nodeLabels : {},
    };
    expect(clusterPoolList(cluster(), live(system), subnetId("system"))).toEqual({ profiles: undefined });
  });

  it("applies a system-pool bound and a version bump with the whole running list, every pool upgraded", () => {
    const created = clusterPoolList(cluster(), undefined, subnetId("system"));
    const labels = "profiles" in created ? created.profiles?.[0]?.nodeLabels : {};
    const system = { ...runningSystem, nodeLabels: labels };
    const decision = clusterPoolList(
      cluster({ kubernetesVersion: "1.35", systemPool: { maxCount: 5 } }),
      live(system, [{ ...RUNNING_A100, provisioningState: "Succeeded" }]),
      subnetId("system"),
    );
    expect("profiles" in decision).toBe(true);
    const profiles = "profiles" in decision ? (decision.profiles ?? []) : [];
    expect(profiles.map((p) => [p.name, p.orchestratorVersion])).toEqual([
      ["system", "1.35"],
      ["a100", "1.35"],
    ]);
    expect(profiles[0]).toMatchObject({ maxCount: 5, count: 3 });
    // Read-only fields never go back to AKS.
    expect(profiles[0]).not.toHaveProperty("provisioningState");
  });

  it("refuses a system-pool change AKS keeps for the pool's life, by path", () => {
    const decision = clusterPoolList(
      cluster({ systemPool: { vmSize: "Standard_D8ds_v5" } }),
      live(runningSystem),
      subnetId("system"),
    );
    expect("issues" in decision && decision.issues.map((i) => i.path)).toEqual(["systemPool.vmSize"]);
  });
});
