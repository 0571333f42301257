// What each cluster runs to feed its store, rendered as plain objects: kube-state-metrics with the
// placement labels, the DCGM exporter on GPU pools only, the scraper's configuration, and network
// policies that let only the scraper in.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { ClusterMetricsArgs } from "../../components/kubernetes";
import { type KubeObject, renderClusterMetrics } from "../../components/kubernetes/internal";

const base = { apiServerCidrs: ["10.20.0.0/16"], dashboard: "{}" };
const find = (objects: KubeObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as KubeObject & Record<string, any>;

describe("a cluster's metrics collection", () => {
  it("on EKS: kube-state-metrics reading only pods, nodes and CronJobs, the placement labels let through, DCGM on the GPU pools", () => {
    const args: ClusterMetricsArgs = {
      ...base,
      site: "eks",
      collection: "amp-scraper",
      dcgmExporter: {
        pools: ["gpu-spot", "gpu"],
        taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
      },
      cloudwatchExporter: {
        region: "eu-west-1",
        tunnels: [{ tunnel: "aws-dc1-1", address: "203.0.113.40" }],
      },
      scraperCidrs: ["10.20.0.0/16"],
      endpointCidrs: ["10.20.0.0/16"],
    };
    const objects = renderClusterMetrics(args);
    const ksm = find(objects, "Deployment", "kube-state-metrics");
    expect(ksm.spec.template.spec.containers[0].args).toContain(
      "--metric-labels-allowlist=nodes=[hybrid-ai-infra.io/pool],pods=[hybrid-ai-infra.io/workload,hybrid-ai-infra.io/pool],cronjobs=[hybrid-ai-infra.io/backup]",
    );
    expect(find(objects, "ClusterRole", "hybrid-ai-infra-kube-state-metrics").rules).toEqual([
      { apiGroups: [""], resources: ["pods", "nodes"], verbs: ["list", "watch"] },
      { apiGroups: ["batch"], resources: ["cronjobs"], verbs: ["list", "watch"] },
    ]);
    const dcgm = find(objects, "DaemonSet", "dcgm-exporter");
    expect(dcgm.metadata.namespace).toBe("kube-system");
    expect(
      dcgm.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution
        .nodeSelectorTerms,
    ).toEqual([
      { matchExpressions: [{ key: "hybrid-ai-infra.io/pool", operator: "In", values: ["gpu", "gpu-spot"] }] },
    ]);
    const yace = parse(find(objects, "ConfigMap", "cloudwatch-exporter").data["config.yml"]);
    expect(yace.static).toEqual([
      expect.objectContaining({
        name: "aws-dc1-1",
        namespace: "AWS/VPN",
        dimensions: [{ name: "TunnelIpAddress", value: "203.0.113.40" }],
      }),
    ]);
    // Only the scraper's interfaces (in the VPC) reach the collectors.
    const ingress = find(objects, "NetworkPolicy", "allow-kube-state-metrics").spec.ingress;
    expect(ingress).toEqual([
      { from: [{ ipBlock: { cidr: "10.20.0.0/16" } }], ports: [{ protocol: "TCP", port: 8080 }] },
    ]);
    expect(
      find(objects, "Namespace", "hybrid-ai-infra-monitoring").metadata.labels[
        "pod-security.kubernetes.io/enforce"
      ],
    ).toBe("restricted");
    expect(
      objects.some((o) => o.kind === "ConfigMap" && o.metadata.name === "ama-metrics-prometheus-config"),
    ).toBe(false);
  });

  it("on AKS: no kube-state-metrics of its own (the add-on's), the add-on's jobs and keep list, the gateway probe", () => {
    const objects = renderClusterMetrics({
      ...base,
      site: "aks",
      collection: "azure-monitor",
      gpuOperatorExporter: true,
      azureMetricsExporter: {
        clientId: "8cd526df-0dbe-49a3-7ee3-9347491c84e8",
        tenantId: "11111111-2222-3333-4444-555555555555",
        subscriptionId: "00000000-0000-0000-0000-000000000000",
        gatewayId:
          "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/aks-vpn",
      },
    });
    expect(objects.some((o) => o.metadata.name === "kube-state-metrics")).toBe(false);
    const settings = find(objects, "ConfigMap", "ama-metrics-settings-configmap");
    expect(settings.data["default-targets-metrics-keep-list"]).toBe(
      'kubestate = "kube_pod_status_unschedulable|kube_cronjob_created|kube_cronjob_status_last_successful_time"',
    );
    const jobs = parse(
      find(objects, "ConfigMap", "ama-metrics-prometheus-config").data["prometheus-config"],
    ).scrape_configs;
    expect(jobs.map((j: { job_name: string }) => j.job_name)).toEqual([
      "dcgm-exporter-gpu-operator",
      "azure-metrics-exporter",
    ]);
    expect(jobs[1].params.metric).toEqual(["BgpPeerStatus"]);
    const exporter = find(objects, "Deployment", "azure-metrics-exporter");
    expect(exporter.spec.template.metadata.labels["azure.workload.identity/use"]).toBe("true");
    expect(find(objects, "NetworkPolicy", "allow-azure-metrics-exporter").spec.ingress[0].from).toEqual([
      {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
        podSelector: { matchLabels: { rsName: "ama-metrics" } },
      },
    ]);
  });

  it("on-premises: a Prometheus with the site's rules, writing to the store over TLS with the token file, alerting the site's Alertmanager", () => {
    const objects = renderClusterMetrics(
      {
        ...base,
        site: "dc1",
        collection: "prometheus",
        prometheus: {
          remoteWriteUrl: "https://metrics.corp.acme.eu:8443/api/v1/write",
          alertmanagerUrl: "https://alertmanager.corp.acme.eu/am",
          caPem: "-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n",
          rules: "groups: []\n",
        },
      },
      true,
    );
    const config = parse(find(objects, "ConfigMap", "prometheus-config").data["prometheus.yml"]);
    expect(config.remote_write).toEqual([
      {
        url: "https://metrics.corp.acme.eu:8443/api/v1/write",
        authorization: { credentials_file: "/etc/prometheus/store/token" },
        tls_config: { ca_file: "/etc/prometheus/store/ca.crt", min_version: "TLS12" },
      },
    ]);
    expect(config.alerting.alertmanagers).toEqual([
      { scheme: "https", path_prefix: "/am", static_configs: [{ targets: ["alertmanager.corp.acme.eu"] }] },
    ]);
    expect(config.rule_files).toEqual(["/etc/prometheus/rules/*.yml"]);
    expect(find(objects, "ConfigMap", "prometheus-rules").data["hybrid-ai-infra.yml"]).toBe("groups: []\n");
    expect(find(objects, "Secret", "prometheus-store").stringData).toEqual({
      "ca.crt": expect.stringContaining("BEGIN CERTIFICATE"),
    });
    // Out to the store's port, in from nobody.
    const policy = find(objects, "NetworkPolicy", "allow-prometheus").spec;
    expect(policy.ingress).toEqual([]);
    expect(policy.egress).toContainEqual({
      to: [{ ipBlock: { cidr: "0.0.0.0/0" } }],
      ports: [
        { protocol: "TCP", port: 8443 },
        { protocol: "TCP", port: 443 },
      ],
    });
    // cAdvisor straight from each kubelet, its certificate checked against the cluster CA: the role
    // reads nodes/metrics and never nodes/proxy, which opens the whole kubelet API (CIS 5.1.x).
    const cadvisor = config.scrape_configs.find((j: { job_name: string }) => j.job_name === "cadvisor");
    expect(cadvisor).toMatchObject({
      scheme: "https",
      metrics_path: "/metrics/cadvisor",
      tls_config: { ca_file: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt" },
      kubernetes_sd_configs: [{ role: "node" }],
    });
    expect(JSON.stringify(cadvisor)).not.toContain("proxy");
    const resources = find(objects, "ClusterRole", "hybrid-ai-infra-prometheus").rules.flatMap(
      (r: { resources?: string[] }) => r.resources ?? [],
    );
    expect(resources).toContain("nodes/metrics");
    expect(resources).not.toContain("nodes/proxy");
    expect(policy.egress).toContainEqual({
      to: [{ ipBlock: { cidr: "10.20.0.0/16" } }],
      ports: [{ protocol: "TCP", port: 10250 }],
    });
    // A changed rule file rolls the pod.
    const digest = (rules: string) =>
      find(
        renderClusterMetrics({
          ...base,
          site: "dc1",
          collection: "prometheus",
          prometheus: { remoteWriteUrl: "https://m.acme.eu/w", rules },
        }),
        "Deployment",
        "prometheus",
      ).spec.template.metadata.annotations["hybrid-ai-infra.io/config-digest"];
    expect(digest("groups: []\n")).not.toBe(digest("groups: [{name: x, rules: []}]\n"));
  });
});
