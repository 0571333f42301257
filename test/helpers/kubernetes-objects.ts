// Every Kubernetes object a plan declares, checked against the Kubernetes API's schema (through
// kubernetes-models), as the API server would check it; Kueue's objects against the vendored CRDs
// of the pinned release (test/helpers/kueue-schemas.ts).
import { resolve } from "node:path";
import { MutatingWebhookConfiguration } from "kubernetes-models/admissionregistration.k8s.io/v1/MutatingWebhookConfiguration";
import { ValidatingWebhookConfiguration } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration";
import { CustomResourceDefinition } from "kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { RecordedResource } from "../../scripts/plan";
import { kueueObjectOf, kueueObjectProblems } from "./kueue-schemas";

const root = resolve(__dirname, "../..");

type Model = new (data: never) => { validate(): void };

const MODELS: Record<string, Model> = {
  "admissionregistration.k8s.io/v1:MutatingWebhookConfiguration": MutatingWebhookConfiguration,
  "admissionregistration.k8s.io/v1:ValidatingWebhookConfiguration": ValidatingWebhookConfiguration,
  "apiextensions.k8s.io/v1:CustomResourceDefinition": CustomResourceDefinition,
  "apps/v1:DaemonSet": DaemonSet,
  "apps/v1:Deployment": Deployment,
  "batch/v1:CronJob": CronJob,
  "batch/v1:Job": Job,
  "core/v1:ConfigMap": ConfigMap,
  "core/v1:Namespace": Namespace,
  "core/v1:ResourceQuota": ResourceQuota,
  "core/v1:Secret": Secret,
  "core/v1:Service": Service,
  "core/v1:ServiceAccount": ServiceAccount,
  "networking.k8s.io/v1:NetworkPolicy": NetworkPolicy,
  "policy/v1:PodDisruptionBudget": PodDisruptionBudget,
  "rbac.authorization.k8s.io/v1:ClusterRole": ClusterRole,
  "rbac.authorization.k8s.io/v1:ClusterRoleBinding": ClusterRoleBinding,
  "rbac.authorization.k8s.io/v1:Role": Role,
  "rbac.authorization.k8s.io/v1:RoleBinding": RoleBinding,
};

/** The problems of every `kubernetes:*` resource of a plan, by URN; empty when all are valid. */
export function invalidKubernetesObjects(resources: RecordedResource[]): string[] {
  const problems: string[] = [];
  for (const r of resources.filter((x) => x.type.startsWith("kubernetes:") && x.custom)) {
    const [, group = "", kind = ""] = r.type.split(":");
    if (r.type.startsWith("pulumi:providers")) continue;
    const kueue = kueueObjectOf(r.type, r.plainInputs);
    if (kueue) {
      for (const p of kueueObjectProblems(root, kueue)) problems.push(`${r.urn}: ${p}`);
      continue;
    }
    const model = MODELS[`${group}:${kind}`];
    if (!model) {
      problems.push(`${r.urn}: no schema here for ${group} ${kind}`);
      continue;
    }
    const apiVersion = group.startsWith("core/") ? group.slice("core/".length) : group;
    try {
      new model({ apiVersion, kind, ...r.plainInputs } as never).validate();
    } catch (error) {
      problems.push(`${r.urn}: ${(error as Error).message}`);
    }
  }
  return problems;
}
