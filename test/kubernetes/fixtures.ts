import { awsClusterTarget } from "../../components/aws";
import { azureClusterTarget } from "../../components/azure";
import type { WorkloadSpec } from "../../components/kubernetes";
import type { PlacementResult, Target } from "../../components/placement";

export const targets: Target[] = [
  {
    name: "dc1",
    cloud: "onprem",
    region: "fra",
    jurisdiction: "EU",
    trust: "private",
    datasets: ["patients"],
    pools: [
      {
        name: "cpu",
        node: { cpu: 32, memoryGiB: 256 },
        minNodes: 2,
        maxNodes: 2,
        pricePerNodeHour: 1,
        labels: { "hybrid-ai-infra.io/pool": "cpu" },
      },
      {
        name: "a100",
        node: { cpu: 64, memoryGiB: 512, gpu: { count: 8, model: "A100" } },
        minNodes: 1,
        maxNodes: 1,
        pricePerNodeHour: 12,
        labels: { "hybrid-ai-infra.io/pool": "a100" },
        taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
      },
    ],
  },
  {
    name: "eks",
    cloud: "aws",
    region: "eu-west-1",
    jurisdiction: "EU",
    trust: "public",
    pools: [
      {
        name: "general",
        node: { cpu: 4, memoryGiB: 16 },
        maxNodes: 4,
        pricePerNodeHour: 0.2,
        labels: { "hybrid-ai-infra.io/pool": "general", "hybrid-ai-infra.io/trust": "public" },
      },
    ],
  },
];

export const workloads: WorkloadSpec[] = [
  {
    name: "finetune",
    kind: "training",
    replicas: 2,
    cpu: 8,
    memoryGiB: 64,
    gpu: { count: 4, models: ["A100"] },
    classification: "restricted",
    image: "registry.example.com/ml/finetune:2.3.1",
    owner: "ml-research",
    datasets: [{ name: "patients", readGiBPerHour: 50 }],
  },
  {
    name: "web",
    kind: "service",
    replicas: 3,
    cpu: 0.5,
    memoryGiB: 1,
    classification: "internal",
    image: "registry.example.com/web/frontend@sha256:" + "a".repeat(64),
    owner: "web",
    ports: [{ name: "http", port: 8080 }],
    ingress: [{ fromNamespaces: ["ingress"], ports: [8080] }],
    egress: [{ toCidrs: ["10.10.0.0/16"], ports: [5432] }],
  },
];

/** A decision a placement engine could make for the fixtures: web split across both clusters. */
export const result: PlacementResult = {
  assignments: [
    { workload: "finetune", target: "dc1", pool: "a100", replicas: 2 },
    { workload: "web", target: "dc1", pool: "cpu", replicas: 1 },
    { workload: "web", target: "eks", pool: "general", replicas: 2 },
  ],
  unplaced: [],
  packing: [],
  cost: { computePerHour: 14.4, egressPerHour: 0, movePenalty: 0, total: 14.4 },
  explanations: {
    finetune: {
      chosen: ["dc1/a100"],
      rejected: [],
      reason: "dc1/a100: restricted data stays on private targets",
      costPerHour: 12,
    },
    web: {
      chosen: ["dc1/cpu", "eks/general"],
      rejected: [],
      reason: "spread over 2 targets, cheapest pools",
      costPerHour: 1.2,
    },
  },
  lock: { version: 1, assignments: [] },
  solver: { method: "heuristic", optimal: false, work: 0, budget: 0 },
};

/**
 * Targets exactly as the cluster components describe them (the functions the stacks call), so
 * rendering is tested on the labels and taints real pools carry: EKS with a spot GPU node group
 * (the NVIDIA taint, full label set), AKS with a spot GPU pool (the NVIDIA taint and AKS's spot taint).
 */
export const eks: Target = awsClusterTarget("eks", {
  nodeGroups: [
    { name: "general", instanceTypes: ["m7i.xlarge", "m6i.xlarge"], minSize: 1, maxSize: 4 },
    {
      name: "gpu-spot",
      instanceTypes: ["g5.xlarge", "g5.2xlarge"],
      capacityType: "SPOT",
      minSize: 0,
      maxSize: 4,
    },
  ],
  placement: { region: "eu-west-1", jurisdiction: "EU" },
});
export const aks: Target = azureClusterTarget("aks", {
  nodePools: [
    { name: "general", vmSize: "Standard_D8ds_v5", minCount: 1, maxCount: 4 },
    { name: "t4-spot", vmSize: "Standard_NC8as_T4_v3", priority: "Spot", minCount: 0, maxCount: 4 },
  ],
  placement: { region: "westeurope", jurisdiction: "EU" },
});
