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
  options?: { moveCost?: number; timeLimitMs?: number };
}

export interface Assignment {
  workload: string;
  target: string;
  pool: string;
  replicas: number;
}

export interface PlacementResult {
  assignments: Assignment[];
  unplaced: { workload: string; reasons: string[] }[];
  packing: { target: string; pool: string; nodes: { workload: string; replicas: number }[][] }[];
  cost: { computePerHour: number; egressPerHour: number; movePenalty: number; total: number };
  explanations: Record<string, { chosen: string[]; rejected: { candidate: string; reason: string }[] }>;
  lock: PlacementLock;
}
