import { DaemonSet } from "@pulumi/kubernetes/apps/v1/daemonSet";
import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { GPU_TAINT, LABEL_GPU_MODEL, MIG_STRATEGIES, type MigStrategy, taintSchema } from "../../facts";

export { MIG_STRATEGIES, type MigStrategy };

import { componentSubject, nameSchema, parseOrThrow } from "../../validation";
import type { DaemonSetObject } from "../objects";
import { DNS_LABEL, PINNED_IMAGE, QUANTITY } from "../spec";
import { renderNodeAgent, tolerationsFor } from "./node-agent";

// GPU nodes on EKS (the AL2023 NVIDIA AMI) and AKS (gpuDriver "Install") come with the driver and
// container toolkit, but the kubelet advertises no `nvidia.com/gpu` until NVIDIA's device plugin
// runs on the node: without it every GPU pod stays Pending. Bottlerocket's NVIDIA images ship the
// plugin in the OS, so their pools must not get a second one.

/**
 * The device plugin image by default: NVIDIA's release v0.20.0, pinned so a deploy repeats. It
 * drifts outside this library: check https://github.com/NVIDIA/k8s-device-plugin/releases and
 * override `image` to move ahead of this pin. nvcr.io is not an ECR pull-through upstream: a
 * cluster without internet egress needs the image copied to a registry it reaches.
 */
export const NVIDIA_DEVICE_PLUGIN_IMAGE = "nvcr.io/nvidia/k8s-device-plugin:v0.20.0";

/** Where the kubelet listens for device plugins: the plugin registers its socket here. */
const DEVICE_PLUGIN_DIR = "/var/lib/kubelet/device-plugins";

/**
 * The taints GPU nodes carry in this library, always tolerated: the NVIDIA GPU taint (any value),
 * the taint AKS puts on spot nodes (`AKS_SPOT_TAINT` in components/azure; repeated here so
 * Kubernetes code does not load the Azure SDK), and the system-pool taint.
 */
const GPU_NODE_TAINTS = [
  { key: GPU_TAINT.key, effect: GPU_TAINT.effect },
  { key: "kubernetes.azure.com/scalesetpriority", value: "spot", effect: "NoSchedule" },
  { key: "CriticalAddonsOnly", effect: "NoSchedule" },
];

const DEFAULT_REQUESTS = { cpu: "50m", memory: "64Mi" } as const;

/** Arguments of `NvidiaDevicePlugin`; every field has a default. */
export interface NvidiaDevicePluginArgs {
  /** Device plugin image, pinned by tag or digest. Default `NVIDIA_DEVICE_PLUGIN_IMAGE`. */
  image?: string;
  /**
   * Namespace to run in; default `kube-system`, which exists on every cluster and admits the
   * host path and the `system-node-critical` priority (a namespace enforcing the restricted Pod
   * Security profile refuses both). It is not created here.
   */
  namespace?: string;
  /**
   * Pools (values of the `hybrid-ai-infra.io/pool` node label) to run on: the GPU pools whose node
   * image lacks a device plugin. Default: every node labelled with a GPU model.
   */
  pools?: string[];
  /** MIG strategy: `single` on MIG-partitioned pools, `none` (default) elsewhere. */
  migStrategy?: MigStrategy;
  /**
   * Taints the GPU nodes carry besides the NVIDIA GPU taint, AKS's spot taint and the system
   * taint (all always tolerated), e.g. a pool's own extra taints. Without `value` any value matches.
   */
  tolerations?: { key: string; value?: string; effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute" }[];
  /** CPU and memory the plugin requests per node. Default 50m and 64Mi. */
  requests?: { cpu?: string; memory?: string };
}

/** Options of `NvidiaDevicePlugin`: the provider of the cluster to run on is required. */
export interface NvidiaDevicePluginOptions extends pulumi.ComponentResourceOptions {
  /**
   * The cluster's Kubernetes provider. Required, so the DaemonSet never lands on whatever cluster
   * the ambient kubeconfig points at.
   */
  provider: Provider;
}

const argsSchema = z.strictObject({
  image: PINNED_IMAGE.optional(),
  namespace: DNS_LABEL.optional(),
  pools: z.array(nameSchema).optional(),
  migStrategy: z.enum(MIG_STRATEGIES).optional(),
  tolerations: z.array(taintSchema).optional(),
  requests: z.strictObject({ cpu: QUANTITY.optional(), memory: QUANTITY.optional() }).optional(),
});

/**
 * The device plugin DaemonSet as plain data (the API's own field names), for the component and
 * for schema validation in tests. `name` names the DaemonSet and must be a DNS label.
 */
export function renderNvidiaDevicePlugin(name: string, args: NvidiaDevicePluginArgs = {}): DaemonSetObject {
  const mig = args.migStrategy === "single";
  return renderNodeAgent({
    name,
    namespace: args.namespace ?? "kube-system",
    app: "nvidia-device-plugin",
    image: args.image ?? NVIDIA_DEVICE_PLUGIN_IMAGE,
    ...(args.pools ? { pools: args.pools } : {}),
    // Every GPU pool labels its nodes with their GPU model; nodes without one have nothing to advertise.
    fallbackLabel: LABEL_GPU_MODEL,
    tolerations: tolerationsFor([...GPU_NODE_TAINTS, ...(args.tolerations ?? [])]),
    env: mig
      ? [
          { name: "MIG_STRATEGY", value: "single" },
          // NVIDIA's chart sets this with any MIG strategy: the plugin watches every MIG device.
          { name: "NVIDIA_MIG_MONITOR_DEVICES", value: "all" },
        ]
      : [],
    requests: {
      cpu: args.requests?.cpu ?? DEFAULT_REQUESTS.cpu,
      memory: args.requests?.memory ?? DEFAULT_REQUESTS.memory,
    },
    // The socket directory is root's, so it runs as root; MIG monitoring needs SYS_ADMIN (as in
    // NVIDIA's chart), nothing else gets a capability.
    securityContext: mig
      ? { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } }
      : { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    hostPaths: [{ name: "device-plugin", path: DEVICE_PLUGIN_DIR }],
  });
}

/**
 * NVIDIA's device plugin on one cluster's GPU nodes, so the kubelet advertises `nvidia.com/gpu` and
 * GPU pods can schedule. It runs on every node labelled with a GPU model (`LABEL_GPU_MODEL`),
 * tolerates the GPU taint and AKS's spot taint, and deploys through the provider in `opts`.
 */
export class NvidiaDevicePlugin extends pulumi.ComponentResource {
  /** The DaemonSet: depend on it before scheduling GPU work onto a new cluster. */
  public readonly daemonSet: DaemonSet;

  constructor(name: string, args: NvidiaDevicePluginArgs, opts: NvidiaDevicePluginOptions) {
    const subject = componentSubject("NvidiaDevicePlugin", name);
    // The component name is the DaemonSet's name, so it is checked beside the args.
    const parsed = parseOrThrow(subject, argsSchema.extend({ name: DNS_LABEL }), { ...args, name });
    super("hybrid-ai-infra:index:NvidiaDevicePlugin", name, {}, opts);

    const { name: _name, ...checked } = parsed;
    const daemonSet = renderNvidiaDevicePlugin(name, checked);
    this.daemonSet = new DaemonSet(
      name,
      { metadata: daemonSet.metadata, spec: daemonSet.spec },
      { parent: this, provider: opts.provider },
    );
    this.registerOutputs({ daemonSet: this.daemonSet });
  }
}
