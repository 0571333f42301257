import type * as pulumi from "@pulumi/pulumi";
import type { CommonArgs } from "../../components/kit";
import { OnPremCluster } from "../../components/onprem";
import type { OnPremSite, Sites } from "../config";
import type { DeclaredOnPremSite, SiteVpnEnd } from "./declared";
import { placementOf } from "./targets";

/** The on-premises site: an existing cluster (nothing in a cloud) and, when linked, its router as a VPN end. */
export function declareOnPremSite(
  site: OnPremSite,
  sites: Sites,
  common: CommonArgs,
  kubeconfig: pulumi.Output<string>,
): DeclaredOnPremSite {
  const cluster = new OnPremCluster(site.name, {
    ...common,
    kubeconfig,
    context: site.config.context,
    pools: site.config.pools,
    ...(site.config.cluster?.gpu ? { gpu: site.config.cluster.gpu } : {}),
    placement: placementOf(site, sites),
  });
  const vpn = onPremVpnEnd(site);
  return {
    site,
    target: cluster.placementTarget,
    // An existing cluster: its owners run its device plugins and capacity. Kueue is installed
    // (no system pool here: the controller runs where the scheduler puts it), or configured where
    // the cluster already runs one.
    addons: {
      kueue: {
        clusterName: site.name,
        systemPool: false,
        ...(site.config.kueue?.image ? { image: site.config.kueue.image } : {}),
        ...(site.config.kueue?.existing ? { existing: site.config.kueue.existing } : {}),
      },
    },
    ...(vpn ? { vpn } : {}),
    clusterOutputs: {
      cloud: "onprem",
      name: site.name,
      kubeconfig: cluster.kubeconfig,
      ...(cluster.context ? { context: cluster.context } : {}),
    },
    buckets: {},
  };
}

/** The on-premises site's end of its links: its router, as config describes it. */
function onPremVpnEnd(site: OnPremSite): SiteVpnEnd | undefined {
  const router = site.config.router;
  if (!router || !site.networkCidr || !site.linked) return undefined;
  return {
    end: {
      site: "onprem",
      name: site.name,
      publicIp: router.publicIp,
      asn: router.asn,
      networks: [site.networkCidr],
    },
    opts: {},
  };
}
