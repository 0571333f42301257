import { z } from "zod";
import { domainSchema, ipv4AddressSchema, parseOrThrow } from "../../validation";

/** One zone the on-premises resolver forwards, and the resolvers it forwards to. */
export interface UnboundForwardZone {
  /** The zone, with or without its trailing dot, e.g. eu-west-1.eks.amazonaws.com. */
  domain: string;
  /** IPv4 addresses of the resolvers that answer for it (port 53), e.g. a cloud's inbound endpoint. */
  servers: string[];
}

/** What `renderUnboundForwarding` renders. */
export interface UnboundForwardingArgs {
  /** The zones to forward; each domain once. */
  zones: UnboundForwardZone[];
}

const argsSchema = z
  .strictObject({
    zones: z
      .array(
        z.strictObject({
          domain: domainSchema(),
          servers: z.array(ipv4AddressSchema).min(1, "give at least one resolver to forward to"),
        }),
      )
      .min(1, "give at least one zone"),
  })
  // `when` runs this while other fields are wrong too, so one error lists every problem; a domain
  // that failed its own check is not a string here and is skipped.
  .superRefine(
    (args, ctx) => {
      const seen = new Map<string, number>();
      (Array.isArray(args.zones) ? args.zones : []).forEach((zone, i) => {
        const domain: unknown = zone?.domain;
        if (typeof domain !== "string") return;
        const first = seen.get(domain);
        if (first === undefined) seen.set(domain, i);
        else
          ctx.addIssue({
            code: "custom",
            path: ["zones", i, "domain"],
            message: `"${domain}" repeats zones[${first}].domain; unbound takes one forward-zone per name`,
          });
      });
    },
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  );

/**
 * An unbound.conf snippet (for /etc/unbound/unbound.conf.d/) that forwards the clouds' private
 * zones to their inbound resolvers, and nowhere else: `forward-first: no`, so a query never falls
 * back to the public answer when the tunnel is down. The zones may answer with private addresses,
 * which `private-domain` keeps from being stripped where `private-address` guards against rebinding.
 */
export function renderUnboundForwarding(args: UnboundForwardingArgs): string {
  const { zones } = parseOrThrow("renderUnboundForwarding", argsSchema, args);
  const lines = [
    "# Rendered by hybrid-ai-infra: the clouds' private zones, forwarded to their resolvers.",
    "server:",
  ];
  for (const zone of zones) lines.push(`    private-domain: "${zone.domain}."`);
  for (const zone of zones) {
    lines.push("", "forward-zone:", `    name: "${zone.domain}."`);
    for (const server of zone.servers) lines.push(`    forward-addr: ${server}`);
    lines.push("    forward-first: no");
  }
  return `${lines.join("\n")}\n`;
}
