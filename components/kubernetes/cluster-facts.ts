import { z } from "zod";
import { labelKeySchema, labelValueSchema } from "../facts";
import type { PlacementResult } from "../placement";
import { type ConfigIssue, dnsLabelSchema } from "../validation";
import { identityAccountOf } from "./services";
import type { WorkloadSpec } from "./spec";

/**
 * CNI plugins and whether they enforce Kubernetes NetworkPolicy. A plugin that does not accepts
 * every NetworkPolicy and ignores it: the namespace's default-deny, and every allowance, do nothing.
 * Sources: Calico, Cilium, Antrea, kube-router, Kube-OVN and Weave Net implement the API; flannel
 * does not (flannel's docs; Canal is flannel networking with Calico's policy); kubespray's
 * `macvlan` plugin attaches pods to the host network segment with no policy engine.
 */
export const CNI_PLUGINS = {
  calico: { enforcesNetworkPolicy: true },
  canal: { enforcesNetworkPolicy: true },
  cilium: { enforcesNetworkPolicy: true },
  antrea: { enforcesNetworkPolicy: true },
  "kube-router": { enforcesNetworkPolicy: true },
  "kube-ovn": { enforcesNetworkPolicy: true },
  weave: { enforcesNetworkPolicy: true },
  flannel: { enforcesNetworkPolicy: false },
  macvlan: { enforcesNetworkPolicy: false },
} as const satisfies Record<string, { enforcesNetworkPolicy: boolean }>;

/** A CNI plugin of the table. */
export type CniName = keyof typeof CNI_PLUGINS;
const CNI_NAMES = Object.keys(CNI_PLUGINS) as [CniName, ...CniName[]];

/**
 * CoreDNS as kubeadm, kubespray, EKS and AKS deploy it: pods labelled `k8s-app: kube-dns` in
 * kube-system (kubespray: roles/kubernetes-apps/ansible/templates/coredns-deployment.yml.j2).
 */
export const COREDNS_DEFAULT = { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } } as const;

/**
 * kubespray's node-local DNS cache: a hostNetwork DaemonSet listening on this link-local address,
 * which kubelet hands every pod as its only resolver when `enable_nodelocaldns` is on (the default;
 * roles/kubespray_defaults/defaults/main/main.yml `nodelocaldns_ip`, kubelet-config's clusterDNS).
 */
export const KUBESPRAY_NODELOCALDNS_IP = "169.254.25.10";

/**
 * The DNS server the cluster's pods query (their resolv.conf), which `allow-dns` must reach and
 * nothing more. `coredns`: cluster DNS pods, selected by namespace and labels. `nodelocaldns`: a
 * node-local cache on the host network (kubespray's), reached by its address alone: it listens on
 * the node, so no pod selector matches it, and it forwards to CoreDNS from the host, outside pod
 * policies.
 */
export type ClusterDns =
  | {
      /** Cluster DNS pods (CoreDNS, kube-dns). */
      kind: "coredns";
      /** Their namespace; default kube-system. */
      namespace?: string;
      /** Their pod labels; default `k8s-app: kube-dns`. */
      labels?: Record<string, string>;
    }
  | {
      /** A node-local cache on the host network. */
      kind: "nodelocaldns";
      /** The address it listens on; default kubespray's 169.254.25.10. */
      address?: string;
    };

/**
 * How workloads' `secrets` reach their pods on a cluster. `external-secrets` (default): an
 * ExternalSecret per secret, which the cluster's External Secrets Operator syncs into a Secret.
 * `secrets-store-csi`: the Secrets Store CSI driver mounts the vault's object into the pod, through
 * a SecretProviderClass per secret, with the pod's own cloud identity (no Secret object exists).
 */
export type ClusterSecrets =
  | { /** External Secrets Operator. */ driver: "external-secrets" }
  | {
      /** Secrets Store CSI driver with AWS's provider (Secrets Manager or Parameter Store). */
      driver: "secrets-store-csi";
      provider: "aws";
      /** Where the objects live: `secretsmanager` (default) or `ssmparameter`. */
      objectType?: "secretsmanager" | "ssmparameter";
      /** Their region; default the node's `topology.kubernetes.io/region` label. */
      region?: string;
      /** How the provider acts as the pod: EKS Pod Identity (default), or IRSA (the ServiceAccount's `eks.amazonaws.com/role-arn`). */
      identity?: "pod-identity" | "irsa";
    }
  | {
      /** Secrets Store CSI driver with Azure's provider (Key Vault). */
      driver: "secrets-store-csi";
      provider: "azure";
      /** The Key Vault holding the secrets. */
      keyvaultName: string;
      /** Its Entra ID tenant. */
      tenantId: string;
      /**
       * Client ID of the managed identity that reads the vault, federated with the workload's
       * ServiceAccount; default the workload's own (its ServiceAccount's
       * `azure.workload.identity/client-id` annotation).
       */
      clientID?: string;
    };

/** What the library must know of a cluster it did not build (an on-premises cluster, stated in config). */
export interface ClusterFacts {
  /**
   * Namespaces that exist already: never created, adopted or deleted. Their labels are not the
   * library's (Pod Security is the cluster's), no quota is set (it would count pods the library
   * does not own), and the namespace's baseline policies select only the library's pods.
   */
  existingNamespaces?: readonly string[] | undefined;
  /** The CNI plugin; where it does not enforce NetworkPolicy, restricted data is refused here. Unstated: trusted to enforce. */
  cni?: CniName | undefined;
  /** The DNS the pods query; default CoreDNS in kube-system (`k8s-app: kube-dns`). */
  dns?: ClusterDns | undefined;
  /** How workloads' secrets reach their pods; default the External Secrets Operator. */
  secrets?: ClusterSecrets | undefined;
}

const ipv4 = z.ipv4({ error: "is not an IPv4 address such as 169.254.25.10" });

/** The zod schema of `ClusterDns`. */
export const clusterDnsSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("coredns"),
    namespace: dnsLabelSchema.optional(),
    labels: z
      .record(labelKeySchema, labelValueSchema)
      .refine((l) => Object.keys(l).length > 0, "is empty; an empty selector would allow every pod")
      .optional(),
  }),
  z.strictObject({ kind: z.literal("nodelocaldns"), address: ipv4.optional() }),
]);

const uuid = (what: string) => z.uuid({ error: `is not ${what} (a GUID)` });

/** The zod schema of `ClusterSecrets`. */
export const clusterSecretsSchema = z.union([
  z.strictObject({ driver: z.literal("external-secrets") }),
  z.strictObject({
    driver: z.literal("secrets-store-csi"),
    provider: z.literal("aws"),
    objectType: z.enum(["secretsmanager", "ssmparameter"]).optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "is not an AWS region such as eu-west-1")
      .optional(),
    identity: z.enum(["pod-identity", "irsa"]).optional(),
  }),
  z.strictObject({
    driver: z.literal("secrets-store-csi"),
    provider: z.literal("azure"),
    // Key Vault names: 3-24 characters, letters, digits and dashes, starting with a letter.
    keyvaultName: z
      .string()
      .regex(
        /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/,
        "is not a Key Vault name (3-24 letters, digits, dashes)",
      ),
    tenantId: uuid("an Entra ID tenant ID"),
    clientID: uuid("a managed identity's client ID").optional(),
  }),
]);

/** The zod schema of `ClusterFacts`, shared with the stack config. */
export const clusterFactsShape = {
  existingNamespaces: z.array(dnsLabelSchema).optional(),
  cni: z.enum(CNI_NAMES, { error: `is not a CNI plugin of the table: ${CNI_NAMES.join(", ")}` }).optional(),
  dns: clusterDnsSchema.optional(),
  secrets: clusterSecretsSchema.optional(),
};

/** The egress peers `allow-dns` allows: the DNS the cluster's pods query, and nothing else. */
export function dnsPeers(dns: ClusterDns | undefined): (
  | {
      namespaceSelector: { matchLabels: Record<string, string> };
      podSelector: { matchLabels: Record<string, string> };
    }
  | { ipBlock: { cidr: string } }
)[] {
  if (dns?.kind === "nodelocaldns")
    return [{ ipBlock: { cidr: `${dns.address ?? KUBESPRAY_NODELOCALDNS_IP}/32` } }];
  return [
    {
      namespaceSelector: {
        matchLabels: { "kubernetes.io/metadata.name": dns?.namespace ?? COREDNS_DEFAULT.namespace },
      },
      podSelector: { matchLabels: { ...(dns?.labels ?? COREDNS_DEFAULT.labels) } },
    },
  ];
}

/** The egress rule to the cluster's DNS on 53/UDP and 53/TCP: every namespace's `allow-dns`. */
export function dnsEgressRule(dns: ClusterDns | undefined): {
  to: ReturnType<typeof dnsPeers>;
  ports: { protocol: "UDP" | "TCP"; port: number }[];
} {
  return {
    to: dnsPeers(dns),
    ports: [
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ],
  };
}

/** Azure Key Vault object names: 1-127 letters, digits and dashes. */
const KEY_VAULT_OBJECT = /^[0-9a-zA-Z-]{1,127}$/;
/** AWS Secrets Manager names and SSM parameter paths: letters, digits and /_+=.@- . */
const AWS_SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/**
 * What a decision asks of the clusters it lands on that their facts rule out, by where it is fixed:
 * restricted data on a cluster whose CNI ignores NetworkPolicy; secrets a cluster's driver cannot
 * deliver. `workloadPath` names a workload's entry in the caller's catalog; `factsPath` a cluster's
 * facts in the caller's config.
 */
export function clusterFactsIssues(
  result: PlacementResult,
  workloads: readonly WorkloadSpec[],
  clusters: Readonly<Record<string, ClusterFacts | undefined>>,
  paths: { workload: (name: string) => string; facts: (target: string) => string },
  accountAnnotations: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
): ConfigIssue[] {
  const specs = new Map(workloads.map((w) => [w.name, w]));
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const a of result.assignments) {
    const w = specs.get(a.workload);
    const facts = clusters[a.target];
    const key = `${a.workload}/${a.target}`;
    if (!w || !facts || seen.has(key)) continue;
    seen.add(key);
    if (facts.cni && !CNI_PLUGINS[facts.cni].enforcesNetworkPolicy && w.classification === "restricted")
      issues.push({
        path: `${paths.facts(a.target)}.cni`,
        message: `is ${facts.cni}, which does not enforce NetworkPolicy, and restricted workload "${w.name}" is placed on ${a.target}: its namespace's default-deny would do nothing; run a CNI that enforces policy (${CNI_NAMES.filter((n) => CNI_PLUGINS[n].enforcesNetworkPolicy).join(", ")}) or keep restricted data off this cluster`,
      });
    if (facts.secrets?.driver === "secrets-store-csi")
      issues.push(...csiSecretIssues(w, a.target, facts.secrets, paths, accountAnnotations[w.name] ?? {}));
  }
  return issues;
}

function csiSecretIssues(
  w: WorkloadSpec,
  target: string,
  secrets: Extract<ClusterSecrets, { driver: "secrets-store-csi" }>,
  paths: { workload: (name: string) => string; facts: (target: string) => string },
  annotations: Readonly<Record<string, string>>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const at = (i: number, field: string) => `${paths.workload(w.name)}.secrets[${i}].${field}`;
  const driver = `${target} mounts secrets with the Secrets Store CSI driver (${paths.facts(target)}.secrets)`;
  (w.secrets ?? []).forEach((s, i) => {
    if (s.type === "registry")
      issues.push({
        path: at(i, "type"),
        message: `is registry, and ${driver}: the kubelet pulls the image before any volume is mounted, so a pull secret cannot come from the driver; use a cluster with the External Secrets Operator, or the node's registry credentials`,
      });
    else if (s.mountPath === undefined)
      issues.push({
        path: at(i, "mountPath"),
        message: `is unset (environment variables), and ${driver}, which delivers files only; give a mountPath`,
      });
    const name = secrets.provider === "azure" ? KEY_VAULT_OBJECT : AWS_SECRET_NAME;
    if (!name.test(s.remoteKey))
      issues.push({
        path: at(i, "remoteKey"),
        message: `"${s.remoteKey}" is not ${secrets.provider === "azure" ? "a Key Vault object name (1-127 letters, digits, dashes)" : "an AWS secret name or parameter path (letters, digits, /_+=.@-)"}, which ${target}'s ${secrets.provider} provider reads`,
      });
  });
  if ((w.secrets ?? []).length === 0) return issues;
  // Both providers authenticate as the pod's ServiceAccount (EKS Pod Identity, Azure workload
  // identity): the account the catalog names, or a dataset reader's own (bound to its datasets
  // alone, so its identity must also be granted the vault); any other account is bound to none.
  const account = identityAccountOf(w);
  if (!account)
    issues.push({
      path: `${paths.workload(w.name)}.serviceAccountName`,
      message: `is unset, and ${driver}, which reads the vault as the pod's ServiceAccount; name one bound to an identity that may read ${secrets.provider === "azure" ? `Key Vault ${secrets.keyvaultName}` : "the secrets"}`,
    });
  else if (
    secrets.provider === "azure" &&
    !secrets.clientID &&
    !annotations["azure.workload.identity/client-id"]
  )
    issues.push({
      path: `${paths.facts(target)}.secrets.clientID`,
      message: `is unset, and workload "${w.name}"'s ServiceAccount has no azure.workload.identity/client-id: the Azure provider needs the client ID of the identity that reads Key Vault ${secrets.keyvaultName}`,
    });
  return issues;
}
