// How long a first `pulumi up` takes: the engine creates a resource once everything it depends on
// exists, as many at once as the graph allows, so the wall time is the longest chain of
// dependencies, weighted by how long each resource takes to create. A change that serialises the
// deploy (a new dependsOn between two slow resources) shows up as a longer chain.
import type { RecordedResource } from "../../components/testing";

/**
 * Typical creation times in seconds, by resource type: what the providers document or commonly
 * take (an EKS control plane 8-10 min, an AKS cluster 5-8, an Azure VPN gateway 30-45, a NAT
 * gateway 1-2, an interface endpoint 1-2, an AKS pool 3-5). Estimates, not guarantees; anything not
 * listed takes `DEFAULT_SECONDS`.
 */
export const CREATE_SECONDS: Readonly<Record<string, number>> = {
  "aws:eks/cluster:Cluster": 600,
  "aws:eks/nodeGroup:NodeGroup": 240,
  "aws:eks/addon:Addon": 90,
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": 10,
  "aws:ec2/natGateway:NatGateway": 120,
  "aws:ec2/vpcEndpoint:VpcEndpoint": 120,
  "aws:ec2/vpnGateway:VpnGateway": 60,
  "aws:ec2/vpnConnection:VpnConnection": 300,
  "aws:route53/resolverEndpoint:ResolverEndpoint": 180,
  "aws:s3/bucket:Bucket": 10,
  "aws:kms/key:Key": 10,
  "azure-native:containerservice:ManagedCluster": 420,
  "azure-native:containerservice:AgentPool": 300,
  "azure-native:network:VirtualNetworkGateway": 2100,
  "azure-native:network:VirtualNetworkGatewayConnection": 120,
  "azure-native:network:PrivateEndpoint": 60,
  "azure-native:network:NatGateway": 30,
  "azure-native:dnsresolver:DnsResolver": 60,
  "azure-native:dnsresolver:InboundEndpoint": 240,
  "azure-native:dnsresolver:OutboundEndpoint": 240,
  "azure-native:storage:StorageAccount": 30,
  "azure-native:keyvault:Vault": 30,
  "azure-native:operationalinsights:Workspace": 30,
  // A Job is created once its pods start (the await waits for startTime), GPU nodes launching first.
  "kubernetes:batch/v1:Job": 300,
  "kubernetes:apps/v1:Deployment": 120,
  "kubernetes:apps/v1:DaemonSet": 60,
};

/** Seconds for a custom resource the table does not list: most are one API call. */
export const DEFAULT_SECONDS = 5;

/** One link of the longest chain. */
export interface ChainLink {
  urn: string;
  type: string;
  name: string;
  seconds: number;
}

/** The estimate for one phase (one program): its wall time and the chain that sets it. */
export interface DeployEstimate {
  seconds: number;
  chain: ChainLink[];
}

function secondsOf(r: RecordedResource): number {
  if (!r.custom) return 0;
  return CREATE_SECONDS[r.type] ?? (r.type.startsWith("random:") ? 1 : DEFAULT_SECONDS);
}

/**
 * The longest chain through the dependencies of `resources` (one program's), each resource
 * weighted by its creation time. A dependency on a component waits for all of the component's
 * resources, as the engine does.
 */
export function estimateDeployTime(resources: readonly RecordedResource[]): DeployEstimate {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const children = new Map<string, RecordedResource[]>();
  // Pushed in place: a component such as PlacedWorkloads parents thousands of objects, and copying
  // its list per child was quadratic.
  for (const r of resources) {
    if (!r.parent) continue;
    const list = children.get(r.parent);
    if (list) list.push(r);
    else children.set(r.parent, [r]);
  }
  const expand = (urn: string, into: Set<string>): void => {
    const r = byUrn.get(urn);
    if (!r) return;
    if (r.custom) into.add(urn);
    else for (const c of children.get(urn) ?? []) expand(c.urn, into);
  };
  const finish = new Map<string, { at: number; via: string | undefined }>();
  const visit = (urn: string): number => {
    const known = finish.get(urn);
    if (known) return known.at;
    const r = byUrn.get(urn) as RecordedResource;
    // Guards a cycle (the engine would refuse one) from recursing forever.
    finish.set(urn, { at: 0, via: undefined });
    const deps = new Set<string>();
    for (const d of r.dependsOn) expand(d, deps);
    deps.delete(urn);
    let start = 0;
    let via: string | undefined;
    for (const d of [...deps].sort()) {
      const at = visit(d);
      if (at > start) {
        start = at;
        via = d;
      }
    }
    const at = start + secondsOf(r);
    finish.set(urn, { at, via });
    return at;
  };
  let end: string | undefined;
  let seconds = 0;
  for (const r of resources)
    if (r.custom) {
      const at = visit(r.urn);
      if (at > seconds) {
        seconds = at;
        end = r.urn;
      }
    }
  const chain: ChainLink[] = [];
  for (let at = end; at !== undefined; at = finish.get(at)?.via) {
    const r = byUrn.get(at) as RecordedResource;
    chain.unshift({ urn: r.urn, type: r.type, name: r.name, seconds: secondsOf(r) });
  }
  return { seconds, chain };
}

/** `1 h 12 min`, `38 min`, `45 s`. */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}
