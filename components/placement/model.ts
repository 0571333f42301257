import type { ParsedPlacementInput } from "./schema";
import type { Classification, Cloud, Trust, WorkloadKind } from "./types";

// The engine's own view of a validated input: defaults applied, names sorted (so the input's order
// never changes the answer, and ties fall to the name that sorts first), and pools numbered once
// across all targets so the solver works on plain indices. Lists inside a workload or a pool
// (residency, GPU models, datasets, tolerations, taints) are sorted too: sentences quote them and
// egress sums over them, so their order would otherwise leak into the bytes of the result.

export const DEFAULT_HEADROOM = 0.1;
export const DEFAULT_MOVE_COST = 1;

export interface WorkloadModel {
  readonly index: number;
  readonly name: string;
  readonly kind: WorkloadKind;
  readonly replicas: number;
  readonly cpu: number;
  readonly memoryGiB: number;
  /** GPUs per replica; 0 for a workload without `gpu`. */
  readonly gpu: number;
  /** Acceptable GPU models as given; null means any. */
  readonly gpuModels: readonly string[] | null;
  readonly classification: Classification;
  /** Allowed jurisdictions as given; null means anywhere. */
  readonly residency: readonly string[] | null;
  readonly priority: number;
  readonly spotOk: boolean;
  readonly datasets: readonly { readonly name: string; readonly readGiBPerHour: number }[];
  /** The datasets' names, sorted: what the `data` filter reads (read rates do not change where it may run). */
  readonly datasetNames: readonly string[];
  /** Distinct targets the replicas must cover; 1 without `spread`. */
  readonly minTargets: number;
  /**
   * Ranks that must run on one pool: the replicas of a multi-replica `training` workload (a world
   * whose ranks reach each other, each part of a split would be its own Indexed Job with its own
   * rank 0); 0 for every other workload, whose replicas may be split over pools.
   */
  readonly world: number;
  readonly pinTarget: string | null;
  readonly pinPool: string | null;
  readonly tolerations: readonly {
    readonly key: string;
    readonly value?: string;
    readonly effect?: string;
  }[];
}

export interface PoolModel {
  /** Index into PlacementModel.pools. */
  readonly index: number;
  readonly targetIndex: number;
  readonly targetName: string;
  readonly name: string;
  /** `target/pool`, the way explanations and pins name it. */
  readonly key: string;
  readonly nodeCpu: number;
  readonly nodeMemoryGiB: number;
  /** GPUs per node; 0 for a pool without GPUs. */
  readonly nodeGpu: number;
  readonly gpuModel: string | null;
  readonly headroom: number;
  /** Node cpu and memory less headroom: what replicas may use. */
  readonly cpuCap: number;
  readonly memCap: number;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly price: number;
  readonly spot: boolean;
  readonly taints: readonly { readonly key: string; readonly value?: string; readonly effect: string }[];
}

export interface TargetModel {
  readonly index: number;
  readonly name: string;
  readonly cloud: Cloud;
  readonly region: string;
  readonly jurisdiction: string;
  readonly trust: Trust;
  readonly egressPricePerGiB: number;
  readonly datasets: ReadonlySet<string>;
  /** Datasets hosted elsewhere it can read; null: every dataset is reachable. */
  readonly remoteDatasets: ReadonlySet<string> | null;
  readonly pools: readonly PoolModel[];
}

/** What the lock said about one workload. */
export interface PreviousPlacement {
  /** Replicas by pool index, for the parts whose pool still exists. */
  readonly parts: ReadonlyMap<number, number>;
  /** True when a part named a target or pool that no longer exists: the workload has moved anyway. */
  readonly lost: boolean;
}

export interface PlacementModel {
  readonly workloads: readonly WorkloadModel[];
  readonly targets: readonly TargetModel[];
  readonly pools: readonly PoolModel[];
  readonly moveCost: number;
  /** By workload index; null when the lock does not mention the workload (or there is no lock). */
  readonly previous: readonly (PreviousPlacement | null)[];
  readonly timeLimitMs: number | null;
  readonly solver: "auto" | "heuristic" | "exact";
  /** Datasets some target can neither host nor reach: the only ones that can keep a workload off a target. */
  readonly contestedDatasets: ReadonlySet<string>;
}

/** Orders names by code unit, the same on every machine and locale. */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function buildModel(input: ParsedPlacementInput): PlacementModel {
  const sortedTargets = [...input.targets].sort((a, b) => byName(a.name, b.name));
  // A dataset no target hosts lies outside the model (no egress price either): every target
  // reaches it, whatever its `remoteDatasets` says.
  const hosted = new Set(input.targets.flatMap((t) => t.datasets ?? []));
  const external = [...new Set(input.workloads.flatMap((w) => (w.datasets ?? []).map((d) => d.name)))].filter(
    (d) => !hosted.has(d),
  );
  const pools: PoolModel[] = [];
  const targets: TargetModel[] = sortedTargets.map((t, targetIndex) => {
    const targetPools = [...t.pools]
      .sort((a, b) => byName(a.name, b.name))
      .map((p): PoolModel => {
        const headroom = p.headroom ?? DEFAULT_HEADROOM;
        const pool: PoolModel = {
          index: pools.length,
          targetIndex,
          targetName: t.name,
          name: p.name,
          key: `${t.name}/${p.name}`,
          nodeCpu: p.node.cpu,
          nodeMemoryGiB: p.node.memoryGiB,
          nodeGpu: p.node.gpu?.count ?? 0,
          gpuModel: p.node.gpu?.model ?? null,
          headroom,
          cpuCap: p.node.cpu * (1 - headroom),
          memCap: p.node.memoryGiB * (1 - headroom),
          minNodes: p.minNodes ?? 0,
          maxNodes: p.maxNodes,
          price: p.pricePerNodeHour,
          spot: p.spot ?? false,
          taints: sortedTaints(p.taints ?? []),
        };
        pools.push(pool);
        return pool;
      });
    return {
      index: targetIndex,
      name: t.name,
      cloud: t.cloud,
      region: t.region,
      jurisdiction: t.jurisdiction,
      trust: t.trust,
      egressPricePerGiB: t.egressPricePerGiB ?? 0,
      datasets: new Set([...(t.datasets ?? [])].sort(byName)),
      remoteDatasets:
        t.remoteDatasets === undefined ? null : new Set([...t.remoteDatasets, ...external].sort(byName)),
      pools: targetPools,
    };
  });

  const workloads: WorkloadModel[] = [...input.workloads]
    .sort((a, b) => byName(a.name, b.name))
    .map((w, index) => {
      const [pinTarget, pinPool] = w.pin === undefined ? [null, null] : w.pin.split("/");
      return {
        index,
        name: w.name,
        kind: w.kind,
        replicas: w.replicas,
        cpu: w.cpu,
        memoryGiB: w.memoryGiB,
        gpu: w.gpu?.count ?? 0,
        gpuModels: w.gpu?.models === undefined ? null : [...w.gpu.models].sort(byName),
        classification: w.classification,
        residency: w.residency === undefined ? null : [...w.residency].sort(byName),
        priority: w.priority ?? 0,
        spotOk: w.spotOk ?? false,
        datasets: [...(w.datasets ?? [])].sort((a, b) => byName(a.name, b.name)),
        datasetNames: [...new Set((w.datasets ?? []).map((d) => d.name))].sort(byName),
        minTargets: w.spread?.minTargets ?? 1,
        world: w.kind === "training" && w.replicas > 1 ? w.replicas : 0,
        pinTarget: pinTarget ?? null,
        pinPool: pinPool ?? null,
        tolerations: sortedTaints(w.tolerations ?? []),
      };
    });

  return {
    workloads,
    targets,
    pools,
    moveCost: input.options?.moveCost ?? DEFAULT_MOVE_COST,
    previous: readPrevious(input, workloads, pools),
    timeLimitMs: input.options?.timeLimitMs ?? null,
    solver: input.options?.solver ?? "auto",
    contestedDatasets: contested(targets, workloads),
  };
}

/** Taints (or tolerations) by key, then value, then effect; an absent value or effect sorts first. */
function sortedTaints<T extends { key: string; value?: string | undefined; effect?: string | undefined }>(
  list: readonly T[],
): T[] {
  return [...list].sort(
    (a, b) => byName(a.key, b.key) || byOptional(a.value, b.value) || byOptional(a.effect, b.effect),
  );
}

function byOptional(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return byName(a, b);
}

// Lock rows for workloads that no longer exist are ignored: deleting a workload is not an error.
// A row naming a target or pool that no longer exists marks its workload `lost`: it has to move,
// so it pays the move penalty wherever it lands (a constant, which changes no choice).
function readPrevious(
  input: ParsedPlacementInput,
  workloads: readonly WorkloadModel[],
  pools: readonly PoolModel[],
): (PreviousPlacement | null)[] {
  const out: ({ parts: Map<number, number>; lost: boolean } | null)[] = workloads.map(() => null);
  if (input.previous === undefined) return out;
  const workloadIndex = new Map(workloads.map((w) => [w.name, w.index]));
  const poolIndex = new Map(pools.map((p) => [p.key, p.index]));
  for (const row of input.previous.assignments) {
    const w = workloadIndex.get(row.workload);
    if (w === undefined) continue;
    const entry = out[w] ?? { parts: new Map<number, number>(), lost: false };
    out[w] = entry;
    const p = poolIndex.get(`${row.target}/${row.pool}`);
    if (p === undefined) {
      entry.lost = true;
    } else {
      entry.parts.set(p, (entry.parts.get(p) ?? 0) + row.replicas);
    }
  }
  return out;
}

function contested(targets: readonly TargetModel[], workloads: readonly WorkloadModel[]): Set<string> {
  const read = new Set(workloads.flatMap((w) => w.datasetNames));
  const out = new Set<string>();
  for (const t of targets) {
    const reachable = t.remoteDatasets;
    if (reachable === null) continue;
    for (const d of read) if (!t.datasets.has(d) && !reachable.has(d)) out.add(d);
  }
  return out;
}
