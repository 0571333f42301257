import { z } from "zod";
import { ConfigError, type ConfigIssue, describeIssues, parseYamlFile } from "../validation";
import { catalogIssues } from "./catalog-checks";
import { type QueueSettings, queueSettingsSchema } from "./queues/settings";
import { type WorkloadSpec, workloadSpecSchema } from "./spec";

/** A workload catalog: its workloads, and how their queues behave. */
export interface WorkloadCatalog {
  workloads: WorkloadSpec[];
  /** The catalog's `queues:` section (priorities, preemption), when it has one. */
  queues?: QueueSettings;
}

const catalogSchema = z.strictObject({
  queues: queueSettingsSchema.optional(),
  workloads: z.array(workloadSpecSchema).superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((w, i) => {
      const first = seen.get(w.name);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [i, "name"],
          message: `"${w.name}" is also workloads[${first}]; workload names must be unique`,
        });
      } else seen.set(w.name, i);
    });
    if (list.length !== seen.size) return;
    for (const issue of catalogIssues(list as WorkloadSpec[]))
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  }),
});

type Raw = Record<string, unknown>;

/**
 * A workload's `priority` may name one of the catalog's priority classes: it becomes the class's
 * value (placement's priority) and the class (the queues'). An unknown name is reported at the
 * workload's `priority`.
 */
function resolvePriorityNames(doc: unknown): { doc: unknown; issues: ConfigIssue[] } {
  if (doc === null || typeof doc !== "object" || !Array.isArray((doc as Raw).workloads))
    return { doc, issues: [] };
  const queues = (doc as Raw).queues as Raw | undefined;
  const classes = Array.isArray(queues?.priorityClasses) ? (queues.priorityClasses as Raw[]) : [];
  const byName = new Map(
    classes.filter((c) => typeof c?.name === "string").map((c) => [c.name as string, c.value] as const),
  );
  const issues: ConfigIssue[] = [];
  const workloads = ((doc as Raw).workloads as unknown[]).map((w, i) => {
    if (w === null || typeof w !== "object" || typeof (w as Raw).priority !== "string") return w;
    const name = (w as Raw).priority as string;
    const value = byName.get(name);
    if (typeof value !== "number") {
      const known = [...byName.keys()];
      issues.push({
        path: `workloads[${i}].priority`,
        message: `"${name}" is not a priority class of the catalog; ${known.length > 0 ? `name one of ${known.join(", ")} (queues.priorityClasses)` : "declare it under queues.priorityClasses"}, or give a number`,
      });
      return { ...(w as Raw), priority: 0 };
    }
    return { ...(w as Raw), priority: value, priorityClass: name };
  });
  return { doc: { ...(doc as Raw), workloads }, issues };
}

/**
 * Parses a workload catalog (YAML with `workloads: [...]` and an optional `queues:` section, as
 * `stacks/workloads.<env>.yaml`) and checks every entry, placement and Kubernetes fields alike, with
 * no unknown field: one ConfigError lists every problem by path; a YAML syntax error names the line
 * and column. `source` names the file in messages.
 */
export function parseCatalog(text: string, source = "workload catalog"): WorkloadCatalog {
  const { doc, issues } = resolvePriorityNames(parseYamlFile(source, text));
  const parsed = catalogSchema.safeParse(doc, { reportInput: true });
  const all = [...issues, ...(parsed.success ? [] : describeIssues(parsed.error.issues))];
  if (!parsed.success || all.length > 0) throw new ConfigError(`workload catalog ${source}`, all);
  const { workloads, queues } = parsed.data;
  return { workloads: workloads as WorkloadSpec[], ...(queues ? { queues: queues as QueueSettings } : {}) };
}

/** The workloads of a catalog (see `parseCatalog`, which also returns its queue settings). */
export function parseWorkloadCatalog(text: string, source = "workload catalog"): WorkloadSpec[] {
  return parseCatalog(text, source).workloads;
}
