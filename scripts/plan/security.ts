import type { RecordedResource } from "../../components/testing";

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
  facts: (r: RecordedResource, sibling: (type: string) => RecordedResource | undefined) => [string, string][];
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
    facts: (r, sibling) => {
      const sse = sibling(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      );
      const rule = sse ? ((get(sse, "rules") as Record<string, unknown>[] | undefined)?.[0] ?? {}) : {};
      const byDefault = (rule.applyServerSideEncryptionByDefault ?? {}) as Record<string, unknown>;
      const pab = sibling("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
      const blocks = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
      const versioning = sibling("aws:s3/bucketVersioning:BucketVersioning");
      const ownership = sibling("aws:s3/bucketOwnershipControls:BucketOwnershipControls");
      const policy = sibling("aws:s3/bucketPolicy:BucketPolicy");
      let sids: string[] = [];
      try {
        const doc = JSON.parse(String(policy ? get(policy, "policy") : "{}")) as {
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
        ["versioning", String(versioning ? get(versioning, "versioningConfiguration.status") : "OFF")],
        [
          "public access block",
          pab ? (blocks.every((b) => get(pab, b) === true) ? "all four on" : "PARTIAL") : "MISSING",
        ],
        ["object ownership", String(ownership ? get(ownership, "rule.objectOwnership") : "-")],
        ["policy denies", sids.join(", ") || "nothing"],
        ["force destroy", yesNo(get(r, "forceDestroy"))],
        ["state", protection(r)],
      ];
    },
  },
  {
    type: "aws:ec2/vpc:Vpc",
    title: (r) => `VPC ${r.name}`,
    facts: (r, sibling) => {
      const flow = sibling("aws:ec2/flowLog:FlowLog");
      return [
        ["CIDR", String(get(r, "cidrBlock"))],
        ["flow logs", flow ? `${String(get(flow, "trafficType"))} to CloudWatch (KMS)` : "OFF"],
      ];
    },
  },
  {
    type: "azure-native:containerservice:ManagedCluster",
    title: (r) => `AKS cluster ${String(get(r, "resourceName") ?? r.name)}`,
    facts: (r) => {
      const system = ((get(r, "agentPoolProfiles") as Record<string, unknown>[] | undefined) ?? [])[0] ?? {};
      const kms = (get(r, "securityProfile.azureKeyVaultKms") ?? {}) as Record<string, unknown>;
      return [
        [
          "API server",
          get(r, "apiServerAccessProfile.enablePrivateCluster") === true
            ? `private (DNS zone ${String(get(r, "apiServerAccessProfile.privateDNSZone") ?? "system")}), public FQDN ${yesNo(get(r, "apiServerAccessProfile.enablePrivateClusterPublicFQDN"))}, VNet integration ${yesNo(get(r, "apiServerAccessProfile.enableVnetIntegration"))}`
            : "PUBLIC",
        ],
        [
          "authentication",
          `Entra ID ${yesNo(get(r, "aadProfile.managed"))}, Azure RBAC ${yesNo(get(r, "aadProfile.enableAzureRBAC"))}, local accounts ${get(r, "disableLocalAccounts") === true ? "disabled" : "ENABLED"}, admin groups ${list(get(r, "aadProfile.adminGroupObjectIDs"))}`,
        ],
        [
          "network",
          `${String(get(r, "networkProfile.networkPlugin"))} ${String(get(r, "networkProfile.networkPluginMode") ?? "")}, policy ${String(get(r, "networkProfile.networkPolicy") ?? "NONE")}, outbound ${String(get(r, "networkProfile.outboundType") ?? "-")}`,
        ],
        [
          "secrets encryption",
          kms.enabled === true
            ? `Key Vault KMS (${String(kms.keyVaultNetworkAccess ?? "Public")} vault)`
            : "platform only",
        ],
        [
          "workload identity",
          `OIDC issuer ${yesNo(get(r, "oidcIssuerProfile.enabled"))}, workload identity ${yesNo(get(r, "securityProfile.workloadIdentity.enabled"))}`,
        ],
        [
          "upgrades",
          `${String(get(r, "autoUpgradeProfile.upgradeChannel") ?? "none")}, node OS ${String(get(r, "autoUpgradeProfile.nodeOSUpgradeChannel") ?? "-")}`,
        ],
        ["tier", String(get(r, "sku.tier") ?? "Free")],
        [
          "monitoring",
          `${
            get(r, "addonProfiles.omsagent.enabled") === true
              ? `Container Insights, ${get(r, "addonProfiles.omsagent.config.useAADAuth") === "true" ? "Entra ID" : "SHARED KEY"} auth`
              : "control-plane logs only"
          }${get(r, "azureMonitorProfile.metrics.enabled") === true ? "; managed Prometheus" : ""}`,
        ],
        [
          "system pool",
          `${String(system.vmSize)}, taints ${list(system.nodeTaints)}, encryption at host ${yesNo(system.enableEncryptionAtHost)}, zones ${list(system.availabilityZones)}`,
        ],
        ["state", protection(r)],
      ];
    },
  },
  {
    type: "azure-native:containerservice:AgentPool",
    title: (r) => `AKS pool ${r.name}`,
    facts: (r) => {
      const spot = get(r, "scaleSetPriority") === "Spot";
      return [
        [
          "VM size",
          `${String(get(r, "vmSize"))}, ${String(get(r, "mode"))} mode, ${String(get(r, "osSKU"))}`,
        ],
        [
          "capacity",
          spot
            ? `Spot, eviction ${String(get(r, "scaleSetEvictionPolicy"))}, max price ${String(get(r, "spotMaxPrice"))}`
            : "Regular",
        ],
        [
          "scaling",
          `${String(get(r, "minCount"))}..${String(get(r, "maxCount"))} (autoscaler ${yesNo(get(r, "enableAutoScaling"))})`,
        ],
        ["taints", list(get(r, "nodeTaints")) || "none"],
        ["encryption at host", yesNo(get(r, "enableEncryptionAtHost"))],
        ["public IP", get(r, "enableNodePublicIP") === true ? "YES" : "no"],
        ["SSH", String(get(r, "securityProfile.sshAccess") ?? "LocalUser")],
        ["OS disk", `${String(get(r, "osDiskType"))} ${String(get(r, "osDiskSizeGB"))} GiB`],
        [
          "GPU",
          get(r, "gpuProfile.driver") === undefined
            ? "-"
            : `driver ${String(get(r, "gpuProfile.driver"))}, MIG ${String(get(r, "gpuInstanceProfile") ?? "off")}`,
        ],
      ];
    },
  },
  {
    type: "azure-native:storage:StorageAccount",
    title: (r) => `Storage account ${r.name}`,
    facts: (r) => {
      const cmk = get(r, "encryption.keySource") === "Microsoft.Keyvault";
      return [
        ["kind", `${String(get(r, "kind"))}, ${String(get(r, "sku.name"))}`],
        [
          "transport",
          `TLS >= ${String(get(r, "minimumTlsVersion") ?? "-")}, HTTPS only ${yesNo(get(r, "enableHttpsTrafficOnly"))}`,
        ],
        [
          "network",
          `public access ${String(get(r, "publicNetworkAccess") ?? "Enabled")}, default ${String(get(r, "networkRuleSet.defaultAction") ?? "Allow")}`,
        ],
        [
          "access",
          `shared keys ${get(r, "allowSharedKeyAccess") === false ? "off" : "ON"}, public blobs ${get(r, "allowBlobPublicAccess") === false ? "off" : "ON"}`,
        ],
        [
          "encryption",
          `${cmk ? "customer-managed key (Key Vault)" : "Microsoft-managed key"}, infrastructure encryption ${yesNo(get(r, "encryption.requireInfrastructureEncryption"))}`,
        ],
        ["state", protection(r)],
      ];
    },
  },
  {
    type: "azure-native:keyvault:Vault",
    title: (r) => `Key Vault ${r.name}`,
    facts: (r) => [
      [
        "authorisation",
        get(r, "properties.enableRbacAuthorization") === true ? "Azure RBAC" : "ACCESS POLICIES",
      ],
      [
        "deletion",
        `soft delete ${String(get(r, "properties.softDeleteRetentionInDays") ?? "-")} days, purge protection ${yesNo(get(r, "properties.enablePurgeProtection"))}`,
      ],
      [
        "network",
        `public access ${String(get(r, "properties.publicNetworkAccess") ?? "Enabled")}, default ${String(get(r, "properties.networkAcls.defaultAction") ?? "Allow")}`,
      ],
      ["state", protection(r)],
    ],
  },
  {
    type: "azure-native:network:VirtualNetwork",
    title: (r) => `VNet ${r.name}`,
    facts: (r, sibling) => {
      const flow = sibling("azure-native:network:FlowLog");
      return [
        ["address space", list(get(r, "addressSpace.addressPrefixes"))],
        [
          "flow logs",
          flow
            ? `to storage, ${String(get(flow, "retentionPolicy.days"))} days, identity ${String(get(flow, "identity.type"))}`
            : "OFF",
        ],
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
    views.push({ title: viewer.title(r), urn: r.urn, facts: viewer.facts(r, sibling) });
  }
  return views;
}
