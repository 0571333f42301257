// A workload's `traffic:` section in the catalog: how its copies on several sites are reached
// through every site's gateway. Every service placed on more than one site gets a gateway route
// and a private name without it; the section changes the defaults below. No Pulumi.
import { z } from "zod";
import { dnsLabelSchema } from "../validation";

/** How the gateway picks a site for each request (HAProxy's `balance`). */
export const ALGORITHMS = ["random(2)", "roundrobin", "leastconn"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** Where a service's per-site entries answer: inside the joined networks, or on the internet. */
export const ENTRY_SCHEMES = ["internal", "internet-facing"] as const;
export type EntryScheme = (typeof ENTRY_SCHEMES)[number];

/** A workload's traffic settings, as a team writes them in the catalog. */
export interface TrafficSettings {
  /** Route the workload across sites; default true when it is placed on more than one site. */
  crossSite?: boolean;
  /** The declared port (by name) the gateway fronts; default the workload's first TCP port. */
  port?: string;
  /** The gateway's port for it; default the port's own number. */
  gatewayPort?: number;
  /** `http` (per-request balancing, HTTP health checks, retries; default) or `tcp` (per connection). */
  mode?: "http" | "tcp";
  /** The path each site's copy answers 200 on when healthy (HTTP mode); default /healthz. */
  healthPath?: string;
  /** `random(2)` (weighted power of two choices, default), `roundrobin` (exact shares) or `leastconn` (long connections). */
  algorithm?: Algorithm;
  /** Longest legitimate response in seconds (HAProxy `timeout server`); default 60. */
  timeoutSeconds?: number;
  /** Sites whose gateway sends to its own copy while it is healthy, the others only when it is not. */
  preferLocal?: string[];
  /** Relative weight per site, replacing the replicas placement put there; only sites the workload is placed on. */
  weights?: Record<string, number>;
  /** Where the per-site entries answer; default `internal`. `internet-facing` only for public workloads. */
  entry?: EntryScheme;
}

/** The defaults of `TrafficSettings`. */
export const TRAFFIC_DEFAULTS = {
  mode: "http",
  healthPath: "/healthz",
  algorithm: "random(2)",
  timeoutSeconds: 60,
  entry: "internal",
} as const;

/** HAProxy server weights are 1..256 (0 would take a site out of balancing). */
export const MAX_WEIGHT = 256;

export const trafficSettingsSchema = z.strictObject({
  crossSite: z.boolean().optional(),
  port: z.string().min(1).optional(),
  gatewayPort: z
    .number()
    .int()
    .min(1024, "is below 1024; the gateway runs without privileges, use 1024-65535")
    .max(65535)
    .optional(),
  mode: z.enum(["http", "tcp"]).optional(),
  healthPath: z
    .string()
    .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, "is not an absolute URL path such as /healthz")
    .optional(),
  algorithm: z.enum(ALGORITHMS).optional(),
  timeoutSeconds: z.number().int().min(1).max(3600).optional(),
  preferLocal: z.array(dnsLabelSchema).min(1).optional(),
  weights: z.record(dnsLabelSchema, z.number().int().min(1).max(MAX_WEIGHT)).optional(),
  entry: z.enum(ENTRY_SCHEMES).optional(),
});
