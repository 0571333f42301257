import { namespaceOf } from "./render";
import { serviceAccountOf } from "./services";
import type { WorkloadSpec } from "./spec";

/** A problem of one workload of the catalog: its index and field, and what is wrong. */
export interface CatalogIssue {
  path: [number, string];
  message: string;
}

/** Objects every namespace the library creates holds (render.ts): their names are taken. */
const NAMESPACE_OBJECTS = ["default-deny", "allow-dns", "placement"];

/**
 * The names of the objects one workload puts in its namespace. `PlacedWorkloads` names each
 * Pulumi resource `<component>-<target>-<kind>-<namespace>-<object>`: two pairs of namespace and
 * object whose joined names agree (`a-b`/`c` and `a`/`b-c`) would be one resource declared twice.
 */
function objectNames(w: WorkloadSpec): string[] {
  return [...new Set([w.name, `allow-${w.name}`, `ranks-${w.name}`, serviceAccountOf(w)])];
}

/**
 * What only the whole catalog shows: two workloads of one namespace running as one service
 * account (each account is bound to its workload's own data, so sharing it would hand one
 * workload the other's access, and declare the account twice); `default`, which every namespace
 * already has (pulumi-kubernetes 4.29 and later refuses to create an object that exists, and the
 * library must never delete it); and objects whose resource names would collide.
 */
export function catalogIssues(workloads: readonly WorkloadSpec[]): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  const accounts = new Map<string, number>();
  const secrets = new Map<string, number>();
  const joined = new Map<string, { namespace: string; object: string; index: number }>();
  workloads.forEach((w, i) => {
    const ns = namespaceOf(w);
    const account = serviceAccountOf(w);
    if (w.serviceAccountName === "default")
      issues.push({
        path: [i, "serviceAccountName"],
        message:
          '"default" is the service account every namespace already has; the library creates and deletes the accounts it names, so name the workload\'s own (or leave it out)',
      });
    if (ns.startsWith("kube-"))
      issues.push({
        path: [i, w.namespace ? "namespace" : "owner"],
        message: `"${ns}" is a namespace of Kubernetes itself; run workloads in a team namespace`,
      });
    const key = `${ns}/${account}`;
    const first = accounts.get(key);
    if (first !== undefined) {
      const other = workloads[first];
      issues.push({
        path: [i, w.serviceAccountName ? "serviceAccountName" : "name"],
        message: `runs as "${account}" in namespace "${ns}", as workloads[${first}] (${other?.name}) does; each workload has its own service account, bound to its own data: name another`,
      });
    } else accounts.set(key, i);
    (w.secrets ?? []).forEach((secret) => {
      const key = `${ns}/${secret.name}`;
      const first = secrets.get(key);
      if (first !== undefined && first !== i)
        issues.push({
          path: [i, "secrets"],
          message: `declares Secret "${secret.name}" in namespace "${ns}", as workloads[${first}] (${workloads[first]?.name}) does; one ExternalSecret per Secret: name another`,
        });
      else secrets.set(key, i);
    });
    for (const object of [...objectNames(w), ...NAMESPACE_OBJECTS]) {
      const key = `${ns}-${object}`;
      const seen = joined.get(key);
      if (seen && (seen.namespace !== ns || seen.object !== object))
        issues.push({
          path: [i, w.namespace ? "namespace" : "owner"],
          message: `namespace "${ns}" with object "${object}" and namespace "${seen.namespace}" with "${seen.object}" (workloads[${seen.index}]) make the same resource name "${key}"; rename one namespace or workload`,
        });
      else if (!seen) joined.set(key, { namespace: ns, object, index: i });
    }
  });
  return issues;
}
