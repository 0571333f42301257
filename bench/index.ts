import { join } from "node:path";
import { runFleetBench } from "./fleet";
import { runPlacementBench } from "./placement";
import { runPlanBench } from "./plan";
import { runPolicyBench } from "./policy";
import { runTrafficBench } from "./traffic";

// `npm run bench [-- <name>...] [--quick]`: runs the named benchmarks (all when none is named).
// Each prints its table and writes JSON under bench/results/ (git-ignored).

const BENCHES: Record<string, (quick: boolean) => Promise<void>> = {
  placement: (quick) => runPlacementBench({ quick, out: join(__dirname, "results", "placement.json") }),
  plan: (quick) => runPlanBench({ quick, out: join(__dirname, "results", "plan.json") }),
  policy: (quick) => runPolicyBench({ quick, out: join(__dirname, "results", "policy.json") }),
  fleet: (quick) => runFleetBench({ quick, out: join(__dirname, "results", "fleet.json") }),
  traffic: (quick) => runTrafficBench({ quick, out: join(__dirname, "results", "traffic.json") }),
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const named = args.filter((a) => !a.startsWith("--"));
  const unknown = named.filter((n) => !(n in BENCHES));
  if (unknown.length > 0) {
    throw new Error(
      `unknown benchmark ${unknown.join(", ")}; choose from ${Object.keys(BENCHES).join(", ")}`,
    );
  }
  for (const name of named.length > 0 ? named : Object.keys(BENCHES)) {
    await BENCHES[name]?.(quick);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
