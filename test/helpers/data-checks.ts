// What a stack's plan shows about its data copies, read from the plan alone: every copy's cloud
// identities are its own (trusting its ServiceAccount alone) and limited to its dataset's prefix
// (IAM policy documents, Azure role assignment conditions), each backup has its drill, and the
// cluster phase renders each copy where the platform phase said it runs.
import { expect } from "vitest";
import type { RecordedResource } from "../../components/testing";
import type { PlanRun } from "../../scripts/plan/run";

interface CopyOut {
  name: string;
  kind: "backup" | "staging" | "drill";
  dataset: string;
  source: { site: string };
  destination?: { site: string };
  identity: { entra?: { certificateSecret: string } };
}
interface DataOut {
  clusters: Record<string, { copies: CopyOut[] }>;
  backups: { cluster: string; cronjob: string; dataset: string }[];
}

/** The platform's copies by name, with the cluster that runs each. */
export function copiesOf(plan: PlanRun): Map<string, CopyOut & { cluster: string }> {
  const data = (plan.outputs as { data?: DataOut }).data;
  const out = new Map<string, CopyOut & { cluster: string }>();
  for (const [cluster, view] of Object.entries(data?.clusters ?? {}))
    for (const c of view.copies) out.set(c.name, { ...c, cluster });
  return out;
}

const childrenOf = (resources: RecordedResource[], parent: RecordedResource, type: string) =>
  resources.filter((r) => r.parent === parent.urn && r.type === type);

interface Statement {
  Action: string | string[];
  Resource: string;
  Condition?: Record<string, Record<string, unknown>>;
}

/**
 * Every copy's IAM role: trusted by its own ServiceAccount (Pod Identity on EKS, web identity
 * through the running cluster's issuer elsewhere), S3 only under `<dataset>/` or the dataset's
 * manifest, listing only with the dataset's prefix, KMS only for the bucket it encrypts. Returns
 * how many roles it checked.
 */
export function checkCopyRoles(plan: PlanRun): number {
  const copies = copiesOf(plan);
  const roles = plan.resources.filter((r) => r.type === "hybrid-ai-infra:index:AwsDataCopyRole");
  for (const component of roles) {
    const copy = copies.get(component.name.replace(/-aws$/, ""));
    expect(copy, `${component.name} is the role of no copy`).toBeDefined();
    if (!copy) continue;
    const d = copy.dataset;
    const [role] = childrenOf(plan.resources, component, "aws:iam/role:Role");
    const trust = JSON.parse(String(role?.plainInputs.assumeRolePolicy)) as { Statement: Statement[] };
    for (const s of trust.Statement) {
      const text = JSON.stringify(s);
      if (text.includes("pods.eks.amazonaws.com")) {
        // Pod Identity: the session tags EKS sets must name this copy's ServiceAccount and namespace,
        // or any association in the account could bind the role.
        expect(s.Condition?.StringEquals, component.name).toMatchObject({
          "aws:RequestTag/kubernetes-namespace": "data-copies",
          "aws:RequestTag/kubernetes-service-account": copy.name,
        });
        expect(s.Condition?.StringEquals?.["aws:RequestTag/eks-cluster-arn"], component.name).toMatch(
          /^arn:aws:eks:[a-z0-9-]+:\d{12}:cluster\/.+/,
        );
        continue;
      }
      expect(text, component.name).toContain(`"system:serviceaccount:data-copies:${copy.name}"`);
      expect(text, component.name).toContain('"sts.amazonaws.com"');
    }
    const associations = childrenOf(
      plan.resources,
      component,
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    );
    for (const a of associations) expect(a.plainInputs.serviceAccount).toBe(copy.name);
    const [policy] = childrenOf(plan.resources, component, "aws:iam/rolePolicy:RolePolicy");
    const statements = (JSON.parse(String(policy?.plainInputs.policy)) as { Statement: Statement[] })
      .Statement;
    expect(statements.length, component.name).toBeGreaterThan(0);
    for (const s of statements) {
      const actions = ([] as string[]).concat(s.Action);
      const where = `${component.name}: ${JSON.stringify(s)}`;
      if (actions.every((a) => a.startsWith("kms:"))) {
        expect(s.Condition?.StringEquals?.["kms:EncryptionContext:aws:s3:arn"], where).toMatch(
          /^arn:aws:s3:::/,
        );
      } else if (actions.includes("s3:ListBucket")) {
        expect(actions, where).toEqual(["s3:ListBucket"]);
        expect(s.Condition?.StringLike?.["s3:prefix"], where).toEqual([`${d}/*`, d]);
      } else {
        expect(s.Resource, where).toMatch(
          new RegExp(`^arn:aws:s3:::[^/*]+/(${d}/\\*|_manifests/${d}/manifest\\.md5)$`),
        );
        if (actions.includes("s3:DeleteObject")) expect(copy.kind, where).toBe("staging");
      }
    }
  }
  return roles.length;
}

/**
 * Every copy's Entra identity: federated with its own ServiceAccount, and each role assignment's
 * condition naming only the dataset's folder (and its manifest). Returns how many it checked.
 */
export function checkCopyAzureIdentities(plan: PlanRun): number {
  const copies = copiesOf(plan);
  // A federated identity, or (on-premises without an issuer) an application with the site's certificate.
  const identities = plan.resources.filter(
    (r) =>
      r.type === "hybrid-ai-infra:index:AzureDataCopyIdentity" ||
      r.type === "hybrid-ai-infra:index:AzureDataCopyApplication",
  );
  for (const component of identities) {
    const copy = copies.get(component.name.replace(/-azure$/, ""));
    expect(copy, `${component.name} is the identity of no copy`).toBeDefined();
    if (!copy) continue;
    const d = copy.dataset;
    const credentials = childrenOf(
      plan.resources,
      component,
      "azure-native:managedidentity:FederatedIdentityCredential",
    );
    if (component.type === "hybrid-ai-infra:index:AzureDataCopyApplication") {
      // Certificates are its only credentials: none federated, and the copy runs where the certificate lives.
      expect(credentials).toEqual([]);
      expect(
        childrenOf(plan.resources, component, "azuread:index/applicationCertificate:ApplicationCertificate")
          .length,
      ).toBeGreaterThan(0);
      expect(copy.identity.entra?.certificateSecret, component.name).toBeDefined();
    } else
      expect(credentials.map((c) => c.plainInputs.subject)).toEqual([
        `system:serviceaccount:data-copies:${copy.name}`,
      ]);
    const assignments = childrenOf(plan.resources, component, "azure-native:authorization:RoleAssignment");
    expect(assignments.length, component.name).toBeGreaterThan(0);
    for (const a of assignments) {
      const condition = String(a.plainInputs.condition ?? "");
      const named = [...condition.matchAll(/String(?:StartsWith|Equals) '([^']*)'/g)].map((m) => m[1] ?? "");
      const containers = new Set(["datasets", "backups", "staging"]);
      const outside = named.filter(
        (v) => !containers.has(v) && v !== `${d}/` && !v.startsWith(`_manifests/${d}/`),
      );
      expect(outside, `${a.name}: ${condition}`).toEqual([]);
      expect(named, a.name).toContain(`${d}/`);
    }
  }
  return identities.length;
}

/**
 * Each backup has its restore drill on the backup's site, and the cluster phase renders each copy
 * (a CronJob, and a first Job for staging) on the cluster the platform phase named.
 */
export function checkCopiesRendered(plan: PlanRun): number {
  const copies = [...copiesOf(plan).values()];
  for (const b of copies.filter((c) => c.kind === "backup")) {
    const drill = copies.find(
      (c) => c.kind === "drill" && c.dataset === b.dataset && c.source.site === b.destination?.site,
    );
    expect(drill, `${b.name} has no restore drill`).toBeDefined();
    expect(drill?.cluster).toBe(b.destination?.site);
  }
  for (const c of copies) {
    const cronjob = plan.resources.find(
      (r) => r.type === "kubernetes:batch/v1:CronJob" && r.name === `${c.cluster}-data-cronjob-${c.name}`,
    );
    expect(cronjob, `${c.name} is not rendered on ${c.cluster}`).toBeDefined();
  }
  return copies.length;
}

/**
 * S3's interface endpoint for copies from other sites answers inbound resolvers only, which EC2
 * allows once the VPC has S3's gateway endpoint: each waits for that gateway. Returns how many.
 */
export function checkDataEndpoints(plan: PlanRun): number {
  const components = plan.resources.filter((r) => r.type === "hybrid-ai-infra:index:AwsDataEndpoints");
  for (const component of components) {
    const [s3] = childrenOf(plan.resources, component, "aws:ec2/vpcEndpoint:VpcEndpoint").filter(
      (e) => e.name === `${component.name}-s3`,
    );
    expect(s3?.inputs.dnsOptions, component.name).toEqual({ privateDnsOnlyForInboundResolverEndpoint: true });
    const gateways = plan.resources.filter(
      (r) =>
        r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" &&
        r.inputs.vpcEndpointType === "Gateway" &&
        s3?.dependsOn.includes(r.urn),
    );
    expect(
      gateways.map((g) => g.inputs.serviceName),
      component.name,
    ).toEqual([s3?.inputs.serviceName]);
  }
  return components.length;
}

interface EgressRule {
  to: { ipBlock?: { cidr: string } }[];
  ports: { protocol: string; port: number }[];
}

/**
 * Each copy's pods reach only its stores: a default-deny in the copies' namespace on every cluster
 * that runs one, and per copy an egress policy selecting its pods whose every rule names address
 * blocks (never the whole internet) on HTTPS, the EKS Pod Identity agent's link-local port 80
 * aside. Returns how many copies it checked.
 */
export function checkCopyEgress(plan: PlanRun): number {
  const copies = [...copiesOf(plan).values()];
  const policy = (name: string) =>
    plan.resources.find((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && r.name === name);
  for (const cluster of new Set(copies.map((c) => c.cluster))) {
    const deny = policy(`${cluster}-data-networkpolicy-default-deny`);
    expect(deny?.inputs.spec, `${cluster} has no default-deny for copies`).toEqual({
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
    });
  }
  for (const c of copies) {
    const egress = policy(`${c.cluster}-data-networkpolicy-egress-${c.name}`);
    expect(egress, `${c.name} has no egress policy`).toBeDefined();
    const spec = egress?.inputs.spec as { podSelector: unknown; policyTypes: string[]; egress: EgressRule[] };
    expect(spec.podSelector).toEqual({ matchLabels: { "hybrid-ai-infra.io/data-copy": c.name } });
    expect(spec.policyTypes).toEqual(["Egress"]);
    expect(spec.egress.length, c.name).toBeGreaterThan(0);
    for (const rule of spec.egress) {
      const cidrs = rule.to.map((t) => t.ipBlock?.cidr);
      const where = `${c.name}: ${JSON.stringify(rule)}`;
      expect(cidrs.length, where).toBeGreaterThan(0);
      for (const cidr of cidrs) expect(cidr, where).toMatch(/^\d+\.\d+\.\d+\.\d+\/([1-9]|[12]\d|3[0-2])$/);
      const ports = rule.ports.map((p) => p.port);
      if (cidrs.length === 1 && cidrs[0] === "169.254.170.23/32") expect(ports, where).toEqual([80]);
      else expect(ports, where).toEqual([443]);
    }
  }
  return copies.length;
}
