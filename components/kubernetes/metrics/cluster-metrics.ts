import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { componentSubject, parseOrThrow } from "../../validation";
import { resourceOfKind } from "../kinds";
import { type ClusterMetricsArgs, clusterMetricsSchema } from "./args";
import { type KubeObject, renderClusterMetrics } from "./render";

/** Options of `ClusterMetrics`: the provider of the cluster to run on is required. */
export interface ClusterMetricsOptions extends pulumi.ComponentResourceOptions {
  /** The cluster's Kubernetes provider. */
  provider: Provider;
  /** The remote store's bearer token (secret), mounted into Prometheus; on-premises only. */
  remoteWriteToken?: pulumi.Input<string>;
}

/** Kinds created before the pods that use them. */
const FIRST = new Set([
  "Namespace",
  "ServiceAccount",
  "ClusterRole",
  "ClusterRoleBinding",
  "ConfigMap",
  "Secret",
  "NetworkPolicy",
]);

/**
 * What one cluster runs so its site's store sees placed against used: kube-state-metrics with the
 * placement labels (EKS, on-premises; AKS's add-on runs its own), NVIDIA's DCGM exporter on the
 * GPU pools, the cloud's tunnel exporter, the scraper's configuration (AKS) or an in-cluster
 * Prometheus (on-premises), network policies that admit only the scraper, and the environment's
 * dashboard. Cluster-phase only: it talks to the cluster's API server through `opts.provider`.
 */
export class ClusterMetrics extends pulumi.ComponentResource {
  /** Every object declared, so callers can depend on them. */
  public readonly resources: pulumi.Resource[];

  constructor(name: string, args: ClusterMetricsArgs, opts: ClusterMetricsOptions) {
    const parsed = parseOrThrow(componentSubject("ClusterMetrics", name), clusterMetricsSchema, args);
    super("hybrid-ai-infra:index:ClusterMetrics", name, {}, opts);
    const { provider, remoteWriteToken } = opts;
    const objects = renderClusterMetrics(parsed as ClusterMetricsArgs, remoteWriteToken !== undefined);
    // The namespace first, then what pods use (accounts, roles, configuration, policies), then pods.
    const namespaces: pulumi.Resource[] = [];
    const first: pulumi.Resource[] = [];
    const resources: pulumi.Resource[] = [];
    for (const object of objects) {
      const make = resourceOfKind(object.kind, "ClusterMetrics");
      const { apiVersion: _version, kind, ...body } = object;
      const fields =
        kind === "Secret" && remoteWriteToken !== undefined
          ? { ...body, stringData: secretData(body.stringData, remoteWriteToken) }
          : body;
      const dependsOn = kind === "Namespace" ? [] : FIRST.has(kind) ? namespaces : [...namespaces, ...first];
      const resource = new make(resourceName(name, object), fields, { parent: this, provider, dependsOn });
      if (kind === "Namespace") namespaces.push(resource);
      else if (FIRST.has(kind)) first.push(resource);
      resources.push(resource);
    }
    this.resources = resources;
    this.registerOutputs({});
  }
}

/** The store Secret's data with the token added, secret. */
function secretData(data: unknown, token: pulumi.Input<string>): pulumi.Output<Record<string, string>> {
  return pulumi.secret(
    pulumi
      .output(token)
      .apply((t): Record<string, string> => ({ ...((data as Record<string, string>) ?? {}), token: t })),
  );
}

/** `<component>-<kind>-<object>` (namespace-qualified where two namespaces hold one name). */
function resourceName(component: string, object: KubeObject): string {
  const ns =
    object.metadata.namespace && object.metadata.namespace !== "hybrid-ai-infra-monitoring"
      ? `${object.metadata.namespace}-`
      : "";
  return `${component}-${object.kind.toLowerCase()}-${ns}${object.metadata.name}`;
}

export { type ClusterMetricsArgs, renderClusterMetrics };
