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
  const ec2 = `arn:${partition}:ec2:${region}:${accountId}`;
  const elb = `arn:${partition}:elasticloadbalancing:${region}:${accountId}`;
  const ours = { "aws:ResourceTag/elbv2.k8s.aws/cluster": clusterName };
  const tagging = { "aws:RequestTag/elbv2.k8s.aws/cluster": clusterName };
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ElbServiceLinkedRole",
        Effect: "Allow",
        Action: ["iam:CreateServiceLinkedRole"],
        Resource: "*",
        Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
      },
      {
        Sid: "Describe",
        Effect: "Allow",
        Action: [
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
        ],
        Resource: "*",
      },
      {
        Sid: "CreateSecurityGroupsInThisVpc",
        Effect: "Allow",
        Action: ["ec2:CreateSecurityGroup"],
        Resource: [`${ec2}:vpc/${vpcId}`, `${ec2}:security-group/*`],
      },
      {
        Sid: "TagNewSecurityGroups",
        Effect: "Allow",
        Action: ["ec2:CreateTags"],
        Resource: `${ec2}:security-group/*`,
        Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup", ...tagging } },
      },
      {
        Sid: "ManageThisClustersSecurityGroups",
        Effect: "Allow",
        Action: [
          "ec2:CreateTags",
          "ec2:DeleteTags",
          "ec2:AuthorizeSecurityGroupIngress",
          "ec2:RevokeSecurityGroupIngress",
          "ec2:DeleteSecurityGroup",
        ],
        Resource: `${ec2}:security-group/*`,
        Condition: { StringEquals: ours },
      },
      {
        // The nodes' and pods' groups (the cluster's own, not tagged by the controller) get the rule
        // that admits the NLB's group: allowed only in this VPC.
        Sid: "BackendRulesInThisVpc",
        Effect: "Allow",
        Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
        Resource: `${ec2}:security-group/*`,
        Condition: { StringEquals: { "ec2:Vpc": `${ec2}:vpc/${vpcId}` } },
      },
      {
        Sid: "CreateThisClustersLoadBalancers",
        Effect: "Allow",
        Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
        Resource: "*",
        Condition: { StringEquals: tagging },
      },
      {
        Sid: "TagOnCreate",
        Effect: "Allow",
        Action: ["elasticloadbalancing:AddTags"],
        Resource: [`${elb}:targetgroup/*/*`, `${elb}:loadbalancer/net/*/*`, `${elb}:listener/net/*/*/*`],
        Condition: {
          StringEquals: {
            "elasticloadbalancing:CreateAction": [
              "CreateTargetGroup",
              "CreateLoadBalancer",
              "CreateListener",
            ],
          },
        },
      },
      {
        Sid: "ManageThisClustersLoadBalancers",
        Effect: "Allow",
        Action: [
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
        ],
        Resource: [`${elb}:targetgroup/*/*`, `${elb}:loadbalancer/net/*/*`],
        Condition: { StringEquals: ours },
      },
      {
        // Listeners carry no tag conditions in ELB's authorization: limited to NLBs of this account.
        Sid: "ListenersOfNetworkLoadBalancers",
        Effect: "Allow",
        Action: [
          "elasticloadbalancing:CreateListener",
          "elasticloadbalancing:DeleteListener",
          "elasticloadbalancing:ModifyListener",
          "elasticloadbalancing:ModifyListenerAttributes",
        ],
        Resource: [`${elb}:loadbalancer/net/*/*`, `${elb}:listener/net/*/*/*`, `${elb}:targetgroup/*/*`],
      },
      {
        Sid: "TagListeners",
        Effect: "Allow",
        Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
        Resource: `${elb}:listener/net/*/*/*`,
      },
    ],
  };
}
