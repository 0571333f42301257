import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, childName, commonArgsShape, input, resolveCommon } from "../../kit";
import {
  awsIdSchema,
  componentSubject,
  dnsLabelSchema,
  domainSchema,
  ipv4AddressSchema,
  parseOrThrow,
} from "../../validation";

/** Arguments of `AwsServiceZone`. */
export interface AwsServiceZoneArgs extends CommonArgs {
  /** The VPC that answers the names (its resolver); the zone is associated with it alone. */
  vpcId: pulumi.Input<string>;
  /** The zone, e.g. svc.prod.hybrid.internal: answered here, never forwarded to another site. */
  domain: string;
  /** One A record per service: its name in the zone and this site's gateway addresses. */
  records: { name: string; addresses: string[] }[];
  /** Record TTL in seconds; default 30, so a changed gateway address is followed within a minute. */
  ttl?: number;
}

const argsSchema = z.strictObject({
  ...commonArgsShape,
  vpcId: input(awsIdSchema("vpc")),
  domain: domainSchema(),
  records: z.array(z.strictObject({ name: dnsLabelSchema, addresses: z.array(ipv4AddressSchema).min(1) })),
  ttl: z.number().int().min(5).max(86_400).optional(),
});

/** The defaults. */
export const SERVICE_ZONE_DEFAULTS = { ttl: 30 } as const;

/** The args with every default applied once. */
function resolveServiceZoneArgs(parsed: z.output<typeof argsSchema>) {
  return { ...parsed, ttl: parsed.ttl ?? SERVICE_ZONE_DEFAULTS.ttl };
}

/**
 * The cross-site services' private names at the AWS site: a Route 53 private hosted zone associated
 * with the VPC, one A record per service answering with this site's gateway (its internal NLB's
 * pinned addresses). Other sites answer the same names with their own gateway.
 */
export class AwsServiceZone extends pulumi.ComponentResource {
  /** The hosted zone's id. */
  public readonly zoneId: pulumi.Output<string>;

  constructor(name: string, args: AwsServiceZoneArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = resolveServiceZoneArgs(
      parseOrThrow(componentSubject("AwsServiceZone", name), argsSchema, args),
    );
    super("hybrid-ai-infra:index:AwsServiceZone", name, {}, opts);
    const common = resolveCommon(parsed);
    const zone = new route53.Zone(
      name,
      {
        name: parsed.domain,
        comment: `Cross-site services of ${common.environment}, answered with this site's gateway`,
        vpcs: [{ vpcId: parsed.vpcId }],
        tags: common.tags,
      },
      { parent: this },
    );
    for (const record of parsed.records) {
      new route53.Record(
        childName(name, record.name),
        {
          zoneId: zone.zoneId,
          name: `${record.name}.${parsed.domain}`,
          type: "A",
          ttl: parsed.ttl,
          records: [...record.addresses],
        },
        { parent: this },
      );
    }
    this.zoneId = zone.zoneId;
    this.registerOutputs({ zoneId: this.zoneId });
  }
}
