import type * as eks from "@pulumi/aws/eks";
import * as pulumi from "@pulumi/pulumi";
import { renderKubeconfig } from "../../kit";

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
