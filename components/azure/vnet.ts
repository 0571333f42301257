import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity";
import {
  FlowLog,
  NatGateway,
  NetworkSecurityGroup,
  PublicIPAddress,
  Subnet,
  VirtualNetwork,
} from "@pulumi/azure-native/network";
import { StorageAccount } from "@pulumi/azure-native/storage";
import type { network as networkInputs } from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  carveSubnets,
  cidrContains,
  componentSubject,
  findOverlaps,
  ipv4Cidr,
  parseCidr,
  parseOrThrow,
} from "../pulumi-free";
import {
  type CommonArgs,
  childName,
  commonArgsShape,
  input,
  resolveCommon,
  statefulOptions,
} from "../pulumi-kit";
import { azureContext } from "./context";
import { LOCATION, RESOURCE_GROUP_NAME, ROUTE_TABLE_ID, SUBNET_ID, VNET_ID } from "./ids";
import { uniqueName } from "./naming";
import { assignRole } from "./role-assignment";
import { hardenedAccountArgs } from "./storage-account";

/** The subnets an `AzureVnet` carves, by role. */
export const AZURE_SUBNET_ROLES = ["system", "gpu", "endpoints", "gateway", "apiServer"] as const;
export type AzureSubnetRole = (typeof AZURE_SUBNET_ROLES)[number];

/** The subnet blocks of a new VNet, by role. */
export type AzureSubnetPlan = Record<AzureSubnetRole, string>;

/**
 * Splits the address space into quarters: the first holds the system pool (and general-purpose
 * pools), the second the GPU pools, the third is left for later pools; the last is cut in two, the
 * private endpoints taking the first half (at most a /24) and the second holding a /27
 * GatewaySubnet for the VPN gateway and a /28 for API server VNet integration. With the CNI overlay
 * only nodes take VNet addresses, so a quarter of a /16 is ample.
 */
export function planAzureSubnets(addressSpace: string): AzureSubnetPlan {
  const space = parseCidr(addressSpace);
  const [system = "", gpu = "", , tail = ""] = carveSubnets(space, space.prefix + 2, 4);
  const half = Math.max(space.prefix + 3, 24);
  const [endpoints = "", rest = ""] = carveSubnets(tail, half, 2);
  return {
    system,
    gpu,
    endpoints,
    gateway: carveSubnets(rest, 27, 1)[0] ?? "",
    // Right after the /27: the third /28 of the block.
    apiServer: carveSubnets(rest, 28, 1, 2)[0] ?? "",
  };
}

/** A VNet that already exists, for `AzureVnetArgs.existing`. */
export interface ExistingAzureVnet {
  /** The VNet's resource id. */
  virtualNetworkId: pulumi.Input<string>;
  /** Its IPv4 address space. */
  addressSpace: pulumi.Input<string>;
  /**
   * The same address space as a plain string, for when `addressSpace` is an Output (e.g. read
   * from another stack): clusters check their pod and service ranges against it before anything
   * is deployed. Not needed when `addressSpace` is a plain string.
   */
  addressSpaceCidr?: string;
  /** Subnet of the system pool. */
  systemSubnetId: pulumi.Input<string>;
  /** Subnet of the GPU pools; default the system subnet. */
  gpuSubnetId?: pulumi.Input<string>;
  /** Subnet of private endpoints. */
  endpointSubnetId: pulumi.Input<string>;
  /** Its GatewaySubnet, if it has one. */
  gatewaySubnetId?: pulumi.Input<string>;
  /** A subnet delegated to Microsoft.ContainerService/managedClusters, if it has one. */
  apiServerSubnetId?: pulumi.Input<string>;
  /** How its node subnets reach the internet: through a NAT gateway or their route table. */
  outboundType: "userAssignedNATGateway" | "userDefinedRouting";
}

/** Arguments of `AzureVnet`. */
export interface AzureVnetArgs extends CommonArgs {
  /** Resource group of the VNet and its NAT gateway, NSGs and flow-log storage (the stack creates it). */
  resourceGroupName: pulumi.Input<string>;
  /** Azure region, e.g. westeurope: the VNet's, and the Network Watcher's that records its flows. */
  location: string;
  /** IPv4 address space of a new VNet, /16 to /22. Default 10.30.0.0/16. Ignored with `existing`. */
  addressSpace?: string;
  /** Blocks for some subnets instead of the plan's (quarters of the space; see `planAzureSubnets`). */
  subnets?: Partial<Record<AzureSubnetRole, string>>;
  /**
   * Carve a /28 delegated to AKS for API server VNet integration. Default true: a cluster on this
   * VNet then keeps its etcd KMS Key Vault private (no public endpoint). Set false only where the
   * region lacks API server VNet integration; the cluster's KMS vault is then internet-reachable
   * (Entra ID and RBAC still gate it).
   */
  apiServerSubnet?: boolean;
  /** Node egress: "natGateway" (default; one static public IP, no public IPs on nodes) or "userDefinedRouting" (your route table, e.g. to a firewall). */
  egress?: "natGateway" | "userDefinedRouting";
  /** With `egress: "userDefinedRouting"`: the route table (0.0.0.0/0 to your firewall) for the node subnets. */
  routeTableId?: pulumi.Input<string>;
  /** Record the VNet's flows (VNet flow logs) to a dedicated storage account. Default true for a new VNet, false for an existing one. */
  flowLogs?: boolean;
  /** Days flow logs are kept, 1-365. Default 90. */
  flowLogRetentionDays?: number;
  /** The region's Network Watcher; default `NetworkWatcher_<location>`, which Azure creates per region. */
  networkWatcherName?: string;
  /** Its resource group; default `NetworkWatcherRG`. */
  networkWatcherResourceGroupName?: string;
  /** Use this VNet instead of creating one; only flow logs (when asked) are added to it. */
  existing?: ExistingAzureVnet;
}

const DEFAULT_ADDRESS_SPACE = "10.30.0.0/16";

/** The largest prefix (smallest block) each subnet role accepts, and why. */
const SMALLEST_BLOCK: Record<AzureSubnetRole, { prefix: number; why: string }> = {
  system: { prefix: 28, why: "nodes need room to surge during upgrades" },
  gpu: { prefix: 28, why: "nodes need room to surge during upgrades" },
  endpoints: { prefix: 28, why: "each private endpoint takes an address" },
  gateway: { prefix: 27, why: "an active-active VPN gateway needs a /27 GatewaySubnet or larger" },
  apiServer: { prefix: 28, why: "AKS API server VNet integration needs a /28 or larger" },
};

const schema = z
  .strictObject({
    ...commonArgsShape,
    resourceGroupName: input(RESOURCE_GROUP_NAME),
    location: LOCATION,
    addressSpace: ipv4Cidr({ min: 16, max: 22 }).optional(),
    subnets: z
      .strictObject(
        Object.fromEntries(
          AZURE_SUBNET_ROLES.map((role) => [role, ipv4Cidr({ min: 16, max: 29 }).optional()]),
        ) as Record<AzureSubnetRole, z.ZodOptional<ReturnType<typeof ipv4Cidr>>>,
      )
      .optional(),
    apiServerSubnet: z.boolean().optional(),
    egress: z.enum(["natGateway", "userDefinedRouting"]).optional(),
    routeTableId: input(ROUTE_TABLE_ID).optional(),
    flowLogs: z.boolean().optional(),
    flowLogRetentionDays: z.number().int().min(1).max(365).optional(),
    networkWatcherName: z.string().min(1).max(80).optional(),
    networkWatcherResourceGroupName: RESOURCE_GROUP_NAME.optional(),
    existing: z
      .strictObject({
        virtualNetworkId: input(VNET_ID),
        addressSpace: input(ipv4Cidr()),
        addressSpaceCidr: ipv4Cidr().optional(),
        systemSubnetId: input(SUBNET_ID),
        gpuSubnetId: input(SUBNET_ID).optional(),
        endpointSubnetId: input(SUBNET_ID),
        gatewaySubnetId: input(SUBNET_ID).optional(),
        apiServerSubnetId: input(SUBNET_ID).optional(),
        outboundType: z.enum(["userAssignedNATGateway", "userDefinedRouting"]),
      })
      .optional(),
  })
  .superRefine((args, ctx) => {
    const given = args.existing;
    if (
      typeof given?.addressSpace === "string" &&
      given.addressSpaceCidr !== undefined &&
      given.addressSpaceCidr !== given.addressSpace
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["existing", "addressSpaceCidr"],
        message: `"${given.addressSpaceCidr}" differs from existing.addressSpace "${given.addressSpace}"; give the VNet's one space`,
      });
    }
    if (args.existing) {
      for (const field of ["addressSpace", "subnets", "apiServerSubnet", "egress", "routeTableId"] as const) {
        if (args[field] !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: [field],
            message: "only applies to a new VNet; remove it or drop `existing`",
          });
        }
      }
      return;
    }
    const udr = args.egress === "userDefinedRouting";
    if (udr && args.routeTableId === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["routeTableId"],
        message:
          'is required with egress "userDefinedRouting": the node subnets need a route to your firewall',
      });
    }
    if (!udr && args.routeTableId !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["routeTableId"],
        message: 'only applies with egress "userDefinedRouting"',
      });
    }
    if (args.subnets?.apiServer !== undefined && args.apiServerSubnet === false) {
      ctx.addIssue({
        code: "custom",
        path: ["subnets", "apiServer"],
        message: "does not apply with apiServerSubnet: false",
      });
    }
    const space = args.addressSpace ?? DEFAULT_ADDRESS_SPACE;
    const plan = { ...planAzureSubnets(space), ...args.subnets };
    const roles = subnetRoles(args);
    for (const role of roles) {
      const cidr = plan[role];
      const given = args.subnets?.[role] !== undefined;
      const path = given ? ["subnets", role] : ["addressSpace"];
      if (!cidrContains(space, cidr)) {
        ctx.addIssue({
          code: "custom",
          path,
          message: `"${cidr}" (the ${role} subnet) is outside the address space ${space}`,
        });
      }
      const limit = SMALLEST_BLOCK[role];
      if (parseCidr(cidr).prefix > limit.prefix) {
        ctx.addIssue({
          code: "custom",
          path,
          message: `"${cidr}" is too small for the ${role} subnet: use a /${limit.prefix} or larger, as ${limit.why}`,
        });
      }
    }
    const blocks = roles.map((role) => ({ name: role, cidr: plan[role] }));
    for (const { a, b } of findOverlaps(blocks)) {
      const given = args.subnets?.[b.name as AzureSubnetRole] !== undefined;
      ctx.addIssue({
        code: "custom",
        path: given ? ["subnets", b.name] : ["subnets", a.name],
        message: `the ${b.name} subnet "${b.cidr}" overlaps the ${a.name} subnet "${a.cidr}"`,
      });
    }
  });

/** The subnets a new VNet gets: every role, the API server's unless turned off. */
function subnetRoles(args: { apiServerSubnet?: boolean | undefined }): AzureSubnetRole[] {
  return AZURE_SUBNET_ROLES.filter((role) => role !== "apiServer" || (args.apiServerSubnet ?? true));
}

type Rule = networkInputs.SecurityRuleArgs;

const DENY_INTERNET_INBOUND: Rule = {
  name: "deny-internet-inbound",
  description:
    "Nothing on this subnet is reachable from the internet, even if a public IP or load balancer appears",
  priority: 4000,
  direction: "Inbound",
  access: "Deny",
  protocol: "*",
  sourceAddressPrefix: "Internet",
  sourcePortRange: "*",
  destinationAddressPrefix: "*",
  destinationPortRange: "*",
};

// Inbound rules per subnet role (outbound keeps Azure's defaults: nodes need egress through NAT or
// routes). Azure's own rules still allow the VNet (which includes VPN-connected sites) and load
// balancer probes. The GatewaySubnet gets no NSG: Azure does not support one there.
const NSG_RULES: Record<Exclude<AzureSubnetRole, "gateway">, Rule[]> = {
  system: [DENY_INTERNET_INBOUND],
  gpu: [DENY_INTERNET_INBOUND],
  apiServer: [DENY_INTERNET_INBOUND],
  endpoints: [
    {
      name: "allow-https-from-vnet",
      description: "Private endpoints (storage) answer HTTPS from the VNet and connected sites",
      priority: 100,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "VirtualNetwork",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRange: "443",
    },
    {
      name: "deny-all-inbound",
      description: "Nothing else reaches the private endpoints",
      priority: 4000,
      direction: "Inbound",
      access: "Deny",
      protocol: "*",
      sourceAddressPrefix: "*",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRange: "*",
    },
  ],
};

// Azure subnet names by role: GatewaySubnet is the name Azure requires for a VPN gateway.
const SUBNET_NAMES: Record<AzureSubnetRole, string> = {
  system: "system",
  gpu: "gpu",
  endpoints: "endpoints",
  gateway: "GatewaySubnet",
  apiServer: "apiserver",
};

/**
 * A VNet for private AKS clusters and private endpoints: subnets carved from one address space
 * (system nodes, GPU nodes, private endpoints, a GatewaySubnet kept for the VPN gateway, and the
 * API server's delegated subnet, which keeps a cluster's KMS vault private), an NSG on every
 * subnet but the GatewaySubnet,
 * no default outbound access, egress through a NAT gateway or your routes, and VNet flow logs to a
 * dedicated storage account written with a managed identity. Or an existing VNet, to which only
 * flow logs (when asked) are added.
 */
export class AzureVnet extends pulumi.ComponentResource {
  /** The VNet's resource id. */
  public readonly virtualNetworkId: pulumi.Output<string>;
  /** The VNet's name. */
  public readonly virtualNetworkName: pulumi.Output<string>;
  /** The VNet's IPv4 address space. */
  public readonly addressSpace: pulumi.Output<string>;
  /**
   * The same space as a plain string, known before deployment, so a cluster can check its pod and
   * service ranges against it; undefined only for an existing VNet whose space is an Output and
   * that was not given `addressSpaceCidr`.
   */
  public readonly addressSpaceCidr?: string;
  /** Subnet of the system pool and general-purpose pools. */
  public readonly systemSubnetId: pulumi.Output<string>;
  /** Subnet of the GPU pools. */
  public readonly gpuSubnetId: pulumi.Output<string>;
  /** Subnet of private endpoints. */
  public readonly endpointSubnetId: pulumi.Output<string>;
  /** The GatewaySubnet for the VPN gateway; undefined for an existing VNet without one. */
  public readonly gatewaySubnetId: pulumi.Output<string | undefined>;
  /** The subnet delegated to AKS for API server VNet integration; absent with `apiServerSubnet: false` or an existing VNet without one. */
  public readonly apiServerSubnetId?: pulumi.Output<string>;
  /** How the node subnets reach the internet, as AKS names it (`networkProfile.outboundType`). */
  public readonly outboundType: "userAssignedNATGateway" | "userDefinedRouting";
  /** The subnet blocks, by role (empty for an existing VNet). */
  public readonly subnetCidrs: pulumi.Output<Partial<AzureSubnetPlan>>;
  /** The NAT gateway; undefined without one. */
  public readonly natGatewayId: pulumi.Output<string | undefined>;
  /** The NAT gateway's static public IP (allow-list it where egress lands); undefined without one. */
  public readonly natPublicIp: pulumi.Output<string | undefined>;
  /** The NSGs, by subnet role. */
  public readonly networkSecurityGroupIds: pulumi.Output<Record<string, string>>;
  /** The storage account the flow logs land in; undefined without flow logs. */
  public readonly flowLogStorageAccountId: pulumi.Output<string | undefined>;

  constructor(name: string, args: AzureVnetArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AzureVnet", name), schema, args);
    super("hybrid-ai-infra:index:AzureVnet", name, {}, opts);
    const common = resolveCommon(parsed);
    const parent = { parent: this };
    const rg = parsed.resourceGroupName;
    const location = parsed.location;

    let natGatewayId: pulumi.Output<string | undefined> = pulumi.output(undefined);
    let natPublicIp: pulumi.Output<string | undefined> = pulumi.output(undefined);
    let nsgIds = pulumi.output<Record<string, string>>({});
    let subnetCidrs = pulumi.output<Partial<AzureSubnetPlan>>({});

    if (parsed.existing) {
      const e = parsed.existing;
      this.virtualNetworkId = pulumi.output(e.virtualNetworkId);
      this.virtualNetworkName = this.virtualNetworkId.apply((id) => id.split("/").pop() ?? "");
      this.addressSpace = pulumi.output(e.addressSpace);
      const cidr = e.addressSpaceCidr ?? (typeof e.addressSpace === "string" ? e.addressSpace : undefined);
      if (cidr !== undefined) this.addressSpaceCidr = cidr;
      this.systemSubnetId = pulumi.output(e.systemSubnetId);
      this.gpuSubnetId = pulumi.output(e.gpuSubnetId ?? e.systemSubnetId);
      this.endpointSubnetId = pulumi.output(e.endpointSubnetId);
      this.gatewaySubnetId = pulumi.output(e.gatewaySubnetId);
      if (e.apiServerSubnetId !== undefined) this.apiServerSubnetId = pulumi.output(e.apiServerSubnetId);
      this.outboundType = e.outboundType;
    } else {
      const space = parsed.addressSpace ?? DEFAULT_ADDRESS_SPACE;
      const plan: AzureSubnetPlan = { ...planAzureSubnets(space), ...parsed.subnets };
      const udr = parsed.egress === "userDefinedRouting";
      const vnet = new VirtualNetwork(
        name,
        {
          resourceGroupName: rg,
          location,
          addressSpace: { addressPrefixes: [space] },
          tags: common.tags,
        },
        parent,
      );

      let nat: NatGateway | undefined;
      if (!udr) {
        const ip = new PublicIPAddress(
          childName(name, "nat"),
          {
            resourceGroupName: rg,
            location,
            sku: { name: "Standard", tier: "Regional" },
            publicIPAllocationMethod: "Static",
            publicIPAddressVersion: "IPv4",
            tags: common.tags,
          },
          parent,
        );
        nat = new NatGateway(
          name,
          {
            resourceGroupName: rg,
            location,
            sku: { name: "Standard" },
            publicIpAddresses: [{ id: ip.id }],
            idleTimeoutInMinutes: 4,
            tags: common.tags,
          },
          parent,
        );
        natGatewayId = nat.id;
        natPublicIp = ip.ipAddress;
      }

      const nsgs: Partial<Record<AzureSubnetRole, NetworkSecurityGroup>> = {};
      const roles = subnetRoles(parsed);
      for (const role of roles) {
        if (role === "gateway") continue;
        nsgs[role] = new NetworkSecurityGroup(
          childName(name, SUBNET_NAMES[role]),
          { resourceGroupName: rg, location, securityRules: NSG_RULES[role], tags: common.tags },
          parent,
        );
      }

      // One subnet at a time: Azure rejects concurrent changes to subnets of one VNet.
      const subnets: Partial<Record<AzureSubnetRole, Subnet>> = {};
      let previous: Subnet | undefined;
      for (const role of roles) {
        const nodes = role === "system" || role === "gpu";
        const nsg = nsgs[role];
        previous = new Subnet(
          childName(name, SUBNET_NAMES[role]),
          {
            resourceGroupName: rg,
            virtualNetworkName: vnet.name,
            subnetName: SUBNET_NAMES[role],
            addressPrefix: plan[role],
            ...(nsg ? { networkSecurityGroup: { id: nsg.id } } : {}),
            // No implicit internet access: egress only through the NAT gateway or your routes.
            ...(role === "gateway" ? {} : { defaultOutboundAccess: false }),
            ...(nodes && nat ? { natGateway: { id: nat.id } } : {}),
            ...(nodes && parsed.routeTableId !== undefined
              ? { routeTable: { id: parsed.routeTableId } }
              : {}),
            // NSGs and routes apply to the private endpoints too.
            ...(role === "endpoints" ? { privateEndpointNetworkPolicies: "Enabled" } : {}),
            ...(role === "apiServer"
              ? { delegations: [{ name: "aks", serviceName: "Microsoft.ContainerService/managedClusters" }] }
              : {}),
          },
          { parent: this, ...(previous ? { dependsOn: [previous] } : {}) },
        );
        subnets[role] = previous;
      }
      const idOf = (role: AzureSubnetRole) => subnets[role]?.id ?? pulumi.output("");

      this.virtualNetworkId = vnet.id;
      this.virtualNetworkName = vnet.name;
      this.addressSpace = pulumi.output(space);
      this.addressSpaceCidr = space;
      this.systemSubnetId = idOf("system");
      this.gpuSubnetId = idOf("gpu");
      this.endpointSubnetId = idOf("endpoints");
      this.gatewaySubnetId = idOf("gateway");
      if (subnets.apiServer) this.apiServerSubnetId = subnets.apiServer.id;
      this.outboundType = udr ? "userDefinedRouting" : "userAssignedNATGateway";
      nsgIds = pulumi
        .all(Object.entries(nsgs).map(([role, nsg]) => nsg.id.apply((id): [string, string] => [role, id])))
        .apply((pairs) => Object.fromEntries(pairs));
      subnetCidrs = pulumi.output(Object.fromEntries(roles.map((role) => [role, plan[role]])));
    }

    let flowLogStorageAccountId: pulumi.Output<string | undefined> = pulumi.output(undefined);
    if (parsed.flowLogs ?? !parsed.existing) {
      const ctx = azureContext(this);
      // Flow logs are audit data: a storage account of their own, protected like data, reachable
      // only by trusted Azure services (Network Watcher) and written with an Entra ID identity.
      const storage = new StorageAccount(
        childName(name, "flow-logs"),
        {
          accountName: uniqueName(childName(name, "flow-logs"), this, "storageAccount", `${name}flow`),
          resourceGroupName: rg,
          location,
          sku: { name: "Standard_ZRS" },
          ...hardenedAccountArgs({
            // Network Watcher writes as a trusted service, which the firewall lets through only
            // while public network access is on; nothing else passes the Deny default.
            publicNetworkAccess: "Enabled",
            bypass: "AzureServices",
            services: ["blob"],
          }),
          tags: common.tags,
        },
        statefulOptions(this, common),
      );
      const writer = new UserAssignedIdentity(
        childName(name, "flow-logs"),
        { resourceGroupName: rg, location, tags: common.tags },
        parent,
      );
      const canWrite = assignRole(childName(name, "flow-logs-writer"), this, ctx, {
        role: "Storage Blob Data Contributor",
        principalId: writer.principalId,
        principalType: "ServicePrincipal",
        scope: storage.id,
        description: `Network Watcher writes flow logs of VNet ${name}`,
      });
      new FlowLog(
        childName(name, "flow-logs"),
        {
          resourceGroupName: parsed.networkWatcherResourceGroupName ?? "NetworkWatcherRG",
          networkWatcherName: parsed.networkWatcherName ?? `NetworkWatcher_${location}`,
          location,
          targetResourceId: this.virtualNetworkId,
          storageId: storage.id,
          enabled: true,
          format: { type: "JSON", version: 2 },
          retentionPolicy: { enabled: true, days: parsed.flowLogRetentionDays ?? 90 },
          identity: { type: "UserAssigned", userAssignedIdentities: [writer.id] },
          tags: common.tags,
        },
        { parent: this, dependsOn: [canWrite] },
      );
      flowLogStorageAccountId = storage.id;
    }

    this.subnetCidrs = subnetCidrs;
    this.natGatewayId = natGatewayId;
    this.natPublicIp = natPublicIp;
    this.networkSecurityGroupIds = nsgIds;
    this.flowLogStorageAccountId = flowLogStorageAccountId;
    this.registerOutputs({
      virtualNetworkId: this.virtualNetworkId,
      virtualNetworkName: this.virtualNetworkName,
      addressSpace: this.addressSpace,
      addressSpaceCidr: this.addressSpaceCidr,
      systemSubnetId: this.systemSubnetId,
      gpuSubnetId: this.gpuSubnetId,
      endpointSubnetId: this.endpointSubnetId,
      gatewaySubnetId: this.gatewaySubnetId,
      apiServerSubnetId: this.apiServerSubnetId,
      outboundType: this.outboundType,
      subnetCidrs: this.subnetCidrs,
      natGatewayId: this.natGatewayId,
      natPublicIp: this.natPublicIp,
      networkSecurityGroupIds: this.networkSecurityGroupIds,
      flowLogStorageAccountId: this.flowLogStorageAccountId,
    });
  }
}
