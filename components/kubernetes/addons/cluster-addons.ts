import { DaemonSet } from "@pulumi/kubernetes/apps/v1/daemonSet";
import { Deployment } from "@pulumi/kubernetes/apps/v1/deployment";
import { ServiceAccount } from "@pulumi/kubernetes/core/v1/serviceAccount";
import type { Provider } from "@pulumi/kubernetes/provider";
import { ClusterRole } from "@pulumi/kubernetes/rbac/v1/clusterRole";
import { ClusterRoleBinding } from "@pulumi/kubernetes/rbac/v1/clusterRoleBinding";
import { Role } from "@pulumi/kubernetes/rbac/v1/role";
import { RoleBinding } from "@pulumi/kubernetes/rbac/v1/roleBinding";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { taintSchema } from "../../facts";
import { input } from "../../kit";
import { componentSubject, nameSchema, parseOrThrow } from "../../validation";
import { DNS_LABEL, PINNED_IMAGE } from "../spec";
import { type AddonObject, renderClusterAutoscaler } from "./cluster-autoscaler";
import { renderEfaDevicePlugin } from "./efa-device-plugin";
import { MIG_STRATEGIES, type MigStrategy, NvidiaDevicePlugin } from "./nvidia-device-plugin";

/** A pool's taint, as the add-ons tolerate it. */
export interface AddonTaint {
  /** Taint key. */
  key: string;
  /** Taint value; absent matches any. */
  value?: string;
  /** Taint effect. */
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/**
 * What one cluster must run before placed work can schedule. Each cluster component computes it
 * from its own pools (`addons` output), the cluster phase renders it.
 */
export interface ClusterAddonsArgs {
  /**
   * NVIDIA device plugins: one DaemonSet per entry, on the listed pools (the GPU pools whose image
   * ships no plugin), with the MIG strategy those pools need.
   */
  nvidiaDevicePlugins?: {
    /** DaemonSet name (a DNS label). */
    name: string;
    /** Pools to run on. */
    pools: string[];
    /** `single` on MIG pools, `none` elsewhere. */
    migStrategy: MigStrategy;
    /** Image, pinned; default NVIDIA's release. */
    image?: string;
    /** Taints of those pools besides the GPU, spot and system taints. */
    taints: AddonTaint[];
  }[];
  /** AWS's EFA device plugin on the EFA pools. */
  efaDevicePlugin?: {
    /** Pools whose nodes have EFA interfaces. */
    pools: string[];
    /** The regional EKS registry's image, pinned. */
    image: pulumi.Input<string>;
    /** Taints those pools carry. */
    taints: AddonTaint[];
  };
  /** Cluster Autoscaler (EKS managed node groups), running as the Pod Identity-bound ServiceAccount. */
  clusterAutoscaler?: {
    /** EKS cluster name (auto-discovery tag). */
    clusterName: pulumi.Input<string>;
    /** AWS region. */
    region: pulumi.Input<string>;
    /** Image, pinned, matching the cluster's Kubernetes minor version. */
    image: string;
  };
}

const taints = z.array(taintSchema);
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
  clusterAutoscaler: z
    .strictObject({
      clusterName: input(z.string().min(1)),
      region: input(z.string().min(1)),
      image: PINNED_IMAGE,
    })
    .optional(),
});

/** Options of `ClusterAddons`: the provider of the cluster to run on is required. */
export interface ClusterAddonsOptions extends pulumi.ComponentResourceOptions {
  /** The cluster's Kubernetes provider, so nothing lands on whatever the ambient kubeconfig names. */
  provider: Provider;
}

type Constructor = new (
  name: string,
  args: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions,
) => pulumi.CustomResource;

/** The typed Pulumi resource for each kind the add-ons render. */
const KINDS: Record<string, Constructor> = {
  ServiceAccount: ServiceAccount as unknown as Constructor,
  ClusterRole: ClusterRole as unknown as Constructor,
  ClusterRoleBinding: ClusterRoleBinding as unknown as Constructor,
  Role: Role as unknown as Constructor,
  RoleBinding: RoleBinding as unknown as Constructor,
  Deployment: Deployment as unknown as Constructor,
};

/**
 * The add-ons one cluster needs for placed work to run: the NVIDIA device plugin on GPU pools whose
 * image lacks one (with the MIG strategy the pool needs), the EFA device plugin on EFA pools, and
 * Cluster Autoscaler on EKS so node groups grow from zero when placed work is Pending.
 * Cluster-phase only: it talks to the cluster's API server through `opts.provider`.
 */
export class ClusterAddons extends pulumi.ComponentResource {
  /** Every object declared, by kind and name, so callers can depend on them. */
  public readonly resources: pulumi.Resource[];

  constructor(name: string, args: ClusterAddonsArgs, opts: ClusterAddonsOptions) {
    const parsed = parseOrThrow(componentSubject("ClusterAddons", name), argsSchema, args);
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
    this.resources = resources;
    this.registerOutputs({});
  }
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
    const make = KINDS[object.kind];
    if (!make) throw new Error(`ClusterAddons renders no ${object.kind}; add it to KINDS`);
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
