import type * as kms from "@pulumi/aws/kms";
import { childName } from "../../kit";
import { createKmsKey } from "../kms";
import type { ClusterScope } from "./scope";

/** The dedicated, rotating key that envelope-encrypts the cluster's Kubernetes secrets. */
export function createSecretsKey(scope: ClusterScope): kms.Key {
  return createKmsKey(childName(scope.name, "secrets"), scope.parent, scope.common, scope.ctx, {
    description: `Envelope encryption of Kubernetes secrets in EKS cluster ${scope.clusterName}`,
  }).key;
}
