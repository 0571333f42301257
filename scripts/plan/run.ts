import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { WorkloadSpec } from "../../components/kubernetes";
import type { PlacementResult, Target } from "../../components/placement";
import {
  DEFAULT_MOCK_CLOUD,
  RealisticMocks,
  type RecordedResource,
  Recorder,
} from "../../components/testing";
import type { TrafficPlan } from "../../components/traffic";
import type { LinkTunnel } from "../../components/vpn";
import { main as clusterMain, platformStackName } from "../../stacks/cluster/main";
import { build, prepare } from "../../stacks/main";
import type { PlatformOutputs } from "../../stacks/program";
import { platformTargets } from "../../stacks/sites";
import { readProjectName, readStackFile } from "./stack-file";
import type { UsageReport } from "./usage";

/** The two deploy phases, in the order they run. */
export const PHASES = ["platform", "cluster"] as const;
export type Phase = (typeof PHASES)[number];

/** What one phase's update would create. */
export interface PhaseRun {
  phase: Phase;
  project: string;
  /** Stack outputs, secrets as "[secret]". */
  outputs: Record<string, unknown>;
  /** Paths of the stack outputs that are secret. */
  secretOutputs: string[];
}

/** The VPN links the platform phase declares: every tunnel, and what each site reaches. */
export interface PlanLinks {
  tunnels: LinkTunnel[];
  reach: Record<string, string[]>;
}

/** Everything an update of the stack would create, as recorded under mocks. */
export interface PlanRun {
  /** The platform project (the root `Pulumi.yaml`). */
  project: string;
  stack: string;
  /** The phases planned, in order. */
  phases: PhaseRun[];
  /**
   * Every resource of the planned phases, sorted by URN so two runs print the same bytes. Each
   * URN carries its project, so the phases' resources tell themselves apart.
   */
  resources: RecordedResource[];
  /** The platform phase's stack outputs, secrets as "[secret]". */
  outputs: Record<string, unknown>;
  /** Paths of the platform phase's stack outputs that are secret. */
  secretOutputs: string[];
  /**
   * The platform phase's stack outputs with secrets kept, as `pulumi stack output --json
   * --show-secrets` would print them: for tools and tests, never printed by the plan.
   */
  plainOutputs: Record<string, unknown>;
  /** The placement the platform phase decided for the catalog (none without a catalog). */
  decision?: PlacementResult;
  /** The VPN links the platform phase declares (none without links). */
  links?: PlanLinks;
  /** What the decision was made from, so the plan can ask what placement would do with other requests. */
  placement?: {
    catalog: WorkloadSpec[];
    targets: Target[];
    moveCost?: number | undefined;
    timeLimitMs?: number | undefined;
  };
  /** Cross-site traffic planned from the decision: services on several sites, weights, entries, names. */
  traffic?: TrafficPlan;
  /** What the plan reports besides resources: example values `pulumi up` refuses, no catalog. */
  notices: string[];
  /** Observed use from `--usage` exports, beside what the catalog asks for (set by the command). */
  usage?: UsageReport;
}

/** The organization both phases run in under mocks (Pulumi Cloud's default is the user's). */
export const MOCK_ORGANIZATION = "organization";

/** Where the cluster phase's project lives, relative to the platform project. */
export const CLUSTER_PROJECT_DIR = join("stacks", "cluster");

/**
 * Runs the reference program for `stack` under Pulumi's mocks, the way `pulumi preview` runs it
 * under the engine: same entry points, same config, no cloud calls. The platform phase runs
 * first; the cluster phase reads its outputs through a mocked `StackReference`, as it reads the
 * real platform stack. `phases` picks what is reported; the platform phase always runs, since the
 * cluster phase reads it. `accepted` is called once the stack file is read and its config and
 * catalog are accepted and placed, before anything is declared.
 */
export async function runPlan(
  root: string,
  stack: string,
  phases: readonly Phase[] = PHASES,
  accepted?: () => void,
): Promise<PlanRun> {
  const file = readStackFile(root, stack);
  // The program reads its catalog and lock relative to the project, as under the Pulumi CLI.
  process.chdir(root);
  pulumi.runtime.setAllConfig(file.config, file.secretKeys);
  await pulumi.runtime.setMocks(
    new RealisticMocks(DEFAULT_MOCK_CLOUD),
    file.project,
    stack,
    true,
    MOCK_ORGANIZATION,
  );
  // Everything is validated and placed before the stack exists: a config error registers nothing.
  const prepared = await prepare({ offline: true });
  accepted?.();
  let declared: PlatformOutputs | undefined;
  const platform = await record(async () => {
    declared = build(prepared);
    return declared;
  });
  const runs: { phase: Phase; project: string; resources: RecordedResource[]; root?: RecordedResource }[] = [
    { phase: "platform", project: file.project, ...platform },
  ];
  if (phases.includes("cluster")) {
    const project = readProjectName(join(root, CLUSTER_PROJECT_DIR));
    const mocks = new RealisticMocks(DEFAULT_MOCK_CLOUD);
    await pulumi.runtime.setMocks(mocks, project, stack, true, MOCK_ORGANIZATION);
    mocks.stacks[platformStackName()] = {
      outputs: platform.root?.plainOutputs ?? {},
      secretOutputNames: topLevel(platform.root?.secretOutputs ?? []),
    };
    // Under mocks nothing is reachable: the plan skips the cluster phase's reachability check.
    runs.push({ phase: "cluster", project, ...(await record(() => clusterMain(false))) });
  }
  const reported = runs.filter((r) => phases.includes(r.phase));
  const resources = reported
    .flatMap((r) => r.resources)
    .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  return {
    project: file.project,
    stack,
    phases: reported.map((r) => ({
      phase: r.phase,
      project: r.project,
      outputs: r.root?.outputs ?? {},
      secretOutputs: r.root?.secretOutputs ?? [],
    })),
    resources,
    outputs: platform.root?.outputs ?? {},
    secretOutputs: platform.root?.secretOutputs ?? [],
    plainOutputs: platform.root?.plainOutputs ?? {},
    notices: prepared.notices,
    ...(prepared.workloads.decision ? { decision: prepared.workloads.decision } : {}),
    ...(prepared.workloads.catalog
      ? {
          placement: {
            catalog: prepared.workloads.catalog,
            targets: platformTargets(prepared.sites),
            moveCost: prepared.sites.config.placement?.moveCost,
            timeLimitMs: prepared.sites.config.placement?.timeLimitMs,
          },
        }
      : {}),
    ...(declared?.vpn ? { links: await linksOf(declared.vpn) } : {}),
    ...(prepared.workloads.traffic ? { traffic: prepared.workloads.traffic } : {}),
  };
}

/** The links' tunnels as the mocks resolved them. */
async function linksOf(vpn: NonNullable<PlatformOutputs["vpn"]>): Promise<PlanLinks> {
  const tunnels = await Promise.all(Object.values(vpn.links).map((link) => resolvedValue(link)));
  return { tunnels: tunnels.flat(), reach: vpn.reach };
}

/** An Output's value, once the mocks have resolved it. */
function resolvedValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => {
    output.apply((value) => {
      resolve(value);
      return value;
    });
  });
}

/** Runs one program as the root stack and records every registration. */
async function record(
  program: () => Promise<unknown>,
): Promise<{ resources: RecordedResource[]; root?: RecordedResource }> {
  const recorder = new Recorder();
  await pulumi.runtime.runInPulumiStack(async () => (await program()) as Record<string, unknown>);
  await recorder.settle();
  const duplicates = recorder.duplicateUrns;
  if (duplicates.length > 0) {
    // A real preview stops here: the engine refuses a second resource with a URN it has seen.
    throw new Error(`two resources with one URN (the engine refuses the second): ${duplicates.join(", ")}`);
  }
  const resources = recorder.resources;
  const root = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  return root ? { resources, root } : { resources };
}

/** `clusters.eks.kubeconfig` -> `clusters`: the engine marks secret outputs by top-level name. */
function topLevel(paths: string[]): string[] {
  return [...new Set(paths.map((p) => p.split(".")[0] as string))].sort();
}
