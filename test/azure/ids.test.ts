import { describe, expect, it } from "vitest";
import { AzureEncryptedStorage, AzurePrivateCluster, AzureVnet } from "../../components/azure";
import {
  privateDnsZoneId,
  RESOURCE_GROUP_NAME,
  SUBNET_ID,
  VNET_ID,
  WORKSPACE_ID,
} from "../../components/azure/ids";
import { configErrorOf } from "../helpers/components";
import { RG, subnetId, VNET_ID as VNET } from "./support";

describe("Azure ids", () => {
  it("accept whole ARM ids of their kind only, whatever the case of the provider path", () => {
    expect(VNET_ID.safeParse(VNET).success).toBe(true);
    expect(VNET_ID.safeParse(VNET.replace("Microsoft.Network", "microsoft.network")).success).toBe(true);
    // A subnet id contains a VNet id, but is not one.
    expect(VNET_ID.safeParse(subnetId("system")).success).toBe(false);
    expect(SUBNET_ID.safeParse(subnetId("system")).success).toBe(true);
    expect(SUBNET_ID.safeParse(`${subnetId("system")}/extra`).success).toBe(false);
    expect(WORKSPACE_ID.safeParse("x/Microsoft.OperationalInsights/workspaces/w").success).toBe(false);
    const blob = privateDnsZoneId("privatelink.blob.core.windows.net");
    const zone = `/subscriptions/s/resourceGroups/${RG}/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net`;
    expect(blob.safeParse(zone).success).toBe(true);
    // The dots of the zone name are literal.
    expect(blob.safeParse(zone.replace("privatelink.blob", "privatelinkxblob")).success).toBe(false);
    expect(RESOURCE_GROUP_NAME.safeParse("rg-platform(1).x").success).toBe(true);
    expect(RESOURCE_GROUP_NAME.safeParse("rg/platform").success).toBe(false);
  });

  it("reject the same bad value with the same sentence in every component", () => {
    const bad = "rg/platform";
    const network = {
      virtualNetworkId: subnetId("system"),
      endpointSubnetId: subnetId("endpoints"),
    };
    const messages = [
      configErrorOf(() => new AzureVnet("v", { resourceGroupName: bad, location: "westeurope" })),
      configErrorOf(() => new AzureEncryptedStorage("s", { resourceGroupName: bad, network })),
      configErrorOf(
        () =>
          new AzurePrivateCluster("c", {
            resourceGroupName: bad,
            network: {
              virtualNetworkId: subnetId("system"),
              addressSpace: "10.30.0.0/16",
              systemSubnetId: subnetId("system"),
              outboundType: "userAssignedNATGateway",
            },
            adminGroupObjectIds: ["5f1c0d3e-1111-4a2b-9c3d-0123456789ab"],
            placement: { region: "westeurope", jurisdiction: "EU" },
          }),
      ),
    ].map((e) => e.issues);
    for (const issues of messages) {
      expect(issues).toContainEqual({
        path: "resourceGroupName",
        message: '"rg/platform" is not a resource group name (1-90 letters, digits, -, _, ., ( and ))',
      });
    }
    // Storage used to accept anything containing a VNet path, such as a subnet id.
    for (const issues of messages.slice(1)) {
      expect(issues).toContainEqual({
        path: "network.virtualNetworkId",
        message: expect.stringMatching(
          /^"\/subscriptions\/.+ is not a virtual network resource id \(\/subscriptions\/\.\.\.\/providers\/Microsoft\.Network\/virtualNetworks\/<vnet>\)$/,
        ),
      });
    }
  });
});
