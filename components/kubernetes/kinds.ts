import { MutatingWebhookConfiguration } from "@pulumi/kubernetes/admissionregistration/v1/mutatingWebhookConfiguration";
import { ValidatingWebhookConfiguration } from "@pulumi/kubernetes/admissionregistration/v1/validatingWebhookConfiguration";
import { CustomResourceDefinition } from "@pulumi/kubernetes/apiextensions/v1/customResourceDefinition";
import { DaemonSet } from "@pulumi/kubernetes/apps/v1/daemonSet";
import { Deployment } from "@pulumi/kubernetes/apps/v1/deployment";
import { ConfigMap } from "@pulumi/kubernetes/core/v1/configMap";
import { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
import { Secret } from "@pulumi/kubernetes/core/v1/secret";
import { Service } from "@pulumi/kubernetes/core/v1/service";
import { ServiceAccount } from "@pulumi/kubernetes/core/v1/serviceAccount";
import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1/networkPolicy";
import { PodDisruptionBudget } from "@pulumi/kubernetes/policy/v1/podDisruptionBudget";
import { ClusterRole } from "@pulumi/kubernetes/rbac/v1/clusterRole";
import { ClusterRoleBinding } from "@pulumi/kubernetes/rbac/v1/clusterRoleBinding";
import { Role } from "@pulumi/kubernetes/rbac/v1/role";
import { RoleBinding } from "@pulumi/kubernetes/rbac/v1/roleBinding";
import type * as pulumi from "@pulumi/pulumi";

// The typed Pulumi resource for each kind the add-on and collector renderers emit, so each object is
// declared as its own resource (its own diff, its own URN) rather than through a YAML bundle.

/** A typed Kubernetes resource's constructor, as the renderers' plain objects feed it. */
export type KindConstructor = new (
  name: string,
  args: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions,
) => pulumi.CustomResource;

const KINDS: Record<string, KindConstructor> = {
  Namespace: Namespace as unknown as KindConstructor,
  CustomResourceDefinition: CustomResourceDefinition as unknown as KindConstructor,
  ConfigMap: ConfigMap as unknown as KindConstructor,
  Secret: Secret as unknown as KindConstructor,
  Service: Service as unknown as KindConstructor,
  ServiceAccount: ServiceAccount as unknown as KindConstructor,
  ClusterRole: ClusterRole as unknown as KindConstructor,
  ClusterRoleBinding: ClusterRoleBinding as unknown as KindConstructor,
  Role: Role as unknown as KindConstructor,
  RoleBinding: RoleBinding as unknown as KindConstructor,
  Deployment: Deployment as unknown as KindConstructor,
  DaemonSet: DaemonSet as unknown as KindConstructor,
  PodDisruptionBudget: PodDisruptionBudget as unknown as KindConstructor,
  NetworkPolicy: NetworkPolicy as unknown as KindConstructor,
  MutatingWebhookConfiguration: MutatingWebhookConfiguration as unknown as KindConstructor,
  ValidatingWebhookConfiguration: ValidatingWebhookConfiguration as unknown as KindConstructor,
};

/** The resource for `kind`; `renderer` names who rendered an unknown kind, in the error. */
export function resourceOfKind(kind: string, renderer: string): KindConstructor {
  const make = KINDS[kind];
  if (!make)
    throw new Error(
      `${renderer} renders a ${kind}, which has no typed resource in components/kubernetes/kinds.ts`,
    );
  return make;
}
