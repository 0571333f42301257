// Kubernetes RBAC: each rule on the library's own roles (the Cluster Autoscaler's, from the prod
// plan) and on every spelling of each grant CIS names: wildcards, sub-resources, upper case,
// ClusterRoles and Roles, bindings in every API version, patches and lists.
import { describe, expect, it } from "vitest";
import { LIBRARY } from "../../policies/kit";
import {
  FAMILY,
  k8sRbacDefaultServiceAccount,
  k8sRbacNoClusterAdmin,
  k8sRbacNoEscalationVerbs,
  k8sRbacNoPrivilegedSubjects,
  k8sRbacNoWildcards,
  k8sRbacPodCreation,
  k8sRbacSecretsAccess,
  k8sRbacSensitiveResources,
} from "../../policies/rules/kubernetes-rbac";
import { type Case, ruleCases } from "./cases";
import { judge, UNKNOWN_INPUT, violations } from "./evaluate";

const ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role";
const CLUSTER_ROLE = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole";
const BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
const CLUSTER_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding";
const SA = "kubernetes:core/v1:ServiceAccount";

/** The Cluster Autoscaler's ClusterRole as the library renders it. */
const AUTOSCALER_RULES = [
  { apiGroups: [""], resources: ["events", "endpoints"], verbs: ["create", "patch"] },
  { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
  { apiGroups: [""], resources: ["pods/status"], verbs: ["update"] },
  {
    apiGroups: [""],
    resourceNames: ["cluster-autoscaler"],
    resources: ["endpoints"],
    verbs: ["get", "update"],
  },
  { apiGroups: [""], resources: ["nodes"], verbs: ["watch", "list", "get", "update"] },
  {
    apiGroups: [""],
    resources: [
      "namespaces",
      "pods",
      "services",
      "replicationcontrollers",
      "persistentvolumeclaims",
      "persistentvolumes",
    ],
    verbs: ["watch", "list", "get"],
  },
  { apiGroups: [""], resources: ["configmaps"], verbs: ["watch", "list", "get"] },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: ["watch", "list", "get"] },
  {
    apiGroups: ["apps"],
    resources: ["daemonsets", "deployments", "replicasets", "statefulsets"],
    verbs: ["watch", "list", "get"],
  },
  { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
  {
    apiGroups: ["coordination.k8s.io"],
    resourceNames: ["cluster-autoscaler"],
    resources: ["leases"],
    verbs: ["get", "update"],
  },
];
const autoscaler = { metadata: { name: "cluster-autoscaler" }, rules: AUTOSCALER_RULES };
const autoscalerRole = {
  metadata: { name: "cluster-autoscaler", namespace: "kube-system" },
  rules: [
    { apiGroups: [""], resources: ["configmaps"], verbs: ["create"] },
    {
      apiGroups: [""],
      resourceNames: ["cluster-autoscaler-status"],
      resources: ["configmaps"],
      verbs: ["delete", "get", "update"],
    },
  ],
};
const role = (...rules: Record<string, unknown>[]) => ({ metadata: { name: "r", namespace: "web" }, rules });
const binding = (roleRef: Record<string, unknown>, ...subjects: Record<string, unknown>[]) => ({
  metadata: { name: "b", namespace: "web" },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
  subjects,
});
const autoscalerBinding = binding(
  { kind: "ClusterRole", name: "cluster-autoscaler" },
  { kind: "ServiceAccount", name: "cluster-autoscaler", namespace: "kube-system" },
);

const GOOD: Case[] = [
  { name: "the autoscaler's ClusterRole", type: CLUSTER_ROLE, props: autoscaler },
  { name: "the autoscaler's Role", type: ROLE, props: autoscalerRole },
  { name: "the autoscaler's binding", type: CLUSTER_BINDING, props: autoscalerBinding },
  {
    name: "a team's view binding",
    type: BINDING,
    props: binding({ kind: "ClusterRole", name: "view" }, { kind: "Group", name: "team-web" }),
  },
];

describe("the library's own RBAC", () => {
  for (const rule of FAMILY.rules)
    it(`passes ${rule.name}`, async () => {
      for (const c of GOOD) expect(await violations(rule, c.type, c.props), c.name).toEqual([]);
    });
});

ruleCases(k8sRbacNoWildcards, [
  ...GOOD,
  {
    name: "verbs *",
    type: ROLE,
    props: role({ apiGroups: [""], resources: ["pods"], verbs: ["*"] }),
    fails: ['"*" in verbs'],
    explicit: true,
  },
  {
    name: "every group and resource",
    type: CLUSTER_ROLE,
    props: role({ apiGroups: ["*"], resources: ["*"], verbs: ["get"] }),
    fails: ["apiGroups, resources"],
    explicit: true,
  },
]);

ruleCases(k8sRbacSecretsAccess, [
  ...GOOD,
  {
    name: "get on a named Secret",
    type: ROLE,
    props: role({ apiGroups: [""], resources: ["secrets"], resourceNames: ["tls"], verbs: ["get"] }),
  },
  {
    name: "list secrets",
    type: ROLE,
    props: role({ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }),
    fails: ["read all Secrets"],
    explicit: true,
  },
  {
    name: "watch on named secrets (names do not limit watch)",
    type: CLUSTER_ROLE,
    props: role({ apiGroups: [""], resources: ["secrets"], resourceNames: ["tls"], verbs: ["get", "watch"] }),
    fails: ["read every Secrets"],
    explicit: true,
  },
  {
    name: "Secrets in capitals",
    type: ROLE,
    props: role({ apiGroups: [""], resources: ["Secrets"], verbs: ["GET"] }),
    fails: ["Secrets"],
    explicit: true,
  },
  {
    name: "a wildcard resource",
    type: CLUSTER_ROLE,
    props: role({ apiGroups: [""], resources: ["*"], verbs: ["get"] }),
    fails: ["Secrets"],
    explicit: true,
  },
  {
    name: "a wildcard verb",
    type: ROLE,
    props: role({ apiGroups: ["*"], resources: ["secrets"], verbs: ["*"] }),
    fails: ["Secrets"],
    explicit: true,
  },
]);

ruleCases(k8sRbacNoEscalationVerbs, [
  ...GOOD,
  {
    name: "bind on clusterroles",
    type: CLUSTER_ROLE,
    props: role({ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["bind"] }),
    fails: ["grants bind"],
    explicit: true,
  },
  {
    name: "escalate on roles",
    type: ROLE,
    props: role({ apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: ["Escalate"] }),
    fails: ["grants escalate"],
    explicit: true,
  },
  {
    name: "impersonate users",
    type: CLUSTER_ROLE,
    props: role({ apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"] }),
    fails: ["impersonate"],
    explicit: true,
  },
  {
    name: "* on serviceaccounts (impersonation included)",
    type: CLUSTER_ROLE,
    props: role({ apiGroups: [""], resources: ["serviceaccounts"], verbs: ["*"] }),
    fails: ["bind, escalate, impersonate"],
    explicit: true,
  },
]);

ruleCases(k8sRbacPodCreation, [
  ...GOOD,
  {
    name: "create pods",
    type: ROLE,
    props: role({ apiGroups: [""], resources: ["pods"], verbs: ["create"] }),
    fails: ["create pods"],
    explicit: true,
  },
  {
    name: "exec",
    type: ROLE,
    props: role({ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }),
    fails: ["pods/exec"],
    explicit: true,
  },
  {
    name: "pods/* (attach, port-forward)",
    type: CLUSTER_ROLE,
    props: role({ apiGroups: [""], resources: ["pods/*"], verbs: ["get"] }),
    fails: ["pods/exec, pods/attach, pods/portforward"],
    explicit: true,
  },
  {
    name: "exec in a Role with a wildcard group",
    type: ROLE,
    props: role({ apiGroups: ["*"], resources: ["pods/exec"], verbs: ["get"] }),
    fails: ["pods/exec"],
    explicit: true,
  },
]);

ruleCases(k8sRbacSensitiveResources, [
  ...GOOD,
  {
    name: "create PersistentVolumes",
    type: CLUSTER_ROLE,
    props: role({ apiGroups: [""], resources: ["persistentvolumes"], verbs: ["create"] }),
    fails: ["create PersistentVolumes"],
    explicit: true,
  },
  {
    name: "nodes/proxy",
    type: CLUSTER_ROLE,
    props: role({ apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] }),
    fails: ["nodes/proxy"],
    explicit: true,
  },
  {
    name: "CSR approval",
    type: CLUSTER_ROLE,
    props: role({
      apiGroups: ["certificates.k8s.io"],
      resources: ["certificatesigningrequests/approval"],
      verbs: ["update"],
    }),
    fails: ["approve CertificateSigningRequests"],
    explicit: true,
  },
  {
    name: "webhooks",
    type: CLUSTER_ROLE,
    props: role({
      apiGroups: ["admissionregistration.k8s.io"],
      resources: ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"],
      verbs: ["patch"],
    }),
    fails: ["validating admission webhooks; change mutating"],
    explicit: true,
  },
  {
    name: "service account tokens",
    type: ROLE,
    props: role({ apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] }),
    fails: ["create service account tokens"],
    explicit: true,
  },
]);

ruleCases(k8sRbacNoClusterAdmin, [
  ...GOOD,
  {
    name: "a ClusterRole aggregating the view role's extensions and its own labels",
    type: CLUSTER_ROLE,
    props: {
      metadata: { name: "monitoring" },
      aggregationRule: {
        clusterRoleSelectors: [
          { matchLabels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } },
          { matchLabels: { "example.com/aggregate-to-monitoring": "true" } },
        ],
      },
    },
  },
  {
    name: "a ClusterRole aggregating admin's, edit's or every role's rules (matchLabels, matchExpressions, an empty selector)",
    type: CLUSTER_ROLE,
    props: {
      metadata: { name: "team-lead" },
      aggregationRule: {
        clusterRoleSelectors: [
          { matchLabels: { "rbac.authorization.k8s.io/aggregate-to-admin": "true" } },
          {
            matchExpressions: [
              { key: "rbac.authorization.k8s.io/aggregate-to-edit", operator: "In", values: ["true"] },
            ],
          },
          {},
          { matchExpressions: [{ key: "kubernetes.io/bootstrapping", operator: "Exists" }] },
        ],
      },
    },
    fails: [
      "clusterRoleSelectors[0] selects edit, system:aggregate-to-admin",
      "clusterRoleSelectors[1] selects system:aggregate-to-edit",
      "clusterRoleSelectors[2] selects cluster-admin, admin",
      "clusterRoleSelectors[3] selects cluster-admin, admin",
    ],
    explicit: true,
  },
  {
    name: "admin in one namespace",
    type: BINDING,
    props: binding({ kind: "ClusterRole", name: "admin" }, { kind: "Group", name: "team-web" }),
  },
  {
    name: "cluster-admin cluster-wide",
    type: CLUSTER_BINDING,
    props: binding({ kind: "ClusterRole", name: "cluster-admin" }, { kind: "User", name: "alice" }),
    fails: ["binds the cluster-admin ClusterRole"],
    explicit: true,
  },
  {
    name: "cluster-admin in one namespace",
    type: BINDING,
    props: binding({ kind: "ClusterRole", name: "cluster-admin" }, { kind: "User", name: "alice" }),
    fails: ["cluster-admin"],
    explicit: true,
  },
  {
    name: "edit cluster-wide",
    type: CLUSTER_BINDING,
    props: binding({ kind: "ClusterRole", name: "edit" }, { kind: "Group", name: "devs" }),
    fails: ["binds ClusterRole edit in every namespace"],
    explicit: true,
  },
]);

ruleCases(k8sRbacNoPrivilegedSubjects, [
  ...GOOD,
  {
    name: "system:masters",
    type: CLUSTER_BINDING,
    props: binding({ kind: "ClusterRole", name: "view" }, { kind: "Group", name: "system:masters" }),
    fails: ["system:masters"],
    explicit: true,
  },
  {
    name: "anonymous and unauthenticated",
    type: BINDING,
    props: binding(
      { kind: "ClusterRole", name: "view" },
      { kind: "User", name: "system:anonymous" },
      { kind: "Group", name: "system:unauthenticated" },
    ),
    fails: ["system:anonymous", "system:unauthenticated"],
    explicit: true,
  },
  {
    name: "every signed-in user",
    type: BINDING,
    props: binding({ kind: "Role", name: "r" }, { kind: "Group", name: "system:authenticated" }),
    fails: ["everyone who can sign in"],
    explicit: true,
  },
  {
    name: "every service account",
    type: CLUSTER_BINDING,
    props: binding({ kind: "ClusterRole", name: "view" }, { kind: "Group", name: "system:serviceaccounts" }),
    fails: ["every service account"],
    explicit: true,
  },
]);

ruleCases(k8sRbacDefaultServiceAccount, [
  ...GOOD,
  {
    name: "a default account that mounts no token",
    type: SA,
    props: { metadata: { name: "default", namespace: "web" }, automountServiceAccountToken: false },
  },
  {
    name: "a workload's own account",
    type: SA,
    props: { metadata: { name: "notes-summariser", namespace: "clinical-ai" } },
  },
  {
    name: "a binding to default",
    type: BINDING,
    props: binding(
      { kind: "Role", name: "r" },
      { kind: "ServiceAccount", name: "default", namespace: "web" },
    ),
    fails: ["default ServiceAccount of web"],
    explicit: true,
  },
  {
    name: "a default account left mounting tokens",
    type: SA,
    props: { metadata: { name: "default", namespace: "web" } },
    fails: ["default true"],
  },
  {
    name: "a default account mounting tokens explicitly",
    type: SA,
    props: { metadata: { name: "default", namespace: "web" }, automountServiceAccountToken: true },
    fails: ["automountServiceAccountToken true"],
    explicit: true,
  },
]);

describe("RBAC under preview unknowns", () => {
  it("judges the known rules of a role and leaves the unknown one to the update", async () => {
    const props = role({ apiGroups: [""], resources: ["pods"], verbs: ["*"] });
    (props.rules as unknown[]).push(UNKNOWN_INPUT);
    const verdict = await judge(k8sRbacNoWildcards, ROLE, props);
    expect(verdict.violations).toHaveLength(1);
  });
  it("leaves an unknown roleRef to the update", async () => {
    const verdict = await judge(k8sRbacNoClusterAdmin, CLUSTER_BINDING, {
      roleRef: { kind: "ClusterRole", name: UNKNOWN_INPUT },
    });
    expect(verdict).toEqual({ violations: [], undecided: expect.any(String) });
  });
});

describe("the library's add-on roles, by identity", () => {
  const ADDONS =
    "urn:pulumi:prod::p::hybrid-ai-infra:index:ClusterAddons$kubernetes:rbac.authorization.k8s.io/v1";
  const OTHER = "urn:pulumi:prod::p::my:index:Team$kubernetes:rbac.authorization.k8s.io/v1";
  const manager = LIBRARY.addonRoles.find((r) => r.name === "kueue-manager-role");
  const secrets = LIBRARY.addonRoles.find((r) => r.name === "kueue-manager-secrets-role");
  const props = (r: typeof manager) => ({
    metadata: { name: r?.name, ...(r && "namespace" in r ? { namespace: r.namespace } : {}) },
    rules: r?.rules,
  });

  it("waives Kueue's manager roles, as the library renders them, only under ClusterAddons", async () => {
    expect(manager && secrets).toBeDefined();
    for (const [type, r, rule] of [
      [CLUSTER_ROLE, manager, k8sRbacSensitiveResources],
      [ROLE, secrets, k8sRbacSecretsAccess],
    ] as const) {
      const kind = type.split(":").pop();
      expect(await violations(rule, type, props(r), {}, `${ADDONS}:${kind}::dc1-kueue`)).toEqual([]);
      // The same role declared by anyone else, or with one more rule, or in another namespace, is judged.
      expect(await violations(rule, type, props(r), {}, `${OTHER}:${kind}::dc1-kueue`)).not.toEqual([]);
      const extra = {
        ...props(r),
        rules: [...(r?.rules ?? []), { apiGroups: [""], resources: ["pods"], verbs: ["get"] }],
      };
      expect(await violations(rule, type, extra, {}, `${ADDONS}:${kind}::dc1-kueue`)).not.toEqual([]);
    }
    const moved = { ...props(secrets), metadata: { name: secrets?.name, namespace: "research" } };
    expect(await violations(k8sRbacSecretsAccess, ROLE, moved, {}, `${ADDONS}:Role::dc1-kueue`)).not.toEqual(
      [],
    );
  });
});
