import { Provider as AwsProvider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
  type AwsClusterNodeGroup,
  AwsGpuNodeGroup,
  AwsNodeGroup,
  AwsPrivateCluster,
  type AwsPrivateClusterArgs,
  EKS_LOG_TYPES,
} from "../../components/aws";
import { GPU_TAINT } from "../../components/facts";
import type { RecordedResource, Recorder } from "../../scripts/plan";
import { configErrorOf, expectStandardTags } from "../helpers/components";
import { descendants, ofType, one, resolved, startMocks } from "../helpers/mocks";
import { arnName, policyOf } from "./support";

const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
const NETWORK = {
  vpcId: "vpc-0a1b2c3d4e5f60718",
  cidrBlock: "10.20.0.0/16",
  privateSubnetIds: ["subnet-0a000000", "subnet-0b000000", "subnet-0c000000"],
};
/** No version pinned: enough for a cluster whose node groups cannot scale (or that has none). */
const UNPINNED: AwsPrivateClusterArgs = {
  network: NETWORK,
  admins: [ADMIN],
  placement: { region: "eu-west-1", jurisdiction: "EU" },
};
/** Pinned to a version with a known Cluster Autoscaler release, as a cluster with scalable groups must be. */
const BASE: AwsPrivateClusterArgs = { ...UNPINNED, kubernetesVersion: "1.34" };

const T = {
  cluster: "aws:eks/cluster:Cluster",
  key: "aws:kms/key:Key",
  alias: "aws:kms/alias:Alias",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  entry: "aws:eks/accessEntry:AccessEntry",
  association: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  addon: "aws:eks/addon:Addon",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  podIdentity: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  component: "hybrid-ai-infra:index:AwsPrivateCluster",
  cpuGroup: "hybrid-ai-infra:index:AwsNodeGroup",
  gpuGroup: "hybrid-ai-infra:index:AwsGpuNodeGroup",
} as const;

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startMocks();
});

/** Declares a cluster named `name` on a clean recorder and waits until every child registered. */
async function build(
  name: string,
  extra: Partial<AwsPrivateClusterArgs> = {},
  base: AwsPrivateClusterArgs = BASE,
): Promise<{ cluster: AwsPrivateCluster; rs: RecordedResource[] }> {
  recorder.clear();
  const cluster = new AwsPrivateCluster(name, { ...base, ...extra });
  await recorder.settle();
  return { cluster, rs: recorder.resources };
}

/** The key a KMS alias points at, so a key ARN can be traced to the key resource that made it. */
function keyArnOf(rs: RecordedResource[], keyName: string): string {
  const alias = one(rs, T.alias, `${keyName}-alias`);
  return `arn:aws:kms:eu-west-1:123456789012:key/${String(alias.inputs.targetKeyId)}`;
}

/** Managed policy ARNs attached to the role with physical name `roleName`. */
function attachedTo(rs: RecordedResource[], roleName: unknown): string[] {
  return ofType(rs, T.attachment)
    .filter((a) => a.inputs.role === roleName)
    .map((a) => String(a.inputs.policyArn))
    .sort();
}

describe("AwsPrivateCluster defaults", () => {
  let cluster: AwsPrivateCluster;
  let rs: RecordedResource[];

  beforeAll(async () => {
    // No node group, so no autoscaler and no version to pin: the defaults leave the version to EKS.
    ({ cluster, rs } = await build("ai", {}, UNPINNED));
  });

  it("keeps the API endpoint private and envelope-encrypts secrets with its own rotating key", () => {
    const eks = one(rs, T.cluster, "ai");
    expect(eks.inputs.name).toBe("ai-dev");
    expect(eks.inputs.vpcConfig).toEqual({
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
      subnetIds: NETWORK.privateSubnetIds,
      securityGroupIds: [expect.stringMatching(/^sg-/)],
    });
    expect(eks.inputs).not.toHaveProperty("version");

    const secretsKeyArn = keyArnOf(rs, "ai-secrets");
    expect(eks.inputs.encryptionConfig).toEqual({
      provider: { keyArn: secretsKeyArn },
      resources: ["secrets"],
    });
    expect(secretsKeyArn).not.toBe(keyArnOf(rs, "ai-logs"));
    const key = one(rs, T.key, "ai-secrets");
    expect(key.inputs).toMatchObject({
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: 30,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
    });
    // The secrets key grants no service anything: only the account administers it.
    expect(policyOf(key).Statement.map((s) => s.Sid)).toEqual(["AccountAdministration"]);
  });

  it("sends all five control-plane log types to a KMS-encrypted group with retention, created first", () => {
    const eks = one(rs, T.cluster, "ai");
    expect(eks.inputs.enabledClusterLogTypes).toEqual([
      "api",
      "audit",
      "authenticator",
      "controllerManager",
      "scheduler",
    ]);
    expect([...EKS_LOG_TYPES]).toEqual(eks.inputs.enabledClusterLogTypes);
    const group = one(rs, T.logGroup, "ai-control-plane");
    expect(group.inputs).toMatchObject({
      name: "/aws/eks/ai-dev/cluster",
      retentionInDays: 365,
      kmsKeyId: keyArnOf(rs, "ai-logs"),
      deletionProtectionEnabled: true,
    });
    expect(eks.dependsOn).toContain(group.urn);
    const logsKey = one(rs, T.key, "ai-logs");
    expect(logsKey.inputs.enableKeyRotation).toBe(true);
    const logsUse = policyOf(logsKey).Statement.find((s) => s.Sid === "CloudWatchLogsUse");
    expect(logsUse?.Principal).toEqual({ Service: "logs.eu-west-1.amazonaws.com" });
    expect(logsUse?.Condition).toEqual({
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*",
      },
    });
  });

  it("uses API authentication with access entries, no creator bootstrap and managed add-ons only", () => {
    const eks = one(rs, T.cluster, "ai");
    expect(eks.inputs.accessConfig).toEqual({
      authenticationMode: "API",
      bootstrapClusterCreatorAdminPermissions: false,
    });
    expect(eks.inputs.bootstrapSelfManagedAddons).toBe(false);
    // Extended support by default: EKS never upgrades the cluster behind the program's back.
    expect(eks.inputs.upgradePolicy).toEqual({ supportType: "EXTENDED" });
    expect(eks.inputs.deletionProtection).toBe(false);
    expect(eks.inputs.kubernetesNetworkConfig).toEqual({ ipFamily: "ipv4" });

    const entries = ofType(rs, T.entry);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.name).toMatch(/^ai-access-platform-admin-[0-9a-f]{6}$/);
    expect(entries[0]?.inputs).toMatchObject({
      clusterName: "ai-dev",
      principalArn: ADMIN,
      type: "STANDARD",
    });
    const association = one(rs, T.association, entries[0]?.name ?? "");
    expect(association.inputs).toEqual({
      clusterName: "ai-dev",
      principalArn: ADMIN,
      policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      accessScope: { type: "cluster" },
    });
    // No aws-auth ConfigMap: nothing is written into the cluster to grant access.
    expect(rs.filter((r) => r.type.startsWith("kubernetes:"))).toEqual([]);
  });

  it("gives the control plane only the EKS cluster policy and use of the secrets key", () => {
    const clusterRole = one(rs, T.role, "ai-cluster");
    expect(policyOf(clusterRole, "assumeRolePolicy").Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
      },
    ]);
    const clusterRoleName = one(rs, T.attachment, "ai-cluster-policy").inputs.role;
    expect(attachedTo(rs, clusterRoleName)).toEqual(["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]);
    expect(one(rs, T.cluster, "ai").inputs.roleArn).toBe(`arn:aws:iam::123456789012:role/${clusterRoleName}`);

    const inline = ofType(rs, T.rolePolicy);
    expect(inline.map((p) => p.name)).toEqual(["ai-cluster-kms"]);
    expect(inline[0]?.inputs.role).toBe(clusterRoleName);
    expect(policyOf(one(rs, T.rolePolicy, "ai-cluster-kms")).Statement).toEqual([
      {
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
        Resource: keyArnOf(rs, "ai-secrets"),
      },
    ]);
    const eks = one(rs, T.cluster, "ai");
    expect(eks.dependsOn).toEqual(
      expect.arrayContaining([one(rs, T.attachment, "ai-cluster-policy").urn, inline[0]?.urn]),
    );
  });

  it("gives nodes the worker policy and image pulls only; the CNI's policy sits on its own role", async () => {
    const nodeRoleArn = await resolved(cluster.nodeRoleArn);
    expect(policyOf(one(rs, T.role, "ai-node"), "assumeRolePolicy").Statement[0]?.Principal).toEqual({
      Service: "ec2.amazonaws.com",
    });
    expect(attachedTo(rs, arnName(nodeRoleArn))).toEqual([
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    ]);
    const cniAttachment = one(rs, T.attachment, "ai-vpc-cni");
    expect(attachedTo(rs, cniAttachment.inputs.role)).toEqual([
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    ]);
    expect(policyOf(one(rs, T.role, "ai-vpc-cni"), "assumeRolePolicy").Statement).toEqual([
      {
        Sid: "EksPodIdentityForOneServiceAccount",
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        // Only this cluster's ServiceAccount: EKS tags each session with all three (issue 19.8).
        Condition: {
          StringEquals: {
            "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:eu-west-1:123456789012:cluster/ai-dev",
            "aws:RequestTag/kubernetes-namespace": "kube-system",
            "aws:RequestTag/kubernetes-service-account": "aws-node",
          },
        },
      },
    ]);
    // Three roles in all, each with its own purpose.
    expect(
      ofType(rs, T.role)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["ai-cluster", "ai-node", "ai-vpc-cni"]);
    for (const group of ofType(rs, T.nodeGroup)) expect(group.inputs.nodeRoleArn).toBe(nodeRoleArn);
  });

  it("installs the four managed add-ons in an order that lets nodes join and CoreDNS schedule", () => {
    const addons = ofType(rs, T.addon);
    expect(addons.map((a) => a.inputs.addonName).sort()).toEqual([
      "coredns",
      "eks-pod-identity-agent",
      "kube-proxy",
      "vpc-cni",
    ]);
    for (const a of addons) {
      expect(a.name).toBe(`ai-${String(a.inputs.addonName)}`);
      expect(a.inputs).toMatchObject({
        clusterName: "ai-dev",
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "PRESERVE",
      });
    }
    // Each add-on at EKS's default version for the cluster's Kubernetes version (the mocks answer
    // v1.<minor>.N-eksbuild.1), so upgrading the cluster upgrades its add-ons in the same update.
    for (const a of addons) expect(a.inputs.addonVersion).toMatch(/^v1\.34\.\d-eksbuild\.1$/);
    const agent = one(rs, T.addon, "ai-eks-pod-identity-agent");
    const cni = one(rs, T.addon, "ai-vpc-cni");
    const proxy = one(rs, T.addon, "ai-kube-proxy");
    const coredns = one(rs, T.addon, "ai-coredns");
    const cniAttachment = one(rs, T.attachment, "ai-vpc-cni");
    // Strict mode: a new pod starts denied until its policies are in place (issue 24.9).
    expect(JSON.parse(String(cni.inputs.configurationValues))).toEqual({
      enableNetworkPolicy: "true",
      env: { NETWORK_POLICY_ENFORCING_MODE: "strict" },
    });
    expect(cni.inputs.podIdentityAssociations).toEqual([
      {
        roleArn: `arn:aws:iam::123456789012:role/${String(cniAttachment.inputs.role)}`,
        serviceAccount: "aws-node",
      },
    ]);
    // The CNI's pods use Pod Identity from their first start: the agent and the policy come first.
    expect(cni.dependsOn).toEqual(expect.arrayContaining([agent.urn, cniAttachment.urn]));
    for (const a of [agent, proxy, coredns]) expect(a.inputs).not.toHaveProperty("podIdentityAssociations");

    // Node groups wait for the networking add-ons and the node policies...
    const system = one(rs, T.cpuGroup, "ai-system");
    const nodePolicies = ofType(rs, T.attachment).filter((a) => a.name.startsWith("ai-node-"));
    expect(nodePolicies).toHaveLength(2);
    expect(system.dependsOn).toEqual(
      expect.arrayContaining([agent.urn, cni.urn, proxy.urn, ...nodePolicies.map((p) => p.urn)]),
    );
    expect(system.dependsOn).not.toContain(coredns.urn);
    // ...and CoreDNS, a Deployment, waits for the system nodes it runs on.
    const systemNodes = descendants(rs, system.urn).filter(
      (r) => r.type !== "aws:autoscaling/tag:Tag" && r.custom,
    );
    expect(systemNodes.map((r) => r.type).sort()).toEqual([T.launchTemplate, T.nodeGroup]);
    expect(coredns.dependsOn).toEqual(expect.arrayContaining(systemNodes.map((r) => r.urn)));
  });

  it("runs add-ons on a small on-demand system group with the CriticalAddonsOnly taint and IMDSv2", () => {
    const system = one(rs, T.cpuGroup, "ai-system");
    expect(system.parent).toBe(one(rs, T.component, "ai").urn);
    const group = one(rs, T.nodeGroup, "ai-system");
    expect(group.parent).toBe(system.urn);
    expect(group.inputs).toMatchObject({
      clusterName: "ai-dev",
      capacityType: "ON_DEMAND",
      instanceTypes: ["m7i.large"],
      amiType: "AL2023_x86_64_STANDARD",
      scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 3 },
      taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
      subnetIds: NETWORK.privateSubnetIds,
    });
    expect((group.inputs.labels as Record<string, string>)["hybrid-ai-infra.io/pool"]).toBe("system");
    expect(group.ignoreChanges).toEqual([]);
    const template = one(rs, T.launchTemplate, "ai-system");
    expect(template.inputs.metadataOptions).toMatchObject({
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
      httpEndpoint: "enabled",
    });
    expect(template.inputs.blockDeviceMappings).toEqual([
      {
        deviceName: "/dev/xvda",
        ebs: expect.objectContaining({ encrypted: "true", volumeType: "gp3", volumeSize: 100 }),
      },
    ]);
    // The system pool runs add-ons only; placement never sees it.
    expect(cluster.placementTarget.pools).toEqual([]);
    expect(cluster.nodeGroups).toEqual({});
  });

  it("lets only the VPC reach the private endpoint, on 443", () => {
    const sg = one(rs, T.sg, "ai-api");
    expect(sg.inputs.vpcId).toBe(NETWORK.vpcId);
    const rules = ofType(rs, T.ingress);
    expect(rules.map((r) => r.name)).toEqual(["ai-api-vpc"]);
    expect(rules[0]?.inputs).toMatchObject({
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "10.20.0.0/16",
    });
    expect(one(rs, T.cluster, "ai").inputs.vpcConfig).toMatchObject({
      securityGroupIds: [rules[0]?.inputs.securityGroupId],
    });
    expect(ofType(rs, T.egress)).toEqual([]);
  });

  it("keeps the kubeconfig secret and has it ask `aws eks get-token` for short-lived tokens", async () => {
    expect(await pulumi.isSecret(cluster.kubeconfig)).toBe(true);
    const component = one(rs, T.component, "ai");
    expect(component.secretOutputs).toEqual(["kubeconfig"]);
    expect(component.outputs?.kubeconfig).toBe("[secret]");

    const text = await resolved(cluster.kubeconfig);
    const config = parseYaml(text) as {
      clusters: { name: string; cluster: Record<string, string> }[];
      users: { user: { exec: { command: string; args: string[]; apiVersion: string }; token?: string } }[];
      "current-context": string;
    };
    expect(config["current-context"]).toBe("ai-dev");
    expect(config.clusters[0]?.cluster).toEqual({
      server: await resolved(cluster.endpoint),
      "certificate-authority-data": await resolved(cluster.certificateAuthorityData),
    });
    const user = config.users[0]?.user;
    expect(user?.token).toBeUndefined();
    expect(user?.exec.command).toBe("aws");
    expect(user?.exec.args).toEqual([
      "--region",
      "eu-west-1",
      "eks",
      "get-token",
      "--cluster-name",
      "ai-dev",
      "--output",
      "json",
    ]);
    expect(user?.exec.apiVersion).toBe("client.authentication.k8s.io/v1beta1");
  });

  it("keeps the kubeconfig a secret output, and declares no Kubernetes provider or object", async () => {
    const component = one(rs, T.component, "ai");
    expect(component.secretOutputs).toEqual(["kubeconfig"]);
    expect(component.outputs?.kubeconfig).toBe("[secret]");
    expect(component.plainOutputs?.kubeconfig).toBe(await resolved(cluster.kubeconfig));
    // The platform phase only calls AWS: the cluster phase builds the provider from the kubeconfig.
    expect(
      rs.filter((r) => r.type === "pulumi:providers:kubernetes" || r.type.startsWith("kubernetes:")),
    ).toEqual([]);
    expect(cluster).not.toHaveProperty("kubernetesProvider");
    // No node group: no device plugin, no autoscaler or its identity; only the system pods' policies.
    expect(Object.keys(cluster.addons)).toEqual(["networkPolicies"]);
    expect(cluster.addons.networkPolicies?.map((p) => p.name)).toEqual(["coredns", "cluster-autoscaler"]);
    expect(ofType(rs, T.podIdentity)).toEqual([]);
  });

  it("protects and retains the cluster, its keys and its log group, and nothing else", () => {
    const stateful = [
      one(rs, T.cluster, "ai"),
      one(rs, T.key, "ai-secrets"),
      one(rs, T.key, "ai-logs"),
      one(rs, T.logGroup, "ai-control-plane"),
    ];
    for (const r of stateful) expect([r.name, r.protect, r.retainOnDelete]).toEqual([r.name, true, true]);
    const others = rs.filter((r) => !stateful.includes(r));
    expect(others.filter((r) => r.protect || r.retainOnDelete).map((r) => r.name)).toEqual([]);
  });

  it("names every child after the component, so the resource identities are stable", () => {
    const component = one(rs, T.component, "ai");
    const names = descendants(rs, component.urn)
      .map((r) => `${r.type} ${r.name}`)
      .sort();
    expect(names).toEqual(
      [
        `${T.addon} ai-coredns`,
        `${T.addon} ai-eks-pod-identity-agent`,
        `${T.addon} ai-kube-proxy`,
        `${T.addon} ai-vpc-cni`,
        `${T.association} ${ofType(rs, T.entry)[0]?.name}`,
        `${T.entry} ${ofType(rs, T.entry)[0]?.name}`,
        `${T.launchTemplate} ai-system`,
        `${T.nodeGroup} ai-system`,
        `${T.cluster} ai`,
        `${T.logGroup} ai-control-plane`,
        `${T.sg} ai-api`,
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider ai-oidc",
        `${T.role} ai-cluster`,
        `${T.role} ai-node`,
        `${T.role} ai-vpc-cni`,
        `${T.rolePolicy} ai-cluster-kms`,
        `${T.attachment} ai-cluster-policy`,
        `${T.attachment} ai-node-AmazonEC2ContainerRegistryPullOnly`,
        `${T.attachment} ai-node-AmazonEKSWorkerNodePolicy`,
        `${T.attachment} ai-vpc-cni`,
        `${T.alias} ai-logs-alias`,
        `${T.alias} ai-secrets-alias`,
        `${T.key} ai-logs`,
        `${T.key} ai-secrets`,
        `${T.ingress} ai-api-vpc`,
        `${T.cpuGroup} ai-system`,
        // The empty group's template for Cluster Autoscaler, on its Auto Scaling group.
        "aws:autoscaling/tag:Tag ai-system-template-label-hybrid-ai-infra-io-capacity",
        "aws:autoscaling/tag:Tag ai-system-template-label-hybrid-ai-infra-io-pool",
        "aws:autoscaling/tag:Tag ai-system-template-label-hybrid-ai-infra-io-trust",
        "aws:autoscaling/tag:Tag ai-system-template-taint-CriticalAddonsOnly",
        // The add-ons' versions, recorded once per Kubernetes version.
        "pulumi:index:Stash ai-coredns-version",
        "pulumi:index:Stash ai-eks-pod-identity-agent-version",
        "pulumi:index:Stash ai-kube-proxy-version",
        "pulumi:index:Stash ai-vpc-cni-version",
      ].sort(),
    );
  });

  it("tags every taggable child with the standard tags", () => {
    const component = one(rs, T.component, "ai");
    expect(expectStandardTags(descendants(rs, component.urn))).toBeGreaterThanOrEqual(14);
  });

  it("resolves the documented outputs", async () => {
    expect(await resolved(cluster.clusterName)).toBe("ai-dev");
    expect(await resolved(cluster.endpoint)).toMatch(
      /^https:\/\/[0-9A-F]+\.gr7\.eu-west-1\.eks\.amazonaws\.com$/,
    );
    expect(await resolved(cluster.oidcIssuerUrl)).toMatch(
      /^https:\/\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\//,
    );
    expect(await resolved(cluster.oidcProviderArn)).toMatch(/:oidc-provider\/oidc\.eks\.eu-west-1\./);
    expect(await resolved(cluster.clusterSecurityGroupId)).toMatch(/^sg-/);
    expect(await resolved(cluster.secretsKeyArn)).toBe(keyArnOf(rs, "ai-secrets"));
    expect(await resolved(cluster.logGroupName)).toBe("/aws/eks/ai-dev/cluster");
    expect(await resolved(cluster.vpcId)).toBe(NETWORK.vpcId);
    expect(await resolved(cluster.privateSubnetIds)).toEqual(NETWORK.privateSubnetIds);
    const oidc = one(rs, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "ai-oidc");
    expect(oidc.inputs).toMatchObject({
      url: await resolved(cluster.oidcIssuerUrl),
      clientIdLists: ["sts.amazonaws.com"],
    });
  });

  it("exposes its EKS cluster resource as an escape hatch: the one registered, parented to the component", async () => {
    expect(cluster.eksCluster).toBeInstanceOf(pulumi.CustomResource);
    const registered = one(rs, T.cluster, "ai");
    const component = one(rs, T.component, "ai");
    expect(await resolved(cluster.eksCluster.urn)).toBe(registered.urn);
    expect(registered.parent).toBe(component.urn);
    expect(await resolved(cluster.eksCluster.name)).toBe(await resolved(cluster.clusterName));
    expect(await resolved(cluster.eksCluster.arn)).toBe(await resolved(cluster.clusterArn));
    // It is a resource, not an output: the registered outputs stay the documented ones.
    expect(Object.keys(component.outputs ?? {})).not.toContain("eksCluster");
  });
});

describe("AwsPrivateCluster options", () => {
  it("puts a declared EFA group in the zone it names, through the network's subnet zones", async () => {
    const { cluster, rs } = await build("zoned", {
      network: { ...NETWORK, privateSubnetZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] },
      nodeGroups: [
        { name: "train", instanceTypes: ["p5.48xlarge"], maxSize: 2, efa: true, efaZone: "eu-west-1c" },
      ],
    });
    expect(one(rs, "aws:eks/nodeGroup:NodeGroup", "zoned-train").inputs.subnetIds).toEqual([
      "subnet-0c000000",
    ]);
    expect(await resolved(cluster.privateSubnetZones ?? pulumi.output([]))).toEqual([
      "eu-west-1a",
      "eu-west-1b",
      "eu-west-1c",
    ]);
  });

  it("opens a public endpoint only to the listed networks, and lets named networks reach the private one", async () => {
    const { rs } = await build("edge", {
      publicAccessCidrs: ["203.0.113.0/24"],
      endpointAccessCidrs: ["192.168.0.0/16", "172.16.8.0/22"],
    });
    expect(one(rs, T.cluster, "edge").inputs.vpcConfig).toMatchObject({
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.0/24"],
    });
    const rules = ofType(rs, T.ingress);
    expect(rules.map((r) => [r.name, r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort])).toEqual([
      ["edge-api-vpc", "10.20.0.0/16", 443, 443],
      ["edge-api-192-168-0-0-16", "192.168.0.0/16", 443, 443],
      ["edge-api-172-16-8-0-22", "172.16.8.0/22", 443, 443],
    ]);
  });

  it("turns deletion protection on outside dev, and lets an explicit arg win either way", async () => {
    const protection = async (name: string, extra: Partial<AwsPrivateClusterArgs>) =>
      one((await build(name, extra)).rs, T.cluster, name).inputs.deletionProtection;
    expect(await protection("p1", { environment: "prod" })).toBe(true);
    expect(await protection("p2", { environment: "staging" })).toBe(true);
    expect(await protection("p3", { environment: "dev" })).toBe(false);
    expect(await protection("p4", { environment: "prod", deletionProtection: false })).toBe(false);
    expect(await protection("p5", { environment: "dev", deletionProtection: true })).toBe(true);
  });

  it("pins the version, retention and cluster name, and leaves extended support, when asked", async () => {
    const { rs } = await build("pinned", {
      environment: "prod",
      clusterName: "ml-platform",
      kubernetesVersion: "1.33",
      extendedSupport: false,
      logRetentionDays: 731,
    });
    const eks = one(rs, T.cluster, "pinned");
    expect(eks.inputs).toMatchObject({
      name: "ml-platform",
      version: "1.33",
      upgradePolicy: { supportType: "STANDARD" },
    });
    expect(one(rs, T.logGroup, "pinned-control-plane").inputs).toMatchObject({
      name: "/aws/eks/ml-platform/cluster",
      retentionInDays: 731,
    });
    expectStandardTags(rs, { environment: "prod" });
  });

  it("grants further principals their policy, cluster-wide or in namespaces", async () => {
    const viewer = "arn:aws:iam::123456789012:role/data-scientists";
    const editor = "arn:aws:iam::123456789012:user/ci";
    const { rs } = await build("shared", {
      admins: [ADMIN, "arn:aws:iam::123456789012:role/break-glass"],
      accessEntries: [
        { principalArn: viewer, policy: "View", namespaces: ["ml", "notebooks"] },
        { principalArn: editor, policy: "Edit" },
      ],
    });
    const byPrincipal = new Map(
      ofType(rs, T.association).map((a) => [
        a.inputs.principalArn,
        [a.inputs.policyArn, a.inputs.accessScope],
      ]),
    );
    const policy = (name: string) => `arn:aws:eks::aws:cluster-access-policy/${name}`;
    expect(Object.fromEntries(byPrincipal)).toEqual({
      [ADMIN]: [policy("AmazonEKSClusterAdminPolicy"), { type: "cluster" }],
      "arn:aws:iam::123456789012:role/break-glass": [
        policy("AmazonEKSClusterAdminPolicy"),
        { type: "cluster" },
      ],
      [viewer]: [policy("AmazonEKSViewPolicy"), { type: "namespace", namespaces: ["ml", "notebooks"] }],
      [editor]: [policy("AmazonEKSEditPolicy"), { type: "cluster" }],
    });
    expect(ofType(rs, T.entry).map((e) => e.inputs.principalArn)).toEqual([
      ADMIN,
      "arn:aws:iam::123456789012:role/break-glass",
      viewer,
      editor,
    ]);
    // Names come from the principal, not its position: the admin's entry keeps its name.
    const adminEntry = ofType(rs, T.entry).find((e) => e.inputs.principalArn === ADMIN);
    const { rs: alone } = await build("shared", {});
    expect(ofType(alone, T.entry).map((e) => e.name)).toEqual([adminEntry?.name]);
  });

  it("drops protection and retention when protectData is false", async () => {
    const { rs } = await build("scratch", { protectData: false });
    for (const r of [
      one(rs, T.cluster, "scratch"),
      one(rs, T.key, "scratch-secrets"),
      one(rs, T.key, "scratch-logs"),
      one(rs, T.logGroup, "scratch-control-plane"),
    ]) {
      expect([r.name, r.protect, r.retainOnDelete]).toEqual([r.name, false, false]);
    }
    expect(one(rs, T.logGroup, "scratch-control-plane").inputs.deletionProtectionEnabled).toBe(false);
  });

  it("turns node groups into placement pools of its target; the system pool stays out", async () => {
    const { cluster, rs } = await build("ml", {
      dataClassification: "confidential",
      tags: { team: "ml-platform", environment: "ignored" },
      placement: {
        targetName: "aws-eu",
        region: "eu-west-1",
        jurisdiction: "EU",
        trust: "private",
        datasets: ["imagenet"],
      },
      nodeGroups: [
        { name: "gpu-spot", instanceTypes: ["g5.2xlarge"], capacityType: "SPOT", maxSize: 4 },
        { name: "svc", instanceTypes: ["m7i.xlarge"], minSize: 2, maxSize: 6, headroom: 0.2 },
        { name: "bench", instanceTypes: ["g6.12xlarge"], maxSize: 2, pricePerNodeHour: 3.5 },
      ],
    });
    const gpuLabels = {
      "hybrid-ai-infra.io/pool": "gpu-spot",
      "hybrid-ai-infra.io/trust": "private",
      "hybrid-ai-infra.io/capacity": "spot",
      "hybrid-ai-infra.io/gpu-model": "A10G",
    };
    expect(cluster.placementTarget).toEqual({
      name: "aws-eu",
      cloud: "aws",
      region: "eu-west-1",
      jurisdiction: "EU",
      trust: "private",
      egressPricePerGiB: 0.09,
      datasets: ["imagenet"],
      pools: [
        {
          name: "gpu-spot",
          node: { cpu: 8, memoryGiB: 32, gpu: { count: 1, model: "A10G" } },
          minNodes: 0,
          maxNodes: 4,
          pricePerNodeHour: 0.4848,
          spot: true,
          labels: gpuLabels,
          taints: [{ ...GPU_TAINT }],
        },
        {
          name: "svc",
          node: { cpu: 4, memoryGiB: 16 },
          minNodes: 2,
          maxNodes: 6,
          pricePerNodeHour: 0.2016,
          spot: false,
          headroom: 0.2,
          labels: {
            "hybrid-ai-infra.io/pool": "svc",
            "hybrid-ai-infra.io/trust": "private",
            "hybrid-ai-infra.io/capacity": "on-demand",
          },
          taints: [],
        },
        {
          name: "bench",
          node: { cpu: 48, memoryGiB: 192, gpu: { count: 4, model: "L4" } },
          minNodes: 0,
          maxNodes: 2,
          pricePerNodeHour: 3.5,
          spot: false,
          labels: {
            "hybrid-ai-infra.io/pool": "bench",
            "hybrid-ai-infra.io/trust": "private",
            "hybrid-ai-infra.io/capacity": "on-demand",
            "hybrid-ai-infra.io/gpu-model": "L4",
          },
          taints: [{ ...GPU_TAINT }],
        },
      ],
    });
    expect(await resolved(cluster.target)).toEqual(cluster.placementTarget);
    expect(one(rs, T.component, "ml").outputs?.target).toEqual(cluster.placementTarget);

    expect(Object.keys(cluster.nodeGroups)).toEqual(["gpu-spot", "svc", "bench"]);
    expect(cluster.nodeGroups["gpu-spot"]).toBeInstanceOf(AwsGpuNodeGroup);
    expect(cluster.nodeGroups.svc).toBeInstanceOf(AwsNodeGroup);
    const component = one(rs, T.component, "ml");
    for (const [name, type] of [
      ["ml-gpu-spot", T.gpuGroup],
      ["ml-svc", T.cpuGroup],
      ["ml-bench", T.gpuGroup],
      ["ml-system", T.cpuGroup],
    ] as const) {
      expect(one(rs, type, name).parent).toBe(component.urn);
    }
    const spot = one(rs, T.nodeGroup, "ml-gpu-spot");
    expect(spot.inputs).toMatchObject({
      capacityType: "SPOT",
      amiType: "AL2023_x86_64_NVIDIA",
      labels: gpuLabels,
      taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
    });
    // The system group keeps the cluster's trust zone but never runs workloads.
    expect(one(rs, T.nodeGroup, "ml-system").inputs.labels).toMatchObject({
      "hybrid-ai-infra.io/trust": "private",
    });
    // Tags flow to every child, the caller's included; the standard ones win a clash.
    expect(
      expectStandardTags(descendants(rs, component.urn), {
        environment: "dev",
        "managed-by": "hybrid-ai-infra",
        "data-classification": "confidential",
        team: "ml-platform",
      }),
    ).toBeGreaterThan(20);
  });
});

describe("AwsPrivateCluster with an explicit provider", () => {
  it("hands the provider to every child, nested node groups too, and reads the region from it", async () => {
    recorder.clear();
    const useast = new AwsProvider("us-east-1", { region: "us-east-1" });
    const cluster = new AwsPrivateCluster(
      "us",
      { ...BASE, nodeGroups: [{ name: "svc", instanceTypes: ["m7i.large"], maxSize: 2 }] },
      { providers: { aws: useast } },
    );
    await recorder.settle();
    const rs = recorder.resources;
    expect(await resolved(cluster.endpoint)).toMatch(/\.us-east-1\.eks\.amazonaws\.com$/);
    expect(await resolved(cluster.secretsKeyArn)).toMatch(/^arn:aws:kms:us-east-1:/);
    expect(await resolved(cluster.nodeGroups.svc?.nodeGroupArn ?? pulumi.output(""))).toMatch(
      /^arn:aws:eks:us-east-1:123456789012:nodegroup\/us-dev\//,
    );
    const config = parseYaml(await resolved(cluster.kubeconfig)) as {
      users: { user: { exec: { args: string[] } } }[];
    };
    expect(config.users[0]?.user.exec.args.slice(0, 2)).toEqual(["--region", "us-east-1"]);
    const logsUse = policyOf(one(rs, T.key, "us-logs")).Statement.find((s) => s.Sid === "CloudWatchLogsUse");
    expect(logsUse?.Principal).toEqual({ Service: "logs.us-east-1.amazonaws.com" });
    // The autoscaler the cluster phase runs calls the provider's region, not the mocks' default one.
    const autoscaler = cluster.addons.clusterAutoscaler;
    expect(autoscaler).toBeDefined();
    expect(await resolved(pulumi.output(autoscaler?.region ?? ""))).toBe("us-east-1");
  });
});

describe("AwsPrivateCluster validation", () => {
  const group = (extra: Partial<AwsClusterNodeGroup> & { instanceTypes: string[] }): AwsClusterNodeGroup => ({
    name: "gpu",
    maxSize: 2,
    ...extra,
  });
  const cases: [string, Partial<AwsPrivateClusterArgs>, string][] = [
    [
      "no admins",
      { admins: [] },
      'AwsPrivateCluster "bad": admins: [] is too small: needs at least one IAM principal: the cluster creator gets no implicit access',
    ],
    [
      "an admin that is no ARN",
      { admins: ["alice"] },
      'AwsPrivateCluster "bad": admins[0]: "alice" is not an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admin',
    ],
    [
      "an STS session ARN, which access entries refuse",
      { admins: ["arn:aws:sts::123456789012:assumed-role/admin/alice"] },
      'AwsPrivateCluster "bad": admins[0]: "arn:aws:sts::123456789012:assumed-role/admin/alice" is not an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admin',
    ],
    [
      "the same principal twice",
      { accessEntries: [{ principalArn: ADMIN, policy: "View" }] },
      `AwsPrivateCluster "bad": accessEntries[0].principalArn: "${ADMIN}" already has an access entry (admins[0]); a principal gets one entry and one policy`,
    ],
    [
      "a patch version",
      { kubernetesVersion: "1.33.2" },
      'AwsPrivateCluster "bad": kubernetesVersion: "1.33.2" is not a Kubernetes minor version such as 1.34',
    ],
    [
      "a public endpoint open to the internet",
      { publicAccessCidrs: ["0.0.0.0/0"] },
      'AwsPrivateCluster "bad": publicAccessCidrs[0]: 0.0.0.0/0 would expose the API server to the internet; list the networks that need it',
    ],
    [
      "a public endpoint open to half the internet",
      { publicAccessCidrs: ["0.0.0.0/1"] },
      'AwsPrivateCluster "bad": publicAccessCidrs[0]: "0.0.0.0/1" must be an IPv4 block between /8 and /32',
    ],
    [
      "an endpoint network listed twice",
      { endpointAccessCidrs: ["10.20.0.0/16"] },
      'AwsPrivateCluster "bad": endpointAccessCidrs[0]: "10.20.0.0/16" is already allowed (network.cidrBlock); list each network once',
    ],
    [
      "duplicate pool names",
      {
        nodeGroups: [
          { name: "svc", instanceTypes: ["m7i.large"], maxSize: 2 },
          { name: "svc", instanceTypes: ["m7i.xlarge"], maxSize: 2 },
        ],
      },
      'AwsPrivateCluster "bad": nodeGroups[1].name: "svc" is used twice (or is the reserved "system"); pool names must be unique per cluster',
    ],
    [
      "the reserved pool name",
      { nodeGroups: [{ name: "system", instanceTypes: ["m7i.large"], maxSize: 2 }] },
      'AwsPrivateCluster "bad": nodeGroups[0].name: "system" is used twice (or is the reserved "system"); pool names must be unique per cluster',
    ],
    [
      "a GPU type in the system group",
      { systemNodeGroup: { instanceTypes: ["g5.xlarge"] } },
      'AwsPrivateCluster "bad": systemNodeGroup.instanceTypes[0]: "g5.xlarge" is a GPU type; put it in a GPU node group, or pick one of m7i.*, m6i.*, m7g.*, c7i.*, r7i.*',
    ],
    [
      "a non-GPU type in a GPU group",
      { nodeGroups: [group({ instanceTypes: ["g5.xlarge", "m5.large"] })] },
      'AwsPrivateCluster "bad": nodeGroups[0].instanceTypes[1]: "m5.large" has no GPU; pick one of g4dn.*, g5.*, g5g.*, g6.*, g6e.*, gr6.*, p4d.*, p4de.*, p5.*, p5e.*, p5en.*',
    ],
    [
      "mixed architectures",
      { nodeGroups: [group({ instanceTypes: ["m7i.large", "m7g.large"] })] },
      'AwsPrivateCluster "bad": nodeGroups[0].instanceTypes: ["m7i.large","m7g.large"] mixes x86_64 and arm64 types; one node group runs one AMI, so use one architecture',
    ],
    [
      "min above max",
      { nodeGroups: [group({ instanceTypes: ["m7i.large"], minSize: 5 })] },
      'AwsPrivateCluster "bad": nodeGroups[0].minSize: 5 is above maxSize 2',
    ],
    [
      "EFA on a type without it",
      { nodeGroups: [group({ instanceTypes: ["g5.xlarge"], efa: true })] },
      'AwsPrivateCluster "bad": nodeGroups[0].instanceTypes[0]: "g5.xlarge" does not support EFA; use a larger size (e.g. g5.8xlarge or up) or turn efa off',
    ],
    [
      "EFA types with different interface counts",
      { nodeGroups: [group({ instanceTypes: ["p5e.48xlarge", "p5en.48xlarge"], efa: true })] },
      'AwsPrivateCluster "bad": nodeGroups[0].instanceTypes: ["p5e.48xlarge","p5en.48xlarge"] take different numbers of EFA interfaces (p5e.48xlarge: 32, p5en.48xlarge: 16); one launch template serves every type, so list only types with the same number',
    ],
    [
      "public IPs on an EFA group",
      { nodeGroups: [group({ instanceTypes: ["p4d.24xlarge"], efa: true, publicIp: true })] },
      'AwsPrivateCluster "bad": nodeGroups[0].publicIp: true cannot go with efa: EFA nodes talk to each other inside one placement group, and EC2 gives no public IP to an instance with several network interfaces; drop publicIp or turn efa off',
    ],
    [
      "an EFA zone on a network that gives no subnet zones",
      { nodeGroups: [group({ instanceTypes: ["p5.48xlarge"], efa: true, efaZone: "eu-west-1b" })] },
      'AwsPrivateCluster "bad": nodeGroups[0].efaZone: "eu-west-1b" cannot be matched to a subnet: the cluster gives no privateSubnetZones (an existing VPC); give efaSubnetId',
    ],
    [
      "EFA on a CPU group",
      { nodeGroups: [group({ instanceTypes: ["m7i.large"], efa: true })] },
      'AwsPrivateCluster "bad": nodeGroups[0].efa: EFA is only for GPU node groups',
    ],
    [
      "a system group above its default maximum",
      { systemNodeGroup: { minSize: 4 } },
      'AwsPrivateCluster "bad": systemNodeGroup.minSize: 4 is above maxSize 3',
    ],
    [
      "a scalable group on a version without a known autoscaler release",
      {
        kubernetesVersion: "1.33",
        nodeGroups: [{ name: "svc", instanceTypes: ["m7i.large"], maxSize: 2 }],
      },
      'AwsPrivateCluster "bad": kubernetesVersion: "1.33" has no known Cluster Autoscaler release (known: 1.34, 1.35, 1.36); set clusterAutoscalerImage',
    ],
    [
      "an autoscaler image on :latest",
      { clusterAutoscalerImage: "registry.k8s.io/autoscaling/cluster-autoscaler:latest" },
      'AwsPrivateCluster "bad": clusterAutoscalerImage: "registry.k8s.io/autoscaling/cluster-autoscaler:latest" uses :latest; pin a version or a digest so deploys repeat',
    ],
  ];

  it.each(cases)(
    "rejects %s with the field path and value, registering nothing",
    async (_, extra, message) => {
      recorder.clear();
      const error = configErrorOf(() => new AwsPrivateCluster("bad", { ...BASE, ...extra }));
      expect(error.message).toBe(message);
      expect(error.subject).toBe('AwsPrivateCluster "bad"');
      await recorder.settle();
      expect(recorder.resources).toEqual([]);
    },
  );

  it("rejects a component name that would make an invalid EKS name, unless clusterName is given", async () => {
    recorder.clear();
    const error = configErrorOf(() => new AwsPrivateCluster("ml.platform", BASE));
    expect(error.message).toBe(
      'AwsPrivateCluster "ml.platform": clusterName: is not given, and the default "ml.platform-dev" is no EKS cluster name: it must start with a letter or digit and use letters, digits, - and _ (at most 100); set clusterName',
    );
    await recorder.settle();
    expect(recorder.resources).toEqual([]);
    const { rs } = await build("ml.platform", { clusterName: "ml-platform" });
    expect(one(rs, T.cluster, "ml.platform").inputs.name).toBe("ml-platform");
  });

  it("lists every problem at once", async () => {
    recorder.clear();
    const error = configErrorOf(
      () =>
        new AwsPrivateCluster("bad", {
          ...BASE,
          network: { ...NETWORK, cidrBlock: "10.20.0.1/16", privateSubnetIds: ["subnet-0a000000"] },
          admins: [],
          logRetentionDays: 42,
          placement: { region: "eu-west-1", jurisdiction: "europe" },
        }),
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      "network.cidrBlock",
      "network.privateSubnetIds",
      "admins",
      "logRetentionDays",
      "placement.jurisdiction",
    ]);
    expect(error.message).toMatch(/^AwsPrivateCluster "bad": 5 problems\n {2}- network\.cidrBlock: /);
    expect(error.message).toContain("did you mean 10.20.0.0/16?");
    expect(error.message).toContain("logRetentionDays: 42 is not valid; use one of 1, 3, 5, 7");
    await recorder.settle();
    expect(recorder.resources).toEqual([]);
  });
});

describe("AwsPrivateCluster: Kubernetes version for the autoscaler", () => {
  const scalable: AwsClusterNodeGroup = { name: "gpu", instanceTypes: ["g5.xlarge"], maxSize: 2 };

  it("refuses a scalable group without a pinned version, naming kubernetesVersion and the known versions", async () => {
    recorder.clear();
    const error = configErrorOf(() => new AwsPrivateCluster("bad", { ...UNPINNED, nodeGroups: [scalable] }));
    expect(error.issues.map((i) => i.path)).toEqual(["kubernetesVersion"]);
    expect(error.message).toBe(
      'AwsPrivateCluster "bad": kubernetesVersion: is not set, and the Cluster Autoscaler must match it; pin one of 1.34, 1.35, 1.36, or set clusterAutoscalerImage',
    );
    await recorder.settle();
    expect(recorder.resources).toEqual([]);
  });

  it("takes a given clusterAutoscalerImage instead of a pinned or known version", async () => {
    const image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror/cluster-autoscaler:v1.33.3";
    const unpinned = await build(
      "own-image",
      { nodeGroups: [scalable], clusterAutoscalerImage: image },
      UNPINNED,
    );
    expect(unpinned.cluster.addons.clusterAutoscaler?.image).toBe(image);
    expect(one(unpinned.rs, T.cluster, "own-image").inputs).not.toHaveProperty("version");
    const older = await build("older", {
      kubernetesVersion: "1.33",
      nodeGroups: [scalable],
      clusterAutoscalerImage: image,
    });
    expect(older.cluster.addons.clusterAutoscaler?.image).toBe(image);
    expect(one(older.rs, T.cluster, "older").inputs.version).toBe("1.33");
  });

  it("picks the release matching the pinned version", async () => {
    const { cluster } = await build("v135", { kubernetesVersion: "1.35", nodeGroups: [scalable] });
    expect(cluster.addons.clusterAutoscaler?.image).toBe(
      "registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.2",
    );
  });

  it("needs no version when no group can scale", async () => {
    const { cluster, rs } = await build(
      "fixed",
      { nodeGroups: [{ ...scalable, minSize: 2, maxSize: 2 }] },
      UNPINNED,
    );
    expect(cluster.addons.clusterAutoscaler).toBeUndefined();
    expect(one(rs, T.cluster, "fixed").inputs).not.toHaveProperty("version");
  });
});

describe("AwsPrivateCluster: cluster-phase add-ons", () => {
  const al2023: AwsClusterNodeGroup = { name: "gpu", instanceTypes: ["g5.xlarge"], maxSize: 2 };
  const bottlerocket: AwsClusterNodeGroup = {
    name: "br",
    instanceTypes: ["g5.xlarge"],
    os: "bottlerocket",
    maxSize: 2,
  };
  const efa: AwsClusterNodeGroup = { name: "train", instanceTypes: ["p4d.24xlarge"], efa: true, maxSize: 2 };
  const cpu: AwsClusterNodeGroup = { name: "svc", instanceTypes: ["m7i.xlarge"], minSize: 1, maxSize: 4 };

  /** What a cluster with these groups hands the cluster phase, and what it registered. */
  async function addonsOf(
    name: string,
    extra: Partial<AwsPrivateClusterArgs>,
  ): Promise<{ addons: AwsPrivateCluster["addons"]; rs: RecordedResource[] }> {
    const { cluster, rs } = await build(name, extra);
    // Whatever the add-ons, the platform phase declares no Kubernetes object for them.
    expect(rs.filter((r) => r.type.startsWith("kubernetes:") || r.type.includes(":kubernetes"))).toEqual([]);
    return { addons: cluster.addons, rs };
  }

  it("gives the AL2023 GPU groups NVIDIA's device plugin, with the caller's taints", async () => {
    const tainted: AwsClusterNodeGroup = {
      ...al2023,
      name: "gpu-b",
      taints: [{ key: "team", value: "vision", effect: "NoSchedule" }],
    };
    const { addons } = await addonsOf("nv", { nodeGroups: [tainted, al2023] });
    expect(addons.nvidiaDevicePlugins).toEqual([
      {
        name: "nvidia-device-plugin",
        migStrategy: "none",
        pools: ["gpu", "gpu-b"],
        taints: [{ key: "team", value: "vision", effect: "NoSchedule" }],
      },
    ]);
  });

  it("gives Bottlerocket GPU groups none: their NVIDIA image ships its own plugin", async () => {
    expect(
      (await addonsOf("br-only", { nodeGroups: [bottlerocket] })).addons.nvidiaDevicePlugins,
    ).toBeUndefined();
    const mixed = await addonsOf("mixed", { nodeGroups: [bottlerocket, al2023] });
    expect(mixed.addons.nvidiaDevicePlugins?.map((p) => p.pools)).toEqual([["gpu"]]);
  });

  it("gives none when a GPU operator provides it, or without GPU groups; a given image is passed on", async () => {
    expect(
      (await addonsOf("operator", { nodeGroups: [al2023], gpuDevicePlugin: false })).addons
        .nvidiaDevicePlugins,
    ).toBeUndefined();
    expect((await addonsOf("cpus", { nodeGroups: [cpu] })).addons.nvidiaDevicePlugins).toBeUndefined();
    const image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror/k8s-device-plugin:v0.17.4";
    const mirrored = await addonsOf("mirror", { nodeGroups: [al2023], gpuDevicePluginImage: image });
    expect(mirrored.addons.nvidiaDevicePlugins?.[0]?.image).toBe(image);
  });

  it("gives EFA groups the EFA plugin from the region's EKS registry", async () => {
    const { addons } = await addonsOf("efa", { nodeGroups: [al2023, efa] });
    const plugin = addons.efaDevicePlugin;
    expect(plugin?.pools).toEqual(["train"]);
    expect(plugin?.taints).toEqual([]);
    expect(await resolved(pulumi.output(plugin?.image ?? ""))).toBe(
      "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/aws-efa-k8s-device-plugin:v0.5.20",
    );
    // An EFA group on AL2023 needs NVIDIA's plugin as well.
    expect(addons.nvidiaDevicePlugins?.[0]?.pools).toEqual(["gpu", "train"]);
    expect((await addonsOf("no-efa", { nodeGroups: [al2023] })).addons.efaDevicePlugin).toBeUndefined();
  });

  it("runs Cluster Autoscaler for this cluster and region when a group can scale", async () => {
    const { addons } = await addonsOf("scales", { nodeGroups: [cpu], clusterName: "ml-platform" });
    const autoscaler = addons.clusterAutoscaler;
    expect(autoscaler?.clusterName).toBe("ml-platform");
    expect(await resolved(pulumi.output(autoscaler?.region ?? ""))).toBe("eu-west-1");
    expect(autoscaler?.image).toBe("registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.5");
  });

  it("counts a CPU group's default minimum of 1: maxSize 1 alone leaves nothing to scale", async () => {
    const { addons, rs } = await addonsOf("one-cpu", {
      kubernetesVersion: undefined,
      nodeGroups: [{ ...cpu, minSize: undefined, maxSize: 1 }],
    });
    expect(addons.clusterAutoscaler).toBeUndefined();
    expect(rs.filter((r) => r.name.includes("cluster-autoscaler"))).toEqual([]);
    // A GPU group's default minimum is 0, so maxSize 1 can grow from zero.
    const gpu = await addonsOf("one-gpu", { nodeGroups: [{ ...al2023, minSize: undefined, maxSize: 1 }] });
    expect(gpu.addons.clusterAutoscaler).toBeDefined();
  });

  it("runs no autoscaler, and creates no identity for one, when every group has minSize == maxSize", async () => {
    const { addons, rs } = await addonsOf("fixed", {
      nodeGroups: [
        { ...cpu, minSize: 3, maxSize: 3 },
        { ...al2023, minSize: 1, maxSize: 1 },
      ],
    });
    expect(addons.clusterAutoscaler).toBeUndefined();
    expect(addons.nvidiaDevicePlugins?.[0]?.pools).toEqual(["gpu"]);
    expect(rs.filter((r) => r.name.includes("cluster-autoscaler"))).toEqual([]);
  });
});

describe("AwsPrivateCluster: the autoscaler's AWS identity", () => {
  let rs: RecordedResource[];
  /** The physical name of the autoscaler's role, as its inline policy names it. */
  let roleName: string;

  beforeAll(async () => {
    ({ rs } = await build("as", {
      clusterName: "ml-platform",
      nodeGroups: [{ name: "gpu", instanceTypes: ["g5.xlarge"], maxSize: 4 }],
    }));
    roleName = String(one(rs, T.rolePolicy, "as-cluster-autoscaler").inputs.role);
  });

  it("is a role only EKS Pod Identity can assume, with no managed policy", () => {
    const role = one(rs, T.role, "as-cluster-autoscaler");
    expect(role.parent).toBe(one(rs, T.component, "as").urn);
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      {
        Sid: "EksPodIdentityForOneServiceAccount",
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        // Only this cluster's ServiceAccount: EKS tags each session with all three (issue 19.8).
        Condition: {
          StringEquals: {
            "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:eu-west-1:123456789012:cluster/ml-platform",
            "aws:RequestTag/kubernetes-namespace": "kube-system",
            "aws:RequestTag/kubernetes-service-account": "cluster-autoscaler",
          },
        },
      },
    ]);
    expect(roleName).toMatch(/^as-cluster-autoscaler/);
    expect(attachedTo(rs, roleName)).toEqual([]);
  });

  it("may describe anything but resize only the Auto Scaling groups tagged as this cluster's", () => {
    const policy = one(rs, T.rolePolicy, "as-cluster-autoscaler");
    expect(policy.parent).toBe(one(rs, T.component, "as").urn);
    const document = policyOf(policy);
    expect(document.Version).toBe("2012-10-17");
    const scale = document.Statement.find((s) => s.Sid === "ScaleThisClusterOnly");
    expect(scale).toEqual({
      Sid: "ScaleThisClusterOnly",
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: "*",
      Condition: { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/ml-platform": "owned" } },
    });
    // Every other statement only reads, unconditionally.
    const others = document.Statement.filter((s) => s !== scale);
    expect(others.length).toBeGreaterThan(0);
    for (const s of others) {
      expect(s.Condition).toBeUndefined();
      for (const action of [s.Action].flat()) expect(action).toMatch(/^[a-z0-9]+:(Describe|Get)[A-Za-z]+$/);
    }
    // Scale from zero reads a managed group's labels and taints.
    expect(document.Statement.flatMap((s) => s.Action)).toContain("eks:DescribeNodegroup");
  });

  it("is bound to the autoscaler's ServiceAccount in kube-system, once its policy is in place", () => {
    const association = one(rs, T.podIdentity, "as-cluster-autoscaler");
    expect(association.parent).toBe(one(rs, T.component, "as").urn);
    expect(association.inputs).toMatchObject({
      clusterName: "ml-platform",
      namespace: "kube-system",
      serviceAccount: "cluster-autoscaler",
      roleArn: `arn:aws:iam::123456789012:role/${roleName}`,
    });
    // The autoscaler's first call must find its permissions.
    expect(association.dependsOn).toContain(one(rs, T.rolePolicy, "as-cluster-autoscaler").urn);
    expect(ofType(rs, T.podIdentity)).toHaveLength(1);
    expect(expectStandardTags([one(rs, T.role, "as-cluster-autoscaler"), association])).toBe(2);
  });
});
