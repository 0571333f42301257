import type * as pulumi from "@pulumi/pulumi";
import type { Common } from "../../kit";
import type { AwsContext } from "../context";

/**
 * What every child of an `AwsPrivateCluster` is declared with: the component name (child names
 * derive from it), the component itself as parent, the EKS cluster name (for descriptions and the
 * log group), the resolved common args and the AWS context of the component's provider.
 */
export interface ClusterScope {
  readonly name: string;
  readonly parent: pulumi.Resource;
  readonly clusterName: string;
  readonly common: Common;
  readonly ctx: AwsContext;
}
