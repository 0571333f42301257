// The services' private names, declared in the platform phase: each site answers them with its own
// gateway (a Route 53 private zone on the VPC, an Azure private DNS zone on the VNet, and an unbound
// snippet for the on-premises resolver). The zone is never among those hybrid DNS forwards.
import type * as pulumi from "@pulumi/pulumi";
import { AwsServiceZone } from "../../components/aws";
import { AzureServiceZone } from "../../components/azure";
import type { CommonArgs } from "../../components/kit";
import { renderUnboundServiceZone, type TrafficPlan } from "../../components/traffic";
import type { DeclaredAwsSite, DeclaredAzureSite } from "../sites";

/** What the platform phase exports for cross-site traffic. */
export interface TrafficOutputs {
  /** The plan the cluster phase renders gateways and entries from. */
  plan: TrafficPlan;
  /** Each site's trust, recorded on the gateways for policy. */
  siteTrust: Record<string, "private" | "public">;
  /** The EKS VPC's private subnets, where the internal NLBs go. */
  awsSubnetIds?: pulumi.Output<string[]>;
  /** The gateways' image, when config gives a mirror. */
  gatewayImage?: string;
  /** The on-premises resolver's snippet answering the names with dc1's gateway. */
  onpremUnbound?: string;
}

/** Declares each cloud site's zone of names and renders the on-premises snippet. */
export function declareServiceNames(
  plan: TrafficPlan,
  siteTrust: Record<string, "private" | "public">,
  common: CommonArgs,
  declared: {
    aws?: DeclaredAwsSite | undefined;
    azure?: DeclaredAzureSite | undefined;
    onprem?: string | undefined;
  },
  gatewayImage?: string,
): TrafficOutputs | undefined {
  if (plan.services.length === 0) return undefined;
  const records = (site: string) => {
    const gateway = plan.gateways.find((g) => g.site === site);
    return gateway ? gateway.services.map((s) => ({ name: s.workload, addresses: gateway.addresses })) : [];
  };
  const outputs: TrafficOutputs = { plan, siteTrust, ...(gatewayImage ? { gatewayImage } : {}) };
  const { aws, azure } = declared;
  if (aws) {
    outputs.awsSubnetIds = aws.vpc.privateSubnetIds;
    const own = records(aws.site.name);
    if (own.length > 0)
      new AwsServiceZone(
        `${aws.site.name}-services`,
        { ...common, vpcId: aws.vpc.vpcId, domain: plan.domain, records: own },
        aws.opts,
      );
  }
  if (azure) {
    const own = records(azure.site.name);
    if (own.length > 0)
      new AzureServiceZone(
        `${azure.site.name}-services`,
        {
          ...common,
          resourceGroupName: azure.where.resourceGroupName,
          virtualNetworkId: azure.vnet.virtualNetworkId,
          domain: plan.domain,
          records: own,
        },
        azure.opts,
      );
  }
  if (declared.onprem) {
    const own = records(declared.onprem);
    if (own.length > 0)
      outputs.onpremUnbound = renderUnboundServiceZone({ domain: plan.domain, records: own });
  }
  return outputs;
}
