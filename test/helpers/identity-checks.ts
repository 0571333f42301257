// What every stack's plan shows about data access, read from the plan alone: each workload
// identity grants exactly the datasets its workload declares (IAM policy documents, Azure role
// assignments and their conditions), and every placed workload that reads datasets has its
// ServiceAccount and egress to where they live.
import { expect } from "vitest";
import type { RecordedResource } from "../../components/testing";
import type { PlanRun } from "../../scripts/plan/run";

interface CatalogEntry {
  name: string;
  namespace?: string;
  owner: string;
  datasets?: { name: string }[];
}
interface Store {
  cloud: string;
  arn?: string;
  kmsKeyArn?: string;
  id?: string;
  datasets: string[];
}

const STORAGE_BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";

function platformOutputs(plan: PlanRun) {
  const o = plan.outputs as {
    buckets?: Record<string, Store>;
    workloads?: {
      catalog: CatalogEntry[];
      decision: { assignments: { workload: string; target: string }[] };
    };
    dataPaths?: Record<string, { toCidrs: string[]; ports: number[] }[]>;
  };
  return {
    stores: Object.values(o.buckets ?? {}),
    catalog: o.workloads?.catalog ?? [],
    assignments: o.workloads?.decision.assignments ?? [],
    dataPaths: o.dataPaths ?? {},
  };
}

const childrenOf = (resources: RecordedResource[], parent: RecordedResource, type: string) =>
  resources.filter((r) => r.parent === parent.urn && r.type === type);

/** The workload a `<cluster>-<workload>` identity component is named after. */
function workloadOf(component: RecordedResource, catalog: CatalogEntry[]): CatalogEntry {
  const found = catalog.find((w) => component.name.endsWith(`-${w.name}`));
  if (!found) throw new Error(`${component.name} names no workload of the catalog`);
  return found;
}

/** Every AWS identity's policy names only its workload's datasets, their buckets and keys. */
export function checkAwsIdentities(plan: PlanRun): number {
  const { stores, catalog } = platformOutputs(plan);
  const components = plan.resources.filter((r) => r.type === "hybrid-ai-infra:index:AwsWorkloadIdentity");
  for (const component of components) {
    const w = workloadOf(component, catalog);
    const reads = new Set((w.datasets ?? []).map((d) => d.name));
    const hosts = stores.filter((s) => s.cloud === "aws" && s.datasets.some((d) => reads.has(d)));
    const allowed = new Set(
      hosts.flatMap((s) => [
        s.arn,
        s.kmsKeyArn,
        ...s.datasets.filter((d) => reads.has(d)).map((d) => `${s.arn}/${d}/*`),
      ]),
    );
    const [policy] = childrenOf(plan.resources, component, "aws:iam/rolePolicy:RolePolicy");
    const statements = JSON.parse(String(policy?.plainInputs.policy)).Statement as {
      Effect: string;
      Action: string;
      Resource: string;
      Condition?: { StringLike?: { "s3:prefix"?: string[] } };
    }[];
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      expect(s.Effect).toBe("Allow");
      expect(["s3:ListBucket", "s3:GetObject", "kms:Decrypt"]).toContain(s.Action);
      expect(allowed).toContain(s.Resource);
      for (const prefix of s.Condition?.StringLike?.["s3:prefix"] ?? [])
        expect(reads).toContain(prefix.replace(/\/\*$/, ""));
      // Listing is limited to the datasets' prefixes.
      if (s.Action === "s3:ListBucket")
        expect(s.Condition?.StringLike?.["s3:prefix"]?.length).toBeGreaterThan(0);
    }
  }
  return components.length;
}

/** Every Azure identity reads only its workload's datasets' folders, trusting only its ServiceAccount. */
export function checkAzureIdentities(plan: PlanRun): number {
  const { stores, catalog } = platformOutputs(plan);
  const components = plan.resources.filter((r) => r.type === "hybrid-ai-infra:index:AzureWorkloadIdentity");
  for (const component of components) {
    const w = workloadOf(component, catalog);
    const reads = new Set((w.datasets ?? []).map((d) => d.name));
    const scopes = stores
      .filter((s) => s.cloud === "azure" && s.datasets.some((d) => reads.has(d)))
      .map((s) => `${s.id}/blobServices/default/containers/datasets`);
    const assignments = childrenOf(plan.resources, component, "azure-native:authorization:RoleAssignment");
    expect(assignments.length).toBeGreaterThan(0);
    for (const a of assignments) {
      expect(String(a.plainInputs.roleDefinitionId)).toMatch(new RegExp(`/${STORAGE_BLOB_DATA_READER}$`));
      expect(scopes).toContain(a.plainInputs.scope);
      const prefixes = [...String(a.plainInputs.condition).matchAll(/StringStartsWith '([^']+)\/'/g)].map(
        (m) => m[1],
      );
      expect(prefixes.length).toBeGreaterThan(0);
      for (const p of prefixes) expect(reads).toContain(p);
    }
    const [credential] = childrenOf(
      plan.resources,
      component,
      "azure-native:managedidentity:FederatedIdentityCredential",
    );
    expect(credential?.plainInputs.subject).toBe(`system:serviceaccount:${w.namespace ?? w.owner}:${w.name}`);
    expect(credential?.plainInputs.audiences).toEqual(["api://AzureADTokenExchange"]);
  }
  return components.length;
}

/** Every placed workload that reads datasets runs as its own ServiceAccount, with egress to its data. */
export function checkDataPaths(plan: PlanRun): number {
  const { catalog, assignments, dataPaths } = platformOutputs(plan);
  let checked = 0;
  for (const w of catalog.filter((x) => (x.datasets ?? []).length > 0)) {
    const targets = [...new Set(assignments.filter((a) => a.workload === w.name).map((a) => a.target))];
    const namespace = w.namespace ?? w.owner;
    for (const target of targets) {
      const account = plan.resources.find(
        (r) =>
          r.type === "kubernetes:core/v1:ServiceAccount" &&
          r.name === `workloads-${target}-serviceaccount-${namespace}-${w.name}`,
      );
      expect(account, `${w.name} on ${target} has its ServiceAccount`).toBeDefined();
      const policy = plan.resources.find(
        (r) => r.name === `workloads-${target}-networkpolicy-${namespace}-allow-${w.name}`,
      );
      type Egress = { to: { ipBlock?: { cidr: string } }[]; ports: { port: number }[] }[];
      const egress = ((policy?.plainInputs.spec ?? {}) as { egress?: Egress }).egress ?? [];
      const reach = egress.map((r) => ({
        cidrs: r.to.map((t) => t.ipBlock?.cidr),
        ports: r.ports.map((p) => p.port),
      }));
      const paths = dataPaths[w.name] ?? [];
      expect(paths.length, `${w.name} has data paths`).toBeGreaterThan(0);
      for (const p of paths) expect(reach).toContainEqual({ cidrs: p.toCidrs, ports: p.ports });
      checked += 1;
    }
  }
  return checked;
}
