// AWS logs that the benchmarks want kept and protected: every VPC's flow logs on, every log
// group encrypted under a customer key and retained for a decided time, every VPN tunnel logging
// its IKE and IPsec negotiation.
import {
  family,
  get,
  isAbsent,
  isTrue,
  numberOf,
  oneOf,
  refersTo,
  resourceRule,
  show,
  stackRule,
} from "../kit";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
/** aws-native's log group names kmsKeyId and retentionInDays as the aws provider does. */
const LOG_GROUPS = [LOG_GROUP, "aws-native:logs:LogGroup"];
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const VPC = "aws:ec2/vpc:Vpc";
const VPN_CONNECTION = "aws:ec2/vpnConnection:VpnConnection";

export const awsLogGroupEncrypted = resourceRule({
  name: "aws-log-group-encrypted",
  description:
    "CloudWatch log groups are encrypted with a customer managed KMS key (kmsKeyId), so reading control-plane, flow and tunnel logs also takes kms:Decrypt and leaves a CloudTrail record.",
  remediation:
    "Set kmsKeyId to a rotating customer managed key whose policy lets logs.<region>.amazonaws.com use it.",
  benchmarks: ["checkov:CKV_AWS_158"],
  enforcementLevel: "mandatory",
  types: LOG_GROUPS,
  check: (ctx) => {
    const key = ctx.props.kmsKeyId;
    if (ctx.known(key, "kmsKeyId") && (isAbsent(key) || key === "") && ctx.judgesAbsent)
      ctx.report(
        "kmsKeyId is unset, so the logs are encrypted only with CloudWatch's own key; set a customer managed key",
      );
  },
});

export const awsLogGroupRetention = resourceRule({
  name: "aws-log-group-retention",
  description:
    "CloudWatch log groups keep their logs for a decided time of at least minRetentionDays (default 365; 0 keeps them forever): unset means never expire with no decision recorded, and a short retention loses the audit trail an incident needs.",
  remediation: "Set retentionInDays to 365 or more (the library's components do).",
  benchmarks: [
    "checkov:CKV_AWS_66",
    "checkov:CKV_AWS_338",
    "kics:ef0b316a-211e-42f1-888e-64efe172b755",
    "aws-fsbp:CloudWatch.16",
  ],
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minRetentionDays: {
        type: "integer",
        minimum: 1,
        default: 365,
        description: "The shortest retention allowed, in days.",
      },
    },
  },
  types: LOG_GROUPS,
  check: (ctx) => {
    const days = ctx.props.retentionInDays;
    if (!ctx.known(days, "retentionInDays") || (isAbsent(days) && !ctx.judgesAbsent)) return;
    const min = numberOf(ctx.config.minRetentionDays) ?? 365;
    const n = numberOf(days);
    if (isAbsent(days))
      ctx.report(`retentionInDays is unset (never expire, no retention decided); set it to at least ${min}`);
    else if (n === undefined || (n !== 0 && n < min))
      ctx.report(`retentionInDays is ${show(days)}, under ${min} days; keep the logs at least ${min} days`);
  },
});

export const awsVpcFlowLogs = stackRule({
  name: "aws-vpc-flow-logs",
  description:
    "Every VPC has a flow log of all its traffic (trafficType ALL) to a destination: a FlowLog whose vpcId names the VPC (or was computed from it). Rejected traffic alone misses what an attacker did with accepted connections.",
  remediation:
    'Declare aws.ec2.FlowLog { vpcId, trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: <an encrypted log group with retention> } (AwsVpc does).',
  benchmarks: ["checkov:CKV2_AWS_11", "kics:f83121ea-03da-434f-9277-9cd247ab3047", "aws-fsbp:EC2.6"],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    const flowLogs = ctx.ofType(FLOW_LOG);
    for (const vpc of ctx.ofType(VPC)) {
      const mine = flowLogs.filter((f) => refersTo(f, "vpcId", vpc, (v) => [v.props.id, v.name]));
      if (mine.length === 0) {
        ctx.report(`VPC ${vpc.name} has no flow log`, vpc.urn);
        continue;
      }
      const traffic = mine.map((f) => f.props.trafficType);
      if (!ctx.known(traffic, `${vpc.name} flow log trafficType`)) continue;
      if (!traffic.some((t) => oneOf(t, "ALL")))
        ctx.report(
          `VPC ${vpc.name}'s flow logs record ${traffic.map((t) => show(t)).join(", ")} traffic only; record ALL`,
          vpc.urn,
        );
      for (const f of mine) {
        const destination = f.props.logDestination ?? f.props.logGroupName;
        if (
          ctx.known(destination, `${f.name}.logDestination`) &&
          (isAbsent(destination) || destination === "")
        )
          ctx.report(`flow log ${f.name} of VPC ${vpc.name} has no destination`, f.urn);
      }
    }
  },
});

/** The tunnels of a VPN connection, by input prefix. */
const TUNNELS = ["tunnel1", "tunnel2"] as const;

export const awsVpnTunnelLogging = resourceRule({
  name: "aws-vpn-tunnel-logging",
  description:
    "Both tunnels of a Site-to-Site VPN connection send their IKE and IPsec logs to CloudWatch (tunnelNLogOptions.cloudwatchLogOptions.logEnabled true with a log group), so negotiation failures and rekeys can be traced.",
  remediation:
    'Set tunnel1LogOptions and tunnel2LogOptions to { cloudwatchLogOptions: { logEnabled: true, logGroupArn: <log group>, logOutputFormat: "json" } } (AwsVpnGateway does).',
  benchmarks: ["aws-fsbp:EC2.171"],
  enforcementLevel: "mandatory",
  types: [VPN_CONNECTION],
  check: (ctx) => {
    for (const tunnel of TUNNELS) {
      const options = get(ctx.props, `${tunnel}LogOptions.cloudwatchLogOptions`);
      if (!ctx.known(options, `${tunnel}LogOptions`) || (isAbsent(options) && !ctx.judgesAbsent)) continue;
      const enabled = get(options, "logEnabled");
      const group = get(options, "logGroupArn");
      if (!isTrue(enabled) || isAbsent(group) || group === "")
        ctx.report(
          `${tunnel}LogOptions.cloudwatchLogOptions is ${show(options)}, so the tunnel's IKE and IPsec negotiation is not logged; set logEnabled true with a logGroupArn`,
        );
    }
  },
});

export const FAMILY = family("aws-logging", "AWS logging", [
  awsLogGroupEncrypted,
  awsLogGroupRetention,
  awsVpcFlowLogs,
  awsVpnTunnelLogging,
]);
