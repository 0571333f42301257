import { poolLabels, SPOT_PRICE_FACTOR } from "../../facts";
import type { Pool, Taint, Trust } from "../../placement";
import { AKS_DEFAULT_MAX_PODS, aksAllocatable, round } from "./allocatable";
import { builtInTaints, POOL_DEFAULTS, type PoolKind } from "./defaults";
import { type MigProfile, placementGpu } from "./mig";
import type { AzureNodePoolSettings } from "./settings";
import { resolveVmSize, type VmSizeFacts } from "./vm-size";

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
  settings: AzureNodePoolSettings;
  facts: VmSizeFacts;
  trust: Trust;
  /** GPU pools: "Install" (AKS installs the NVIDIA driver) or "None" (a GPU operator does). */
  gpuDriver?: "Install" | "None";
  /** GPU pools: the MIG profile each GPU is split into. */
  migProfile?: MigProfile;
}

/**
 * The plan of a pool whose settings passed validation: its facts and agent pool name resolved.
 * Throws (a programming error) when they did not pass.
 */
export function agentPoolPlanFor(
  pool: string,
  settings: AzureNodePoolSettings,
  trust: Trust,
  kind: PoolKind,
  gpu: { gpuDriver?: "Install" | "None"; migProfile?: MigProfile } = {},
): AgentPoolPlan {
  const facts = resolveVmSize(settings.vmSize, kind);
  const agentPoolName = agentPoolNameFor(pool);
  if ("problem" in facts) throw new Error(`pool ${JSON.stringify(pool)}: ${facts.problem}`);
  if (typeof agentPoolName !== "string")
    throw new Error(`pool ${JSON.stringify(pool)} ${agentPoolName.problem}`);
  return { pool, agentPoolName, settings, facts, trust, ...gpu };
}

/**
 * The placement pool an agent pool provides, from its plan alone (no resources), so a stack can
 * place workloads before it declares anything: node shape from the size's facts less what AKS
 * reserves (so placement does not overpack), GPUs (or MIG slices), labels and taints as the nodes
 * carry them (the GPU taint on GPU pools, AKS's taint on spot pools).
 */
export function agentPoolPlacement(plan: AgentPoolPlan): Pool {
  const { settings, facts } = plan;
  const spot = settings.priority === "Spot";
  const gpu = facts.kind === "gpu" ? placementGpu(facts.facts, plan.migProfile) : undefined;
  const labels = {
    ...settings.labels,
    ...poolLabels({ pool: plan.pool, trust: plan.trust, spot, ...(gpu ? { gpuModel: gpu.model } : {}) }),
  };
  const taints: Taint[] = [...builtInTaints(facts.kind, spot), ...(settings.taints ?? [])];
  const reference = facts.facts.usdPerHour;
  return {
    name: plan.pool,
    node: {
      ...aksAllocatable(facts.facts, settings.maxPods ?? AKS_DEFAULT_MAX_PODS),
      ...(gpu ? { gpu } : {}),
    },
    minNodes: settings.minCount ?? POOL_DEFAULTS[facts.kind].minCount,
    maxNodes: settings.maxCount,
    pricePerNodeHour: round(settings.pricePerNodeHour ?? (spot ? reference * SPOT_PRICE_FACTOR : reference)),
    spot,
    ...(settings.headroom === undefined ? {} : { headroom: settings.headroom }),
    labels,
    taints,
  };
}
