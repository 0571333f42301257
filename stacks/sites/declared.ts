import type * as pulumi from "@pulumi/pulumi";
import type { AwsEncryptedBucket, AwsPrivateCluster, AwsVpc } from "../../components/aws";
import type { AzureEncryptedStorage, AzurePrivateCluster, AzureVnet } from "../../components/azure";
import type { ClusterAddonsArgs } from "../../components/kubernetes";
import type { Target } from "../../components/placement";
import type { VpnLinkEnd } from "../../components/vpn";
import type { AwsSite, AzureSite, OnPremSite } from "../config";
import type { Outputs } from "../types";

/** A site's end of its VPN links, and the options its link resources take (its cloud provider). */
export interface SiteVpnEnd {
  end: VpnLinkEnd;
  opts: pulumi.ComponentResourceOptions;
}

/** Where an Azure site's resources go. */
export interface AzurePlace {
  resourceGroupName: pulumi.Input<string>;
  location: string;
}

/** What every declared site gives the program: its cluster for placement and what it exports. */
interface DeclaredBase {
  target: Target;
  addons: ClusterAddonsArgs;
  clusterOutputs: Outputs;
  buckets: Record<string, Outputs>;
  network?: { key: string; outputs: Outputs };
  /** The site's end of its VPN links, when a link joins it. */
  vpn?: SiteVpnEnd;
}

/** The AWS site as declared: the parts hybrid DNS and workload identities refer to. */
export interface DeclaredAwsSite extends DeclaredBase {
  site: AwsSite;
  vpc: AwsVpc;
  cluster: AwsPrivateCluster;
  buckets: Record<string, Outputs>;
  bucketsByName: Map<string, AwsEncryptedBucket>;
  opts: pulumi.ComponentResourceOptions;
}

/** The Azure site as declared. */
export interface DeclaredAzureSite extends DeclaredBase {
  site: AzureSite;
  vnet: AzureVnet;
  cluster: AzurePrivateCluster;
  /** Each storage account and the datasets config says it hosts. */
  storage: { account: AzureEncryptedStorage; datasets: string[] }[];
  /** The site's privatelink.blob zone (AzureBlobPrivateDns), when its storage made one. */
  blobPrivateDnsZoneId?: pulumi.Output<string>;
  where: AzurePlace;
  opts: pulumi.ComponentResourceOptions;
}

/** The on-premises site as declared (nothing in a cloud). */
export interface DeclaredOnPremSite extends DeclaredBase {
  site: OnPremSite;
}

export type DeclaredSite = DeclaredAwsSite | DeclaredAzureSite | DeclaredOnPremSite;
