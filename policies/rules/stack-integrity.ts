// Rules on the stack as a whole that keep it coherent and recoverable: joined networks that do
// not overlap, and stateful resources protected from deletion.
import { family, get, overlaps, type Props, parseBlock, stackRule, strings } from "../kit";
import { MANAGED_CLUSTER } from "./azure-aks";

/** Where a stack's joined networks are declared, by resource type. */
const NETWORK_SOURCES: { type: string; label: string; fields: string[]; cidrs: (p: Props) => string[] }[] = [
  { type: "aws:ec2/vpc:Vpc", label: "VPC", fields: ["cidrBlock"], cidrs: (p) => strings(p.cidrBlock) },
  {
    type: "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
    label: "VPC secondary range",
    fields: ["cidrBlock"],
    cidrs: (p) => strings(p.cidrBlock),
  },
  {
    type: "azure-native:network:VirtualNetwork",
    label: "VNet",
    fields: ["addressSpace"],
    cidrs: (p) => strings(get(p, "addressSpace.addressPrefixes")),
  },
  {
    type: MANAGED_CLUSTER,
    label: "AKS overlay",
    fields: ["networkProfile.podCidr", "networkProfile.serviceCidr"],
    cidrs: (p) => strings([get(p, "networkProfile.podCidr"), get(p, "networkProfile.serviceCidr")]),
  },
  {
    type: "azure-native:network:LocalNetworkGateway",
    label: "remote network",
    fields: ["localNetworkAddressSpace"],
    // A BGP peer's /32 is an address on the link, not a network of its own.
    cidrs: (p) =>
      strings(get(p, "localNetworkAddressSpace.addressPrefixes")).filter((c) => !c.endsWith("/32")),
  },
];

export const stackNoOverlap = stackRule({
  name: "stack-no-overlapping-networks",
  description:
    "No two networks the stack joins (VPCs and their secondary ranges, VNets, AKS overlay ranges, remote networks of VPN gateways) overlap, or routes become ambiguous.",
  remediation: "Give each site its own address range; move the later one.",
  benchmarks: ["hybrid-ai-infra:networks"],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    const seen: { cidr: string; where: string; label: string }[] = [];
    for (const source of NETWORK_SOURCES) {
      for (const r of ctx.ofType(source.type)) {
        // An address range not known yet is judged at the update; the known ones are judged now.
        if (
          !ctx.known(
            source.fields.map((f) => get(r.props, f)),
            `${r.name}.${source.fields.join(", ")}`,
          )
        )
          continue;
        for (const cidr of source.cidrs(r.props)) {
          const block = parseBlock(cidr);
          if (!block) continue;
          const where = `${source.label} ${r.name}`;
          // The same range declared twice for one remote network (a local gateway per tunnel) is not an overlap.
          const clash = seen.find((s) => {
            const other = parseBlock(s.cidr);
            return (
              other !== undefined &&
              overlaps(other, block) &&
              !(s.cidr === cidr && s.label === "remote network" && source.label === "remote network")
            );
          });
          if (clash) ctx.report(`${where} ${cidr} overlaps ${clash.where} ${clash.cidr}`, r.urn);
          seen.push({ cidr, where, label: source.label });
        }
      }
    }
  },
});

/** Stateful types: deleting one loses data or the keys to it. */
const STATEFUL_TYPES = [
  "aws:s3/bucket:Bucket",
  "aws:kms/key:Key",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:eks/cluster:Cluster",
  "azure-native:storage:StorageAccount",
  "azure-native:keyvault:Vault",
  "azure-native:keyvault:Key",
  "azure-native:resources:ResourceGroup",
  MANAGED_CLUSTER,
];

export const stackStatefulProtected = stackRule({
  name: "stack-stateful-protected",
  description:
    "Buckets, storage accounts, key vaults, keys, log groups, clusters and resource groups are protected, so no update deletes them by accident (in every spelling of their types).",
  remediation:
    "Set the `protect` resource option (the library's components do when protectData is on, the default outside dev).",
  benchmarks: ["hybrid-ai-infra:protect-data"],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    for (const r of ctx.ofType(...STATEFUL_TYPES))
      if (!r.protect)
        ctx.report(
          `${r.type.split(":").pop()} ${r.name} is not protected; deleting it loses data or the keys to it`,
          r.urn,
        );
  },
});

export const FAMILY = family("stack-integrity", "Stack integrity", [stackNoOverlap, stackStatefulProtected]);
