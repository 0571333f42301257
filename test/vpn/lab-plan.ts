// The lab's sites, from a plan: the prod topology (an AWS VPC, an active-active Azure gateway and
// dc1's router, joined in a full mesh) declared with the library's components under the plan's
// mocks, as stacks/vpn.ts declares it. dc1's router runs exactly what OnPremVpnRouter renders; the
// clouds' ends are built from what the plan sends AWS and Azure (test/vpn/daemons/stand-ins.ts).
import * as pulumi from "@pulumi/pulumi";
import { AwsVpnGateway } from "../../components/aws";
import { AzureVpnGateway } from "../../components/azure";
import { awsAzureApipa, azureOnPremApipa, strongSwanProposals } from "../../components/facts";
import { OnPremVpnRouter } from "../../components/onprem";
import { type LinkTunnel, VpnLink } from "../../components/vpn";
import type { RecordedResource } from "../../scripts/plan";
import { one, resolved, startMocks } from "../helpers/mocks";
import type { SiteSpec } from "./daemons/harness";
import {
  awsTunnel,
  azureTunnel,
  type CloudTunnel,
  cloudBgpd,
  cloudSite,
  customerGatewayAsn,
} from "./daemons/stand-ins";
import { type ReplacementOptions, recordReplacementOptions } from "./registration-options";

/** The sites' networks and LAN addresses in the lab. */
export const NETWORKS = {
  onprem: { prefix: "10.10.0.0/16", lan: "10.10.0.1" },
  aws: { prefix: "10.20.0.0/16", lan: "10.20.0.1" },
  azure: { prefix: "10.30.0.0/16", lan: "10.30.0.1" },
} as const;

export const DC1 = { publicIp: "198.51.100.10", asn: 65010 } as const;

/** What a test changes in the plan (a sabotage, or a variant the library must handle). */
export interface PlanVariant {
  /** The on-premises router's ASN. */
  onpremAsn?: number;
  /** Rewrites the VPN connections' inputs before the AWS end is built from them. */
  awsConnection?: (name: string, inputs: Record<string, unknown>) => Record<string, unknown>;
  /** Rewrites the rendered router files before the lab loads them. */
  router?: (files: RouterFiles) => RouterFiles;
}

export interface RouterFiles {
  swanctlConf: string;
  bgpdConf: string;
  interfacesScript: string;
  charonConf: string;
}

/** The prod topology planned under mocks: the router's files and what AWS and Azure were sent. */
export interface PlannedVpn {
  router: RouterFiles;
  resources: RecordedResource[];
  options: ReplacementOptions[];
  tunnels: Record<"awsDc1" | "awsAzure" | "azureDc1", LinkTunnel[]>;
  azurePublicIps: [string, string];
}

export async function planVpn(variant: Pick<PlanVariant, "onpremAsn"> = {}): Promise<PlannedVpn> {
  const recorder = await startMocks();
  const options = recordReplacementOptions();
  const asn = variant.onpremAsn ?? DC1.asn;
  let declared:
    | {
        links: Record<"awsDc1" | "awsAzure" | "azureDc1", VpnLink>;
        router: OnPremVpnRouter;
        azure: AzureVpnGateway;
      }
    | undefined;
  await pulumi.runtime.runInPulumiStack(async () => {
    const aws = new AwsVpnGateway("vpn", {
      network: { vpcId: "vpc-0a1b2c3d", privateRouteTables: ["rtb-0a000000"] },
    });
    // The slots of prod's links (their site pairs' defaults): aws-azure 1, azure-onprem 2.
    const apipa: [string[], string[]] = [
      [...(awsAzureApipa(1)[0] ?? []), ...(azureOnPremApipa(2)[0] ?? [])],
      [...(awsAzureApipa(1)[1] ?? []), ...(azureOnPremApipa(2)[1] ?? [])],
    ];
    const azure = new AzureVpnGateway("gw", {
      resourceGroupName: "rg-net",
      gatewaySubnetId:
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/GatewaySubnet",
      apipaAddresses: apipa,
    });
    const awsEnd = { site: "aws", name: "aws", gateway: aws, networks: [NETWORKS.aws.prefix] } as const;
    const azureEnd = {
      site: "azure",
      name: "azure",
      gateway: azure,
      networks: [NETWORKS.azure.prefix],
    } as const;
    const dc1 = {
      site: "onprem",
      name: "dc1",
      publicIp: DC1.publicIp,
      asn,
      networks: [NETWORKS.onprem.prefix],
    } as const;
    const links = {
      awsDc1: new VpnLink("aws-dc1", { ends: [awsEnd, dc1] }),
      awsAzure: new VpnLink("aws-azure", { ends: [awsEnd, azureEnd] }),
      azureDc1: new VpnLink("azure-dc1", { ends: [azureEnd, dc1] }),
    };
    const router = new OnPremVpnRouter("dc1-router", {
      publicIp: DC1.publicIp,
      asn,
      prefixes: [NETWORKS.onprem.prefix],
      proposals: strongSwanProposals(links.awsDc1.suite),
      tunnels: [links.awsDc1.onpremTunnels, links.azureDc1.onpremTunnels],
      otherSiteAsns: [aws.amazonSideAsn, azure.asn, asn],
      uplink: "wan0",
    });
    declared = { links, router, azure };
    return {};
  });
  await recorder.settle();
  if (!declared) throw new Error("the plan declared nothing");
  const { links, router, azure } = declared;
  const files: RouterFiles = {
    swanctlConf: await resolved(router.swanctlConf),
    bgpdConf: await resolved(router.bgpdConf),
    interfacesScript: await resolved(router.interfacesScript),
    charonConf: await resolved(router.charonConf),
  };
  return {
    router: files,
    resources: recorder.resources,
    options: options.all(),
    tunnels: {
      awsDc1: await resolved(links.awsDc1.tunnels),
      awsAzure: await resolved(links.awsAzure.tunnels),
      azureDc1: await resolved(links.azureDc1.tunnels),
    },
    azurePublicIps: [await resolved(azure.publicIps[0]), await resolved(azure.publicIps[1])],
  };
}

const inputsOf = (plan: PlannedVpn, type: string, name: string) =>
  one(plan.resources, type, name).plainInputs;

/** dc1's router: the rendered files as they are (unless a variant rewrites them), on its LAN. */
export function routerSite(plan: PlannedVpn, variant: PlanVariant = {}): SiteSpec {
  const files = variant.router ? variant.router(plan.router) : plan.router;
  return {
    name: "onprem",
    swanctlConf: files.swanctlConf,
    strongswanConf: files.charonConf,
    interfacesScript: files.interfacesScript,
    bgpdConf: files.bgpdConf,
    lanAddresses: [`${NETWORKS.onprem.lan}/16`],
  };
}

/** An AWS connection's inputs, as the variant rewrites them. */
function awsConnection(plan: PlannedVpn, variant: PlanVariant, name: string): Record<string, unknown> {
  const inputs = inputsOf(plan, "aws:ec2/vpnConnection:VpnConnection", name);
  return variant.awsConnection ? variant.awsConnection(name, inputs) : inputs;
}

/**
 * AWS's end: the aws-dc1 connection's two tunnels to the router and, when `withAzure`, the first
 * tunnel of the aws-azure connection to Azure's instance 0 (the lab runs one of the four).
 */
export function awsSite(
  plan: PlannedVpn,
  variant: PlanVariant,
  withAzure: boolean,
): { site: SiteSpec; tunnels: CloudTunnel[] } {
  const gatewayAsn = Number(inputsOf(plan, "aws:ec2/vpnGateway:VpnGateway", "vpn").amazonSideAsn);
  const dc1 = awsConnection(plan, variant, "aws-dc1-1");
  const dc1Gateway = inputsOf(plan, "aws:ec2/customerGateway:CustomerGateway", "aws-dc1-1");
  const tunnels = ([1, 2] as const).map((n) =>
    awsTunnel(
      { name: `dc1-${n}`, ifId: n, n, local: plan.tunnels.awsDc1[n - 1]?.outside[0] ?? "" },
      dc1,
      dc1Gateway,
    ),
  );
  const neighbors = ([1, 2] as const).map((n) => ({
    address: routerInside(dc1, n),
    asn: customerGatewayAsn(dc1Gateway),
  }));
  if (withAzure) {
    const toAzure = awsConnection(plan, variant, "aws-azure-1");
    const azureGateway = inputsOf(plan, "aws:ec2/customerGateway:CustomerGateway", "aws-azure-1");
    tunnels.push(
      awsTunnel(
        { name: "azure-1", ifId: 3, n: 1, local: plan.tunnels.awsAzure[0]?.outside[0] ?? "" },
        toAzure,
        azureGateway,
      ),
    );
    neighbors.push({ address: routerInside(toAzure, 1), asn: customerGatewayAsn(azureGateway) });
  }
  const bgpd = cloudBgpd({
    asn: gatewayAsn,
    routerId: "10.20.0.1",
    networks: [NETWORKS.aws.prefix],
    neighbors,
  });
  return { site: cloudSite({ name: "aws", tunnels, bgpd, lan: `${NETWORKS.aws.lan}/16` }), tunnels };
}

/** The peer's address in a tunnel's inside /30: AWS takes the first host, its peer the second. */
function routerInside(connection: Record<string, unknown>, n: 1 | 2): string {
  const [network = ""] = String(connection[`tunnel${n}InsideCidr`]).split("/");
  const o = network.split(".").map(Number);
  return [...o.slice(0, 3), (o[3] ?? 0) + 2].join(".");
}

/**
 * Azure's gateway instance `instance`: its tunnel of the azure-dc1 connection to the router and,
 * for instance 0 when `withAws`, its end of AWS's first tunnel. Each instance is a BGP speaker of
 * its own, with the VNet's prefix behind it.
 */
export function azureSite(
  plan: PlannedVpn,
  instance: 0 | 1,
  withAws: boolean,
): { site: SiteSpec; tunnels: CloudTunnel[] } {
  const gateway = inputsOf(plan, "azure-native:network:VirtualNetworkGateway", "gw") as {
    bgpSettings: { asn: number };
  };
  const toRouter = inputsOf(plan, "azure-native:network:VirtualNetworkGatewayConnection", "azure-dc1-1");
  const routerLocal = inputsOf(plan, "azure-native:network:LocalNetworkGateway", "azure-dc1-1") as {
    gatewayIpAddress: string;
    bgpSettings: { asn: number; bgpPeeringAddress: string };
  };
  const apipa = (connection: Record<string, unknown>) =>
    (connection.gatewayCustomBgpIpAddresses as { customBgpIpAddress: string }[])[instance]
      ?.customBgpIpAddress ?? "";
  const own = apipa(toRouter);
  const routerBgp = routerLocal.bgpSettings.bgpPeeringAddress;
  const local = plan.azurePublicIps[instance];
  const tunnels = [
    azureTunnel(
      {
        name: "dc1",
        ifId: 1,
        instance,
        local,
        inside: [`ip route add ${routerBgp}/32 dev xfrm-1 src ${own}`],
      },
      toRouter,
      routerLocal,
    ),
  ];
  const neighbors = [{ address: routerBgp, asn: routerLocal.bgpSettings.asn, passive: true, source: own }];
  if (withAws && instance === 0) {
    const toAws = inputsOf(plan, "azure-native:network:VirtualNetworkGatewayConnection", "aws-azure-azure-1");
    const awsLocal = inputsOf(plan, "azure-native:network:LocalNetworkGateway", "aws-azure-azure-1") as {
      gatewayIpAddress: string;
      bgpSettings: { asn: number; bgpPeeringAddress: string };
    };
    tunnels.push(
      azureTunnel(
        { name: "aws-1", ifId: 2, instance, local, inside: [`ip address add ${apipa(toAws)}/30 dev xfrm-2`] },
        toAws,
        awsLocal,
      ),
    );
    neighbors.push({
      address: awsLocal.bgpSettings.bgpPeeringAddress,
      asn: awsLocal.bgpSettings.asn,
      passive: true,
      source: "",
    });
  }
  const bgpd = cloudBgpd({
    asn: gateway.bgpSettings.asn,
    routerId: own,
    networks: [NETWORKS.azure.prefix],
    neighbors: neighbors.map((n) => (n.source ? n : { address: n.address, asn: n.asn, passive: n.passive })),
  });
  return {
    site: cloudSite({
      name: `azure${instance}`,
      tunnels,
      loopback: [own],
      bgpd,
      lan: `${NETWORKS.azure.lan}/16`,
    }),
    tunnels,
  };
}
