// Azure network exposure: NSG rules (inline or SecurityRule resources) that let the internet
// (Internet, *, Any, AzureCloud, 0.0.0.0/0 or ::/0 in any spelling, or the internet as many
// ranges) reach administration, API or data ports, UDP or every port, unless a higher-priority
// Deny of the same NSG covers them; subnets without an NSG; VNets without flow logs kept long
// enough.
import {
  ALL_PORTS,
  azurePorts,
  type Block,
  family,
  get,
  internetFamilies,
  isAbsent,
  isFalse,
  isTrue,
  list,
  numberOf,
  oneOf,
  type PortRange,
  type Props,
  type Protocol,
  parseAuthorized,
  parseBlock,
  protocolOf,
  type ResourceContext,
  refersTo,
  resourceRule,
  sensitiveIn,
  show,
  showRange,
  stackRule,
  strings,
} from "../kit";

const NSG = "azure-native:network:NetworkSecurityGroup";
const SECURITY_RULE = "azure-native:network:SecurityRule";
const SUBNET = "azure-native:network:Subnet";
const VNET = "azure-native:network:VirtualNetwork";
const FLOW_LOG = "azure-native:network:FlowLog";

/** Service tags and words that mean any source on the internet. */
const INTERNET_TAGS = ["*", "any", "Internet", "AzureCloud"];

/** One NSG rule, normalised. */
interface NsgRule {
  at: string;
  allow: boolean;
  inbound: boolean;
  protocol: Protocol | undefined;
  priority: number;
  ports: PortRange[];
  /** Why its sources are the internet, or undefined when they are not. */
  internet: string | undefined;
  raw: unknown;
}

function internetSource(prefixes: string[]): string | undefined {
  const tags = prefixes.filter((p) => INTERNET_TAGS.some((t) => oneOf(p, t)) || /^AzureCloud\./i.test(p));
  if (tags.length > 0) return tags.join(", ");
  const blocks = prefixes.flatMap((p) => parseBlock(p) ?? []) as Block[];
  const families = internetFamilies(blocks);
  return families.length > 0 ? `${prefixes.join(" + ")} (the internet)` : undefined;
}

function nsgRule(r: unknown, at: string): NsgRule {
  const sources = [...strings(get(r, "sourceAddressPrefix")), ...strings(get(r, "sourceAddressPrefixes"))];
  const ports = [
    ...strings(get(r, "destinationPortRange")),
    ...strings(get(r, "destinationPortRanges")),
  ].flatMap((p) => azurePorts(p) ?? []);
  return {
    at,
    allow: oneOf(get(r, "access"), "Allow"),
    inbound: !oneOf(get(r, "direction"), "Outbound"),
    protocol: protocolOf(get(r, "protocol")),
    priority: numberOf(get(r, "priority")) ?? Number.POSITIVE_INFINITY,
    ports: ports.length > 0 ? ports : [],
    internet: internetSource(sources),
    raw: [
      get(r, "access"),
      get(r, "direction"),
      get(r, "protocol"),
      get(r, "priority"),
      sources,
      get(r, "destinationPortRange"),
      get(r, "destinationPortRanges"),
    ],
  };
}

/** The NSG rules a resource declares. */
function nsgRules(ctx: ResourceContext): NsgRule[] {
  if (ctx.type === SECURITY_RULE) return [nsgRule(ctx.props, "")];
  const rules = ctx.props.securityRules;
  if (!ctx.known(rules, "securityRules")) return [];
  return list(rules).map((r, i) =>
    nsgRule(r, `securityRules[${i}]${typeof get(r, "name") === "string" ? ` (${get(r, "name")})` : ""}`),
  );
}

const protocolCovers = (deny: Protocol | undefined, allow: Protocol | undefined) =>
  deny === "all" || deny === allow;

/** Whether a higher-priority Deny from the internet covers `port` of `allow`. */
function shadowed(rules: readonly NsgRule[], allow: NsgRule, port: number): boolean {
  return rules.some(
    (d) =>
      !d.allow &&
      d.inbound &&
      d.priority < allow.priority &&
      d.internet !== undefined &&
      protocolCovers(d.protocol, allow.protocol) &&
      d.ports.some((r) => r.from <= port && port <= r.to),
  );
}

/** Allow rules letting the internet in, with their sources known. */
function exposing(ctx: ResourceContext): { rule: NsgRule; all: NsgRule[] }[] {
  const all = nsgRules(ctx);
  return all
    .filter((r) => ctx.known(r.raw, r.at || "rule"))
    .filter((r) => r.allow && r.inbound && r.internet !== undefined && r.protocol !== undefined)
    .map((rule) => ({ rule, all }));
}

const where = (r: NsgRule) => (r.at ? `${r.at} ` : "");

export const azureNsgNoInternetAdminPorts = resourceRule({
  name: "azure-nsg-no-internet-admin-ports",
  description:
    "No NSG rule lets the internet (Internet, *, Any, AzureCloud, 0.0.0.0/0, ::/0, or ranges that add up to the internet) reach a remote-administration, cluster-API or data port (SSH, RDP, WinRM, Kubernetes API, etcd, kubelet, databases, ...), as a port, a range, * or several ranges, unless a higher-priority Deny in the same NSG covers it. Inline securityRules and SecurityRule resources alike.",
  remediation:
    "Allow those ports only from the admin networks' ranges (or VirtualNetwork); reach nodes through Azure Bastion or the VPN.",
  benchmarks: [
    "checkov:CKV_AZURE_9",
    "checkov:CKV_AZURE_10",
    "kics:3e3c175e-aadf-4e2b-a464-3fdac5748d24",
    "kics:efbf6449-5ec5-4cfe-8f15-acc51e0d787c",
    "kics:594c198b-4d79-41b8-9b36-fde13348b619",
    "kics:e9dee01f-2505-4df2-b9bf-7804d1fd9082",
    "mcsb:NS-1",
  ],
  enforcementLevel: "mandatory",
  types: [NSG, SECURITY_RULE],
  check: (ctx) => {
    for (const { rule, all } of exposing(ctx)) {
      if (!rule.protocol) continue;
      const found = rule.ports
        .flatMap((range) => sensitiveIn(rule.protocol ?? "all", range))
        .filter((p) => !shadowed(all, rule, p.port));
      const unique = [...new Map(found.map((p) => [p.port, p])).values()];
      if (unique.length === 0) continue;
      ctx.report(
        `${where(rule)}allows ${rule.internet} to reach ${rule.protocol === "all" ? "every protocol on" : rule.protocol} ${rule.ports.map(showRange).join(", ")}, exposing ${unique
          .slice(0, 6)
          .map((p) => `${p.port} (${p.service})`)
          .join(
            ", ",
          )}${unique.length > 6 ? ` and ${unique.length - 6} more` : ""}; allow only the admin networks' ranges`,
      );
    }
  },
});

export const azureNsgInternetIngressAuthorizedPorts = resourceRule({
  name: "azure-nsg-internet-ingress-authorized-ports",
  description:
    "NSGs let the internet reach only authorized ports (this rule's authorizedPorts, default 443/tcp): no rule for every port or protocol, no UDP service, no unencrypted HTTP (ports the admin-ports rule names are left to it; a higher-priority Deny covering the port clears it).",
  remediation:
    "Publish internet-facing services through a load balancer or Application Gateway on 443; allow everything else from known ranges.",
  benchmarks: ["checkov:CKV_AZURE_160", "checkov:CKV_AZURE_77", "mcsb:NS-1"],
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      authorizedPorts: {
        type: "array",
        items: { type: "string", pattern: "^\\d+(/(tcp|udp))?$" },
        default: ["443/tcp"],
        description: 'Ports the internet may reach, as "port/protocol" (443/tcp).',
      },
    },
  },
  types: [NSG, SECURITY_RULE],
  check: (ctx) => {
    const authorized = strings(ctx.config.authorizedPorts).flatMap((t) => parseAuthorized(t) ?? []);
    for (const { rule, all } of exposing(ctx)) {
      const protocol = rule.protocol;
      if (!protocol || protocol === "icmp") continue;
      for (const range of rule.ports) {
        const everyPort = range.from <= ALL_PORTS.from && range.to >= ALL_PORTS.to;
        if ((protocol === "all" || everyPort) && !shadowed(all, rule, range.from)) {
          ctx.report(
            `${where(rule)}allows ${rule.internet} on ${protocol === "all" ? "every protocol" : protocol} ${showRange(range)}; allow only ${authorized.map((a) => `${a.port}/${a.protocol}`).join(", ") || "nothing"} from the internet`,
          );
          continue;
        }
        if (sensitiveIn(protocol, range).length > 0) continue;
        const ok =
          range.from === range.to &&
          (protocol === "tcp" || protocol === "udp") &&
          authorized.some((a) => a.protocol === protocol && a.port === range.from);
        if (!ok && !shadowed(all, rule, range.from))
          ctx.report(
            `${where(rule)}allows ${rule.internet} on ${protocol} ${showRange(range)}, which authorizedPorts (${authorized.map((a) => `${a.port}/${a.protocol}`).join(", ") || "none"}) does not list`,
          );
      }
    }
  },
});

/** Subnets Azure reserves for one service, which take no NSG (or manage their own). */
const NO_NSG_SUBNETS = [
  "GatewaySubnet",
  "AzureFirewallSubnet",
  "AzureFirewallManagementSubnet",
  "RouteServerSubnet",
];

function judgeSubnet(ctx: ResourceContext, subnet: Props, at: string): void {
  const name = subnet.name ?? subnet.subnetName;
  const nsg = get(subnet, "networkSecurityGroup.id") ?? get(subnet, "properties.networkSecurityGroup.id");
  if (!ctx.known([name, nsg], `${at}networkSecurityGroup`)) return;
  if (typeof name === "string" && NO_NSG_SUBNETS.some((n) => n.toLowerCase() === name.toLowerCase())) return;
  if ((isAbsent(nsg) || nsg === "") && (ctx.judgesAbsent || at !== ""))
    ctx.report(
      `${at}networkSecurityGroup is unset${typeof name === "string" ? ` on subnet ${name}` : ""}, so nothing filters the subnet's traffic; attach an NSG`,
    );
}

export const azureSubnetHasNsg = resourceRule({
  name: "azure-subnet-has-nsg",
  description:
    "Every subnet (a Subnet resource, or inline in a VirtualNetwork) has a network security group, except the subnets Azure reserves for gateways, firewalls and route servers (GatewaySubnet, AzureFirewallSubnet, AzureFirewallManagementSubnet, RouteServerSubnet): names that only those services can use.",
  remediation: "Attach an NSG that denies inbound internet traffic to every subnet (AzureVnet does).",
  benchmarks: ["checkov:CKV2_AZURE_31", "kics:5c822443-e1ea-46b8-84eb-758ec602e844", "mcsb:NS-1"],
  enforcementLevel: "mandatory",
  types: [SUBNET, VNET],
  check: (ctx) => {
    if (ctx.type === SUBNET) {
      judgeSubnet(ctx, ctx.props, "");
      return;
    }
    const subnets = ctx.props.subnets;
    if (!ctx.known(subnets, "subnets")) return;
    list(subnets).forEach((s, i) => {
      judgeSubnet(ctx, (s ?? {}) as Props, `subnets[${i}].`);
    });
  },
});

export const azureVnetFlowLogs = stackRule({
  name: "azure-vnet-flow-logs",
  description:
    "Every VNet has an enabled Network Watcher flow log (targetResourceId naming the VNet) that keeps its records at least minRetentionDays (default 90) under an enabled retention policy.",
  remediation:
    "Declare network.FlowLog { targetResourceId: <VNet id>, enabled: true, retentionPolicy: { enabled: true, days: 90 }, storageId } (AzureVnet does).",
  benchmarks: [
    "checkov:CKV_AZURE_12",
    "kics:b90842e5-6779-44d4-9760-972f4c03ba1c",
    "kics:7750fcca-dd03-4d38-b663-4b70289bcfd4",
    "mcsb:LT-4",
  ],
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minRetentionDays: {
        type: "integer",
        minimum: 1,
        default: 90,
        description: "Shortest retention, in days (0 in the flow log keeps records forever).",
      },
    },
  },
  check: (ctx) => {
    const min = numberOf(ctx.config.minRetentionDays) ?? 90;
    const flowLogs = ctx.ofType(FLOW_LOG);
    for (const vnet of ctx.ofType(VNET)) {
      const mine = flowLogs.filter((f) =>
        refersTo(f, "targetResourceId", vnet, (v) => [v.props.virtualNetworkName]),
      );
      if (mine.length === 0) {
        ctx.report(`VNet ${vnet.name} has no flow log`, vnet.urn);
        continue;
      }
      for (const f of mine) {
        const { enabled, retentionPolicy } = f.props;
        if (!ctx.known([enabled, retentionPolicy], `${f.name} enabled, retentionPolicy`)) continue;
        if (isFalse(enabled)) ctx.report(`flow log ${f.name} of VNet ${vnet.name} is disabled`, f.urn);
        const days = numberOf(get(retentionPolicy, "days"));
        if (!isTrue(get(retentionPolicy, "enabled")) || days === undefined || (days !== 0 && days < min))
          ctx.report(
            `flow log ${f.name} of VNet ${vnet.name} has retentionPolicy ${show(retentionPolicy)}; keep records at least ${min} days`,
            f.urn,
          );
      }
    }
  },
});

export const FAMILY = family("azure-network", "Azure network exposure", [
  azureNsgNoInternetAdminPorts,
  azureNsgInternetIngressAuthorizedPorts,
  azureSubnetHasNsg,
  azureVnetFlowLogs,
]);
