import * as amp from "@pulumi/aws/amp";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as sns from "@pulumi/aws/sns";
import * as pulumi from "@pulumi/pulumi";
import { childName, resolveCommon, statefulOptions } from "../../kit";
import { componentSubject, parseOrThrow } from "../../validation";
import { type AwsContext, awsContext } from "../context";
import { createKmsKey } from "../kms";
import { createLogGroup } from "../logs";
import { type AwsClusterMetricsArgs, awsClusterMetricsSchema, resolveAwsClusterMetricsArgs } from "./args";

/** The scraper tags the workspace it writes to with this; declaring it keeps the tags from drifting. */
const SCRAPER_TAG = "AMPAgentlessScraper";

/**
 * An EKS cluster's metrics store, private and encrypted: an Amazon Managed Service for Prometheus
 * workspace under a customer-managed key, logging its ruler and alert manager to a KMS log group;
 * AMP's managed scraper collecting from the cluster through interfaces in its private subnets
 * (writing through roles of this account, as a key-encrypted workspace requires); the site's rules
 * in the workspace's ruler; alerts to an encrypted SNS topic; and, for the VPN tunnel exporter, a
 * role EKS Pod Identity gives its ServiceAccount only, allowed to read CloudWatch metrics.
 * Queries and remote writes go through the VPC's `aps-workspaces` interface endpoint
 * (`METRICS_INTERFACE_ENDPOINTS`): the workspace's endpoint is SigV4-authenticated, and from the
 * VPC and the sites linked to it its name resolves to the endpoint's private addresses.
 */
export class AwsClusterMetrics extends pulumi.ComponentResource {
  /** The workspace id. */
  public readonly workspaceId: pulumi.Output<string>;
  /** The workspace ARN. */
  public readonly workspaceArn: pulumi.Output<string>;
  /** The workspace's Prometheus-compatible endpoint (`.../workspaces/<id>/`): query at `api/v1/query` with SigV4. */
  public readonly prometheusEndpoint: pulumi.Output<string>;
  /** The KMS key of the workspace, its logs and its alert topic. */
  public readonly kmsKeyArn: pulumi.Output<string>;
  /** The SNS topic the workspace's alert manager publishes to: subscribe to it. */
  public readonly alertTopicArn: pulumi.Output<string>;
  /** The tunnel exporter's role, when one was asked for. */
  public readonly tunnelExporterRoleArn: pulumi.Output<string | undefined>;

  constructor(name: string, args: AwsClusterMetricsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = resolveAwsClusterMetricsArgs(
      parseOrThrow(componentSubject("AwsClusterMetrics", name), awsClusterMetricsSchema, args),
    );
    super("hybrid-ai-infra:index:AwsClusterMetrics", name, {}, opts);
    const common = resolveCommon(parsed);
    const ctx = awsContext(this);
    const keyArn =
      parsed.kmsKeyArn === undefined
        ? createKmsKey(childName(name, "kms"), this, common, ctx, {
            description: `Metrics of ${name}: AMP workspace, its logs and alert topic`,
            allowCloudWatchLogs: true,
            statements: [alertPublishing(ctx)],
          }).key.arn
        : pulumi.output(parsed.kmsKeyArn);
    const logs = createLogGroup(childName(name, "logs"), this, common, {
      logGroupName: pulumi.interpolate`/aws/prometheus/${name}-${common.environment}`,
      retentionInDays: parsed.logRetentionDays,
      kmsKeyArn: keyArn,
    });
    const workspace = new amp.Workspace(
      name,
      {
        alias: `${name}-${common.environment}`,
        kmsKeyArn: keyArn,
        loggingConfiguration: { logGroupArn: pulumi.interpolate`${logs.arn}:*` },
        tags: { ...common.tags, [SCRAPER_TAG]: "" },
      },
      statefulOptions(this, common),
    );
    new amp.WorkspaceConfiguration(
      name,
      {
        workspaceId: workspace.id,
        retentionPeriodInDays: parsed.retentionDays,
      },
      { parent: this },
    );
    const roles = createScraperRoles(name, this, ctx, workspace.arn, common.tags);
    new amp.Scraper(
      name,
      {
        alias: `${name}-${common.environment}`,
        source: {
          eks: {
            clusterArn: parsed.clusterArn,
            subnetIds: parsed.subnetIds,
            securityGroupIds: parsed.securityGroupIds,
          },
        },
        destination: { amp: { workspaceArn: workspace.arn } },
        scrapeConfiguration: parsed.scrapeConfiguration,
        roleConfiguration: { sourceRoleArn: roles.source.arn, targetRoleArn: roles.target.arn },
        tags: common.tags,
      },
      { parent: this, dependsOn: roles.policies },
    );
    new amp.RuleGroupNamespace(
      name,
      { workspaceId: workspace.id, name: "hybrid-ai-infra", data: parsed.rules, tags: common.tags },
      { parent: this },
    );
    const topic = createAlertTopic(name, this, ctx, {
      workspaceArn: workspace.arn,
      keyArn,
      tags: common.tags,
    });
    new amp.AlertManagerDefinition(
      name,
      {
        workspaceId: workspace.id,
        definition: pulumi.all([topic.arn, ctx.region]).apply(([t, r]) => alertManagerDefinition(t, r)),
      },
      { parent: this, dependsOn: [topic.policy] },
    );
    const exporter = parsed.tunnelExporter
      ? createTunnelExporterRole(name, this, ctx, {
          ...parsed.tunnelExporter,
          clusterName: parsed.clusterName,
          tags: common.tags,
        })
      : undefined;

    this.workspaceId = workspace.id;
    this.workspaceArn = workspace.arn;
    this.prometheusEndpoint = workspace.prometheusEndpoint;
    this.kmsKeyArn = keyArn;
    this.alertTopicArn = topic.arn;
    this.tunnelExporterRoleArn = exporter ? exporter.arn : pulumi.output(undefined);
    this.registerOutputs({
      workspaceId: this.workspaceId,
      workspaceArn: this.workspaceArn,
      prometheusEndpoint: this.prometheusEndpoint,
      kmsKeyArn: this.kmsKeyArn,
      alertTopicArn: this.alertTopicArn,
      tunnelExporterRoleArn: this.tunnelExporterRoleArn,
    });
  }
}

/** AMP's alert manager encrypts the messages it publishes to the key-encrypted topic. */
function alertPublishing(ctx: AwsContext): pulumi.Input<Record<string, unknown>> {
  return {
    Sid: "AmpAlertPublishing",
    Effect: "Allow",
    Principal: { Service: "aps.amazonaws.com" },
    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
  };
}

/**
 * The roles a managed scraper writes to a key-encrypted workspace with (both in this account):
 * the source role only AMP's scraper service may assume, for this account's scrapers; the target
 * role only the source role may assume, allowed to remote-write to this workspace and nothing else.
 */
function createScraperRoles(
  name: string,
  parent: pulumi.Resource,
  ctx: AwsContext,
  workspaceArn: pulumi.Output<string>,
  tags: Record<string, string>,
): { source: iam.Role; target: iam.Role; policies: pulumi.Resource[] } {
  const scrapers = pulumi.interpolate`arn:${ctx.partition}:aps:${ctx.region}:${ctx.accountId}:scraper/*`;
  const source = new iam.Role(
    childName(name, "scraper-source"),
    {
      description: `AMP managed scraper of ${name}: assumes the write role`,
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "scraper.aps.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
              StringEquals: { "aws:SourceAccount": ctx.accountId },
              ArnLike: { "aws:SourceArn": scrapers },
            },
          },
        ],
      }),
      tags,
    },
    { parent },
  );
  const target = new iam.Role(
    childName(name, "scraper-target"),
    {
      description: `AMP managed scraper of ${name}: writes to its workspace`,
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: source.arn }, Action: "sts:AssumeRole" }],
      }),
      tags,
    },
    { parent },
  );
  const assume = new iam.RolePolicy(
    childName(name, "scraper-source"),
    {
      role: source.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: target.arn }],
      }),
    },
    { parent },
  );
  const write = new iam.RolePolicy(
    childName(name, "scraper-target"),
    {
      role: target.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "aps:RemoteWrite", Resource: workspaceArn }],
      }),
    },
    { parent },
  );
  return { source, target, policies: [assume, write] };
}

/** The alert topic: encrypted with the metrics key, published to by this workspace only. */
function createAlertTopic(
  name: string,
  parent: pulumi.Resource,
  ctx: AwsContext,
  at: { workspaceArn: pulumi.Output<string>; keyArn: pulumi.Input<string>; tags: Record<string, string> },
): { arn: pulumi.Output<string>; policy: sns.TopicPolicy } {
  const topic = new sns.Topic(
    childName(name, "alerts"),
    { kmsMasterKeyId: at.keyArn, tags: at.tags },
    { parent },
  );
  const policy = new sns.TopicPolicy(
    childName(name, "alerts"),
    {
      arn: topic.arn,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AmpAlertManager",
            Effect: "Allow",
            Principal: { Service: "aps.amazonaws.com" },
            Action: ["sns:Publish", "sns:GetTopicAttributes"],
            Resource: topic.arn,
            Condition: {
              ArnEquals: { "aws:SourceArn": at.workspaceArn },
              StringEquals: { "AWS:SourceAccount": ctx.accountId },
            },
          },
        ],
      }),
    },
    { parent },
  );
  return { arn: topic.arn, policy };
}

/** AMP's alert manager: every alert to the SNS topic (the only receiver AMP supports), grouped per alert and site. */
export function alertManagerDefinition(topicArn: string, region: string): string {
  return [
    "alertmanager_config: |",
    "  route:",
    "    receiver: sns",
    "    group_by: [alertname, site]",
    "    group_wait: 1m",
    "    repeat_interval: 4h",
    "  receivers:",
    "    - name: sns",
    "      sns_configs:",
    `        - topic_arn: ${topicArn}`,
    "          sigv4:",
    `            region: ${region}`,
    "          attributes:",
    "            severity: '{{ .CommonLabels.severity }}'",
    "            site: '{{ .CommonLabels.site }}'",
    "",
  ].join("\n");
}

/**
 * The tunnel exporter's role: assumable through EKS Pod Identity by its ServiceAccount on this
 * cluster only, allowed `cloudwatch:GetMetricData` (which has no resource-level permissions).
 */
function createTunnelExporterRole(
  name: string,
  parent: pulumi.Resource,
  ctx: AwsContext,
  sa: {
    namespace: string;
    serviceAccount: string;
    clusterName: pulumi.Input<string>;
    tags: Record<string, string>;
  },
): iam.Role {
  const role = new iam.Role(
    childName(name, "tunnel-exporter"),
    {
      description: `VPN tunnel exporter of ${name} (EKS Pod Identity): reads CloudWatch metrics`,
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "pods.eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Condition: {
              StringEquals: {
                "aws:SourceAccount": ctx.accountId,
                "aws:RequestTag/eks-cluster-name": sa.clusterName,
                "aws:RequestTag/kubernetes-namespace": sa.namespace,
                "aws:RequestTag/kubernetes-service-account": sa.serviceAccount,
              },
            },
          },
        ],
      }),
      tags: sa.tags,
    },
    { parent },
  );
  const policy = new iam.RolePolicy(
    childName(name, "tunnel-exporter"),
    {
      role: role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "cloudwatch:GetMetricData", Resource: "*" }],
      }),
    },
    { parent },
  );
  new eks.PodIdentityAssociation(
    childName(name, "tunnel-exporter"),
    {
      clusterName: sa.clusterName,
      namespace: sa.namespace,
      serviceAccount: sa.serviceAccount,
      roleArn: role.arn,
      tags: sa.tags,
    },
    { parent, dependsOn: [policy] },
  );
  return role;
}
