import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AwsVpnGateway } from "../../components/aws";
import { AzureVpnGateway } from "../../components/azure";
import { awsAzureApipa, azureOnPremApipa, CRYPTO_SUITES, strongSwanProposals } from "../../components/facts";
import { OnPremVpnRouter } from "../../components/onprem";
import { VpnLink, type VpnLinkArgs } from "../../components/vpn";
import type { RecordedResource, Recorder } from "../../scripts/plan";
import { configErrorOf, expectStandardTags } from "../helpers/components";
import { ofType, one, resolved, startMocks } from "../helpers/mocks";
import { type ReplacementOptions, recordReplacementOptions } from "./registration-options";

let recorder: Recorder;
let rs: RecordedResource[];
let link: VpnLink;
let router: OnPremVpnRouter;
let options: ReturnType<typeof recordReplacementOptions>;
const secrets: Record<string, boolean> = {};

/** The replacement options `name` of `type` registered with. */
function optionsOf(type: string, name: string): ReplacementOptions {
  const found = options.all().filter((o) => o.type === type && o.name === name);
  expect(found, `${type} ${name}`).toHaveLength(1);
  return found[0] as ReplacementOptions;
}

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
  options = recordReplacementOptions();
  await pulumi.runtime.runInPulumiStack(async () => {
    const gateway = new AwsVpnGateway("vpn", {
      network: {
        vpcId: "vpc-0a1b2c3d",
        privateRouteTables: ["rtb-0a000000", "rtb-0b000000", "rtb-0c000000"],
      },
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
    expect(propagations.map((p) => p.inputs.routeTableId)).toEqual([
      "rtb-0a000000",
      "rtb-0b000000",
      "rtb-0c000000",
    ]);
    for (const p of propagations) expect(p.dependsOn).toContain(attachment.urn);
  });

  it("logs tunnels to a protected, KMS-encrypted log group under /aws/vendedlogs/ named by environment, and opens nothing in the VPC to the peers", () => {
    const group = one(rs, "aws:cloudwatch/logGroup:LogGroup", "vpn-tunnel-logs");
    expect(group.inputs.name).toBe("/aws/vendedlogs/vpn/dev/vpn");
    expect(group.inputs.kmsKeyId).toMatch(/^arn:aws:kms:/);
    expect(group.protect).toBe(true);
    expect(rs.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).toEqual(
      [],
    );
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
      deviceName: "dev-aws-dc1-1",
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
        // The router initiates; AWS only answers, and leaves a dead peer's SA to the router.
        [`tunnel${n}DpdTimeoutAction`]: "clear",
        [`tunnel${n}StartupAction`]: "add",
        [`tunnel${n}RekeyMarginTimeSeconds`]: 270,
      });
      const logs = vpn.inputs[`tunnel${n}LogOptions`] as { cloudwatchLogOptions: Record<string, unknown> };
      // IKE and BGP logs both, as the docs promise.
      expect(logs.cloudwatchLogOptions).toMatchObject({
        logEnabled: true,
        logOutputFormat: "json",
        bgpLogEnabled: true,
        bgpLogOutputFormat: "json",
      });
      expect(String(logs.cloudwatchLogOptions.logGroupArn)).toMatch(
        /^arn:aws:logs:.*\/aws\/vendedlogs\/vpn\/dev\/vpn$/,
      );
      expect(logs.cloudwatchLogOptions.bgpLogGroupArn).toBe(logs.cloudwatchLogOptions.logGroupArn);
    }
    // Slot 1: the second /28 of 169.254.21.0/24, one /30 per tunnel.
    expect(vpn.inputs.tunnel1InsideCidr).toBe("169.254.21.16/30");
    expect(vpn.inputs.tunnel2InsideCidr).toBe("169.254.21.20/30");
  });

  it("orders the replacements AWS accepts: a connection goes before its customer or private gateway, each gateway before its successor", () => {
    // A new router address or ASN replaces the customer gateway, deleted first (EC2 would hand back
    // the old one); its connection is deleted before it, since a gateway in use cannot be deleted.
    expect(optionsOf("aws:ec2/customerGateway:CustomerGateway", "aws-dc1-1")).toMatchObject({
      deleteBeforeReplace: true,
    });
    expect(optionsOf("aws:ec2/vpnConnection:VpnConnection", "aws-dc1-1")).toMatchObject({
      deleteBeforeReplace: true,
      replaceOnChanges: ["customerGatewayId", "vpnGatewayId"],
      replaceWith: ["aws-dc1-1"],
    });
    // A new gateway ASN replaces the gateway: deleted first, so what stands on it (connections,
    // route propagations, the attachment) goes first and the VPC never holds two gateways.
    expect(optionsOf("aws:ec2/vpnGateway:VpnGateway", "vpn")).toMatchObject({ deleteBeforeReplace: true });
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
    for (const asn of [65515, 65516, 65520, 64511, 65535, 4_294_967_295, 13335]) {
      const message = bad({ ends: [aws, { ...DC1, asn, publicIp: "dc1.example.com" }] });
      expect(message).toContain("ends[1].asn: is not a private ASN every end accepts");
      expect(message).toContain("ends[1].publicIp");
    }
    // An AWS gateway in Azure's reserved range could not peer with Azure: refused by the link too.
    const gateway = { ...gatewayRef, amazonSideAsn: 65516 };
    expect(bad({ ends: [{ ...aws, gateway }, DC1] })).toContain(
      "ends[0].gateway.amazonSideAsn: 65516 is not a private ASN every end accepts",
    );
  });

  it("refuses a suite AWS cannot express, naming AWS and the value", () => {
    const suite = { ...CRYPTO_SUITES["aes256gcm-sha384-ecp384"], childLifetimeSeconds: 7200 };
    expect(bad({ crypto: suite })).toContain(
      "aws cannot use this suite: childLifetimeSeconds 7200 is outside AWS's 900-3600",
    );
  });
});

describe("VpnLink aws-azure", () => {
  let azureRs: RecordedResource[];
  let azureLink: VpnLink;

  beforeAll(async () => {
    recorder.clear();
    const aws = new AwsVpnGateway("aws-gw", {
      network: { vpcId: "vpc-0a1b2c3d", privateRouteTables: ["rtb-0a000000"] },
      environment: "dev",
    });
    const azure = new AzureVpnGateway("azure-gw", {
      resourceGroupName: "rg-net",
      location: "westeurope",
      gatewaySubnetId:
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/GatewaySubnet",
      apipaAddresses: awsAzureApipa(2),
      environment: "dev",
    });
    azureLink = new VpnLink("aws-azure", {
      ends: [
        { site: "aws", name: "aws", gateway: aws, networks: ["10.20.0.0/16"] },
        { site: "azure", name: "azure", gateway: azure, networks: ["10.30.0.0/16"] },
      ],
      insideSlot: 2,
      environment: "dev",
    });
    await recorder.settle();
    azureRs = recorder.resources;
  });

  it("runs an active-active, zone-redundant route-based gateway with BGP and an APIPA address per tunnel", () => {
    const gw = one(azureRs, "azure-native:network:VirtualNetworkGateway", "azure-gw");
    const i = gw.inputs as Record<string, any>;
    expect(i).toMatchObject({
      virtualNetworkGatewayName: "azure-gw",
      gatewayType: "Vpn",
      vpnType: "RouteBased",
      vpnGatewayGeneration: "Generation2",
      sku: { name: "VpnGw2AZ", tier: "VpnGw2AZ" },
      activeActive: true,
      enableBgp: true,
    });
    expect(gw.customTimeouts).toMatchObject({ create: "90m" });
    expect(i.bgpSettings.asn).toBe(65000);
    // Slot 2 = 169.254.21.32/28: AWS .1 and Azure .2 of each /30; instance 0 ends tunnels 1-2.
    expect(i.bgpSettings.bgpPeeringAddresses).toEqual([
      {
        ipconfigurationId: expect.stringMatching(
          /\/virtualNetworkGateways\/azure-gw\/ipConfigurations\/instance0$/,
        ),
        customBgpIpAddresses: ["169.254.21.34", "169.254.21.38"],
      },
      {
        ipconfigurationId: expect.stringMatching(/\/ipConfigurations\/instance1$/),
        customBgpIpAddresses: ["169.254.21.42", "169.254.21.46"],
      },
    ]);
    expect(i.ipConfigurations.map((c: { name: string }) => c.name)).toEqual(["instance0", "instance1"]);
    for (const ip of ofType(azureRs, "azure-native:network:PublicIPAddress")) {
      expect(ip.inputs).toMatchObject({
        sku: { name: "Standard", tier: "Regional" },
        publicIPAllocationMethod: "Static",
        zones: ["1", "2", "3"],
      });
    }
  });

  it("maps each of the four AWS tunnels to a local network gateway and an IKEv2 connection with the suite", async () => {
    const cgws = ofType(azureRs, "aws:ec2/customerGateway:CustomerGateway");
    expect(cgws.map((c) => c.inputs.bgpAsn)).toEqual(["65000", "65000"]);
    const vpns = ofType(azureRs, "aws:ec2/vpnConnection:VpnConnection");
    expect(vpns.map((v) => [v.inputs.tunnel1InsideCidr, v.inputs.tunnel2InsideCidr])).toEqual([
      ["169.254.21.32/30", "169.254.21.36/30"],
      ["169.254.21.40/30", "169.254.21.44/30"],
    ]);
    const awsKeys = vpns.flatMap((v) => [
      v.plainInputs.tunnel1PresharedKey,
      v.plainInputs.tunnel2PresharedKey,
    ]);
    const locals = ofType(azureRs, "azure-native:network:LocalNetworkGateway");
    expect(locals.map((l) => l.inputs.bgpSettings)).toEqual([
      { asn: 64512, bgpPeeringAddress: "169.254.21.33" },
      { asn: 64512, bgpPeeringAddress: "169.254.21.37" },
      { asn: 64512, bgpPeeringAddress: "169.254.21.41" },
      { asn: 64512, bgpPeeringAddress: "169.254.21.45" },
    ]);
    const tunnels = await resolved(azureLink.tunnels);
    expect(locals.map((l) => l.inputs.gatewayIpAddress)).toEqual(tunnels.map((t) => t.outside[0]));
    const connections = ofType(azureRs, "azure-native:network:VirtualNetworkGatewayConnection");
    expect(connections).toHaveLength(4);
    connections.forEach((c, n) => {
      expect(c.inputs).toMatchObject({
        connectionType: "IPsec",
        connectionProtocol: "IKEv2",
        enableBgp: true,
        usePolicyBasedTrafficSelectors: false,
        dpdTimeoutSeconds: 30,
        sharedKey: "[secret]",
        ipsecPolicies: [
          {
            ikeEncryption: "GCMAES256",
            ikeIntegrity: "SHA384",
            dhGroup: "ECP384",
            ipsecEncryption: "GCMAES256",
            ipsecIntegrity: "GCMAES256",
            pfsGroup: "ECP384",
            saLifeTimeSeconds: 3600,
          },
        ],
      });
      // The same key on both ends of each tunnel.
      expect(c.plainInputs.sharedKey).toBe(awsKeys[n]);
      const custom = (c.inputs.gatewayCustomBgpIpAddresses as { customBgpIpAddress: string }[]).map(
        (x) => x.customBgpIpAddress,
      );
      expect(custom).toContain(tunnels[n]?.inside[1]);
    });
    expect(tunnels.map((t) => t.asns)).toEqual(Array(4).fill([64512, 65000]));
  });

  it("lets Azure open IKE towards AWS (which only answers), and replaces a connection whose key changes, old one first", () => {
    for (const n of [1, 2, 3, 4]) {
      const name = `aws-azure-azure-${n}`;
      const c = one(azureRs, "azure-native:network:VirtualNetworkGatewayConnection", name);
      expect(c.inputs.connectionMode).toBe("Default");
      // ARM ignores a new sharedKey on update (terraform-provider-azurerm #11673): replace instead.
      expect(optionsOf("azure-native:network:VirtualNetworkGatewayConnection", name)).toEqual(
        expect.objectContaining({
          deleteBeforeReplace: true,
          replacementTrigger: true,
          replaceWith: [`aws-azure-psk-${n}`],
        }),
      );
    }
  });
});

describe("VpnLink with a 4-byte on-premises ASN and no slot of its own", () => {
  it("sends the ASN as the customer gateway's bgpAsnExtended, and takes its site pair's slot", async () => {
    recorder.clear();
    const gateway = new AwsVpnGateway("vpn4", {
      network: { vpcId: "vpc-0a1b2c3d", privateRouteTables: ["rtb-0a000000"] },
    });
    const link = new VpnLink("aws-dc4", {
      ends: [awsEnd(gateway), { ...DC1, asn: 4_200_000_001 }],
    });
    await recorder.settle();
    const cgw = one(recorder.resources, "aws:ec2/customerGateway:CustomerGateway", "aws-dc4-1");
    expect(cgw.inputs.bgpAsnExtended).toBe("4200000001");
    expect(cgw.inputs).not.toHaveProperty("bgpAsn");
    // aws-onprem's default slot is 0, whatever other links exist.
    const vpn = one(recorder.resources, "aws:ec2/vpnConnection:VpnConnection", "aws-dc4-1");
    expect(vpn.inputs.tunnel1InsideCidr).toBe("169.254.21.0/30");
    expect((await resolved(link.onpremTunnels)).map((t) => t.ifId)).toEqual([1, 2]);
  });
});

describe("VpnLink azure-onprem", () => {
  let rsAzure: RecordedResource[];
  let azureDc1: VpnLink;

  beforeAll(async () => {
    recorder.clear();
    const azure = new AzureVpnGateway("azure-gw2", {
      resourceGroupName: "rg-net",
      gatewaySubnetId:
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/GatewaySubnet",
      apipaAddresses: azureOnPremApipa(3),
    });
    azureDc1 = new VpnLink("azure-dc1", {
      ends: [{ site: "azure", name: "azure", gateway: azure, networks: ["10.30.0.0/16"] }, DC1],
      insideSlot: 3,
    });
    await recorder.settle();
    rsAzure = recorder.resources;
  });

  it("gives the router one local network gateway and one connection, which both gateway instances run", async () => {
    const local = one(rsAzure, "azure-native:network:LocalNetworkGateway", "azure-dc1-1");
    expect(local.inputs).toMatchObject({
      gatewayIpAddress: "198.51.100.10",
      bgpSettings: { asn: 65010, bgpPeeringAddress: "169.254.21.50" },
    });
    const connection = one(rsAzure, "azure-native:network:VirtualNetworkGatewayConnection", "azure-dc1-1");
    expect(
      (connection.inputs.gatewayCustomBgpIpAddresses as { customBgpIpAddress: string }[]).map(
        (x) => x.customBgpIpAddress,
      ),
    ).toEqual(["169.254.21.49", "169.254.21.53"]);
    expect(connection.inputs.sharedKey).toBe("[secret]");
    const tunnels = await resolved(azureDc1.onpremTunnels);
    expect(tunnels.map((t) => [t.peerInside, t.bgpSource, t.ifId, t.presharedKey])).toEqual([
      ["169.254.21.49", "169.254.21.50", 13, connection.plainInputs.sharedKey],
      ["169.254.21.53", "169.254.21.50", 14, connection.plainInputs.sharedKey],
    ]);
    for (const t of tunnels) {
      expect(t).toMatchObject({
        peerEnd: "azure",
        peerNetworks: ["10.30.0.0/16"],
        mtu: { mtu: 1400, mss: 1350 },
      });
    }
  });

  it("only answers IKE (the router opens it), and replaces the connection, old one first, when its key changes", () => {
    const connection = one(rsAzure, "azure-native:network:VirtualNetworkGatewayConnection", "azure-dc1-1");
    expect(connection.inputs.connectionMode).toBe("ResponderOnly");
    expect(optionsOf("azure-native:network:VirtualNetworkGatewayConnection", "azure-dc1-1")).toEqual(
      expect.objectContaining({
        deleteBeforeReplace: true,
        replacementTrigger: true,
        replaceWith: ["azure-dc1-psk-1"],
      }),
    );
  });
});
