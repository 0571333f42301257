import { COLLECTOR_APPS } from "../../monitoring";
import {
  appLabels,
  configDigest,
  configMap,
  deployment,
  type KubeObject,
  RESTRICTED_CONTAINER,
  serviceAccount,
} from "./objects";

// On-premises, where no cloud offers a managed store: a Prometheus in the monitoring namespace
// that scrapes the collectors, evaluates the site's rules itself (so records and alerts do not
// depend on what the site's store can evaluate), and remote-writes everything to the store.

/** Where the rule file and the configuration are mounted. */
export const PROMETHEUS_PATHS = {
  config: "/etc/prometheus/config",
  rules: "/etc/prometheus/rules",
  data: "/prometheus",
  secret: "/etc/prometheus/store",
};

/** What the Prometheus needs: its configuration and rule file, and the store's credentials if any. */
export interface PrometheusDeployment {
  namespace: string;
  image: string;
  config: string;
  rules: string;
  /** A Secret holding `token` and/or `ca.crt` for the remote store, mounted at `PROMETHEUS_PATHS.secret`. */
  storeSecret?: string | undefined;
  /** How long samples stay locally (the store keeps them for good). */
  retention: string;
}

const rule = (apiGroups: string[], resources: string[], verbs: string[]) => ({ apiGroups, resources, verbs });

/**
 * Its ServiceAccount and ClusterRole (discover pods, nodes and Kueue's endpoints; read cAdvisor
 * from each kubelet with `nodes/metrics`; read /metrics where Kueue authorises it), its configuration
 * and rules, and a one-replica Deployment with local storage for the window its alerts look back.
 */
export function renderPrometheus(p: PrometheusDeployment): KubeObject[] {
  const app = COLLECTOR_APPS.prometheus;
  const name = `hybrid-ai-infra-${app}`;
  const labels = appLabels(app);
  return [
    serviceAccount(app, p.namespace, app),
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name, labels },
      rules: [
        rule([""], ["nodes", "pods", "endpoints", "services"], ["get", "list", "watch"]),
        rule(["discovery.k8s.io"], ["endpointslices"], ["get", "list", "watch"]),
        rule([""], ["nodes/metrics"], ["get"]),
        { nonResourceURLs: ["/metrics"], verbs: ["get"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
      subjects: [{ kind: "ServiceAccount", name: app, namespace: p.namespace }],
    },
    configMap(`${app}-config`, p.namespace, app, { "prometheus.yml": p.config }),
    configMap(`${app}-rules`, p.namespace, app, { "hybrid-ai-infra.yml": p.rules }),
    deployment({
      name: app,
      namespace: p.namespace,
      app,
      serviceAccount: app,
      automountToken: true,
      podAnnotations: { "hybrid-ai-infra.io/config-digest": configDigest(p.config, p.rules) },
      container: {
        name: app,
        image: p.image,
        args: [
          `--config.file=${PROMETHEUS_PATHS.config}/prometheus.yml`,
          `--storage.tsdb.path=${PROMETHEUS_PATHS.data}`,
          `--storage.tsdb.retention.time=${p.retention}`,
          "--web.listen-address=:9090",
        ],
        ports: [{ name: "http", containerPort: 9090, protocol: "TCP" }],
        readinessProbe: { httpGet: { path: "/-/ready", port: 9090 } },
        livenessProbe: { httpGet: { path: "/-/healthy", port: 9090 }, initialDelaySeconds: 30 },
        resources: { requests: { cpu: "200m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } },
        securityContext: RESTRICTED_CONTAINER,
        volumeMounts: [
          { name: "config", mountPath: PROMETHEUS_PATHS.config, readOnly: true },
          { name: "rules", mountPath: PROMETHEUS_PATHS.rules, readOnly: true },
          { name: "data", mountPath: PROMETHEUS_PATHS.data },
          ...(p.storeSecret ? [{ name: "store", mountPath: PROMETHEUS_PATHS.secret, readOnly: true }] : []),
        ],
      },
      volumes: [
        { name: "config", configMap: { name: `${app}-config` } },
        { name: "rules", configMap: { name: `${app}-rules` } },
        // Local samples cover the alerts' windows; the store keeps the history. A restart loses
        // the pending `for` clocks (the GPU-idle alert restarts its 4 hours).
        { name: "data", emptyDir: { sizeLimit: "20Gi" } },
        ...(p.storeSecret ? [{ name: "store", secret: { secretName: p.storeSecret } }] : []),
      ],
    }),
  ];
}
