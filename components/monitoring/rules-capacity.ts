import { LABEL_POOL, LABEL_WORKLOAD } from "../facts";
import type { SiteMetrics } from "./model";
import { ksmLabel, RECORD_PREFIX } from "./names";
import type { RecordingRule } from "./rule-types";

// Requested and used capacity per pool, workload and site, beside placed. Live objects are joined
// to placement through the labels kube-state-metrics lets through: pods carry their workload and
// pool, nodes their pool. Every join deduplicates its "one" side with `max by`: two
// kube-state-metrics replicas, or a pod's `uid` label, must not make a join many-to-many.

const r = (name: string) => `${RECORD_PREFIX}${name}`;
const POOL = ksmLabel(LABEL_POOL);
const WORKLOAD = ksmLabel(LABEL_WORKLOAD);
/** Requests of pods that hold capacity: finished pods keep their request series but hold nothing. */
const ACTIVE = 'max by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Running"} == 1)';
/** cAdvisor's container series; the pod-level cgroup (container="") would count every pod twice. */
const CONTAINERS = 'container!="", container!="POD", image!=""';
/** The resources kube-state-metrics reports, sanitised as it writes them (`nvidia.com/gpu` -> `nvidia_com_gpu`). */
const RESOURCES = 'resource=~"cpu|memory|nvidia_com_gpu"';
const CPU_USED = `max by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{${CONTAINERS}}[5m]))`;
const MEMORY_USED = `max by (namespace, pod, container) (container_memory_working_set_bytes{${CONTAINERS}})`;
const ON_NODE =
  '* on (namespace, pod) group_left (node) max by (namespace, pod, node) (kube_pod_info{node!=""})';

/** Which pool each node is in, and which workload and pool each pod is, from their labels. */
function joins(): RecordingRule[] {
  return [
    {
      record: r("node_pool:info"),
      expr: `max by (node, pool) (
  label_replace(kube_node_labels{${POOL}!=""}, "pool", "$1", "${POOL}", "(.+)")
)`,
    },
    {
      record: r("pod_workload:info"),
      expr: `max by (namespace, pod, workload, pool) (
  label_replace(
    label_replace(kube_pod_labels{${WORKLOAD}!=""}, "workload", "$1", "${WORKLOAD}", "(.+)"),
    "pool", "$1", "${POOL}", "(.+)"
  )
)`,
    },
  ];
}

/** Nodes per pool and what they offer, against what placement sized the pool for. */
function pools(): RecordingRule[] {
  return [
    { record: r("pool_nodes:count"), expr: `count by (pool) (${r("node_pool:info")})` },
    {
      record: r("pool_placed_capacity"),
      expr: `${r("pool_node_capacity")} * on (pool) group_left () max by (pool) (${r("pool_nodes_placed")})`,
    },
    {
      record: r("pool_max_capacity"),
      expr: `${r("pool_node_capacity")} * on (pool) group_left () max by (pool) (${r("pool_nodes_max")})`,
    },
    {
      record: r("pool_allocatable"),
      expr: `sum by (pool, resource) (
  max by (node, resource) (kube_node_status_allocatable{${RESOURCES}})
  * on (node) group_left (pool) ${r("node_pool:info")}
)`,
    },
  ];
}

/** What pods request, per workload (any phase that holds capacity) and per pool (scheduled pods). */
function requested(): RecordingRule[] {
  return [
    {
      record: r("workload_requested"),
      expr: `sum by (namespace, workload, pool, resource) (
  max by (namespace, pod, container, resource) (kube_pod_container_resource_requests{${RESOURCES}})
  * on (namespace, pod) group_left () ${ACTIVE}
  * on (namespace, pod) group_left (workload, pool) ${r("pod_workload:info")}
)`,
    },
    {
      record: r("pool_requested"),
      expr: `sum by (pool, resource) (
  max by (namespace, pod, container, resource, node) (kube_pod_container_resource_requests{${RESOURCES}, node!=""})
  * on (namespace, pod) group_left () ${ACTIVE}
  * on (node) group_left (pool) ${r("node_pool:info")}
)`,
    },
  ];
}

/** What containers use (cAdvisor) and which GPUs DCGM sees busy with a placed workload's pods. */
function used(): RecordingRule[] {
  return [
    {
      record: r("workload_used"),
      labels: { resource: "cpu" },
      expr: `sum by (namespace, workload, pool) (
  ${CPU_USED}
  * on (namespace, pod) group_left (workload, pool) ${r("pod_workload:info")}
)`,
    },
    {
      record: r("workload_used"),
      labels: { resource: "memory" },
      expr: `sum by (namespace, workload, pool) (
  ${MEMORY_USED}
  * on (namespace, pod) group_left (workload, pool) ${r("pod_workload:info")}
)`,
    },
    {
      // One series per GPU (or MIG instance) the DCGM exporter attributes to a placed workload's pod.
      record: r("gpu_utilisation:by_gpu"),
      expr: `max by (node, gpu, UUID, GPU_I_ID, namespace, pod) (DCGM_FI_DEV_GPU_UTIL{namespace!="", pod!=""})
* on (namespace, pod) group_left (workload, pool) ${r("pod_workload:info")}`,
    },
    {
      record: r("workload_used"),
      labels: { resource: "nvidia_com_gpu" },
      expr: `count by (namespace, workload, pool) (${r("gpu_utilisation:by_gpu")})`,
    },
    {
      record: r("workload_gpu_utilisation:avg"),
      expr: `avg by (namespace, workload, pool) (${r("gpu_utilisation:by_gpu")})`,
    },
  ];
}

/** The same per pool: by the node each pod runs on. */
function poolUsed(): RecordingRule[] {
  return [
    {
      record: r("pool_used"),
      labels: { resource: "cpu" },
      expr: `sum by (pool) (
  ${CPU_USED}
  ${ON_NODE}
  * on (node) group_left (pool) ${r("node_pool:info")}
)`,
    },
    {
      record: r("pool_used"),
      labels: { resource: "memory" },
      expr: `sum by (pool) (
  ${MEMORY_USED}
  ${ON_NODE}
  * on (node) group_left (pool) ${r("node_pool:info")}
)`,
    },
    {
      // GPUs that some pod holds, per pool; a GPU nobody holds is capacity, not use.
      record: r("pool_used"),
      labels: { resource: "nvidia_com_gpu" },
      expr: `count by (pool) (
  max by (node, gpu, UUID, GPU_I_ID) (DCGM_FI_DEV_GPU_UTIL{pod!=""})
  * on (node) group_left (pool) ${r("node_pool:info")}
)`,
    },
    {
      record: r("pool_gpu_utilisation:avg"),
      expr: `avg by (pool) (
  max by (node, gpu, UUID, GPU_I_ID) (DCGM_FI_DEV_GPU_UTIL)
  * on (node) group_left (pool) ${r("node_pool:info")}
)`,
    },
  ];
}

/** Replicas and use per replica (what a right-sized request must cover), and pending work per pool. */
function perReplica(): RecordingRule[] {
  return [
    {
      record: r("workload_replicas"),
      expr: `count by (namespace, workload, pool) (
  ${r("pod_workload:info")}
  * on (namespace, pod) group_left () max by (namespace, pod) (kube_pod_status_phase{phase="Running"} == 1)
)`,
    },
    {
      record: r("workload_used_per_replica"),
      expr: `${r("workload_used")} / on (namespace, workload, pool) group_left () ${r("workload_replicas")}`,
    },
    {
      // PodScheduled=False/Unschedulable only: image pulls and init containers are not pending work.
      record: r("pool_unschedulable_pods"),
      expr: `sum by (pool) (
  max by (namespace, pod) (kube_pod_status_unschedulable == 1)
  * on (namespace, pod) group_left (pool) ${r("pod_workload:info")}
)`,
    },
  ];
}

/** Per site: placed, requested and used, summed over its pools. */
function site(): RecordingRule[] {
  return [
    { record: r("site_placed_capacity"), expr: `sum by (resource) (${r("pool_placed_capacity")})` },
    { record: r("site_requested"), expr: `sum by (resource) (${r("pool_requested")})` },
    { record: r("site_used"), expr: `sum by (resource) (${r("pool_used")})` },
  ];
}

/** The capacity group's rules, in dependency order, each labelled with the site. */
export function capacityRules(m: SiteMetrics): RecordingRule[] {
  return [...joins(), ...pools(), ...requested(), ...used(), ...poolUsed(), ...perReplica(), ...site()].map(
    (rule) => ({ ...rule, labels: { site: m.site, ...(rule.labels ?? {}) } }),
  );
}
