import * as eks from "@pulumi/aws/eks";
import * as pulumi from "@pulumi/pulumi";
import { type ClusterAddonsArgs, statefulOptions, trustOf } from "../../kit";
import type { Target } from "../../placement";
import { awsContext } from "../context";
import type { AwsGpuNodeGroup, AwsNodeGroup } from "../node-group";
import { createAccessEntries } from "./access";
import type { AddonName } from "./addon-specs";
import { type AddonVersion, createAddonsAfterNodes, createAddonsBeforeNodes } from "./addons";
import { apiSources, createApiSecurityGroup } from "./api-endpoint";
import { type AwsPrivateClusterArgs, parseClusterArgs } from "./args";
import { awsClusterAddons, createAutoscalerIdentity } from "./cluster-phase";
import { controlPlaneArgs } from "./control-plane";
import { createSecretsKey } from "./encryption";
import { createControlPlaneRole, createNodeRole, createOidcProvider } from "./identity";
import { clusterKubeconfig } from "./kubeconfig";
import { createLoadBalancerControllerIdentity } from "./load-balancer-controller";
import { createControlPlaneLogs } from "./logging";
import { createSystemNodeGroup, createWorkloadNodeGroups } from "./pools";
import type { ClusterScope } from "./scope";
import { awsClusterTarget } from "./target";

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
  /** Zones of the private subnets, in order, when the network gave them (an `AwsVpc` does). */
  public readonly privateSubnetZones: pulumi.Output<string[]> | undefined;
  /** The KMS key that envelope-encrypts Kubernetes secrets. */
  public readonly secretsKeyArn: pulumi.Output<string>;
  /** The log group of the control-plane logs. */
  public readonly logGroupName: pulumi.Output<string>;
  /** A kubeconfig (secret) that gets tokens from `aws eks get-token`. */
  public readonly kubeconfig: pulumi.Output<string>;
  /**
   * What the cluster phase runs here before placed work can schedule (device plugins that match
   * each group's image, Cluster Autoscaler), for `ClusterAddons`. The autoscaler's AWS role and its
   * Pod Identity association are created by this component.
   */
  public readonly addons: ClusterAddonsArgs;
  /**
   * Each managed add-on's version, EKS's current default for the cluster's Kubernetes version, and
   * whether the args pin it: where the two differ, a newer default exists (the preview warns too).
   */
  public readonly addonVersions: pulumi.Output<Partial<Record<AddonName, AddonVersion>>>;
  /** The placement target of this cluster. */
  public readonly target: pulumi.Output<Target>;
  /** The same target as a plain value, for placement at deploy time. */
  public readonly placementTarget: Target;
  /** The workload node groups, by pool name. */
  public readonly nodeGroups: Record<string, AwsGpuNodeGroup | AwsNodeGroup>;
  /**
   * The EKS `Cluster` resource itself, as an escape hatch: read what the outputs above leave out
   * (e.g. `platformVersion`, `identities`), or make another resource `dependsOn` the control plane.
   * Its settings are the component's; change them through the args, not on this object.
   */
  public readonly eksCluster: eks.Cluster;

  constructor(name: string, args: AwsPrivateClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const resolved = parseClusterArgs(name, args);
    super("hybrid-ai-infra:index:AwsPrivateCluster", name, {}, opts);
    const { common, clusterName, network } = resolved;
    const ctx = awsContext(this);
    const scope: ClusterScope = { name, parent: this, clusterName, common, ctx };

    // Control plane: its keys and logs, its role, who may reach its endpoint, then the cluster.
    const secretsKey = createSecretsKey(scope);
    const logGroup = createControlPlaneLogs(scope, resolved.logRetentionDays);
    const controlPlaneRole = createControlPlaneRole(scope, secretsKey.arn);
    const apiSg = createApiSecurityGroup(
      scope,
      network.vpcId,
      apiSources(network.cidrBlock, resolved.endpointAccessCidrs),
    );
    const cluster = new eks.Cluster(
      name,
      controlPlaneArgs(resolved, common.tags, {
        clusterName,
        roleArn: controlPlaneRole.role.arn,
        apiSecurityGroupId: apiSg.id,
        secretsKeyArn: secretsKey.arn,
      }),
      statefulOptions(this, common, { dependsOn: [logGroup, ...controlPlaneRole.grants] }),
    );
    const clusterSecurityGroupId = cluster.vpcConfig.apply((c) => c.clusterSecurityGroupId);
    const issuer = cluster.identities.apply((ids) => ids[0]?.oidcs?.[0]?.issuer ?? "");
    const oidc = createOidcProvider(scope, issuer);
    createAccessEntries(scope, cluster.name, resolved.grants);

    // Nodes: their role, the add-ons they need to join, the system group, then the workload groups.
    const nodeRole = createNodeRole(scope);
    const addonCluster = { name: cluster.name, arn: cluster.arn, version: cluster.version };
    const addonSettings = { versions: resolved.addonVersions, networkPolicyMode: resolved.networkPolicyMode };
    const beforeNodes = createAddonsBeforeNodes(scope, addonCluster, addonSettings);
    const pools = {
      cluster: {
        clusterName: cluster.name,
        nodeRoleArn: nodeRole.role.arn,
        privateSubnetIds: network.privateSubnetIds,
        privateSubnetZones: network.privateSubnetZones,
        clusterSecurityGroupId,
        vpcId: network.vpcId,
      },
      trust: trustOf("aws", resolved.placement),
      common: resolved.commonArgs,
      opts: { parent: this, dependsOn: [...nodeRole.policies, ...beforeNodes.addons] },
    };
    const systemGroup = createSystemNodeGroup(scope, resolved, pools);
    const afterNodes = createAddonsAfterNodes(scope, addonCluster, addonSettings, [systemGroup]);
    const nodeGroups = createWorkloadNodeGroups(scope, resolved, pools);

    const kubeconfig = clusterKubeconfig(cluster, ctx.region);
    this.placementTarget = awsClusterTarget(name, args);
    this.addons = awsClusterAddons(resolved, ctx, {
      vpcCidr: network.cidrBlock,
      serviceCidr: cluster.kubernetesNetworkConfig.apply((c) => {
        if (!c.serviceIpv4Cidr) throw new Error(`EKS reported no Service block for cluster ${clusterName}`);
        return c.serviceIpv4Cidr;
      }),
    });
    if (this.addons.clusterAutoscaler) createAutoscalerIdentity(scope, cluster);
    this.addonVersions = pulumi.all({ ...beforeNodes.versions, ...afterNodes.versions });
    // Internal NLBs for Services (cross-site entries): the AWS Load Balancer Controller and its role.
    if (resolved.loadBalancerController)
      this.addons.awsLoadBalancerController = createLoadBalancerControllerIdentity(
        scope,
        cluster,
        network.vpcId,
      );

    this.eksCluster = cluster;
    this.nodeGroups = nodeGroups;
    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.endpoint = cluster.endpoint;
    this.certificateAuthorityData = cluster.certificateAuthority.apply((c) => c.data ?? "");
    this.oidcIssuerUrl = issuer;
    this.oidcProviderArn = oidc.arn;
    this.nodeRoleArn = nodeRole.role.arn;
    this.clusterSecurityGroupId = clusterSecurityGroupId;
    this.vpcId = pulumi.output(network.vpcId);
    this.privateSubnetIds = pulumi.output(network.privateSubnetIds);
    this.privateSubnetZones =
      network.privateSubnetZones === undefined ? undefined : pulumi.output(network.privateSubnetZones);
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
      addonVersions: this.addonVersions,
    });
  }
}
