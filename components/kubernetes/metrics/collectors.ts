import { stringify } from "yaml";
import { GPU_TAINT, LABEL_POOL } from "../../facts";
import { COLLECTOR_APPS, ksmLabelsAllowlist } from "../../monitoring";
import { tolerationsFor } from "../addons/node-agent";
import {
  appLabels,
  configDigest,
  configMap,
  deployment,
  type KubeObject,
  RESTRICTED_CONTAINER,
  serviceAccount,
} from "./objects";

// The collectors the library runs in a cluster: kube-state-metrics with the placement labels let
// through, NVIDIA's DCGM exporter on the GPU pools, and each cloud's tunnel exporter.

const rule = (apiGroups: string[], resources: string[], verbs: string[]) => ({ apiGroups, resources, verbs });

/**
 * kube-state-metrics, reading only what the rules read (pods, nodes, CronJobs) and letting through
 * the labels that join them to placement: its ClusterRole lists and watches exactly those.
 */
export function renderKubeStateMetrics(namespace: string, image: string): KubeObject[] {
  const app = COLLECTOR_APPS.kubeStateMetrics;
  const labels = appLabels(app);
  return [
    serviceAccount(app, namespace, app),
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: `hybrid-ai-infra-${app}`, labels },
      rules: [
        rule([""], ["pods", "nodes"], ["list", "watch"]),
        rule(["batch"], ["cronjobs"], ["list", "watch"]),
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: `hybrid-ai-infra-${app}`, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `hybrid-ai-infra-${app}` },
      subjects: [{ kind: "ServiceAccount", name: app, namespace }],
    },
    deployment({
      name: app,
      namespace,
      app,
      serviceAccount: app,
      automountToken: true,
      container: {
        name: app,
        image,
        args: [
          "--resources=pods,nodes,cronjobs",
          `--metric-labels-allowlist=${ksmLabelsAllowlist()}`,
          "--port=8080",
          "--telemetry-port=8081",
        ],
        ports: [
          { name: "http-metrics", containerPort: 8080, protocol: "TCP" },
          { name: "telemetry", containerPort: 8081, protocol: "TCP" },
        ],
        livenessProbe: { httpGet: { path: "/livez", port: 8080 }, initialDelaySeconds: 5, timeoutSeconds: 5 },
        readinessProbe: {
          httpGet: { path: "/readyz", port: 8081 },
          initialDelaySeconds: 5,
          timeoutSeconds: 5,
        },
        resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
        securityContext: RESTRICTED_CONTAINER,
      },
    }),
  ];
}

/** Where the kubelet tells which pod holds which GPU (the exporter's Kubernetes mapping reads it). */
const POD_RESOURCES = "/var/lib/kubelet/pod-resources";

/**
 * NVIDIA's DCGM exporter on the nodes of `pools`, mapping each GPU to the pod that holds it. It runs
 * as root with SYS_ADMIN (DCGM's profiling counters need it), not privileged, next to the device
 * plugin in kube-system, which admits host paths; it never talks to the API server.
 */
export function renderDcgmExporter(
  namespace: string,
  image: string,
  pools: string[],
  taints: { key: string; value?: string; effect: string }[],
): KubeObject {
  const app = COLLECTOR_APPS.dcgmExporter;
  const labels = appLabels(app);
  const selector = { "app.kubernetes.io/name": app };
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: app, namespace, labels },
    spec: {
      selector: { matchLabels: selector },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels },
        spec: {
          nodeSelector: { "kubernetes.io/os": "linux" },
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: LABEL_POOL, operator: "In", values: [...pools].sort() }] },
                ],
              },
            },
          },
          tolerations: tolerationsFor([{ key: GPU_TAINT.key, effect: GPU_TAINT.effect }, ...taints]),
          priorityClassName: "system-node-critical",
          automountServiceAccountToken: false,
          containers: [
            {
              name: app,
              image,
              env: [
                { name: "DCGM_EXPORTER_KUBERNETES", value: "true" },
                { name: "DCGM_EXPORTER_LISTEN", value: ":9400" },
                { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
              ],
              ports: [{ name: "metrics", containerPort: 9400, protocol: "TCP" }],
              livenessProbe: {
                httpGet: { path: "/health", port: 9400 },
                initialDelaySeconds: 45,
                periodSeconds: 5,
              },
              readinessProbe: { httpGet: { path: "/health", port: 9400 }, initialDelaySeconds: 45 },
              resources: {
                requests: { cpu: "100m", memory: "128Mi" },
                limits: { cpu: "500m", memory: "512Mi" },
              },
              securityContext: {
                runAsUser: 0,
                runAsNonRoot: false,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] },
                seccompProfile: { type: "RuntimeDefault" },
              },
              volumeMounts: [{ name: "pod-resources", mountPath: POD_RESOURCES, readOnly: true }],
            },
          ],
          volumes: [{ name: "pod-resources", hostPath: { path: POD_RESOURCES, type: "Directory" } }],
        },
      },
    },
  };
}

/** One AWS tunnel the CloudWatch exporter polls: its name and AWS's outside address. */
export interface CloudwatchTunnel {
  tunnel: string;
  address: string;
}

/** The CloudWatch exporter's configuration: one static job per tunnel, named for it. */
export function cloudwatchExporterConfig(region: string, tunnels: CloudwatchTunnel[]): string {
  return stringify(
    {
      apiVersion: "v1alpha1",
      "sts-region": region,
      static: tunnels.map((t) => ({
        name: t.tunnel,
        namespace: "AWS/VPN",
        regions: [region],
        dimensions: [{ name: "TunnelIpAddress", value: t.address }],
        // TunnelState: 1 up (BGP established), 0 down; published every 5 minutes.
        metrics: [{ name: "TunnelState", statistics: ["Maximum"], period: 300, length: 300 }],
      })),
    },
    { lineWidth: 0 },
  );
}

/**
 * The CloudWatch exporter (YACE) reading AWS/VPN TunnelState, as a ServiceAccount bound to its AWS
 * role by EKS Pod Identity (CloudWatch GetMetricData only, through the VPC's monitoring endpoint).
 */
export function renderCloudwatchExporter(
  namespace: string,
  image: string,
  region: string,
  tunnels: CloudwatchTunnel[],
): KubeObject[] {
  const app = COLLECTOR_APPS.cloudwatchExporter;
  const config = cloudwatchExporterConfig(region, tunnels);
  return [
    serviceAccount(app, namespace, app),
    configMap(app, namespace, app, { "config.yml": config }),
    deployment({
      name: app,
      namespace,
      app,
      serviceAccount: app,
      automountToken: false,
      podAnnotations: { "hybrid-ai-infra.io/config-digest": configDigest(config) },
      container: {
        name: app,
        image,
        args: ["--config.file=/config/config.yml", "--listen-address=:5000", "--scraping-interval=300"],
        env: [{ name: "AWS_REGION", value: region }],
        ports: [{ name: "http", containerPort: 5000, protocol: "TCP" }],
        readinessProbe: { httpGet: { path: "/healthz", port: 5000 } },
        resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
        securityContext: RESTRICTED_CONTAINER,
        volumeMounts: [{ name: "config", mountPath: "/config", readOnly: true }],
      },
      volumes: [{ name: "config", configMap: { name: app } }],
    }),
  ];
}

/** The Azure identity azure-metrics-exporter runs as (workload identity). */
export interface AzureExporterIdentity {
  clientId: string;
  tenantId: string;
}

/**
 * azure-metrics-exporter, probed by the scraper for the VPN gateway's BGP peer status, running as
 * a ServiceAccount federated with a managed identity that may read the gateway's metrics only. It
 * calls Azure Resource Manager (management.azure.com) and Entra ID: public, authenticated
 * endpoints, the one path of the collection that is not private (see docs/monitoring.md).
 */
export function renderAzureMetricsExporter(
  namespace: string,
  image: string,
  identity: AzureExporterIdentity,
): KubeObject[] {
  const app = COLLECTOR_APPS.azureMetricsExporter;
  return [
    serviceAccount(app, namespace, app, {
      "azure.workload.identity/client-id": identity.clientId,
      "azure.workload.identity/tenant-id": identity.tenantId,
    }),
    deployment({
      name: app,
      namespace,
      app,
      serviceAccount: app,
      // The workload identity webhook projects its own token; the API server's is not needed.
      automountToken: false,
      podLabels: { "azure.workload.identity/use": "true" },
      container: {
        name: app,
        image,
        args: ["--server.bind=:8080"],
        ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
        readinessProbe: { httpGet: { path: "/readyz", port: 8080 } },
        resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
        securityContext: RESTRICTED_CONTAINER,
      },
    }),
  ];
}
