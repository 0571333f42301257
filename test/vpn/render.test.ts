import { describe, expect, it } from "vitest";
import { CRYPTO_SUITES, deadPeerSeconds, strongSwanProposals, tunnelMtu } from "../../components/facts";
import type { OnPremRouter, RouterTunnel } from "../../components/onprem";
import {
  renderBgpdConf,
  renderCharonConf,
  renderInterfacesScript,
  renderSwanctlConf,
} from "../../components/onprem/internal";

const SUITE = CRYPTO_SUITES["aes256gcm-sha384-ecp384"];

const awsTunnel = (n: 1 | 2): RouterTunnel => ({
  name: `aws-dc1-${n}`,
  peerEnd: "aws",
  peerOutside: `203.0.113.1${n}`,
  localInside: `169.254.21.${n === 1 ? 2 : 6}/30`,
  peerInside: `169.254.21.${n === 1 ? 1 : 5}`,
  peerAsn: 64512,
  peerNetworks: ["10.20.0.0/16"],
  presharedKey: `kSecret${n}_1234567890`,
  ifId: n,
  mtu: tunnelMtu(SUITE, "aws"),
});

const ROUTER: OnPremRouter = {
  publicIp: "198.51.100.10",
  asn: 65010,
  prefixes: ["10.10.0.0/16"],
  proposals: strongSwanProposals(SUITE),
  tunnels: [awsTunnel(1), awsTunnel(2)],
  otherSiteAsns: [64512, 65000],
};

describe("the on-premises router's configuration", () => {
  it("offers exactly the suite on IKEv2, route-based through one XFRM interface per tunnel, as the only initiator", () => {
    const conf = renderSwanctlConf(ROUTER);
    expect(conf.match(/version = 2/g)).toHaveLength(2);
    expect(conf.match(/proposals = aes256gcm16-prfsha384-ecp384\n/g)).toHaveLength(2);
    expect(conf.match(/esp_proposals = aes256gcm16-ecp384\n/g)).toHaveLength(2);
    expect(conf).not.toMatch(/version = 1|sha1|modp1024/);
    expect(conf).toContain("remote_addrs = 203.0.113.12");
    expect(conf).toContain("if_id_in = 2");
    expect(conf).toContain("if_id_out = 2");
    // AWS advises IKE unique IDs off; this router starts every tunnel, the clouds only answer.
    expect(conf.match(/unique = no\n/g)).toHaveLength(2);
    expect(conf.match(/start_action = start\n/g)).toHaveLength(2);
    // AWS's rekey margin is 270 s: rekey from 540 s to 270 s before the lifetime ends, never after.
    expect(conf).toContain("rekey_time = 28530s");
    expect(conf).toContain("rekey_time = 3330s");
    expect(conf).toContain("rand_time = 270s");
    expect(conf).toContain("life_time = 3600s");
    expect(conf).toContain("Needs strongSwan 5.8.0 or later");
    expect(conf).toContain('secret = "kSecret1_1234567890"');
  });

  it("declares a silent peer dead within the suite's DPD timeout, not strongSwan's default 175 s", () => {
    const proposals = strongSwanProposals(SUITE);
    expect(proposals.dpdDelaySeconds).toBe(10);
    expect(deadPeerSeconds(proposals)).toBeLessThanOrEqual(SUITE.dpdTimeoutSeconds);
    expect(deadPeerSeconds(proposals)).toBeGreaterThan(SUITE.dpdTimeoutSeconds - 5);
    const charon = renderCharonConf(proposals);
    expect(charon).toContain(`retransmit_timeout = ${proposals.retransmit.timeoutSeconds}\n`);
    expect(charon).toContain("retransmit_tries = 3\n");
    expect(charon).toContain("retransmit_base = 1.5\n");
  });

  it("sizes each tunnel interface from AWS's MTU table for the suite's ESP behind NAT, and clamps MSS to match", () => {
    const script = renderInterfacesScript(ROUTER, "wan0");
    expect(script).toContain("ip link add xfrm-1 type xfrm dev wan0 if_id 1");
    expect(script).toContain("ip link set xfrm-1 mtu 1438 up");
    expect(script).toContain("ip address add 169.254.21.6/30 dev xfrm-2");
    expect(script).toContain("-o xfrm-2 -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1398");
    // AES-CBC with SHA-256 behind NAT: AWS's table gives 1422 (MSS 1382); 1436 would fragment.
    expect(tunnelMtu(CRYPTO_SUITES["aes256-sha256-modp2048"], "aws")).toEqual({ mtu: 1422, mss: 1382 });
    expect(tunnelMtu(SUITE, "azure")).toEqual({ mtu: 1400, mss: 1350 });
  });

  it("peers with AWS's timers, opens sessions again after 10 s, and accepts only the peer's own networks with its AS path", () => {
    const conf = renderBgpdConf(ROUTER);
    expect(conf).toContain("router bgp 65010");
    expect(conf).toContain(" neighbor 169.254.21.1 remote-as 64512");
    expect(conf).toContain(" neighbor 169.254.21.5 timers 10 30");
    expect(conf).toContain(" neighbor 169.254.21.5 timers connect 10");
    expect(conf).toContain("  network 10.10.0.0/16");
    expect(conf).toContain("ip prefix-list FROM-XFRM1 seq 5 permit 10.20.0.0/16 le 32");
    expect(conf).toContain("bgp as-path access-list FROM-XFRM1 permit ^64512$");
    expect(conf).toContain("ip prefix-list TO-XFRM2 seq 5 permit 10.10.0.0/16");
    // What AWS passes on to Azure carries Azure's ASN: Azure drops it as a loop.
    expect(conf).toMatch(
      /route-map TO-XFRM2 permit 10\n match ip address prefix-list TO-XFRM2\n set as-path prepend 65000\n/,
    );
    expect(conf).toContain("  neighbor 169.254.21.5 route-map FROM-XFRM2 in");
    expect(conf).toContain("  neighbor 169.254.21.5 route-map TO-XFRM2 out");
    expect(conf).not.toMatch(/ passive/);
  });
});

describe("a router peering with Azure's two gateway instances", () => {
  const azure: OnPremRouter = {
    ...ROUTER,
    tunnels: [1, 2].map((n) => ({
      name: `azure-dc1-${n}`,
      peerEnd: "azure" as const,
      peerOutside: `20.0.0.${n}`,
      localInside: "169.254.21.34/32",
      peerInside: `169.254.21.${n === 1 ? 33 : 37}`,
      peerAsn: 65000,
      peerNetworks: ["10.30.0.0/16"],
      presharedKey: "kShared_1234567890",
      ifId: 8 + n,
      mtu: tunnelMtu(SUITE, "azure"),
      bgpSource: "169.254.21.34",
    })),
  };

  it("sources BGP from one loopback address, multihop, with a host route to each instance through its tunnel", () => {
    const script = renderInterfacesScript(azure);
    expect(script.match(/ip address add 169\.254\.21\.34\/32 dev lo/g)).toHaveLength(1);
    expect(script).toContain("ip route add 169.254.21.33/32 dev xfrm-9 src 169.254.21.34");
    expect(script).toContain("ip route add 169.254.21.37/32 dev xfrm-10 src 169.254.21.34");
    expect(script).toContain("ip link set xfrm-10 mtu 1400 up");
    const bgpd = renderBgpdConf(azure);
    expect(bgpd).toContain(" neighbor 169.254.21.37 update-source 169.254.21.34");
    expect(bgpd).toContain(" neighbor 169.254.21.33 ebgp-multihop 2");
    // Azure's fixed timers (FAQ): keepalive 60 s, hold 180 s.
    expect(bgpd).toContain(" neighbor 169.254.21.33 timers 60 180");
    expect(bgpd).toContain("set as-path prepend 64512");
  });
});
