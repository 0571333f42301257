import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

/** The account and places the mock cloud pretends to be. */
export interface MockCloud {
  /** Region for AWS resources whose provider names none (explicit providers report their own). */
  awsRegion: string;
  /** Account id every ARN carries. */
  awsAccountId: string;
  /** EKS managed node groups that already run (none: a first `up`), as the lookups of a later `up` see them. */
  nodeGroups?: MockNodeGroup[];
  /**
   * Whether the account has EC2 Auto Scaling's service-linked role (`AWSServiceRoleForAutoScaling`),
   * which IAM creates with its first Auto Scaling group. Default true.
   */
  autoScalingServiceRole?: boolean;
  /**
   * Values earlier updates recorded in `pulumi.Stash` resources, by the stash's name (none: a first
   * `up`, where a stash's output is its input).
   */
  stashes?: Record<string, unknown>;
  /** AKS clusters that already run, with their agent pools (none: a first `up`). */
  aksClusters?: MockAksCluster[];
  /**
   * Network Watchers the subscription lacks, as `<resource group>/<name>` (a subscription that
   * opted out of automatic creation); every other watcher exists.
   */
  missingNetworkWatchers?: string[];
}

/** An AKS cluster that already runs, as the reads of a later `up` see it (the AKS GET shapes). */
export interface MockAksCluster {
  resourceGroupName: string;
  name: string;
  kubernetesVersion: string;
  /** Its agent pools (the system pool and the user pools), each with its `name`. */
  agentPoolProfiles: ({ name: string } & Record<string, unknown>)[];
}

/** An EKS managed node group that already runs: its cluster, name, labels and the count it runs. */
export interface MockNodeGroup {
  clusterName: string;
  nodeGroupName: string;
  labels: Record<string, string>;
  minSize: number;
  maxSize: number;
  desiredSize: number;
}

export const DEFAULT_MOCK_CLOUD: MockCloud = { awsRegion: "eu-west-1", awsAccountId: "123456789012" };

type State = Record<string, unknown>;
interface Ctx {
  name: string;
  inputs: State;
  region: string;
  account: string;
  /** Deterministic hex digits derived from the resource's type and name. */
  hex: (length: number) => string;
}

// What AWS itself fills in on create, by resource type: realistic ids, ARNs and endpoints, so
// the plan reads like a real update and components that read these outputs get sensible values.
const AWS_OUTPUTS: Record<string, (c: Ctx) => { id: string; state?: State }> = {
  "aws:ec2/vpc:Vpc": (c) => ({
    id: `vpc-${c.hex(17)}`,
    state: { arn: arn(c, "ec2", `vpc/vpc-${c.hex(17)}`) },
  }),
  "aws:ec2/subnet:Subnet": (c) => ({ id: `subnet-${c.hex(17)}` }),
  "aws:ec2/routeTable:RouteTable": (c) => ({ id: `rtb-${c.hex(17)}` }),
  "aws:ec2/internetGateway:InternetGateway": (c) => ({ id: `igw-${c.hex(17)}` }),
  "aws:ec2/natGateway:NatGateway": (c) => ({ id: `nat-${c.hex(17)}` }),
  "aws:ec2/eip:Eip": (c) => ({
    id: `eipalloc-${c.hex(17)}`,
    state: { publicIp: `203.0.113.${parseInt(c.hex(2), 16) % 250}` },
  }),
  "aws:ec2/securityGroup:SecurityGroup": (c) => ({ id: `sg-${c.hex(17)}` }),
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": (c) => ({ id: `sg-${c.hex(17)}` }),
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (c) => ({ id: `sgr-${c.hex(17)}` }),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (c) => ({ id: `sgr-${c.hex(17)}` }),
  "aws:ec2/vpcEndpoint:VpcEndpoint": (c) => {
    const id = `vpce-${c.hex(17)}`;
    // An interface endpoint's regional name, as EC2 reports it first among its DNS entries.
    const service = String(c.inputs.serviceName ?? "")
      .split(".")
      .slice(3)
      .join(".");
    return {
      id,
      state:
        c.inputs.vpcEndpointType === "Interface"
          ? {
              dnsEntries: [
                {
                  dnsName: `${id}-${c.hex(8)}.${service}.${c.region}.vpce.amazonaws.com`,
                  hostedZoneId: `Z${c.hex(13).toUpperCase()}`,
                },
              ],
            }
          : {},
    };
  },
  "aws:ec2/flowLog:FlowLog": (c) => ({ id: `fl-${c.hex(17)}` }),
  "aws:ec2/launchTemplate:LaunchTemplate": (c) => ({ id: `lt-${c.hex(17)}`, state: { latestVersion: 1 } }),
  "aws:ec2/placementGroup:PlacementGroup": (c) => ({ id: physicalName(c), state: { name: physicalName(c) } }),
  "aws:kms/key:Key": (c) => {
    const keyId = uuid(c);
    return { id: keyId, state: { keyId, arn: arn(c, "kms", `key/${keyId}`) } };
  },
  "aws:kms/alias:Alias": (c) => {
    const name = `${String(c.inputs.namePrefix ?? "alias/")}${c.hex(8)}`;
    return { id: name, state: { name, arn: arn(c, "kms", name) } };
  },
  "aws:cloudwatch/logGroup:LogGroup": (c) => {
    const name = physicalName(c);
    return { id: name, state: { name, arn: arn(c, "logs", `log-group:${name}`) } };
  },
  // IAM Roles Anywhere: ids are UUIDs, ARNs name them.
  "aws:rolesanywhere/trustAnchor:TrustAnchor": (c) => {
    const id = uuid(c);
    return { id, state: { arn: arn(c, "rolesanywhere", `trust-anchor/${id}`), trustAnchorId: id } };
  },
  "aws:rolesanywhere/profile:Profile": (c) => {
    const id = uuid(c);
    return { id, state: { arn: arn(c, "rolesanywhere", `profile/${id}`) } };
  },
  "aws:iam/role:Role": (c) => {
    const name = physicalName(c);
    return {
      id: name,
      state: {
        name,
        arn: `arn:aws:iam::${c.account}:role/${name}`,
        uniqueId: `AROA${c.hex(17).toUpperCase()}`,
      },
    };
  },
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (c) => {
    const host = String(c.inputs.url ?? "").replace(/^https:\/\//, "");
    const providerArn = `arn:aws:iam::${c.account}:oidc-provider/${host}`;
    return { id: providerArn, state: { arn: providerArn } };
  },
  "aws:eks/cluster:Cluster": (c) => {
    const name = physicalName(c);
    const endpointId = c.hex(32).toUpperCase();
    const vpcConfig = (c.inputs.vpcConfig ?? {}) as State;
    return {
      id: name,
      state: {
        name,
        arn: arn(c, "eks", `cluster/${name}`),
        endpoint: `https://${endpointId}.gr7.${c.region}.eks.amazonaws.com`,
        certificateAuthority: { data: Buffer.from(`mock CA of ${name}`).toString("base64") },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${c.region}.amazonaws.com/id/${endpointId}` }] }],
        vpcConfig: { ...vpcConfig, clusterSecurityGroupId: `sg-${c.hex(17)}`, vpcId: `vpc-${c.hex(17)}` },
        // EKS's Service block when none is given: 172.20.0.0/16 for a VPC in 10.0.0.0/8 (ours).
        kubernetesNetworkConfig: {
          ipFamily: "ipv4",
          serviceIpv4Cidr: "172.20.0.0/16",
          ...(c.inputs.kubernetesNetworkConfig as State | undefined),
        },
        version: c.inputs.version ?? "1.34",
        platformVersion: "eks.1",
        status: "ACTIVE",
      },
    };
  },
  "aws:eks/nodeGroup:NodeGroup": (c) => {
    const nodeGroupName = String(c.inputs.nodeGroupName ?? physicalName(c));
    return {
      id: `${String(c.inputs.clusterName)}:${nodeGroupName}`,
      state: {
        nodeGroupName,
        arn: arn(c, "eks", `nodegroup/${String(c.inputs.clusterName)}/${nodeGroupName}/${uuid(c)}`),
        status: "ACTIVE",
        // EKS names the group's Auto Scaling group `eks-<node group>-<uuid>`.
        resources: [{ autoscalingGroups: [{ name: `eks-${nodeGroupName}-${uuid(c)}` }] }],
      },
    };
  },
  "aws:eks/addon:Addon": (c) => ({
    id: `${String(c.inputs.clusterName)}:${String(c.inputs.addonName)}`,
    state: {
      arn: arn(c, "eks", `addon/${String(c.inputs.clusterName)}/${String(c.inputs.addonName)}/${uuid(c)}`),
      addonVersion: c.inputs.addonVersion ?? "v1.0.0-eksbuild.1",
    },
  }),
  "aws:ec2/vpnGateway:VpnGateway": (c) => ({
    id: `vgw-${c.hex(17)}`,
    state: { arn: arn(c, "ec2", `vpn-gateway/vgw-${c.hex(17)}`) },
  }),
  "aws:ec2/customerGateway:CustomerGateway": (c) => ({
    id: `cgw-${c.hex(17)}`,
    state: { arn: arn(c, "ec2", `customer-gateway/cgw-${c.hex(17)}`) },
  }),
  "aws:ec2/vpnConnection:VpnConnection": (c) => {
    // Outside addresses from TEST-NET-3, as AWS assigns two per connection; inside hosts as AWS
    // takes them: the first of each /30 for itself, the second for the customer gateway.
    const byte = (n: number) => (parseInt(c.hex(2 * (n + 1)).slice(-2), 16) % 250) + 2;
    const host = (cidr: unknown, n: number) => {
      const [net = "0.0.0.0"] = String(cidr).split("/");
      const o = net.split(".").map(Number);
      return [o[0], o[1], o[2], (o[3] ?? 0) + n].join(".");
    };
    const id = `vpn-${c.hex(17)}`;
    return {
      id,
      state: {
        arn: arn(c, "ec2", `vpn-connection/${id}`),
        tunnel1Address: `203.0.113.${byte(1)}`,
        tunnel2Address: `203.0.113.${byte(2)}`,
        tunnel1VgwInsideAddress: host(c.inputs.tunnel1InsideCidr, 1),
        tunnel1CgwInsideAddress: host(c.inputs.tunnel1InsideCidr, 2),
        tunnel2VgwInsideAddress: host(c.inputs.tunnel2InsideCidr, 1),
        tunnel2CgwInsideAddress: host(c.inputs.tunnel2InsideCidr, 2),
        tunnel1BgpHoldtime: 30,
        tunnel2BgpHoldtime: 30,
      },
    };
  },
  "aws:s3/bucket:Bucket": (c) => {
    const bucket = String(
      c.inputs.bucket ?? `${c.inputs.bucketPrefix ?? `${c.name}-`}${c.hex(7)}`,
    ).toLowerCase();
    return {
      id: bucket,
      state: {
        bucket,
        arn: `arn:aws:s3:::${bucket}`,
        bucketDomainName: `${bucket}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${bucket}.s3.${c.region}.amazonaws.com`,
        region: c.region,
      },
    };
  },
};

/** EKS's default version of an add-on for a Kubernetes version: one per pair, in EKS's format. */
function addonVersion(inputs: State): State {
  const kubernetes = String(inputs.kubernetesVersion);
  const [, minor = "0"] = kubernetes.split(".");
  const version = `v1.${minor}.${parseInt(digest(`${inputs.addonName}::${kubernetes}`, 2), 16) % 10}-eksbuild.1`;
  return {
    id: String(inputs.addonName),
    addonName: inputs.addonName,
    kubernetesVersion: kubernetes,
    version,
  };
}

// Answers to the provider functions the components call.
const AWS_CALLS: Record<string, (region: string, account: string) => State> = {
  "aws:index/getRegion:getRegion": (region) => ({
    id: region,
    name: region,
    region,
    endpoint: `ec2.${region}.amazonaws.com`,
    description: region,
  }),
  "aws:index/getCallerIdentity:getCallerIdentity": (_region, account) => ({
    id: account,
    accountId: account,
    arn: `arn:aws:iam::${account}:role/plan`,
    userId: "AROAPLAN",
  }),
  "aws:index/getAvailabilityZones:getAvailabilityZones": (region) => {
    // Zone ids read like AWS's: eu-west-1 -> euw1-az1.
    const [area = "", direction = "", number = ""] = region.split("-");
    const code = `${area}${direction.charAt(0)}${number}`;
    return {
      id: region,
      region,
      names: ["a", "b", "c"].map((letter) => `${region}${letter}`),
      zoneIds: [1, 2, 3].map((n) => `${code}-az${n}`),
      groupNames: [region, region, region],
      state: "available",
    };
  },
  // The region's S3 prefix list (the gateway endpoint's destinations); ranges as AWS publishes them.
  "aws:ec2/getPrefixList:getPrefixList": (region) => ({
    id: "pl-6da54004",
    prefixListId: "pl-6da54004",
    name: `com.amazonaws.${region}.s3`,
    cidrBlocks: ["3.5.64.0/21", "3.5.72.0/23", "52.218.0.0/17", "52.92.0.0/17"],
    region,
  }),
  "aws:index/getPartition:getPartition": () => ({
    id: "aws",
    partition: "aws",
    dnsSuffix: "amazonaws.com",
    reverseDnsPrefix: "com.amazonaws",
  }),
};

// The Azure subscription, tenant and region the mock cloud pretends to be.
export const MOCK_AZURE = {
  subscriptionId: "00000000-0000-0000-0000-000000000000",
  tenantId: "11111111-2222-3333-4444-555555555555",
  /** The region resources get when they name none (the provider takes the resource group's). */
  location: "westeurope",
} as const;

/** `/subscriptions/.../resourceGroups/<rg>/providers/<path>`, as ARM ids read. */
function armId(c: Ctx, path: string, resourceGroup: unknown = c.inputs.resourceGroupName): string {
  return `/subscriptions/${MOCK_AZURE.subscriptionId}/resourceGroups/${String(resourceGroup)}/providers/${path}`;
}

// azure-native's auto-naming: the logical name plus a random suffix, here a deterministic one.
function azureName(c: Ctx, field: string): string {
  const given = c.inputs[field];
  return typeof given === "string" ? given : `${c.name.replace(/[^A-Za-z0-9-]/g, "")}${c.hex(8)}`;
}

function located(c: Ctx): State {
  return { location: c.inputs.location ?? MOCK_AZURE.location };
}

/** The private API server FQDN AKS gives a private cluster (the same in the credentials call). */
function aksPrivateFqdn(clusterName: string, location: string): string {
  const h = (n: number, salt: string) => digest(`aks::${salt}::${clusterName}`, n);
  const label = clusterName.replace(/_/g, "-").slice(0, 54).toLowerCase();
  return `${label}-${h(8, "fqdn")}.${h(8, "a")}-${h(4, "b")}-${h(4, "c")}-${h(4, "d")}-${h(12, "e")}.privatelink.${location}.azmk8s.io`;
}

/** A simple ARM resource: its name field, its provider path, and what else ARM fills in. */
function arm(
  field: string,
  path: (c: Ctx, name: string) => string,
  state: (c: Ctx, name: string, id: string) => State = () => ({}),
): (c: Ctx) => { id: string; state?: State } {
  return (c) => {
    const name = azureName(c, field);
    const id = path(c, name);
    return { id, state: { name, ...state(c, name, id) } };
  };
}

// What Azure fills in on create, by resource type: ARM ids, names, endpoints and identities, so
// the plan reads like a real update and components that read these outputs get sensible values.
/**
 * Kubernetes objects whose outputs the API server fills: a ServiceAccount token Secret gets its
 * token and the cluster's CA from the token controller (pulumi-kubernetes waits until it has).
 */
const KUBERNETES_OUTPUTS: Record<string, (c: Ctx) => { id: string; state?: State } | undefined> = {
  "kubernetes:core/v1:Secret": (c) => {
    if (c.inputs.type !== "kubernetes.io/service-account-token") return undefined;
    const meta = (c.inputs.metadata ?? {}) as { name?: string; namespace?: string };
    const b64 = (text: string) => Buffer.from(text).toString("base64");
    return {
      id: `${meta.namespace ?? "default"}/${meta.name ?? c.name}`,
      state: {
        data: {
          token: b64(`mock-service-account-token-${c.hex(16)}`),
          "ca.crt": b64("mock CA"),
          namespace: b64(meta.namespace ?? "default"),
        },
      },
    };
  },
};

const AZURE_OUTPUTS: Record<string, (c: Ctx) => { id: string; state?: State }> = {
  "azure-native:resources:ResourceGroup": (c) => {
    const name = azureName(c, "resourceGroupName");
    return {
      id: `/subscriptions/${MOCK_AZURE.subscriptionId}/resourceGroups/${name}`,
      state: { name, ...located(c), properties: { provisioningState: "Succeeded" } },
    };
  },
  "azure-native:network:VirtualNetwork": arm(
    "virtualNetworkName",
    (c, n) => armId(c, `Microsoft.Network/virtualNetworks/${n}`),
    (c) => ({ ...located(c), resourceGuid: uuid(c) }),
  ),
  "azure-native:network:Subnet": arm("subnetName", (c, n) =>
    armId(c, `Microsoft.Network/virtualNetworks/${String(c.inputs.virtualNetworkName)}/subnets/${n}`),
  ),
  "azure-native:network:NetworkSecurityGroup": arm(
    "networkSecurityGroupName",
    (c, n) => armId(c, `Microsoft.Network/networkSecurityGroups/${n}`),
    located,
  ),
  "azure-native:network:NatGateway": arm(
    "natGatewayName",
    (c, n) => armId(c, `Microsoft.Network/natGateways/${n}`),
    located,
  ),
  "azure-native:network:PublicIPAddress": arm(
    "publicIpAddressName",
    (c, n) => armId(c, `Microsoft.Network/publicIPAddresses/${n}`),
    (c) => ({
      ...located(c),
      ipAddress: `20.${parseInt(c.hex(2), 16) % 250}.${parseInt(c.hex(4).slice(2), 16) % 250}.${(parseInt(c.hex(6).slice(4), 16) % 250) + 1}`,
    }),
  ),
  "azure-native:network:VirtualNetworkGateway": arm(
    "virtualNetworkGatewayName",
    (c, n) => armId(c, `Microsoft.Network/virtualNetworkGateways/${n}`),
    (c) => ({ ...located(c), provisioningState: "Succeeded" }),
  ),
  "azure-native:network:LocalNetworkGateway": arm(
    "localNetworkGatewayName",
    (c, n) => armId(c, `Microsoft.Network/localNetworkGateways/${n}`),
    located,
  ),
  "azure-native:network:VirtualNetworkGatewayConnection": arm(
    "virtualNetworkGatewayConnectionName",
    (c, n) => armId(c, `Microsoft.Network/connections/${n}`),
    (c) => ({ ...located(c), connectionStatus: "Connected" }),
  ),
  "azure-native:network:FlowLog": arm(
    "flowLogName",
    (c, n) =>
      armId(c, `Microsoft.Network/networkWatchers/${String(c.inputs.networkWatcherName)}/flowLogs/${n}`),
    located,
  ),
  "azure-native:network:PrivateEndpoint": arm(
    "privateEndpointName",
    (c, n) => armId(c, `Microsoft.Network/privateEndpoints/${n}`),
    located,
  ),
  "azure-native:network:PrivateDnsZoneGroup": arm(
    "privateDnsZoneGroupName",
    (c, n) =>
      armId(
        c,
        `Microsoft.Network/privateEndpoints/${String(c.inputs.privateEndpointName)}/privateDnsZoneGroups/${n}`,
      ),
    // The A record Azure writes for the endpoint: an address in the reference VNets' endpoint subnet.
    (c) => ({
      privateDnsZoneConfigs: ((c.inputs.privateDnsZoneConfigs ?? []) as State[]).map((config) => ({
        ...config,
        recordSets: [
          {
            recordType: "A",
            recordSetName: String(c.inputs.privateEndpointName),
            ipAddresses: [`10.30.192.${(parseInt(c.hex(2), 16) % 200) + 4}`],
          },
        ],
      })),
    }),
  ),
  "azure-native:privatedns:PrivateZone": arm(
    "privateZoneName",
    (c, n) => armId(c, `Microsoft.Network/privateDnsZones/${n}`),
    () => ({ location: "global" }),
  ),
  "azure-native:privatedns:VirtualNetworkLink": arm("virtualNetworkLinkName", (c, n) =>
    armId(
      c,
      `Microsoft.Network/privateDnsZones/${String(c.inputs.privateZoneName)}/virtualNetworkLinks/${n}`,
    ),
  ),
  "azure-native:storage:StorageAccount": arm(
    "accountName",
    (c, n) => armId(c, `Microsoft.Storage/storageAccounts/${n}`),
    (c, n) => ({
      ...located(c),
      primaryEndpoints: {
        blob: `https://${n}.blob.core.windows.net/`,
        dfs: `https://${n}.dfs.core.windows.net/`,
        file: `https://${n}.file.core.windows.net/`,
        queue: `https://${n}.queue.core.windows.net/`,
        table: `https://${n}.table.core.windows.net/`,
        web: `https://${n}.z6.web.core.windows.net/`,
      },
      provisioningState: "Succeeded",
    }),
  ),
  "azure-native:storage:BlobServiceProperties": arm("blobServicesName", (c) =>
    armId(c, `Microsoft.Storage/storageAccounts/${String(c.inputs.accountName)}/blobServices/default`),
  ),
  "azure-native:storage:BlobContainer": arm("containerName", (c, n) =>
    armId(
      c,
      `Microsoft.Storage/storageAccounts/${String(c.inputs.accountName)}/blobServices/default/containers/${n}`,
    ),
  ),
  "azure-native:storage:ManagementPolicy": arm("managementPolicyName", (c) =>
    armId(c, `Microsoft.Storage/storageAccounts/${String(c.inputs.accountName)}/managementPolicies/default`),
  ),
  "azure-native:keyvault:Vault": arm(
    "vaultName",
    (c, n) => armId(c, `Microsoft.KeyVault/vaults/${n}`),
    (c, n) => ({
      ...located(c),
      properties: { ...((c.inputs.properties ?? {}) as State), vaultUri: `https://${n}.vault.azure.net/` },
    }),
  ),
  "azure-native:keyvault:Key": arm(
    "keyName",
    (c, n) => armId(c, `Microsoft.KeyVault/vaults/${String(c.inputs.vaultName)}/keys/${n}`),
    (c, n) => {
      const keyUri = `https://${String(c.inputs.vaultName)}.vault.azure.net/keys/${n}`;
      return { keyUri, keyUriWithVersion: `${keyUri}/${c.hex(32)}` };
    },
  ),
  "azure-native:managedidentity:UserAssignedIdentity": arm(
    "resourceName",
    (c, n) => armId(c, `Microsoft.ManagedIdentity/userAssignedIdentities/${n}`),
    (c) => {
      const h = (salt: string) => digest(`${salt}::${c.name}`, 32);
      const guid = (x: string) =>
        `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
      return {
        ...located(c),
        principalId: guid(h("principal")),
        clientId: guid(h("client")),
        tenantId: MOCK_AZURE.tenantId,
      };
    },
  ),
  // Entra ID (azuread): ids as the provider writes them (/applications/<object id>, ...).
  "azuread:index/applicationRegistration:ApplicationRegistration": (c) => {
    const objectId = uuid(c);
    return {
      id: `/applications/${objectId}`,
      state: { objectId, clientId: uuid({ ...c, hex: (n) => digest(`client::${c.name}`, n) }) },
    };
  },
  "azuread:index/servicePrincipal:ServicePrincipal": (c) => {
    const objectId = uuid(c);
    return {
      id: `/servicePrincipals/${objectId}`,
      state: { objectId, applicationTenantId: MOCK_AZURE.tenantId },
    };
  },
  "azuread:index/applicationCertificate:ApplicationCertificate": (c) => {
    const keyId = uuid(c);
    return { id: `${String(c.inputs.applicationId)}/certificate/${keyId}`, state: { keyId } };
  },
  "azure-native:authorization:RoleAssignment": (c) => {
    const name = typeof c.inputs.roleAssignmentName === "string" ? c.inputs.roleAssignmentName : uuid(c);
    return {
      id: `${String(c.inputs.scope)}/providers/Microsoft.Authorization/roleAssignments/${name}`,
      state: { name },
    };
  },
  "azure-native:operationalinsights:Workspace": arm(
    "workspaceName",
    (c, n) => armId(c, `Microsoft.OperationalInsights/workspaces/${n}`),
    (c) => ({ ...located(c), customerId: uuid(c), provisioningState: "Succeeded" }),
  ),
  "azure-native:monitor:DiagnosticSetting": arm(
    "name",
    (c, n) => `${String(c.inputs.resourceUri)}/providers/Microsoft.Insights/diagnosticSettings/${n}`,
  ),
  "azure-native:monitor:DataCollectionRule": arm(
    "dataCollectionRuleName",
    (c, n) => armId(c, `Microsoft.Insights/dataCollectionRules/${n}`),
    (c) => ({ ...located(c), immutableId: `dcr-${c.hex(32)}` }),
  ),
  "azure-native:monitor:DataCollectionRuleAssociation": arm(
    "associationName",
    (c, n) =>
      `${String(c.inputs.resourceUri)}/providers/Microsoft.Insights/dataCollectionRuleAssociations/${n}`,
  ),
  "azure-native:containerservice:ManagedCluster": arm(
    "resourceName",
    (c, n) => armId(c, `Microsoft.ContainerService/managedClusters/${n}`),
    (c, n) => {
      const location = String(c.inputs.location ?? MOCK_AZURE.location);
      const oidc = (c.inputs.oidcIssuerProfile ?? {}) as State;
      return {
        location,
        privateFQDN: aksPrivateFqdn(n, location),
        azurePortalFQDN: `${n}-${c.hex(8)}.portal.hcp.${location}.azmk8s.io`,
        oidcIssuerProfile: {
          ...oidc,
          issuerURL: `https://${location}.oic.prod-aks.azure.com/${MOCK_AZURE.tenantId}/${uuid(c)}/`,
        },
        nodeResourceGroup: `MC_${String(c.inputs.resourceGroupName)}_${n}_${location}`,
        currentKubernetesVersion: `${String(c.inputs.kubernetesVersion ?? "1.33")}.3`,
        provisioningState: "Succeeded",
        powerState: { code: "Running" },
      };
    },
  ),
  "azure-native:containerservice:AgentPool": arm(
    "agentPoolName",
    (c, n) =>
      armId(c, `Microsoft.ContainerService/managedClusters/${String(c.inputs.resourceName)}/agentPools/${n}`),
    () => ({ provisioningState: "Succeeded", powerState: { code: "Running" } }),
  ),
  "random:index/randomPassword:RandomPassword": (c) => {
    // Letters and digits with the special characters asked for; the provider keeps it secret.
    const specials = String(c.inputs.overrideSpecial ?? "");
    const hex = c.hex(Number(c.inputs.length ?? 16));
    const result = [...hex]
      .map((ch, i) =>
        i % 7 === 3 && specials ? specials[i % specials.length] : i % 2 ? ch.toUpperCase() : ch,
      )
      .join("");
    return { id: "none", state: { result, bcryptHash: `$2a$10$${c.hex(53)}` } };
  },
  "random:index/randomString:RandomString": (c) => {
    // Lower-case letters and digits, as the components ask for.
    const result = c.hex(Number(c.inputs.length ?? 8));
    return { id: result, state: { result } };
  },
  // The TLS provider's keys and certificates, as PEM blocks of the right kind (the body is not DER).
  "tls:index/privateKey:PrivateKey": (c) => ({
    id: c.hex(40),
    state: { privateKeyPem: pem("PRIVATE KEY", c.hex(64)), publicKeyPem: pem("PUBLIC KEY", c.hex(64)) },
  }),
  "tls:index/selfSignedCert:SelfSignedCert": (c) => ({
    id: c.hex(32),
    state: { certPem: pem("CERTIFICATE", c.hex(64)) },
  }),
  "tls:index/certRequest:CertRequest": (c) => ({
    id: c.hex(40),
    state: { certRequestPem: pem("CERTIFICATE REQUEST", c.hex(64)) },
  }),
  "tls:index/locallySignedCert:LocallySignedCert": (c) => ({
    id: c.hex(32),
    state: { certPem: pem("CERTIFICATE", c.hex(64)) },
  }),
};

/** A PEM block of `label` around `body`. */
function pem(label: string, body: string): string {
  return `-----BEGIN ${label}-----\n${Buffer.from(body).toString("base64")}\n-----END ${label}-----\n`;
}

// Answers to the Azure provider functions the components call.
const AZURE_CALLS: Record<string, (inputs: State) => State> = {
  "azure-native:authorization:getClientConfig": () => ({
    clientId: "22222222-3333-4444-5555-666666666666",
    objectId: "33333333-4444-5555-6666-777777777777",
    subscriptionId: MOCK_AZURE.subscriptionId,
    tenantId: MOCK_AZURE.tenantId,
  }),
  "azure-native:containerservice:listManagedClusterUserCredentials": (inputs) => {
    const name = String(inputs.resourceName);
    const server = `https://${aksPrivateFqdn(name, MOCK_AZURE.location)}:443`;
    const kubeconfig = [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      `- name: ${name}`,
      "  cluster:",
      `    server: ${server}`,
      `    certificate-authority-data: ${Buffer.from(`mock CA of ${name}`).toString("base64")}`,
      "users:",
      `- name: clusterUser_${String(inputs.resourceGroupName)}_${name}`,
      "  user:",
      "    exec:",
      "      apiVersion: client.authentication.k8s.io/v1beta1",
      "      command: kubelogin",
      "",
    ].join("\n");
    return { kubeconfigs: [{ name: "clusterUser", value: Buffer.from(kubeconfig).toString("base64") }] };
  },
};

/** A stack another program reads through `StackReference`, as the engine would return it. */
export interface ReferencedStack {
  outputs: Record<string, unknown>;
  secretOutputNames: string[];
}

/**
 * Pulumi mocks that answer like the clouds do: deterministic ids, ARNs and endpoints derived from
 * each resource's type and name, so two runs of the plan print the same bytes.
 */
export class RealisticMocks implements pulumi.runtime.Mocks {
  // Explicit AWS providers may target other regions; remember each one's region by id.
  private readonly providerRegions = new Map<string, string>();

  /**
   * `stacks` are the stacks a `StackReference` may name, by full name, with their outputs (secret
   * values in the clear) and which top-level outputs hold a secret, as the engine returns them.
   */
  constructor(
    private readonly cloud: MockCloud = DEFAULT_MOCK_CLOUD,
    readonly stacks: Record<string, ReferencedStack> = {},
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = (args.inputs ?? {}) as State;
    if (args.type === "pulumi:pulumi:StackReference") return this.stackReference(args);
    const region = this.regionOf(args.provider, inputs);
    const ctx: Ctx = {
      name: args.name,
      inputs,
      region,
      account: this.cloud.awsAccountId,
      hex: (length) => digest(`${args.type}::${args.name}`, length),
    };
    if (args.type === "pulumi:index:Stash") {
      // A stash keeps what it first recorded; a later `up` sees that, a first one its input.
      const recorded = this.cloud.stashes?.[args.name];
      return { id: uuid(ctx), state: { input: inputs.input, output: recorded ?? inputs.input } };
    }
    if (args.type.startsWith("pulumi:providers:")) {
      const id = uuid(ctx);
      if (args.type === "pulumi:providers:aws" && typeof inputs.region === "string") {
        this.providerRegions.set(id, inputs.region);
      }
      return { id, state: inputs };
    }
    const dns = route53(args, inputs, region, this.cloud.awsAccountId) ?? dnsResolver(args, inputs);
    if (dns) return { id: dns.id, state: { ...inputs, ...dns.state } };
    const known = AWS_OUTPUTS[args.type] ?? AZURE_OUTPUTS[args.type];
    if (known) {
      const { id, state } = known(ctx);
      return { id, state: { ...inputs, ...state } };
    }
    const filled = KUBERNETES_OUTPUTS[args.type]?.(ctx);
    if (filled) return { id: filled.id, state: { ...inputs, ...filled.state } };
    if (!args.custom) return { id: undefined, state: inputs };
    return { id: `${args.name}-${ctx.hex(8)}`, state: inputs };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    if (args.token === "azure-native:containerservice:getManagedCluster") return this.aksCluster(args.inputs);
    if (args.token === "azure-native:containerservice:getAgentPool") return this.aksAgentPool(args.inputs);
    if (args.token === "aws:eks/getNodeGroups:getNodeGroups") return this.nodeGroupNames(args.inputs);
    if (args.token === "aws:eks/getNodeGroup:getNodeGroup") return this.nodeGroup(args.inputs);
    if (args.token === "aws:iam/getRoles:getRoles") return this.roles(args.inputs);
    if (args.token === "aws:eks/getAddonVersion:getAddonVersion") return addonVersion(args.inputs ?? {});
    if (args.token === "azure-native:network:getNetworkWatcher")
      return this.networkWatcher(args.inputs ?? {});
    const answer = AWS_CALLS[args.token];
    const azure = AZURE_CALLS[args.token];
    if (!answer && azure) return azure((args.inputs ?? {}) as State);
    if (!answer) throw new Error(`the plan has no mock for the provider function ${args.token}`);
    return answer(this.regionOf(args.provider, {}), this.cloud.awsAccountId);
  }

  // GET .../networkWatchers/<name>: ARM answers 404 for a watcher the subscription lacks.
  private networkWatcher(inputs: State): pulumi.runtime.MockCallResult {
    const key = `${String(inputs.resourceGroupName)}/${String(inputs.networkWatcherName)}`;
    if ((this.cloud.missingNetworkWatchers ?? []).includes(key)) {
      throw new Error(
        `ResourceNotFound: the Resource 'Microsoft.Network/networkWatchers/${String(inputs.networkWatcherName)}' was not found`,
      );
    }
    const id = `/subscriptions/${MOCK_AZURE.subscriptionId}/resourceGroups/${key.replace("/", "/providers/Microsoft.Network/networkWatchers/")}`;
    return { id, name: inputs.networkWatcherName, provisioningState: "Succeeded" };
  }

  // ListNodegroups of a cluster.
  private nodeGroupNames(inputs: State | undefined): pulumi.runtime.MockCallResult {
    const cluster = String(inputs?.clusterName);
    const names = (this.cloud.nodeGroups ?? [])
      .filter((g) => g.clusterName === cluster)
      .map((g) => g.nodeGroupName);
    return { id: cluster, clusterName: cluster, names };
  }

  // DescribeNodegroup: EKS reports the Auto Scaling group's desired count, which the autoscaler sets.
  private nodeGroup(inputs: State | undefined): pulumi.runtime.MockCallResult {
    const group = (this.cloud.nodeGroups ?? []).find(
      (g) => g.clusterName === inputs?.clusterName && g.nodeGroupName === inputs?.nodeGroupName,
    );
    if (!group)
      throw new Error(`no node group ${String(inputs?.nodeGroupName)} in ${String(inputs?.clusterName)}`);
    return {
      id: `${group.clusterName}:${group.nodeGroupName}`,
      clusterName: group.clusterName,
      nodeGroupName: group.nodeGroupName,
      labels: group.labels,
      scalingConfigs: [{ minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize }],
      status: "ACTIVE",
    };
  }

  // ListRoles under a path, filtered by name: only the service-linked role the components look up.
  private roles(inputs: State | undefined): pulumi.runtime.MockCallResult {
    const path = "/aws-service-role/autoscaling.amazonaws.com/";
    const present = this.cloud.autoScalingServiceRole !== false && inputs?.pathPrefix === path;
    const name = "AWSServiceRoleForAutoScaling";
    return {
      id: this.cloud.awsAccountId,
      names: present ? [name] : [],
      arns: present ? [`arn:aws:iam::${this.cloud.awsAccountId}:role${path}${name}`] : [],
    };
  }

  // GET managedClusters/<name>: the running cluster, or ARM's 404 for one not created yet.
  private aksCluster(inputs: State | undefined): pulumi.runtime.MockCallResult {
    const found = (this.cloud.aksClusters ?? []).find(
      (c) => c.resourceGroupName === inputs?.resourceGroupName && c.name === inputs?.resourceName,
    );
    if (!found) throw notFound("Microsoft.ContainerService/managedClusters", inputs?.resourceName);
    return {
      name: found.name,
      kubernetesVersion: found.kubernetesVersion,
      agentPoolProfiles: found.agentPoolProfiles,
    };
  }

  // GET managedClusters/<name>/agentPools/<pool>.
  private aksAgentPool(inputs: State | undefined): pulumi.runtime.MockCallResult {
    const cluster = (this.cloud.aksClusters ?? []).find(
      (c) => c.resourceGroupName === inputs?.resourceGroupName && c.name === inputs?.resourceName,
    );
    const pool = cluster?.agentPoolProfiles.find((p) => p.name === inputs?.agentPoolName);
    if (!pool) throw notFound("Microsoft.ContainerService/managedClusters/agentPools", inputs?.agentPoolName);
    return pool;
  }

  private stackReference(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const name = String((args.inputs as State).name ?? args.id ?? args.name);
    const stack = this.stacks[name];
    if (!stack) {
      const known = Object.keys(this.stacks);
      throw new Error(`no stack "${name}" to reference; the plan has: ${known.join(", ") || "none"}`);
    }
    return {
      id: name,
      state: { name, outputs: stack.outputs, secretOutputNames: stack.secretOutputNames },
    };
  }

  private regionOf(provider: string | undefined, inputs: State): string {
    if (typeof inputs.region === "string") return inputs.region;
    const id = provider?.split("::").pop();
    return (id ? this.providerRegions.get(id) : undefined) ?? this.cloud.awsRegion;
  }
}

/** The error ARM answers a GET of a resource that does not exist with, as the provider reports it. */
function notFound(type: string, name: unknown): Error {
  const message = `request failed: Status=404 Code="ResourceNotFound" Message="The Resource '${type}/${String(name)}' was not found."`;
  // The runtime reports a failed call by the error's `details`, as the engine's gRPC errors carry it.
  return Object.assign(new Error(message), { details: message });
}

// Resolver endpoints, rules and rulesets of hybrid DNS: ids, names, and the addresses endpoints get.
const dnsHex = (type: string, name: string, length: number) => digest(`${type}::${name}`, length);

export type Made = { id: string; state: State };

/** The address the mock Azure gives an inbound endpoint: the fourth of its subnet's, as Azure reserves three. */
export const AZURE_INBOUND_IP = "10.30.5.4";

/** AWS's pick in the i-th subnet of a resolver endpoint, deterministic per endpoint and subnet. */
export function awsEndpointIp(endpoint: string, i: number): string {
  return `10.20.${i}.${(parseInt(dnsHex("ip", endpoint, 2), 16) % 200) + 10}`;
}

export function route53(
  args: pulumi.runtime.MockResourceArgs,
  inputs: State,
  region: string,
  account: string,
): Made | undefined {
  const h = dnsHex(args.type, args.name, 17);
  const arn = (what: string, id: string) => `arn:aws:route53resolver:${region}:${account}:${what}/${id}`;
  switch (args.type) {
    case "aws:route53/resolverEndpoint:ResolverEndpoint": {
      const id = `rslvr-${inputs.direction === "INBOUND" ? "in" : "out"}-${h}`;
      const given = (inputs.ipAddresses ?? []) as State[];
      const ipAddresses = given.map((a, i) => ({
        ...a,
        ip: a.ip ?? awsEndpointIp(args.name, i),
        ipId: `rni-${h}${i}`,
      }));
      return { id, state: { arn: arn("resolver-endpoint", id), ipAddresses } };
    }
    case "aws:route53/resolverRule:ResolverRule": {
      const id = `rslvr-rr-${h}`;
      return { id, state: { arn: arn("resolver-rule", id), ownerId: account, shareStatus: "NOT_SHARED" } };
    }
    case "aws:route53/resolverRuleAssociation:ResolverRuleAssociation":
      return { id: `rslvr-rrassoc-${h}`, state: {} };
    default:
      return undefined;
  }
}

// Azure DNS Private Resolver types: their name field and where they sit under Microsoft.Network.
const DNS_RESOLVER: Record<string, { field: string; path: (inputs: State, name: string) => string }> = {
  "azure-native:dnsresolver:DnsResolver": { field: "dnsResolverName", path: (_, n) => `dnsResolvers/${n}` },
  "azure-native:dnsresolver:InboundEndpoint": {
    field: "inboundEndpointName",
    path: (i, n) => `dnsResolvers/${String(i.dnsResolverName)}/inboundEndpoints/${n}`,
  },
  "azure-native:dnsresolver:OutboundEndpoint": {
    field: "outboundEndpointName",
    path: (i, n) => `dnsResolvers/${String(i.dnsResolverName)}/outboundEndpoints/${n}`,
  },
  "azure-native:dnsresolver:DnsForwardingRuleset": {
    field: "dnsForwardingRulesetName",
    path: (_, n) => `dnsForwardingRulesets/${n}`,
  },
  "azure-native:dnsresolver:ForwardingRule": {
    field: "forwardingRuleName",
    path: (i, n) => `dnsForwardingRulesets/${String(i.dnsForwardingRulesetName)}/forwardingRules/${n}`,
  },
  "azure-native:dnsresolver:PrivateResolverVirtualNetworkLink": {
    field: "virtualNetworkLinkName",
    path: (i, n) => `dnsForwardingRulesets/${String(i.dnsForwardingRulesetName)}/virtualNetworkLinks/${n}`,
  },
};

export function dnsResolver(args: pulumi.runtime.MockResourceArgs, inputs: State): Made | undefined {
  const kind = DNS_RESOLVER[args.type];
  if (!kind) return undefined;
  const given = inputs[kind.field];
  const name = typeof given === "string" ? given : `${args.name}${dnsHex(args.type, args.name, 8)}`;
  const group = String(inputs.resourceGroupName);
  const id = `/subscriptions/${MOCK_AZURE.subscriptionId}/resourceGroups/${group}/providers/Microsoft.Network/${kind.path(inputs, name)}`;
  const state: State = { name, provisioningState: "Succeeded" };
  if (args.type === "azure-native:dnsresolver:InboundEndpoint") {
    const configs = (inputs.ipConfigurations ?? []) as State[];
    state.ipConfigurations = configs.map((c) => ({
      ...c,
      privateIpAddress: c.privateIpAddress ?? AZURE_INBOUND_IP,
    }));
  }
  return { id, state };
}

function digest(text: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) {
    out += createHash("sha256").update(`${i}:${text}`).digest("hex");
  }
  return out.slice(0, length);
}

function uuid(c: Ctx): string {
  const h = c.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function arn(c: Ctx, service: string, resource: string): string {
  return `arn:aws:${service}:${c.region}:${c.account}:${resource}`;
}

// Pulumi's auto-naming: the logical name plus a random suffix, here a deterministic one.
function physicalName(c: Ctx): string {
  const given = c.inputs.name;
  return typeof given === "string" ? given : `${c.name}-${c.hex(7)}`;
}
