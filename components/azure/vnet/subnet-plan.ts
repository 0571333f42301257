// The subnets of a new VNet as CIDR blocks: pure arithmetic and facts, no resources.
import { carveSubnets, cidrContains, findOverlaps, type IssueSink, parseCidr } from "../../validation";

/** The subnets an `AzureVnet` carves, by role. */
export const AZURE_SUBNET_ROLES = [
  "system",
  "gpu",
  "endpoints",
  "gateway",
  "apiServer",
  "dnsInbound",
  "dnsOutbound",
] as const;
export type AzureSubnetRole = (typeof AZURE_SUBNET_ROLES)[number];

/** The subnet blocks of a new VNet, by role. */
export type AzureSubnetPlan = Record<AzureSubnetRole, string>;

/** Azure subnet names by role: GatewaySubnet is the name Azure requires for a VPN gateway. */
export const SUBNET_NAMES: Record<AzureSubnetRole, string> = {
  system: "system",
  gpu: "gpu",
  endpoints: "endpoints",
  gateway: "GatewaySubnet",
  apiServer: "apiserver",
  dnsInbound: "dns-inbound",
  dnsOutbound: "dns-outbound",
};

/** The largest prefix (smallest block) each subnet role accepts, and why. */
const SMALLEST_BLOCK: Record<AzureSubnetRole, { prefix: number; why: string }> = {
  system: { prefix: 28, why: "nodes need room to surge during upgrades" },
  gpu: { prefix: 28, why: "nodes need room to surge during upgrades" },
  endpoints: { prefix: 28, why: "each private endpoint takes an address" },
  gateway: { prefix: 27, why: "an active-active VPN gateway needs a /27 GatewaySubnet or larger" },
  apiServer: { prefix: 28, why: "AKS API server VNet integration needs a /28 or larger" },
  dnsInbound: { prefix: 28, why: "a DNS Private Resolver endpoint needs a /28 or larger" },
  dnsOutbound: { prefix: 28, why: "a DNS Private Resolver endpoint needs a /28 or larger" },
};

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
    // Right after the /27: the third /28 of the block, then the resolver's two.
    apiServer: carveSubnets(rest, 28, 1, 2)[0] ?? "",
    dnsInbound: carveSubnets(rest, 28, 1, 3)[0] ?? "",
    dnsOutbound: carveSubnets(rest, 28, 1, 4)[0] ?? "",
  };
}

/** The subnets a new VNet gets: the API server's unless turned off, the resolver's only when asked. */
export function subnetRoles(args: {
  apiServerSubnet?: boolean | undefined;
  dnsResolverSubnets?: boolean | undefined;
}): AzureSubnetRole[] {
  return AZURE_SUBNET_ROLES.filter((role) => {
    if (role === "apiServer") return args.apiServerSubnet ?? true;
    if (role === "dnsInbound" || role === "dnsOutbound") return args.dnsResolverSubnets ?? false;
    return true;
  });
}

/**
 * Adds a problem for every subnet outside the space, too small for its role, or overlapping another;
 * under `subnets.<role>` when the block was given, `addressSpace` when the plan carved it.
 */
export function checkSubnetPlan(
  space: string,
  args: {
    subnets?: Partial<AzureSubnetPlan> | undefined;
    apiServerSubnet?: boolean | undefined;
    dnsResolverSubnets?: boolean | undefined;
  },
  ctx: IssueSink,
): void {
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
}
