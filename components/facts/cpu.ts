import { expandFamilies } from "./tables";

/** Facts about a general-purpose (no GPU) node shape, for pools that run services. */
export interface CpuFacts {
  /** The cloud's name for the shape: `m7i.xlarge`, `Standard_D4s_v5`. */
  readonly type: string;
  readonly family: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly arch: "x86_64" | "arm64";
  /** Reference on-demand Linux price, USD per node-hour (AWS us-east-1, Azure eastus; 2025 lists). */
  readonly usdPerHour: number;
}

type Row = [size: string, vcpu: number, memoryGiB: number, usdPerHour: number];

// Sources: the EC2 general-purpose, compute- and memory-optimised pages and on-demand price lists
// (2025). Only the sizes a node pool sensibly uses are listed.
const AWS_FAMILIES: { family: string; arch: "x86_64" | "arm64"; rows: Row[] }[] = [
  {
    family: "m7i",
    arch: "x86_64",
    rows: [
      ["large", 2, 8, 0.1008],
      ["xlarge", 4, 16, 0.2016],
      ["2xlarge", 8, 32, 0.4032],
      ["4xlarge", 16, 64, 0.8064],
      ["8xlarge", 32, 128, 1.6128],
    ],
  },
  {
    family: "m6i",
    arch: "x86_64",
    rows: [
      ["large", 2, 8, 0.096],
      ["xlarge", 4, 16, 0.192],
      ["2xlarge", 8, 32, 0.384],
      ["4xlarge", 16, 64, 0.768],
      ["8xlarge", 32, 128, 1.536],
    ],
  },
  {
    family: "m7g",
    arch: "arm64",
    rows: [
      ["large", 2, 8, 0.0816],
      ["xlarge", 4, 16, 0.1632],
      ["2xlarge", 8, 32, 0.3264],
      ["4xlarge", 16, 64, 0.6528],
    ],
  },
  {
    family: "c7i",
    arch: "x86_64",
    rows: [
      ["large", 2, 4, 0.0893],
      ["xlarge", 4, 8, 0.1785],
      ["2xlarge", 8, 16, 0.357],
      ["4xlarge", 16, 32, 0.714],
    ],
  },
  {
    family: "r7i",
    arch: "x86_64",
    rows: [
      ["large", 2, 16, 0.1323],
      ["xlarge", 4, 32, 0.2646],
      ["2xlarge", 8, 64, 0.5292],
      ["4xlarge", 16, 128, 1.0584],
    ],
  },
];

/** Every general-purpose AWS instance type the node groups accept, by instance type. */
export const AWS_CPU_INSTANCES: ReadonlyMap<string, CpuFacts> = expandFamilies(
  AWS_FAMILIES,
  (f, [size, vcpu, memoryGiB, usdPerHour]: Row): CpuFacts => ({
    type: `${f.family}.${size}`,
    family: f.family,
    vcpu,
    memoryGiB,
    arch: f.arch,
    usdPerHour,
  }),
);

/** The general-purpose AWS families, for messages. */
export const AWS_CPU_FAMILIES: readonly string[] = AWS_FAMILIES.map((f) => f.family);
