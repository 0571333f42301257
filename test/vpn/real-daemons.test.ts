// The rendered VPN configurations against the real daemons: strongSwan's charon and FRR in two network
// namespaces (test/vpn/daemons/harness.ts). Skipped where it cannot run at all (not Linux, not
// root); on a Linux machine as root it fails when the daemons are missing, so CI cannot skip it by
// accident (.ci/run installs them).
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AwsVpnGateway } from "../../components/aws";
import { AzureVpnGateway } from "../../components/azure";
import { azureOnPremApipa, strongSwanProposals } from "../../components/facts";
import { OnPremVpnRouter } from "../../components/onprem";
import { VpnLink, type VpnLinkEnd } from "../../components/vpn";
import type { RecordedResource } from "../../scripts/plan";
import { resolved, startMocks } from "../helpers/mocks";
import { bgpdConf as withLabLines } from "./daemons/configs";
import { daemonSupport, type Lab, type RouterSpec, withRouters } from "./daemons/harness";
import { type IkeSa, ikeSas } from "./daemons/swanctl";

const support = daemonSupport();
const skip = !support.ok && support.skip;
if (skip) console.warn(`test/vpn/real-daemons.test.ts skipped: ${support.reason}`);

/** The two routers: an on-premises one and one standing in for AWS's end of the tunnel. */
const ONPREM = {
  name: "onprem",
  outside: "198.51.100.10",
  inside: "169.254.21.2",
  lanAddress: "10.10.0.1",
  prefix: "10.10.0.0/16",
  asn: 65010,
} as const;
const AWS = {
  name: "aws",
  /** The plan's mocks give AWS's tunnels their outside addresses; see renderedRouters. */
  outside: "",
  inside: "169.254.21.1",
  lanAddress: "10.20.0.1",
  prefix: "10.20.0.0/16",
  asn: 64512,
} as const;
interface Side {
  name: string;
  outside: string;
  inside: string;
  lanAddress: string;
  prefix: string;
  asn: number;
}

/** What the tests need besides the specs: which CHILD SA to rekey. */
interface Routers {
  onprem: RouterSpec;
  aws: RouterSpec;
  /** The on-premises CHILD SA's config name (`children { <name> { ... } }`). */
  onpremChild: string;
}

type Variant = "strong" | "weak-ikev1" | "weak-ikev2-sha1";

// AWS's tunnel-option vocabulary read back into strongSwan's: written here, apart from the library's
// own mapping, so a wrong entry there shows up as a failed negotiation here.
const SWAN_ENCRYPTION: Record<string, string> = {
  "AES256-GCM-16": "aes256gcm16",
  "AES128-GCM-16": "aes128gcm16",
  AES256: "aes256",
};
const SWAN_HASH: Record<string, string> = {
  "SHA2-256": "sha256",
  "SHA2-384": "sha384",
  "SHA2-512": "sha512",
};
const SWAN_GROUP: Record<number, string> = { 14: "modp2048", 19: "ecp256", 20: "ecp384", 24: "modp2048s256" };

/** The one proposal an AWS tunnel's phase options allow, in strongSwan's words. */
function awsProposal(inputs: Record<string, unknown>, phase: 1 | 2): string {
  const one = (field: string): unknown => {
    const list = inputs[`tunnel1Phase${phase}${field}`];
    expect(list, `tunnel1Phase${phase}${field}`).toHaveLength(1);
    return (list as unknown[])[0];
  };
  const encryption = SWAN_ENCRYPTION[String(one("EncryptionAlgorithms"))];
  const hash = SWAN_HASH[String(one("IntegrityAlgorithms"))];
  const group = SWAN_GROUP[Number(one("DhGroupNumbers"))];
  const aead = encryption?.includes("gcm");
  if (phase === 1) return aead ? `${encryption}-prf${hash}-${group}` : `${encryption}-${hash}-${group}`;
  return aead ? `${encryption}-${group}` : `${encryption}-${hash}-${group}`;
}

/**
 * Plans, under the plan's mocks, a link from the cloud end `cloud` declares to dc1 (inside slot 0),
 * and renders dc1's router for the link's first tunnel (the lab has one peer).
 */
async function planLinkToDc1(
  name: string,
  cloud: () => VpnLinkEnd,
): Promise<{ resources: RecordedResource[]; link: { link: VpnLink; router: OnPremVpnRouter } }> {
  const recorder = await startMocks();
  let declared: { link: VpnLink; router: OnPremVpnRouter } | undefined;
  await pulumi.runtime.runInPulumiStack(async () => {
    const link = new VpnLink(name, {
      ends: [
        cloud(),
        { site: "onprem", name: "dc1", publicIp: ONPREM.outside, asn: ONPREM.asn, networks: [ONPREM.prefix] },
      ],
      insideSlot: 0,
    });
    const router = new OnPremVpnRouter("dc1-router", {
      publicIp: ONPREM.outside,
      asn: ONPREM.asn,
      prefixes: [ONPREM.prefix],
      proposals: strongSwanProposals(link.suite),
      tunnels: [link.onpremTunnels.apply((tunnels) => tunnels.slice(0, 1))],
    });
    declared = { link, router };
    return {};
  });
  await recorder.settle();
  if (!declared) throw new Error(`${name} was not declared`);
  return { resources: recorder.resources, link: declared };
}

/**
 * The configurations under test. The on-premises router's are the library's: a VpnLink from an
 * AwsVpnGateway to dc1 planned under the plan's mocks, its router rendered by OnPremVpnRouter (tunnel
 * 1 only: the lab has one peer). AWS's end is built from the VPN connection's tunnel-1 inputs as the
 * plan records them (its proposals, key and inside address) and answers (trap). A weak variant
 * makes AWS's stand-in offer only IKEv1 or aes128-sha1-modp1024 and initiate.
 */
async function renderedRouters(variant: Variant): Promise<Routers> {
  const { resources, link } = await planLinkToDc1("aws-dc1", () => ({
    site: "aws",
    name: "aws",
    gateway: new AwsVpnGateway("vpn", {
      network: { vpcId: "vpc-0a1b2c3d", privateRouteTables: ["rtb-0a000000"] },
    }),
    networks: [AWS.prefix],
  }));
  const router = link.router;
  const connection = resources.find((r) => r.type === "aws:ec2/vpnConnection:VpnConnection");
  const inputs = connection?.plainInputs ?? {};
  const [tunnel] = await resolved(link.link.tunnels);
  const awsOutside = tunnel?.outside[0] ?? "";
  expect(inputs.tunnel1InsideCidr).toBe("169.254.21.0/30");
  expect(inputs.tunnel1IkeVersions).toEqual(["ikev2"]);
  const weak = variant !== "strong";
  const aws = { ...AWS, outside: awsOutside };
  const awsSwanctl = swanctlConf({
    local: aws,
    remote: ONPREM,
    connection: "onprem-tunnel1",
    psk: String(inputs.tunnel1PresharedKey),
    version: variant === "weak-ikev1" ? 1 : 2,
    ike: weak ? "aes128-sha1-modp1024" : awsProposal(inputs, 1),
    esp: weak ? "aes128-sha1-modp1024" : awsProposal(inputs, 2),
    child: weak
      ? "start_action = start\ndpd_action = clear\nclose_action = none"
      : "start_action = trap\ndpd_action = clear\nclose_action = none",
  });
  return {
    onprem: {
      name: ONPREM.name,
      outsideAddress: ONPREM.outside,
      swanctlConf: await resolved(router.swanctlConf),
      bgpdConf: await resolved(router.bgpdConf),
      insideAddresses: [`${ONPREM.inside}/30`],
      lanAddresses: [`${ONPREM.lanAddress}/16`],
    },
    aws: {
      name: AWS.name,
      outsideAddress: awsOutside,
      swanctlConf: awsSwanctl,
      bgpdConf: bgpdConf(AWS, ONPREM),
      insideAddresses: [`${AWS.inside}/30`],
      lanAddresses: [`${AWS.lanAddress}/16`],
    },
    onpremChild: "aws-dc1-1",
  };
}

function swanctlConf(o: {
  local: Side;
  remote: Side;
  connection: string;
  psk: string;
  version: 1 | 2;
  ike: string;
  esp: string;
  child: string;
}): string {
  const childLines = o.child
    .split("\n")
    .map((line) => `                ${line}`)
    .join("\n");
  return `connections {
    ${o.connection} {
        version = ${o.version}
        local_addrs = ${o.local.outside}
        remote_addrs = ${o.remote.outside}
        proposals = ${o.ike}
        rekey_time = 28260s
        rand_time = 540s
        over_time = 540s
        dpd_delay = 10s
        mobike = no
        unique = replace
        local {
            auth = psk
            id = ${o.local.outside}
        }
        remote {
            auth = psk
            id = ${o.remote.outside}
        }
        children {
            ${o.connection}-child {
                mode = tunnel
                local_ts = 0.0.0.0/0
                remote_ts = 0.0.0.0/0
                esp_proposals = ${o.esp}
                rekey_time = 3060s
                life_time = 3600s
                rand_time = 540s
${childLines}
            }
        }
    }
}

secrets {
    ike-${o.connection} {
        id = ${o.remote.outside}
        secret = "${o.psk}"
    }
}
`;
}

function bgpdConf(side: Side, peer: Side): string {
  return `frr defaults traditional
!
route-map ALLOW-ALL permit 10
!
router bgp ${side.asn}
 bgp router-id ${side.inside}
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor ${peer.inside} remote-as ${peer.asn}
 neighbor ${peer.inside} description ${peer.name}
 neighbor ${peer.inside} timers 10 30
 neighbor ${peer.inside} timers connect 2
 neighbor ${peer.inside} advertisement-interval 0
 !
 address-family ipv4 unicast
  network ${side.prefix}
  neighbor ${peer.inside} route-map ALLOW-ALL in
  neighbor ${peer.inside} route-map ALLOW-ALL out
 exit-address-family
!
`;
}

// Azure's IpsecPolicy read back into strongSwan's words, apart from the library's mapping.
const AZURE_SWAN: Record<string, string> = {
  GCMAES256: "aes256gcm16",
  GCMAES128: "aes128gcm16",
  AES256: "aes256",
  SHA256: "sha256",
  SHA384: "sha384",
  DHGroup14: "modp2048",
  PFS2048: "modp2048",
  ECP256: "ecp256",
  ECP384: "ecp384",
  DHGroup24: "modp2048s256",
  PFS24: "modp2048s256",
};

/** strongSwan's IKE and ESP proposals for an Azure connection's one IPsec policy. */
function azureProposals(policy: Record<string, string>): { ike: string; esp: string } {
  const word = (value: string | undefined) => {
    const found = AZURE_SWAN[String(value)];
    expect(found, `Azure value ${value}`).toBeDefined();
    return found as string;
  };
  const ikeAead = policy.ikeEncryption?.startsWith("GCM");
  const espAead = policy.ipsecEncryption?.startsWith("GCM");
  return {
    ike: ikeAead
      ? `${word(policy.ikeEncryption)}-prf${word(policy.ikeIntegrity)}-${word(policy.dhGroup)}`
      : `${word(policy.ikeEncryption)}-${word(policy.ikeIntegrity)}-${word(policy.dhGroup)}`,
    esp: espAead
      ? `${word(policy.ipsecEncryption)}-${word(policy.pfsGroup)}`
      : `${word(policy.ipsecEncryption)}-${word(policy.ipsecIntegrity)}-${word(policy.pfsGroup)}`,
  };
}

/**
 * An azure-onprem link planned under the mocks: the router's configuration rendered for its tunnel
 * to the gateway's instance 0, and Azure's end built from the connection the plan records (its one
 * IPsec policy, shared key, ASN and instance 0's custom APIPA address). The router peers from one
 * address, multihop; in the lab that address and instance 0's share the first /30 of the slot.
 */
async function renderedAzureRouters(): Promise<{ routers: Routers; azure: Side }> {
  let gatewayIp: pulumi.Output<string> | undefined;
  const { resources, link } = await planLinkToDc1("azure-dc1", () => {
    const gateway = new AzureVpnGateway("gw", {
      resourceGroupName: "rg-net",
      gatewaySubnetId:
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/GatewaySubnet",
      apipaAddresses: azureOnPremApipa(0),
    });
    gatewayIp = gateway.publicIps[0];
    return { site: "azure", name: "azure", gateway, networks: ["10.30.0.0/16"] };
  });
  const router = link.router;
  if (!gatewayIp) throw new Error("the gateway was not declared");
  const connection = resources.find((r) => r.type === "azure-native:network:VirtualNetworkGatewayConnection");
  const inputs = connection?.plainInputs ?? {};
  expect(inputs.connectionProtocol).toBe("IKEv2");
  const [policy] = inputs.ipsecPolicies as Record<string, string>[];
  const proposals = azureProposals(policy ?? {});
  const [instance0] = (inputs.gatewayCustomBgpIpAddresses as { customBgpIpAddress: string }[]).map(
    (x) => x.customBgpIpAddress,
  );
  const azure: Side = {
    name: "azure",
    outside: await resolved(gatewayIp),
    inside: instance0 ?? "",
    lanAddress: "10.30.0.1",
    prefix: "10.30.0.0/16",
    asn: 65000,
  };
  // The local network gateway's BGP address: the router's one address.
  const local = resources.find((r) => r.type === "azure-native:network:LocalNetworkGateway");
  const onprem = {
    ...ONPREM,
    inside: String(
      (local?.inputs.bgpSettings as { bgpPeeringAddress?: string } | undefined)?.bgpPeeringAddress,
    ),
  };
  return {
    azure,
    routers: {
      onprem: {
        name: ONPREM.name,
        outsideAddress: ONPREM.outside,
        swanctlConf: await resolved(router.swanctlConf),
        bgpdConf: await resolved(router.bgpdConf),
        insideAddresses: [`${onprem.inside}/30`],
        lanAddresses: [`${ONPREM.lanAddress}/16`],
      },
      aws: {
        name: azure.name,
        outsideAddress: azure.outside,
        swanctlConf: swanctlConf({
          local: azure,
          remote: ONPREM,
          connection: "onprem",
          psk: String(inputs.sharedKey),
          version: 2,
          ike: proposals.ike,
          esp: proposals.esp,
          child: "start_action = trap\ndpd_action = clear\nclose_action = none",
        }),
        bgpdConf: bgpdConf(azure, onprem),
        insideAddresses: [`${azure.inside}/30`],
        lanAddresses: [`${azure.lanAddress}/16`],
      },
      onpremChild: "azure-dc1-1",
    },
  };
}

// --- reading the daemons ------------------------------------------------------------------------

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function records(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    const r = record(item);
    return r ? [r] : [];
  });
}

// The checks given to lab.waitFor throw what they saw instead of returning undefined: waitFor
// reports the last one when it gives up.

/** `swanctl --list-sas` as text and parsed, once an IKE SA is ESTABLISHED with an INSTALLED CHILD SA. */
async function established(lab: Lab, router: string): Promise<{ text: string; sas: IkeSa[] }> {
  const sas = ikeSas(await lab.swanctl(router, ["--list-sas", "--pretty"]));
  const text = await lab.swanctl(router, ["--list-sas"]);
  const up = sas.some((sa) => sa.state === "ESTABLISHED" && sa.children.some((c) => c.state === "INSTALLED"));
  if (!up) throw new Error(`swanctl --list-sas:\n${text || "(no SA)"}`);
  return { text, sas };
}

async function bgpState(lab: Lab, router: string, peer: string): Promise<string> {
  const summary = record(JSON.parse(await lab.vtysh(router, "show bgp summary json")));
  const state = record(record(record(summary?.ipv4Unicast)?.peers)?.[peer])?.state;
  return typeof state === "string" ? state : "(no such peer)";
}

async function bgpEstablished(lab: Lab, router: string, peer: string): Promise<true> {
  const state = await bgpState(lab, router, peer);
  if (state !== "Established") throw new Error(`${router}: BGP peer ${peer} is ${state}`);
  return true;
}

/** The prefix as a valid best BGP path via `nextHop`, selected and installed by zebra on ipsec0. */
async function learned(lab: Lab, router: string, prefix: string, nextHop: string): Promise<true> {
  const bgp = record(JSON.parse(await lab.vtysh(router, "show ip bgp json")));
  const best = records(record(bgp?.routes)?.[prefix]).find(
    (path) =>
      path.valid === true && path.bestpath === true && records(path.nexthops).some((n) => n.ip === nextHop),
  );
  const rib = record(JSON.parse(await lab.vtysh(router, `show ip route ${prefix} json`)));
  const installed = records(rib?.[prefix]).find(
    (route) =>
      route.protocol === "bgp" &&
      route.selected === true &&
      route.installed === true &&
      records(route.nexthops).some((n) => n.interfaceName === "ipsec0" && n.ip === nextHop),
  );
  if (!best) throw new Error(`${router}: no valid best BGP path to ${prefix} via ${nextHop}`);
  if (!installed) throw new Error(`${router}: ${prefix} not installed on ipsec0: ${JSON.stringify(rib)}`);
  return true;
}

const IKE_ALGORITHMS = "AES_GCM_16-256/PRF_HMAC_SHA2_384/ECP_384";
const CHILD_LINE = /^ {2}\S+: #\d+, reqid \d+, INSTALLED, TUNNEL(-in-UDP)?, ESP:AES_GCM_16-256$/m;
const REKEYED_CHILD_LINE =
  /^ {2}\S+: #\d+, reqid \d+, INSTALLED, TUNNEL(-in-UDP)?, ESP:AES_GCM_16-256\/ECP_384$/m;

function expectStrongSas(router: string, listing: { text: string; sas: IkeSa[] }): void {
  const { text, sas } = listing;
  const context = `${router}'s swanctl --list-sas:\n${text}`;
  expect(sas, context).toHaveLength(1);
  const [ike] = sas;
  expect(ike, context).toMatchObject({
    state: "ESTABLISHED",
    version: "2",
    encrAlg: "AES_GCM_16",
    encrKeysize: "256",
    prfAlg: "PRF_HMAC_SHA2_384",
    dhGroup: "ECP_384",
  });
  expect(text.match(/, ESTABLISHED, IKEv2, /g), context).toHaveLength(1);
  expect(
    text.split("\n").filter((line) => line.trim() === IKE_ALGORITHMS),
    context,
  ).toEqual([`  ${IKE_ALGORITHMS}`]);
  const installed = ike?.children.filter((child) => child.state === "INSTALLED") ?? [];
  expect(installed, context).toHaveLength(1);
  expect(installed[0], context).toMatchObject({
    mode: "TUNNEL",
    protocol: "ESP",
    encrAlg: "AES_GCM_16",
    encrKeysize: "256",
    localTs: ["0.0.0.0/0"],
    remoteTs: ["0.0.0.0/0"],
  });
  expect(text, context).toMatch(CHILD_LINE);
}

/** After a CHILD rekey with KE: an INSTALLED CHILD SA with the PFS group, on this router. */
async function rekeyedWithPfs(lab: Lab, router: string): Promise<string> {
  const sas = ikeSas(await lab.swanctl(router, ["--list-sas", "--pretty"]));
  const pfs = sas
    .flatMap((sa) => sa.children)
    .some((c) => c.state === "INSTALLED" && c.dhGroup === "ECP_384");
  const text = await lab.swanctl(router, ["--list-sas"]);
  if (!pfs || !REKEYED_CHILD_LINE.test(text)) throw new Error(`swanctl --list-sas:\n${text}`);
  return text;
}

async function ping(lab: Lab, router: string, from: string, to: string): Promise<string> {
  return lab.exec(router, ["ping", "-c", "3", "-i", "0.2", "-W", "2", "-I", from, to]);
}

// --- the tests ----------------------------------------------------------------------------------

describe.skipIf(skip)("the VPN configurations with real strongSwan and FRR", { sequential: true }, () => {
  beforeAll(() => {
    if (!support.ok) throw new Error(`the real-daemon VPN tests cannot run: ${support.reason}`);
  });

  it("the rendered router and an AWS end built from the planned tunnel options establish IKEv2 with exactly the suite, rekey with PFS, exchange LAN prefixes over BGP and carry traffic", {
    timeout: 60_000,
  }, async () => {
    const routers = await renderedRouters("strong");
    await withRouters(routers.onprem, routers.aws, async (lab) => {
      for (const router of [ONPREM.name, AWS.name]) {
        expectStrongSas(
          router,
          await lab.waitFor(`IKE SA ESTABLISHED, CHILD SA INSTALLED on ${router}`, () =>
            established(lab, router),
          ),
        );
      }

      for (const [side, peer] of [
        [ONPREM, AWS],
        [AWS, ONPREM],
      ] as const) {
        await lab.waitFor(`BGP Established on ${side.name} with ${peer.inside}`, () =>
          bgpEstablished(lab, side.name, peer.inside),
        );
        await lab.waitFor(
          `${side.name} learned ${peer.prefix} via ${peer.inside} (BGP, installed on ipsec0)`,
          () => learned(lab, side.name, peer.prefix, peer.inside),
        );
      }

      await lab.waitFor(`ping ${ONPREM.lanAddress} -> ${AWS.lanAddress}`, () =>
        ping(lab, ONPREM.name, ONPREM.lanAddress, AWS.lanAddress),
      );

      // The CHILD SA made in IKE_AUTH has no key exchange: the PFS group shows after a rekey.
      await lab.swanctl(ONPREM.name, ["--rekey", "--child", routers.onpremChild]);
      for (const router of [ONPREM.name, AWS.name]) {
        await lab.waitFor(`${router}: rekeyed CHILD SA INSTALLED with ESP:AES_GCM_16-256/ECP_384`, () =>
          rekeyedWithPfs(lab, router),
        );
      }
      await ping(lab, ONPREM.name, ONPREM.lanAddress, AWS.lanAddress);
      expect(await bgpState(lab, ONPREM.name, AWS.inside)).toBe("Established");
    });
  });

  it("the rendered router and an Azure end built from the planned IPsec policy establish IKEv2 with the suite and BGP from the router's one address", {
    timeout: 60_000,
  }, async () => {
    const { routers, azure } = await renderedAzureRouters();
    await withRouters(routers.onprem, routers.aws, async (lab) => {
      for (const router of [ONPREM.name, azure.name]) {
        expectStrongSas(
          router,
          await lab.waitFor(`IKE SA ESTABLISHED, CHILD SA INSTALLED on ${router}`, () =>
            established(lab, router),
          ),
        );
      }
      await lab.waitFor(`BGP Established on ${ONPREM.name} with Azure's instance 0 (${azure.inside})`, () =>
        bgpEstablished(lab, ONPREM.name, azure.inside),
      );
      await lab.waitFor(`${ONPREM.name} learned ${azure.prefix} via ${azure.inside}`, () =>
        learned(lab, ONPREM.name, azure.prefix, azure.inside),
      );
    });
  });

  it.each([
    ["IKEv1", "weak-ikev1"],
    ["IKEv2 with aes128-sha1-modp1024", "weak-ikev2-sha1"],
  ] as const)(
    "the rendered router refuses a weak peer (%s): NO_PROPOSAL_CHOSEN and no SA on either side",
    {
      timeout: 60_000,
    },
    async (_, variant) => {
      const routers = await renderedRouters(variant);
      await withRouters(routers.onprem, routers.aws, async (lab) => {
        // The rendered router (strict) refuses: IKEv1 finds no config at all, IKEv2 no acceptable
        // proposal; AWS's weak stand-in hears NO_PROPOSAL_CHOSEN for what it offered.
        const refusal =
          /no IKE config found for .*sending NO_PROPOSAL_CHOSEN|received proposals unacceptable/;
        await lab.waitFor("the rendered router (onprem) refusing the weak proposal", async () =>
          refusal.test(await lab.charonLog(ONPREM.name)) ? true : undefined,
        );
        await lab.waitFor("the weak side (aws) receiving NO_PROPOSAL_CHOSEN", async () =>
          /received NO_PROPOSAL_CHOSEN/.test(await lab.charonLog(AWS.name)) ? true : undefined,
        );
        // Asking again explicitly fails too.
        await expect(
          lab.swanctl(AWS.name, ["--initiate", "--child", "onprem-tunnel1-child", "--timeout", "10"]),
        ).rejects.toThrow(/initiate failed|NO_PROP/);
        for (const router of [ONPREM.name, AWS.name]) {
          const listing = await lab.swanctl(router, ["--list-sas", "--pretty"]);
          const states = ikeSas(listing).flatMap((sa) => [sa.state, ...sa.children.map((c) => c.state)]);
          expect(states, `${router}'s SAs:\n${listing}`).not.toContain("ESTABLISHED");
          expect(states, `${router}'s SAs:\n${listing}`).not.toContain("INSTALLED");
        }
      });
    },
  );
});

// The harness's own readers and writers, checked everywhere (no daemons needed).
describe("the real-daemon harness's helpers", () => {
  it("reads swanctl --list-sas --pretty into IKE and CHILD SAs", () => {
    const output = `list-sa event {
  aws-tunnel1 {
    uniqueid = 1
    version = 2
    state = ESTABLISHED
    local-id = C=CH, O=strongSwan, CN=moon
    encr-alg = AES_GCM_16
    encr-keysize = 256
    prf-alg = PRF_HMAC_SHA2_384
    dh-group = ECP_384
    child-sas {
      aws-tunnel1-child-2 {
        name = aws-tunnel1-child
        uniqueid = 2
        state = INSTALLED
        mode = TUNNEL
        protocol = ESP
        encap = yes
        encr-alg = AES_GCM_16
        encr-keysize = 256
        packets-in = 101
        local-ts = [
          0.0.0.0/0
        ]
        remote-ts = [
          0.0.0.0/0
        ]
      }
    }
  }
}
list-sas reply {
}
`;
    const [sa, ...more] = ikeSas(output);
    expect(more).toEqual([]);
    expect(sa).toMatchObject({ name: "aws-tunnel1", state: "ESTABLISHED", prfAlg: "PRF_HMAC_SHA2_384" });
    expect(sa?.raw["local-id"]).toBe("C=CH, O=strongSwan, CN=moon");
    expect(sa?.children).toEqual([
      expect.objectContaining({
        name: "aws-tunnel1-child",
        state: "INSTALLED",
        encap: true,
        dhGroup: undefined,
        packetsIn: 101,
        localTs: ["0.0.0.0/0"],
      }),
    ]);
    expect(ikeSas("list-sas reply {}\n")).toEqual([]);
    expect(() => ikeSas("list-sa event {\n  x {\n")).toThrow(/not closed/);
  });

  it("puts its hostname and log file after frr version/defaults and leaves the rest as rendered", () => {
    const rendered =
      "! rendered\nfrr defaults traditional\n!\nrouter bgp 65010\n neighbor 169.254.21.1 remote-as 64512\n";
    const lines = withLabLines(rendered, "onprem", "/tmp/run/bgpd.log").split("\n");
    expect(lines.slice(0, 3)).toEqual(["! rendered", "frr defaults traditional", "!"]);
    expect(lines).toContain("hostname onprem");
    expect(lines.indexOf("log file /tmp/run/bgpd.log informational")).toBeLessThan(
      lines.indexOf("router bgp 65010"),
    );
    expect(lines.filter((line) => !rendered.split("\n").includes(line))).toEqual([
      "! Lab-only lines added by test/vpn/daemons/harness.ts:",
      "hostname onprem",
      "log file /tmp/run/bgpd.log informational",
    ]);
  });
});
