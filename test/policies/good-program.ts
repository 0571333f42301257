// A realistic, well-configured program that is not the library's: a private EKS cluster and an AKS
// cluster written the way a careful team writes them by hand, in the spellings the library does
// not use (BucketV2 and its V2 companions, versioned azure-native tokens, lower-case enum values,
// inline security group rules, policy documents as objects, the VPC rule resources). Every rule of
// the pack must pass it; the unknowns test blanks its inputs one at a time.
import type { DocumentResource } from "../../scripts/policy/analyzer";

const ACCOUNT = "210987654321";
const REGION = "us-east-2";
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0b6a4f1e-3c2d-4e5f-8a9b-1c2d3e4f5a6b`;
const CLUSTER_ARN = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/research`;
const SUB = "/subscriptions/11111111-2222-3333-4444-555555555555";
const RG = `${SUB}/resourceGroups/research-rg`;
const TAGS = { environment: "prod", "data-classification": "restricted", owner: "research" };
const K8S_PROVIDER = "urn:pulumi:prod::research::pulumi:providers:kubernetes::eks";

type Inputs = Record<string, unknown>;

function r(
  type: string,
  name: string,
  inputs: Inputs,
  extra: Partial<DocumentResource> = {},
): DocumentResource {
  return {
    urn: `urn:pulumi:prod::research::${type}::${name}`,
    type,
    name,
    inputs,
    custom: true,
    protect: false,
    ...extra,
  };
}
const urn = (type: string, name: string) => `urn:pulumi:prod::research::${type}::${name}`;

const rootAdmin = {
  Sid: "AccountAdministers",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: "kms:*",
  Resource: "*",
};

const keyPolicy = (service?: string) => ({
  Version: "2012-10-17",
  Statement: [
    rootAdmin,
    ...(service
      ? [
          {
            Sid: "ServiceUse",
            Effect: "Allow",
            Principal: { Service: service },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
          },
        ]
      : []),
  ],
});

const nodeContainer = {
  name: "trainer",
  image:
    "123456789012.dkr.ecr.us-east-2.amazonaws.com/research/trainer:2.4.1@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
  resources: {
    requests: { cpu: "4", memory: "32Gi", "nvidia.com/gpu": 1 },
    limits: { cpu: "4", memory: "32Gi", "nvidia.com/gpu": 1 },
  },
  securityContext: {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["all"] },
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    seccompProfile: { type: "runtimedefault" },
  },
  volumeMounts: [{ name: "data", mountPath: "/data", readOnly: true }],
};

/** An AWS half: VPC, private cluster, GPU nodes, an encrypted bucket, IAM, KMS, logs. */
export function awsResources(): DocumentResource[] {
  const vpc = r("aws:ec2/vpc:Vpc", "main", {
    cidrBlock: "10.40.0.0/16",
    enableDnsHostnames: true,
    tags: TAGS,
  });
  const bucket = r(
    "aws:s3/bucketV2:BucketV2",
    "datasets",
    { bucket: "research-datasets-7f3a", tags: TAGS },
    { protect: true },
  );
  const logsBucket = r(
    "aws:s3/bucketV2:BucketV2",
    "access-logs",
    { bucket: "research-access-logs-7f3a", tags: TAGS },
    { protect: true },
  );
  const dependsOnBucket = (b: DocumentResource) => ({ dependsOn: [b.urn] });
  const bucketCompanions = (b: DocumentResource, name: string, loggingTarget: string) => [
    r(
      "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
      name,
      {
        bucket: b.inputs.bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN },
            bucketKeyEnabled: true,
          },
        ],
      },
      dependsOnBucket(b),
    ),
    r(
      "aws:s3/bucketVersioningV2:BucketVersioningV2",
      name,
      { bucket: b.inputs.bucket, versioningConfiguration: { status: "Enabled" } },
      dependsOnBucket(b),
    ),
    r(
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      name,
      {
        bucket: b.inputs.bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      dependsOnBucket(b),
    ),
    r(
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
      name,
      { bucket: b.inputs.bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
      dependsOnBucket(b),
    ),
    r(
      "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
      name,
      {
        bucket: b.inputs.bucket,
        rules: [
          {
            id: "abort-uploads",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      dependsOnBucket(b),
    ),
    r(
      "aws:s3/bucketLoggingV2:BucketLoggingV2",
      name,
      { bucket: b.inputs.bucket, targetBucket: loggingTarget, targetPrefix: `${name}/` },
      dependsOnBucket(b),
    ),
    r(
      "aws:s3/bucketPolicy:BucketPolicy",
      name,
      {
        bucket: b.inputs.bucket,
        policy: {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "TlsOnly",
              Effect: "Deny",
              Principal: { AWS: "*" },
              Action: "s3:*",
              Resource: [`arn:aws:s3:::${b.inputs.bucket}`, `arn:aws:s3:::${b.inputs.bucket}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            {
              Sid: "OrgReaders",
              Effect: "Allow",
              Principal: "*",
              Action: ["s3:GetObject"],
              Resource: `arn:aws:s3:::${b.inputs.bucket}/shared/*`,
              Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
            },
          ],
        },
      },
      dependsOnBucket(b),
    ),
  ];
  const nodeRole = r("aws:iam/role:Role", "nodes", {
    assumeRolePolicy: {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    },
    tags: TAGS,
  });
  const trainerRole = r("aws:iam/role:Role", "trainer", {
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "pods.eks.amazonaws.com" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
          Condition: {
            StringEquals: {
              "aws:SourceAccount": ACCOUNT,
              "aws:RequestTag/kubernetes-namespace": "research",
              "aws:RequestTag/kubernetes-service-account": "trainer",
            },
            ArnEquals: { "aws:SourceArn": CLUSTER_ARN },
          },
        },
      ],
    }),
  });
  return [
    vpc,
    r(
      "aws:ec2/subnet:Subnet",
      "private-a",
      {
        vpcId: "vpc-0a1b",
        cidrBlock: "10.40.0.0/19",
        availabilityZone: `${REGION}a`,
        mapPublicIpOnLaunch: false,
      },
      { dependsOn: [vpc.urn] },
    ),
    r(
      "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
      "default",
      { vpcId: "vpc-0a1b" },
      { dependsOn: [vpc.urn] },
    ),
    r(
      "aws:ec2/flowLog:FlowLog",
      "main",
      {
        vpcId: "vpc-0a1b",
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: "arn:aws:logs:us-east-2:210987654321:log-group:/vpc/main",
        iamRoleArn: "arn:aws:iam::210987654321:role/flow-logs",
      },
      { dependsOn: [vpc.urn] },
    ),
    ...["ec2", "ecr.api", "ecr.dkr", "s3", "sts"].map((s) =>
      r(
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        s,
        {
          vpcId: "vpc-0a1b",
          serviceName: `com.amazonaws.${REGION}.${s}`,
          vpcEndpointType: s === "s3" ? "Gateway" : "Interface",
        },
        { dependsOn: [vpc.urn] },
      ),
    ),
    r("aws:ec2/securityGroup:SecurityGroup", "api", {
      vpcId: "vpc-0a1b",
      description: "Kubernetes API from the office VPN",
      ingress: [
        {
          description: "HTTPS from the VPN",
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: ["10.99.0.0/16"],
          ipv6CidrBlocks: ["fd00:99::/64"],
        },
      ],
      egress: [
        { description: "to the VPC", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.40.0.0/16"] },
      ],
    }),
    r("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "nodes-https", {
      securityGroupId: "sg-1",
      description: "HTTPS from the load balancers",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: "sg-2",
    }),
    r("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "nodes-out", {
      securityGroupId: "sg-1",
      description: "HTTPS to the internet through NAT",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    }),
    r(
      "aws:kms/key:Key",
      "data",
      {
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(keyPolicy("logs.us-east-2.amazonaws.com")),
        tags: TAGS,
      },
      { protect: true },
    ),
    r(
      "aws:cloudwatch/logGroup:LogGroup",
      "cluster",
      { name: "/aws/eks/research/cluster", retentionInDays: 365, kmsKeyId: KEY_ARN },
      { protect: true },
    ),
    r(
      "aws:eks/cluster:Cluster",
      "research",
      {
        name: "research",
        version: "1.33",
        roleArn: `arn:aws:iam::${ACCOUNT}:role/eks-cluster`,
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
        enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
        encryptionConfig: { provider: { keyArn: KEY_ARN }, resources: ["secrets"] },
        vpcConfig: {
          endpointPrivateAccess: true,
          endpointPublicAccess: false,
          subnetIds: ["subnet-a", "subnet-b"],
        },
        tags: TAGS,
      },
      { protect: true },
    ),
    r("aws:eks/addon:Addon", "vpc-cni", {
      clusterName: "research",
      addonName: "vpc-cni",
      configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
    }),
    r("aws:ec2/launchTemplate:LaunchTemplate", "gpu", {
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { volumeSize: 200, volumeType: "gp3", encrypted: "true", kmsKeyId: KEY_ARN },
        },
      ],
      tags: TAGS,
    }),
    r("aws:eks/nodeGroup:NodeGroup", "gpu", {
      clusterName: "research",
      nodeRoleArn: `arn:aws:iam::${ACCOUNT}:role/nodes`,
      subnetIds: ["subnet-a"],
      amiType: "AL2023_x86_64_NVIDIA",
      instanceTypes: ["g6e.12xlarge"],
      launchTemplate: { id: "lt-1", version: "1" },
      scalingConfig: { minSize: 0, maxSize: 4, desiredSize: 1 },
      taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
      tags: TAGS,
    }),
    nodeRole,
    r(
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "nodes-ecr",
      { role: "nodes", policyArn: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly" },
      { dependsOn: [nodeRole.urn] },
    ),
    trainerRole,
    r(
      "aws:iam/rolePolicy:RolePolicy",
      "trainer-data",
      {
        role: "trainer",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: "s3:ListBucket",
              Resource: "arn:aws:s3:::research-datasets-7f3a",
              Condition: { StringLike: { "s3:prefix": ["runs/*"] } },
            },
            {
              Effect: "Allow",
              Action: ["s3:GetObject", "s3:PutObject"],
              Resource: "arn:aws:s3:::research-datasets-7f3a/runs/*",
            },
            { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: KEY_ARN },
          ],
        }),
      },
      { dependsOn: [trainerRole.urn] },
    ),
    bucket,
    ...bucketCompanions(bucket, "datasets", "research-access-logs-7f3a"),
    logsBucket,
    ...bucketCompanions(logsBucket, "access-logs", "research-access-logs-7f3a"),
  ];
}

/** A Kubernetes half on the EKS cluster: a restricted namespace with its policies and a training Job. */
export function kubernetesResources(): DocumentResource[] {
  const k = (type: string, name: string, inputs: Inputs, ns?: DocumentResource) =>
    r(type, name, inputs, { provider: `${K8S_PROVIDER}::1234`, ...(ns ? { dependsOn: [ns.urn] } : {}) });
  const ns = k("kubernetes:core/v1:Namespace", "research", {
    metadata: {
      name: "research",
      labels: {
        "hybrid-ai-infra.io/data-classification": "restricted",
        "pod-security.kubernetes.io/enforce": "restricted",
      },
    },
  });
  const placement = {
    "placement.hybrid-ai-infra.io/classification": "restricted",
    "placement.hybrid-ai-infra.io/target": "eks",
    "placement.hybrid-ai-infra.io/trust": "private",
  };
  return [
    ns,
    k(
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "deny",
      {
        metadata: { name: "default-deny", namespace: "research" },
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      },
      ns,
    ),
    k(
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "egress",
      {
        metadata: { name: "to-data", namespace: "research" },
        spec: {
          podSelector: { matchLabels: { app: "trainer" } },
          policyTypes: ["Egress"],
          egress: [
            {
              to: [{ ipBlock: { cidr: "10.40.0.0/16", except: ["10.40.255.0/24"] } }],
              ports: [{ port: 443, protocol: "TCP" }],
            },
            {
              to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
              ports: [{ port: 53, protocol: "UDP" }],
            },
          ],
        },
      },
      ns,
    ),
    k(
      "kubernetes:core/v1:ServiceAccount",
      "trainer",
      { metadata: { name: "trainer", namespace: "research" } },
      ns,
    ),
    k(
      "kubernetes:rbac.authorization.k8s.io/v1:Role",
      "reader",
      {
        metadata: { name: "config-reader", namespace: "research" },
        rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }],
      },
      ns,
    ),
    k(
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
      "reader",
      {
        metadata: { name: "config-reader", namespace: "research" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "config-reader" },
        subjects: [{ kind: "ServiceAccount", name: "trainer", namespace: "research" }],
      },
      ns,
    ),
    k(
      "kubernetes:batch/v1:Job",
      "train",
      {
        metadata: {
          name: "train",
          namespace: "research",
          labels: { "hybrid-ai-infra.io/data-classification": "restricted" },
          annotations: placement,
        },
        spec: {
          backoffLimit: 0,
          template: {
            metadata: { labels: { app: "trainer" }, annotations: placement },
            spec: {
              serviceAccountName: "trainer",
              automountServiceAccountToken: false,
              restartPolicy: "Never",
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 65532,
                runAsGroup: 65532,
                fsGroup: 65532,
                seccompProfile: { type: "RuntimeDefault" },
              },
              nodeSelector: { "hybrid-ai-infra.io/trust": "private" },
              tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
              containers: [nodeContainer],
              volumes: [{ name: "data", persistentVolumeClaim: { claimName: "datasets" } }],
            },
          },
        },
      },
      ns,
    ),
    k(
      "kubernetes:core/v1:Service",
      "api",
      {
        metadata: {
          name: "api",
          namespace: "research",
          annotations: {
            "service.beta.kubernetes.io/aws-load-balancer-type": "external",
            "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
            "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
          },
        },
        spec: { type: "LoadBalancer", selector: { app: "api" }, ports: [{ port: 443, targetPort: 8443 }] },
      },
      ns,
    ),
  ];
}

/** An Azure half: a private AKS cluster, its pools, a storage account, a key vault, NSGs, flow logs. */
export function azureResources(): DocumentResource[] {
  const vnet = r("azure-native:network/v20240301:VirtualNetwork", "vnet", {
    resourceGroupName: "research-rg",
    virtualNetworkName: "research-vnet",
    addressSpace: { addressPrefixes: ["10.50.0.0/16"] },
    tags: TAGS,
  });
  const nsg = r("azure-native:network/v20240301:NetworkSecurityGroup", "nodes", {
    resourceGroupName: "research-rg",
    securityRules: [
      {
        name: "https-from-vpn",
        priority: 100,
        direction: "inbound",
        access: "allow",
        protocol: "tcp",
        sourceAddressPrefix: "10.99.0.0/16",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "443",
      },
      {
        name: "deny-internet",
        priority: 4000,
        direction: "Inbound",
        access: "Deny",
        protocol: "*",
        sourceAddressPrefix: "Internet",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "*",
      },
    ],
  });
  const account = r(
    "azure-native:storage/v20230501:StorageAccount",
    "data",
    {
      accountName: "researchdata7f3a",
      resourceGroupName: "research-rg",
      kind: "StorageV2",
      sku: { name: "Standard_ZRS" },
      allowBlobPublicAccess: false,
      allowCrossTenantReplication: false,
      allowSharedKeyAccess: false,
      enableHttpsTrafficOnly: true,
      isLocalUserEnabled: false,
      minimumTlsVersion: "tls1_2",
      publicNetworkAccess: "disabled",
      encryption: {
        keySource: "microsoft.keyvault",
        requireInfrastructureEncryption: true,
        keyVaultProperties: { keyName: "storage", keyVaultUri: "https://research-kv.vault.azure.net" },
      },
      networkRuleSet: { defaultAction: "deny", bypass: "AzureServices" },
      tags: TAGS,
    },
    { protect: true },
  );
  const accountId = `${RG}/providers/Microsoft.Storage/storageAccounts/researchdata7f3a`;
  const vault = r(
    "azure-native:keyvault/v20230701:Vault",
    "kv",
    {
      vaultName: "research-kv",
      resourceGroupName: "research-rg",
      properties: {
        tenantId: "00000000-0000-0000-0000-000000000000",
        sku: { family: "A", name: "premium" },
        enableRbacAuthorization: true,
        enablePurgeProtection: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        publicNetworkAccess: "Disabled",
        networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
      },
      tags: TAGS,
    },
    { protect: true },
  );
  const vaultId = `${RG}/providers/Microsoft.KeyVault/vaults/research-kv`;
  const clusterId = `${RG}/providers/Microsoft.ContainerService/managedClusters/research-aks`;
  const cluster = r(
    "azure-native:containerservice/v20240801:ManagedCluster",
    "aks",
    {
      resourceName: "research-aks",
      resourceGroupName: "research-rg",
      kubernetesVersion: "1.33",
      sku: { name: "Base", tier: "standard" },
      disableLocalAccounts: true,
      enableRBAC: true,
      aadProfile: { managed: true, enableAzureRBAC: true },
      apiServerAccessProfile: { enablePrivateCluster: true, disableRunCommand: true },
      autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkPolicy: "cilium",
        networkDataplane: "cilium",
        podCidr: "100.64.0.0/16",
        serviceCidr: "172.16.0.0/16",
        dnsServiceIP: "172.16.0.10",
      },
      securityProfile: {
        azureKeyVaultKms: {
          enabled: true,
          keyId: "https://research-kv.vault.azure.net/keys/etcd/abc",
          keyVaultNetworkAccess: "Private",
          keyVaultResourceId: vaultId,
        },
        workloadIdentity: { enabled: true },
      },
      oidcIssuerProfile: { enabled: true },
      addonProfiles: {
        azurepolicy: { enabled: true },
        omsagent: {
          enabled: true,
          config: {
            logAnalyticsWorkspaceResourceID: `${RG}/providers/Microsoft.OperationalInsights/workspaces/research-logs`,
          },
        },
        azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: "true" } },
      },
      azureMonitorProfile: { metrics: { enabled: true } },
      agentPoolProfiles: [
        {
          name: "system",
          mode: "System",
          vmSize: "Standard_D4s_v5",
          count: 3,
          enableEncryptionAtHost: true,
          enableNodePublicIP: false,
          nodeTaints: ["CriticalAddonsOnly=true:NoSchedule"],
          osType: "Linux",
        },
      ],
      tags: TAGS,
    },
    { protect: true },
  );
  return [
    r(
      "azure-native:resources:ResourceGroup",
      "rg",
      { resourceGroupName: "research-rg", tags: TAGS },
      { protect: true },
    ),
    vnet,
    nsg,
    r(
      "azure-native:network/v20240301:Subnet",
      "nodes",
      {
        resourceGroupName: "research-rg",
        virtualNetworkName: "research-vnet",
        addressPrefix: "10.50.0.0/20",
        networkSecurityGroup: { id: `${RG}/providers/Microsoft.Network/networkSecurityGroups/nodes` },
      },
      { dependsOn: [vnet.urn, nsg.urn] },
    ),
    r(
      "azure-native:network:FlowLog",
      "vnet",
      {
        resourceGroupName: "NetworkWatcherRG",
        networkWatcherName: "NetworkWatcher_eastus2",
        targetResourceId: `${RG}/providers/Microsoft.Network/virtualNetworks/research-vnet`,
        storageId: accountId,
        enabled: true,
        retentionPolicy: { enabled: true, days: 90 },
      },
      { dependsOn: [vnet.urn] },
    ),
    account,
    r(
      "azure-native:storage:BlobServiceProperties",
      "data",
      {
        accountName: "researchdata7f3a",
        resourceGroupName: "research-rg",
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: 14 },
        containerDeleteRetentionPolicy: { enabled: true, days: 14 },
      },
      { dependsOn: [account.urn] },
    ),
    r(
      "azure-native:storage:BlobContainer",
      "runs",
      {
        accountName: "researchdata7f3a",
        resourceGroupName: "research-rg",
        containerName: "runs",
        publicAccess: "none",
      },
      { dependsOn: [account.urn] },
    ),
    r(
      "azure-native:insights:DiagnosticSetting",
      "data-blob-audit",
      {
        resourceUri: `${accountId}/blobServices/default`,
        workspaceId: `${RG}/providers/Microsoft.OperationalInsights/workspaces/research-logs`,
        logs: [
          { category: "StorageRead", enabled: true },
          { category: "StorageWrite", enabled: true },
          { category: "StorageDelete", enabled: true },
        ],
      },
      { dependsOn: [account.urn] },
    ),
    r(
      "azure-native:network:PrivateEndpoint",
      "data-blob",
      {
        resourceGroupName: "research-rg",
        subnet: { id: `${RG}/providers/Microsoft.Network/virtualNetworks/research-vnet/subnets/endpoints` },
        privateLinkServiceConnections: [
          { name: "blob", groupIds: ["blob"], privateLinkServiceId: accountId },
        ],
      },
      { dependsOn: [account.urn] },
    ),
    vault,
    r(
      "azure-native:keyvault:Key",
      "etcd",
      {
        vaultName: "research-kv",
        resourceGroupName: "research-rg",
        keyName: "etcd",
        properties: {
          kty: "rsa-hsm",
          keySize: 3072,
          attributes: { enabled: true, exp: 1893456000 },
          rotationPolicy: {
            attributes: { expiryTime: "P2Y" },
            lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P1Y" } }],
          },
        },
      },
      { dependsOn: [vault.urn], protect: true },
    ),
    r(
      "azure-native:monitor:DiagnosticSetting",
      "kv-audit",
      {
        resourceUri: vaultId,
        workspaceId: `${RG}/providers/Microsoft.OperationalInsights/workspaces/research-logs`,
        logs: [{ categoryGroup: "allLogs", enabled: true }],
      },
      { dependsOn: [vault.urn] },
    ),
    cluster,
    r(
      "azure-native:monitor:DiagnosticSetting",
      "aks-audit",
      {
        resourceUri: clusterId,
        workspaceId: `${RG}/providers/Microsoft.OperationalInsights/workspaces/research-logs`,
        logs: [
          { category: "kube-audit-admin", enabled: true },
          { category: "guard", enabled: true },
        ],
      },
      { dependsOn: [cluster.urn] },
    ),
    r(
      "azure-native:containerservice:AgentPool",
      "a100",
      {
        resourceGroupName: "research-rg",
        resourceName: "research-aks",
        agentPoolName: "a100",
        mode: "user",
        vmSize: "Standard_NC24ads_A100_v4",
        count: 1,
        enableEncryptionAtHost: true,
        nodeTaints: ["nvidia.com/gpu=true:NoSchedule"],
        tags: TAGS,
      },
      { dependsOn: [cluster.urn] },
    ),
    r("azure-native:authorization:RoleAssignment", "trainer-blob", {
      principalId: "9f8e7d6c-0000-0000-0000-000000000001",
      principalType: "ServicePrincipal",
      roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1`,
      scope: `${accountId}/blobServices/default/containers/runs`,
    }),
  ];
}

/** The whole program. */
export const goodProgram = (): DocumentResource[] => [
  ...awsResources(),
  ...kubernetesResources(),
  ...azureResources(),
];

export { urn };
