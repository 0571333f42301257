import { type ConfigIssue, showValue } from "../validation";

// Rules that relate one part of the input to another. They read the raw input defensively, so they
// still report when the schema has found problems elsewhere: the user sees every problem at once.

type Raw = Record<string, unknown>;

function records(value: unknown): [number, Raw][] {
  if (!Array.isArray(value)) return [];
  const out: [number, Raw][] = [];
  value.forEach((item, index) => {
    if (typeof item === "object" && item !== null && !Array.isArray(item)) out.push([index, item as Raw]);
  });
  return out;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function integer(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) ? value : undefined;
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 8).join(", ");
  return names.length > 8 ? `${shown} and ${names.length - 8} more` : shown || "none";
}

/** Reports each name used more than once, at the path of every later use. */
function duplicates(items: [number, Raw][], path: (index: number) => string, what: string): ConfigIssue[] {
  const first = new Map<string, number>();
  const issues: ConfigIssue[] = [];
  for (const [index, item] of items) {
    const name = text(item.name);
    if (name === undefined) continue;
    const earlier = first.get(name);
    if (earlier === undefined) {
      first.set(name, index);
    } else {
      issues.push({
        path: `${path(index)}.name`,
        message: `${showValue(name)} is already the name of ${path(earlier)}; ${what} names must be unique`,
      });
    }
  }
  return issues;
}

export function crossCheck(input: unknown): ConfigIssue[] {
  if (typeof input !== "object" || input === null) return [];
  const raw = input as Raw;
  const workloads = records(raw.workloads);
  const targets = records(raw.targets);
  const issues: ConfigIssue[] = [];

  issues.push(...duplicates(workloads, (i) => `workloads[${i}]`, "workload"));
  issues.push(...duplicates(targets, (i) => `targets[${i}]`, "target"));

  const poolsByTarget = new Map<string, string[]>();
  for (const [t, target] of targets) {
    const pools = records(target.pools);
    issues.push(...duplicates(pools, (p) => `targets[${t}].pools[${p}]`, "pool (within a target)"));
    const name = text(target.name);
    if (name !== undefined && !poolsByTarget.has(name)) {
      poolsByTarget.set(
        name,
        pools.map(([, pool]) => text(pool.name)).filter((n): n is string => n !== undefined),
      );
    }
    for (const [p, pool] of pools) {
      const min = integer(pool.minNodes) ?? 0;
      const max = integer(pool.maxNodes);
      if (max !== undefined && max < min) {
        issues.push({
          path: `targets[${t}].pools[${p}].maxNodes`,
          message: `${max} is below minNodes ${min}; maxNodes must be at least minNodes`,
        });
      }
    }
  }

  for (const [w, workload] of workloads) {
    const pin = text(workload.pin);
    if (pin !== undefined && /^[^/]+(\/[^/]+)?$/.test(pin)) {
      const [targetName = "", poolName] = pin.split("/");
      const pools = poolsByTarget.get(targetName);
      if (pools === undefined) {
        issues.push({
          path: `workloads[${w}].pin`,
          message: `${showValue(pin)} names no target; targets are ${listNames([...poolsByTarget.keys()])}`,
        });
      } else if (poolName !== undefined && !pools.includes(poolName)) {
        issues.push({
          path: `workloads[${w}].pin`,
          message: `${showValue(pin)} names no pool of ${targetName}; its pools are ${listNames(pools)}`,
        });
      }
    }
    const spread = workload.spread;
    const replicas = integer(workload.replicas);
    if (typeof spread === "object" && spread !== null && replicas !== undefined) {
      const minTargets = integer((spread as Raw).minTargets);
      if (minTargets !== undefined && minTargets > replicas) {
        issues.push({
          path: `workloads[${w}].spread.minTargets`,
          message: `${minTargets} exceeds replicas ${replicas}; every target of a spread needs a replica`,
        });
      }
    }
    if (workload.kind === "training" && typeof spread === "object" && spread !== null) {
      const minTargets = integer((spread as Raw).minTargets);
      if (minTargets !== undefined && minTargets > 1) {
        issues.push({
          path: `workloads[${w}].spread.minTargets`,
          message: `${minTargets} would split training workload ${showValue(workload.name)} over ${minTargets} targets, but a training world runs whole on one pool, where its ranks reach each other; leave out spread (or set minTargets 1), or use kind "batch" for replicas that run alone`,
        });
      }
    }
    const datasets = records(workload.datasets);
    issues.push(
      ...duplicates(datasets, (d) => `workloads[${w}].datasets[${d}]`, "dataset (within a workload)"),
    );
  }
  return issues;
}
