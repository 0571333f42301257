import {
  AWS_CPU_FAMILIES,
  AWS_CPU_INSTANCES,
  AWS_EFA_INTERFACES,
  AWS_GPU_FAMILIES,
  AWS_GPU_INSTANCES,
  type CpuFacts,
  didYouMean,
  FACTS_AS_OF,
  type GpuFacts,
} from "../../facts";

const KNOWN_TYPES: readonly string[] = [...AWS_GPU_INSTANCES.keys(), ...AWS_CPU_INSTANCES.keys()];
const KNOWN_FAMILIES: ReadonlySet<string> = new Set([...AWS_GPU_FAMILIES, ...AWS_CPU_FAMILIES]);
// EC2 sizes (nano .. 48xlarge, metal, metal-24xl): a name outside them is no instance type at all.
const EC2_SIZE = /^(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$/;

/**
 * Why `type` is a misspelling rather than a real type outside the tables: a size EC2 does not
 * have (g5.2xlarg), or a size the facts do not list in a family they cover (g5.3xlarge). A
 * well-formed name of another family (m5.large, p3.2xlarge) is real: it is judged by the tables.
 */
function misspelled(type: string): string | undefined {
  const [family = "", size = "", ...rest] = type.split(".");
  const typo = rest.length > 0 || !EC2_SIZE.test(size) || KNOWN_FAMILIES.has(family);
  if (!typo) return undefined;
  const near = didYouMean(type, KNOWN_TYPES);
  return `"${type}" is not a known instance type (facts as of ${FACTS_AS_OF}).${near ? ` Did you mean "${near}"?` : ""}`;
}

/** The facts of a node group's instance types, once they are known to be consistent. */
export type InstanceShape = { kind: "gpu"; facts: GpuFacts[] } | { kind: "cpu"; facts: CpuFacts[] };

/** A problem with the instance types, relative to `instanceTypes`. */
export interface InstanceProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Checks instance types against the facts tables and says what is wrong in words: GPU pools need
 * GPU types of one model and architecture; CPU pools need known general-purpose types.
 */
export function resolveInstanceShape(
  types: readonly string[],
  wantGpu: boolean,
): { shape?: InstanceShape; problems: InstanceProblem[] } {
  const gpuChoices = AWS_GPU_FAMILIES.map((f) => `${f}.*`).join(", ");
  const cpuChoices = AWS_CPU_FAMILIES.map((f) => `${f}.*`).join(", ");
  const problems: InstanceProblem[] = [];
  const gpu: GpuFacts[] = [];
  const cpu: CpuFacts[] = [];
  types.forEach((type, i) => {
    const g = AWS_GPU_INSTANCES.get(type);
    const c = AWS_CPU_INSTANCES.get(type);
    const typo = g || c ? undefined : misspelled(type);
    if (typo) {
      problems.push({
        path: [i],
        message: `${typo} GPU pools take ${gpuChoices}, general-purpose pools ${cpuChoices}`,
      });
    } else if (wantGpu && !g) {
      problems.push({ path: [i], message: `"${type}" has no GPU; pick one of ${gpuChoices}` });
    } else if (!wantGpu && g) {
      problems.push({
        path: [i],
        message: `"${type}" is a GPU type; put it in a GPU node group, or pick one of ${cpuChoices}`,
      });
    } else if (!wantGpu && !c) {
      problems.push({
        path: [i],
        message: `"${type}" is not in the instance facts; general-purpose pools take ${cpuChoices}, GPU pools ${gpuChoices}`,
      });
    }
    if (g) gpu.push(g);
    if (c) cpu.push(c);
  });
  const facts: (GpuFacts | CpuFacts)[] = wantGpu ? gpu : cpu;
  if (problems.length > 0 || facts.length === 0) return { problems };
  if (new Set(facts.map((f) => f.arch)).size > 1) {
    problems.push({
      path: [],
      message: `${JSON.stringify(types)} mixes x86_64 and arm64 types; one node group runs one AMI, so use one architecture`,
    });
    return { problems };
  }
  if (!wantGpu) return { shape: { kind: "cpu", facts: cpu }, problems };
  const models = new Set(gpu.map((f) => f.gpuModel));
  if (models.size > 1) {
    problems.push({
      path: [],
      message: `${JSON.stringify(types)} mixes GPU models ${[...models].join(", ")}; placement matches one model per pool, so split them`,
    });
    return { problems };
  }
  return { shape: { kind: "gpu", facts: gpu }, problems };
}

/** The shape of instance types the schema has already accepted. */
export function instanceShapeOf(types: readonly string[], wantGpu: boolean): InstanceShape {
  const { shape, problems } = resolveInstanceShape(types, wantGpu);
  if (!shape)
    throw new Error(
      `instance types passed validation yet have no facts: ${problems.map((p) => p.message).join("; ")}`,
    );
  return shape;
}

/**
 * Whether a node group is meant as a GPU pool: any GPU type in its list makes it one. The one rule
 * for every path that has to decide (a cluster's `nodeGroups`, stack config, target derivation);
 * validation of a GPU pool then names each listed type that has no GPU.
 */
export function isGpuGroup(types: readonly string[]): boolean {
  return types.some((t) => AWS_GPU_INSTANCES.has(t));
}

/**
 * With several instance types the group may start any of them, so placement plans with the
 * smallest: the least cpu, memory and GPUs among them.
 */
export function smallestShape(shape: InstanceShape): {
  cpu: number;
  memoryGiB: number;
  arch: "x86_64" | "arm64";
  gpu?: { count: number; model: string };
} {
  const facts: (GpuFacts | CpuFacts)[] = shape.facts;
  const cpu = Math.min(...facts.map((f) => f.vcpu));
  const memoryGiB = Math.min(...facts.map((f) => f.memoryGiB));
  const arch = facts[0]?.arch ?? "x86_64";
  if (shape.kind === "gpu") {
    return {
      cpu,
      memoryGiB,
      arch,
      gpu: { count: Math.min(...shape.facts.map((f) => f.gpus)), model: shape.facts[0]?.gpuModel ?? "" },
    };
  }
  return { cpu, memoryGiB, arch };
}

/** EFA interfaces one instance of `type` takes (AWS_EFA_INTERFACES; one where the table has no row). */
export function efaInterfacesOf(type: string): number {
  return AWS_EFA_INTERFACES.get(type) ?? 1;
}

/**
 * EFA interfaces the launch template of these types attaches: one template serves every listed
 * type, so they must all take the same number. `undefined` when they do not.
 */
export function efaInterfaceCount(types: readonly string[]): number | undefined {
  const counts = new Set(types.map(efaInterfacesOf));
  return counts.size === 1 ? [...counts][0] : undefined;
}
