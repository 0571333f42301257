import { expandFamilies } from "./tables";

/**
 * GPU facts: one row per instance type or VM size. Validation, the AMI choice, node labels and the
 * placement pools all read this table, so a new GPU is one new row, not a new branch.
 */
export interface GpuFacts {
  /** The cloud's name for the shape: `g5.2xlarge`, `Standard_NC24ads_A100_v4`. */
  readonly type: string;
  /** The family the shape belongs to: `g5`, `p5e`. */
  readonly family: string;
  /** GPU model as placement matches it (case-insensitive): T4, T4G, A10G, A10, L4, L40S, A100, H100, H200. */
  readonly gpuModel: string;
  /** GPUs per node. */
  readonly gpus: number;
  /** Memory of one GPU, GiB. */
  readonly gpuMemoryGiB: number;
  /** vCPUs per node. */
  readonly vcpu: number;
  /** Memory per node, GiB. */
  readonly memoryGiB: number;
  /** CPU architecture, which decides the node image. */
  readonly arch: "x86_64" | "arm64";
  /** Whether the shape supports EFA (AWS) or InfiniBand (Azure) for multi-node training. */
  readonly fabric: boolean;
  /** Reference on-demand Linux price, USD per node-hour (AWS us-east-1, Azure eastus; 2025 lists). Override per pool. */
  readonly usdPerHour: number;
}

type Row = [type: string, gpus: number, vcpu: number, memoryGiB: number, fabric: boolean, usdPerHour: number];

interface Family {
  family: string;
  gpuModel: string;
  gpuMemoryGiB: number;
  arch: "x86_64" | "arm64";
  rows: Row[];
}

// Sources: the AWS EC2 accelerated-computing instance pages and on-demand price lists (2025,
// after the June 2025 P4/P5 price cut). Prices drift; they only rank pools unless overridden.
const AWS_FAMILIES: Family[] = [
  {
    family: "g4dn",
    gpuModel: "T4",
    gpuMemoryGiB: 16,
    arch: "x86_64",
    rows: [
      ["g4dn.xlarge", 1, 4, 16, false, 0.526],
      ["g4dn.2xlarge", 1, 8, 32, false, 0.752],
      ["g4dn.4xlarge", 1, 16, 64, false, 1.204],
      ["g4dn.8xlarge", 1, 32, 128, true, 2.176],
      ["g4dn.12xlarge", 4, 48, 192, true, 3.912],
      ["g4dn.16xlarge", 1, 64, 256, true, 4.352],
      ["g4dn.metal", 8, 96, 384, true, 7.824],
    ],
  },
  {
    family: "g5",
    gpuModel: "A10G",
    gpuMemoryGiB: 24,
    arch: "x86_64",
    rows: [
      ["g5.xlarge", 1, 4, 16, false, 1.006],
      ["g5.2xlarge", 1, 8, 32, false, 1.212],
      ["g5.4xlarge", 1, 16, 64, false, 1.624],
      ["g5.8xlarge", 1, 32, 128, true, 2.448],
      ["g5.12xlarge", 4, 48, 192, true, 5.672],
      ["g5.16xlarge", 1, 64, 256, true, 4.096],
      ["g5.24xlarge", 4, 96, 384, true, 8.144],
      ["g5.48xlarge", 8, 192, 768, true, 16.288],
    ],
  },
  {
    family: "g5g",
    gpuModel: "T4G",
    gpuMemoryGiB: 16,
    arch: "arm64",
    rows: [
      ["g5g.xlarge", 1, 4, 8, false, 0.42],
      ["g5g.2xlarge", 1, 8, 16, false, 0.556],
      ["g5g.4xlarge", 1, 16, 32, false, 0.828],
      ["g5g.8xlarge", 1, 32, 64, false, 1.372],
      ["g5g.16xlarge", 2, 64, 128, false, 2.744],
      ["g5g.metal", 2, 64, 128, false, 2.744],
    ],
  },
  {
    family: "g6",
    gpuModel: "L4",
    gpuMemoryGiB: 24,
    arch: "x86_64",
    rows: [
      ["g6.xlarge", 1, 4, 16, false, 0.805],
      ["g6.2xlarge", 1, 8, 32, false, 0.978],
      ["g6.4xlarge", 1, 16, 64, false, 1.323],
      ["g6.8xlarge", 1, 32, 128, true, 2.014],
      ["g6.12xlarge", 4, 48, 192, true, 4.602],
      ["g6.16xlarge", 1, 64, 256, true, 3.397],
      ["g6.24xlarge", 4, 96, 384, true, 6.675],
      ["g6.48xlarge", 8, 192, 768, true, 13.35],
    ],
  },
  {
    family: "g6e",
    gpuModel: "L40S",
    gpuMemoryGiB: 48,
    arch: "x86_64",
    rows: [
      ["g6e.xlarge", 1, 4, 32, false, 1.861],
      ["g6e.2xlarge", 1, 8, 64, false, 2.242],
      ["g6e.4xlarge", 1, 16, 128, false, 3.004],
      ["g6e.8xlarge", 1, 32, 256, true, 4.529],
      ["g6e.12xlarge", 4, 48, 384, true, 10.493],
      ["g6e.16xlarge", 1, 64, 512, true, 7.577],
      ["g6e.24xlarge", 4, 96, 768, true, 15.066],
      ["g6e.48xlarge", 8, 192, 1536, true, 30.131],
    ],
  },
  {
    family: "gr6",
    gpuModel: "L4",
    gpuMemoryGiB: 24,
    arch: "x86_64",
    rows: [
      ["gr6.4xlarge", 1, 16, 128, false, 1.539],
      ["gr6.8xlarge", 1, 32, 256, true, 2.646],
    ],
  },
  {
    family: "p4d",
    gpuModel: "A100",
    gpuMemoryGiB: 40,
    arch: "x86_64",
    rows: [["p4d.24xlarge", 8, 96, 1152, true, 21.958]],
  },
  {
    family: "p4de",
    gpuModel: "A100",
    gpuMemoryGiB: 80,
    arch: "x86_64",
    rows: [["p4de.24xlarge", 8, 96, 1152, true, 27.447]],
  },
  {
    family: "p5",
    gpuModel: "H100",
    gpuMemoryGiB: 80,
    arch: "x86_64",
    rows: [
      ["p5.4xlarge", 1, 16, 256, true, 6.88],
      ["p5.48xlarge", 8, 192, 2048, true, 55.04],
    ],
  },
  {
    family: "p5e",
    gpuModel: "H200",
    gpuMemoryGiB: 141,
    arch: "x86_64",
    rows: [["p5e.48xlarge", 8, 192, 2048, true, 61.5]],
  },
  {
    family: "p5en",
    gpuModel: "H200",
    gpuMemoryGiB: 141,
    arch: "x86_64",
    rows: [["p5en.48xlarge", 8, 192, 2048, true, 63.3]],
  },
];

/** Every AWS GPU instance type the components accept, by instance type. */
export const AWS_GPU_INSTANCES: ReadonlyMap<string, GpuFacts> = expandFamilies(
  AWS_FAMILIES,
  (f, [type, gpus, vcpu, memoryGiB, fabric, usdPerHour]: Row): GpuFacts => ({
    type,
    family: f.family,
    gpuModel: f.gpuModel,
    gpus,
    gpuMemoryGiB: f.gpuMemoryGiB,
    vcpu,
    memoryGiB,
    arch: f.arch,
    fabric,
    usdPerHour,
  }),
);

/** The AWS GPU families, for messages such as "pick one of g5.*, g6.*". */
export const AWS_GPU_FAMILIES: readonly string[] = AWS_FAMILIES.map((f) => f.family);

/** Looks up an AWS instance type; `undefined` when it has no GPU or is unknown. */
export function awsGpuInstance(instanceType: string): GpuFacts | undefined {
  return AWS_GPU_INSTANCES.get(instanceType);
}

/**
 * EFA interfaces to attach per instance: one per network card on the P families (AWS "Maximize
 * network bandwidth" guides), one elsewhere.
 */
export const AWS_EFA_INTERFACES: ReadonlyMap<string, number> = new Map([
  ["p4d.24xlarge", 4],
  ["p4de.24xlarge", 4],
  ["p5.48xlarge", 32],
  ["p5e.48xlarge", 32],
  ["p5en.48xlarge", 16],
]);

/** Spot price as a share of on-demand, when a pool gives no price: a conservative 2025 average. */
export const SPOT_PRICE_FACTOR = 0.4;
