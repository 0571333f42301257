// Setup file of the "no-mocks" Vitest project, whose files share worker threads without
// isolation: a file there that pointed Pulumi's runtime at mocks, set its config or declared a
// stack would leak that into whichever file runs next in the thread. This fails such a file, which
// belongs in the isolated "pulumi-mocks" project (vitest.config.mts) instead.
import { afterAll } from "vitest";

interface PulumiGlobals {
  // Where @pulumi/pulumi keeps its runtime state (runtime/state.js, runtime/settings.js).
  globalStore?: {
    settings?: { monitor?: unknown };
    config?: Record<string, string>;
    stackResource?: unknown;
  };
  stackResource?: unknown;
}

afterAll(() => {
  const { globalStore, stackResource } = globalThis as PulumiGlobals;
  const left = [
    globalStore?.settings?.monitor ? "mocks (pulumi.runtime.setMocks)" : "",
    Object.values(globalStore?.config ?? {}).some(Boolean) ? "config (pulumi.runtime.setAllConfig)" : "",
    (stackResource ?? globalStore?.stackResource) ? "a stack resource" : "",
  ].filter(Boolean);
  if (left.length > 0) {
    throw new Error(
      `this file left Pulumi runtime state behind (${left.join(", ")}); it shares a thread with other files, so take it out of NO_MOCKS in vitest.config.mts`,
    );
  }
});
