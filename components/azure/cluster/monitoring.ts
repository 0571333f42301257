import { DataCollectionRule, DataCollectionRuleAssociation } from "@pulumi/azure-native/monitor";
import { Workspace } from "@pulumi/azure-native/operationalinsights";
import * as pulumi from "@pulumi/pulumi";
import { type Common, childName, statefulOptions } from "../../kit";
import { sendDiagnostics } from "../diagnostics";
import { type GroupAndRegion, locatedIn } from "../group";

/**
 * Control-plane log categories sent to Log Analytics. `kube-audit` is the full audit log (it holds
 * every `kube-audit-admin` event plus reads, such as who read a secret), so the admin-only subset
 * is not sent twice.
 */
export const AKS_LOG_CATEGORIES = [
  "kube-apiserver",
  "kube-audit",
  "kube-controller-manager",
  "kube-scheduler",
  "cluster-autoscaler",
  "cloud-controller-manager",
  "guard",
] as const;

/**
 * The Log Analytics workspace of control-plane logs and Container Insights: the given one, or a
 * new one. Audit trails are data, so a created workspace is protected like data, takes Entra ID only,
 * and lets a reader see only the logs of resources they have rights on.
 */
export function logWorkspace(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  options: GroupAndRegion & { given: pulumi.Input<string> | undefined; retentionDays: number },
): pulumi.Output<string> {
  if (options.given !== undefined) return pulumi.output(options.given);
  return new Workspace(
    childName(name, "logs"),
    {
      resourceGroupName: options.resourceGroupName,
      ...locatedIn(options.location),
      sku: { name: "PerGB2018" },
      retentionInDays: options.retentionDays,
      // Entra ID only, and reading logs needs rights on the resource that wrote them.
      features: { disableLocalAuth: true, enableLogAccessUsingOnlyResourcePermissions: true },
      tags: common.tags,
    },
    statefulOptions(parent, common),
  ).id;
}

/** What the cluster's monitoring reads from: the cluster, and where its data goes. */
export interface ClusterMonitoringOptions extends GroupAndRegion {
  clusterId: pulumi.Input<string>;
  clusterName: string;
  workspaceId: pulumi.Input<string>;
  tags: Record<string, string>;
}

/** Control-plane logs and metrics, and Container Insights, into the workspace. */
export function monitorCluster(
  name: string,
  parent: pulumi.Resource,
  options: ClusterMonitoringOptions,
): void {
  sendDiagnostics(childName(name, "control-plane-logs"), parent, {
    resourceUri: options.clusterId,
    workspaceId: options.workspaceId,
    logs: { categories: AKS_LOG_CATEGORIES },
    metrics: true,
  });
  collectContainerInsights(childName(name, "container-insights"), parent, options);
}

// Container Insights' default stream group: every table its views need (logs in ContainerLogV2,
// events, inventories, performance).
const CONTAINER_INSIGHTS_STREAMS = ["Microsoft-ContainerInsights-Group-Default"];

/**
 * The data collection rule the AKS monitoring add-on (with Entra ID auth) reads what to collect
 * from, and its association with the cluster: without them the add-on runs but sends nothing.
 * The shape is the one `az aks enable-addons -a monitoring` creates. The rule lives in the
 * workspace's region (a data collection rule must share it); default the group's.
 */
function collectContainerInsights(
  name: string,
  parent: pulumi.Resource,
  options: ClusterMonitoringOptions,
): DataCollectionRuleAssociation {
  const rule = new DataCollectionRule(
    name,
    {
      resourceGroupName: options.resourceGroupName,
      ...locatedIn(options.location),
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
