import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT, awsLoadBalancerControllerPolicy } from "../../facts";
import { childName } from "../../kit";
import { createServiceRole } from "../iam";
import type { ClusterScope } from "./scope";

// The AWS Load Balancer Controller on an EKS cluster: its AWS identity, created here in the platform
// phase (a role only EKS Pod Identity assumes, allowed to manage only this cluster's NLBs and their
// security groups in this VPC), and what the cluster phase needs to run it.

/** What the cluster phase needs to run the controller (`ClusterAddonsArgs.awsLoadBalancerController`). */
export interface LoadBalancerControllerAddon {
  /** EKS cluster name: the controller tags what it creates with it and manages nothing else. */
  clusterName: pulumi.Input<string>;
  /** The region and VPC, given as flags: IMDSv2 with hop limit 1 keeps pods from asking the instance. */
  region: pulumi.Input<string>;
  vpcId: pulumi.Input<string>;
}

/** Creates the controller's role and binds it to its ServiceAccount; returns the add-on's settings. */
export function createLoadBalancerControllerIdentity(
  scope: ClusterScope,
  cluster: eks.Cluster,
  vpcId: pulumi.Input<string>,
): LoadBalancerControllerAddon {
  const { name, parent, clusterName, common, ctx } = scope;
  const role = createServiceRole(childName(name, "load-balancer-controller"), parent, {
    description: `AWS Load Balancer Controller of EKS cluster ${clusterName} (EKS Pod Identity)`,
    service: "pods.eks.amazonaws.com",
    extraActions: ["sts:TagSession"],
    tags: common.tags,
  });
  const policy = new iam.RolePolicy(
    childName(name, "load-balancer-controller"),
    {
      role: role.id,
      policy: pulumi
        .all([ctx.partition, ctx.region, ctx.accountId, vpcId])
        .apply(([partition, region, accountId, vpc]) =>
          JSON.stringify(
            awsLoadBalancerControllerPolicy({ clusterName, partition, region, accountId, vpcId: vpc }),
          ),
        ),
    },
    { parent },
  );
  new eks.PodIdentityAssociation(
    childName(name, "load-balancer-controller"),
    {
      clusterName: cluster.name,
      namespace: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
      serviceAccount: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name,
      roleArn: role.arn,
      tags: common.tags,
    },
    // The controller's first call must find the policy in place.
    { parent, dependsOn: [policy] },
  );
  return { clusterName: cluster.name, region: ctx.region, vpcId };
}
