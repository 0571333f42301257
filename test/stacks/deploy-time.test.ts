import { describe, expect, it } from "vitest";
import type { RecordedResource } from "../../components/testing";
import {
  CREATE_SECONDS,
  DEFAULT_SECONDS,
  duration,
  estimateDeployTime,
} from "../../scripts/plan/deploy-time";

const urn = (type: string, name: string) => `urn:pulumi:dev::p::${type}::${name}`;
function res(
  type: string,
  name: string,
  deps: string[] = [],
  options: { custom?: boolean; parent?: string } = {},
): RecordedResource {
  return {
    urn: urn(type, name),
    type,
    name,
    parent: options.parent,
    custom: options.custom ?? true,
    protect: false,
    retainOnDelete: false,
    provider: undefined,
    dependsOn: deps,
    ignoreChanges: [],
    inputs: {},
    plainInputs: {},
    secretInputs: [],
  };
}

const EKS = "aws:eks/cluster:Cluster";
const POOL = "aws:eks/nodeGroup:NodeGroup";
const GATEWAY = "azure-native:network:VirtualNetworkGateway";
const ROLE = "aws:iam/role:Role";

describe("deploy time of a first update", () => {
  it("is the longest chain of dependencies, weighted by creation times; parallel work does not add up", () => {
    const role = res(ROLE, "role");
    const eks = res(EKS, "eks", [role.urn]);
    const pool = res(POOL, "gpu", [eks.urn]);
    const gateway = res(GATEWAY, "vpn");
    const estimate = estimateDeployTime([role, eks, pool, gateway]);
    // The gateway (35 min) alone beats role + EKS + pool (5 s + 10 min + 4 min).
    expect(estimate.seconds).toBe(CREATE_SECONDS[GATEWAY]);
    expect(estimate.chain.map((l) => l.name)).toEqual(["vpn"]);
  });

  it("names the chain a serialising dependency makes, through a component's resources", () => {
    const role = res(ROLE, "role");
    const eks = res(EKS, "eks", [role.urn]);
    const component = res("hybrid-ai-infra:index:AzureVpnGateway", "vpn", [], { custom: false });
    const gateway = res(GATEWAY, "vpn-gw", [], { parent: component.urn });
    // A pool that waits for the whole gateway component: now the gateway and the pool add up.
    const pool = res(POOL, "gpu", [eks.urn, component.urn]);
    const estimate = estimateDeployTime([role, eks, component, gateway, pool]);
    expect(estimate.seconds).toBe((CREATE_SECONDS[GATEWAY] ?? 0) + (CREATE_SECONDS[POOL] ?? 0));
    expect(estimate.chain.map((l) => l.name)).toEqual(["vpn-gw", "gpu"]);
    expect(estimate.chain.reduce((sum, l) => sum + l.seconds, 0)).toBe(estimate.seconds);
  });

  it("gives unlisted resources a default and components none, and says durations in words", () => {
    expect(estimateDeployTime([res("aws:iam/policy:Policy", "p")]).seconds).toBe(DEFAULT_SECONDS);
    expect(estimateDeployTime([res("x:index:Component", "c", [], { custom: false })]).seconds).toBe(0);
    expect([duration(45), duration(600), duration(4320)]).toEqual(["45 s", "10 min", "1 h 12 min"]);
  });
});
