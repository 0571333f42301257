// A cluster the library did not build (issue 24, points 2 and 10): namespaces it already has are
// never created, adopted or deleted; allow-dns reaches the DNS its pods really query; restricted
// data needs a CNI that enforces NetworkPolicy; GPU pods tolerate the nodes' exact taint.
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { describe, expect, it } from "vitest";
import {
  CNI_PLUGINS,
  type CniName,
  clusterFactsIssues,
  type RenderedObject,
  renderPlacement,
} from "../../components/kubernetes";
import { onPremClusterTarget } from "../../components/onprem";
import { gpuPoolsNeedPlugin } from "../../components/onprem/internal";
import { result, targets, workloads } from "./fixtures";

const NETWORKS = { dc1: ["10.10.0.0/16"], eks: ["10.20.0.0/16"] };
const dc1 = (clusters?: Parameters<typeof renderPlacement>[0]["clusters"]): RenderedObject[] =>
  renderPlacement({ networks: NETWORKS, result, workloads, targets, ...(clusters ? { clusters } : {}) }).find(
    (r) => r.target === "dc1",
  )?.objects ?? [];
const policy = (objects: RenderedObject[], name: string, namespace: string) => {
  const p = objects.find(
    (o) => o.kind === "NetworkPolicy" && o.metadata.name === name && o.metadata.namespace === namespace,
  );
  if (p?.kind !== "NetworkPolicy") throw new Error(`no ${name}`);
  new NetworkPolicy(p as never).validate();
  return p;
};

describe("an existing on-premises cluster", () => {
  it("never declares a namespace it already has, nor a quota counting pods it does not own", () => {
    const objects = dc1({ dc1: { existingNamespaces: ["ml-research"] } });
    const inNs = objects.filter(
      (o) => o.metadata.namespace === "ml-research" || o.metadata.name === "ml-research",
    );
    expect(inNs.some((o) => o.kind === "Namespace")).toBe(false);
    expect(inNs.some((o) => o.kind === "ResourceQuota")).toBe(false);
    // Its other teams' pods are not the library's to confine: the baseline selects its own pods.
    expect(policy(objects, "default-deny", "ml-research").spec.podSelector).toEqual({
      matchLabels: { "app.kubernetes.io/managed-by": "hybrid-ai-infra" },
    });
    expect(inNs.some((o) => o.kind === "Job")).toBe(true);
    // A namespace it creates keeps its Namespace, quota and namespace-wide baseline.
    expect(dc1().some((o) => o.kind === "Namespace" && o.metadata.name === "ml-research")).toBe(true);
    expect(policy(dc1(), "default-deny", "ml-research").spec.podSelector).toEqual({});
  });

  it("allows exactly the DNS the pods query: CoreDNS by selector, or the node-local cache by address", () => {
    const dns = (facts?: Parameters<typeof dc1>[0]) =>
      policy(dc1(facts), "allow-dns", "ml-research").spec.egress;
    const udpTcp53 = [
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ];
    // Default (today's plans): CoreDNS's pods in kube-system.
    expect(dns()).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
          },
        ],
        ports: udpTcp53,
      },
    ]);
    // kubespray's nodelocaldns: kubelet's clusterDNS is the cache alone, on the host network.
    expect(dns({ dc1: { dns: { kind: "nodelocaldns" } } })).toEqual([
      { to: [{ ipBlock: { cidr: "169.254.25.10/32" } }], ports: udpTcp53 },
    ]);
    expect(dns({ dc1: { dns: { kind: "nodelocaldns", address: "169.254.20.10" } } })?.[0]?.to).toEqual([
      { ipBlock: { cidr: "169.254.20.10/32" } },
    ]);
    // A cluster DNS elsewhere or labelled otherwise (kubespray's secondary CoreDNS).
    expect(
      dns({
        dc1: { dns: { kind: "coredns", namespace: "dns", labels: { "k8s-app": "kube-dns-secondary" } } },
      })?.[0]?.to,
    ).toEqual([
      {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "dns" } },
        podSelector: { matchLabels: { "k8s-app": "kube-dns-secondary" } },
      },
    ]);
  });

  it("refuses restricted data on a cluster whose CNI ignores NetworkPolicy, by path", () => {
    const paths = { workload: (n: string) => `workloads.${n}`, facts: (t: string) => `clusters.${t}` };
    const issues = clusterFactsIssues(result, workloads, { dc1: { cni: "flannel" } }, paths);
    expect(issues).toEqual([
      {
        path: "clusters.dc1.cni",
        message: expect.stringMatching(
          /is flannel, which does not enforce NetworkPolicy, and restricted workload "finetune"/,
        ),
      },
    ]);
    expect(clusterFactsIssues(result, workloads, { dc1: { cni: "calico" } }, paths)).toEqual([]);
    // Every plugin of the table says whether it enforces; the ones that do not are refused.
    for (const [cni, { enforcesNetworkPolicy }] of Object.entries(CNI_PLUGINS))
      expect(clusterFactsIssues(result, workloads, { dc1: { cni: cni as CniName } }, paths).length).toBe(
        enforcesNetworkPolicy ? 0 : 1,
      );
  });

  it("tolerates exactly the GPU taint the cluster states, and refuses GPU pools with no device plugin", () => {
    const pools = [
      { name: "cpu", node: { cpu: 32, memoryGiB: 256 }, nodes: 2, pricePerNodeHour: 1 },
      {
        name: "a100",
        node: { cpu: 64, memoryGiB: 512, gpu: { count: 8, model: "A100" } },
        nodes: 1,
        pricePerNodeHour: 12,
      },
    ];
    const placement = { region: "fra", jurisdiction: "EU" as const, datasets: ["patients"] };
    const taint = { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" as const };
    const dc1Target = onPremClusterTarget("dc1", {
      pools,
      placement,
      gpu: { devicePlugin: "gpu-operator", taint },
    });
    const job = renderPlacement({
      networks: NETWORKS,
      result,
      workloads,
      targets: [dc1Target, ...targets.filter((t) => t.name !== "dc1")],
    })
      .find((r) => r.target === "dc1")
      ?.objects.find((o) => o.kind === "Job" && o.metadata.name === "finetune");
    if (job?.kind !== "Job") throw new Error("no finetune Job");
    expect(job.spec.template.spec.tolerations).toEqual([
      { key: "nvidia.com/gpu", operator: "Equal", value: "present", effect: "NoSchedule" },
    ]);
    // The default stays NVIDIA's taint; "none" leaves the GPU pool untainted.
    const taintsOf = (gpu?: Parameters<typeof onPremClusterTarget>[1]["gpu"]) =>
      onPremClusterTarget("dc1", { pools, placement, ...(gpu ? { gpu } : {}) }).pools.find(
        (p) => p.name === "a100",
      )?.taints;
    expect(taintsOf({ devicePlugin: "nvidia-device-plugin" })).toEqual([
      { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" },
    ]);
    expect(taintsOf({ devicePlugin: "nvidia-device-plugin", taint: "none" })).toEqual([]);
    const issues: { path?: PropertyKey[]; message: string }[] = [];
    gpuPoolsNeedPlugin({ pools }, { addIssue: (i) => issues.push(i) });
    expect(issues).toEqual([
      { code: "custom", path: ["gpu"], message: expect.stringMatching(/pool a100 has GPUs/) },
    ]);
    issues.length = 0;
    gpuPoolsNeedPlugin({ pools, gpu: { devicePlugin: "gpu-operator" } }, { addIssue: (i) => issues.push(i) });
    expect(issues).toEqual([]);
  });
});
