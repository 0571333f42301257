import { poolLabels } from "../../facts";
import type { Pool, Taint, Trust } from "../../placement";
import { aksAllocatable } from "./allocatable";
import { builtInTaints, type PoolKind } from "./defaults";
import { type MigProfile, placementGpu } from "./mig";
import { type ResolvedPoolSettings, resolvePoolSettings } from "./resolved";
import type { AzureNodePoolSettings } from "./settings";

/**
 * The AKS agent pool name for a pool: its name without dashes. AKS allows 1-12 lower-case letters
 * and digits starting with a letter (Linux pools); returns the reason (to follow the quoted pool
 * name) when the pool name cannot make one.
 */
export function agentPoolNameFor(pool: string): string | { problem: string } {
  const candidate = pool.replace(/-/g, "");
  if (/^[a-z][a-z0-9]{0,11}$/.test(candidate)) return candidate;
  return {
    problem: `makes the AKS agent pool name ${JSON.stringify(candidate)}; AKS allows 1-12 lower-case letters and digits starting with a letter (dashes are dropped), so shorten it`,
  };
}

/** Everything an agent pool is made from, validated and defaulted. */
export interface AgentPoolPlan {
  /** Pool name: node label and placement pool. */
  pool: string;
  /** The AKS agent pool name derived from it. */
  agentPoolName: string;
  settings: ResolvedPoolSettings;
  trust: Trust;
  /** The Kubernetes minor the pool's nodes run (`orchestratorVersion`); default the control plane's. */
  kubernetesVersion?: string | undefined;
}

/**
 * The plan of a pool whose settings passed validation: its defaults applied and its agent pool
 * name derived. Throws (a programming error) when they did not pass.
 */
export function agentPoolPlanFor(
  pool: string,
  settings: AzureNodePoolSettings,
  trust: Trust,
  kind: PoolKind,
  extra: { gpuDriver?: "Install" | "None"; migProfile?: MigProfile; kubernetesVersion?: string } = {},
): AgentPoolPlan {
  const { kubernetesVersion, ...gpu } = extra;
  const agentPoolName = agentPoolNameFor(pool);
  if (typeof agentPoolName !== "string")
    throw new Error(`pool ${JSON.stringify(pool)} ${agentPoolName.problem}`);
  return {
    pool,
    agentPoolName,
    settings: resolvePoolSettings({ ...settings, ...gpu }, kind),
    trust,
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
  };
}

/**
 * The placement pool an agent pool provides, from its plan alone (no resources), so a stack can
 * place workloads before it declares anything: node shape from the size's facts less what AKS
 * reserves (so placement does not overpack), GPUs (or MIG slices), labels and taints as the nodes
 * carry them (the GPU taint on GPU pools, AKS's taint on spot pools).
 */
export function agentPoolPlacement(plan: AgentPoolPlan): Pool {
  const { settings } = plan;
  const { size } = settings;
  const spot = settings.priority === "Spot";
  const gpu = size.kind === "gpu" ? placementGpu(size.facts, settings.migProfile) : undefined;
  const labels = {
    ...settings.labels,
    ...poolLabels({ pool: plan.pool, trust: plan.trust, spot, ...(gpu ? { gpuModel: gpu.model } : {}) }),
  };
  const taints: Taint[] = [...builtInTaints(size.kind, spot), ...settings.taints];
  return {
    name: plan.pool,
    node: { ...aksAllocatable(size.facts, settings.maxPods), ...(gpu ? { gpu } : {}) },
    minNodes: settings.minCount,
    maxNodes: settings.maxCount,
    pricePerNodeHour: settings.pricePerNodeHour,
    spot,
    ...(settings.headroom === undefined ? {} : { headroom: settings.headroom }),
    labels,
    taints,
  };
}
