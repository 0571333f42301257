import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_MOCK_CLOUD, type MockCloud, RealisticMocks, type ReferencedStack } from "./mocks";
import { Recorder } from "./recorder";

/** Where the mocked program runs. */
export interface RealisticMocksOptions {
  /** Default "test". */
  project?: string;
  /** Default "test". */
  stack?: string;
  /** Stack config as `namespace:key` -> value (objects are JSON-encoded, as the CLI passes them). */
  config?: Record<string, unknown>;
  /** Config keys that are secrets. */
  secretKeys?: string[];
  /** The account and region the mock cloud pretends to be, and node groups that already run. */
  cloud?: Partial<MockCloud>;
  /**
   * Stacks a `StackReference` in the program may name, by full name (`org/project/stack`), with
   * their outputs and which top-level outputs are secret: a product team's program reads the
   * platform stack's outputs this way.
   */
  stacks?: Record<string, ReferencedStack>;
}

/**
 * Points Pulumi's runtime at the realistic mocks and returns a recorder of every resource the
 * program then registers. Call it before importing the program under test; after the program,
 * `await recorder.settle()` and read `recorder.resources`.
 */
export async function setRealisticMocks(options: RealisticMocksOptions = {}): Promise<Recorder> {
  if (options.config) {
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.config))
      flat[k] = typeof v === "string" ? v : JSON.stringify(v);
    pulumi.runtime.setAllConfig(flat, options.secretKeys);
  }
  await pulumi.runtime.setMocks(
    new RealisticMocks({ ...DEFAULT_MOCK_CLOUD, ...options.cloud }, options.stacks ?? {}),
    options.project ?? "test",
    options.stack ?? "test",
    false,
  );
  return new Recorder();
}
