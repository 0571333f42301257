import * as pulumi from "@pulumi/pulumi";
import {
  type MockCloud,
  type RecordedResource,
  type Recorder,
  setRealisticMocks,
} from "../../components/testing";

export interface MockOptions {
  project?: string;
  stack?: string;
  /** Stack config as `namespace:key` -> value (objects are JSON-encoded). */
  config?: Record<string, unknown>;
  secretKeys?: string[];
  cloud?: Partial<MockCloud>;
}

/**
 * Points Pulumi's runtime at the realistic mocks and starts recording registrations. Call it
 * before importing the code under test.
 */
export async function startMocks(options: MockOptions = {}): Promise<Recorder> {
  return setRealisticMocks({ project: "hybrid-ai-infra", stack: "dev", ...options });
}

/** The one recorded resource of `type` named `name`; fails loudly when there is none or several. */
export function one(resources: RecordedResource[], type: string, name: string): RecordedResource {
  const found = resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) {
    const names = resources.filter((r) => r.type === type).map((r) => r.name);
    throw new Error(
      `expected one ${type} named ${name}, found ${found.length}; ${type} names: ${names.join(", ")}`,
    );
  }
  return found[0] as RecordedResource;
}

/** All recorded resources of `type`. */
export function ofType(resources: RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

/** Every resource below `urn` in the tree (children, grandchildren...). */
export function descendants(resources: RecordedResource[], urn: string): RecordedResource[] {
  const out: RecordedResource[] = [];
  const frontier = [urn];
  while (frontier.length > 0) {
    const current = frontier.pop();
    for (const r of resources) {
      if (r.parent === current) {
        out.push(r);
        frontier.push(r.urn);
      }
    }
  }
  return out;
}

/** Resolves a Pulumi Output in a test (mocks resolve every value). */
export function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Whether an Output is marked secret. */
export function isSecret(output: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(output);
}
