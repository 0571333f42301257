import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, input } from "../../kit";
import type { AzureRuleGroup } from "../../monitoring";
import { dnsLabelSchema } from "../../validation";
import { groupArgsShape } from "../group";

/** Arguments of `AzureClusterMetrics`. */
export interface AzureClusterMetricsArgs extends CommonArgs {
  /** Resource group of the workspace and its private link. */
  resourceGroupName: pulumi.Input<string>;
  /** Azure region of the workspace and its data collection endpoint; the cluster's (Azure wants the DCE in the cluster's region). */
  location: string;
  /** The AKS cluster whose metrics add-on (`managedPrometheus` on `AzurePrivateCluster`) sends here. */
  clusterId: pulumi.Input<string>;
  /** The VNet the private endpoints go in; its private DNS zones are linked to it. */
  virtualNetworkId: pulumi.Input<string>;
  /** The VNet's private-endpoint subnet. */
  endpointSubnetId: pulumi.Input<string>;
  /**
   * The cluster's Log Analytics workspace (Container Insights): added to the private link scope, whose
   * private-only ingestion would otherwise cut Container Insights off from inside the VNet.
   */
  logAnalyticsWorkspaceId?: pulumi.Input<string>;
  /** The site's privatelink.blob zone, if its storage made one (one per VNet): the scope's endpoint registers in it. */
  blobPrivateDnsZoneId?: pulumi.Input<string>;
  /** The site's rules as Azure rule groups (`azureRuleGroups`), at most 20 rules each. */
  ruleGroups: AzureRuleGroup[];
  /** The VPN tunnel exporter: its ServiceAccount (federated with a new identity) and the gateway it may read metrics of. */
  tunnelExporter?: {
    oidcIssuerUrl: pulumi.Input<string>;
    namespace: string;
    serviceAccount: string;
    gatewayId: pulumi.Input<string>;
  };
}

const ruleSchema = z.object({
  record: z.string().optional(),
  alert: z.string().optional(),
  expression: z.string().min(1),
  for: z
    .string()
    .regex(/^P(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$/, "is not an ISO 8601 duration")
    .optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  severity: z.number().int().min(0).max(4).optional(),
  enabled: z.boolean(),
  resolveConfiguration: z.object({ autoResolved: z.boolean(), timeToResolve: z.string() }).optional(),
});

export const azureClusterMetricsSchema = z.strictObject({
  ...groupArgsShape,
  location: z.string().min(1),
  clusterId: input(
    z
      .string()
      .regex(
        /\/providers\/Microsoft\.ContainerService\/managedClusters\/[^/]+$/i,
        "is not an AKS cluster id",
      ),
  ),
  virtualNetworkId: input(z.string().min(1)),
  endpointSubnetId: input(z.string().min(1)),
  logAnalyticsWorkspaceId: input(z.string().min(1)).optional(),
  blobPrivateDnsZoneId: input(z.string().min(1)).optional(),
  ruleGroups: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[^:@/#{}%&+*<>?]{1,260}$/, "is not a rule group name"),
        description: z.string(),
        rules: z.array(ruleSchema).min(1).max(20, "holds more than the 20 rules Azure takes per group"),
      }),
    )
    .min(1),
  tunnelExporter: z
    .strictObject({
      oidcIssuerUrl: input(z.string().min(1)),
      namespace: dnsLabelSchema,
      serviceAccount: dnsLabelSchema,
      gatewayId: input(z.string().min(1)),
    })
    .optional(),
});

/**
 * The private DNS zones an Azure Monitor private link scope's endpoint registers in (Azure Private
 * Endpoint DNS: Microsoft.Insights/privateLinkScopes, sub-resource azuremonitor), besides
 * privatelink.blob.core.windows.net, which the site's storage may already own.
 */
export const AMPLS_PRIVATE_DNS_ZONES = [
  "privatelink.monitor.azure.com",
  "privatelink.oms.opinsights.azure.com",
  "privatelink.ods.opinsights.azure.com",
  "privatelink.agentsvc.azure-automation.net",
] as const;

/** The zone an Azure Monitor workspace's query endpoint resolves through from the VNet (sub-resource prometheusMetrics). */
export function prometheusQueryZone(location: string): string {
  return `privatelink.${location}.prometheus.monitor.azure.com`;
}
