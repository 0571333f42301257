import { z } from "zod";
import { parseOrThrow } from "../../validation";

/**
 * The public zones under which the clouds' private endpoints answer with private addresses, and so
 * the zones another site must forward to that cloud's inbound resolver. `{region}` is the AWS
 * region or Azure location. Public names are forwarded, not the privatelink.* zones they CNAME to:
 * clients ask for the public name, and only the cloud's resolver follows the CNAME privately.
 */
export const CLOUD_PRIVATE_ZONES = [
  // With the public endpoint off, public DNS already answers the cluster's name with its VPC
  // addresses (EKS user guide, "Cluster private endpoint"); forwarded anyway, so an on-premises
  // resolver without internet DNS resolves it too, through the tunnel (`forward-first: no`: while
  // the tunnel is down the name does not resolve, and the endpoint is unreachable anyway).
  { cloud: "aws", service: "EKS API (private endpoint)", zone: "{region}.eks.amazonaws.com" },
  // A storage account's name CNAMEs to privatelink.blob.core.windows.net, private in the VNet.
  { cloud: "azure", service: "Blob storage (private endpoint)", zone: "blob.core.windows.net" },
  // A private AKS API server lives in privatelink.{region}.azmk8s.io.
  { cloud: "azure", service: "AKS API (private cluster)", zone: "{region}.azmk8s.io" },
  // AMP's workspaces (queries, remote write) through the VPC's aps-workspaces interface endpoint.
  {
    cloud: "aws",
    service: "AMP workspaces (interface endpoint)",
    zone: "aps-workspaces.{region}.amazonaws.com",
  },
  // An Azure Monitor workspace's query endpoint CNAMEs to privatelink.{region}.prometheus.monitor.azure.com.
  {
    cloud: "azure",
    service: "Azure Monitor workspace queries (private endpoint)",
    zone: "{region}.prometheus.monitor.azure.com",
  },
] as const;

/** Where the clouds are: the AWS region and the Azure location, for the sites that exist. */
export interface CloudPrivateZonesArgs {
  /** AWS region of the EKS cluster, e.g. eu-west-1. */
  awsRegion?: string;
  /** Azure location of the AKS cluster and storage, e.g. westeurope. */
  azureLocation?: string;
}

/** Zone names (no trailing dot) to forward to each cloud's inbound resolver. */
export interface CloudPrivateZones {
  aws: string[];
  azure: string[];
}

const argsSchema = z.strictObject({
  awsRegion: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "is not an AWS region such as eu-west-1")
    .optional(),
  azureLocation: z
    .string()
    .regex(/^[a-z0-9]+$/, "is not an Azure location such as westeurope")
    .optional(),
});

/**
 * The zones each cloud's resolver must answer for other sites: the on-premises resolver forwards
 * both lists, Route 53 Resolver forwards `azure` and the Azure ruleset forwards `aws`. A cloud
 * whose region is not given has no zones.
 */
export function cloudPrivateZones(args: CloudPrivateZonesArgs): CloudPrivateZones {
  const parsed = parseOrThrow("cloudPrivateZones", argsSchema, args);
  const regions = { aws: parsed.awsRegion, azure: parsed.azureLocation };
  const zones: CloudPrivateZones = { aws: [], azure: [] };
  for (const { cloud, zone } of CLOUD_PRIVATE_ZONES) {
    const region = regions[cloud];
    if (region !== undefined) zones[cloud].push(zone.replace("{region}", region));
  }
  return zones;
}
