// The stack config's `traffic` section: where the cross-site services' names live, the images the
// gateways and the AWS Load Balancer Controller run, and the on-premises address pool entries use.
import { z } from "zod";
import { dnsLabelSchema, domainSchema, ipv4Cidr, pinnedImageSchema } from "../../components/validation";

export const trafficConfigSchema = z.strictObject({
  /** The zone of the services' private names; default svc.<environment>.hybrid.internal. */
  domain: domainSchema().optional(),
  /** The gateways' HAProxy image, pinned: a mirror where nodes cannot reach Docker Hub. */
  gatewayImage: pinnedImageSchema.optional(),
  /** The AWS Load Balancer Controller's image, pinned: an ECR pull-through cache of public.ecr.aws without NAT. */
  awsLoadBalancerControllerImage: pinnedImageSchema.optional(),
  /**
   * With an existing VPC (aws.network.existing): a /28 in each private subnet, in privateSubnetIds'
   * order, reserved for pinned addresses (an explicit subnet CIDR reservation you create), where the
   * gateway's and the services' internal NLBs take their addresses. A VPC the stack creates has them.
   */
  aws: z.strictObject({ entryRanges: z.array(ipv4Cidr({ min: 28, max: 28 })).min(2) }).optional(),
  /**
   * The on-premises cluster's MetalLB address pool for internal load balancers (it exists; the
   * platform team runs MetalLB) and the block it serves, inside `onprem.networkCidr`: entries are
   * pinned there.
   */
  onprem: z
    .strictObject({
      addressPool: dnsLabelSchema,
      cidr: ipv4Cidr({ min: 16, max: 30 }),
    })
    .optional(),
});

export type TrafficConfig = z.output<typeof trafficConfigSchema>;

/** The zone the names live in. */
export function trafficDomain(config: { environment: string; traffic?: TrafficConfig | undefined }): string {
  return config.traffic?.domain ?? `svc.${config.environment}.hybrid.internal`;
}
