import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type AzureClusterNetwork, AzureEncryptedStorage, AzurePrivateCluster } from "../../components/azure";
import {
  RBAC_PROPAGATION_DEFAULT_SECONDS,
  RBAC_PROPAGATION_TYPE,
  type RoleAssignmentWaitInputs,
  roleAssignmentWaitProvider,
} from "../../components/azure/internal";
import type { RecordedResource, Recorder } from "../../scripts/plan";
import { configErrorOf } from "../helpers/components";
import { ofType, one, resolved, startMocks } from "../helpers/mocks";
import { RG, subnetId, T, VNET_ID } from "./support";

// Issue 19.14: a role assignment exists before Azure applies it (Key Vault: up to 600 s), and the
// storage account's and the cluster's first create check the key with it.

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startMocks();
});

const NETWORK: AzureClusterNetwork = {
  virtualNetworkId: VNET_ID,
  addressSpace: "10.30.0.0/16",
  systemSubnetId: subnetId("system"),
  outboundType: "userAssignedNATGateway",
};

function waitOf(rs: RecordedResource[], name: string): RecordedResource {
  return one(rs, RBAC_PROPAGATION_TYPE, name);
}

describe("AzureEncryptedStorage waits for its key role to take effect", () => {
  it("creates the account only after a wait that follows the identity's crypto-service role", async () => {
    recorder.clear();
    new AzureEncryptedStorage("datasets", {
      resourceGroupName: RG,
      network: { virtualNetworkId: VNET_ID, endpointSubnetId: subnetId("endpoints") },
    });
    await recorder.settle();
    const rs = recorder.resources;
    const grant = one(rs, T.role, "datasets-cmk-encryption-user");
    const wait = waitOf(rs, "datasets-cmk-encryption-user-in-effect");
    expect(wait.dependsOn).toEqual([grant.urn]);
    expect(wait.inputs).toMatchObject({
      roleAssignmentIds: [expect.stringContaining("/providers/Microsoft.Authorization/roleAssignments/")],
      seconds: RBAC_PROPAGATION_DEFAULT_SECONDS,
    });
    expect(one(rs, T.account, "datasets").dependsOn).toContain(wait.urn);
  });

  it("takes another duration, and refuses one past Key Vault's documented 600 s by path", async () => {
    recorder.clear();
    new AzureEncryptedStorage("models", {
      resourceGroupName: RG,
      network: { virtualNetworkId: VNET_ID, endpointSubnetId: subnetId("endpoints") },
      rbacPropagationSeconds: 0,
    });
    await recorder.settle();
    expect(waitOf(recorder.resources, "models-cmk-encryption-user-in-effect").inputs.seconds).toBe(0);
    const error = configErrorOf(
      () =>
        new AzureEncryptedStorage("slow", {
          resourceGroupName: RG,
          network: { virtualNetworkId: VNET_ID, endpointSubnetId: subnetId("endpoints") },
          rbacPropagationSeconds: 900,
        }),
    );
    expect(error.message).toContain("rbacPropagationSeconds");
    expect(error.message).toContain("at most 600");
  });
});

describe("AzurePrivateCluster waits for the control plane's grants to take effect", () => {
  it("creates the cluster only after a wait that follows every grant, the KMS key's crypto role first", async () => {
    recorder.clear();
    new AzurePrivateCluster("aks", {
      resourceGroupName: RG,
      network: NETWORK,
      adminGroupObjectIds: ["5f1c0d3e-1111-4a2b-9c3d-0123456789ab"],
      placement: { region: "westeurope", jurisdiction: "EU" },
    });
    await recorder.settle();
    const rs = recorder.resources;
    const wait = waitOf(rs, "aks-grants-in-effect");
    const grants = ofType(rs, T.role).filter((g) => g.parent === one(rs, T.cluster, "aks").parent);
    const kms = one(rs, T.role, "aks-kms-crypto-user");
    expect(grants.map((g) => g.urn)).toContain(kms.urn);
    for (const grant of grants) expect(wait.dependsOn).toContain(grant.urn);
    expect((wait.inputs.roleAssignmentIds as string[]).length).toBe(wait.dependsOn.length);
    expect(one(rs, T.cluster, "aks").dependsOn).toContain(wait.urn);
  });
});

describe("the wait itself", () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const provider = roleAssignmentWaitProvider;
  const inputs: RoleAssignmentWaitInputs = { roleAssignmentIds: ["/a", "/b"], seconds: 300 };

  it("returns from create only once the given seconds have passed", async () => {
    vi.useFakeTimers();
    const create = provider.create?.(inputs);
    let done = false;
    void create?.then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(299_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(done).toBe(true);
    expect((await create)?.outs).toEqual(inputs);
  });

  it("waits again when an assignment is new or replaced, not when the same ones are listed in another order", async () => {
    const diff = provider.diff;
    if (!diff) throw new Error("the wait has no diff");
    expect(await diff("w", inputs, { ...inputs, roleAssignmentIds: ["/b", "/a"] })).toEqual({
      changes: false,
      replaces: [],
    });
    expect(await diff("w", inputs, { ...inputs, roleAssignmentIds: ["/a", "/c"] })).toEqual({
      changes: true,
      replaces: ["roleAssignmentIds"],
    });
    // A new duration is recorded without waiting again: the grants it was for are in effect.
    expect(await diff("w", inputs, { ...inputs, seconds: 60 })).toEqual({ changes: true, replaces: [] });
  });

  it("resolves under the plan's mocks without running the provider", async () => {
    recorder.clear();
    const storage = new AzureEncryptedStorage("plan", {
      resourceGroupName: RG,
      network: { virtualNetworkId: VNET_ID, endpointSubnetId: subnetId("endpoints") },
    });
    await recorder.settle();
    expect(await resolved(storage.accountId)).toContain("/storageAccounts/");
  });
});
