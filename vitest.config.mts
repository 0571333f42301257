import { defineConfig } from "vitest/config";

// Suites that never point Pulumi's runtime at mocks, never declare a resource and never chdir:
// they share worker threads without isolation, so what they load (TypeScript, the placement
// engine, Pulumi's SDK for the pure parts of components) is loaded once per thread instead of once
// per file. test/helpers/no-pulumi-state.ts fails any of them that leaves Pulumi state behind.
// Every other suite, a new one too, runs in a process whose Pulumi state is reset between files.
const NO_MOCKS = [
  "test/placement/**/*.test.ts",
  "test/facts/**/*.test.ts",
  "test/validation/**/*.test.ts",
  "test/structure.test.ts",
  "test/package.test.ts",
  "test/stacks/catalog.test.ts",
  "test/stacks/config.test.ts",
  "test/stacks/data-access.test.ts",
  "test/stacks/config-agrees.test.ts",
  "test/stacks/deploy-time.test.ts",
  "test/stacks/unreadable-files.test.ts",
  "test/stacks/onprem-files.test.ts",
  "test/stacks/cluster-reach.test.ts",
  "test/kubernetes/render.test.ts",
  "test/kueue/**/*.test.ts",
  "test/aws/bucket-policy.test.ts",
  "test/aws/control-plane.test.ts",
  "test/azure/control-plane.test.ts",
  "test/vpn/crypto.test.ts",
  "test/vpn/render.test.ts",
  "test/dns/onprem-dns.test.ts",
  "test/monitoring/**/*.test.ts",
  "test/kubernetes/cluster-metrics.test.ts",
  "test/traffic/**/*.test.ts",
  "test/kubernetes/aws-load-balancer-controller.test.ts",
];

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
    projects: [
      {
        extends: true,
        test: {
          name: "no-mocks",
          include: NO_MOCKS,
          pool: "threads",
          isolate: false,
          setupFiles: ["test/helpers/no-pulumi-state.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "pulumi-mocks",
          include: ["test/**/*.test.ts"],
          exclude: [...NO_MOCKS, ...LAB],
          // Pulumi's runtime keeps its settings (mocks, config, the stack) in process-wide state;
          // pulumi-state-per-file.ts clears it between the files that share a process.
          pool: "forks",
          isolate: false,
          setupFiles: ["test/helpers/pulumi-stack-traces.ts", "test/helpers/pulumi-state-per-file.ts"],
        },
      },
    ],
  },
});
