import { canScale, checkEfaPlacement, isGpuGroup } from "../../../components/aws/internal";
import type { CheckIssue, ConfigCheck } from "./check";
import { collect, issueAt } from "./check";

/**
 * An EFA group names its zone: one of the VPC's zones (the pinned ones, or the region's), matched to
 * a subnet the VPC creates; an existing VPC's subnets have no known zone, so it gives efaSubnetId.
 */
export const efaZones: ConfigCheck = {
  name: "EFA groups in one of the VPC's zones",
  check: ({ aws }) => {
    if (!aws) return [];
    const pinned = "cidr" in aws.config.network ? aws.config.network.availabilityZones : undefined;
    return aws.config.cluster.nodeGroups.flatMap((group, i): CheckIssue[] => {
      const path = ["aws", "cluster", "nodeGroups", i];
      const issues = collect((sink) => checkEfaPlacement(group, sink, { zonesKnown: aws.createsVpc, path }));
      const zone = group.efaZone;
      if (zone !== undefined && (pinned ? !pinned.includes(zone) : !zone.startsWith(aws.region)))
        issues.push(
          issueAt(
            [...path, "efaZone"],
            `"${zone}" is not a zone of the VPC; pick one of ${pinned ? pinned.join(", ") : `${aws.region}'s zones, e.g. ${aws.region}a`}`,
          ),
        );
      return issues;
    });
  },
};

/**
 * Without NAT gateways the nodes reach only the VPC's endpoints, so the cluster phase's images must
 * come from a registry behind them (ECR): NVIDIA's plugin from nvcr.io (which ECR pull-through
 * caches cannot mirror), Kueue and Cluster Autoscaler from registry.k8s.io must be given as mirrors.
 */
export const imagesReachable: ConfigCheck = {
  name: "add-on images reachable without NAT",
  check: ({ aws }) => {
    const network = aws?.config.network;
    if (!aws || !network || !("cidr" in network) || (network.natGateways ?? "none") !== "none") return [];
    const c = aws.config.cluster;
    const why = 'aws.network.natGateways is "none", so nodes cannot pull from';
    const issues: CheckIssue[] = [];
    const needsPlugin = c.nodeGroups.some((g) => isGpuGroup(g.instanceTypes) && g.os !== "bottlerocket");
    if (needsPlugin && !c.gpuDevicePluginImage)
      issues.push(
        issueAt(
          ["aws", "cluster", "gpuDevicePluginImage"],
          `is not set, and ${why} nvcr.io; copy nvcr.io/nvidia/k8s-device-plugin into ECR and give its URI, or use a NAT gateway`,
        ),
      );
    if (!c.kueueImage)
      issues.push(
        issueAt(
          ["aws", "cluster", "kueueImage"],
          `is not set, and ${why} registry.k8s.io; mirror Kueue in ECR (a pull-through cache rule for registry.k8s.io serves registry.k8s.io/kueue/kueue) and give its URI, or use a NAT gateway`,
        ),
      );
    if (c.nodeGroups.some(canScale) && !c.clusterAutoscalerImage)
      issues.push(
        issueAt(
          ["aws", "cluster", "clusterAutoscalerImage"],
          `is not set, and ${why} registry.k8s.io; mirror the autoscaler in ECR (a pull-through cache rule for registry.k8s.io) and give its URI, or use a NAT gateway`,
        ),
      );
    return issues;
  },
};
