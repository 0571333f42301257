// The placement contract of DESIGN.md section 6. Fields may be added; none may be renamed.

export type WorkloadKind = "service" | "inference" | "training" | "batch";
export type Classification = "public" | "internal" | "confidential" | "restricted";
export type Cloud = "onprem" | "aws" | "azure";
export type Trust = "private" | "public";

export interface Workload {
  name: string;
  kind: WorkloadKind;
  replicas: number;
  /** Per replica. */
  cpu: number;
  /** Per replica. */
  memoryGiB: number;
  /** Per replica; `models` lists acceptable GPU models, absent = any. */
  gpu?: { count: number; models?: string[] };
  classification: Classification;
  /** Allowed jurisdictions. */
  residency?: string[];
  /** Default 0; higher is more important. */
  priority?: number;
  /** Default false. */
  spotOk?: boolean;
  datasets?: { name: string; readGiBPerHour: number }[];
  spread?: { minTargets: number };
  /** "target" or "target/pool". */
  pin?: string;
  /**
   * Taints the workload tolerates besides the GPU taint (which every GPU workload tolerates). A pool
   * with any other NoSchedule or NoExecute taint is off limits unless tolerated here; a toleration
   * without `value` matches any value of its key.
   */
  tolerations?: { key: string; value?: string; effect?: string }[];
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Pool {
  name: string;
  node: { cpu: number; memoryGiB: number; gpu?: { count: number; model: string } };
  /** Default 0. */
  minNodes?: number;
  /** At least 1: a pool that may run no node has no capacity (leave it out instead). */
  maxNodes: number;
  pricePerNodeHour: number;
  spot?: boolean;
  /** Share of node cpu and memory kept free, default 0.1. */
  headroom?: number;
  labels?: Record<string, string>;
  taints?: Taint[];
}

export interface Target {
  name: string;
  cloud: Cloud;
  region: string;
  jurisdiction: string;
  trust: Trust;
  /** Default 0. */
  egressPricePerGiB?: number;
  /** Datasets hosted here. */
  datasets?: string[];
  /**
   * Datasets hosted elsewhere that this target can still read: a network path and an identity
   * that grants them exist. Given, a workload reading a dataset that another target hosts and that
   * is in neither `datasets` nor this list cannot run here; absent, every dataset counts as
   * reachable (at the egress price). A dataset no target hosts is reachable from every target.
   */
  remoteDatasets?: string[];
  pools: Pool[];
}

/** What `place()` returns as `lock` and takes back as `previous`: JSON-serialisable. */
export interface PlacementLock {
  version: 1;
  assignments: { workload: string; target: string; pool: string; replicas: number }[];
}

export interface PlacementInput {
  workloads: Workload[];
  targets: Target[];
  previous?: PlacementLock;
  /** moveCost: $/h per moved workload, default 1. */
  options?: PlacementOptions;
}

export interface PlacementOptions {
  /** $/h charged for each workload whose set of (target, pool) differs from `previous`; default 1. */
  moveCost?: number;
  /**
   * Search effort, in milliseconds of this library's reference machine. It is turned into a fixed
   * work budget (not a clock), so the same input still gives the same bytes on any machine.
   */
  timeLimitMs?: number;
  /**
   * `auto` (default) solves small inputs exactly with HiGHS and larger ones with the heuristic;
   * `heuristic` never loads HiGHS; `exact` always uses HiGHS (slow beyond a few dozen workloads).
   */
  solver?: "auto" | "heuristic" | "exact";
}

export interface Assignment {
  workload: string;
  target: string;
  pool: string;
  replicas: number;
}

/** Which rule or term turned a candidate down; `cost` and `capacity` are not hard rules. */
export type RejectionRule =
  | "pin"
  | "trust"
  | "residency"
  | "data"
  | "gpu-reserved"
  | "gpu"
  | "taints"
  | "spot"
  | "fits-node"
  | "training-world"
  | "spread"
  | "capacity"
  | "cost";

/**
 * Whether a change could fix a rejection, in the Kubernetes scheduler's status codes.
 * `Unschedulable`: the candidate is the right kind but too small or too full; a capacity change
 * (more nodes, larger nodes, a higher maxNodes, another target) could fix it.
 * `UnschedulableAndUnresolvable`: the candidate is the wrong kind for the workload (trust,
 * residency, pin, GPU model, taints, spot); no capacity change can fix it, only a change to the
 * workload.
 */
export type RejectionCode = "Unschedulable" | "UnschedulableAndUnresolvable";

export interface Rejection {
  /** `target` when the whole target is ruled out, else `target/pool`. */
  candidate: string;
  /**
   * One sentence, e.g. `restricted data runs only on private targets; aws-eu is in a public cloud; no
   * capacity change can fix this` (the last clause says what `code` says).
   */
  reason: string;
  /** The rule or term that said it. */
  rule: RejectionRule;
  /** Whether a capacity change could fix it; absent for `cost` (the candidate passed every rule). */
  code?: RejectionCode;
}

/** A workload that could not be placed. */
export interface Unplaced {
  workload: string;
  /** What is missing, in words: a headline, then one line per rule or pool. */
  reasons: string[];
  /** `Unschedulable` when some capacity change could place it, else `UnschedulableAndUnresolvable`. */
  code?: RejectionCode;
}

export interface Explanation {
  /** `target/pool` of every part the workload runs on, sorted; empty when unplaced. */
  chosen: string[];
  /** Every other candidate: cheapest feasible alternatives first, then rule rejections by name. */
  rejected: Rejection[];
  /** One sentence on why it runs where it does (or why it does not run), for annotations and tables. */
  reason: string;
  /** The workload's share of the total: its share of its pools' node cost, plus its egress and move penalty. */
  costPerHour: number;
}

export interface PoolPacking {
  target: string;
  pool: string;
  /** The nodes the pool runs (`max(minNodes, used)`); nodes kept only for `minNodes` are empty arrays. */
  nodes: { workload: string; replicas: number }[][];
  /** `nodes.length` x the pool's price per node-hour. */
  costPerHour: number;
}

export interface PlacementResult {
  /** One row per part of a workload, sorted by workload, target, pool. */
  assignments: Assignment[];
  /** Workloads that could not be placed, sorted by name, with every reason in words. */
  unplaced: Unplaced[];
  /** Pools that run at least one node, sorted by target and pool. */
  packing: PoolPacking[];
  cost: { computePerHour: number; egressPerHour: number; movePenalty: number; total: number };
  /** By workload name, for every workload of the input. */
  explanations: Record<string, Explanation>;
  lock: PlacementLock;
  /** How the result was found. */
  solver: SolverReport;
}

export interface SolverReport {
  /** `exact`: HiGHS proved the optimum; `heuristic`: constructive pass plus local search. */
  method: "exact" | "heuristic";
  /** True when the result is proven optimal. */
  optimal: boolean;
  /** Work units spent by the heuristic (deterministic; compare with `budget`). */
  work: number;
  /** The work budget derived from `options.timeLimitMs`. */
  budget: number;
  /** Rounds of the heuristic (fluid model, then packing); fewer on a large fleet, whose rounds are costly. */
  rounds?: number;
}
