import type { Pool } from "../../placement";

// What Cluster Autoscaler knows of a node group that has no node yet. EKS does not copy a node
// group's labels, taints or tags to its Auto Scaling group (aws/containers-roadmap#608); the
// autoscaler (1.24+, with eks:DescribeNodegroup) reads the labels and taints from EKS, but extended
// resources such as EFA interfaces are nowhere but on a running node. So the group's Auto Scaling
// group is tagged with the template keys the autoscaler's AWS provider reads
// (`k8s.io/cluster-autoscaler/node-template/{label,taint,resources}/<name>`), which also override
// EKS's answer and survive a role without eks:DescribeNodegroup.

/** The tag prefix Cluster Autoscaler's AWS provider reads an empty group's template from. */
export const TEMPLATE_PREFIX = "k8s.io/cluster-autoscaler/node-template";

/** A template tag key: `k8s.io/cluster-autoscaler/node-template/<kind>/<name>`. */
export function templateKey(kind: "label" | "taint" | "resources", name: string): string {
  return `${TEMPLATE_PREFIX}/${kind}/${name}`;
}

/**
 * The label Cluster Autoscaler (1.15+ on AWS) reads to know a node has GPUs before the device
 * plugin advertises them; without it, each GPU node that is still starting looks like a node
 * without GPUs and the autoscaler adds another (its AWS README, "Special note on GPU instances").
 */
export const ACCELERATOR_LABEL = "k8s.amazonaws.com/accelerator";

/** The accelerator label's value for a GPU model: `nvidia-a10g`, `nvidia-h100`. */
export function acceleratorOf(gpuModel: string): string {
  return `nvidia-${gpuModel.toLowerCase()}`;
}

/** The extended resources of one node that only a running node would otherwise show. */
export interface TemplateResources {
  /** GPUs per node (`nvidia.com/gpu`). */
  gpus?: number | undefined;
  /** EFA interfaces per node (`vpc.amazonaws.com/efa`). */
  efaInterfaces?: number | undefined;
}

/** The labels an EKS node group puts on its nodes: the pool's, and the accelerator on GPU pools. */
export function nodeGroupLabels(pool: Pool): Record<string, string> {
  const model = pool.node.gpu?.model;
  return { ...pool.labels, ...(model ? { [ACCELERATOR_LABEL]: acceleratorOf(model) } : {}) };
}

/**
 * The template tags of a group's Auto Scaling group: one per node label, one per taint
 * (`<value>:<effect>`), one per extended resource. Sorted by key, so the tags read the same on
 * every run.
 */
export function autoscalerTemplateTags(pool: Pool, resources: TemplateResources): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(nodeGroupLabels(pool))) tags[templateKey("label", key)] = value;
  for (const t of pool.taints ?? []) tags[templateKey("taint", t.key)] = `${t.value ?? ""}:${t.effect}`;
  if (resources.gpus) tags[templateKey("resources", "nvidia.com/gpu")] = String(resources.gpus);
  if (resources.efaInterfaces) {
    tags[templateKey("resources", "vpc.amazonaws.com/efa")] = String(resources.efaInterfaces);
  }
  return Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Template tags every group of a kind carries besides its extra labels and taints: the pool,
 * trust and capacity labels, and on GPU pools the GPU model and accelerator labels and the GPU and
 * EFA resources (the most a group can have), for the tag-count check.
 */
export const BUILT_IN_TEMPLATE_TAGS = { cpu: 3, gpu: 7 } as const;
