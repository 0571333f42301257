import { beforeAll, describe, expect, it } from "vitest";
import { AzureVnet, type AzureVnetArgs } from "../../components/azure";
import { planAzureSubnets } from "../../components/azure/internal";
import type { RecordedResource, Recorder } from "../../scripts/plan";
import { expectProtected, grantsOf, RG, roleId, subnetId, T, VNET_ID } from "../azure/support";
import { configErrorOf, expectStandardTags } from "../helpers/components";
import { descendants, ofType, one, resolved, startMocks } from "../helpers/mocks";

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startMocks();
});

const BASE: AzureVnetArgs = { resourceGroupName: RG, location: "westeurope" };

async function build(
  name: string,
  extra: Partial<AzureVnetArgs> = {},
): Promise<{ vnet: AzureVnet; rs: RecordedResource[] }> {
  recorder.clear();
  const vnet = new AzureVnet(name, { ...BASE, ...extra });
  await recorder.settle();
  return { vnet, rs: recorder.resources };
}

describe("planAzureSubnets", () => {
  it("gives nodes a quarter each and packs endpoints, GatewaySubnet, API server and DNS resolver subnets into the last", () => {
    expect(planAzureSubnets("10.30.0.0/16")).toEqual({
      system: "10.30.0.0/18",
      gpu: "10.30.64.0/18",
      endpoints: "10.30.192.0/24",
      gateway: "10.30.193.0/27",
      apiServer: "10.30.193.32/28",
      dnsInbound: "10.30.193.48/28",
      dnsOutbound: "10.30.193.64/28",
    });
    expect(planAzureSubnets("10.40.8.0/22")).toEqual({
      system: "10.40.8.0/24",
      gpu: "10.40.9.0/24",
      endpoints: "10.40.11.0/25",
      gateway: "10.40.11.128/27",
      apiServer: "10.40.11.160/28",
      dnsInbound: "10.40.11.176/28",
      dnsOutbound: "10.40.11.192/28",
    });
  });
});

describe("AzureVnet (new VNet)", () => {
  it("carves the DNS resolver's two delegated subnets only when asked, with NSGs", async () => {
    const { vnet, rs } = await build("resolver", { dnsResolverSubnets: true });
    for (const [name, cidr] of [
      ["dns-inbound", "10.30.193.48/28"],
      ["dns-outbound", "10.30.193.64/28"],
    ] as const) {
      const subnet = one(rs, "azure-native:network:Subnet", `resolver-${name}`);
      expect(subnet.inputs).toMatchObject({
        subnetName: name,
        addressPrefix: cidr,
        delegations: [{ name: "dns-resolver", serviceName: "Microsoft.Network/dnsResolvers" }],
        defaultOutboundAccess: false,
      });
      expect(subnet.inputs.networkSecurityGroup).toBeDefined();
    }
    expect(vnet.dnsInboundSubnetId).toBeDefined();
    const { rs: plain } = await build("plain");
    expect(plain.filter((r) => r.name.startsWith("plain-dns-"))).toEqual([]);
  });

  it("carves subnets (the API server's too), puts an NSG on all but the GatewaySubnet, NAT egress, no default outbound access, flow logs", async () => {
    const { vnet, rs } = await build("core");
    const component = one(rs, "hybrid-ai-infra:index:AzureVnet", "core");
    const children = descendants(rs, component.urn);
    expect(children.every((c) => c.name.startsWith("core"))).toBe(true);

    expect(one(rs, T.vnet, "core").inputs).toMatchObject({
      resourceGroupName: RG,
      location: "westeurope",
      addressSpace: { addressPrefixes: ["10.30.0.0/16"] },
    });
    const subnets = ofType(rs, T.subnet);
    expect(subnets.map((s) => [s.name, s.inputs.subnetName, s.inputs.addressPrefix])).toEqual([
      ["core-system", "system", "10.30.0.0/18"],
      ["core-gpu", "gpu", "10.30.64.0/18"],
      ["core-endpoints", "endpoints", "10.30.192.0/24"],
      ["core-GatewaySubnet", "GatewaySubnet", "10.30.193.0/27"],
      ["core-apiserver", "apiserver", "10.30.193.32/28"],
    ]);
    // Created one after another: Azure rejects concurrent changes to one VNet's subnets.
    subnets.slice(1).forEach((s, i) => {
      expect(s.dependsOn).toContain(subnets[i]?.urn);
    });

    const nat = one(rs, T.nat, "core");
    const ip = one(rs, T.publicIp, "core-nat");
    expect(ip.inputs).toMatchObject({
      sku: { name: "Standard", tier: "Regional" },
      publicIPAllocationMethod: "Static",
      publicIPAddressVersion: "IPv4",
    });
    expect(nat.inputs.sku).toEqual({ name: "Standard" });
    const natId = String(await resolved(vnet.natGatewayId));
    expect(natId).toMatch(/\/providers\/Microsoft\.Network\/natGateways\/core/);

    const byRole = Object.fromEntries(subnets.map((s) => [String(s.inputs.subnetName), s.inputs]));
    for (const role of ["system", "gpu"]) {
      expect(byRole[role]).toMatchObject({ defaultOutboundAccess: false, natGateway: { id: natId } });
      expect(byRole[role]?.routeTable).toBeUndefined();
    }
    expect(byRole.endpoints).toMatchObject({
      defaultOutboundAccess: false,
      privateEndpointNetworkPolicies: "Enabled",
    });
    expect(byRole.endpoints?.natGateway).toBeUndefined();
    // Azure forbids an NSG on the GatewaySubnet; the VPN gateway also needs its outbound path.
    expect(byRole.GatewaySubnet?.networkSecurityGroup).toBeUndefined();
    expect(byRole.GatewaySubnet?.natGateway).toBeUndefined();
    expect(byRole.GatewaySubnet?.defaultOutboundAccess).toBeUndefined();

    const nsgs = ofType(rs, T.nsg);
    expect(nsgs.map((n) => n.name).sort()).toEqual([
      "core-apiserver",
      "core-endpoints",
      "core-gpu",
      "core-system",
    ]);
    const nsgIds = await resolved(vnet.networkSecurityGroupIds);
    expect(Object.keys(nsgIds).sort()).toEqual(["apiServer", "endpoints", "gpu", "system"]);
    for (const role of ["system", "gpu", "endpoints"] as const) {
      expect(byRole[role]?.networkSecurityGroup).toEqual({ id: nsgIds[role] });
    }
    const rules = (name: string) => one(rs, T.nsg, name).inputs.securityRules as Record<string, unknown>[];
    expect(rules("core-system")).toEqual([
      expect.objectContaining({
        name: "deny-internet-inbound",
        direction: "Inbound",
        access: "Deny",
        sourceAddressPrefix: "Internet",
        priority: 4000,
      }),
    ]);
    expect(rules("core-endpoints")).toEqual([
      expect.objectContaining({
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "VirtualNetwork",
        destinationPortRange: "443",
        priority: 100,
      }),
      expect.objectContaining({ access: "Deny", sourceAddressPrefix: "*", priority: 4000 }),
    ]);

    // VNet flow logs: a locked-down storage account written through a managed identity.
    const storage = one(rs, T.account, "core-flow-logs");
    expect(storage.inputs).toMatchObject({
      kind: "StorageV2",
      minimumTlsVersion: "TLS1_2",
      enableHttpsTrafficOnly: true,
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      // The same hardening as AzureEncryptedStorage: no local or SFTP users, copies within the tenant.
      isLocalUserEnabled: false,
      isSftpEnabled: false,
      allowCrossTenantReplication: false,
      allowedCopyScope: "AAD",
      publicNetworkAccess: "Enabled",
      networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" },
      encryption: {
        keySource: "Microsoft.Storage",
        requireInfrastructureEncryption: true,
        services: { blob: { enabled: true, keyType: "Account" } },
      },
    });
    expect(String(storage.inputs.accountName)).toMatch(/^coreflow[a-z0-9]{6}$/);
    expectProtected([storage]);
    const flow = one(rs, T.flowLog, "core-flow-logs");
    const writer = one(rs, T.identity, "core-flow-logs");
    expect(flow.inputs).toMatchObject({
      resourceGroupName: "NetworkWatcherRG",
      networkWatcherName: "NetworkWatcher_westeurope",
      location: "westeurope",
      enabled: true,
      targetResourceId: await resolved(vnet.virtualNetworkId),
      storageId: await resolved(vnet.flowLogStorageAccountId),
      format: { type: "JSON", version: 2 },
      retentionPolicy: { enabled: true, days: 90 },
      identity: { type: "UserAssigned" },
    });
    const grants = grantsOf(rs);
    expect(grants).toEqual([
      {
        name: "core-flow-logs-writer",
        role: "Storage Blob Data Contributor",
        scope: String(await resolved(vnet.flowLogStorageAccountId)),
        principalId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
    expect(one(rs, T.role, "core-flow-logs-writer").inputs.roleDefinitionId).toBe(
      roleId("Storage Blob Data Contributor"),
    );
    expect(flow.dependsOn).toContain(one(rs, T.role, "core-flow-logs-writer").urn);
    expect((flow.inputs.identity as { userAssignedIdentities: string[] }).userAssignedIdentities[0]).toMatch(
      /userAssignedIdentities\/core-flow-logs/,
    );
    expect(writer.inputs.location).toBe("westeurope");

    expect(expectStandardTags(children)).toBeGreaterThan(5);
    expect(vnet.outboundType).toBe("userAssignedNATGateway");
    // The API server's subnet exists by default, so a cluster on this VNet keeps its KMS vault private.
    expect(await resolved(vnet.apiServerSubnetId as never)).toMatch(/\/subnets\/apiserver$/);
    expect(byRole.apiserver).toMatchObject({
      delegations: [{ name: "aks", serviceName: "Microsoft.ContainerService/managedClusters" }],
      defaultOutboundAccess: false,
    });
    expect(byRole.apiserver?.natGateway).toBeUndefined();
    expect(await resolved(vnet.addressSpace)).toBe("10.30.0.0/16");
    expect(vnet.addressSpaceCidr).toBe("10.30.0.0/16");
    expect(await resolved(vnet.systemSubnetId)).toMatch(
      /\/virtualNetworks\/core[0-9a-f]{8}\/subnets\/system$/,
    );
    expect(await resolved(vnet.gatewaySubnetId)).toMatch(/\/subnets\/GatewaySubnet$/);
    expect(await resolved(vnet.natPublicIp)).toMatch(/^20\.\d+\.\d+\.\d+$/);
    expect(await resolved(vnet.subnetCidrs)).toEqual({
      system: "10.30.0.0/18",
      gpu: "10.30.64.0/18",
      endpoints: "10.30.192.0/24",
      gateway: "10.30.193.0/27",
      apiServer: "10.30.193.32/28",
    });
    expect(one(rs, "hybrid-ai-infra:index:AzureVnet", "core").outputs).toMatchObject({
      outboundType: "userAssignedNATGateway",
      addressSpace: "10.30.0.0/16",
    });
  });

  it("places the API server subnet in the plan's last quarter, and leaves it out only when told", async () => {
    const { rs } = await build("kms", { addressSpace: "10.31.0.0/20" });
    expect(one(rs, T.subnet, "kms-apiserver").inputs.addressPrefix).toBe("10.31.13.32/28");
    expect(one(rs, T.nsg, "kms-apiserver").inputs.securityRules).toHaveLength(1);

    const { vnet, rs: without } = await build("nokms", {
      addressSpace: "10.31.0.0/20",
      apiServerSubnet: false,
    });
    expect(ofType(without, T.subnet).map((s) => s.inputs.subnetName)).toEqual([
      "system",
      "gpu",
      "endpoints",
      "GatewaySubnet",
    ]);
    expect(vnet.apiServerSubnetId).toBeUndefined();
  });

  it("admits the VNet and the named deployers to the API server, and no other network the VNet reaches (issue 19.3)", async () => {
    const { rs } = await build("api", {
      addressSpace: "10.31.0.0/20",
      apiServerClientCidrs: ["10.10.5.0/24"],
    });
    const rules = one(rs, T.nsg, "api-apiserver").inputs.securityRules as Record<string, unknown>[];
    expect(
      rules.map((r) => [r.name, r.priority, r.access, r.sourceAddressPrefixes ?? r.sourceAddressPrefix]),
    ).toEqual([
      ["allow-api-from-vnet", 100, "Allow", "10.31.0.0/20"],
      ["allow-api-from-deployers", 110, "Allow", "10.10.5.0/24"],
      // The VirtualNetwork tag holds every route the VPN gateway learns: the other sites, pods and all.
      ["deny-api-from-other-networks", 3900, "Deny", "VirtualNetwork"],
      ["deny-internet-inbound", 4000, "Deny", "Internet"],
    ]);
    expect(rules.slice(0, 3).map((r) => [r.protocol, r.destinationPortRanges])).toEqual([
      ["Tcp", ["443", "4443"]],
      ["Tcp", ["443"]],
      ["Tcp", ["443", "4443"]],
    ]);
    // The other subnets keep their rules.
    expect(one(rs, T.nsg, "api-system").inputs.securityRules).toHaveLength(1);

    // A deployment inside the VNet: the VNet alone.
    const { rs: inside } = await build("api-in", { addressSpace: "10.31.0.0/20", apiServerClientCidrs: [] });
    const names = (one(inside, T.nsg, "api-in-apiserver").inputs.securityRules as { name: string }[]).map(
      (r) => r.name,
    );
    expect(names).toEqual(["allow-api-from-vnet", "deny-api-from-other-networks", "deny-internet-inbound"]);
  });

  it("routes node egress through your route table instead of a NAT gateway", async () => {
    const routeTableId = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${RG}/providers/Microsoft.Network/routeTables/to-firewall`;
    const { vnet, rs } = await build("udr", { egress: "userDefinedRouting", routeTableId, flowLogs: false });
    expect(ofType(rs, T.nat)).toHaveLength(0);
    expect(ofType(rs, T.publicIp)).toHaveLength(0);
    expect(ofType(rs, T.flowLog)).toHaveLength(0);
    const tables = ofType(rs, T.subnet).map((s) => [
      s.inputs.subnetName,
      (s.inputs.routeTable as { id?: string })?.id,
    ]);
    expect(tables).toEqual([
      ["system", routeTableId],
      ["gpu", routeTableId],
      ["endpoints", undefined],
      ["GatewaySubnet", undefined],
      ["apiserver", undefined],
    ]);
    expect(vnet.outboundType).toBe("userDefinedRouting");
    expect(await resolved(vnet.natGatewayId)).toBeUndefined();
  });

  it("adds only flow logs to an existing VNet, when asked", async () => {
    const existing = {
      virtualNetworkId: VNET_ID,
      addressSpace: "172.20.0.0/16",
      systemSubnetId: subnetId("aks"),
      endpointSubnetId: subnetId("pe"),
      outboundType: "userDefinedRouting" as const,
    };
    const { vnet, rs } = await build("legacy", { existing, flowLogs: true, networkWatcherName: "nw-weu" });
    expect(ofType(rs, T.vnet)).toHaveLength(0);
    expect(ofType(rs, T.subnet)).toHaveLength(0);
    expect(ofType(rs, T.nsg)).toHaveLength(0);
    expect(one(rs, T.flowLog, "legacy-flow-logs").inputs).toMatchObject({
      targetResourceId: VNET_ID,
      networkWatcherName: "nw-weu",
    });
    expect(await resolved(vnet.gpuSubnetId)).toBe(subnetId("aks"));
    expect(await resolved(vnet.virtualNetworkName)).toBe("vnet-platform");
    expect(vnet.addressSpaceCidr).toBe("172.20.0.0/16");
    expect(vnet.outboundType).toBe("userDefinedRouting");

    const { rs: quiet } = await build("legacy2", { existing });
    expect(quiet.filter((r) => r.custom)).toHaveLength(0);
  });
});

describe("AzureVnet arguments", () => {
  it("rejects bad CIDRs and overlapping subnets in one ConfigError, before registering anything", () => {
    recorder.clear();
    const error = configErrorOf(
      () =>
        new AzureVnet("bad", {
          ...BASE,
          addressSpace: "10.30.0.1/16",
          subnets: { gpu: "10.30.32.0/19" },
        }),
    );
    expect(error.message).toContain(
      'addressSpace: "10.30.0.1/16" has host bits set; did you mean 10.30.0.0/16?',
    );
    expect(recorder.resources).toHaveLength(0);

    const overlap = configErrorOf(
      () => new AzureVnet("bad", { ...BASE, subnets: { gpu: "10.30.32.0/19", gateway: "10.30.193.0/28" } }),
    );
    expect(overlap.message).toContain(
      'subnets.gpu: the gpu subnet "10.30.32.0/19" overlaps the system subnet "10.30.0.0/18"',
    );
    expect(overlap.message).toContain(
      'subnets.gateway: "10.30.193.0/28" is too small for the gateway subnet: use a /27 or larger',
    );
    expect(recorder.resources).toHaveLength(0);
  });

  it("names subnets outside the space, UDR without a route table, and new-VNet settings on an existing one", () => {
    const outside = configErrorOf(
      () => new AzureVnet("bad", { ...BASE, subnets: { endpoints: "10.99.0.0/24" } }),
    );
    expect(outside.message).toContain(
      'subnets.endpoints: "10.99.0.0/24" (the endpoints subnet) is outside the address space 10.30.0.0/16',
    );

    expect(() => new AzureVnet("bad", { ...BASE, egress: "userDefinedRouting" })).toThrowError(
      'AzureVnet "bad": routeTableId: is required with egress "userDefinedRouting": the node subnets need a route to your firewall',
    );
    expect(
      () =>
        new AzureVnet("bad", { ...BASE, apiServerSubnet: false, subnets: { apiServer: "10.30.193.32/28" } }),
    ).toThrowError("subnets.apiServer: does not apply with apiServerSubnet: false");
    expect(
      () => new AzureVnet("bad", { ...BASE, apiServerSubnet: false, apiServerClientCidrs: ["10.10.5.0/24"] }),
    ).toThrowError("apiServerClientCidrs: does not apply with apiServerSubnet: false");
    const existing = configErrorOf(
      () =>
        new AzureVnet("bad", {
          ...BASE,
          addressSpace: "10.30.0.0/16",
          existing: {
            virtualNetworkId: VNET_ID,
            addressSpace: "10.30.0.0/16",
            systemSubnetId: "subnet-10000000",
            endpointSubnetId: subnetId("pe"),
            outboundType: "userAssignedNATGateway",
          },
        }),
    );
    expect(existing.issues.map((i) => i.path)).toEqual(["existing.systemSubnetId", "addressSpace"]);
    expect(
      () =>
        new AzureVnet("bad", {
          ...BASE,
          existing: {
            virtualNetworkId: VNET_ID,
            addressSpace: "10.30.0.0/16",
            addressSpaceCidr: "10.31.0.0/16",
            systemSubnetId: subnetId("aks"),
            endpointSubnetId: subnetId("pe"),
            outboundType: "userAssignedNATGateway",
          },
        }),
    ).toThrowError(
      'existing.addressSpaceCidr: "10.31.0.0/16" differs from existing.addressSpace "10.30.0.0/16"; give the VNet\'s one space',
    );
    expect(() => new AzureVnet("bad", { ...BASE, addressSpace: "10.0.0.0/8" })).toThrowError(
      '"10.0.0.0/8" must be an IPv4 block between /16 and /22',
    );
  });
});
