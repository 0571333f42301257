import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AwsVpnGateway } from "../../components/aws";
import { OnPremVpnRouter } from "../../components/onprem";
import { CRYPTO_SUITES, strongSwanProposals, VpnLink, type VpnLinkArgs } from "../../components/vpn";
import type { RecordedResource, Recorder } from "../../scripts/plan";
import { configErrorOf, expectStandardTags } from "../helpers/components";
import { ofType, one, resolved, startMocks } from "../helpers/mocks";

let recorder: Recorder;
let rs: RecordedResource[];
let link: VpnLink;
let router: OnPremVpnRouter;
const secrets: Record<string, boolean> = {};

const DC1 = {
  site: "onprem",
  name: "dc1",
  publicIp: "198.51.100.10",
  asn: 65010,
  networks: ["10.10.0.0/16"],
} as const;

function awsEnd(gateway: AwsVpnGateway) {
  return { site: "aws", name: "aws", gateway, networks: ["10.20.0.0/16"] } as const;
}

beforeAll(async () => {
  recorder = await startMocks();
  await pulumi.runtime.runInPulumiStack(async () => {
    const gateway = new AwsVpnGateway("vpn", {
      network: {
        vpcId: "vpc-0a1b2c3d",
        privateRouteTables: ["rtb-0a", "rtb-0b", "rtb-0c"],
        endpointSecurityGroupId: "sg-0e0e0e0e",
      },
      peerCidrs: ["10.10.0.0/16"],
      environment: "dev",
    });
    link = new VpnLink("aws-dc1", { ends: [awsEnd(gateway), DC1], insideSlot: 1, environment: "dev" });
    router = new OnPremVpnRouter("dc1-router", {
      publicIp: DC1.publicIp,
      asn: DC1.asn,
      prefixes: [...DC1.networks],
      proposals: strongSwanProposals(link.suite),
      tunnels: [link.onpremTunnels],
    });
    // Read before they resolve, as the engine sees them.
    secrets.onpremTunnels = await pulumi.isSecret(link.onpremTunnels);
    secrets.swanctl = await pulumi.isSecret(router.swanctlConf);
    secrets.bgpd = await pulumi.isSecret(router.bgpdConf);
    return {};
  });
  await recorder.settle();
  rs = recorder.resources;
});

describe("AwsVpnGateway", () => {
  it("attaches a gateway with its ASN, propagates BGP routes into every private route table after the attachment", () => {
    const gateway = one(rs, "aws:ec2/vpnGateway:VpnGateway", "vpn");
    expect(gateway.inputs.amazonSideAsn).toBe("64512");
    const attachment = one(rs, "aws:ec2/vpnGatewayAttachment:VpnGatewayAttachment", "vpn");
    expect(attachment.inputs.vpcId).toBe("vpc-0a1b2c3d");
    const propagations = ofType(rs, "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation");
    expect(propagations.map((p) => p.inputs.routeTableId)).toEqual(["rtb-0a", "rtb-0b", "rtb-0c"]);
    for (const p of propagations) expect(p.dependsOn).toContain(attachment.urn);
  });

  it("logs tunnels to a protected, KMS-encrypted log group under /aws/vendedlogs/, and opens the endpoints to the peers on 443 only", () => {
    const group = one(rs, "aws:cloudwatch/logGroup:LogGroup", "vpn-tunnel-logs");
    expect(group.inputs.name).toBe("/aws/vendedlogs/vpn/vpn");
    expect(group.inputs.kmsKeyId).toMatch(/^arn:aws:kms:/);
    expect(group.protect).toBe(true);
    const rule = one(
      rs,
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "vpn-endpoints-10-10-0-0-16",
    );
    expect(rule.inputs).toMatchObject({
      securityGroupId: "sg-0e0e0e0e",
      cidrIpv4: "10.10.0.0/16",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
    });
    expectStandardTags(rs);
  });
});

describe("VpnLink aws-onprem", () => {
  it("builds one customer gateway at the router's address with its ASN, replaced before it is recreated", () => {
    const cgw = one(rs, "aws:ec2/customerGateway:CustomerGateway", "aws-dc1-1");
    expect(cgw.inputs).toMatchObject({
      type: "ipsec.1",
      bgpAsn: "65010",
      ipAddress: "198.51.100.10",
      deviceName: "aws-dc1-1",
    });
  });

  it("pins both tunnels of the connection to the suite: IKEv2 only, one algorithm per phase, DPD, logs", () => {
    const vpn = one(rs, "aws:ec2/vpnConnection:VpnConnection", "aws-dc1-1");
    expect(vpn.inputs.staticRoutesOnly).toBe(false);
    for (const n of [1, 2]) {
      expect(vpn.inputs).toMatchObject({
        [`tunnel${n}IkeVersions`]: ["ikev2"],
        [`tunnel${n}Phase1EncryptionAlgorithms`]: ["AES256-GCM-16"],
        [`tunnel${n}Phase1IntegrityAlgorithms`]: ["SHA2-384"],
        [`tunnel${n}Phase1DhGroupNumbers`]: [20],
        [`tunnel${n}Phase1LifetimeSeconds`]: 28800,
        [`tunnel${n}Phase2EncryptionAlgorithms`]: ["AES256-GCM-16"],
        [`tunnel${n}Phase2IntegrityAlgorithms`]: ["SHA2-384"],
        [`tunnel${n}Phase2DhGroupNumbers`]: [20],
        [`tunnel${n}Phase2LifetimeSeconds`]: 3600,
        [`tunnel${n}DpdTimeoutSeconds`]: 30,
        [`tunnel${n}DpdTimeoutAction`]: "restart",
        [`tunnel${n}StartupAction`]: "start",
      });
      const logs = vpn.inputs[`tunnel${n}LogOptions`] as { cloudwatchLogOptions: Record<string, unknown> };
      expect(logs.cloudwatchLogOptions).toMatchObject({ logEnabled: true, logOutputFormat: "json" });
      expect(String(logs.cloudwatchLogOptions.logGroupArn)).toMatch(
        /^arn:aws:logs:.*\/aws\/vendedlogs\/vpn\/vpn$/,
      );
    }
    // Slot 1: the second /28 of 169.254.21.0/24, one /30 per tunnel.
    expect(vpn.inputs.tunnel1InsideCidr).toBe("169.254.21.16/30");
    expect(vpn.inputs.tunnel2InsideCidr).toBe("169.254.21.20/30");
  });

  it("keeps each tunnel's random pre-shared key secret, in state and in what leaves the link", () => {
    const vpn = one(rs, "aws:ec2/vpnConnection:VpnConnection", "aws-dc1-1");
    expect(vpn.inputs.tunnel1PresharedKey).toBe("[secret]");
    expect(vpn.secretInputs).toEqual(expect.arrayContaining(["tunnel1PresharedKey", "tunnel2PresharedKey"]));
    const keys = [1, 2].map((n) => String(vpn.plainInputs[`tunnel${n}PresharedKey`]));
    expect(keys[0]).not.toBe(keys[1]);
    for (const key of keys) expect(key).toMatch(/^k[A-Za-z0-9._]{47}$/);
    expect(ofType(rs, "random:index/randomPassword:RandomPassword").map((r) => r.name)).toEqual([
      "aws-dc1-psk-1",
      "aws-dc1-psk-2",
    ]);
    expect(secrets).toEqual({ onpremTunnels: true, swanctl: true, bgpd: true });
  });

  it("reports its tunnels with both ends' addresses, ASNs and suite, and hands the router its side", async () => {
    const tunnels = await resolved(link.tunnels);
    expect(tunnels.map((t) => [t.name, t.sites, t.inside, t.asns, t.suite])).toEqual([
      [
        "aws-dc1-1",
        ["aws", "dc1"],
        ["169.254.21.17", "169.254.21.18"],
        [64512, 65010],
        "aes256gcm-sha384-ecp384",
      ],
      [
        "aws-dc1-2",
        ["aws", "dc1"],
        ["169.254.21.21", "169.254.21.22"],
        [64512, 65010],
        "aes256gcm-sha384-ecp384",
      ],
    ]);
    for (const t of tunnels) {
      expect(t.outside[0]).toMatch(/^203\.0\.113\./);
      expect(t.outside[1]).toBe("198.51.100.10");
    }
    const swanctl = await resolved(router.swanctlConf);
    expect(swanctl).toContain(`remote_addrs = ${tunnels[0]?.outside[0]}`);
    expect(swanctl).toContain("if_id_in = 5");
    expect(swanctl).toContain("if_id_in = 6");
    const bgpd = await resolved(router.bgpdConf);
    expect(bgpd).toContain(" neighbor 169.254.21.17 remote-as 64512");
    expect(bgpd).toContain(" neighbor 169.254.21.21 remote-as 64512");
  });
});

describe("VpnLink validation", () => {
  const gatewayRef = {
    vpnGatewayId: "vgw-0a",
    amazonSideAsn: 64512,
    tunnelLogGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:x",
  };
  const aws = { site: "aws", name: "aws", gateway: gatewayRef, networks: ["10.20.0.0/16"] } as const;
  const bad = (args: Partial<VpnLinkArgs>) =>
    configErrorOf(() => new VpnLink("bad", { ends: [aws, DC1], insideSlot: 0, ...args })).message;

  it("refuses one ASN on both ends, overlapping networks and a slot outside 0-31, all at once", () => {
    const message = bad({
      ends: [aws, { ...DC1, asn: 64512, networks: ["10.20.128.0/17"] }],
      insideSlot: 32,
    });
    expect(message).toContain("ends[1]: has ASN 64512, the same as aws; eBGP needs two ASNs");
    expect(message).toContain("ends: dc1 10.20.128.0/17 overlaps aws 10.20.0.0/16");
    expect(message).toContain("insideSlot");
  });

  it("refuses an on-premises ASN Azure or AWS reserve, and a public address that is not one", () => {
    const message = bad({ ends: [aws, { ...DC1, asn: 65515, publicIp: "dc1.example.com" }] });
    expect(message).toContain("ends[1].asn: is not a private ASN the clouds accept");
    expect(message).toContain("ends[1].publicIp");
  });

  it("refuses a suite AWS cannot express, naming AWS and the value", () => {
    const suite = { ...CRYPTO_SUITES["aes256gcm-sha384-ecp384"], childLifetimeSeconds: 7200 };
    expect(bad({ crypto: suite })).toContain(
      "aws cannot use this suite: childLifetimeSeconds 7200 is outside AWS's 900-3600",
    );
  });
});
