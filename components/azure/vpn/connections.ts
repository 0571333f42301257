import { createHash } from "node:crypto";
import { LocalNetworkGateway, VirtualNetworkGatewayConnection } from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import type { AzureIpsecPolicy } from "../../facts";
import { childName } from "../../kit";
import { locatedIn } from "../group";

/** One remote tunnel endpoint the Azure gateway connects to (an AWS tunnel, or a router). */
export interface AzureRemoteTunnel {
  /** The remote end's outside (public) address. */
  outsideIp: pulumi.Input<string>;
  /** The remote end's BGP address (its inside address). */
  peerInside: string;
  /** The remote end's ASN. */
  peerAsn: number;
  /** The tunnel's pre-shared key (secret). */
  presharedKey: pulumi.Input<string>;
  /** The resource the key comes from (a `RandomPassword`): replacing it replaces the connection. */
  keySource?: pulumi.Resource;
  /** The custom APIPA address each gateway instance uses on this connection (instance 0, instance 1). */
  customBgp: [string, string];
}

/** The Azure end of one link: the gateway, the suite as an IPsec policy, and the remote tunnels. */
export interface AzureLinkEnd {
  gatewayId: pulumi.Input<string>;
  resourceGroupName: pulumi.Input<string>;
  location: string | undefined;
  ipConfigurationIds: [pulumi.Input<string>, pulumi.Input<string>];
  ipsecPolicy: AzureIpsecPolicy;
  dpdTimeoutSeconds: number;
  /** Whether Azure opens IKE (`Default`) or only answers (`ResponderOnly`, towards a router that initiates). */
  connectionMode: "Default" | "ResponderOnly";
  tunnels: AzureRemoteTunnel[];
  tags: Record<string, string>;
}

/**
 * A local network gateway and a connection per remote tunnel: IKEv2, the suite as the
 * connection's only IPsec policy, BGP over the remote end's inside address with the custom APIPA
 * address each gateway instance uses toward it (Azure otherwise takes the first of its list for
 * every connection), route-based selectors, the tunnel's key kept secret.
 *
 * A new key replaces the connection: ARM ignores `sharedKey` on an update of an existing
 * connection (the key is set through the separate SetSharedKey operation, which azure-native has
 * no resource for; terraform-provider-azurerm #11673, fixed there by #11742 calling it), so an
 * in-place update would report success and leave the tunnel down. The replacement is triggered by
 * the key's hash (Pulumi CLI 3.211 or later) and by the replacement of the key's resource
 * (`replaceWith`, 3.207 or later), and deletes the old connection first: one connection per pair
 * of gateways.
 */
export function createAzureVpnConnections(
  name: string,
  parent: pulumi.Resource,
  end: AzureLinkEnd,
): VirtualNetworkGatewayConnection[] {
  const where = { resourceGroupName: end.resourceGroupName, ...locatedIn(end.location) };
  return end.tunnels.map((tunnel, i) => {
    const tunnelName = childName(name, String(i + 1));
    const local = new LocalNetworkGateway(
      tunnelName,
      {
        ...where,
        gatewayIpAddress: tunnel.outsideIp,
        // Routes come over BGP: no static address space.
        bgpSettings: { asn: tunnel.peerAsn, bgpPeeringAddress: tunnel.peerInside },
        tags: end.tags,
      },
      { parent },
    );
    return new VirtualNetworkGatewayConnection(
      tunnelName,
      {
        ...where,
        connectionType: "IPsec",
        connectionProtocol: "IKEv2",
        virtualNetworkGateway1: { id: end.gatewayId },
        localNetworkGateway2: { id: local.id },
        enableBgp: true,
        sharedKey: pulumi.secret(tunnel.presharedKey),
        ipsecPolicies: [end.ipsecPolicy],
        usePolicyBasedTrafficSelectors: false,
        dpdTimeoutSeconds: end.dpdTimeoutSeconds,
        connectionMode: end.connectionMode,
        gatewayCustomBgpIpAddresses: end.ipConfigurationIds.map((ipConfigurationId, instance) => ({
          ipConfigurationId,
          customBgpIpAddress: tunnel.customBgp[instance] as string,
        })),
        tags: end.tags,
      },
      {
        parent,
        additionalSecretOutputs: ["sharedKey"],
        deleteBeforeReplace: true,
        replacementTrigger: pulumi
          .secret(tunnel.presharedKey)
          .apply((key) => createHash("sha256").update(key).digest("hex")),
        ...(tunnel.keySource ? { replaceWith: [tunnel.keySource] } : {}),
      },
    );
  });
}
