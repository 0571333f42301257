// Setup file of the Vitest project. Its files share the worker processes, so the SDK's modules
// and the providers' are loaded once per worker instead of once per file (that load was two
// thirds of the suite's time). Pulumi's runtime keeps its settings (mocks, config, the
// stack resource) in process-wide state: each file starts from none, drains its own registrations
// before the next file starts, and gets the working directory back that it found.
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll } from "vitest";

const directory = process.cwd();

function resetPulumi(): void {
  pulumi.runtime.resetOptions("", "", -1, "", "", false, "");
  pulumi.runtime.setAllConfig({});
}

beforeAll(resetPulumi);

afterAll(async () => {
  // A registration still in flight would otherwise land in the next file's mocks.
  await pulumi.runtime.disconnect();
  resetPulumi();
  process.chdir(directory);
});
