import { join } from "node:path";
import { runDataBench } from "./data";
import { runFleetBench } from "./fleet";
import { runPlacementBench } from "./placement";
import { runPlanBench } from "./plan";
import { runPolicyBench } from "./policy";
import { runTrafficBench } from "./traffic";

// `npm run bench [-- <name>...] [--full]`: runs the named benchmarks (all when none is named).
// Each prints its table and writes JSON under bench/results/ (git-ignored). The quick run is the
// default (about a minute or two on 2 cores); `--full` adds the larger instances (the placement
// benchmark's 10,000- and 50,000-workload fleets: about 7 minutes and 2.5 GiB).

const BENCHES: Record<string, (quick: boolean) => Promise<void>> = {
  placement: (quick) => runPlacementBench({ quick, out: join(__dirname, "results", "placement.json") }),
  plan: (quick) => runPlanBench({ quick, out: join(__dirname, "results", "plan.json") }),
  policy: (quick) => runPolicyBench({ quick, out: join(__dirname, "results", "policy.json") }),
  fleet: (quick) => runFleetBench({ quick, out: join(__dirname, "results", "fleet.json") }),
  data: (quick) => runDataBench({ quick, out: join(__dirname, "results", "data.json") }),
  traffic: (quick) => runTrafficBench({ quick, out: join(__dirname, "results", "traffic.json") }),
};

/** `--quick` is accepted for scripts written when the full run was the default. */
const FLAGS = ["--full", "--quick"];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flags = args.filter((a) => a.startsWith("--"));
  const badFlag = flags.find((f) => !FLAGS.includes(f));
  if (badFlag !== undefined) {
    throw new Error(`unknown option ${badFlag}; choose from ${FLAGS.join(", ")} (quick is the default)`);
  }
  if (flags.includes("--full") && flags.includes("--quick"))
    throw new Error("choose --full or --quick, not both");
  const quick = !flags.includes("--full");
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
