import type { PlacementInput, Pool, Target, Workload } from "../../components/placement";
import { allowedPools, capacity, EPS, egressPerReplica, isTrainingWorld } from "./rules";

// Exhaustive search for tiny instances: every way to split each workload's replicas over its
// allowed pools (or leave it out), with exact bin packing per pool and branch and bound. Written
// apart from the engine; the benchmark checks the engine reaches its optimum every time.

export interface Optimum {
  /** Placed workloads by priority, highest first: [priority, count]. */
  readonly placed: [number, number][];
  readonly cost: number;
  readonly assignment: Map<string, Map<string, number>>;
}

interface PoolRef {
  readonly key: string;
  readonly target: Target;
  readonly pool: Pool;
}

/** The fewest nodes that hold `items` (replica sizes) on `pool`, or Infinity beyond maxNodes. */
function minNodes(pool: Pool, items: readonly [number, number, number][], memo: Map<string, number>): number {
  if (items.length === 0) return 0;
  const sorted = [...items].sort((a, b) => b[0] - a[0] || b[1] - a[1] || b[2] - a[2]);
  const cap0 = capacity(pool);
  const key = `${cap0.cpu},${cap0.mem},${cap0.gpu},${pool.maxNodes}|${sorted.map((i) => i.join(",")).join(";")}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const cap = capacity(pool);
  let best = Number.POSITIVE_INFINITY;
  const bins: [number, number, number][] = [];
  const place = (i: number): void => {
    if (bins.length >= best) return;
    if (i === sorted.length) {
      best = bins.length;
      return;
    }
    const [c, m, g] = sorted[i] as [number, number, number];
    const seen = new Set<string>();
    for (const bin of bins) {
      const sig = bin.join(",");
      if (seen.has(sig)) continue;
      seen.add(sig);
      if (bin[0] + c <= cap.cpu + EPS && bin[1] + m <= cap.mem + EPS && bin[2] + g <= cap.gpu + EPS) {
        bin[0] += c;
        bin[1] += m;
        bin[2] += g;
        place(i + 1);
        bin[0] -= c;
        bin[1] -= m;
        bin[2] -= g;
      }
    }
    if (bins.length + 1 < best && bins.length < pool.maxNodes) {
      bins.push([c, m, g]);
      place(i + 1);
      bins.pop();
    }
  };
  place(0);
  memo.set(key, best);
  return best;
}

/** Every way to split `replicas` over `n` parts (compositions with zeros). */
function splits(replicas: number, n: number): number[][] {
  if (n === 0) return replicas === 0 ? [[]] : [];
  if (n === 1) return [[replicas]];
  const out: number[][] = [];
  for (let k = replicas; k >= 0; k--) for (const rest of splits(replicas - k, n - 1)) out.push([k, ...rest]);
  return out;
}

function better(a: [number, number][], b: [number, number][]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i]?.[1] ?? 0) - (b[i]?.[1] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function exhaustive(input: PlacementInput): Optimum {
  const moveCost = input.options?.moveCost ?? 1;
  const pools: PoolRef[] = input.targets.flatMap((t) =>
    t.pools.map((p) => ({ key: `${t.name}/${p.name}`, target: t, pool: p })),
  );
  const levels = [...new Set(input.workloads.map((w) => w.priority ?? 0))].sort((a, b) => b - a);
  const previous = new Map<string, Set<string>>();
  for (const a of input.previous?.assignments ?? []) {
    previous.set(a.workload, (previous.get(a.workload) ?? new Set()).add(`${a.target}/${a.pool}`));
  }
  // Each workload's options: null (left out) or replicas by pool key, with egress and move cost.
  const options = input.workloads.map((w: Workload) => {
    const allowed = allowedPools(w, input.targets).map((x) => `${x.target.name}/${x.pool.name}`);
    const refs = pools.filter((p) => allowed.includes(p.key));
    const out: { parts: Map<string, number>; extra: number }[] = [];
    for (const split of splits(w.replicas, refs.length)) {
      // A training world runs on one pool.
      if (isTrainingWorld(w) && split.filter((k) => k > 0).length > 1) continue;
      const parts = new Map<string, number>();
      let egress = 0;
      split.forEach((k, i) => {
        const ref = refs[i];
        if (k > 0 && ref !== undefined) {
          parts.set(ref.key, k);
          egress += k * egressPerReplica(w, ref.target, input.targets);
        }
      });
      const targets = new Set([...parts.keys()].map((k) => k.split("/")[0])).size;
      if (targets < (w.spread?.minTargets ?? 1)) continue;
      out.push({ parts, extra: egress + moved(w.name, parts) });
    }
    return out;
  });
  function moved(name: string, parts: ReadonlyMap<string, number> | null): number {
    const was = previous.get(name);
    if (was === undefined) return 0;
    const now = [...(parts?.keys() ?? [])];
    return now.length === was.size && now.every((k) => was.has(k)) ? 0 : moveCost;
  }

  const memo = new Map<string, number>();
  const items = new Map<string, [number, number, number][]>(pools.map((p) => [p.key, []]));
  const poolCost = (): number => {
    let sum = 0;
    for (const ref of pools) {
      const n = minNodes(ref.pool, items.get(ref.key) ?? [], memo);
      if (n === Number.POSITIVE_INFINITY) return n;
      sum += Math.max(ref.pool.minNodes ?? 0, n) * ref.pool.pricePerNodeHour;
    }
    return sum;
  };
  const counts = (chosen: (Map<string, number> | null)[]): [number, number][] =>
    levels.map((l) => [
      l,
      input.workloads.filter((w, i) => (w.priority ?? 0) === l && chosen[i] !== null).length,
    ]);

  let best: Optimum = {
    placed: levels.map((l) => [l, -1]),
    cost: Number.POSITIVE_INFINITY,
    assignment: new Map(),
  };
  const chosen: (Map<string, number> | null)[] = [];
  const search = (i: number, extra: number): void => {
    const compute = poolCost();
    if (compute === Number.POSITIVE_INFINITY) return;
    // Optimistic: everything not yet decided gets placed.
    const optimistic = counts([...chosen, ...input.workloads.slice(i).map(() => new Map<string, number>())]);
    const order = better(optimistic, best.placed);
    if (order < 0 || (order === 0 && compute + extra >= best.cost - 1e-9)) return;
    if (i === input.workloads.length) {
      const placed = counts(chosen);
      const cmp = better(placed, best.placed);
      if (cmp > 0 || (cmp === 0 && compute + extra < best.cost - 1e-9)) {
        const assignment = new Map<string, Map<string, number>>();
        input.workloads.forEach((w, k) => {
          const parts = chosen[k];
          if (parts) assignment.set(w.name, parts);
        });
        best = { placed, cost: compute + extra, assignment };
      }
      return;
    }
    const w = input.workloads[i] as Workload;
    const size: [number, number, number] = [w.cpu, w.memoryGiB, w.gpu?.count ?? 0];
    for (const option of options[i] ?? []) {
      for (const [key, k] of option.parts) for (let r = 0; r < k; r++) items.get(key)?.push(size);
      chosen.push(option.parts);
      search(i + 1, extra + option.extra);
      chosen.pop();
      for (const [key, k] of option.parts) for (let r = 0; r < k; r++) items.get(key)?.pop();
    }
    chosen.push(null);
    search(i + 1, extra + moved(w.name, null));
    chosen.pop();
  };
  search(0, 0);
  return best;
}
