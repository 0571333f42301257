import { DiagnosticSetting } from "@pulumi/azure-native/monitor";
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
