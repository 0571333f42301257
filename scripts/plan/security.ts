import type { RecordedResource } from "./recorder";

/** The security settings of one resource, as label/value lines. */
export interface SecurityView {
  title: string;
  urn: string;
  facts: [label: string, value: string][];
}

type Get = (r: RecordedResource, path: string) => unknown;

interface Viewer {
  type: string;
  title: (r: RecordedResource) => string;
  facts: (
    r: RecordedResource,
    sibling: (type: string) => RecordedResource | undefined,
    get: Get,
  ) => [string, string][];
}

const get: Get = (r, path) => {
  let value: unknown = r.inputs;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
};

const yesNo = (v: unknown) => (v === true || v === "true" ? "yes" : "no");
const list = (v: unknown) => (Array.isArray(v) ? v.map(String).join(", ") : String(v ?? "-"));
const protection = (r: RecordedResource) =>
  r.protect && r.retainOnDelete ? "protected, retained on delete" : r.protect ? "protected" : "NOT protected";

// One row per resource type whose settings make or break the security model: a table, so a new
// component's view is one more row.
const VIEWERS: Viewer[] = [
  {
    type: "aws:eks/cluster:Cluster",
    title: (r) => `EKS cluster ${String(get(r, "name") ?? r.name)}`,
    facts: (r, sibling) => {
      const publicAccess = get(r, "vpcConfig.endpointPublicAccess") === true;
      const logGroup = sibling("aws:cloudwatch/logGroup:LogGroup");
      return [
        [
          "API endpoint",
          publicAccess
            ? `private + public to ${list(get(r, "vpcConfig.publicAccessCidrs"))}`
            : "private only",
        ],
        [
          "secrets encryption",
          list(get(r, "encryptionConfig.resources")) === "secrets" ? "KMS (dedicated key)" : "OFF",
        ],
        ["control-plane logs", list(get(r, "enabledClusterLogTypes"))],
        [
          "log group",
          logGroup
            ? `${String(get(logGroup, "name"))}, KMS ${get(logGroup, "kmsKeyId") ? "yes" : "no"}, ${String(get(logGroup, "retentionInDays"))} days`
            : "-",
        ],
        [
          "authentication",
          `${String(get(r, "accessConfig.authenticationMode"))}, creator admin ${yesNo(get(r, "accessConfig.bootstrapClusterCreatorAdminPermissions"))}`,
        ],
        ["deletion protection", yesNo(get(r, "deletionProtection"))],
        ["support", String(get(r, "upgradePolicy.supportType") ?? "-")],
        ["state", protection(r)],
      ];
    },
  },
  {
    type: "aws:eks/nodeGroup:NodeGroup",
    title: (r) => `Node group ${r.name}`,
    facts: (r, sibling) => {
      const lt = sibling("aws:ec2/launchTemplate:LaunchTemplate");
      const taints =
        (get(r, "taints") as { key: string; value?: string; effect: string }[] | undefined) ?? [];
      const volumes =
        (lt && (get(lt, "blockDeviceMappings") as { deviceName: string; ebs: Record<string, unknown> }[])) ||
        [];
      const nics = (lt && (get(lt, "networkInterfaces") as Record<string, unknown>[])) || [];
      return [
        ["AMI type", String(get(r, "amiType"))],
        ["capacity", `${String(get(r, "capacityType"))}, ${list(get(r, "instanceTypes"))}`],
        [
          "scaling",
          `${String(get(r, "scalingConfig.minSize"))}..${String(get(r, "scalingConfig.maxSize"))} (desired ${String(get(r, "scalingConfig.desiredSize"))}, left to the autoscaler)`,
        ],
        [
          "taints",
          taints.length ? taints.map((t) => `${t.key}=${t.value ?? ""}:${t.effect}`).join(", ") : "none",
        ],
        [
          "IMDS",
          lt
            ? `tokens ${String(get(lt, "metadataOptions.httpTokens"))}, hop limit ${String(get(lt, "metadataOptions.httpPutResponseHopLimit"))}`
            : "-",
        ],
        [
          "volumes",
          volumes
            .map(
              (v) =>
                `${v.deviceName} ${String(v.ebs.volumeType)} ${String(v.ebs.volumeSize)} GiB encrypted ${yesNo(v.ebs.encrypted)}`,
            )
            .join("; ") || "-",
        ],
        ["public IP", nics.some((n) => n.associatePublicIpAddress === "true") ? "YES" : "no"],
        ["EFA", nics.some((n) => n.interfaceType === "efa") ? `${nics.length} interfaces` : "no"],
      ];
    },
  },
  {
    type: "aws:s3/bucket:Bucket",
    title: (r) => `S3 bucket ${r.name}`,
    facts: (r, sibling, g) => {
      const sse = sibling(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      );
      const rule = sse ? ((g(sse, "rules") as Record<string, unknown>[] | undefined)?.[0] ?? {}) : {};
      const byDefault = (rule.applyServerSideEncryptionByDefault ?? {}) as Record<string, unknown>;
      const pab = sibling("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
      const blocks = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
      const versioning = sibling("aws:s3/bucketVersioning:BucketVersioning");
      const ownership = sibling("aws:s3/bucketOwnershipControls:BucketOwnershipControls");
      const policy = sibling("aws:s3/bucketPolicy:BucketPolicy");
      let sids: string[] = [];
      try {
        const doc = JSON.parse(String(policy ? g(policy, "policy") : "{}")) as {
          Statement?: { Sid?: string; Effect: string }[];
        };
        sids = (doc.Statement ?? []).filter((s) => s.Effect === "Deny").map((s) => s.Sid ?? "?");
      } catch {
        sids = ["[unreadable]"];
      }
      return [
        [
          "encryption",
          `${String(byDefault.sseAlgorithm ?? "NONE")}, bucket key ${yesNo(rule.bucketKeyEnabled)}`,
        ],
        ["versioning", String(versioning ? g(versioning, "versioningConfiguration.status") : "OFF")],
        [
          "public access block",
          pab ? (blocks.every((b) => g(pab, b) === true) ? "all four on" : "PARTIAL") : "MISSING",
        ],
        ["object ownership", String(ownership ? g(ownership, "rule.objectOwnership") : "-")],
        ["policy denies", sids.join(", ") || "nothing"],
        ["force destroy", yesNo(get(r, "forceDestroy"))],
        ["state", protection(r)],
      ];
    },
  },
  {
    type: "aws:ec2/vpc:Vpc",
    title: (r) => `VPC ${r.name}`,
    facts: (r, sibling, g) => {
      const flow = sibling("aws:ec2/flowLog:FlowLog");
      return [
        ["CIDR", String(get(r, "cidrBlock"))],
        ["flow logs", flow ? `${String(g(flow, "trafficType"))} to CloudWatch (KMS)` : "OFF"],
      ];
    },
  },
  {
    type: "pulumi:providers:kubernetes",
    title: (r) => `Kubernetes provider ${r.name}`,
    facts: (r) => [["kubeconfig", r.secretInputs.includes("kubeconfig") ? "secret" : "PLAIN TEXT"]],
  },
];

/** The security views of every resource the viewers know, in resource order. */
export function securityViews(resources: RecordedResource[]): SecurityView[] {
  const views: SecurityView[] = [];
  for (const r of resources) {
    const viewer = VIEWERS.find((v) => v.type === r.type);
    if (!viewer) continue;
    // Siblings: resources of the same component that share the name (S3's split resources) or
    // were declared for the same purpose (a node group's launch template).
    const sibling = (type: string) =>
      resources.find((s) => s.type === type && s.parent === r.parent && s.name === r.name) ??
      resources.find((s) => s.type === type && s.parent === r.parent);
    views.push({ title: viewer.title(r), urn: r.urn, facts: viewer.facts(r, sibling, get) });
  }
  return views;
}
