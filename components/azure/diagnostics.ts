import {
  DataCollectionRule,
  DataCollectionRuleAssociation,
  DiagnosticSetting,
} from "@pulumi/azure-native/monitor";
import type * as pulumi from "@pulumi/pulumi";

/** What a diagnostic setting sends to Log Analytics. */
export interface DiagnosticsOptions {
  /** The resource whose logs are sent. */
  resourceUri: pulumi.Input<string>;
  /** Log Analytics workspace resource id. */
  workspaceId: pulumi.Input<string>;
  /** Log categories to send (e.g. kube-audit); or a category group such as "audit". */
  logs: { categories: readonly string[] } | { categoryGroup: string };
  /** Also send the platform metrics (AllMetrics). */
  metrics: boolean;
}

/**
 * Sends a resource's platform logs to Log Analytics, into resource-specific tables (cheaper to
 * query and retain than the shared AzureDiagnostics table).
 */
export function sendDiagnostics(
  name: string,
  parent: pulumi.Resource,
  options: DiagnosticsOptions,
  dependsOn: pulumi.Resource[] = [],
): DiagnosticSetting {
  const logs =
    "categories" in options.logs
      ? options.logs.categories.map((category) => ({ category, enabled: true }))
      : [{ categoryGroup: options.logs.categoryGroup, enabled: true }];
  return new DiagnosticSetting(
    name,
    {
      name,
      resourceUri: options.resourceUri,
      workspaceId: options.workspaceId,
      logAnalyticsDestinationType: "Dedicated",
      logs,
      metrics: options.metrics ? [{ category: "AllMetrics", enabled: true }] : [],
    },
    { parent, dependsOn },
  );
}

/** Where a cluster's Container Insights data goes. */
export interface ContainerInsightsOptions {
  resourceGroupName: pulumi.Input<string>;
  /** Region of the rule: the workspace's (a data collection rule must share it); default the group's. */
  location?: string | undefined;
  clusterId: pulumi.Input<string>;
  clusterName: string;
  workspaceId: pulumi.Input<string>;
  tags: Record<string, string>;
}

// Container Insights' default stream group: every table its views need (logs in ContainerLogV2,
// events, inventories, performance).
const CONTAINER_INSIGHTS_STREAMS = ["Microsoft-ContainerInsights-Group-Default"];

/**
 * The data collection rule the AKS monitoring add-on (with Entra ID auth) reads what to collect
 * from, and its association with the cluster: without them the add-on runs but sends nothing.
 * The shape is the one `az aks enable-addons -a monitoring` creates.
 */
export function collectContainerInsights(
  name: string,
  parent: pulumi.Resource,
  options: ContainerInsightsOptions,
): DataCollectionRuleAssociation {
  const rule = new DataCollectionRule(
    name,
    {
      resourceGroupName: options.resourceGroupName,
      ...(options.location === undefined ? {} : { location: options.location }),
      kind: "Linux",
      description: `Container Insights of AKS ${options.clusterName}`,
      dataSources: {
        extensions: [
          {
            name: "ContainerInsightsExtension",
            extensionName: "ContainerInsights",
            streams: CONTAINER_INSIGHTS_STREAMS,
            extensionSettings: {
              dataCollectionSettings: {
                interval: "1m",
                namespaceFilteringMode: "Off",
                enableContainerLogV2: true,
              },
            },
          },
        ],
      },
      destinations: { logAnalytics: [{ name: "workspace", workspaceResourceId: options.workspaceId }] },
      dataFlows: [{ streams: CONTAINER_INSIGHTS_STREAMS, destinations: ["workspace"] }],
      tags: options.tags,
    },
    { parent },
  );
  return new DataCollectionRuleAssociation(
    name,
    {
      // The name AKS and the portal look for.
      associationName: "ContainerInsightsExtension",
      resourceUri: options.clusterId,
      dataCollectionRuleId: rule.id,
      description: "Container Insights of this cluster; deleting it stops the add-on's data collection.",
    },
    { parent },
  );
}
