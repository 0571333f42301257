// One definition per rule: whatever the stack config accepts for the Azure cluster, the component
// accepts too, as the stack hands it over (property-tested over names, ranges, roles, versions).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clusterArgsSchema } from "../../components/azure/cluster";

import { parsePlatformConfig } from "../../stacks/config";
import { referenceStackConfig } from "../helpers/stack-config";

function stagingConfig(): Record<string, any> {
  return referenceStackConfig("staging");
}

const VNET =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v";
const GUID = "2e1b5c4a-1d3f-4b6e-9a8c-0f1e2d3c4b5a";

const variant = fc.record({
  pool: fc.stringMatching(/^[a-z0-9-]{1,44}$/),
  namespace: fc.option(fc.stringMatching(/^[a-zA-Z0-9._-]{1,70}$/), { nil: undefined }),
  role: fc.constantFrom("ClusterAdmin", "Admin", "Writer", "Reader", "Owner"),
  podPrefix: fc.integer({ min: 6, max: 28 }),
  servicePrefix: fc.integer({ min: 6, max: 28 }),
  version: fc.constantFrom("1.33", "1.34", "1.3", "1.99", "2.0", "1.340"),
  retention: fc.integer({ min: 1, max: 1000 }),
  minCount: fc.integer({ min: 0, max: 6 }),
  maxCount: fc.integer({ min: 0, max: 6 }),
});

describe("the stack config and AzurePrivateCluster agree", () => {
  it("whatever the config accepts for the Azure cluster, the component accepts", () => {
    fc.assert(
      fc.property(variant, (v) => {
        const raw = stagingConfig();
        const cluster = raw.azure.cluster;
        cluster.nodePools[0].name = v.pool;
        cluster.nodePools[0].minCount = v.minCount;
        cluster.nodePools[0].maxCount = v.maxCount;
        cluster.podCidr = `100.64.0.0/${v.podPrefix}`;
        cluster.serviceCidr = `172.16.0.0/${v.servicePrefix}`;
        cluster.kubernetesVersion = v.version;
        cluster.logRetentionDays = v.retention;
        cluster.rbacAssignments = [
          {
            principalId: GUID,
            role: v.role,
            ...(v.namespace === undefined ? {} : { namespace: v.namespace }),
          },
        ];
        let parsed: ReturnType<typeof parsePlatformConfig>;
        try {
          parsed = parsePlatformConfig("staging", raw);
        } catch {
          return; // refused by config: nothing to compare
        }
        const { name: _name, encryptionAtHost: _e, ...rest } = parsed.azure?.cluster ?? ({} as never);
        const args = {
          ...rest,
          resourceGroupName: "rg",
          network: {
            virtualNetworkId: VNET,
            addressSpace: "10.30.0.0/16",
            systemSubnetId: `${VNET}/subnets/system`,
            gpuSubnetId: `${VNET}/subnets/gpu`,
            outboundType: "userAssignedNATGateway",
          },
          placement: { region: "westeurope", jurisdiction: "EU" },
        };
        const result = clusterArgsSchema.safeParse(args);
        expect(
          result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
        ).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
