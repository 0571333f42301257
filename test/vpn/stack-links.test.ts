// The reference stack's VPN links on prod's own config (stacks/Pulumi.prod.yaml): the stack's site
// model reads the links, its declareVpn joins the sites' VPN ends (the gateways stand in for the
// sites' own, built from the same site facts) under the plan's mocks. A link keeps its addresses
// and resources whatever other links come or go, a 4-byte on-premises ASN reaches AWS as
// bgpAsnExtended, and the slots the config can name are checked by config path.
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { AwsVpnGateway } from "../../components/aws";
import { AzureVpnGateway } from "../../components/azure";
import {
  awsAzureApipa,
  azureOnPremApipa,
  type RouterLinkSlot,
  sharedRouterSlotClashes,
} from "../../components/facts";
import type { RecordedResource } from "../../scripts/plan";
import { readStackFile } from "../../scripts/plan/stack-file";
import { type PlatformConfig, parsePlatformConfig, sitesOf } from "../../stacks/config";
import { declareVpn } from "../../stacks/joins";
import type { SiteVpnEnd } from "../../stacks/sites";
import { configErrorOf } from "../helpers/components";
import { resolved, startMocks } from "../helpers/mocks";

const root = resolve(__dirname, "../..");

/** prod's config as the program reads it, after `edit` changes the raw values. */
function prodConfig(edit: (raw: Record<string, unknown>) => void = () => {}): PlatformConfig {
  const file = readStackFile(root, "prod");
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(file.config)) {
    if (!key.startsWith("hybrid-ai-infra:") || file.secretKeys.includes(key)) continue;
    try {
      raw[key.slice("hybrid-ai-infra:".length)] = JSON.parse(value);
    } catch {
      raw[key.slice("hybrid-ai-infra:".length)] = value;
    }
  }
  edit(raw);
  return parsePlatformConfig("prod", raw);
}

/** The links of `config`, joined by the stack's declareVpn, between gateways built from the site model. */
async function declareLinks(
  config: PlatformConfig,
): Promise<{ resources: RecordedResource[]; bgpd: string }> {
  const recorder = await startMocks({ stack: "prod" });
  let bgpd: pulumi.Output<string> | undefined;
  await pulumi.runtime.runInPulumiStack(async () => {
    const common = { environment: "prod" };
    const sites = sitesOf(config);
    const ends: Partial<Record<"aws" | "azure" | "onprem", SiteVpnEnd>> = {};
    if (sites.aws?.linked) {
      const gateway = new AwsVpnGateway("eks-vpn", {
        network: { vpcId: "vpc-0a1b2c3d", privateRouteTables: ["rtb-0a000000"] },
      });
      ends.aws = { end: { site: "aws", name: "aws", gateway, networks: [sites.aws.cidr] }, opts: {} };
    }
    if (sites.azure?.linked) {
      // The custom APIPA addresses of every link ending on Azure, each from its link's slot.
      const apipa: [string[], string[]] = [[], []];
      for (const link of sites.links) {
        if (link.pair !== "aws-azure" && link.pair !== "azure-onprem") continue;
        const [zero, one] =
          link.pair === "aws-azure" ? awsAzureApipa(link.slot) : azureOnPremApipa(link.slot);
        apipa[0].push(...zero);
        apipa[1].push(...one);
      }
      const gateway = new AzureVpnGateway("aks-vpn", {
        resourceGroupName: "rg-net",
        gatewaySubnetId:
          "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/GatewaySubnet",
        apipaAddresses: apipa,
      });
      ends.azure = {
        end: { site: "azure", name: "azure", gateway, networks: [sites.azure.addressSpace] },
        opts: {},
      };
    }
    const onprem = sites.onprem;
    const router = onprem?.config.router;
    if (onprem?.linked && router && onprem.networkCidr) {
      ends.onprem = {
        end: {
          site: "onprem",
          name: onprem.name,
          publicIp: router.publicIp,
          asn: router.asn,
          networks: [onprem.networkCidr],
        },
        opts: {},
      };
    }
    bgpd = declareVpn(sites, common, ends)?.onpremRouter?.bgpdConf;
    return {};
  });
  await recorder.settle();
  if (!bgpd) throw new Error("no router was rendered");
  return { resources: recorder.resources, bgpd: await resolved(bgpd) };
}

const LINKS = ["aws-dc1", "aws-azure", "azure-dc1"];
/** A resource's link: the link name its own name starts with. */
const linkOf = (r: RecordedResource) => LINKS.find((l) => r.name === l || r.name.startsWith(`${l}-`));

describe("prod's VPN links, keyed by their site pairs", () => {
  it("removing the aws-azure link leaves the other two links' addresses and resources as they were", async () => {
    const all = await declareLinks(prodConfig());
    const fewer = await declareLinks(
      prodConfig((raw) => {
        const vpn = raw.vpn as { links: { sites: string[] }[] };
        vpn.links = vpn.links.filter((l) => l.sites.join() !== "aws,azure");
        // product-catalog's backup to Azure goes over that link.
        const aws = raw.aws as { buckets: { datasets: unknown[] }[] };
        for (const b of aws.buckets)
          b.datasets = b.datasets.map((d) => (typeof d === "string" ? d : (d as { name: string }).name));
      }),
    );
    const kept = (rs: RecordedResource[]) =>
      Object.fromEntries(
        rs
          .filter((r) => r.custom && (linkOf(r) === "aws-dc1" || linkOf(r) === "azure-dc1"))
          .map((r) => [r.urn, r.plainInputs]),
      );
    const before = kept(all.resources);
    expect(Object.keys(before).length).toBeGreaterThan(6);
    // Same URNs, same inputs: no connection replaced, no inside address moved.
    expect(kept(fewer.resources)).toEqual(before);
    expect(fewer.resources.filter((r) => linkOf(r) === "aws-azure")).toEqual([]);
    // The router's interface ids (hence its policy names) stay too.
    for (const name of ["XFRM1", "XFRM2", "XFRM9", "XFRM10"])
      expect(fewer.bgpd).toContain(`route-map FROM-${name} `);
  });

  it("sends a 4-byte on-premises ASN as the customer gateway's bgpAsnExtended, and Azure's as bgpAsn", async () => {
    const { resources, bgpd } = await declareLinks(
      prodConfig((raw) => {
        (raw.onprem as { router: { asn: number } }).router.asn = 4_200_000_001;
      }),
    );
    const gateways = resources.filter((r) => r.type === "aws:ec2/customerGateway:CustomerGateway");
    const byName = Object.fromEntries(gateways.map((g) => [g.name, g.inputs]));
    expect(byName["aws-dc1-1"]).toMatchObject({ bgpAsnExtended: "4200000001", ipAddress: "198.51.100.10" });
    expect(byName["aws-dc1-1"]).not.toHaveProperty("bgpAsn");
    expect(byName["aws-azure-1"]).toMatchObject({ bgpAsn: "65000" });
    expect(byName["aws-azure-2"]).toMatchObject({ bgpAsn: "65000" });
    expect(bgpd).toContain("router bgp 4200000001");
  });
});

describe("the inside /28 a link's config names", () => {
  const withLinks = (links: unknown[]) => () =>
    prodConfig((raw) => {
      (raw.vpn as { links: unknown[] }).links = links;
    });

  it("defaults to the site pair's slot, whatever the link's position", () => {
    const config = prodConfig((raw) => {
      (raw.vpn as { links: unknown[] }).links.reverse();
    });
    expect(sitesOf(config).links.map((l) => [l.sites.join("-"), l.slot])).toEqual([
      ["azure-onprem", 2],
      ["aws-azure", 1],
      ["aws-onprem", 0],
    ]);
  });

  it("refuses a /28 outside Azure's APIPA range or with host bits, and two links on one /28, by config path", () => {
    const message = configErrorOf(
      withLinks([
        { sites: ["aws", "onprem"], insideCidr: "169.254.23.0/28" },
        { sites: ["aws", "azure"], insideCidr: "169.254.21.20/28" },
        { sites: ["azure", "onprem"], insideCidr: "169.254.21.16/28" },
      ]),
    ).message;
    expect(message).toContain("vpn.links[0].insideCidr: is not a /28 of 169.254.21.0/24 or 169.254.22.0/24");
    expect(message).toContain("vpn.links[1].insideCidr");
    expect(message).toContain("has host bits set; did you mean 169.254.21.16/28?");
    const clash = configErrorOf(
      withLinks([
        { sites: ["aws", "onprem"], insideCidr: "169.254.21.32/28" },
        { sites: ["aws", "azure"] },
        { sites: ["azure", "onprem"] },
      ]),
    ).message;
    expect(clash).toContain(
      "vpn.links[2].insideCidr: takes 169.254.21.32/28, as vpn.links[0] does; give each link its own /28",
    );
  });
});

describe("links of several environments on one router", () => {
  const link = (
    environment: string,
    name: string,
    slot: number,
    router = "198.51.100.10",
  ): RouterLinkSlot => ({
    environment,
    router,
    link: name,
    slot,
    path: `vpn.links[${slot}].insideCidr`,
  });

  it("clash when two environments take one /28 on one router, and not on different routers or /28s", () => {
    expect(
      sharedRouterSlotClashes([
        link("prod", "aws-dc1", 0),
        link("prod", "azure-dc1", 2),
        link("dev", "aws-dc1", 0),
        link("staging", "aws-dc1", 0, "198.51.100.20"),
        link("dev", "azure-dc1", 16),
      ]),
    ).toEqual([
      {
        environment: "dev",
        path: "vpn.links[0].insideCidr",
        message:
          "aws-dc1 takes 169.254.21.0/28 on router 198.51.100.10, as prod's aws-dc1 does (vpn.links[0].insideCidr); give each environment's links on one router a /28 of their own",
      },
    ]);
  });
});
