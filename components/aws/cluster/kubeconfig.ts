import type * as eks from "@pulumi/aws/eks";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { childName, renderKubeconfig } from "../../pulumi-kit";
import type { ClusterScope } from "./scope";

/** A kubeconfig (secret) that holds no credential: kubectl gets short-lived tokens from `aws eks get-token`. */
export function clusterKubeconfig(cluster: eks.Cluster, region: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.secret(
    pulumi
      .all([cluster.name, cluster.endpoint, cluster.certificateAuthority, region])
      .apply(([n, server, ca, r]) =>
        renderKubeconfig({
          name: n,
          server,
          certificateAuthorityData: ca.data ?? "",
          exec: {
            command: "aws",
            args: ["--region", r, "eks", "get-token", "--cluster-name", n, "--output", "json"],
            installHint:
              "Install the AWS CLI v2 and sign in (aws sso login) with a principal that has an access entry.",
          },
        }),
      ),
  );
}

/**
 * A Kubernetes provider for the cluster. With bootstrapClusterCreatorAdminPermissions off, nobody
 * may call the API until the access entries exist: objects declared through this provider wait for
 * `access` (the cluster and its access entries).
 */
export function createKubernetesProvider(
  scope: ClusterScope,
  kubeconfig: pulumi.Input<string>,
  access: pulumi.Resource[],
): KubernetesProvider {
  return new KubernetesProvider(
    childName(scope.name, "k8s"),
    { kubeconfig, enableServerSideApply: true },
    { parent: scope.parent, dependsOn: access },
  );
}
