import { describe, expect, it } from "vitest";
import { CRYPTO_SUITES, strongSwanProposals } from "../../components/facts";
import type { OnPremRouter } from "../../components/onprem";
import { renderBgpdConf, renderInterfacesScript, renderSwanctlConf } from "../../components/onprem/internal";

const ROUTER: OnPremRouter = {
  publicIp: "198.51.100.10",
  asn: 65010,
  prefixes: ["10.10.0.0/16"],
  proposals: strongSwanProposals(CRYPTO_SUITES["aes256gcm-sha384-ecp384"]),
  tunnels: [
    {
      name: "aws-dc1-1",
      peerOutside: "203.0.113.10",
      localInside: "169.254.21.2/30",
      peerInside: "169.254.21.1",
      peerAsn: 64512,
      presharedKey: "kSecretOne_1234567890",
      ifId: 1,
    },
    {
      name: "aws-dc1-2",
      peerOutside: "203.0.113.11",
      localInside: "169.254.21.6/30",
      peerInside: "169.254.21.5",
      peerAsn: 64512,
      presharedKey: "kSecretTwo_1234567890",
      ifId: 2,
    },
  ],
};

describe("the on-premises router's configuration", () => {
  it("offers exactly the suite on IKEv2, route-based through one XFRM interface per tunnel", () => {
    const conf = renderSwanctlConf(ROUTER);
    expect(conf.match(/version = 2/g)).toHaveLength(2);
    expect(conf.match(/proposals = aes256gcm16-prfsha384-ecp384\n/g)).toHaveLength(2);
    expect(conf.match(/esp_proposals = aes256gcm16-ecp384\n/g)).toHaveLength(2);
    expect(conf).not.toMatch(/version = 1|sha1|modp1024/);
    expect(conf).toContain("remote_addrs = 203.0.113.11");
    expect(conf).toContain("if_id_in = 2");
    // Lifetimes end inside AWS's: IKE rekeys 540 s before 8 h, ESP 540 s before 1 h.
    expect(conf).toContain("rekey_time = 28260s");
    expect(conf).toContain("rekey_time = 3060s");
    expect(conf).toContain("life_time = 3600s");
    expect(conf).toContain('secret = "kSecretOne_1234567890"');
    const script = renderInterfacesScript(ROUTER, "wan0");
    expect(script).toContain("ip link add xfrm-1 type xfrm dev wan0 if_id 1");
    expect(script).toContain("ip address add 169.254.21.6/30 dev xfrm-2");
  });

  it("peers with each cloud tunnel over BGP with the clouds' timers, announcing only on-premises networks", () => {
    const conf = renderBgpdConf(ROUTER);
    expect(conf).toContain("router bgp 65010");
    expect(conf).toContain(" neighbor 169.254.21.1 remote-as 64512");
    expect(conf).toContain(" neighbor 169.254.21.5 timers 10 30");
    expect(conf).toContain("  network 10.10.0.0/16");
    expect(conf).toContain("ip prefix-list NOT-ONPREM seq 10 deny 10.10.0.0/16 le 32");
    expect(conf).toContain("  neighbor 169.254.21.5 route-map TO-CLOUD out");
  });
});

describe("a router peering with Azure's two gateway instances", () => {
  const azure: OnPremRouter = {
    ...ROUTER,
    tunnels: [1, 2].map((n) => ({
      name: `azure-dc1-${n}`,
      peerOutside: `20.0.0.${n}`,
      localInside: "169.254.21.34/32",
      peerInside: `169.254.21.${n === 1 ? 33 : 37}`,
      peerAsn: 65000,
      presharedKey: "kShared_1234567890",
      ifId: 8 + n,
      bgpSource: "169.254.21.34",
    })),
  };

  it("sources BGP from one loopback address, multihop, with a host route to each instance through its tunnel", () => {
    const script = renderInterfacesScript(azure);
    expect(script.match(/ip address add 169\.254\.21\.34\/32 dev lo/g)).toHaveLength(1);
    expect(script).toContain("ip route add 169.254.21.33/32 dev xfrm-9 src 169.254.21.34");
    expect(script).toContain("ip route add 169.254.21.37/32 dev xfrm-10 src 169.254.21.34");
    const bgpd = renderBgpdConf(azure);
    expect(bgpd).toContain(" neighbor 169.254.21.37 update-source 169.254.21.34");
    expect(bgpd).toContain(" neighbor 169.254.21.33 ebgp-multihop 2");
  });
});
