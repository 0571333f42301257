// Kubernetes RBAC: no cluster-admin bindings, no wildcards, no reading secrets, no bind, escalate
// or impersonate, no pod creation or exec, none of the CIS-listed sensitive resources (persistent
// volumes, node proxy, CSR approval, admission webhooks, token requests), no bindings to
// system:masters, anonymous or unauthenticated users or the default service account. Roles,
// ClusterRoles and their bindings in every API version, patches and lists included. The roles
// of the library's own add-ons (Kueue's controller rotates its webhook certificates, so it edits
// its webhook configurations and its certificate Secret) pass by identity: declared under the
// add-on's component, with the add-on's kind, name and namespace and exactly its rules.
import {
  family,
  get,
  isAbsent,
  isFalse,
  isUnknown,
  k8s,
  LIBRARY,
  list,
  type Props,
  resourceRule,
  show,
  strings,
} from "../kit";

const RBAC = "rbac.authorization.k8s.io";
const ROLE = k8s(RBAC, "Role");
const CLUSTER_ROLE = k8s(RBAC, "ClusterRole");
const ROLE_BINDING = k8s(RBAC, "RoleBinding");
const CLUSTER_ROLE_BINDING = k8s(RBAC, "ClusterRoleBinding");
const ROLES = [ROLE, CLUSTER_ROLE];
const BINDINGS = [ROLE_BINDING, CLUSTER_ROLE_BINDING];

/** One policy rule of a Role or ClusterRole. */
interface PolicyRule {
  at: string;
  groups: string[];
  resources: string[];
  verbs: string[];
  names: string[];
}

function policyRules(props: Props): PolicyRule[] {
  return list(props.rules).map((r, i) => ({
    at: `rules[${i}]`,
    groups: strings(get(r, "apiGroups")),
    resources: strings(get(r, "resources")).map((x) => x.toLowerCase()),
    verbs: strings(get(r, "verbs")).map((x) => x.toLowerCase()),
    names: strings(get(r, "resourceNames")),
  }));
}

/** Whether a rule grants one of `verbs` on `resource` of `group` (wildcards included). */
function grants(r: PolicyRule, group: string, resource: string, verbs: readonly string[]): boolean {
  const groupOk = r.groups.includes("*") || r.groups.includes(group);
  const resourceOk =
    r.resources.includes("*") ||
    r.resources.includes(resource) ||
    (resource.includes("/") && r.resources.includes(`${resource.split("/")[0]}/*`));
  const verbOk = r.verbs.includes("*") || verbs.some((v) => r.verbs.includes(v));
  return groupOk && resourceOk && verbOk;
}

/** JSON with keys sorted, so two spellings of one value compare equal. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Props).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

const ADDON_ROLES = LIBRARY.addonRoles.map((r) => ({ ...r, rulesJson: canonicalJson(r.rules) }));

type RoleContext = Parameters<Parameters<typeof resourceRule>[0]["check"]>[0];

/**
 * The library add-on this role belongs to, when the library declared it: under the add-on's
 * component, of its kind, name and namespace, with exactly the rules the library renders. A role
 * that only borrows the name, or adds one rule, is judged like any other.
 */
export function libraryAddonRole(ctx: Pick<RoleContext, "type" | "declaredUnder" | "props">) {
  const name = get(ctx.props, "metadata.name");
  const namespace = get(ctx.props, "metadata.namespace");
  return ADDON_ROLES.find(
    (r) =>
      ctx.declaredUnder.includes(r.component) &&
      ctx.type.endsWith(`:${r.kind}`) &&
      name === r.name &&
      (namespace ?? undefined) === ("namespace" in r ? r.namespace : undefined) &&
      canonicalJson(ctx.props.rules) === r.rulesJson,
  );
}

/** A rule over the rules of Roles and ClusterRoles, each known rule judged. */
function roleCheck(judge: (r: PolicyRule, report: (m: string) => void) => void) {
  return (ctx: RoleContext) => {
    if (libraryAddonRole(ctx)) return;
    const rules = ctx.props.rules;
    if (!ctx.known(isUnknown(rules) ? rules : undefined, "rules")) return;
    // Each rule whose inputs are known is judged; an unknown one is left to the update.
    const raw = list(rules);
    for (const r of policyRules(ctx.props)) {
      const i = Number(r.at.slice("rules[".length, -1));
      if (ctx.known(raw[i], r.at)) judge(r, ctx.report);
    }
  };
}

export const k8sRbacNoWildcards = resourceRule({
  name: "k8s-rbac-no-wildcards",
  description:
    'No Role or ClusterRole rule uses "*" for API groups, resources or verbs: a wildcard grants what is added to the API later, custom resources included.',
  remediation: "List the API groups, resources and verbs the subject needs.",
  benchmarks: [
    "cis-k8s:5.1.3",
    "cis-eks:4.1.3",
    "cis-aks:4.1.3",
    "checkov:CKV_K8S_49",
    "kics:6b896afb-ca07-467a-b256-1a0077a1c08e",
  ],
  enforcementLevel: "mandatory",
  types: ROLES,
  check: roleCheck((r, report) => {
    const wild = [
      r.groups.includes("*") ? "apiGroups" : undefined,
      r.resources.includes("*") ? "resources" : undefined,
      r.verbs.includes("*") ? "verbs" : undefined,
    ].filter((x): x is string => x !== undefined);
    if (wild.length > 0) report(`${r.at} uses "*" in ${wild.join(", ")}; list what the subject needs`);
  }),
});

export const k8sRbacSecretsAccess = resourceRule({
  name: "k8s-rbac-secrets-access",
  description:
    "No Role or ClusterRole lets its subjects read Secrets (get, list or watch on secrets, directly or through a wildcard): list and watch return every Secret's data, and reading a service account's token secret is acting as it.",
  remediation:
    "Mount the Secrets a workload needs; grant get on named Secrets (resourceNames) only where a controller must read one.",
  benchmarks: [
    "cis-k8s:5.1.2",
    "cis-eks:4.1.2",
    "cis-aks:4.1.2",
    "kics:b7bca5c4-1dab-4c2c-8cbe-3050b9d59b14",
    "kics:056ac60e-fe07-4acc-9b34-8e1d51716ab9",
  ],
  enforcementLevel: "mandatory",
  types: ROLES,
  check: roleCheck((r, report) => {
    if (!grants(r, "", "secrets", ["get", "list", "watch"])) return;
    // get on named Secrets reads only those; list and watch ignore resourceNames.
    const broad = r.names.length === 0 || r.verbs.some((v) => v === "list" || v === "watch" || v === "*");
    if (broad)
      report(
        `${r.at} lets its subjects read ${r.names.length ? "every" : "all"} Secrets (${r.verbs.join(", ")}); grant get on named Secrets only`,
      );
  }),
});

export const k8sRbacNoEscalationVerbs = resourceRule({
  name: "k8s-rbac-no-escalation-verbs",
  description:
    "No Role or ClusterRole grants bind, escalate or impersonate: they let a subject grant itself, or act as, roles and users beyond its own.",
  remediation: "Remove bind, escalate and impersonate; grant roles through the platform's own bindings.",
  benchmarks: [
    "cis-k8s:5.1.8",
    "cis-eks:4.1.8",
    "cis-aks:4.1.7",
    "checkov:CKV_K8S_157",
    "checkov:CKV_K8S_158",
  ],
  enforcementLevel: "mandatory",
  types: ROLES,
  check: roleCheck((r, report) => {
    const found = ["bind", "escalate", "impersonate"].filter(
      (v) =>
        r.verbs.includes(v) ||
        (r.verbs.includes("*") &&
          (r.resources.includes("*") ||
            ["roles", "clusterroles", "users", "groups", "serviceaccounts"].some((x) =>
              r.resources.includes(x),
            ))),
    );
    if (found.length > 0)
      report(`${r.at} grants ${found.join(", ")} on ${r.resources.join(", ") || "nothing"}; remove them`);
  }),
});

export const k8sRbacPodCreation = resourceRule({
  name: "k8s-rbac-pod-creation",
  description:
    "No Role or ClusterRole lets its subjects create pods or exec, attach or port-forward into them: a pod can mount any Secret and run as any ServiceAccount of its namespace.",
  remediation:
    "Let controllers (Deployments, Jobs) create pods; give people read access and use ephemeral debug containers under audit.",
  benchmarks: [
    "cis-k8s:5.1.4",
    "cis-eks:4.1.4",
    "cis-aks:4.1.4",
    "kics:592ad21d-ad9b-46c6-8d2d-fad09d62a942",
  ],
  enforcementLevel: "mandatory",
  types: ROLES,
  check: roleCheck((r, report) => {
    const found = [
      grants(r, "", "pods", ["create"]) ? "create pods" : undefined,
      ...["pods/exec", "pods/attach", "pods/portforward"].map((sub) =>
        grants(r, "", sub, ["create", "get"]) ? sub : undefined,
      ),
    ].filter((x): x is string => x !== undefined);
    if (found.length > 0) report(`${r.at} grants ${found.join(", ")}; let controllers create pods`);
  }),
});

/** The resources CIS lists as sensitive, the verbs that matter and their ids. */
const SENSITIVE: readonly { group: string; resource: string; verbs: string[]; what: string }[] = [
  {
    group: "",
    resource: "persistentvolumes",
    verbs: ["create"],
    what: "create PersistentVolumes (a hostPath volume is the node)",
  },
  {
    group: "",
    resource: "nodes/proxy",
    verbs: ["get", "create"],
    what: "the nodes/proxy sub-resource (the kubelet API)",
  },
  {
    group: "certificates.k8s.io",
    resource: "certificatesigningrequests/approval",
    verbs: ["update", "patch"],
    what: "approve CertificateSigningRequests",
  },
  {
    group: "admissionregistration.k8s.io",
    resource: "validatingwebhookconfigurations",
    verbs: ["create", "update", "patch", "delete"],
    what: "change validating admission webhooks",
  },
  {
    group: "admissionregistration.k8s.io",
    resource: "mutatingwebhookconfigurations",
    verbs: ["create", "update", "patch", "delete"],
    what: "change mutating admission webhooks",
  },
  { group: "", resource: "serviceaccounts/token", verbs: ["create"], what: "create service account tokens" },
];

export const k8sRbacSensitiveResources = resourceRule({
  name: "k8s-rbac-sensitive-resources",
  description:
    "No Role or ClusterRole grants what CIS lists as cluster-takeover paths: creating PersistentVolumes, the nodes/proxy sub-resource, approving CertificateSigningRequests, changing admission webhooks, creating service account tokens.",
  remediation: "Leave these to the platform's own controllers; grant none of them to workloads or people.",
  benchmarks: [
    "cis-k8s:5.1.9",
    "cis-k8s:5.1.10",
    "cis-k8s:5.1.11",
    "cis-k8s:5.1.12",
    "cis-k8s:5.1.13",
    "cis-eks:4.1.9",
    "cis-eks:4.1.10",
    "cis-eks:4.1.11",
    "cis-eks:4.1.12",
    "cis-aks:4.1.8",
    "cis-aks:4.1.9",
    "cis-aks:4.1.10",
    "cis-aks:4.1.11",
    "cis-aks:4.1.12",
    "checkov:CKV_K8S_155",
    "checkov:CKV_K8S_156",
  ],
  enforcementLevel: "mandatory",
  types: ROLES,
  check: roleCheck((r, report) => {
    const found = SENSITIVE.filter((s) => grants(r, s.group, s.resource, s.verbs)).map((s) => s.what);
    if (found.length > 0) report(`${r.at} lets its subjects ${found.join("; ")}; remove it`);
  }),
});

/** A binding's subjects and role, normalised. */
function bindingOf(props: Props) {
  return {
    role: { kind: get(props, "roleRef.kind"), name: get(props, "roleRef.name") },
    subjects: list(props.subjects).map((s, i) => ({
      at: `subjects[${i}]`,
      kind: get(s, "kind"),
      name: get(s, "name"),
      namespace: get(s, "namespace"),
    })),
  };
}

/**
 * The labels of the built-in ClusterRoles that hold administration (as the API server's RBAC
 * bootstrap policy writes them): an aggregationRule whose selectors match one of them copies its
 * rules into the aggregating role, which is then that role under another name.
 */
const BUILT_IN_ADMIN_LABELS: readonly { role: string; labels: Readonly<Record<string, string>> }[] = [
  { role: "cluster-admin", labels: { "kubernetes.io/bootstrapping": "rbac-defaults" } },
  { role: "admin", labels: { "kubernetes.io/bootstrapping": "rbac-defaults" } },
  {
    role: "edit",
    labels: { "kubernetes.io/bootstrapping": "rbac-defaults", [`${RBAC}/aggregate-to-admin`]: "true" },
  },
  {
    role: "system:aggregate-to-admin",
    labels: { "kubernetes.io/bootstrapping": "rbac-defaults", [`${RBAC}/aggregate-to-admin`]: "true" },
  },
  {
    role: "system:aggregate-to-edit",
    labels: { "kubernetes.io/bootstrapping": "rbac-defaults", [`${RBAC}/aggregate-to-edit`]: "true" },
  },
];

/** Whether a label selector matches `labels` (an empty selector matches every object). */
function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const matchLabels = get(selector, "matchLabels");
  for (const [k, v] of Object.entries(
    matchLabels !== null && typeof matchLabels === "object" ? (matchLabels as Props) : {},
  ))
    if (labels[k] !== v) return false;
  for (const e of list(get(selector, "matchExpressions"))) {
    const key = String(get(e, "key"));
    const values = strings(get(e, "values"));
    const has = key in labels;
    const operator = String(get(e, "operator"));
    if (operator === "In" && !(has && values.includes(labels[key] ?? ""))) return false;
    if (operator === "NotIn" && has && values.includes(labels[key] ?? "")) return false;
    if (operator === "Exists" && !has) return false;
    if (operator === "DoesNotExist" && has) return false;
  }
  return true;
}

export const k8sRbacNoClusterAdmin = resourceRule({
  name: "k8s-rbac-no-cluster-admin",
  description:
    "No binding grants the cluster-admin ClusterRole, no ClusterRoleBinding grants admin or edit cluster-wide, and no ClusterRole aggregates the rules of cluster-admin, admin or edit (an aggregationRule whose selectors match their labels, an empty selector included): cluster administration belongs to the cloud's access layer (EKS access entries, Azure RBAC), not to subjects a program binds.",
  remediation:
    "Bind a namespaced role to the namespace the subject works in, and aggregate only roles of your own labels; administer the cluster through EKS access entries or Azure Kubernetes Service RBAC roles.",
  benchmarks: [
    "cis-k8s:5.1.1",
    "cis-eks:4.1.1",
    "cis-aks:4.1.1",
    "kics:249328b8-5f0f-409f-b1dd-029f07882e11",
  ],
  enforcementLevel: "mandatory",
  types: [...BINDINGS, CLUSTER_ROLE],
  check: (ctx) => {
    if (ctx.type === CLUSTER_ROLE) {
      const selectors = get(ctx.props, "aggregationRule.clusterRoleSelectors");
      if (!ctx.known(selectors, "aggregationRule")) return;
      list(selectors).forEach((selector, i) => {
        const copied = BUILT_IN_ADMIN_LABELS.filter((b) => selects(selector, b.labels)).map((b) => b.role);
        if (copied.length > 0)
          ctx.report(
            `aggregationRule.clusterRoleSelectors[${i}] selects ${copied.join(", ")}, so this ClusterRole holds their rules under another name; list the rules it needs instead`,
          );
      });
      return;
    }
    const { role } = bindingOf(ctx.props);
    if (!ctx.known([role.kind, role.name], "roleRef")) return;
    if (role.kind === "ClusterRole" && role.name === "cluster-admin")
      ctx.report("binds the cluster-admin ClusterRole; bind a narrower, namespaced role");
    else if (
      ctx.type === CLUSTER_ROLE_BINDING &&
      role.kind === "ClusterRole" &&
      (role.name === "admin" || role.name === "edit")
    )
      ctx.report(
        `binds ClusterRole ${String(role.name)} in every namespace; bind it with a RoleBinding in the namespace needed`,
      );
  },
});

/** Subjects that mean everyone, or a group that bypasses authorization. */
const PRIVILEGED_SUBJECTS: readonly { kind: string; name: string; why: string }[] = [
  { kind: "Group", name: "system:masters", why: "bypasses RBAC entirely and cannot be revoked" },
  { kind: "Group", name: "system:unauthenticated", why: "is every anonymous request" },
  { kind: "User", name: "system:anonymous", why: "is every anonymous request" },
  { kind: "Group", name: "system:authenticated", why: "is everyone who can sign in" },
  { kind: "Group", name: "system:serviceaccounts", why: "is every service account of every namespace" },
];

export const k8sRbacNoPrivilegedSubjects = resourceRule({
  name: "k8s-rbac-no-privileged-subjects",
  description:
    "No binding names system:masters, anonymous or unauthenticated users, all authenticated users or all service accounts as a subject.",
  remediation: "Bind named users, groups of the identity provider, or one namespace's service accounts.",
  benchmarks: ["cis-k8s:5.1.7"],
  enforcementLevel: "mandatory",
  types: BINDINGS,
  check: (ctx) => {
    if (!ctx.known(ctx.props.subjects, "subjects")) return;
    for (const s of bindingOf(ctx.props).subjects) {
      const hit = PRIVILEGED_SUBJECTS.find((p) => p.kind === s.kind && p.name === s.name);
      if (hit) ctx.report(`${s.at} is ${hit.kind} ${hit.name}, which ${hit.why}; bind named subjects`);
    }
  },
});

export const k8sRbacDefaultServiceAccount = resourceRule({
  name: "k8s-rbac-default-service-account",
  description:
    "The default service account gets nothing: no binding names a namespace's default ServiceAccount, and a declared default ServiceAccount disables token automounting. Every pod that names no account runs as it.",
  remediation:
    "Create a ServiceAccount per workload and bind roles to it; set automountServiceAccountToken: false on default.",
  benchmarks: [
    "cis-k8s:5.1.5",
    "cis-eks:4.1.5",
    "cis-aks:4.1.5",
    "checkov:CKV_K8S_41",
    "checkov:CKV_K8S_42",
    "kics:1e749bc9-fde8-471c-af0c-8254efd2dee5",
  ],
  enforcementLevel: "mandatory",
  types: [...BINDINGS, k8s("core", "ServiceAccount")],
  check: (ctx) => {
    if (ctx.type === k8s("core", "ServiceAccount")) {
      if (get(ctx.props, "metadata.name") !== "default") return;
      const automount = ctx.props.automountServiceAccountToken;
      if (
        ctx.known(automount, "automountServiceAccountToken") &&
        !isFalse(automount) &&
        (ctx.judgesAbsent || !isAbsent(automount))
      )
        ctx.report(
          `the default ServiceAccount has automountServiceAccountToken ${show(automount, "default true")}; set it to false`,
        );
      return;
    }
    if (!ctx.known(ctx.props.subjects, "subjects")) return;
    for (const s of bindingOf(ctx.props).subjects)
      if (s.kind === "ServiceAccount" && s.name === "default")
        ctx.report(
          `${s.at} is the default ServiceAccount${typeof s.namespace === "string" ? ` of ${s.namespace}` : ""}, which every pod without an account runs as; bind a dedicated ServiceAccount`,
        );
  },
});

export const FAMILY = family("kubernetes-rbac", "Kubernetes RBAC", [
  k8sRbacNoWildcards,
  k8sRbacSecretsAccess,
  k8sRbacNoEscalationVerbs,
  k8sRbacPodCreation,
  k8sRbacSensitiveResources,
  k8sRbacNoClusterAdmin,
  k8sRbacNoPrivilegedSubjects,
  k8sRbacDefaultServiceAccount,
]);
