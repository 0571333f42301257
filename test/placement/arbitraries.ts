import fc from "fast-check";
import type { PlacementInput, Pool, Target, Workload } from "../../components/placement";

// Random placement inputs for property tests: every feature of the model (GPU models and counts,
// classifications, residency, spot, datasets, spread, pins, minNodes, priorities), sized so a
// test stays fast.

const JURISDICTIONS = ["EU", "US", "CH"] as const;

/** `value` about once in `oneIn` draws, otherwise undefined. */
function sometimes<T>(value: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: oneIn - 1 }, { arbitrary: value, weight: 1 });
}
const MODELS = ["T4", "L4", "A100", "H100"] as const;

function poolArb(name: string): fc.Arbitrary<Pool> {
  return fc
    .record({
      cpu: fc.constantFrom(4, 8, 16),
      memory: fc.constantFrom(16, 32, 64),
      gpu: sometimes(fc.record({ count: fc.constantFrom(1, 2, 4, 8), model: fc.constantFrom(...MODELS) }), 4),
      minNodes: fc.constantFrom(0, 0, 0, 1),
      extra: fc.integer({ min: 1, max: 4 }),
      price: fc.constantFrom(0.1, 0.25, 0.4, 1, 3),
      spot: fc.constantFrom(false, false, true),
      headroom: fc.constantFrom(undefined, 0, 0.1, 0.2),
    })
    .map((r) => ({
      name,
      node: { cpu: r.cpu, memoryGiB: r.memory, ...(r.gpu === undefined ? {} : { gpu: r.gpu }) },
      minNodes: r.minNodes,
      maxNodes: r.minNodes + r.extra,
      pricePerNodeHour: r.price,
      ...(r.spot ? { spot: true } : {}),
      ...(r.headroom === undefined ? {} : { headroom: r.headroom }),
    }));
}

function targetArb(index: number): fc.Arbitrary<Target> {
  const name = `t${index}`;
  return fc
    .record({
      cloud: fc.constantFrom("onprem", "aws", "azure" as const),
      trust: fc.constantFrom("private", "private", "public" as const),
      jurisdiction: fc.constantFrom(...JURISDICTIONS),
      egress: fc.constantFrom(0, 0.02, 0.09),
      datasets: fc.subarray(["d1", "d2"]),
      remote: sometimes(fc.subarray(["d1", "d2"]), 2),
      pools: fc
        .integer({ min: 1, max: 2 })
        .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => poolArb(`p${i}`)))),
    })
    .map((r) => ({
      name,
      cloud: r.cloud,
      region: "r1",
      jurisdiction: r.jurisdiction,
      trust: r.trust,
      egressPricePerGiB: r.egress,
      datasets: r.datasets,
      ...(r.remote === undefined ? {} : { remoteDatasets: r.remote }),
      pools: r.pools,
    }));
}

function workloadArb(index: number, targets: readonly Target[]): fc.Arbitrary<Workload> {
  const pins = targets.flatMap((t) => [t.name, ...t.pools.map((p) => `${t.name}/${p.name}`)]);
  return fc
    .record({
      kind: fc.constantFrom("service", "inference", "training", "batch" as const),
      replicas: fc.integer({ min: 1, max: 3 }),
      cpu: fc.constantFrom(0.5, 1, 2, 3, 6),
      memory: fc.constantFrom(1, 4, 8, 16),
      gpu: sometimes(
        fc.record({
          count: fc.constantFrom(1, 2, 4),
          models: sometimes(fc.subarray([...MODELS], { minLength: 2 }), 2),
        }),
        4,
      ),
      classification: fc.constantFrom(
        "public",
        "internal",
        "internal",
        "confidential",
        "restricted" as const,
      ),
      residency: sometimes(fc.subarray([...JURISDICTIONS], { minLength: 1 }), 4),
      priority: fc.constantFrom(0, 0, 1, 2),
      spotOk: fc.boolean(),
      reads: sometimes(
        fc.record({ name: fc.constantFrom("d1", "d2", "d3"), readGiBPerHour: fc.constantFrom(1, 10, 50) }),
        2,
      ),
      spread: fc.constantFrom(1, 1, 1, 2),
      pin: sometimes(fc.constantFrom(...pins), 15),
    })
    .map((r) => {
      const w: Workload = {
        name: `w${index}`,
        kind: r.kind,
        replicas: r.replicas,
        cpu: r.cpu,
        memoryGiB: r.memory,
        classification: r.classification,
      };
      if (r.gpu !== undefined)
        w.gpu = { count: r.gpu.count, ...(r.gpu.models === undefined ? {} : { models: r.gpu.models }) };
      if (r.residency !== undefined) w.residency = r.residency;
      if (r.priority > 0) w.priority = r.priority;
      if (r.spotOk) w.spotOk = true;
      if (r.reads !== undefined) w.datasets = [r.reads];
      // A training world runs on one pool: spread over targets is refused for it.
      if (r.spread > 1 && r.replicas >= r.spread && r.kind !== "training")
        w.spread = { minTargets: r.spread };
      if (r.pin !== undefined) w.pin = r.pin;
      return w;
    });
}

/** A random input with `targets` and `workloads` in the given ranges (and sometimes a lock). */
export function inputArb(opts: {
  targets: [number, number];
  workloads: [number, number];
}): fc.Arbitrary<PlacementInput> {
  return fc
    .integer({ min: opts.targets[0], max: opts.targets[1] })
    .chain((nt) => fc.tuple(...Array.from({ length: nt }, (_, i) => targetArb(i))))
    .chain((targets) =>
      fc
        .integer({ min: opts.workloads[0], max: opts.workloads[1] })
        .chain((nw) => fc.tuple(...Array.from({ length: nw }, (_, i) => workloadArb(i, targets))))
        .map((workloads) => ({ workloads, targets }) as PlacementInput),
    );
}
