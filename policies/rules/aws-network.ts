// AWS network exposure: security groups (inline rules, SecurityGroupRule, the VPC ingress and
// egress rule resources, aws-native's) that open administration, API or data ports, or every
// port, to the internet over IPv4 or IPv6 however the address range is written; default security
// groups that still allow traffic; subnets that hand out public IPs; VPCs without the interface
// endpoints a private cluster needs.
import {
  ALL_PORTS,
  awsPorts,
  type Block,
  EVERYTHING,
  family,
  get,
  internetFamilies,
  isTrue,
  list,
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

const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const NATIVE_SECURITY_GROUP = "aws-native:ec2:SecurityGroup";
const NATIVE_INGRESS = "aws-native:ec2:SecurityGroupIngress";
const NATIVE_EGRESS = "aws-native:ec2:SecurityGroupEgress";
const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

/** One rule of a security group, normalised. */
interface FirewallRule {
  at: string;
  direction: "ingress" | "egress";
  protocol: Protocol | undefined;
  /** Undefined when the ports are unreadable. */
  ports: PortRange | undefined;
  /** Address blocks the rule admits (IPv4 and IPv6; prefix lists and groups are not addresses). */
  blocks: Block[];
  /** The raw values, for `known`. */
  raw: unknown;
}

function rule(
  at: string,
  direction: "ingress" | "egress",
  r: unknown,
  fields: { protocol: string; v4: string; v6: string },
): FirewallRule {
  const protocol = protocolOf(get(r, fields.protocol));
  const texts = [...strings(get(r, fields.v4)), ...strings(get(r, fields.v6))];
  return {
    at,
    direction,
    protocol,
    ports: awsPorts(protocol, get(r, "fromPort"), get(r, "toPort")),
    blocks: texts.flatMap((t) => parseBlock(t) ?? []),
    raw: [
      get(r, fields.protocol),
      get(r, "fromPort"),
      get(r, "toPort"),
      get(r, fields.v4),
      get(r, fields.v6),
    ],
  };
}

const CLASSIC = { protocol: "protocol", v4: "cidrBlocks", v6: "ipv6CidrBlocks" };
const VPC_RULE = { protocol: "ipProtocol", v4: "cidrIpv4", v6: "cidrIpv6" };
const NATIVE = { protocol: "ipProtocol", v4: "cidrIp", v6: "cidrIpv6" };

/** Every firewall rule a resource declares. */
function firewallRules(type: string, props: Props): FirewallRule[] {
  switch (type) {
    case SECURITY_GROUP:
    case DEFAULT_SECURITY_GROUP:
      return [
        ...list(props.ingress).map((r, i) => rule(`ingress[${i}]`, "ingress", r, CLASSIC)),
        ...list(props.egress).map((r, i) => rule(`egress[${i}]`, "egress", r, CLASSIC)),
      ];
    case SECURITY_GROUP_RULE:
      return [rule("", oneOf(props.type, "egress") ? "egress" : "ingress", props, CLASSIC)];
    case INGRESS_RULE:
      return [rule("", "ingress", props, VPC_RULE)];
    case EGRESS_RULE:
      return [rule("", "egress", props, VPC_RULE)];
    case NATIVE_SECURITY_GROUP:
      return [
        ...list(props.securityGroupIngress).map((r, i) =>
          rule(`securityGroupIngress[${i}]`, "ingress", r, NATIVE),
        ),
        ...list(props.securityGroupEgress).map((r, i) =>
          rule(`securityGroupEgress[${i}]`, "egress", r, NATIVE),
        ),
      ];
    case NATIVE_INGRESS:
      return [rule("", "ingress", props, NATIVE)];
    case NATIVE_EGRESS:
      return [rule("", "egress", props, NATIVE)];
    default:
      return [];
  }
}

const FIREWALL_TYPES = [
  SECURITY_GROUP,
  DEFAULT_SECURITY_GROUP,
  SECURITY_GROUP_RULE,
  INGRESS_RULE,
  EGRESS_RULE,
  NATIVE_SECURITY_GROUP,
  NATIVE_INGRESS,
  NATIVE_EGRESS,
];

/** The rules of a direction whose addresses are the internet, with the families that make them so. */
function internetRules(ctx: ResourceContext, direction: "ingress" | "egress") {
  const out: { r: FirewallRule; how: string }[] = [];
  for (const r of firewallRules(ctx.type, ctx.props)) {
    if (r.direction !== direction) continue;
    if (!ctx.known(r.raw, r.at || direction)) continue;
    const families = internetFamilies(r.blocks);
    if (families.length === 0) continue;
    const how = families
      .map(({ family, blocks }) => {
        const texts = blocks.map((b) => b.text);
        return texts.length === 1 && texts[0] === EVERYTHING[family]
          ? EVERYTHING[family]
          : `${texts.join(" + ")} (the IPv${family} internet)`;
      })
      .join(" and ");
    out.push({ r, how });
  }
  return out;
}

const where = (r: FirewallRule) => (r.at ? `${r.at} ` : "");

export const awsSgNoInternetAdminPorts = resourceRule({
  name: "aws-sg-no-internet-admin-ports",
  description:
    "No security group rule opens a remote-administration, cluster-API or data port (SSH, RDP, WinRM, Kubernetes API, etcd, kubelet, Docker, databases, the FSBP EC2.19 high-risk ports) to the internet, over IPv4 or IPv6, whether as one port, a range or all ports and protocols, and however the internet is written (0.0.0.0/0, ::/0, 0.0.0.0/1 + 128.0.0.0/1, host bits set). Inline rules, SecurityGroupRule, the VPC ingress rule resources and aws-native's are all checked.",
  remediation:
    "Admit the admin networks' own blocks (or the VPN's), or another security group; reach nodes with SSM Session Manager rather than SSH.",
  benchmarks: [
    "checkov:CKV_AWS_24",
    "checkov:CKV_AWS_25",
    "checkov:CKV_AWS_277",
    "kics:65905cec-d691-4320-b320-2000436cb696",
    "kics:381c3f2a-ef6f-4eff-99f7-b169cda3422c",
    "kics:151187cb-0efc-481c-babd-ad24e3c9bc22",
    "kics:4728cd65-a20c-49da-8b31-9c08b423e4db",
    "aws-fsbp:EC2.19",
    "aws-fsbp:EC2.53",
    "aws-fsbp:EC2.54",
  ],
  enforcementLevel: "mandatory",
  types: FIREWALL_TYPES,
  check: (ctx) => {
    for (const { r, how } of internetRules(ctx, "ingress")) {
      if (!r.protocol || !r.ports) continue;
      const ports = sensitiveIn(r.protocol, r.ports);
      if (ports.length === 0) continue;
      const named = ports.slice(0, 6).map((p) => `${p.port} (${p.service})`);
      ctx.report(
        `${where(r)}admits ${how} on ${r.protocol === "all" ? "every protocol and port" : `${r.protocol} ${showRange(r.ports)}`}, exposing ${named.join(", ")}${ports.length > 6 ? ` and ${ports.length - 6} more` : ""}; admit only the admin networks' blocks`,
      );
    }
  },
});

export const awsSgInternetIngressAuthorizedPorts = resourceRule({
  name: "aws-sg-internet-ingress-authorized-ports",
  description:
    "Security groups admit the internet only to authorized ports (this rule's authorizedPorts, default 443/tcp): no all-port or all-protocol rule, no unencrypted HTTP, no unknown port open to the internet over IPv4 or IPv6. Ports the admin-ports rule names are left to it.",
  remediation:
    "Put internet-facing services behind a load balancer on 443; admit everything else from known blocks or security groups only.",
  benchmarks: [
    "checkov:CKV_AWS_260",
    "checkov:CKV_AWS_277",
    "kics:ffac8a12-322e-42c1-b9b9-81ff85c39ef7",
    "kics:590d878b-abdc-428f-895a-e2b68a0e1998",
    "kics:e35c16a2-d54e-419d-8546-a804d8e024d0",
    "aws-fsbp:EC2.18",
  ],
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
  types: FIREWALL_TYPES,
  check: (ctx) => {
    const authorized = strings(ctx.config.authorizedPorts).flatMap((t) => parseAuthorized(t) ?? []);
    for (const { r, how } of internetRules(ctx, "ingress")) {
      if (!r.protocol || !r.ports || r.protocol === "icmp") continue;
      if (r.protocol === "all" || (r.ports.from <= ALL_PORTS.from && r.ports.to >= ALL_PORTS.to)) {
        ctx.report(
          `${where(r)}admits ${how} on ${r.protocol === "all" ? "every protocol" : r.protocol} and every port; admit only ${authorized.map((a) => `${a.port}/${a.protocol}`).join(", ") || "nothing"} from the internet`,
        );
        continue;
      }
      if (sensitiveIn(r.protocol, r.ports).length > 0) continue;
      const protocols = r.protocol === "other" ? [] : [r.protocol];
      for (const protocol of protocols) {
        const allowed = authorized.filter((a) => a.protocol === protocol);
        const whole = r.ports.from === r.ports.to && allowed.some((a) => a.port === r.ports?.from);
        if (!whole)
          ctx.report(
            `${where(r)}admits ${how} on ${protocol} ${showRange(r.ports)}, which authorizedPorts (${authorized.map((a) => `${a.port}/${a.protocol}`).join(", ") || "none"}) does not list`,
          );
      }
    }
  },
});

export const awsSgNoInternetEgressAll = resourceRule({
  name: "aws-sg-no-internet-egress-all",
  description:
    "No security group rule the program writes lets traffic out to the internet on every port and protocol; egress is listed by destination and port (AWS's implicit allow-all egress on a group that declares none is not judged here: private subnets without a NAT route bound it).",
  remediation:
    "List the destinations and ports the workload needs (VPC endpoints, the VPN's networks, 443 through NAT).",
  benchmarks: ["checkov:CKV_AWS_382"],
  enforcementLevel: "advisory",
  types: FIREWALL_TYPES,
  check: (ctx) => {
    for (const { r, how } of internetRules(ctx, "egress"))
      if (r.protocol === "all" || (r.ports && r.ports.from <= 0 && r.ports.to >= 65535))
        ctx.report(`${where(r)}lets everything out to ${how}; list the destinations and ports needed`);
  },
});

export const awsDefaultSgRestrictsAll = stackRule({
  name: "aws-default-sg-restricts-all",
  description:
    "Every VPC's default security group allows nothing: the program manages it (DefaultSecurityGroup) with no ingress and no egress rules. Left unmanaged, AWS's default group admits all traffic from its members and all egress, and any resource launched without a group gets it.",
  remediation: "Declare aws.ec2.DefaultSecurityGroup for each VPC with no ingress or egress (AwsVpc does).",
  benchmarks: ["checkov:CKV2_AWS_12", "kics:46883ce1-dc3e-4b17-9195-c6a601624c73", "aws-fsbp:EC2.2"],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    const defaults = ctx.ofType(DEFAULT_SECURITY_GROUP);
    for (const sg of defaults) {
      const rules = [...list(sg.props.ingress), ...list(sg.props.egress)];
      if (!ctx.known(rules, `${sg.name} rules`)) continue;
      if (rules.length > 0)
        ctx.report(
          `default security group ${sg.name} allows ${rules.length} rule(s); remove every ingress and egress rule`,
          sg.urn,
        );
    }
    for (const vpc of ctx.ofType(VPC)) {
      const managed = defaults.some((d) => refersTo(d, "vpcId", vpc, (v) => [v.props.id, v.name]));
      if (!managed)
        ctx.report(
          `VPC ${vpc.name}'s default security group is not managed, so it keeps AWS's allow-all rules; declare a DefaultSecurityGroup without rules`,
          vpc.urn,
        );
    }
  },
});

export const awsSubnetNoPublicIp = resourceRule({
  name: "aws-subnet-no-public-ip",
  description:
    "Subnets do not hand out public addresses on launch (mapPublicIpOnLaunch, mapCustomerOwnedIpOnLaunch not true): nodes and endpoints stay private even in the subnets NAT gateways live in.",
  remediation:
    "Set mapPublicIpOnLaunch false (or leave it unset); give load balancers their addresses, not instances.",
  benchmarks: ["checkov:CKV_AWS_130", "aws-fsbp:EC2.15", "cis-eks:5.4.3"],
  enforcementLevel: "mandatory",
  types: [SUBNET, "aws-native:ec2:Subnet"],
  check: (ctx) => {
    for (const field of ["mapPublicIpOnLaunch", "mapCustomerOwnedIpOnLaunch"]) {
      const value = ctx.props[field];
      if (ctx.known(value, field) && isTrue(value))
        ctx.report(
          `${field} is ${show(value)}, so every instance launched here gets a public address; set it to false`,
        );
    }
  },
});

export const awsVpcInterfaceEndpoints = stackRule({
  name: "aws-vpc-interface-endpoints",
  description:
    "Every VPC reaches the AWS APIs its nodes need through VPC endpoints (this rule's requiredServices, default ec2, ecr.api, ecr.dkr and s3), so private nodes pull images and call AWS without internet egress.",
  remediation: "Declare aws.ec2.VpcEndpoint for each service (AwsVpc does for a private EKS cluster).",
  benchmarks: ["aws-fsbp:EC2.10", "aws-fsbp:EC2.55", "aws-fsbp:EC2.56"],
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      requiredServices: {
        type: "array",
        items: { type: "string" },
        default: ["ec2", "ecr.api", "ecr.dkr", "s3"],
        description: "Service suffixes of com.amazonaws.<region>.<service> every VPC needs an endpoint for.",
      },
    },
  },
  check: (ctx) => {
    const endpoints = ctx.ofType(VPC_ENDPOINT);
    const required = strings(ctx.config.requiredServices);
    for (const vpc of ctx.ofType(VPC)) {
      const mine = endpoints.filter((e) => refersTo(e, "vpcId", vpc, (v) => [v.props.id, v.name]));
      if (
        !ctx.known(
          mine.map((e) => e.props.serviceName),
          `${vpc.name} endpoints`,
        )
      )
        continue;
      const services = mine.map((e) => String(e.props.serviceName ?? "").toLowerCase());
      const missing = required.filter((s) => !services.some((n) => n.endsWith(`.${s.toLowerCase()}`)));
      if (missing.length > 0)
        ctx.report(
          `VPC ${vpc.name} has no endpoint for ${missing.join(", ")}; its nodes need internet egress to reach them`,
          vpc.urn,
        );
    }
  },
});

/** Descriptions that say nothing: the providers' defaults. */
const DEFAULT_DESCRIPTIONS = ["managed by pulumi", "managed by terraform"];
const describes = (value: unknown) =>
  typeof value === "string" &&
  value.trim() !== "" &&
  !DEFAULT_DESCRIPTIONS.includes(value.trim().toLowerCase());

export const awsSgDescriptions = resourceRule({
  name: "aws-sg-descriptions",
  description:
    "Every security group and each of its rules (inline, SecurityGroupRule, the VPC rule resources, aws-native's) says what it is for in its description; the provider's default (\"Managed by Pulumi\") says nothing.",
  remediation: "Describe each group and rule: what it admits, from whom, and why.",
  benchmarks: ["checkov:CKV_AWS_23"],
  enforcementLevel: "advisory",
  // A default security group's description is AWS's and cannot be set.
  types: FIREWALL_TYPES.filter((t) => t !== DEFAULT_SECURITY_GROUP),
  check: (ctx) => {
    const field = ctx.type === NATIVE_SECURITY_GROUP ? "groupDescription" : "description";
    const own = get(ctx.props, field);
    if (ctx.known(own, field) && !describes(own))
      ctx.report(`${field} is ${show(own, "unset, the provider's default")}; say what it admits and why`);
    if (ctx.type !== SECURITY_GROUP && ctx.type !== NATIVE_SECURITY_GROUP) return;
    const inline =
      ctx.type === SECURITY_GROUP ? ["ingress", "egress"] : ["securityGroupIngress", "securityGroupEgress"];
    for (const direction of inline)
      list(ctx.props[direction]).forEach((r, i) => {
        const d = get(r, "description");
        if (ctx.known(d, `${direction}[${i}].description`) && !describes(d))
          ctx.report(`${direction}[${i}] has description ${show(d)}; say what it admits and why`);
      });
  },
});

export const FAMILY = family("aws-network", "AWS network exposure", [
  awsSgNoInternetAdminPorts,
  awsSgInternetIngressAuthorizedPorts,
  awsSgNoInternetEgressAll,
  awsDefaultSgRestrictsAll,
  awsSubnetNoPublicIp,
  awsVpcInterfaceEndpoints,
  awsSgDescriptions,
]);
