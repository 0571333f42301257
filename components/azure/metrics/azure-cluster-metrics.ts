import { PrometheusRuleGroup } from "@pulumi/azure-native/alertsmanagement";
import { FederatedIdentityCredential } from "@pulumi/azure-native/managedidentity";
import {
  AzureMonitorWorkspace,
  DataCollectionEndpoint,
  DataCollectionRule,
  DataCollectionRuleAssociation,
  PrivateLinkScope,
  PrivateLinkScopedResource,
} from "@pulumi/azure-native/monitor";
import { PrivateDnsZoneGroup, PrivateEndpoint } from "@pulumi/azure-native/network";
import { PrivateZone, VirtualNetworkLink } from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import { childName, resolveCommon, statefulOptions } from "../../kit";
import { componentSubject, parseOrThrow } from "../../validation";
import { azureContext } from "../context";
import { createIdentity } from "../managed-identity";
import { assignRole } from "../role-assignment";
import { ENTRA_TOKEN_AUDIENCE } from "../workload-identity";
import {
  AMPLS_PRIVATE_DNS_ZONES,
  type AzureClusterMetricsArgs,
  azureClusterMetricsSchema,
  prometheusQueryZone,
} from "./args";

const STREAM = "Microsoft-PrometheusMetrics";

/**
 * An AKS cluster's metrics store, private: an Azure Monitor workspace with public network access
 * disabled, queried through its own private endpoint; the cluster's metrics add-on sending through
 * a data collection endpoint with public access disabled, inside an Azure Monitor private link
 * scope whose ingestion and queries from the VNet are private only (the cluster's Log Analytics
 * workspace joins the scope so Container Insights keeps working); the site's rules as Prometheus
 * rule groups; and, for the VPN tunnel exporter, a managed identity its ServiceAccount federates
 * with, allowed to read the VPN gateway's metrics only.
 */
export class AzureClusterMetrics extends pulumi.ComponentResource {
  /** The Azure Monitor workspace's id. */
  public readonly workspaceId: pulumi.Output<string>;
  /** Its Prometheus query endpoint (resolves to the private endpoint from the VNet and linked sites). */
  public readonly queryEndpoint: pulumi.Output<string>;
  /** The data collection endpoint the cluster sends through. */
  public readonly dataCollectionEndpointId: pulumi.Output<string>;
  /** The private link scope. */
  public readonly privateLinkScopeId: pulumi.Output<string>;
  /** The tunnel exporter's identity (client id), when one was asked for. */
  public readonly tunnelExporterClientId: pulumi.Output<string | undefined>;
  /** The Entra ID tenant and subscription the deployment runs in (what the exporter signs in to and queries). */
  public readonly tenantId: pulumi.Output<string>;
  public readonly subscriptionId: pulumi.Output<string>;

  constructor(name: string, args: AzureClusterMetricsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(
      componentSubject("AzureClusterMetrics", name),
      azureClusterMetricsSchema,
      args,
    );
    super("hybrid-ai-infra:index:AzureClusterMetrics", name, {}, opts);
    const common = resolveCommon(parsed);
    const where = { resourceGroupName: parsed.resourceGroupName, location: parsed.location };
    const workspace = new AzureMonitorWorkspace(
      name,
      { ...where, publicNetworkAccess: "Disabled", tags: common.tags },
      statefulOptions(this, common),
    );
    const dce = new DataCollectionEndpoint(
      name,
      {
        ...where,
        kind: "Linux",
        description: `Metrics ingestion and agent configuration of ${name}, reached through its private link scope only`,
        networkAcls: { publicNetworkAccess: "Disabled" },
        tags: common.tags,
      },
      { parent: this },
    );
    collect(name, this, parsed, { workspaceId: workspace.id, dceId: dce.id, tags: common.tags });
    const scope = createPrivateLink(name, this, parsed, dce.id, common.tags);
    createQueryEndpoint(name, this, parsed, workspace.id, common.tags);
    parsed.ruleGroups.forEach((group) => {
      new PrometheusRuleGroup(
        childName(name, group.name.replace(/\./g, "-")),
        {
          ...where,
          ruleGroupName: group.name,
          description: group.description,
          scopes: [workspace.id],
          enabled: true,
          interval: "PT1M",
          rules: group.rules,
          tags: common.tags,
        },
        { parent: this },
      );
    });
    const exporter = parsed.tunnelExporter
      ? createTunnelExporterIdentity(
          name,
          this,
          { ...parsed, tunnelExporter: parsed.tunnelExporter },
          common.tags,
        )
      : undefined;

    this.workspaceId = workspace.id;
    this.queryEndpoint = workspace.metrics.apply((m) => m?.prometheusQueryEndpoint ?? "");
    this.dataCollectionEndpointId = dce.id;
    this.privateLinkScopeId = scope.id;
    this.tunnelExporterClientId = exporter ? exporter.clientId : pulumi.output(undefined);
    const ctx = azureContext(this);
    this.tenantId = ctx.tenantId;
    this.subscriptionId = ctx.subscriptionId;
    this.registerOutputs({
      workspaceId: this.workspaceId,
      queryEndpoint: this.queryEndpoint,
      dataCollectionEndpointId: this.dataCollectionEndpointId,
      privateLinkScopeId: this.privateLinkScopeId,
      tunnelExporterClientId: this.tunnelExporterClientId,
      tenantId: this.tenantId,
      subscriptionId: this.subscriptionId,
    });
  }
}

type Parsed = AzureClusterMetricsArgs;

/**
 * The add-on's path to the workspace, as Microsoft's own template wires it: a data collection rule
 * forwarding the Prometheus stream to the workspace through the endpoint, associated with the
 * cluster; and the endpoint as the cluster's configuration access endpoint, which is how agents in
 * a VNet behind a private link scope fetch their rules.
 */
function collect(
  name: string,
  parent: pulumi.Resource,
  args: Parsed,
  to: { workspaceId: pulumi.Output<string>; dceId: pulumi.Output<string>; tags: Record<string, string> },
): void {
  const { workspaceId, dceId, tags } = to;
  const rule = new DataCollectionRule(
    childName(name, "prometheus"),
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      kind: "Linux",
      description: "Managed Prometheus of the cluster (hybrid-ai-infra)",
      dataCollectionEndpointId: dceId,
      dataSources: {
        prometheusForwarder: [{ name: "PrometheusDataSource", streams: [STREAM], labelIncludeFilter: {} }],
      },
      destinations: { monitoringAccounts: [{ accountResourceId: workspaceId, name: "workspace" }] },
      dataFlows: [{ streams: [STREAM], destinations: ["workspace"] }],
      tags,
    },
    { parent },
  );
  new DataCollectionRuleAssociation(
    childName(name, "prometheus"),
    {
      associationName: "hybrid-ai-infra-prometheus",
      resourceUri: args.clusterId,
      dataCollectionRuleId: rule.id,
      description: "Managed Prometheus of this cluster; deleting it stops its metrics.",
    },
    { parent },
  );
  new DataCollectionRuleAssociation(
    childName(name, "configuration-endpoint"),
    {
      // The name Azure Monitor looks for: one configuration endpoint per resource.
      associationName: "configurationAccessEndpoint",
      resourceUri: args.clusterId,
      dataCollectionEndpointId: dceId,
      description:
        "Where this cluster's monitoring agents fetch their configuration, through the private link scope.",
    },
    { parent },
  );
}

/**
 * The private link scope (private-only ingestion and queries from the VNet) holding the endpoint
 * and the Log Analytics workspace, its private endpoint in the VNet, and the zones it registers in.
 */
function createPrivateLink(
  name: string,
  parent: pulumi.Resource,
  args: Parsed,
  dceId: pulumi.Output<string>,
  tags: Record<string, string>,
): PrivateLinkScope {
  const scope = new PrivateLinkScope(
    name,
    {
      resourceGroupName: args.resourceGroupName,
      location: "global",
      accessModeSettings: {
        ingestionAccessMode: "PrivateOnly",
        queryAccessMode: "PrivateOnly",
        exclusions: [],
      },
      tags,
    },
    { parent },
  );
  const scoped: [string, pulumi.Input<string>][] = [
    ["dce", dceId],
    ...(args.logAnalyticsWorkspaceId
      ? [["logs", args.logAnalyticsWorkspaceId] as [string, pulumi.Input<string>]]
      : []),
  ];
  const links = scoped.map(
    ([key, id]) =>
      new PrivateLinkScopedResource(
        childName(name, key),
        { resourceGroupName: args.resourceGroupName, scopeName: scope.name, name: key, linkedResourceId: id },
        { parent },
      ),
  );
  const zones: { zone: string; id: pulumi.Output<string> }[] = AMPLS_PRIVATE_DNS_ZONES.map((zone) => ({
    zone,
    id: privateZone(name, parent, args, zone, tags),
  }));
  if (args.blobPrivateDnsZoneId)
    zones.push({ zone: "privatelink.blob.core.windows.net", id: pulumi.output(args.blobPrivateDnsZoneId) });
  const endpoint = new PrivateEndpoint(
    childName(name, "scope"),
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      subnet: { id: args.endpointSubnetId },
      privateLinkServiceConnections: [
        { name: "azuremonitor", privateLinkServiceId: scope.id, groupIds: ["azuremonitor"] },
      ],
      tags,
    },
    // The scope's resources first: the endpoint's DNS records are made for what the scope holds.
    { parent, dependsOn: links },
  );
  new PrivateDnsZoneGroup(
    childName(name, "scope"),
    {
      resourceGroupName: args.resourceGroupName,
      privateEndpointName: endpoint.name,
      privateDnsZoneGroupName: "default",
      privateDnsZoneConfigs: zones.map((z) => ({ name: z.zone.replace(/\./g, "-"), privateDnsZoneId: z.id })),
    },
    { parent },
  );
  return scope;
}

/** A private DNS zone linked to the VNet (no auto-registration); returns its id. */
function privateZone(
  name: string,
  parent: pulumi.Resource,
  args: Parsed,
  zone: string,
  tags: Record<string, string>,
): pulumi.Output<string> {
  const key = zone.replace(/^privatelink\./, "").replace(/\./g, "-");
  const created = new PrivateZone(
    childName(name, key),
    { resourceGroupName: args.resourceGroupName, privateZoneName: zone, location: "Global", tags },
    { parent },
  );
  new VirtualNetworkLink(
    childName(name, key),
    {
      resourceGroupName: args.resourceGroupName,
      privateZoneName: created.name,
      location: "Global",
      virtualNetwork: { id: args.virtualNetworkId },
      registrationEnabled: false,
      tags,
    },
    { parent },
  );
  return created.id;
}

/** The workspace's query endpoint, private: its own endpoint (sub-resource prometheusMetrics) and zone. */
function createQueryEndpoint(
  name: string,
  parent: pulumi.Resource,
  args: Parsed,
  workspaceId: pulumi.Output<string>,
  tags: Record<string, string>,
): void {
  const zoneId = privateZone(name, parent, args, prometheusQueryZone(args.location), tags);
  const endpoint = new PrivateEndpoint(
    childName(name, "query"),
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      subnet: { id: args.endpointSubnetId },
      privateLinkServiceConnections: [
        { name: "prometheusMetrics", privateLinkServiceId: workspaceId, groupIds: ["prometheusMetrics"] },
      ],
      tags,
    },
    { parent },
  );
  new PrivateDnsZoneGroup(
    childName(name, "query"),
    {
      resourceGroupName: args.resourceGroupName,
      privateEndpointName: endpoint.name,
      privateDnsZoneGroupName: "default",
      privateDnsZoneConfigs: [{ name: "prometheus", privateDnsZoneId: zoneId }],
    },
    { parent },
  );
}

/**
 * The tunnel exporter's identity: trusts only its ServiceAccount's token, and holds Monitoring
 * Reader on the VPN gateway alone (reading its metrics, nothing else in the subscription).
 */
function createTunnelExporterIdentity(
  name: string,
  parent: pulumi.Resource,
  args: Parsed & { tunnelExporter: NonNullable<Parsed["tunnelExporter"]> },
  tags: Record<string, string>,
): { clientId: pulumi.Output<string> } {
  const sa = args.tunnelExporter;
  const identity = createIdentity(childName(name, "tunnel-exporter"), parent, args, tags);
  new FederatedIdentityCredential(
    childName(name, "tunnel-exporter"),
    {
      resourceGroupName: args.resourceGroupName,
      resourceName: identity.name,
      issuer: sa.oidcIssuerUrl,
      subject: `system:serviceaccount:${sa.namespace}:${sa.serviceAccount}`,
      audiences: [ENTRA_TOKEN_AUDIENCE],
    },
    { parent },
  );
  assignRole(childName(name, "tunnel-exporter"), parent, azureContext(parent), {
    role: "Monitoring Reader",
    principalId: identity.principalId,
    principalType: "ServicePrincipal",
    scope: sa.gatewayId,
    description: `VPN tunnel exporter ${sa.namespace}/${sa.serviceAccount} reads the gateway's BGP peer status`,
  });
  return { clientId: identity.clientId };
}
