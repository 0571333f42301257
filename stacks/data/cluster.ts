import type { Provider } from "@pulumi/kubernetes/provider";
import type * as pulumi from "@pulumi/pulumi";
import { type ClusterDns, DataCopies, type DataCopySpec } from "../../components/kubernetes";
import type { Pool, Trust } from "../../components/placement";

/** A cluster's copies as the platform stack exports them (plain values once read back). */
export interface ClusterCopiesView {
  image: string;
  pool: Pick<Pool, "name" | "labels" | "taints">;
  /** The cluster's trust, which the copies' pods record. */
  trust: Trust;
  namespace: string;
  copies: DataCopySpec[];
}

/**
 * The cluster phase's data copies: on each cluster that runs some, its backups, restore drills and
 * staging as rclone Jobs (`DataCopies`), exactly as the platform phase decided them.
 */
export function declareDataCopies(
  clusters: Record<string, ClusterCopiesView>,
  providers: ReadonlyMap<string, Provider>,
  /** Each cluster's stated DNS (its published facts), which the copies' DNS rule admits. */
  dnsOf: (cluster: string) => { dns?: ClusterDns },
  opts: pulumi.ComponentResourceOptions = {},
): DataCopies[] {
  return Object.entries(clusters)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([cluster, view]) => {
      const provider = providers.get(cluster);
      if (!provider)
        throw new Error(`the platform runs data copies on ${cluster}, which this phase has no provider for`);
      if (view.copies.length === 0) return [];
      return [
        new DataCopies(
          `${cluster}-data`,
          {
            cluster,
            image: view.image,
            pool: view.pool,
            trust: view.trust,
            namespace: view.namespace,
            copies: view.copies,
            ...dnsOf(cluster),
            provider,
          },
          opts,
        ),
      ];
    });
}
