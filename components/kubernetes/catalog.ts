import { z } from "zod";
import { parseOrThrow, parseYamlFile } from "../validation";
import { type WorkloadSpec, workloadSpecSchema } from "./spec";

const catalogSchema = z.strictObject({
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
  }),
});

/**
 * Parses a workload catalog (YAML with `workloads: [...]`, as `stacks/workloads.<env>.yaml`) and
 * checks every entry, placement and Kubernetes fields alike, with no unknown field: one
 * ConfigError lists every problem by path; a YAML syntax error names the line and column.
 * `source` names the file in messages.
 */
export function parseWorkloadCatalog(text: string, source = "workload catalog"): WorkloadSpec[] {
  const doc = parseYamlFile(source, text);
  return parseOrThrow(`workload catalog ${source}`, catalogSchema, doc).workloads as WorkloadSpec[];
}
