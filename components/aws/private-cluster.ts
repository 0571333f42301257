import { createHash } from "node:crypto";
import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as vpc from "@pulumi/aws/vpc";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { NvidiaDevicePlugin } from "../kubernetes";
import type { Pool, Target } from "../placement";
import {
  componentSubject,
  formatPath,
  iamPrincipalArnSchema,
  ipv4Cidr,
  kubernetesVersionSchema,
  nameSchema,
  oneOfNumbers,
  parseOrThrow,
} from "../pulumi-free";
import {
  type ClusterPlacementArgs,
  type CommonArgs,
  childName,
  clusterPlacementShape,
  commonArgsOf,
  commonArgsShape,
  input,
  placementTargetOf,
  renderKubeconfig,
  resolveCommon,
  statefulOptions,
  trustOf,
} from "../pulumi-kit";
import { awsContext, serviceTrustPolicy } from "./context";
import { createKmsKey } from "./kms";
import { createLogGroup, LOG_RETENTION_DAYS } from "./logs";
import {
  AwsGpuNodeGroup,
  AwsNodeGroup,
  type AwsNodeGroupSettings,
  checkInstanceTypes,
  checkNodeGroup,
  checkScaling,
  GPU_TAINTS,
  instanceShapeOf,
  isGpuGroup,
  nodeGroupPool,
  nodeGroupSettingsShape,
} from "./node-group";

/** Every control-plane log type EKS can send to CloudWatch. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** EKS access policies by the short name the args use. */
const ACCESS_POLICIES = {
  ClusterAdmin: "AmazonEKSClusterAdminPolicy",
  Admin: "AmazonEKSAdminPolicy",
  Edit: "AmazonEKSEditPolicy",
  View: "AmazonEKSViewPolicy",
} as const;

/**
 * Managed add-ons. The CNI, kube-proxy and the Pod Identity agent must exist before nodes join
 * (nodes are not Ready without a CNI); CoreDNS is a Deployment and needs nodes to become healthy.
 */
const ADDONS: {
  name: string;
  beforeNodes: boolean;
  podIdentity?: { serviceAccount: string; managedPolicy: string };
  configuration?: Record<string, unknown>;
}[] = [
  { name: "eks-pod-identity-agent", beforeNodes: true },
  {
    name: "vpc-cni",
    beforeNodes: true,
    // The CNI's AWS permissions go to its own service account, not to every pod on the node.
    podIdentity: { serviceAccount: "aws-node", managedPolicy: "AmazonEKS_CNI_Policy" },
    // Enforces the NetworkPolicies the placement renderer writes (default deny per namespace).
    configuration: { enableNetworkPolicy: "true" },
  },
  { name: "kube-proxy", beforeNodes: true },
  { name: "coredns", beforeNodes: false },
];

/** The network a cluster runs in: an `AwsVpc`, or the ids of an existing VPC. */
export interface AwsClusterNetwork {
  /** VPC id. */
  vpcId: pulumi.Input<string>;
  /** The VPC's IPv4 block; the private API endpoint accepts HTTPS from it. */
  cidrBlock: pulumi.Input<string>;
  /** Private subnets in at least two zones, for the control plane's interfaces and the nodes. */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
}

/** A node group declared with the cluster; it becomes a placement pool of the cluster's target. */
export interface AwsClusterNodeGroup extends AwsNodeGroupSettings {
  /** Pool name: node label, placement pool and child name suffix. */
  name: string;
  /** GPU pools only: EFA interfaces and a cluster placement group in one zone (not with `publicIp`). */
  efa?: boolean;
}

/** The zod shape of `AwsClusterNodeGroup`; the stack config builds its node groups on it. */
export const clusterNodeGroupShape = {
  ...nodeGroupSettingsShape,
  name: nameSchema,
  efa: z.boolean().optional(),
};

/**
 * Every check of a node group declared with a cluster, under `path` (the group): a group with any
 * GPU type is a GPU pool (`isGpuGroup`), then `checkNodeGroup` says what is wrong with it.
 */
export function checkClusterNodeGroup(
  group: Parameters<typeof checkNodeGroup>[0],
  ctx: z.RefinementCtx,
  path: (string | number)[] = [],
): void {
  const gpu = isGpuGroup(group.instanceTypes);
  checkNodeGroup(group, { gpu, builtInTaints: gpu ? GPU_TAINTS : [] }, ctx, path);
}

/** The system node group's args, with their checks (CPU types from the facts table, scaling bounds). */
export const systemNodeGroupSchema = z
  .strictObject({
    instanceTypes: z.array(z.string()).min(1).optional(),
    minSize: z.number().int().min(1).optional(),
    desiredSize: z.number().int().min(1).optional(),
    maxSize: z.number().int().min(1).optional(),
  })
  .superRefine((system, ctx) => {
    if (system.instanceTypes) checkInstanceTypes(system.instanceTypes, false, ctx);
    checkScaling({ ...system, maxSize: system.maxSize ?? 3 }, 2, ctx);
  });

/** One further access entry: a principal and its EKS access policy, cluster-wide or in some namespaces. */
export const accessEntrySchema = z.strictObject({
  principalArn: iamPrincipalArnSchema,
  policy: z.enum(Object.keys(ACCESS_POLICIES) as [keyof typeof ACCESS_POLICIES]),
  namespaces: z.array(z.string().min(1)).min(1).optional(),
});

/** Cluster admins: at least one, since the cluster creator gets no implicit access. */
export const adminsSchema = z
  .array(iamPrincipalArnSchema)
  .min(1, "needs at least one IAM principal: the cluster creator gets no implicit access");

/** Networks that may reach a public API endpoint: never the whole internet. */
export const publicAccessCidrsSchema = z
  .array(
    z
      .string()
      // Checked before the prefix range, so the reason is the one the user needs to read.
      .refine((c) => !/^0\.0\.0\.0\/0$/.test(c.trim()), {
        message: "0.0.0.0/0 would expose the API server to the internet; list the networks that need it",
        abort: true,
      })
      .pipe(ipv4Cidr({ min: 8 })),
  )
  .min(1);

/** Arguments of `AwsPrivateCluster`. */
export interface AwsPrivateClusterArgs extends CommonArgs {
  /** The network: an `AwsVpc`, or the ids of an existing VPC. */
  network: AwsClusterNetwork;
  /** EKS cluster name; default `<component name>-<environment>`. */
  clusterName?: string;
  /** Kubernetes version, e.g. "1.34"; default EKS's default for new clusters. Pin it per environment. */
  kubernetesVersion?: string;
  /** IAM role or user ARNs granted cluster-admin through access entries; at least one (the creator gets nothing implicitly). */
  admins: string[];
  /** Further access entries, each with an EKS access policy for the cluster or some namespaces. */
  accessEntries?: { principalArn: string; policy: keyof typeof ACCESS_POLICIES; namespaces?: string[] }[];
  /** Networks besides the VPC that may reach the private API endpoint on 443 (e.g. on-premises over VPN). */
  endpointAccessCidrs?: string[];
  /** Also expose the API endpoint publicly, to these CIDRs only (never 0.0.0.0/0). Default: private only. */
  publicAccessCidrs?: string[];
  /** Days to keep control-plane logs (a CloudWatch retention value). Default 365. */
  logRetentionDays?: number;
  /** EKS deletion protection. Default on outside the "dev" environment. */
  deletionProtection?: boolean;
  /** Stay on extended support (paid) past a version's standard support instead of being upgraded. Default false. */
  extendedSupport?: boolean;
  /** Run NVIDIA's device plugin on the GPU nodes (without it no pod can request `nvidia.com/gpu`). Default true when a node group has GPUs; turn it off when a GPU operator manages it. */
  gpuDevicePlugin?: boolean;
  /** The system node group that runs only add-ons (taint CriticalAddonsOnly): on-demand, 2-3 nodes by default. */
  systemNodeGroup?: { instanceTypes?: string[]; minSize?: number; desiredSize?: number; maxSize?: number };
  /** Node groups for workloads; a group of GPU types becomes an `AwsGpuNodeGroup`, others an `AwsNodeGroup`. */
  nodeGroups?: AwsClusterNodeGroup[];
  /** How placement sees the cluster. */
  placement: ClusterPlacementArgs;
}

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
const CLUSTER_NAME_RULE = "must start with a letter or digit and use letters, digits, - and _ (at most 100)";

const schema = z
  .strictObject({
    ...commonArgsShape,
    network: z.looseObject({
      vpcId: input(z.string().startsWith("vpc-")),
      cidrBlock: input(ipv4Cidr()),
      privateSubnetIds: input(z.array(input(z.string())).min(2)),
    }),
    clusterName: z.string().regex(CLUSTER_NAME, CLUSTER_NAME_RULE).optional(),
    kubernetesVersion: kubernetesVersionSchema.optional(),
    admins: adminsSchema,
    accessEntries: z.array(accessEntrySchema).optional(),
    endpointAccessCidrs: z.array(ipv4Cidr()).optional(),
    publicAccessCidrs: publicAccessCidrsSchema.optional(),
    logRetentionDays: oneOfNumbers(LOG_RETENTION_DAYS).optional(),
    deletionProtection: z.boolean().optional(),
    extendedSupport: z.boolean().optional(),
    gpuDevicePlugin: z.boolean().optional(),
    systemNodeGroup: systemNodeGroupSchema.optional(),
    nodeGroups: z
      .array(
        z.strictObject(clusterNodeGroupShape).superRefine((group, ctx) => checkClusterNodeGroup(group, ctx)),
      )
      .optional(),
    placement: z.strictObject(clusterPlacementShape),
  })
  .superRefine((args, ctx) => {
    // One access entry per principal: EKS rejects a second, and the child names would clash.
    const principals = new Map<string, string>();
    const grantees: { path: (string | number)[]; arn: string }[] = [
      ...args.admins.map((arn, i) => ({ path: ["admins", i], arn })),
      ...(args.accessEntries ?? []).map((e, i) => ({
        path: ["accessEntries", i, "principalArn"],
        arn: e.principalArn,
      })),
    ];
    for (const { path, arn } of grantees) {
      const first = principals.get(arn);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path,
          message: `"${arn}" already has an access entry (${first}); a principal gets one entry and one policy`,
        });
      } else {
        principals.set(arn, formatPath(path));
      }
    }
    // Each network is one security group rule; AWS rejects a duplicate rule.
    const sources = new Map<string, string>();
    if (typeof args.network.cidrBlock === "string") sources.set(args.network.cidrBlock, "network.cidrBlock");
    (args.endpointAccessCidrs ?? []).forEach((cidr, i) => {
      const first = sources.get(cidr);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["endpointAccessCidrs", i],
          message: `"${cidr}" is already allowed (${first}); list each network once`,
        });
      } else {
        sources.set(cidr, `endpointAccessCidrs[${i}]`);
      }
    });
    const names = new Set<string>();
    (args.nodeGroups ?? []).forEach((group, i) => {
      if (names.has(group.name) || group.name === "system") {
        ctx.addIssue({
          code: "custom",
          path: ["nodeGroups", i, "name"],
          message: `"${group.name}" is used twice (or is the reserved "system"); pool names must be unique per cluster`,
        });
      }
      names.add(group.name);
    });
  });

/**
 * A private EKS cluster: API endpoint inside the VPC only, secrets envelope-encrypted with a
 * dedicated rotating KMS key, all five control-plane log types to a KMS-encrypted log group,
 * access entries instead of the aws-auth ConfigMap, managed add-ons with Pod Identity, a small
 * on-demand system node group, least-privilege IAM, and the node groups placement uses.
 */
export class AwsPrivateCluster extends pulumi.ComponentResource {
  /** The EKS cluster name. */
  public readonly clusterName: pulumi.Output<string>;
  /** The cluster ARN. */
  public readonly clusterArn: pulumi.Output<string>;
  /** The private API server endpoint. */
  public readonly endpoint: pulumi.Output<string>;
  /** Base64 PEM of the cluster CA. */
  public readonly certificateAuthorityData: pulumi.Output<string>;
  /** The cluster's OIDC issuer URL. */
  public readonly oidcIssuerUrl: pulumi.Output<string>;
  /** The IAM OIDC provider for IRSA. */
  public readonly oidcProviderArn: pulumi.Output<string>;
  /** The IAM role every node group's nodes run as. */
  public readonly nodeRoleArn: pulumi.Output<string>;
  /** The EKS-managed cluster security group (on every node). */
  public readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** The VPC of the cluster. */
  public readonly vpcId: pulumi.Output<string>;
  /** Private subnets of the nodes. */
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  /** The KMS key that envelope-encrypts Kubernetes secrets. */
  public readonly secretsKeyArn: pulumi.Output<string>;
  /** The log group of the control-plane logs. */
  public readonly logGroupName: pulumi.Output<string>;
  /** A kubeconfig (secret) that gets tokens from `aws eks get-token`. */
  public readonly kubeconfig: pulumi.Output<string>;
  /** A Kubernetes provider for this cluster. */
  public readonly kubernetesProvider: KubernetesProvider;
  /** The placement target of this cluster. */
  public readonly target: pulumi.Output<Target>;
  /** The same target as a plain value, for placement at deploy time. */
  public readonly placementTarget: Target;
  /** The workload node groups, by pool name. */
  public readonly nodeGroups: Record<string, AwsGpuNodeGroup | AwsNodeGroup>;

  constructor(name: string, args: AwsPrivateClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(
      componentSubject("AwsPrivateCluster", name),
      schema.superRefine((a, ctx) => {
        // The EKS name defaults to `<component name>-<environment>`; EKS would refuse a bad one only at deploy time.
        const derived = `${name}-${a.environment ?? pulumi.getStack()}`;
        if (a.clusterName === undefined && !CLUSTER_NAME.test(derived)) {
          ctx.addIssue({
            code: "custom",
            path: ["clusterName"],
            message: `is not given, and the default ${JSON.stringify(derived)} is no EKS cluster name: it ${CLUSTER_NAME_RULE}; set clusterName`,
          });
        }
      }),
      args,
    );
    super("hybrid-ai-infra:index:AwsPrivateCluster", name, {}, opts);
    const common = resolveCommon(parsed);
    const ctx = awsContext(this);
    const parent = { parent: this };
    const clusterName = parsed.clusterName ?? `${name}-${common.environment}`;
    const managedPolicy = (policy: string) =>
      pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/${policy}`;

    // Encryption keys: one for Kubernetes secrets, one for the control-plane logs.
    const { key: secretsKey } = createKmsKey(childName(name, "secrets"), this, common, ctx, {
      description: `Envelope encryption of Kubernetes secrets in EKS cluster ${clusterName}`,
    });
    const { key: logsKey } = createKmsKey(childName(name, "logs"), this, common, ctx, {
      description: `Control-plane logs of EKS cluster ${clusterName}`,
      allowCloudWatchLogs: true,
    });
    // EKS writes to exactly this group; creating it first keeps it encrypted and bounded.
    const logGroup = createLogGroup(childName(name, "control-plane"), this, common, {
      logGroupName: `/aws/eks/${clusterName}/cluster`,
      retentionInDays: parsed.logRetentionDays ?? 365,
      kmsKeyArn: logsKey.arn,
    });

    // The control plane's role: the managed cluster policy and use of its secrets key, nothing more.
    const clusterRole = new iam.Role(
      childName(name, "cluster"),
      {
        description: `EKS control plane of ${clusterName}`,
        assumeRolePolicy: serviceTrustPolicy("eks.amazonaws.com", ["sts:TagSession"]),
        tags: common.tags,
      },
      parent,
    );
    const clusterPolicy = new iam.RolePolicyAttachment(
      childName(name, "cluster-policy"),
      { role: clusterRole.name, policyArn: managedPolicy("AmazonEKSClusterPolicy") },
      parent,
    );
    const clusterKms = new iam.RolePolicy(
      childName(name, "cluster-kms"),
      {
        role: clusterRole.id,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
              Resource: secretsKey.arn,
            },
          ],
        }),
      },
      parent,
    );

    // Who may reach the private endpoint: the VPC, plus any network the caller names (VPN peers).
    const apiSg = new ec2.SecurityGroup(
      childName(name, "api"),
      {
        vpcId: parsed.network.vpcId,
        description: `HTTPS to the private API endpoint of ${clusterName}`,
        tags: { ...common.tags, Name: childName(name, "api") },
      },
      parent,
    );
    const apiSources: { key: string; cidr: pulumi.Input<string> }[] = [
      { key: "vpc", cidr: parsed.network.cidrBlock },
      ...(parsed.endpointAccessCidrs ?? []).map((cidr) => ({ key: cidr.replace(/[./]/g, "-"), cidr })),
    ];
    for (const source of apiSources) {
      new vpc.SecurityGroupIngressRule(
        childName(name, "api", source.key),
        {
          securityGroupId: apiSg.id,
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrIpv4: source.cidr,
          description: `Kubernetes API from ${source.key}`,
          tags: common.tags,
        },
        parent,
      );
    }

    const publicCidrs = parsed.publicAccessCidrs ?? [];
    const cluster = new eks.Cluster(
      name,
      {
        name: clusterName,
        roleArn: clusterRole.arn,
        ...(parsed.kubernetesVersion ? { version: parsed.kubernetesVersion } : {}),
        vpcConfig: {
          subnetIds: parsed.network.privateSubnetIds,
          securityGroupIds: [apiSg.id],
          endpointPrivateAccess: true,
          endpointPublicAccess: publicCidrs.length > 0,
          ...(publicCidrs.length > 0 ? { publicAccessCidrs: publicCidrs } : {}),
        },
        encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] },
        enabledClusterLogTypes: [...EKS_LOG_TYPES],
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
        // Add-ons come from the managed add-ons below, so their versions and settings are ours.
        bootstrapSelfManagedAddons: false,
        kubernetesNetworkConfig: { ipFamily: "ipv4" },
        upgradePolicy: { supportType: parsed.extendedSupport ? "EXTENDED" : "STANDARD" },
        deletionProtection: parsed.deletionProtection ?? common.environment !== "dev",
        tags: common.tags,
      },
      statefulOptions(this, common, { dependsOn: [logGroup, clusterPolicy, clusterKms] }),
    );
    const clusterSecurityGroupId = cluster.vpcConfig.apply((c) => c.clusterSecurityGroupId);
    const issuer = cluster.identities.apply((ids) => ids[0]?.oidcs?.[0]?.issuer ?? "");

    const oidc = new iam.OpenIdConnectProvider(
      childName(name, "oidc"),
      { url: issuer, clientIdLists: ["sts.amazonaws.com"], tags: common.tags },
      parent,
    );

    // Access entries: explicit admins, then whatever else the caller grants.
    const accessGrants: pulumi.Resource[] = [];
    const grants = [
      ...parsed.admins.map((principalArn) => ({
        principalArn,
        policy: "ClusterAdmin" as const,
        namespaces: undefined,
      })),
      ...(parsed.accessEntries ?? []),
    ];
    for (const grant of grants) {
      const id = childName(name, "access", principalSlug(grant.principalArn));
      const entry = new eks.AccessEntry(
        id,
        { clusterName: cluster.name, principalArn: grant.principalArn, type: "STANDARD", tags: common.tags },
        parent,
      );
      const association = new eks.AccessPolicyAssociation(
        id,
        {
          clusterName: cluster.name,
          principalArn: entry.principalArn,
          policyArn: pulumi.interpolate`arn:${ctx.partition}:eks::aws:cluster-access-policy/${ACCESS_POLICIES[grant.policy]}`,
          accessScope: grant.namespaces
            ? { type: "namespace", namespaces: grant.namespaces }
            : { type: "cluster" },
        },
        parent,
      );
      accessGrants.push(entry, association);
    }

    // Nodes: the worker policy and image pulls only; the CNI's permissions live on its own role.
    const nodeRole = new iam.Role(
      childName(name, "node"),
      {
        description: `Nodes of EKS cluster ${clusterName}`,
        assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
        tags: common.tags,
      },
      parent,
    );
    const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"].map(
      (policy) =>
        new iam.RolePolicyAttachment(
          childName(name, "node", policy),
          { role: nodeRole.name, policyArn: managedPolicy(policy) },
          parent,
        ),
    );

    const addon = (spec: (typeof ADDONS)[number], dependsOn: pulumi.Resource[]): eks.Addon => {
      const waitFor = [...dependsOn];
      let podIdentityAssociations: { roleArn: pulumi.Input<string>; serviceAccount: string }[] | undefined;
      if (spec.podIdentity) {
        const role = new iam.Role(
          childName(name, spec.name),
          {
            description: `${spec.name} add-on of ${clusterName} (EKS Pod Identity)`,
            assumeRolePolicy: serviceTrustPolicy("pods.eks.amazonaws.com", ["sts:TagSession"]),
            tags: common.tags,
          },
          parent,
        );
        // The add-on's pods need the policy from their first start (the CNI cannot give nodes
        // addresses without it), so the add-on waits for the attachment, not only the role.
        waitFor.push(
          new iam.RolePolicyAttachment(
            childName(name, spec.name),
            { role: role.name, policyArn: managedPolicy(spec.podIdentity.managedPolicy) },
            parent,
          ),
        );
        podIdentityAssociations = [{ roleArn: role.arn, serviceAccount: spec.podIdentity.serviceAccount }];
      }
      return new eks.Addon(
        childName(name, spec.name),
        {
          clusterName: cluster.name,
          addonName: spec.name,
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "PRESERVE",
          ...(spec.configuration ? { configurationValues: JSON.stringify(spec.configuration) } : {}),
          ...(podIdentityAssociations ? { podIdentityAssociations } : {}),
          tags: common.tags,
        },
        { parent: this, dependsOn: waitFor },
      );
    };
    // Add-ons whose service accounts use Pod Identity wait for its agent.
    const agent: eks.Addon[] = [];
    const addonsBeforeNodes: eks.Addon[] = [];
    for (const spec of ADDONS.filter((a) => a.beforeNodes)) {
      const created = addon(spec, spec.podIdentity ? agent : []);
      if (spec.name === "eks-pod-identity-agent") agent.push(created);
      addonsBeforeNodes.push(created);
    }

    const ref = {
      clusterName: cluster.name,
      nodeRoleArn: nodeRole.arn,
      privateSubnetIds: parsed.network.privateSubnetIds,
      clusterSecurityGroupId,
      vpcId: parsed.network.vpcId,
    };
    const trust = trustOf("aws", parsed.placement);
    const nodeOpts = { parent: this, dependsOn: [...nodePolicies, ...addonsBeforeNodes] };
    const system = parsed.systemNodeGroup ?? {};
    const systemGroup = new AwsNodeGroup(
      childName(name, "system"),
      {
        cluster: ref,
        poolName: "system",
        system: true,
        trust,
        instanceTypes: system.instanceTypes ?? ["m7i.large"],
        capacityType: "ON_DEMAND",
        minSize: system.minSize ?? 2,
        desiredSize: system.desiredSize ?? system.minSize ?? 2,
        maxSize: system.maxSize ?? 3,
        ...commonArgsOf(parsed),
      },
      nodeOpts,
    );
    for (const spec of ADDONS.filter((a) => !a.beforeNodes)) addon(spec, [systemGroup]);

    const nodeGroups: Record<string, AwsGpuNodeGroup | AwsNodeGroup> = {};
    for (const group of parsed.nodeGroups ?? []) {
      const { name: pool, efa, ...settings } = group;
      const gpu = isGpuGroup(settings.instanceTypes);
      const childArgs = { ...settings, ...commonArgsOf(parsed), cluster: ref, poolName: pool, trust };
      nodeGroups[pool] = gpu
        ? new AwsGpuNodeGroup(childName(name, pool), { ...childArgs, ...(efa ? { efa } : {}) }, nodeOpts)
        : new AwsNodeGroup(childName(name, pool), childArgs, nodeOpts);
    }

    const kubeconfig = pulumi.secret(
      pulumi
        .all([cluster.name, cluster.endpoint, cluster.certificateAuthority, ctx.region])
        .apply(([n, server, ca, region]) =>
          renderKubeconfig({
            name: n,
            server,
            certificateAuthorityData: ca.data ?? "",
            exec: {
              command: "aws",
              args: ["--region", region, "eks", "get-token", "--cluster-name", n, "--output", "json"],
              installHint:
                "Install the AWS CLI v2 and sign in (aws sso login) with a principal that has an access entry.",
            },
          }),
        ),
    );
    this.kubernetesProvider = new KubernetesProvider(
      childName(name, "k8s"),
      { kubeconfig, enableServerSideApply: true },
      // With bootstrapClusterCreatorAdminPermissions off, nobody may call the API until the access
      // entries exist: objects declared through this provider wait for them.
      { parent: this, dependsOn: [cluster, ...accessGrants] },
    );

    this.placementTarget = awsClusterTarget(name, parsed);
    const gpuGroups = Object.values(nodeGroups).filter((g) => g instanceof AwsGpuNodeGroup);
    if (gpuGroups.length > 0 && (parsed.gpuDevicePlugin ?? true)) {
      new NvidiaDevicePlugin(
        childName(name, "nvidia-device-plugin"),
        {},
        { parent: this, provider: this.kubernetesProvider },
      );
    }
    this.nodeGroups = nodeGroups;
    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.endpoint = cluster.endpoint;
    this.certificateAuthorityData = cluster.certificateAuthority.apply((c) => c.data ?? "");
    this.oidcIssuerUrl = issuer;
    this.oidcProviderArn = oidc.arn;
    this.nodeRoleArn = nodeRole.arn;
    this.clusterSecurityGroupId = clusterSecurityGroupId;
    this.vpcId = pulumi.output(parsed.network.vpcId);
    this.privateSubnetIds = pulumi.output(parsed.network.privateSubnetIds);
    this.secretsKeyArn = secretsKey.arn;
    this.logGroupName = logGroup.name;
    this.kubeconfig = kubeconfig;
    this.target = pulumi.output(this.placementTarget);
    this.registerOutputs({
      clusterName: this.clusterName,
      clusterArn: this.clusterArn,
      endpoint: this.endpoint,
      certificateAuthorityData: this.certificateAuthorityData,
      oidcIssuerUrl: this.oidcIssuerUrl,
      oidcProviderArn: this.oidcProviderArn,
      nodeRoleArn: this.nodeRoleArn,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      secretsKeyArn: this.secretsKeyArn,
      logGroupName: this.logGroupName,
      kubeconfig: this.kubeconfig,
      target: this.target,
    });
  }
}

/**
 * A stable child-name suffix for an IAM principal: its last path segment plus a short hash of the
 * whole ARN, so reordering or adding principals never renames (and so replaces) an entry.
 */
function principalSlug(arn: string): string {
  const last = (arn.split("/").pop() ?? "principal")
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 32);
  return `${last}-${createHash("sha256").update(arn).digest("hex").slice(0, 6)}`;
}

/**
 * The placement target a cluster with these args provides, derived from its node groups' config
 * alone: a stack can place workloads with it before it declares any resource. The cluster's own
 * `placementTarget` is this value.
 */
export function awsClusterTarget(
  name: string,
  args: Pick<AwsPrivateClusterArgs, "nodeGroups" | "placement">,
): Target {
  const trust = trustOf("aws", args.placement);
  const pools: Pool[] = (args.nodeGroups ?? []).map((group) => {
    const { name: pool, efa: _efa, ...settings } = group;
    const gpu = isGpuGroup(settings.instanceTypes);
    return nodeGroupPool({
      pool,
      settings,
      shape: instanceShapeOf(settings.instanceTypes, gpu),
      trust,
      builtInTaints: gpu ? GPU_TAINTS : [],
    });
  });
  return placementTargetOf("aws", name, args.placement, pools);
}
