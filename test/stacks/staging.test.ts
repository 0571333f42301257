import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { planJson, planText } from "../../scripts/plan/render";
import type { PlanRun } from "../../scripts/plan/run";
import { runPlan } from "../../scripts/plan/run";
import { copiesOf } from "../helpers/data-checks";
import { checksOfEveryStack } from "../helpers/stack-plan";

const root = resolve(__dirname, "../..");
let plan: PlanRun;

beforeAll(async () => {
  plan = await runPlan(root, "staging");
});

const ofType = (type: string) => plan.resources.filter((r) => r.type === type);
const only = (type: string) => {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0] as (typeof found)[number];
};

describe("the staging stack", () => {
  checksOfEveryStack("staging", () => plan);

  it("spans all three sites, each through its own provider", () => {
    expect(only("aws:eks/cluster:Cluster").inputs.name).toBe("eks-staging");
    expect(only("azure-native:containerservice:ManagedCluster").name).toBe("aks");
    expect(only("hybrid-ai-infra:index:OnPremCluster").name).toBe("dc1");
    expect(only("pulumi:providers:azure-native").inputs.location).toBe("westeurope");
    for (const r of plan.resources.filter((r) => r.type.startsWith("azure-native:"))) {
      expect(r.provider, r.urn).toMatch(/pulumi:providers:azure-native::azure::/);
    }
  });

  it("lets the VNet and dc1's admin range (deploy.cidrs), no other network across the links, call the AKS API server", () => {
    const nsg = ofType("azure-native:network:NetworkSecurityGroup").find((n) =>
      n.name.endsWith("-apiserver"),
    );
    const rules = (nsg?.inputs.securityRules ?? []) as {
      name: string;
      access: string;
      sourceAddressPrefix?: string;
      sourceAddressPrefixes?: string[];
    }[];
    expect(
      rules
        .filter((r) => r.access === "Allow")
        .map((r) => [r.name, r.sourceAddressPrefixes ?? [r.sourceAddressPrefix]]),
    ).toEqual([
      ["allow-api-from-vnet", ["10.31.0.0/16"]],
      ["allow-api-from-deployers", ["10.10.5.0/24"]],
    ]);
    expect(rules.map((r) => r.name)).toContain("deny-api-from-other-networks");
  });

  it("runs a private AKS cluster: no public FQDN, Entra ID with Azure RBAC, no local accounts, Cilium policy, Key Vault KMS", () => {
    const aks = only("azure-native:containerservice:ManagedCluster");
    expect(aks.protect).toBe(true);
    const i = aks.inputs as Record<string, any>;
    expect(i.apiServerAccessProfile).toMatchObject({
      enablePrivateCluster: true,
      enablePrivateClusterPublicFQDN: false,
    });
    expect(i.aadProfile).toMatchObject({
      managed: true,
      enableAzureRBAC: true,
      adminGroupObjectIDs: ["3f6e2f6a-5b1c-4d6e-9a7b-1c2d3e4f5a6b"],
    });
    expect(i.disableLocalAccounts).toBe(true);
    expect(i.networkProfile).toMatchObject({
      networkPlugin: "azure",
      networkPluginMode: "overlay",
      networkPolicy: "cilium",
    });
    expect(i.securityProfile.azureKeyVaultKms).toMatchObject({ enabled: true });
    expect(String(i.securityProfile.azureKeyVaultKms.keyId)).toMatch(
      /^https:\/\/.+\.vault\.azure\.net\/keys\//,
    );
    expect(i.securityProfile.workloadIdentity).toEqual({ enabled: true });
    expect(i.oidcIssuerProfile).toEqual({ enabled: true });
    expect(i.sku.tier).toBe("Standard");
  });

  it("gives the Azure GPU pools the GPU taint, spot with eviction Delete, encryption at host and no public IPs", () => {
    const pools = ofType("azure-native:containerservice:AgentPool");
    const gpu = pools.filter((p) => /a100|t4/.test(p.name));
    expect(gpu).toHaveLength(2);
    for (const p of gpu) {
      expect(p.inputs.nodeTaints).toContain("nvidia.com/gpu=true:NoSchedule");
      expect(p.inputs).toMatchObject({
        mode: "User",
        enableEncryptionAtHost: true,
        enableNodePublicIP: false,
      });
    }
    const spot = pools.find((p) => p.name === "aks-t4-spot");
    expect(spot?.inputs).toMatchObject({ scaleSetPriority: "Spot", scaleSetEvictionPolicy: "Delete" });
  });

  it("locks the storage account down: no shared keys, no public network, infrastructure encryption, a customer-managed key", () => {
    const account = ofType("azure-native:storage:StorageAccount").find((s) => s.name === "mlstore");
    expect(account?.protect).toBe(true);
    expect(account?.inputs).toMatchObject({
      allowSharedKeyAccess: false,
      allowBlobPublicAccess: false,
      publicNetworkAccess: "Disabled",
      minimumTlsVersion: "TLS1_2",
      encryption: { keySource: "Microsoft.Keyvault", requireInfrastructureEncryption: true },
    });
    expect(ofType("azure-native:network:PrivateEndpoint").length).toBeGreaterThanOrEqual(1);
  });

  it("keeps every kubeconfig secret", () => {
    const outputs = plan.outputs as { clusters: Record<string, { kubeconfig: unknown }> };
    expect(Object.keys(outputs.clusters).sort()).toEqual(["aks", "dc1", "eks"]);
    for (const c of Object.values(outputs.clusters)) expect(c.kubeconfig).toBe("[secret]");
    const text = JSON.stringify(planJson(plan));
    expect(text.includes("kubelogin")).toBe(false);
    for (const p of ofType("pulumi:providers:kubernetes")) expect(p.inputs.kubeconfig).toBe("[secret]");
  });

  it("places across all three sites and renders onto each", () => {
    const placed = only("hybrid-ai-infra:index:PlacedWorkloads").outputs?.result as {
      assignments: { workload: string; target: string }[];
      unplaced: unknown[];
    };
    expect(placed.unplaced).toEqual([]);
    expect(
      new Set(placed.assignments.filter((a) => a.workload === "storefront").map((a) => a.target)),
    ).toEqual(new Set(["aks", "dc1", "eks"]));
    const providers = new Set(
      ofType("kubernetes:core/v1:Namespace").map((n) => n.provider?.split("::").slice(-2, -1)[0]),
    );
    expect(providers).toEqual(new Set(["aks", "dc1", "eks"]));
  });

  it("plans two projects: no Kubernetes object or provider in the platform phase, all of them in the cluster phase", () => {
    expect(plan.phases.map((p) => [p.phase, p.project])).toEqual([
      ["platform", "hybrid-ai-infra"],
      ["cluster", "hybrid-ai-infra-cluster"],
    ]);
    const platform = plan.resources.filter((r) => r.urn.includes("::hybrid-ai-infra::"));
    const cluster = plan.resources.filter((r) => r.urn.includes("::hybrid-ai-infra-cluster::"));
    expect(platform.length + cluster.length).toBe(plan.resources.length);
    const kubernetes = (r: (typeof plan.resources)[number]) =>
      r.type.startsWith("kubernetes:") || r.type === "pulumi:providers:kubernetes";
    expect(platform.filter(kubernetes)).toEqual([]);
    // Besides Kubernetes objects, only the TLS provider's keys (local, no cloud API): the AWS Load
    // Balancer Controller's webhook certificate.
    const local = (r: (typeof plan.resources)[number]) =>
      r.type.startsWith("tls:") || r.type === "pulumi:providers:tls";
    expect(
      cluster.filter((r) => r.custom && !kubernetes(r) && !local(r) && r.type !== "pulumi:pulumi:Stack"),
    ).toEqual([]);
  });

  it("runs the add-ons each cluster's pools need: NVIDIA's plugin on AKS driver pools and EKS AL2023 GPU groups, the autoscaler on EKS only", () => {
    const plugins = ofType("kubernetes:apps/v1:DaemonSet").map((d) => ({
      cluster: d.provider?.split("::").slice(-2, -1)[0],
      name: d.name,
      pools: (
        d.inputs.spec as {
          template: {
            spec: {
              affinity: {
                nodeAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: { matchExpressions: { values?: string[] }[] }[];
                  };
                };
              };
            };
          };
        }
      ).template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution
        .nodeSelectorTerms[0]?.matchExpressions[0]?.values,
    }));
    expect(plugins).toEqual(
      expect.arrayContaining([
        { cluster: "aks", name: "aks-addons-nvidia-device-plugin", pools: ["a100", "t4-spot"] },
        { cluster: "eks", name: "eks-addons-nvidia-device-plugin", pools: ["gpu-spot"] },
      ]),
    );
    const autoscalers = ofType("kubernetes:apps/v1:Deployment").filter((d) =>
      d.name.includes("cluster-autoscaler"),
    );
    expect(autoscalers.map((d) => d.provider?.split("::").slice(-2, -1)[0])).toEqual(["eks"]);
    // Its AWS identity is the platform phase's, scoped to this cluster's groups.
    const autoscalerIdentity = ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").filter(
      (a) => a.inputs.namespace === "kube-system",
    );
    // The AWS Load Balancer Controller (internal NLBs for cross-site entries) has one of its own.
    expect(autoscalerIdentity.map((a) => a.inputs.serviceAccount).sort()).toEqual([
      "aws-load-balancer-controller",
      "cluster-autoscaler",
    ]);
  });

  it("backs datasets up across sites (on-premises to a cloud, a cloud to on-premises), and the plan shows it", () => {
    const backups = [...copiesOf(plan).values()]
      .filter((c) => c.kind === "backup")
      .map((c) => `${c.dataset}: ${c.source.site} -> ${c.destination?.site} on ${c.cluster}`)
      .sort();
    expect(backups).toEqual(["clinical-notes: aks -> dc1 on dc1", "imaging-archive: dc1 -> eks on dc1"]);
    const text = planText(plan);
    expect(text).toContain("Data: where each dataset lives, its backups (restore drills) and staging");
    expect(text).toMatch(
      /imaging-archive \(internal\): lives in dc1 \(onprem\), store dc1\n {4}backup to eks, daily at 02:00 UTC, by dc1's cluster/,
    );
    expect(text).toMatch(
      /clinical-notes \(confidential, residency EU\): lives in aks \(azure\), store mlstore\n {4}backup to dc1, daily at 01:30 UTC, by dc1's cluster/,
    );
  });

  it("stages clinical-notes to dc1, where placement runs its reader, and the plan says so", () => {
    const staged = [...copiesOf(plan).values()]
      .filter((c) => c.kind === "staging")
      .map((c) => `${c.name}: ${c.source.site} -> ${c.destination?.site} on ${c.cluster}`);
    expect(staged).toEqual(["stage-clinical-notes-to-dc1: aks -> dc1 on dc1"]);
    const text = planText(plan);
    expect(text).toContain(
      'notes-summariser reads clinical-notes, staged to dc1 on cron "0 */6 * * *" (UTC)',
    );
    expect(text).toMatch(/dc1: staged \(for notes-summariser, refreshed/);
    const jobs = plan.resources.filter(
      (r) =>
        r.type === "kubernetes:batch/v1:Job" && r.name === "dc1-data-job-stage-clinical-notes-to-dc1-first",
    );
    expect(jobs).toHaveLength(1);
  });
});
