import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { ResourceGroup } from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import {
  AzureBlobPrivateDns,
  AzureEncryptedStorage,
  AzurePrivateCluster,
  AzureVnet,
  AzureVpnGateway,
} from "../../components/azure";
import { awsAzureApipa, azureOnPremApipa } from "../../components/facts";
import { type CommonArgs, resolveCommon } from "../../components/kit";
import type { AzureSite, Sites } from "../config";
import type { AzurePlace, DeclaredAzureSite, SiteVpnEnd } from "./declared";
import { placementOf } from "./targets";

/**
 * The Azure site: its provider, resource group, VNet, private AKS cluster, storage accounts and,
 * when linked, VPN gateway.
 */
export function declareAzureSite(site: AzureSite, sites: Sites, common: CommonArgs): DeclaredAzureSite {
  const { config } = site;
  const c = config.cluster;
  const { environment, tags, protectData } = resolveCommon(common);
  const provider = new AzureProvider("azure", { location: site.region });
  const opts = { providers: { "azure-native": provider } };
  // The resource group holds every Azure resource of the site: deleting it deletes them all.
  // A named group is created under that exact name (a deployer limited to a pre-created group
  // imports it, see docs); otherwise Azure's auto-naming adds a suffix to the default.
  const group = new ResourceGroup(
    config.resourceGroupName ?? `${c.name}-${environment}-rg`,
    {
      ...(config.resourceGroupName ? { resourceGroupName: config.resourceGroupName } : {}),
      location: site.region,
      tags,
    },
    { provider, protect: protectData, retainOnDelete: protectData },
  );
  const where: AzurePlace = { resourceGroupName: group.name, location: site.region };
  // Hybrid DNS needs the resolver's subnets where a link joins the site.
  const apiClients = apiServerClientCidrs(sites, config.network.apiServerSubnet);
  const vnet = new AzureVnet(
    `${c.name}-vnet`,
    {
      ...common,
      ...where,
      ...config.network,
      ...(site.linked ? { dnsResolverSubnets: true } : {}),
      ...(apiClients ? { apiServerClientCidrs: apiClients } : {}),
    },
    opts,
  );
  // workloadSecrets is the cluster phase's (published as the cluster's facts), not the cluster's.
  const {
    name: _name,
    encryptionAtHost,
    nodePools,
    kueueImage,
    workloadSecrets: _secrets,
    ...clusterArgs
  } = c;
  const cluster = new AzurePrivateCluster(
    c.name,
    {
      ...common,
      ...where,
      ...clusterArgs,
      ...(encryptionAtHost === undefined
        ? { nodePools }
        : {
            systemPool: { encryptionAtHost },
            nodePools: nodePools.map((p) => ({ encryptionAtHost, ...p })),
          }),
      network: vnet,
      placement: placementOf(site, sites),
      // Azure Monitor managed Prometheus: the stack's monitoring associates it with its workspace.
      managedPrometheus: sites.config.monitoring?.enabled !== false,
    },
    opts,
  );
  const { accounts: storage, blobPrivateDnsZoneId } = declareStorage(site, common, {
    ...where,
    network: vnet,
    logAnalyticsWorkspaceId: cluster.logAnalyticsWorkspaceId,
    opts,
  });
  const vpn = azureVpnEnd(site, sites, vnet, where, common, opts);
  return {
    site,
    vnet,
    cluster,
    where,
    opts,
    storage: storage.map(({ account }, i) => ({
      account,
      datasets: site.stores[i]?.datasets ?? [],
    })),
    ...(blobPrivateDnsZoneId ? { blobPrivateDnsZoneId } : {}),
    ...(vpn ? { vpn } : {}),
    target: cluster.placementTarget,
    addons: {
      ...cluster.addons,
      kueue: { clusterName: site.name, systemPool: true, ...(kueueImage ? { image: kueueImage } : {}) },
    },
    clusterOutputs: {
      cloud: "azure",
      name: cluster.clusterName,
      resourceGroupName: cluster.resourceGroupName,
      privateFqdn: cluster.privateFqdn,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      kubeconfig: cluster.kubeconfig,
    },
    buckets: Object.fromEntries(
      storage.map(({ name, account }) => [
        name,
        {
          cloud: "azure",
          name: account.accountName,
          id: account.accountId,
          blobEndpoint: account.blobEndpoint,
          datasets: account.datasets,
        },
      ]),
    ),
    network: {
      key: "azure",
      outputs: {
        virtualNetworkId: vnet.virtualNetworkId,
        addressSpace: vnet.addressSpace,
        resourceGroupName: group.name,
      },
    },
  };
}

/**
 * The site's storage accounts. They share the cluster's Log Analytics workspace, and the site's
 * one privatelink.blob zone and VNet link (Azure allows one link per zone name and VNet), which
 * belong to the site, not to an account: removing any account leaves the others resolving.
 */
function declareStorage(
  site: AzureSite,
  common: CommonArgs,
  shared: AzurePlace & {
    network: AzureVnet;
    logAnalyticsWorkspaceId: pulumi.Input<string>;
    opts: pulumi.ComponentResourceOptions;
  },
): {
  accounts: { name: string; account: AzureEncryptedStorage }[];
  blobPrivateDnsZoneId?: pulumi.Output<string>;
} {
  const { opts, ...where } = shared;
  const accounts = site.config.storage ?? [];
  const first = accounts[0]?.name;
  if (first === undefined) return { accounts: [] };
  const zone = new AzureBlobPrivateDns(
    `${site.name}-blob-dns`,
    {
      ...common,
      resourceGroupName: where.resourceGroupName,
      virtualNetworkId: shared.network.virtualNetworkId,
    },
    { ...opts, transformations: [keepFirstAccountZone(first)] },
  );
  return {
    accounts: accounts.map(({ name, ...args }, i) => ({
      name,
      account: new AzureEncryptedStorage(
        name,
        {
          ...common,
          ...where,
          ...args,
          datasets: site.stores[i]?.datasets ?? [],
          privateDnsZoneId: zone.privateDnsZoneId,
        },
        opts,
      ),
    })),
    blobPrivateDnsZoneId: zone.privateDnsZoneId,
  };
}

/**
 * The zone and its link were children of the first storage account (`<account>-blob-dns`) before
 * they moved to the site: aliases keep them, so the move deletes and recreates nothing (a
 * recreated zone would drop every account's record until the endpoints re-register).
 */
export function keepFirstAccountZone(account: string): pulumi.ResourceTransformation {
  const formerParent = pulumi.createUrn(account, "hybrid-ai-infra:index:AzureEncryptedStorage");
  return ({ type, props, opts }) =>
    type === "azure-native:privatedns:PrivateZone" || type === "azure-native:privatedns:VirtualNetworkLink"
      ? {
          props,
          opts: pulumi.mergeOptions(opts, {
            aliases: [{ name: `${account}-blob-dns`, parent: formerParent }],
          }),
        }
      : undefined;
}

/**
 * The Azure site's VPN gateway, when a link joins the site: in the VNet's GatewaySubnet, with the
 * custom APIPA addresses of every link that ends on it (the link's slot decides them).
 */
function azureVpnEnd(
  site: AzureSite,
  sites: Sites,
  vnet: AzureVnet,
  where: AzurePlace,
  common: CommonArgs,
  opts: pulumi.ComponentResourceOptions,
): SiteVpnEnd | undefined {
  if (!site.linked) return undefined;
  const apipa: [string[], string[]] = [[], []];
  for (const link of sites.links) {
    if (link.pair !== "aws-azure" && link.pair !== "azure-onprem") continue;
    const [zero, one] = link.pair === "aws-azure" ? awsAzureApipa(link.slot) : azureOnPremApipa(link.slot);
    apipa[0].push(...zero);
    apipa[1].push(...one);
  }
  const gateway = new AzureVpnGateway(
    `${site.name}-vpn`,
    {
      ...common,
      ...where,
      gatewaySubnetId: vnet.gatewaySubnetId.apply((id) => {
        if (!id) throw new Error("the Azure VNet has no GatewaySubnet for its VPN gateway");
        return id;
      }),
      apipaAddresses: apipa,
    },
    opts,
  );
  return { end: { site: "azure", name: "azure", gateway, networks: [site.addressSpace] }, opts };
}

/**
 * Who may call the AKS API server from outside the VNet (API server VNet integration): the ranges
 * the cluster phase runs from (`deploy.cidrs`) when it runs from another site over a VPN link, none
 * when it runs inside the VNet; the peers' other hosts and pods have no business with the API (as
 * for EKS). Undefined without a deploy section, or without the API server subnet (a private
 * endpoint then, which no NSG of the library filters).
 */
export function apiServerClientCidrs(
  sites: Sites,
  apiServerSubnet: boolean | undefined,
): string[] | undefined {
  const deploy = sites.config.deploy;
  if (!deploy || apiServerSubnet === false) return undefined;
  return deploy.from === "azure" ? [] : [...deploy.cidrs];
}
