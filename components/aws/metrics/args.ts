import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, commonArgsShape, input } from "../../kit";
import { dnsLabelSchema, kmsKeyArnSchema, oneOfNumbers } from "../../validation";
import { LOG_RETENTION_DAYS } from "../logs";

/** Arguments of `AwsClusterMetrics`. */
export interface AwsClusterMetricsArgs extends CommonArgs {
  /** The EKS cluster the managed scraper collects from (its ARN); the cluster must use access entries (`API` mode), as `AwsPrivateCluster` does. */
  clusterArn: pulumi.Input<string>;
  /** The same cluster's name, for the tunnel exporter's Pod Identity association. */
  clusterName: pulumi.Input<string>;
  /** Private subnets the scraper's interfaces go in, in at least two zones (the cluster's node subnets). */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Security groups of the scraper's interfaces: the cluster security group, which reaches every pod and the API server. */
  securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
  /** What the scraper collects: a Prometheus scrape configuration (Kubernetes discovery only, 30 s or slower). */
  scrapeConfiguration: pulumi.Input<string>;
  /** The site's rule file (YAML), evaluated by the workspace's ruler. */
  rules: pulumi.Input<string>;
  /** A KMS key for the workspace, its logs and its alert topic; default a new rotating key. */
  kmsKeyArn?: pulumi.Input<string>;
  /** Days the workspace keeps samples; default 150 (AMP's default). */
  retentionDays?: number;
  /** Days the workspace's rule and alert logs are kept; default 365. */
  logRetentionDays?: number;
  /** The CloudWatch exporter's ServiceAccount, bound to a role that may read CloudWatch metrics only; absent, no exporter role. */
  tunnelExporter?: { namespace: string; serviceAccount: string };
}

export const awsClusterMetricsSchema = z.strictObject({
  ...commonArgsShape,
  clusterArn: input(
    z.string().regex(/^arn:aws[-a-z]*:eks:[a-z0-9-]+:\d{12}:cluster\/.+$/, "is not an EKS cluster ARN"),
  ),
  clusterName: input(z.string().min(1)),
  subnetIds: input(z.array(input(z.string())).min(2, "needs subnets in at least two zones")),
  securityGroupIds: input(z.array(input(z.string())).min(1)),
  scrapeConfiguration: input(z.string().min(1)),
  rules: input(z.string().min(1)),
  kmsKeyArn: input(kmsKeyArnSchema).optional(),
  retentionDays: z.number().int().min(1).max(1095).optional(),
  logRetentionDays: oneOfNumbers(LOG_RETENTION_DAYS).optional(),
  tunnelExporter: z.strictObject({ namespace: dnsLabelSchema, serviceAccount: dnsLabelSchema }).optional(),
});

/** The defaults. */
export const AWS_METRICS_DEFAULTS = { retentionDays: 150, logRetentionDays: 365 } as const;

/** Interface endpoints the site's VPC needs for private paths to its metrics: queries and remote writes (AMP), tunnel metrics (CloudWatch). */
export const METRICS_INTERFACE_ENDPOINTS = ["aps-workspaces", "monitoring"] as const;

/** The metrics args with every default applied once. */
export function resolveAwsClusterMetricsArgs(parsed: z.output<typeof awsClusterMetricsSchema>) {
  return {
    ...parsed,
    retentionDays: parsed.retentionDays ?? AWS_METRICS_DEFAULTS.retentionDays,
    logRetentionDays: parsed.logRetentionDays ?? AWS_METRICS_DEFAULTS.logRetentionDays,
  };
}
