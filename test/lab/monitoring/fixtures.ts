// The sites the promtool tests run against: an AWS site and an Azure site shaped like prod's, with
// a queue, a backup and tunnels each (no reference catalog declares a backup yet: these fixtures
// keep the backup rules tested until one does). The .test.yml files beside this one name these series and values.
import { type SiteMetrics, THRESHOLD_DEFAULTS } from "../../../components/monitoring";

export const RUNBOOK = "https://example.com/docs/monitoring.md";

/** The eks site: g6e.12xlarge (48 vCPU, 384 GiB, 4 L40S), g6.2xlarge (8, 32, 1 L4), m7i.4xlarge (16, 64). */
export const EKS: SiteMetrics = {
  site: "eks",
  cloud: "aws",
  pools: [
    { name: "general", minNodes: 3, maxNodes: 12, placedNodes: 3, node: { cpu: 16, memoryGiB: 64 } },
    { name: "gpu", minNodes: 0, maxNodes: 6, placedNodes: 2, node: { cpu: 48, memoryGiB: 384, gpus: 4 } },
    { name: "gpu-spot", minNodes: 0, maxNodes: 16, placedNodes: 8, node: { cpu: 8, memoryGiB: 32, gpus: 1 } },
  ],
  workloads: [
    {
      name: "triage-inference",
      namespace: "clinical-ai",
      pool: "gpu",
      replicas: 2,
      cpu: 4,
      memoryGiB: 32,
      gpus: 1,
    },
    {
      name: "catalog-embeddings",
      namespace: "search",
      pool: "gpu-spot",
      replicas: 8,
      cpu: 3,
      memoryGiB: 12,
      gpus: 1,
    },
  ],
  queues: [{ clusterQueue: "gpu-spot" }, { clusterQueue: "gpu" }],
  backups: [{ namespace: "data-protection", cronjob: "backup-product-catalog", schedule: "30 2 * * *" }],
  tunnels: [
    { link: "aws-dc1", tunnel: "aws-dc1-1", peer: "aws-dc1-1" },
    { link: "aws-dc1", tunnel: "aws-dc1-2", peer: "aws-dc1-2" },
    { link: "aws-azure", tunnel: "aws-azure-1", peer: "aws-azure-1" },
    { link: "aws-azure", tunnel: "aws-azure-2", peer: "aws-azure-2" },
  ],
  thresholds: { ...THRESHOLD_DEFAULTS, queueWaitTarget: "2h", queueWaitTargets: { "gpu-spot": "30m" } },
  runbookUrl: RUNBOOK,
};

/** The aks site: one A100 pool, and the tunnels Azure's gateway sees by BGP peer address. */
export const AKS: SiteMetrics = {
  site: "aks",
  cloud: "azure",
  pools: [
    { name: "a100", minNodes: 0, maxNodes: 4, placedNodes: 1, node: { cpu: 24, memoryGiB: 220, gpus: 1 } },
  ],
  workloads: [
    {
      name: "notes-summariser",
      namespace: "clinical-ai",
      pool: "a100",
      replicas: 2,
      cpu: 8,
      memoryGiB: 64,
      gpus: 1,
    },
  ],
  queues: [],
  backups: [],
  tunnels: [
    { link: "aws-azure", tunnel: "aws-azure-1", peer: "169.254.21.17" },
    { link: "aws-azure", tunnel: "aws-azure-2", peer: "169.254.21.21" },
    { link: "azure-dc1", tunnel: "azure-dc1-1", peer: "169.254.21.34" },
    { link: "azure-dc1", tunnel: "azure-dc1-2", peer: "169.254.21.34" },
  ],
  thresholds: THRESHOLD_DEFAULTS,
  runbookUrl: RUNBOOK,
};
