import { defineConfig } from "vitest/config";
import { LAB } from "./vitest.config.mts";

// `npm run test:lab`: the suites that run real tools (strongSwan and FRR in network namespaces,
// rclone against local S3 and Azure Storage emulators, HAProxy, promtool). Each runs in its own
// process, one file at a time: they start daemons and bind ports.
export default defineConfig({
  test: {
    include: LAB,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 1,
    setupFiles: ["test/helpers/pulumi-stack-traces.ts"],
  },
});
