import * as pulumi from "@pulumi/pulumi";
import { build, prepare } from "../../stacks/main";
import { DEFAULT_MOCK_CLOUD, RealisticMocks } from "./mocks";
import { type RecordedResource, Recorder } from "./recorder";
import { readStackFile } from "./stack-file";

/** Everything an update of the stack would create, as recorded under mocks. */
export interface PlanRun {
  project: string;
  stack: string;
  /** Every resource, sorted by URN so two runs print the same bytes. */
  resources: RecordedResource[];
  /** Stack outputs, secrets as "[secret]". */
  outputs: Record<string, unknown>;
  /** Paths of the stack outputs that are secret. */
  secretOutputs: string[];
}

/**
 * Runs the reference program for `stack` under Pulumi's mocks, the way `pulumi preview` runs it
 * under the engine: same entry point, same config, no cloud calls.
 */
export async function runPlan(root: string, stack: string): Promise<PlanRun> {
  const file = readStackFile(root, stack);
  // The program reads its catalog and lock relative to the project, as under the Pulumi CLI.
  process.chdir(root);
  pulumi.runtime.setAllConfig(file.config, file.secretKeys);
  await pulumi.runtime.setMocks(new RealisticMocks(DEFAULT_MOCK_CLOUD), file.project, stack, true);
  // Everything is validated and placed before the stack exists: a config error registers nothing.
  const prepared = await prepare();
  const recorder = new Recorder();
  await pulumi.runtime.runInPulumiStack(async () => build(prepared));
  await recorder.settle();
  const resources = recorder.resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  const root_ = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  return {
    project: file.project,
    stack,
    resources,
    outputs: root_?.outputs ?? {},
    secretOutputs: root_?.secretOutputs ?? [],
  };
}
