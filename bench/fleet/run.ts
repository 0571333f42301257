// The plan at fleet scale: a generated program of 20 clusters (EKS, AKS and on-premises, each with
// its network and pools) and a 2,000-workload catalog, planned the way `npm run plan` plans a
// stack: placement, both phases' resources under the realistic mocks, the policy pack over every
// resource, and the text plan. Prints where the time goes and writes JSON.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { ResourceGroup } from "@pulumi/azure-native/resources";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { AwsPrivateCluster, AwsVpc, awsClusterTarget } from "../../components/aws";
import { AzurePrivateCluster, AzureVnet, azureClusterTarget } from "../../components/azure";
import { decidePlacement, PlacedWorkloads, type WorkloadSpec } from "../../components/kubernetes";
import { OnPremCluster, onPremClusterTarget } from "../../components/onprem";
import type { PlacementResult, Target } from "../../components/placement";
import { DEFAULT_MOCK_CLOUD, RealisticMocks, Recorder } from "../../components/testing";
import { planText } from "../../scripts/plan/render";
import type { PlanRun } from "../../scripts/plan/run";
import { startAnalyzer } from "../../scripts/policy/analyzer";
import { type FleetCluster, fleetCatalog, fleetClusters } from "./generate";

export interface FleetBenchOptions {
  /** A smaller fleet (5 clusters, 300 workloads) for a quick look. */
  quick: boolean;
  out: string;
}

const ROOT = resolve(__dirname, "../..");
const AWS_GROUPS = [
  { name: "general", instanceTypes: ["m7i.4xlarge"], minSize: 2, maxSize: 40 },
  { name: "gpu", instanceTypes: ["g6e.12xlarge"], minSize: 0, maxSize: 16 },
  {
    name: "gpu-a10g",
    instanceTypes: ["g5.12xlarge"],
    minSize: 0,
    maxSize: 16,
    capacityType: "SPOT" as const,
  },
];
const AZURE_POOLS = [
  { name: "general", vmSize: "Standard_D16ds_v5", minCount: 2, maxCount: 40 },
  { name: "a100", vmSize: "Standard_NC24ads_A100_v4", minCount: 0, maxCount: 16 },
];
const ONPREM_POOLS = [
  { name: "cpu", node: { cpu: 64, memoryGiB: 512 }, nodes: 40, pricePerNodeHour: 1.2 },
  {
    name: "a100",
    node: { cpu: 64, memoryGiB: 512, gpu: { count: 8, model: "A100" } },
    nodes: 8,
    pricePerNodeHour: 14,
  },
];
const KUBECONFIG = "apiVersion: v1\nclusters: [{ name: dc, cluster: { server: https://10.0.0.10:6443 } }]\n";

/** A cluster as declared: its target for placement and its Kubernetes provider. */
interface Declared {
  cluster: FleetCluster;
  target: Target;
  kubeconfig: pulumi.Output<string>;
}

/** The platform phase of the fleet: each cluster with its network, on its region's provider. */
function declareCluster(c: FleetCluster): Declared {
  const common = { environment: "fleet", dataClassification: "confidential" as const };
  const placement = { region: c.region, jurisdiction: c.jurisdiction };
  if (c.cloud === "aws") {
    const provider = new AwsProvider(c.name, { region: c.region });
    const vpc = new AwsVpc(`${c.name}-vpc`, { ...common, cidrBlock: c.cidr }, { provider });
    const args = {
      ...common,
      network: vpc,
      kubernetesVersion: "1.34",
      admins: ["arn:aws:iam::210987654321:role/platform-admin"],
      nodeGroups: AWS_GROUPS,
      // A fleet of private VPCs without NAT pulls its add-ons from the account's ECR mirror.
      gpuDevicePluginImage: "210987654321.dkr.ecr.us-east-1.amazonaws.com/nvidia/k8s-device-plugin:v0.17.4",
      clusterAutoscalerImage:
        "210987654321.dkr.ecr.us-east-1.amazonaws.com/registry-k8s-io/autoscaling/cluster-autoscaler:v1.34.2",
      placement,
    };
    const cluster = new AwsPrivateCluster(c.name, args, { provider });
    return { cluster: c, target: awsClusterTarget(c.name, args), kubeconfig: cluster.kubeconfig };
  }
  if (c.cloud === "azure") {
    const provider = new AzureProvider(c.name, { location: c.region });
    const group = new ResourceGroup(`${c.name}-rg`, { location: c.region }, { provider });
    const where = { resourceGroupName: group.name, location: c.region };
    const vnet = new AzureVnet(`${c.name}-vnet`, { ...common, ...where, addressSpace: c.cidr }, { provider });
    const args = {
      ...common,
      ...where,
      network: vnet,
      kubernetesVersion: "1.34",
      adminGroupObjectIds: ["8d2f4c1e-7a3b-4e5f-9c6d-0b1a2c3d4e5f"],
      nodePools: AZURE_POOLS,
      placement,
    };
    const cluster = new AzurePrivateCluster(c.name, args, { provider });
    return { cluster: c, target: azureClusterTarget(c.name, args), kubeconfig: cluster.kubeconfig };
  }
  const args = {
    ...common,
    kubeconfig: pulumi.secret(KUBECONFIG),
    pools: ONPREM_POOLS,
    gpu: { devicePlugin: "nvidia-device-plugin" as const },
    placement,
  };
  const cluster = new OnPremCluster(c.name, args);
  return { cluster: c, target: onPremClusterTarget(c.name, args), kubeconfig: cluster.kubeconfig };
}

/** The cluster phase of the fleet: a provider per cluster and the placed catalog rendered on it. */
function declareWorkloads(declared: Declared[], catalog: WorkloadSpec[], decision: PlacementResult): void {
  new PlacedWorkloads("workloads", {
    clusters: declared.map((d) => ({
      placementTarget: d.target,
      kubernetesProvider: new KubernetesProvider(d.cluster.name, { kubeconfig: d.kubeconfig }),
      networks: [d.cluster.cidr],
    })),
    workloads: catalog,
    decision,
    allowPartial: true,
  });
}

interface Timings {
  clusters: number;
  workloads: number;
  resources: number;
  placed: number;
  programMs: number;
  placementMs: number;
  mocksMs: number;
  policyMs: number;
  renderMs: number;
  totalMs: number;
  peakRssMiB: number;
}

async function planFleet(clusters: number, workloads: number): Promise<Timings> {
  const fleet = fleetClusters(clusters);
  const catalog = fleetCatalog(workloads, Math.max(5, Math.round(workloads / 40)));
  const clock = () => performance.now();
  await pulumi.runtime.setMocks(new RealisticMocks(DEFAULT_MOCK_CLOUD), "fleet", "fleet", true);
  const recorder = new Recorder();
  const start = clock();
  // As the plan command does: the pack loads in its own process while the program runs.
  const pack = startAnalyzer();
  pack.catch(() => undefined);
  let programMs = 0;
  let placementMs = 0;
  let decision: PlacementResult | undefined;
  await pulumi.runtime.runInPulumiStack(async () => {
    const t0 = clock();
    const declared = fleet.map(declareCluster);
    const t1 = clock();
    decision = await decidePlacement("fleet catalog", {
      workloads: catalog,
      targets: declared.map((d) => d.target),
      allowPartial: true,
    });
    const t2 = clock();
    declareWorkloads(declared, catalog, decision);
    programMs = t1 - t0 + (clock() - t2);
    placementMs = t2 - t1;
    return {};
  });
  await recorder.settle();
  const mocksMs = clock() - start - programMs - placementMs;
  const resources = recorder.resources;
  const t3 = clock();
  const config = JSON.parse(readFileSync(join(ROOT, "policies/config.prod.json"), "utf8")) as unknown;
  const analyzer = await pack;
  try {
    await analyzer.analyze(resources, config, "policies/config.prod.json");
  } finally {
    analyzer.close();
  }
  const policyMs = clock() - t3;
  const run: PlanRun = {
    project: "fleet",
    stack: "fleet",
    phases: [{ phase: "platform", project: "fleet", outputs: {}, secretOutputs: [] }],
    resources: [...resources].sort((a, b) => (a.urn < b.urn ? -1 : 1)),
    outputs: {},
    secretOutputs: [],
    plainOutputs: {},
    notices: [],
    ...(decision ? { decision } : {}),
  };
  const t4 = clock();
  planText(run);
  const renderMs = clock() - t4;
  return {
    clusters,
    workloads,
    resources: resources.length,
    placed: new Set(decision?.assignments.map((a) => a.workload)).size,
    programMs,
    placementMs,
    mocksMs,
    policyMs,
    renderMs,
    totalMs: clock() - start,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

/** Plans the fleet once (it takes seconds, and one process holds Pulumi's runtime once). */
export async function runFleetBench(options: FleetBenchOptions): Promise<void> {
  // As the plan command runs: Pulumi records a stack trace for every promise it makes, and
  // source-mapped traces are slow (scripts/plan/cli.ts).
  process.setSourceMapsEnabled(false);
  Error.stackTraceLimit = 0;
  const [clusters, workloads] = options.quick ? [5, 300] : [20, 2000];
  const row = await planFleet(clusters, workloads);
  const rounded = Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, Math.round(v * 10) / 10]),
  ) as unknown as Timings;
  console.log(
    `\nFleet plan benchmark (${clusters} clusters, ${workloads} workloads; one run in this process)`,
  );
  console.table([rounded]);
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(
    options.out,
    `${JSON.stringify({ node: process.version, cores: cpus().length, rows: [rounded] }, null, 2)}\n`,
  );
  console.log(`wrote ${options.out}`);
}
