import type { LabelSelector, NetworkPolicyObject, ObjectMeta, ServiceAccountObject } from "../objects";

// The Kubernetes objects a data copy needs besides those placed workloads use: its configuration
// (ConfigMap), its schedule (CronJob), and pods that mount projected service-account tokens and
// Secrets. Plain data in the API's own field names, validated against the API's schema in tests.

export interface ConfigMapObject {
  apiVersion: "v1";
  kind: "ConfigMap";
  metadata: ObjectMeta;
  /** Its contents never change in place: a changed copy is a new object (Pulumi replaces it). */
  immutable: boolean;
  data: Record<string, string>;
}

export type CopyVolume =
  | { name: string; emptyDir: { sizeLimit?: string; medium?: "Memory" } }
  | {
      name: string;
      configMap: { name: string; defaultMode: number; items: { key: string; path: string }[] };
    }
  | {
      name: string;
      secret: { secretName: string; defaultMode: number; items?: { key: string; path: string }[] };
    }
  | {
      name: string;
      projected: {
        defaultMode: number;
        sources: { serviceAccountToken: { audience: string; expirationSeconds: number; path: string } }[];
      };
    };

export interface CopyPodTemplate {
  metadata: { labels: Record<string, string>; annotations: Record<string, string> };
  spec: {
    serviceAccountName: string;
    automountServiceAccountToken: false;
    restartPolicy: "Never";
    nodeSelector: Record<string, string>;
    tolerations: { key: string; operator: string; value?: string; effect: string }[];
    securityContext: {
      runAsNonRoot: true;
      runAsUser: number;
      runAsGroup: number;
      fsGroup: number;
      seccompProfile: { type: "RuntimeDefault" };
    };
    terminationGracePeriodSeconds: number;
    /** Put AWS's signing helper where the copy runs it (IAM Roles Anywhere); join the Entra certificate and its key in one file. */
    initContainers?: CopyPodTemplate["spec"]["containers"];
    containers: {
      name: string;
      image: string;
      imagePullPolicy: "IfNotPresent";
      command: string[];
      env: { name: string; value: string }[];
      resources: { requests: Record<string, string>; limits: Record<string, string> };
      securityContext: {
        allowPrivilegeEscalation: false;
        readOnlyRootFilesystem: true;
        runAsNonRoot: true;
        capabilities: { drop: string[] };
        seccompProfile: { type: "RuntimeDefault" };
      };
      volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
    }[];
    volumes: CopyVolume[];
  };
}

export interface CopyJobSpec {
  backoffLimit: number;
  activeDeadlineSeconds?: number;
  podFailurePolicy: {
    rules: { action: "Ignore" | "FailJob" | "Count"; onPodConditions: { type: string; status: string }[] }[];
  };
  template: CopyPodTemplate;
}

export interface CopyJobObject {
  apiVersion: "batch/v1";
  kind: "Job";
  metadata: ObjectMeta;
  spec: CopyJobSpec;
}

export interface CronJobObject {
  apiVersion: "batch/v1";
  kind: "CronJob";
  metadata: ObjectMeta;
  spec: {
    schedule: string;
    timeZone: string;
    concurrencyPolicy: "Forbid";
    startingDeadlineSeconds: number;
    successfulJobsHistoryLimit: number;
    failedJobsHistoryLimit: number;
    jobTemplate: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: CopyJobSpec;
    };
  };
}

export interface CopyNamespaceObject {
  apiVersion: "v1";
  kind: "Namespace";
  metadata: ObjectMeta;
}

export interface CopyQuotaObject {
  apiVersion: "v1";
  kind: "ResourceQuota";
  metadata: ObjectMeta;
  spec: { hard: Record<string, string> };
}

/** Every object of a cluster's data copies. */
export type DataCopyObject =
  | CopyNamespaceObject
  | NetworkPolicyObject
  | CopyQuotaObject
  | ServiceAccountObject
  | ConfigMapObject
  | CronJobObject
  | CopyJobObject;

export type { LabelSelector };
