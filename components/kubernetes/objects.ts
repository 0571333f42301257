// The Kubernetes objects the renderer writes, as plain data: the API's own field names, so the
// same values go to Pulumi's typed resources and to schema validation in tests.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value: string }[];
  envFrom?: { secretRef: { name: string } }[];
  ports?: { name: string; containerPort: number; protocol: string }[];
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: {
    allowPrivilegeEscalation: boolean;
    readOnlyRootFilesystem: boolean;
    runAsNonRoot: boolean;
    capabilities: { drop: string[] };
    seccompProfile: { type: string };
  };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface PodSpec {
  nodeSelector: Record<string, string>;
  tolerations: { key: string; operator: string; value?: string; effect: string }[];
  automountServiceAccountToken: boolean;
  serviceAccountName?: string;
  securityContext: {
    runAsNonRoot: boolean;
    runAsUser: number;
    runAsGroup: number;
    fsGroup: number;
    seccompProfile: { type: string };
  };
  imagePullSecrets?: { name: string }[];
  subdomain?: string;
  topologySpreadConstraints?: {
    maxSkew: number;
    topologyKey: string;
    whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway";
    minDomains?: number;
    labelSelector: LabelSelector;
    matchLabelKeys?: string[];
  }[];
  containers: Container[];
  volumes: (
    | { name: string; emptyDir: { medium?: string; sizeLimit?: string } }
    | { name: string; secret: { secretName: string; defaultMode: number } }
    | {
        name: string;
        csi: { driver: string; readOnly: true; volumeAttributes: Record<string, string> };
      }
  )[];
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
}

export interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations: Record<string, string> };
  spec: PodSpec;
}

export interface NamespaceObject {
  apiVersion: "v1";
  kind: "Namespace";
  metadata: ObjectMeta;
}

export interface DeploymentObject {
  apiVersion: "apps/v1";
  kind: "Deployment";
  metadata: ObjectMeta;
  spec: {
    replicas: number;
    selector: LabelSelector;
    strategy: { type: "RollingUpdate"; rollingUpdate: { maxSurge: number; maxUnavailable: number } };
    template: PodTemplate;
  };
}

export interface JobObject {
  apiVersion: "batch/v1";
  kind: "Job";
  metadata: ObjectMeta;
  spec: {
    parallelism: number;
    completions: number;
    completionMode: "Indexed" | "NonIndexed";
    backoffLimit: number;
    activeDeadlineSeconds?: number;
    podFailurePolicy: {
      rules: {
        action: "Ignore" | "FailJob" | "Count";
        onPodConditions: { type: string; status: string }[];
      }[];
    };
    template: PodTemplate;
  };
}

export interface PodDisruptionBudgetObject {
  apiVersion: "policy/v1";
  kind: "PodDisruptionBudget";
  metadata: ObjectMeta;
  spec: {
    maxUnavailable: number;
    selector: LabelSelector;
    unhealthyPodEvictionPolicy: "AlwaysAllow" | "IfHealthyBudget";
  };
}

/** An External Secrets Operator ExternalSecret (external-secrets.io/v1): a Secret kept from a store. */
export interface ExternalSecretObject {
  apiVersion: "external-secrets.io/v1";
  kind: "ExternalSecret";
  metadata: ObjectMeta;
  spec: {
    secretStoreRef: { name: string; kind: "SecretStore" | "ClusterSecretStore" };
    refreshInterval: string;
    target: {
      name: string;
      creationPolicy: "Owner";
      deletionPolicy: "Retain";
      template?: { type: string };
    };
    dataFrom: { extract: { key: string } }[];
  };
}

/**
 * A Secrets Store CSI driver SecretProviderClass (secrets-store.csi.x-k8s.io/v1): which provider
 * mounts which vault objects; `parameters` are the provider's, all strings.
 */
export interface SecretProviderClassObject {
  apiVersion: "secrets-store.csi.x-k8s.io/v1";
  kind: "SecretProviderClass";
  metadata: ObjectMeta;
  spec: { provider: "aws" | "azure"; parameters: Record<string, string> };
}

export interface NetworkPolicyPeer {
  namespaceSelector?: LabelSelector;
  podSelector?: LabelSelector;
  ipBlock?: { cidr: string };
}

export interface NetworkPolicyObject {
  apiVersion: "networking.k8s.io/v1";
  kind: "NetworkPolicy";
  metadata: ObjectMeta;
  spec: {
    podSelector: LabelSelector;
    policyTypes: ("Ingress" | "Egress")[];
    ingress?: { from?: NetworkPolicyPeer[]; ports?: { protocol: string; port: number }[] }[];
    egress?: { to?: NetworkPolicyPeer[]; ports?: { protocol: string; port: number }[] }[];
  };
}

export interface ResourceQuotaObject {
  apiVersion: "v1";
  kind: "ResourceQuota";
  metadata: ObjectMeta;
  spec: { hard: Record<string, string> };
}

export interface ServiceAccountObject {
  apiVersion: "v1";
  kind: "ServiceAccount";
  metadata: ObjectMeta;
  /** Its token is not mounted by default; the cloud's identity webhook projects its own. */
  automountServiceAccountToken: false;
}

export interface ServiceObject {
  apiVersion: "v1";
  kind: "Service";
  metadata: ObjectMeta;
  spec: {
    type: "ClusterIP";
    /** "None" for a headless Service (a DNS name per pod, no virtual IP). */
    clusterIP?: "None";
    selector: Record<string, string>;
    publishNotReadyAddresses?: boolean;
    ports: { name: string; port: number; targetPort: number; protocol: string }[];
  };
}

/** A Kueue object as plain data (kueue.x-k8s.io/v1beta2). */
export interface KueueObject {
  apiVersion: "kueue.x-k8s.io/v1beta2";
  kind:
    | "ResourceFlavor"
    | "ClusterQueue"
    | "LocalQueue"
    | "WorkloadPriorityClass"
    | "AdmissionCheck"
    | "MultiKueueConfig"
    | "MultiKueueCluster";
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
  /** WorkloadPriorityClass only. */
  value?: number;
  /** WorkloadPriorityClass only. */
  description?: string;
}

/** Every kind of object the renderer writes. */
export type RenderedObject =
  | KueueObject
  | NamespaceObject
  | DeploymentObject
  | JobObject
  | ExternalSecretObject
  | SecretProviderClassObject
  | NetworkPolicyObject
  | PodDisruptionBudgetObject
  | ResourceQuotaObject
  | ServiceObject
  | ServiceAccountObject;

/** A toleration as the pod spec takes it. */
export interface Toleration {
  key?: string;
  operator: "Exists" | "Equal";
  value?: string;
  effect?: string;
}

/**
 * A node agent's DaemonSet (the NVIDIA and EFA device plugins): host paths, host network and node
 * affinity, which the placed workloads never use, so it is typed apart from them and is not a
 * `RenderedObject`.
 */
export interface DaemonSetObject {
  apiVersion: "apps/v1";
  kind: "DaemonSet";
  metadata: ObjectMeta;
  spec: {
    selector: LabelSelector;
    updateStrategy: { type: "RollingUpdate"; rollingUpdate: { maxUnavailable: number } };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        nodeSelector: Record<string, string>;
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: {
                matchExpressions: { key: string; operator: string; values?: string[] }[];
              }[];
            };
          };
        };
        tolerations: Toleration[];
        priorityClassName: string;
        automountServiceAccountToken: boolean;
        hostNetwork?: boolean;
        containers: {
          name: string;
          image: string;
          env?: { name: string; value: string }[];
          resources: { requests: Record<string, string> };
          securityContext: {
            allowPrivilegeEscalation: boolean;
            privileged?: boolean;
            capabilities?: { drop?: string[]; add?: string[] };
          };
          volumeMounts: { name: string; mountPath: string }[];
        }[];
        volumes: { name: string; hostPath: { path: string; type?: string } }[];
      };
    };
  };
}
