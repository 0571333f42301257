// The rendered VPN configurations against the real daemons: strongSwan's charon and FRR, one network
// namespace per site and per tunnel end (test/vpn/daemons/harness.ts). dc1's router runs exactly
// what OnPremVpnRouter renders for the prod topology; AWS's and Azure's ends are built from what
// the plan sends them (test/vpn/lab-plan.ts, test/vpn/daemons/stand-ins.ts). A lab suite (`npm run
// test:lab`): skipped, with what to install, where it cannot run (not Linux, not root, the daemons
// missing); where the lab is required (HYBRID_AI_INFRA_LAB=required, as in CI) it fails instead.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BGP_TIMERS } from "../../components/facts";
import { bgpdConf as withLabLines } from "./daemons/configs";
import { daemonSupport, type Lab, openLab } from "./daemons/harness";
import { type IkeSa, ikeSas } from "./daemons/swanctl";
import { splitSwanctlConf } from "./daemons/swanctl-conf";
import { awsSite, azureSite, NETWORKS, type PlannedVpn, planVpn, routerSite } from "./lab-plan";

const support = daemonSupport();
const skip = !support.ok && support.skip;
if (skip) console.warn(`test/vpn/real-daemons.test.ts skipped: ${support.reason}`);

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

/** The IKE SAs of one tunnel end. */
async function sas(lab: Lab, site: string, connection: string): Promise<IkeSa[]> {
  return ikeSas(await lab.swanctl(site, connection, ["--list-sas", "--pretty"]));
}

/** A site's BGP neighbours, by address (one vtysh call). */
async function neighbors(lab: Lab, site: string): Promise<Record<string, Record<string, unknown>>> {
  const all = record(JSON.parse(await lab.vtysh(site, "show bgp neighbors json"))) ?? {};
  return Object.fromEntries(
    Object.entries(all).flatMap(([k, v]) => (record(v) ? [[k, record(v) ?? {}]] : [])),
  );
}

async function neighbor(lab: Lab, site: string, peer: string): Promise<Record<string, unknown>> {
  const found = (await neighbors(lab, site))[peer];
  if (!found) throw new Error(`${site} has no BGP neighbour ${peer}`);
  return found;
}

async function bgpEstablished(lab: Lab, site: string, peer: string): Promise<true> {
  const state = (await neighbor(lab, site, peer)).bgpState;
  if (state !== "Established") throw new Error(`${site}: BGP peer ${peer} is ${String(state)}`);
  return true;
}

/** The next hops of the site's valid BGP paths to `prefix`. */
async function bgpNextHops(lab: Lab, site: string, prefix: string): Promise<string[]> {
  const bgp = record(JSON.parse(await lab.vtysh(site, "show ip bgp json")));
  return records(record(bgp?.routes)?.[prefix])
    .filter((path) => path.valid === true)
    .flatMap((path) => records(path.nexthops).map((n) => String(n.ip)));
}

/** The prefixes a site advertises to `peer`. */
async function advertised(lab: Lab, site: string, peer: string): Promise<string[]> {
  const out = record(
    JSON.parse(await lab.vtysh(site, `show bgp ipv4 unicast neighbors ${peer} advertised-routes json`)),
  );
  return Object.keys(record(out?.advertisedRoutes) ?? {});
}

/** `prefix` installed by zebra, through one of `via`, as the site's selected route. */
async function routedVia(lab: Lab, site: string, prefix: string, via: string[]): Promise<string[]> {
  const rib = record(JSON.parse(await lab.vtysh(site, `show ip route ${prefix} json`)));
  const hops = records(rib?.[prefix])
    .filter((route) => route.protocol === "bgp" && route.selected === true && route.installed === true)
    .flatMap((route) =>
      records(route.nexthops)
        .filter((n) => n.active === true)
        .map((n) => String(n.ip)),
    );
  if (hops.length === 0 || hops.some((h) => !via.includes(h))) {
    throw new Error(
      `${site}: ${prefix} goes via ${hops.join(", ") || "nothing"}, not only ${via.join(", ")}`,
    );
  }
  return hops;
}

/** Sum of a site's CHILD SAs' ESP bytes (encrypted out, decrypted in) over some of its tunnels. */
async function espBytes(lab: Lab, site: string, connections: string[]): Promise<{ out: number; in: number }> {
  const children = (await Promise.all(connections.map((c) => sas(lab, site, c))))
    .flat()
    .flatMap((s) => s.children);
  return {
    out: children.reduce((sum, c) => sum + c.bytesOut, 0),
    in: children.reduce((sum, c) => sum + c.bytesIn, 0),
  };
}

const PINGS = 4;
const PING_BYTES = 1000;
/** An ICMP echo of PING_BYTES as ESP counts it: the inner IP packet. */
const PACKET_BYTES = PING_BYTES + 8 + 20;

async function ping(lab: Lab, site: string, from: string, to: string): Promise<string> {
  return lab.exec(site, [
    "ping",
    "-c",
    String(PINGS),
    "-i",
    "0.05",
    "-W",
    "2",
    "-s",
    String(PING_BYTES),
    "-I",
    from,
    to,
  ]);
}

/** Pings `to` from a site's LAN and proves the packets went through the given tunnels' SAs, both ways. */
async function pingThrough(
  lab: Lab,
  site: string,
  from: string,
  to: string,
  connections: string[],
): Promise<void> {
  const before = await espBytes(lab, site, connections);
  await ping(lab, site, from, to);
  const after = await espBytes(lab, site, connections);
  expect(
    after.out - before.out,
    `${site}: ESP bytes out through ${connections.join(", ")}`,
  ).toBeGreaterThanOrEqual(PINGS * PACKET_BYTES);
  expect(
    after.in - before.in,
    `${site}: ESP bytes in through ${connections.join(", ")}`,
  ).toBeGreaterThanOrEqual(PINGS * PACKET_BYTES);
}

const IKE = { encrAlg: "AES_GCM_16", encrKeysize: "256", prfAlg: "PRF_HMAC_SHA2_384", dhGroup: "ECP_384" };

/** One IKE SA and one INSTALLED CHILD SA with exactly the suite, started by `initiator`'s side. */
async function oneSaWithTheSuite(
  lab: Lab,
  site: string,
  connection: string,
  initiator: boolean,
): Promise<void> {
  const text = await lab.swanctl(site, connection, ["--list-sas", "--pretty"]);
  const listing = ikeSas(text);
  const context = `${site}/${connection}: ${text}`;
  expect(listing, context).toHaveLength(1);
  const [ike] = listing;
  expect(ike, context).toMatchObject({ state: "ESTABLISHED", version: "2", initiator, ...IKE });
  expect(ike?.children, context).toHaveLength(1);
  expect(ike?.children[0], context).toMatchObject({
    state: "INSTALLED",
    mode: "TUNNEL",
    protocol: "ESP",
    encrAlg: "AES_GCM_16",
    encrKeysize: "256",
    localTs: ["0.0.0.0/0"],
    remoteTs: ["0.0.0.0/0"],
  });
}

// --- the tests ----------------------------------------------------------------------------------

/** The router's tunnels by cloud end, and the cloud's inside addresses it peers with. */
const ROUTER = {
  aws: ["aws-dc1-1", "aws-dc1-2"],
  azure: ["azure-dc1-1", "azure-dc1-2"],
};

/** One plan for both labs: the weak peers differ only in what the AWS end is built from. */
let planned: Promise<PlannedVpn> | undefined;
const thePlan = () => {
  planned ??= planVpn();
  return planned;
};

describe.skipIf(skip)("the prod VPN topology with real strongSwan and FRR", { sequential: true }, () => {
  let plan: PlannedVpn;
  let lab: Lab;
  let close: () => Promise<void> = async () => {};
  /** Inside addresses: AWS's two tunnels, Azure's two instances, as the plan gives them. */
  const peers = {
    aws: [] as string[],
    azure: [] as string[],
    awsToAzure: "",
    azureToAws: "",
    routerToAzure: "",
  };

  beforeAll(async () => {
    if (!support.ok) throw new Error(`the real-daemon VPN tests cannot run: ${support.reason}`);
    plan = await thePlan();
    peers.aws = plan.tunnels.awsDc1.map((t) => t.inside[0]);
    peers.azure = plan.tunnels.azureDc1.map((t) => t.inside[0]);
    peers.routerToAzure = plan.tunnels.azureDc1[0]?.inside[1] ?? "";
    [peers.awsToAzure, peers.azureToAws] = plan.tunnels.awsAzure[0]?.inside ?? ["", ""];
    const sites = [
      routerSite(plan),
      awsSite(plan, {}, true).site,
      azureSite(plan, 0, true).site,
      azureSite(plan, 1, true).site,
    ];
    ({ lab, close } = await openLab(sites, { bgp: "after-tunnels" }));
  }, 60_000);

  afterAll(() => close(), 30_000);

  it("starts every tunnel at once and ends with one IKE SA and one CHILD SA each, exactly the suite, the router the only initiator", async () => {
    // Every end set up exactly one IKE SA since the start, and the ends that only answer never
    // opened one: two initiators would each have set one up (their logs would show it even when
    // one of the two SAs is gone again).
    const ends = [
      ...[...ROUTER.aws, ...ROUTER.azure].map((c) => ["onprem", c, true] as const),
      ...["dc1-1", "dc1-2", "azure-1"].map((c) => ["aws", c, false] as const),
      ["azure0", "dc1", false] as const,
      ["azure1", "dc1", false] as const,
      ["azure0", "aws-1", true] as const,
    ];
    for (const [site, connection, initiates] of ends) {
      const log = await lab.charonLog(site, connection);
      expect(log.match(/IKE_SA \S+ established between/g), `${site}/${connection}'s IKE SAs`).toHaveLength(1);
      expect(/initiating IKE_SA/.test(log), `${site}/${connection} initiating IKE`).toBe(initiates);
    }
    await Promise.all([
      ...[...ROUTER.aws, ...ROUTER.azure].map((c) => oneSaWithTheSuite(lab, "onprem", c, true)),
      ...["dc1-1", "dc1-2"].map((c) => oneSaWithTheSuite(lab, "aws", c, false)),
      ...["azure0", "azure1"].map((site) => oneSaWithTheSuite(lab, site, "dc1", false)),
      // Between the clouds Azure starts IKE and AWS answers.
      oneSaWithTheSuite(lab, "azure0", "aws-1", true),
      oneSaWithTheSuite(lab, "aws", "azure-1", false),
    ]);
    // The interfaces script's iptables MSS clamps are the only lines the lab cannot run.
    expect(lab.notRun("onprem")).toHaveLength(4);
    expect(lab.notRun("onprem").every((l) => l.startsWith("iptables -t mangle -A FORWARD -o xfrm-"))).toBe(
      true,
    );
  });

  it("brings BGP up on both AWS tunnels and to both Azure instances (which only listen), with each end's timers", async () => {
    const all = [...peers.aws, ...peers.azure];
    await lab.waitFor(
      `onprem: BGP Established with AWS ${peers.aws.join(", ")} and Azure ${peers.azure.join(", ")}`,
      async () => {
        const n = await neighbors(lab, "onprem");
        const down = all.filter((a) => n[a]?.bgpState !== "Established");
        if (down.length > 0)
          throw new Error(`not Established: ${down.map((a) => `${a} ${String(n[a]?.bgpState)}`).join(", ")}`);
        return true;
      },
    );
    await lab.waitFor("Azure instance 0: BGP with AWS", () =>
      bgpEstablished(lab, "azure0", peers.awsToAzure),
    );
    // The router's own timers, as it runs them: AWS's 10/30, Azure's 60/180 (the stand-ins' 3 s
    // hold is what BGP negotiates in the lab).
    const n = await neighbors(lab, "onprem");
    for (const [address, end] of [
      ...peers.aws.map((a) => [a, "aws"] as const),
      ...peers.azure.map((a) => [a, "azure"] as const),
    ]) {
      expect(n[address]?.bgpTimerConfiguredHoldTimeMsecs, `${address}'s hold time`).toBe(
        BGP_TIMERS[end].holdSeconds * 1000,
      );
      expect(n[address]?.bgpTimerConfiguredKeepAliveIntervalMsecs, `${address}'s keepalive`).toBe(
        BGP_TIMERS[end].keepaliveSeconds * 1000,
      );
    }
    // Azure never opened a session: the router did, to each instance's address from its loopback.
    for (const address of peers.azure) {
      expect(n[address]?.hostLocal, address).toBe(peers.routerToAzure);
      expect(n[address]?.externalBgpNbrMaxHopsAway, address).toBe(2);
    }
  });

  it("learns each cloud's network over its own link and refuses it through the third site, both ways", async () => {
    const offered = (site: string, peer: string, prefix: string) => async () =>
      (await advertised(lab, site, peer)).includes(prefix) ? true : undefined;
    await Promise.all([
      lab.waitFor("onprem: AWS's network over both AWS tunnels", async () => {
        const hops = await bgpNextHops(lab, "onprem", NETWORKS.aws.prefix);
        return peers.aws.every((p) => hops.includes(p)) ? true : undefined;
      }),
      lab.waitFor("onprem: Azure's network from both instances", async () => {
        const hops = await bgpNextHops(lab, "onprem", NETWORKS.azure.prefix);
        return peers.azure.every((p) => hops.includes(p)) ? true : undefined;
      }),
      // AWS passes Azure's network on to the router (VPN CloudHub), Azure passes AWS's on
      // (transit), and each cloud passes dc1's network on to the other.
      lab.waitFor(
        "AWS offering the router Azure's network",
        offered("aws", "169.254.21.2", NETWORKS.azure.prefix),
      ),
      lab.waitFor(
        "Azure offering the router AWS's network",
        offered("azure0", peers.routerToAzure, NETWORKS.aws.prefix),
      ),
      lab.waitFor(
        "AWS offering Azure dc1's network",
        offered("aws", peers.azureToAws, NETWORKS.onprem.prefix),
      ),
      lab.waitFor(
        "Azure offering AWS dc1's network",
        offered("azure0", peers.awsToAzure, NETWORKS.onprem.prefix),
      ),
    ]);
    // The router refuses what came through a third site: each network only over its own link.
    expect((await bgpNextHops(lab, "onprem", NETWORKS.aws.prefix)).sort()).toEqual([...peers.aws].sort());
    expect((await bgpNextHops(lab, "onprem", NETWORKS.azure.prefix)).sort()).toEqual([...peers.azure].sort());
    // Each cloud drops dc1's network from the other: the router's announcements carry the other
    // cloud's ASN.
    expect(await bgpNextHops(lab, "azure0", NETWORKS.onprem.prefix)).toEqual([peers.routerToAzure]);
    expect((await bgpNextHops(lab, "aws", NETWORKS.onprem.prefix)).sort()).toEqual([
      "169.254.21.2",
      "169.254.21.6",
    ]);
  });

  it("carries traffic to each cloud through its tunnels' SAs, counted in ESP bytes both ways", async () => {
    await Promise.all([
      lab.waitFor("onprem routes AWS's network into its AWS tunnels", () =>
        routedVia(lab, "onprem", NETWORKS.aws.prefix, peers.aws),
      ),
      lab.waitFor("onprem routes Azure's network into its Azure tunnels", () =>
        routedVia(lab, "onprem", NETWORKS.azure.prefix, peers.azure),
      ),
    ]);
    await Promise.all([
      pingThrough(lab, "onprem", NETWORKS.onprem.lan, NETWORKS.aws.lan, ROUTER.aws),
      pingThrough(lab, "onprem", NETWORKS.onprem.lan, NETWORKS.azure.lan, ROUTER.azure),
    ]);
  });

  it("rekeys each CHILD SA with PFS before the cloud's lifetime ends, without resetting BGP", async () => {
    const established = async () => {
      const n = await neighbors(lab, "onprem");
      return [...peers.aws, ...peers.azure].map((p) => n[p]?.connectionsEstablished);
    };
    const before = await established();
    await Promise.all(
      (
        [
          ["aws-dc1-1", "aws", "dc1-1"],
          ["azure-dc1-1", "azure0", "dc1"],
        ] as const
      ).map(async ([connection, site, theirs]) => {
        // The router rekeys before the cloud's end of the SA expires.
        const [mine] = (await sas(lab, "onprem", connection)).flatMap((s) => s.children);
        const [cloud] = (await sas(lab, site, theirs)).flatMap((s) => s.children);
        expect(mine?.rekeyTime, connection).toBeLessThan(cloud?.lifeTime ?? 0);
        await lab.swanctl("onprem", connection, ["--rekey", "--child", connection]);
        await Promise.all(
          (
            [
              ["onprem", connection],
              [site, theirs],
            ] as const
          ).map(([s, c]) =>
            lab.waitFor(`${s}/${c}: the rekeyed CHILD SA with ECP_384`, async () => {
              const children = (await sas(lab, s, c)).flatMap((x) => x.children);
              return children.some((x) => x.state === "INSTALLED" && x.dhGroup === "ECP_384")
                ? true
                : undefined;
            }),
          ),
        );
      }),
    );
    await Promise.all([
      pingThrough(lab, "onprem", NETWORKS.onprem.lan, NETWORKS.aws.lan, ROUTER.aws),
      pingThrough(lab, "onprem", NETWORKS.onprem.lan, NETWORKS.azure.lan, ROUTER.azure),
    ]);
    expect(await established()).toEqual(before);
  });

  it("fails over to AWS's second tunnel and Azure's second instance when the first is cut", async () => {
    await Promise.all([lab.cut("onprem", "aws-dc1-1"), lab.cut("onprem", "azure-dc1-1")]);
    await Promise.all([
      lab.waitFor("onprem routes AWS's network into tunnel 2 only", () =>
        routedVia(lab, "onprem", NETWORKS.aws.prefix, [peers.aws[1] ?? ""]),
      ),
      lab.waitFor("onprem routes Azure's network to instance 1 only", () =>
        routedVia(lab, "onprem", NETWORKS.azure.prefix, [peers.azure[1] ?? ""]),
      ),
    ]);
    await Promise.all([
      pingThrough(lab, "onprem", NETWORKS.onprem.lan, NETWORKS.aws.lan, ["aws-dc1-2"]),
      pingThrough(lab, "onprem", NETWORKS.onprem.lan, NETWORKS.azure.lan, ["azure-dc1-2"]),
    ]);
  });

  it("with the direct Azure link down, sends nothing between dc1 and Azure through AWS", async () => {
    await lab.cut("onprem", "azure-dc1-2");
    await Promise.all([
      lab.waitFor("onprem without a route to Azure's network", async () =>
        (await bgpNextHops(lab, "onprem", NETWORKS.azure.prefix)).length === 0 ? true : undefined,
      ),
      lab.waitFor("Azure without a route to dc1's network", async () =>
        (await bgpNextHops(lab, "azure0", NETWORKS.onprem.prefix)).length === 0 ? true : undefined,
      ),
    ]);
    // AWS still offers both, and both are refused.
    expect(await advertised(lab, "aws", "169.254.21.6")).toContain(NETWORKS.azure.prefix);
    expect(await advertised(lab, "aws", peers.azureToAws)).toContain(NETWORKS.onprem.prefix);
    await expect(ping(lab, "onprem", NETWORKS.onprem.lan, NETWORKS.azure.lan)).rejects.toThrow();
  });
});

describe.skipIf(skip)("the rendered router against weak peers", () => {
  it("refuses IKEv1 on one tunnel and aes128-sha1-modp1024 on the other: NO_PROPOSAL_CHOSEN and no SA on either side", {
    timeout: 30_000,
  }, async () => {
    if (!support.ok) throw new Error(`the real-daemon VPN tests cannot run: ${support.reason}`);
    const weak = (name: string, inputs: Record<string, unknown>) =>
      name !== "aws-dc1-1"
        ? inputs
        : {
            ...inputs,
            tunnel1IkeVersions: ["ikev1"],
            ...Object.fromEntries(
              ["tunnel2Phase1", "tunnel2Phase2"].flatMap((p) => [
                [`${p}EncryptionAlgorithms`, ["AES128"]],
                [`${p}IntegrityAlgorithms`, ["SHA1"]],
                [`${p}DhGroupNumbers`, [2]],
              ]),
            ),
            tunnel1StartupAction: "start",
            tunnel2StartupAction: "start",
          };
    const variant = { awsConnection: weak };
    const plan = await thePlan();
    // The router's AWS tunnels only: the lab has no Azure here.
    const router = routerSite(plan);
    const file = splitSwanctlConf(router.swanctlConf);
    const aws = file.connections.filter((c) => c.name.startsWith("aws-"));
    router.swanctlConf = `connections {\n${aws.map((c) => c.text).join("\n")}\n}\nsecrets {\n${file.secrets}\n}\n`;
    router.interfacesScript = router.interfacesScript
      .split("\n")
      .filter((l) => !/xfrm-(9|10)\b|dev lo/.test(l))
      .join("\n");
    const { site: stand } = awsSite(plan, variant, false);
    const { lab, close } = await openLab([router, stand], { bgp: "now" });
    try {
      // The rendered router (strict) refuses: IKEv1 finds no config at all, IKEv2 no acceptable
      // proposal; the weak stand-in hears NO_PROPOSAL_CHOSEN for what it offered.
      const refusal = /no IKE config found for .*sending NO_PROPOSAL_CHOSEN|received proposals unacceptable/;
      for (const [connection, theirs] of [
        ["aws-dc1-1", "dc1-1"],
        ["aws-dc1-2", "dc1-2"],
      ] as const) {
        await lab.waitFor(`the router (${connection}) refusing the weak proposal`, async () =>
          refusal.test(await lab.charonLog("onprem", connection)) ? true : undefined,
        );
        await lab.waitFor(`the weak side (${theirs}) receiving NO_PROPOSAL_CHOSEN`, async () =>
          /received NO_PROPOSAL_CHOSEN/.test(await lab.charonLog("aws", theirs)) ? true : undefined,
        );
        for (const [site, c] of [
          ["onprem", connection],
          ["aws", theirs],
        ] as const) {
          const listing = await lab.swanctl(site, c, ["--list-sas", "--pretty"]);
          const states = ikeSas(listing).flatMap((sa) => [sa.state, ...sa.children.map((x) => x.state)]);
          expect(states, `${site}/${c}'s SAs:\n${listing}`).not.toContain("ESTABLISHED");
          expect(states, `${site}/${c}'s SAs:\n${listing}`).not.toContain("INSTALLED");
        }
      }
    } finally {
      await close();
    }
  });
});

// The harness's own readers and writers, checked everywhere (no daemons needed).
describe("the real-daemon harness's helpers", () => {
  it("reads swanctl --list-sas --pretty into IKE and CHILD SAs", () => {
    const output = `list-sa event {
  aws-tunnel1 {
    uniqueid = 1
    version = 2
    state = ESTABLISHED
    initiator = yes
    local-id = C=CH, O=strongSwan, CN=moon
    encr-alg = AES_GCM_16
    encr-keysize = 256
    prf-alg = PRF_HMAC_SHA2_384
    dh-group = ECP_384
    rekey-time = 28000
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
        bytes-in = 4112
        packets-in = 101
        bytes-out = 2056
        packets-out = 2
        rekey-time = 3100
        life-time = 3500
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
    expect(sa).toMatchObject({
      name: "aws-tunnel1",
      state: "ESTABLISHED",
      prfAlg: "PRF_HMAC_SHA2_384",
      initiator: true,
      rekeyTime: 28000,
    });
    expect(sa?.raw["local-id"]).toBe("C=CH, O=strongSwan, CN=moon");
    expect(sa?.children).toEqual([
      expect.objectContaining({
        name: "aws-tunnel1-child",
        state: "INSTALLED",
        encap: true,
        dhGroup: undefined,
        packetsIn: 101,
        bytesIn: 4112,
        bytesOut: 2056,
        rekeyTime: 3100,
        lifeTime: 3500,
        localTs: ["0.0.0.0/0"],
      }),
    ]);
    expect(ikeSas("list-sas reply {}\n")).toEqual([]);
    expect(() => ikeSas("list-sa event {\n  x {\n")).toThrow(/not closed/);
  });

  it("splits a swanctl.conf into its connections, as written, and its secrets", () => {
    const file = splitSwanctlConf(`# header
connections {
    a-1 {
        local_addrs = 198.51.100.10 # the router
        remote_addrs = 203.0.113.1
        if_id_in = 5
        if_id_out = 5
        children {
            a-1 {
                start_action = start
            }
        }
    }
    b-1 {
        remote_addrs = 203.0.113.2
    }
}
secrets {
    ike-a-1 {
        secret = "k#not.a.comment"
    }
}
`);
    expect(file.connections.map((c) => [c.name, c.settings])).toEqual([
      ["a-1", { local_addrs: "198.51.100.10", remote_addrs: "203.0.113.1", if_id_in: "5", if_id_out: "5" }],
      ["b-1", { remote_addrs: "203.0.113.2" }],
    ]);
    expect(file.connections[0]?.text).toMatch(/^ {4}a-1 \{\n[\s\S]*start_action = start[\s\S]*\n {4}\}$/);
    expect(file.secrets).toContain('secret = "k#not.a.comment"');
    expect(() => splitSwanctlConf("connections {\n  a {\n")).toThrow(/not closed/);
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
