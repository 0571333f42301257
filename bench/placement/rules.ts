import type { Pool, Target, Workload } from "../../components/placement";

// The hard rules of DESIGN.md section 6, written again from the text for the benchmark. The
// verifier, the baselines, the bound and exhaustive search use these, never the engine's filters,
// so a bug in the engine's rules cannot hide itself. One rule is about a whole workload rather than
// one pool (a training world runs on one pool): `isTrainingWorld` says which workloads it binds.

export const EPS = 1e-9;

export function headroom(p: Pool): number {
  return p.headroom ?? 0.1;
}

export function capacity(p: Pool): { cpu: number; mem: number; gpu: number } {
  const h = headroom(p);
  return { cpu: p.node.cpu * (1 - h), mem: p.node.memoryGiB * (1 - h), gpu: p.node.gpu?.count ?? 0 };
}

function inResidency(w: Workload, t: Target): boolean {
  return (w.residency ?? []).some((j) => j.toLowerCase() === t.jurisdiction.toLowerCase());
}

function hostedSomewhere(dataset: string, targets: readonly Target[]): boolean {
  return targets.some((t) => (t.datasets ?? []).includes(dataset));
}

/** The first hard rule `w` breaks on pool `p` of target `t` (one of `targets`), or null when it may run there. */
export function brokenRule(w: Workload, t: Target, p: Pool, targets: readonly Target[]): string | null {
  if (w.pin !== undefined) {
    const [tn, pn] = w.pin.split("/");
    if (tn !== t.name || (pn !== undefined && pn !== p.name)) return "pin";
  }
  if (w.classification === "restricted" && t.trust !== "private") return "restricted on a public target";
  if (w.classification === "confidential" && t.trust !== "private" && !inResidency(w, t)) {
    return "confidential on a public target outside its residency";
  }
  if (w.classification === "confidential" && p.spot === true) return "confidential on spot";
  // The engine holds restricted data to the confidential rule here too (stricter than the text).
  if (w.classification === "restricted" && p.spot === true) return "restricted on spot";
  if (w.residency !== undefined && !inResidency(w, t)) return "outside residency";
  if (t.remoteDatasets !== undefined) {
    const readable = new Set([...(t.datasets ?? []), ...t.remoteDatasets]);
    const unreachable = (w.datasets ?? []).some(
      (d) => !readable.has(d.name) && hostedSomewhere(d.name, targets),
    );
    if (unreachable) return "a dataset the target cannot reach";
  }
  if (w.gpu !== undefined) {
    const g = p.node.gpu;
    if (g === undefined) return "GPU workload on a pool without GPUs";
    if (w.gpu.models !== undefined && !w.gpu.models.some((m) => m.toLowerCase() === g.model.toLowerCase())) {
      return "wrong GPU model";
    }
    if (g.count < w.gpu.count) return "too few GPUs per node";
  } else if (p.node.gpu !== undefined) {
    return "non-GPU workload on a GPU pool";
  }
  if (p.spot === true && w.spotOk !== true) return "spot pool for a workload that is not spotOk";
  const cap = capacity(p);
  if (w.cpu > cap.cpu + EPS || w.memoryGiB > cap.mem + EPS) return "a replica does not fit a node";
  return null;
}

/** A multi-replica training job: its ranks reach each other, so all of them run on one pool. */
export function isTrainingWorld(w: Workload): boolean {
  return w.kind === "training" && w.replicas > 1;
}

/** Every (target, pool) a workload may run on. */
export function allowedPools(w: Workload, targets: readonly Target[]): { target: Target; pool: Pool }[] {
  const out: { target: Target; pool: Pool }[] = [];
  for (const target of targets) {
    for (const pool of target.pools) {
      if (brokenRule(w, target, pool, targets) === null) out.push({ target, pool });
    }
  }
  return out;
}

/** $/h of egress for one replica of `w` on target `t`. */
export function egressPerReplica(w: Workload, t: Target, targets: readonly Target[]): number {
  let sum = 0;
  for (const d of w.datasets ?? []) {
    if ((t.datasets ?? []).includes(d.name)) continue;
    const prices = targets
      .filter((x) => (x.datasets ?? []).includes(d.name))
      .map((x) => x.egressPricePerGiB ?? 0);
    if (prices.length === 0) continue;
    sum += (d.readGiBPerHour * Math.min(...prices)) / w.replicas;
  }
  return sum;
}

/** The largest share of a node one replica takes: cpu, memory or GPUs. */
export function share(w: Workload, p: Pool): number {
  const cap = capacity(p);
  const g = w.gpu?.count ?? 0;
  return Math.max(w.cpu / cap.cpu, w.memoryGiB / cap.mem, cap.gpu > 0 ? g / cap.gpu : 0);
}

/** First-fit-decreasing of (workload, replicas) items onto nodes of `p`; the number of nodes, or null past `limit`. */
export function ffdNodes(
  items: readonly { w: Workload; replicas: number }[],
  p: Pool,
  limit: number,
): number | null {
  const cap = capacity(p);
  const sorted = [...items].sort((a, b) => share(b.w, p) - share(a.w, p) || (a.w.name < b.w.name ? -1 : 1));
  const nodes: { cpu: number; mem: number; gpu: number }[] = [];
  for (const { w, replicas } of sorted) {
    const g = w.gpu?.count ?? 0;
    for (let r = 0; r < replicas; r++) {
      let node = nodes.find(
        (n) =>
          n.cpu + w.cpu <= cap.cpu + EPS &&
          n.mem + w.memoryGiB <= cap.mem + EPS &&
          n.gpu + g <= cap.gpu + EPS,
      );
      if (node === undefined) {
        if (nodes.length >= limit) return null;
        node = { cpu: 0, mem: 0, gpu: 0 };
        nodes.push(node);
      }
      node.cpu += w.cpu;
      node.mem += w.memoryGiB;
      node.gpu += g;
    }
  }
  return nodes.length;
}
