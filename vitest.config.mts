import { defineConfig } from "vitest/config";

// The real-tool suites (`npm run test:lab`, vitest.lab.config.mts): slow to start and root-only, so
// `npm test` leaves them out; CI runs both.
export const LAB = ["test/lab/**/*.test.ts", "test/vpn/real-daemons.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores, three workers: Vitest's default (cores - 1) would run one file at a time, and a
    // third worker runs while another waits on a child process (the pack, the plan command): 61 s
    // against 64 s with two, measured twice on 2 cores.
    maxWorkers: 3,
    include: ["test/**/*.test.ts"],
    exclude: LAB,
    // One project, every file in one of the three worker processes, which load the SDKs, the
    // providers, TypeScript and the placement engine once each. Two projects (the files that never
    // touch Pulumi's runtime in threads, the rest in processes) had six workers load most of that,
    // and Vitest ran the second project's files (the stack plans) only after the first's: 15 s
    // more CPU in a run of 130 s, measured on 2 cores.
    pool: "forks",
    // Pulumi's runtime keeps its settings (mocks, config, the stack) in process-wide state;
    // pulumi-state-per-file.ts clears it between the files that share a process.
    isolate: false,
    setupFiles: ["test/helpers/pulumi-stack-traces.ts", "test/helpers/pulumi-state-per-file.ts"],
  },
});
