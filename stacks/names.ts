// The two projects' names: config keys are `<project>:<key>`, and the cluster phase finds the
// platform stack by the platform project's name.

/** The platform phase (root `Pulumi.yaml`). Its name is part of every cloud resource's URN: never rename it. */
export const PROJECT = "hybrid-ai-infra";

/** The cluster phase (`stacks/cluster/Pulumi.yaml`). */
export const CLUSTER_PROJECT = "hybrid-ai-infra-cluster";
