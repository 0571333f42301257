import { Provider as AwsProvider } from "@pulumi/aws/provider";
import {
  AwsEncryptedBucket,
  AwsPrivateCluster,
  AwsVpc,
  type AwsVpcArgs,
  AwsVpnGateway,
  METRICS_INTERFACE_ENDPOINTS,
} from "../../components/aws";
import type { CommonArgs } from "../../components/kit";
import type { AwsSite, Sites } from "../config";
import type { DeclaredAwsSite, SiteVpnEnd } from "./declared";
import { placementOf } from "./targets";

/** The AWS site: its provider, VPC, buckets, private EKS cluster and, when linked, VPN gateway. */
export function declareAwsSite(site: AwsSite, sites: Sites, common: CommonArgs): DeclaredAwsSite {
  const { config } = site;
  const c = config.cluster;
  // An explicit provider: the platform spans regions and clouds, so nothing depends on ambient config.
  const provider = new AwsProvider("aws", { region: site.region });
  const opts = { providers: { aws: provider } };
  const vpc = new AwsVpc(
    `${c.name}-vpc`,
    { ...common, ...vpcArgs(site, sites.config.monitoring?.enabled !== false) },
    opts,
  );
  const bucketsByName = new Map(
    (config.buckets ?? []).map(({ name, ...args }, i) => [
      name,
      // The bucket hosts the datasets by name; what config says about each is the data join's.
      new AwsEncryptedBucket(name, { ...common, ...args, datasets: site.stores[i]?.datasets ?? [] }, opts),
    ]),
  );
  // workloadSecrets is the cluster phase's (published as the cluster's facts), not the cluster's.
  const { name: _name, kueueImage, workloadSecrets: _secrets, ...clusterArgs } = c;
  const cluster = new AwsPrivateCluster(
    c.name,
    {
      ...common,
      ...clusterArgs,
      // The stack's cross-site services enter EKS through internal NLBs.
      loadBalancerController: true,
      network: vpc,
      endpointAccessCidrs: apiClientCidrs(sites),
      placement: placementOf(site, sites),
    },
    opts,
  );
  const vpn = awsVpnEnd(site, vpc, common, opts);
  return {
    site,
    vpc,
    cluster,
    bucketsByName,
    opts,
    ...(vpn ? { vpn } : {}),
    target: cluster.placementTarget,
    addons: {
      ...cluster.addons,
      kueue: { clusterName: site.name, systemPool: true, ...(kueueImage ? { image: kueueImage } : {}) },
    },
    clusterOutputs: {
      cloud: "aws",
      name: cluster.clusterName,
      endpoint: cluster.endpoint,
      certificateAuthorityData: cluster.certificateAuthorityData,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      oidcProviderArn: cluster.oidcProviderArn,
      nodeRoleArn: cluster.nodeRoleArn,
      clusterSecurityGroupId: cluster.clusterSecurityGroupId,
      kubeconfig: cluster.kubeconfig,
    },
    buckets: Object.fromEntries(
      [...bucketsByName].map(([name, bucket]) => [
        name,
        {
          cloud: "aws",
          name: bucket.bucketName,
          arn: bucket.bucketArn,
          kmsKeyArn: bucket.kmsKeyArn,
          datasets: bucket.datasets,
        },
      ]),
    ),
    network: {
      key: "aws",
      outputs: { vpcId: vpc.vpcId, cidrBlock: vpc.cidrBlock, privateSubnetIds: vpc.privateSubnetIds },
    },
  };
}

/**
 * Who may call the private EKS API from outside the VPC: the ranges the cluster phase runs from
 * (`deploy.cidrs`), when it runs from another site over a VPN link; nothing else from the peers
 * (their pods and other hosts have no business with the API). From inside the VPC, the cluster's
 * own rule admits the VPC.
 */
export function apiClientCidrs(sites: Sites): string[] | undefined {
  const deploy = sites.config.deploy;
  return deploy && deploy.from !== "aws" ? [...deploy.cidrs] : undefined;
}

/**
 * The VPC's arguments: a new VPC from its block, or an existing one adopted by id. With monitoring
 * on, a new VPC also gets AMP's and CloudWatch's interface endpoints (queries, remote writes and the
 * tunnel exporter stay private); an existing VPC must have them already (docs/monitoring.md).
 */
function vpcArgs(site: AwsSite, monitoring: boolean): AwsVpcArgs {
  const net = site.config.network;
  if ("cidr" in net)
    return {
      cidrBlock: net.cidr,
      availabilityZones: net.availabilityZones,
      natGateways: net.natGateways,
      extraInterfaceEndpoints: [
        ...(net.extraInterfaceEndpoints ?? []),
        ...(monitoring
          ? METRICS_INTERFACE_ENDPOINTS.filter((e) => !net.extraInterfaceEndpoints?.includes(e))
          : []),
      ],
      flowLogRetentionDays: net.flowLogRetentionDays,
    };
  // resolverIps are the Resolver's (the site model passes them to the hybrid DNS), not the VPC's.
  const { cidr, resolverIps: _resolverIps, ...ids } = net.existing;
  return { existing: { ...ids, cidrBlock: cidr }, endpoints: net.endpoints, flowLogs: net.flowLogs };
}

/** The AWS site's VPN gateway, when a link joins the site: attached to its VPC. */
function awsVpnEnd(
  site: AwsSite,
  vpc: AwsVpc,
  common: CommonArgs,
  opts: { providers: { aws: AwsProvider } },
): SiteVpnEnd | undefined {
  if (!site.linked) return undefined;
  const gateway = new AwsVpnGateway(
    `${site.name}-vpn`,
    {
      ...common,
      network: { vpcId: vpc.vpcId, privateRouteTables: vpc.privateRouteTables },
    },
    opts,
  );
  return { end: { site: "aws", name: "aws", gateway, networks: [site.cidr] }, opts };
}
