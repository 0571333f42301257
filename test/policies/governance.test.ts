import { describe, expect, it } from "vitest";
import { gpuFamiliesAllowed, requiredTags } from "../../policies/rules/governance";
import { violations } from "./evaluate";

const CLUSTER = "aws:eks/cluster:Cluster";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const POOL = "azure-native:containerservice:AgentPool";

describe("required-tags", () => {
  it("passes the tags this library adds, and names what is missing", async () => {
    const tags = { environment: "prod", "data-classification": "confidential", owner: "platform" };
    expect(await violations(requiredTags, CLUSTER, { tags })).toEqual([]);
    expect(await violations(requiredTags, CLUSTER, {})).toEqual([
      "tags lack environment, data-classification; required: environment, data-classification",
    ]);
    expect(await violations(requiredTags, CLUSTER, { tags }, { tags: ["owner", "cost-center"] })).toEqual([
      "tags lack cost-center; required: owner, cost-center",
    ]);
  });
});

describe("gpu-families-allowed", () => {
  it("allows every family until the config lists some", async () => {
    expect(await violations(gpuFamiliesAllowed, NODE_GROUP, { instanceTypes: ["p5.48xlarge"] })).toEqual([]);
  });

  it("refuses AWS and Azure GPU families the config does not list, and leaves CPU pools alone", async () => {
    const config = { allowedFamilies: ["g6e", "Standard_NCads_A100_v4"] };
    expect(
      await violations(
        gpuFamiliesAllowed,
        NODE_GROUP,
        { instanceTypes: ["g6e.12xlarge", "p5.48xlarge", "m7i.xlarge"] },
        config,
      ),
    ).toEqual([
      "p5.48xlarge is of GPU family p5, which allowedFamilies (g6e, Standard_NCads_A100_v4) does not list",
    ]);
    expect(
      await violations(gpuFamiliesAllowed, POOL, { vmSize: "Standard_NC24ads_A100_v4" }, config),
    ).toEqual([]);
    expect(
      await violations(gpuFamiliesAllowed, POOL, { vmSize: "Standard_ND96isr_H100_v5" }, config),
    ).toEqual([
      "Standard_ND96isr_H100_v5 is of GPU family Standard_NDisr_H100_v5, which allowedFamilies (g6e, Standard_NCads_A100_v4) does not list",
    ]);
    expect(await violations(gpuFamiliesAllowed, POOL, { vmSize: "Standard_D8ds_v5" }, config)).toEqual([]);
  });
});
