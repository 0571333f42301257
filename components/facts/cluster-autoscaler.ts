// Cluster Autoscaler facts both phases read: the platform phase grants the AWS role (and binds it to
// the ServiceAccount through EKS Pod Identity), the cluster phase runs the autoscaler as it.

/** Cluster Autoscaler releases by Kubernetes minor version: the autoscaler simulates that scheduler. */
export const CLUSTER_AUTOSCALER_IMAGES: Readonly<Record<string, string>> = {
  "1.34": "registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.5",
  "1.35": "registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.2",
  "1.36": "registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.1",
};

/** The ServiceAccount the autoscaler runs as; its AWS role is bound to it through EKS Pod Identity. */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "cluster-autoscaler" };

/**
 * The least-privilege AWS policy the autoscaler's role needs (the Cluster Autoscaler AWS docs'
 * recommended policy): describe calls on any resource, and the two scaling calls only on Auto
 * Scaling groups tagged as this cluster's.
 */
export function clusterAutoscalerPolicy(clusterName: string): {
  Version: string;
  Statement: { Sid: string; Effect: "Allow"; Action: string[]; Resource: string; Condition?: unknown }[];
} {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Describe",
        Effect: "Allow",
        Action: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeLaunchConfigurations",
          "autoscaling:DescribeScalingActivities",
          "autoscaling:DescribeTags",
          "ec2:DescribeImages",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:GetInstanceTypesFromInstanceRequirements",
          "eks:DescribeNodegroup",
        ],
        Resource: "*",
      },
      {
        Sid: "ScaleThisClusterOnly",
        Effect: "Allow",
        Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        Resource: "*",
        Condition: {
          StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" },
        },
      },
    ],
  };
}
