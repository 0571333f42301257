import { Deployment, type DeploymentArgs } from "@pulumi/kubernetes/apps/v1/deployment";
import { ConfigMap } from "@pulumi/kubernetes/core/v1/configMap";
import { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
import { Service } from "@pulumi/kubernetes/core/v1/service";
import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1/networkPolicy";
import { PodDisruptionBudget } from "@pulumi/kubernetes/policy/v1/podDisruptionBudget";
import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { TrafficPlan } from "../../traffic";
import { awsIdSchema, ConfigError, componentSubject, parseOrThrow } from "../../validation";
import { type ClusterDns, clusterDnsSchema } from "../cluster-facts";
import { PINNED_IMAGE } from "../spec";
import { renderSiteTraffic, type TrafficObject } from "./render";

/** Arguments of `SiteGateway`. */
export interface SiteGatewayArgs {
  /** The traffic plan (`planTraffic`), the same one every site renders from. */
  plan: TrafficPlan;
  /** The site (cluster, placement target name) this gateway runs at. */
  site: string;
  /** Each site's trust (private or public), recorded on the gateway for policy. */
  siteTrust: Record<string, "private" | "public">;
  /** AWS: the private subnets the NLBs go in, one per entry address (the VPC's private subnets). */
  subnetIds?: string[];
  /** The HAProxy image, pinned; default `GATEWAY_IMAGE` (a mirror where nodes cannot reach Docker Hub). */
  image?: string;
  /** Gateway replicas, at least 2; default 2. */
  replicas?: number;
  /** The DNS the cluster's pods query (a cluster the library did not build); default CoreDNS in kube-system. */
  dns?: ClusterDns;
}

/** Options of `SiteGateway`: the provider of the site's cluster is required. */
export interface SiteGatewayOptions extends pulumi.ComponentResourceOptions {
  /** The cluster's Kubernetes provider. */
  provider: Provider;
}

const argsSchema = z.looseObject({
  site: z.string().min(1),
  subnetIds: z.array(awsIdSchema("subnet")).min(1).optional(),
  image: PINNED_IMAGE.optional(),
  dns: clusterDnsSchema.optional(),
  replicas: z
    .number()
    .int()
    .min(2, "keep at least two gateways: a site whose gateway is down loses the names")
    .max(20)
    .optional(),
});

/**
 * One site's share of cross-site traffic, in the cluster phase: its gateway (HAProxy, config from
 * the plan in a ConfigMap, restricted and non-root on a read-only root, its own internal load
 * balancer for the site's clients) and the internal load balancer entries of the services with a
 * copy here that other sites' gateways use, each admitting only their networks. Declare it after
 * the placed workloads (their namespaces) and, on EKS, after the AWS Load Balancer Controller.
 */
export class SiteGateway extends pulumi.ComponentResource {
  /** The addresses the site's clients reach the gateway at (what its DNS answers for the names). */
  public readonly addresses: pulumi.Output<string[]>;

  constructor(name: string, args: SiteGatewayArgs, opts: SiteGatewayOptions) {
    const subject = componentSubject("SiteGateway", name);
    parseOrThrow(subject, argsSchema, args);
    if (!args.plan.entryRanges[args.site])
      throw new ConfigError(subject, [
        { path: "site", message: `"${args.site}" has no entry range in the plan; plan it with its site` },
      ]);
    if (args.plan.entryRanges[args.site]?.kind === "aws" && !args.subnetIds)
      throw new ConfigError(subject, [
        {
          path: "subnetIds",
          message: "is required on AWS: the NLBs take one pinned address in each private subnet",
        },
      ]);
    super("hybrid-ai-infra:index:SiteGateway", name, {}, opts);
    const objects = renderSiteTraffic({
      plan: args.plan,
      site: args.site,
      siteTrust: args.siteTrust,
      ...(args.subnetIds ? { subnetIds: args.subnetIds } : {}),
      ...(args.image ? { image: args.image } : {}),
      ...(args.dns ? { dns: args.dns } : {}),
      ...(args.replicas ? { replicas: args.replicas } : {}),
    });
    const base = { parent: this, provider: opts.provider };
    let namespace: Namespace | undefined;
    const guards: pulumi.Resource[] = [];
    const id = (o: TrafficObject) =>
      [name, o.kind.toLowerCase(), o.metadata.namespace, o.metadata.name].filter(Boolean).join("-");
    // The namespace first, its network policies and config before the pods.
    for (const o of objects) {
      const { apiVersion: _v, kind: _k, ...body } = o;
      const inNamespace = { ...base, dependsOn: namespace ? [namespace] : [] };
      switch (o.kind) {
        case "Namespace":
          namespace = new Namespace(id(o), body, base);
          break;
        case "NetworkPolicy":
          guards.push(new NetworkPolicy(id(o), body, inNamespace));
          break;
        case "ConfigMap":
          guards.push(new ConfigMap(id(o), body, inNamespace));
          break;
        case "PodDisruptionBudget":
          new PodDisruptionBudget(id(o), body, inNamespace);
          break;
        default:
          break;
      }
    }
    for (const o of objects) {
      const { apiVersion: _v, kind: _k, ...body } = o;
      if (o.kind === "Deployment")
        new Deployment(id(o), body as unknown as DeploymentArgs, {
          ...base,
          dependsOn: [...(namespace ? [namespace] : []), ...guards],
        });
      if (o.kind === "Service")
        new Service(id(o), body, {
          ...base,
          dependsOn: namespace ? [namespace] : [],
          // The cloud fills in its addresses; a pinned one that is taken never becomes ready.
          customTimeouts: { create: "15m", update: "15m" },
        });
    }
    this.addresses = pulumi.output(args.plan.gateways.find((g) => g.site === args.site)?.addresses ?? []);
    this.registerOutputs({ addresses: this.addresses });
  }
}
