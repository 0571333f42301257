// How each kind of site makes a Service an internal load balancer with pinned addresses that
// admits only given sources: the annotations and fields its load balancer implementation reads,
// as facts. Never `spec.loadBalancerIP` (deprecated in Kubernetes 1.24: "its meaning varies
// across implementations"). No Pulumi.
import type { EntryRange } from "./addresses";

/** The fields of a `type: LoadBalancer` Service that make it one site's internal entry. */
export interface EntryServiceFields {
  annotations: Record<string, string>;
  /** `spec.loadBalancerClass`, where an implementation is picked by class. */
  loadBalancerClass?: string;
  /** `spec.loadBalancerSourceRanges`: the only sources admitted. */
  loadBalancerSourceRanges: string[];
}

/** What an entry needs beyond its range: its addresses and sources, and AWS's subnets. */
export interface EntryNeeds {
  addresses: string[];
  sources: string[];
  /** AWS: the private subnets (ids, one per address), the NLB's zones. */
  subnetIds?: string[];
}

/** The annotation keys each implementation reads (docs/traffic.md cites each source). */
export const ENTRY_ANNOTATIONS = {
  aws: {
    // AWS Load Balancer Controller (docs/guide/service/annotations.md). The class selects it even
    // where the legacy cloud controller also runs; the type annotation is left out (changing it on
    // an existing Service can expose the NLB, the controller's docs warn).
    scheme: "service.beta.kubernetes.io/aws-load-balancer-scheme",
    targetType: "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type",
    subnets: "service.beta.kubernetes.io/aws-load-balancer-subnets",
    addresses: "service.beta.kubernetes.io/aws-load-balancer-private-ipv4-addresses",
    attributes: "service.beta.kubernetes.io/aws-load-balancer-attributes",
    healthCheckProtocol: "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol",
  },
  azure: {
    // cloud-provider-azure (site/content/en/topics/loadbalancer.md).
    internal: "service.beta.kubernetes.io/azure-load-balancer-internal",
    subnet: "service.beta.kubernetes.io/azure-load-balancer-internal-subnet",
    address: "service.beta.kubernetes.io/azure-load-balancer-ipv4",
    // Without it the default rule 65000 admits the whole VNet, VPN prefixes included, and the
    // source ranges mean nothing.
    denyOthers: "service.beta.kubernetes.io/azure-deny-all-except-load-balancer-source-ranges",
  },
  onprem: {
    // MetalLB v0.14+ (the metallb.universe.tf prefix is deprecated).
    pool: "metallb.io/address-pool",
    addresses: "metallb.io/loadBalancerIPs",
  },
} as const;

/** The AWS Load Balancer Controller's class for NLBs. */
export const AWS_NLB_CLASS = "service.k8s.aws/nlb";

/**
 * The entry fields for one site: AWS, an internal NLB (the controller's frontend security group
 * admits the sources alone) with IP targets, one pinned address per private subnet and cross-zone
 * balancing, so every address reaches every pod; Azure, an internal load balancer in the system
 * subnet at a pinned address whose NSG rules admit the sources and deny the rest; on-premises, a
 * pinned address from the MetalLB pool config names (kube-proxy enforces the sources).
 */
export function entryServiceFields(range: EntryRange, needs: EntryNeeds): EntryServiceFields {
  const sources = [...needs.sources];
  if (range.kind === "aws") {
    const a = ENTRY_ANNOTATIONS.aws;
    return {
      loadBalancerClass: AWS_NLB_CLASS,
      loadBalancerSourceRanges: sources,
      annotations: {
        [a.scheme]: "internal",
        [a.targetType]: "ip",
        ...(needs.subnetIds ? { [a.subnets]: needs.subnetIds.join(",") } : {}),
        [a.addresses]: needs.addresses.join(","),
        [a.attributes]: "load_balancing.cross_zone.enabled=true",
        [a.healthCheckProtocol]: "tcp",
      },
    };
  }
  if (range.kind === "azure") {
    const a = ENTRY_ANNOTATIONS.azure;
    return {
      loadBalancerSourceRanges: sources,
      annotations: {
        [a.internal]: "true",
        [a.subnet]: range.subnetName,
        [a.address]: needs.addresses.join(","),
        [a.denyOthers]: "true",
      },
    };
  }
  const a = ENTRY_ANNOTATIONS.onprem;
  return {
    loadBalancerSourceRanges: sources,
    annotations: { [a.pool]: range.addressPool, [a.addresses]: needs.addresses.join(",") },
  };
}

/**
 * An unbound.conf snippet answering the services' private names with this site's gateway, from
 * the resolver itself: `static` answers only from local-data and never recurses, so no other
 * site's answer can leak in.
 */
export function renderUnboundServiceZone(args: {
  domain: string;
  records: { name: string; addresses: string[] }[];
  ttl?: number;
}): string {
  const ttl = args.ttl ?? 30;
  const lines = [
    "# Rendered by hybrid-ai-infra: the cross-site services' names, answered with this site's gateway.",
    "server:",
    `    local-zone: "${args.domain}." static`,
  ];
  for (const r of [...args.records].sort((a, b) => a.name.localeCompare(b.name)))
    for (const address of r.addresses)
      lines.push(`    local-data: "${r.name}.${args.domain}. ${ttl} IN A ${address}"`);
  return `${lines.join("\n")}\n`;
}
