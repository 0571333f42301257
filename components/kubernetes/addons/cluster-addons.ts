import { DaemonSet } from "@pulumi/kubernetes/apps/v1/daemonSet";
import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1/networkPolicy";
import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  KUEUE_IMAGE,
  KUEUE_MINIMUM_EXISTING,
  KUEUE_NAMES,
  kueueVersionAtLeast,
  taintSchema,
} from "../../facts";
import {
  type AddonNetworkPolicy,
  type AddonTaint,
  type ClusterAddonsArgs,
  input,
  type KueueAddon,
} from "../../kit";
import { componentSubject, nameSchema, parseOrThrow } from "../../validation";
import { type ClusterDns, clusterDnsSchema } from "../cluster-facts";
import { resourceOfKind } from "../kinds";
import { DNS_LABEL, PINNED_IMAGE } from "../spec";
import { declareAwsLoadBalancerController } from "./aws-load-balancer-controller-component";
import { type AddonObject, renderClusterAutoscaler } from "./cluster-autoscaler";
import { renderEfaDevicePlugin } from "./efa-device-plugin";
import { renderKueue } from "./kueue";
import { MIG_STRATEGIES, NvidiaDevicePlugin } from "./nvidia-device-plugin";

export type { AddonTaint, ClusterAddonsArgs, KueueAddon };

const taints = z.array(taintSchema);
/** Kueue's add-on arguments; shared with the stack config, which takes the same fields. */
export const kueueAddonSchema = z.strictObject({
  clusterName: DNS_LABEL,
  image: PINNED_IMAGE.optional(),
  systemPool: z.boolean(),
  existing: z
    .strictObject({
      version: z
        .string()
        .regex(/^v\d+\.\d+\.\d+$/, "is not a Kueue release such as v0.18.1")
        .refine(
          (v) => kueueVersionAtLeast(v),
          `is older than ${KUEUE_MINIMUM_EXISTING}: the library writes kueue.x-k8s.io/v1beta2 objects, which Kueue stores from v0.16; upgrade it, or let the library install its release`,
        ),
      namespace: DNS_LABEL.optional(),
    })
    .optional(),
});
const argsSchema = z.strictObject({
  nvidiaDevicePlugins: z
    .array(
      z.strictObject({
        name: DNS_LABEL,
        pools: z.array(nameSchema).min(1),
        migStrategy: z.enum(MIG_STRATEGIES),
        image: PINNED_IMAGE.optional(),
        taints,
      }),
    )
    .optional(),
  efaDevicePlugin: z
    .strictObject({ pools: z.array(nameSchema).min(1), image: input(PINNED_IMAGE), taints })
    .optional(),
  kueue: kueueAddonSchema.optional(),
  networkPolicies: z
    .array(
      z.strictObject({
        name: DNS_LABEL,
        namespace: DNS_LABEL,
        podLabels: z.record(z.string(), z.string()),
        ingress: z
          .array(z.strictObject({ from: z.array(z.unknown()).min(1), ports: z.array(z.unknown()) }))
          .optional(),
        egress: z
          .array(z.strictObject({ to: z.array(z.unknown()).min(1), ports: z.array(z.unknown()) }))
          .optional(),
      }),
    )
    .optional(),
  clusterAutoscaler: z
    .strictObject({
      clusterName: input(z.string().min(1)),
      region: input(z.string().min(1)),
      image: PINNED_IMAGE,
    })
    .optional(),
  awsLoadBalancerController: z
    .strictObject({
      clusterName: input(z.string().min(1)),
      region: input(z.string().min(1)),
      vpcId: input(z.string().min(1)),
      image: PINNED_IMAGE.optional(),
    })
    .optional(),
});

/** Options of `ClusterAddons`: the provider of the cluster to run on is required. */
export interface ClusterAddonsOptions extends pulumi.ComponentResourceOptions {
  /** The cluster's Kubernetes provider, so nothing lands on whatever the ambient kubeconfig names. */
  provider: Provider;
  /** The DNS the cluster's pods query (a cluster the library did not build), which Kueue's namespace allows; default CoreDNS in kube-system. */
  dns?: ClusterDns;
}

/**
 * The add-ons one cluster needs for placed work to run: the NVIDIA device plugin on GPU pools whose
 * image lacks one (with the MIG strategy the pool needs), the EFA device plugin on EFA pools, and
 * Cluster Autoscaler on EKS so node groups grow from zero when placed work is Pending.
 * Cluster-phase only: it talks to the cluster's API server through `opts.provider`.
 */
export class ClusterAddons extends pulumi.ComponentResource {
  /** Every object declared, by kind and name, so callers can depend on them. */
  public readonly resources: pulumi.Resource[];
  /** Kueue's namespace on this cluster (where MultiKueue reads worker credentials), when it runs Kueue. */
  public readonly kueueNamespace: string | undefined;

  constructor(name: string, args: ClusterAddonsArgs, { dns, ...opts }: ClusterAddonsOptions) {
    const parsed = parseOrThrow(componentSubject("ClusterAddons", name), argsSchema, args);
    if (dns)
      parseOrThrow(componentSubject("ClusterAddons", name), z.strictObject({ dns: clusterDnsSchema }), {
        dns,
      });
    super("hybrid-ai-infra:index:ClusterAddons", name, {}, opts);
    const child = { parent: this, provider: opts.provider };
    const resources: pulumi.Resource[] = [];

    for (const plugin of parsed.nvidiaDevicePlugins ?? []) {
      const { name: pluginName, taints: pluginTaints, ...settings } = plugin;
      resources.push(
        // The component (and DaemonSet) name carries the add-ons' name: unique per cluster and stack.
        new NvidiaDevicePlugin(`${name}-${pluginName}`, { ...settings, tolerations: pluginTaints }, child),
      );
    }
    const efa = parsed.efaDevicePlugin;
    if (efa) {
      const dsName = `${name}-efa-device-plugin`;
      const rendered = pulumi
        .output(efa.image)
        .apply((image) => renderEfaDevicePlugin(dsName, { ...efa, image }));
      resources.push(
        new DaemonSet(
          dsName,
          { metadata: rendered.apply((d) => d.metadata), spec: rendered.apply((d) => d.spec) },
          child,
        ),
      );
    }
    // Before anything that runs on pod networking: with the CNI in strict mode, these are what the
    // system pods may accept and send from their first packet.
    for (const policy of args.networkPolicies ?? []) {
      resources.push(new NetworkPolicy(`${name}-${policy.name}`, networkPolicyArgs(policy), child));
    }
    const autoscaler = parsed.clusterAutoscaler;
    if (autoscaler) {
      const render = (clusterName: string, region: string) =>
        renderClusterAutoscaler({ clusterName, region, image: autoscaler.image });
      const rendered = pulumi
        .all([autoscaler.clusterName, autoscaler.region])
        .apply(([c, r]) => render(c, r));
      // The objects' kinds and fields do not depend on the name and region: declare them from a
      // render with placeholders, filling each field from the real render.
      resources.push(...declareObjects(`${name}-cluster-autoscaler`, render("", ""), rendered, child));
    }
    const kueue = parsed.kueue;
    if (kueue && !kueue.existing) {
      resources.push(
        ...declareKueue(
          `${name}-kueue`,
          renderKueue({
            image: kueue.image ?? KUEUE_IMAGE,
            clusterName: kueue.clusterName,
            systemPool: kueue.systemPool,
            dns,
          }),
          child,
        ),
      );
    }
    const lbc = parsed.awsLoadBalancerController;
    if (lbc)
      resources.push(
        ...declareAwsLoadBalancerController(`${name}-aws-load-balancer-controller`, lbc, this, opts.provider),
      );
    this.resources = resources;
    this.kueueNamespace = kueue ? (kueue.existing?.namespace ?? KUEUE_NAMES.namespace) : undefined;
    this.registerOutputs({});
  }
}

/** A system pod's policy as a NetworkPolicy: only what it lists, in and out. */
function networkPolicyArgs(policy: AddonNetworkPolicy) {
  return {
    metadata: {
      name: policy.name,
      namespace: policy.namespace,
      labels: { "app.kubernetes.io/managed-by": "hybrid-ai-infra" },
    },
    spec: {
      podSelector: { matchLabels: policy.podLabels },
      policyTypes: ["Ingress", "Egress"],
      ingress: policy.ingress ?? [],
      egress: policy.egress ?? [],
    },
  };
}

/**
 * Declares Kueue's objects, named `${prefix}-${kind}-${name}`, in the order the install needs: the
 * namespace, then everything the controller reads (CRDs, RBAC, configuration, Services, webhook
 * configurations its certificate rotator injects into, network policies), then the controller.
 * Returns the controller's Deployment last: it is ready once its webhooks serve.
 */
function declareKueue(
  prefix: string,
  objects: AddonObject[],
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResource[] {
  const declare = (o: AddonObject, dependsOn: pulumi.Resource[]) => {
    const make = resourceOfKind(o.kind, "ClusterAddons");
    const { apiVersion: _v, kind: _k, ...body } = o;
    return new make(`${prefix}-${o.kind.toLowerCase()}-${o.metadata.name}`, body, { ...opts, dependsOn });
  };
  const last = new Set(["Deployment", "PodDisruptionBudget"]);
  const namespace = objects.filter((o) => o.kind === "Namespace").map((o) => declare(o, []));
  const middle = objects
    .filter((o) => o.kind !== "Namespace" && !last.has(o.kind))
    .map((o) => declare(o, namespace));
  const controller = objects
    .filter((o) => last.has(o.kind))
    .map((o) => declare(o, [...namespace, ...middle]));
  return [...namespace, ...middle, ...controller];
}

/**
 * Declares rendered objects as typed resources named `${prefix}-${kind}`, in order: `shape` gives
 * each object's kind and fields, `rendered` their values.
 */
function declareObjects(
  prefix: string,
  shape: AddonObject[],
  rendered: pulumi.Output<AddonObject[]>,
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResource[] {
  const declared: pulumi.CustomResource[] = [];
  shape.forEach((object, index) => {
    const make = resourceOfKind(object.kind, "ClusterAddons");
    const fields = Object.keys(object).filter((k) => k !== "apiVersion" && k !== "kind");
    const body = Object.fromEntries(
      fields.map((field) => [field, rendered.apply((all) => all[index]?.[field])]),
    );
    // Each object waits for the ones before it: the ServiceAccount and RBAC exist before the pod.
    declared.push(
      new make(`${prefix}-${object.kind.toLowerCase()}`, body, { ...opts, dependsOn: [...declared] }),
    );
  });
  return declared;
}
