import { readFileSync } from "node:fs";
import { ALL_RULES } from "./policies/rules";
import { readDocument } from "./scripts/policy/document";
import { evaluatePack } from "./test/policies/evaluate";
(async () => {
  for (const stack of ["dev", "staging", "prod"]) {
    const resources = readDocument(`/tmp/plan-${stack}.json`);
    const config = JSON.parse(readFileSync(`policies/config.${stack}.json`, "utf8"));
    const t = Date.now();
    const f = await evaluatePack(ALL_RULES, resources, config);
    const by: Record<string, number> = {};
    for (const x of f) by[`${x.enforcementLevel} ${x.policy}`] = (by[`${x.enforcementLevel} ${x.policy}`] ?? 0) + 1;
    console.log(stack, resources.length, "resources", f.length, "findings", Date.now() - t, "ms", JSON.stringify(by));
    if (process.argv[2]) for (const x of f.filter((x) => x.policy === process.argv[2])) console.log("  ", x.urn.split("::").pop(), x.message);
  }
})();
