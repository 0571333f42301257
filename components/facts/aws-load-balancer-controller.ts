// AWS Load Balancer Controller facts both phases read: the platform phase grants the AWS role (bound
// to the controller's ServiceAccount through EKS Pod Identity), the cluster phase runs it as it.
// The controller makes a Service an NLB with a security group of its own that admits only the
// Service's loadBalancerSourceRanges (docs/deploy/security_groups.md), which the legacy in-tree
// controller cannot (it opens the nodes' group instead, to 0.0.0.0/0 by default).

/** The release the library runs (kubernetes-sigs/aws-load-balancer-controller v3.5.0, its chart's default image). */
export const AWS_LOAD_BALANCER_CONTROLLER_IMAGE = "public.ecr.aws/eks/aws-load-balancer-controller:v3.5.0";

/** The ServiceAccount it runs as; its AWS role is bound to it through EKS Pod Identity. */
export const AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = {
  namespace: "kube-system",
  name: "aws-load-balancer-controller",
} as const;

type Statement = {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
};

/** The reads the controller makes to find subnets, groups, targets and its own load balancers. */
const DESCRIBE_ACTIONS = [
  "ec2:DescribeAccountAttributes",
  "ec2:DescribeAddresses",
  "ec2:DescribeAvailabilityZones",
  "ec2:DescribeInternetGateways",
  "ec2:DescribeVpcs",
  "ec2:DescribeVpcPeeringConnections",
  "ec2:DescribeSubnets",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeInstances",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeTags",
  "ec2:GetSecurityGroupsForVpc",
  "ec2:DescribeIpamPools",
  "ec2:DescribeRouteTables",
  "elasticloadbalancing:DescribeLoadBalancers",
  "elasticloadbalancing:DescribeLoadBalancerAttributes",
  "elasticloadbalancing:DescribeListeners",
  "elasticloadbalancing:DescribeListenerAttributes",
  "elasticloadbalancing:DescribeTargetGroups",
  "elasticloadbalancing:DescribeTargetGroupAttributes",
  "elasticloadbalancing:DescribeTargetHealth",
  "elasticloadbalancing:DescribeTags",
  "elasticloadbalancing:DescribeCapacityReservation",
] as const;

/** The writes to the load balancers and target groups this cluster's tag marks as its own. */
const MANAGE_LOAD_BALANCER_ACTIONS = [
  "elasticloadbalancing:AddTags",
  "elasticloadbalancing:RemoveTags",
  "elasticloadbalancing:ModifyLoadBalancerAttributes",
  "elasticloadbalancing:SetIpAddressType",
  "elasticloadbalancing:SetSecurityGroups",
  "elasticloadbalancing:SetSubnets",
  "elasticloadbalancing:DeleteLoadBalancer",
  "elasticloadbalancing:ModifyTargetGroup",
  "elasticloadbalancing:ModifyTargetGroupAttributes",
  "elasticloadbalancing:DeleteTargetGroup",
  "elasticloadbalancing:RegisterTargets",
  "elasticloadbalancing:DeregisterTargets",
  "elasticloadbalancing:ModifyCapacityReservation",
] as const;

/** What the statements are narrowed by: this account's ARNs in the region, this VPC, this cluster's tag. */
interface PolicyScope {
  /** ARN prefixes of the account's EC2 and ELB resources in the region. */
  ec2: string;
  elb: string;
  vpcId: string;
  /** A resource tagged as this cluster's. */
  ours: Record<string, string>;
  /** A request tagging a new resource as this cluster's. */
  tagging: Record<string, string>;
}

const allow = (
  Sid: string,
  Action: readonly string[],
  Resource: string | string[],
  Condition?: Statement["Condition"],
): Statement => ({
  Sid,
  Effect: "Allow",
  Action: [...Action],
  Resource,
  ...(Condition ? { Condition } : {}),
});

/** What any NLB controller needs, whatever the cluster: ELB's service-linked role and the reads. */
function accountStatements(): Statement[] {
  return [
    allow("ElbServiceLinkedRole", ["iam:CreateServiceLinkedRole"], "*", {
      StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" },
    }),
    allow("Describe", DESCRIBE_ACTIONS, "*"),
  ];
}

/** The NLBs' own security groups (created in this VPC, tagged as this cluster's) and the backend rules. */
function securityGroupStatements({ ec2, vpcId, ours, tagging }: PolicyScope): Statement[] {
  return [
    allow(
      "CreateSecurityGroupsInThisVpc",
      ["ec2:CreateSecurityGroup"],
      [`${ec2}:vpc/${vpcId}`, `${ec2}:security-group/*`],
    ),
    allow("TagNewSecurityGroups", ["ec2:CreateTags"], `${ec2}:security-group/*`, {
      StringEquals: { "ec2:CreateAction": "CreateSecurityGroup", ...tagging },
    }),
    allow(
      "ManageThisClustersSecurityGroups",
      [
        "ec2:CreateTags",
        "ec2:DeleteTags",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:DeleteSecurityGroup",
      ],
      `${ec2}:security-group/*`,
      { StringEquals: ours },
    ),
    // The nodes' and pods' groups (the cluster's own, not tagged by the controller) get the rule
    // that admits the NLB's group: allowed only in this VPC.
    allow(
      "BackendRulesInThisVpc",
      ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      `${ec2}:security-group/*`,
      { StringEquals: { "ec2:Vpc": `${ec2}:vpc/${vpcId}` } },
    ),
  ];
}

/** The NLBs, their target groups and listeners: created tagged as this cluster's, then managed as such. */
function loadBalancerStatements({ elb, ours, tagging }: PolicyScope): Statement[] {
  return [
    allow(
      "CreateThisClustersLoadBalancers",
      ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      "*",
      { StringEquals: tagging },
    ),
    allow(
      "TagOnCreate",
      ["elasticloadbalancing:AddTags"],
      [`${elb}:targetgroup/*/*`, `${elb}:loadbalancer/net/*/*`, `${elb}:listener/net/*/*/*`],
      {
        StringEquals: {
          "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer", "CreateListener"],
        },
      },
    ),
    allow(
      "ManageThisClustersLoadBalancers",
      MANAGE_LOAD_BALANCER_ACTIONS,
      [`${elb}:targetgroup/*/*`, `${elb}:loadbalancer/net/*/*`],
      { StringEquals: ours },
    ),
    // Listeners carry no tag conditions in ELB's authorization: limited to NLBs of this account.
    allow(
      "ListenersOfNetworkLoadBalancers",
      [
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:ModifyListenerAttributes",
      ],
      [`${elb}:loadbalancer/net/*/*`, `${elb}:listener/net/*/*/*`, `${elb}:targetgroup/*/*`],
    ),
    allow(
      "TagListeners",
      ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      `${elb}:listener/net/*/*/*`,
    ),
  ];
}

/**
 * The controller's AWS policy for internal NLBs of one cluster: the project's reference policy
 * (docs/install/iam_policy.json at v3.5.0) less what NLB Services never call (ACM, IAM server
 * certificates, Cognito, WAF, WAFv2, Shield: the controller runs with those integrations off, and
 * ALB listener rules), and with every write narrowed from "tagged by some cluster" to tagged as
 * this cluster's (`elbv2.k8s.aws/cluster`), security groups to this VPC.
 */
export function awsLoadBalancerControllerPolicy(args: {
  clusterName: string;
  partition: string;
  region: string;
  accountId: string;
  vpcId: string;
}): { Version: string; Statement: Statement[] } {
  const { clusterName, partition, region, accountId, vpcId } = args;
  const scope: PolicyScope = {
    ec2: `arn:${partition}:ec2:${region}:${accountId}`,
    elb: `arn:${partition}:elasticloadbalancing:${region}:${accountId}`,
    vpcId,
    ours: { "aws:ResourceTag/elbv2.k8s.aws/cluster": clusterName },
    tagging: { "aws:RequestTag/elbv2.k8s.aws/cluster": clusterName },
  };
  return {
    Version: "2012-10-17",
    Statement: [...accountStatements(), ...securityGroupStatements(scope), ...loadBalancerStatements(scope)],
  };
}
