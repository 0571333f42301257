import { DaemonSet } from "@pulumi/kubernetes/apps/v1/daemonSet";
import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  componentSubject,
  GPU_TAINT,
  LABEL_GPU_MODEL,
  labelKeySchema,
  labelValueSchema,
  parseOrThrow,
} from "../pulumi-free";
import type { DaemonSetObject } from "./objects";
import { DNS_LABEL, PINNED_IMAGE } from "./spec";

// GPU nodes on EKS (the AL2023 NVIDIA AMI) and AKS (gpuDriver "Install") come with the driver and
// container toolkit, but the kubelet advertises no `nvidia.com/gpu` until NVIDIA's device plugin
// runs on the node: without it every GPU pod stays Pending. This is that DaemonSet, on GPU nodes only.

/**
 * The device plugin image by default: NVIDIA's release v0.20.0, pinned so a deploy repeats. It
 * drifts outside this library: check https://github.com/NVIDIA/k8s-device-plugin/releases and
 * override `image` to move ahead of this pin.
 */
export const NVIDIA_DEVICE_PLUGIN_IMAGE = "nvcr.io/nvidia/k8s-device-plugin:v0.20.0";

/** Where the kubelet listens for device plugins: the plugin registers its socket here. */
const DEVICE_PLUGIN_DIR = "/var/lib/kubelet/device-plugins";

/**
 * The taints of the GPU nodes the plugin must run on, as tolerations: the NVIDIA GPU taint every
 * GPU pool carries (any value), and the taint AKS puts on spot nodes (`AKS_SPOT_TAINT` in
 * components/azure; repeated here so Kubernetes code does not load the Azure SDK).
 */
const GPU_NODE_TOLERATIONS: DaemonSetObject["spec"]["template"]["spec"]["tolerations"] = [
  { key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect },
  { key: "kubernetes.azure.com/scalesetpriority", operator: "Equal", value: "spot", effect: "NoSchedule" },
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
   * Taints the GPU nodes carry besides the NVIDIA GPU taint and AKS's spot taint (both always
   * tolerated), e.g. a pool's own extra taints. A toleration without `value` matches any value.
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

const QUANTITY = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|k|M|G)?$/, "is not a Kubernetes quantity, e.g. 50m or 64Mi");

const argsSchema = z.strictObject({
  image: PINNED_IMAGE.optional(),
  namespace: DNS_LABEL.optional(),
  tolerations: z
    .array(
      z.strictObject({
        key: labelKeySchema,
        value: labelValueSchema.optional(),
        effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
      }),
    )
    .optional(),
  requests: z.strictObject({ cpu: QUANTITY.optional(), memory: QUANTITY.optional() }).optional(),
});

/**
 * The device plugin DaemonSet as plain data (the API's own field names), for the component and
 * for schema validation in tests. `name` names the DaemonSet and must be a DNS label.
 */
export function renderNvidiaDevicePlugin(name: string, args: NvidiaDevicePluginArgs = {}): DaemonSetObject {
  const selector = { "app.kubernetes.io/name": "nvidia-device-plugin", "app.kubernetes.io/instance": name };
  const labels = { ...selector, "app.kubernetes.io/managed-by": "hybrid-ai-infra" };
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace: args.namespace ?? "kube-system", labels },
    spec: {
      selector: { matchLabels: selector },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels },
        spec: {
          nodeSelector: { "kubernetes.io/os": "linux" },
          // Every GPU pool labels its nodes with their GPU model; nodes without one have nothing to advertise.
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: LABEL_GPU_MODEL, operator: "Exists" }] }],
              },
            },
          },
          tolerations: [
            ...GPU_NODE_TOLERATIONS,
            ...(args.tolerations ?? []).map((t) => ({
              key: t.key,
              operator: t.value === undefined ? "Exists" : "Equal",
              ...(t.value === undefined ? {} : { value: t.value }),
              effect: t.effect,
            })),
          ],
          // Evicting it under node pressure would strand every GPU pod on the node.
          priorityClassName: "system-node-critical",
          // It talks to the kubelet through its socket directory, never to the API server.
          automountServiceAccountToken: false,
          containers: [
            {
              name: "nvidia-device-plugin",
              image: args.image ?? NVIDIA_DEVICE_PLUGIN_IMAGE,
              // Requests only: a memory limit could OOM-kill the plugin, and with it every GPU on the node.
              resources: {
                requests: {
                  cpu: args.requests?.cpu ?? DEFAULT_REQUESTS.cpu,
                  memory: args.requests?.memory ?? DEFAULT_REQUESTS.memory,
                },
              },
              // The socket directory is root's, so it runs as root, but with no capabilities to add.
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
              volumeMounts: [{ name: "device-plugin", mountPath: DEVICE_PLUGIN_DIR }],
            },
          ],
          volumes: [{ name: "device-plugin", hostPath: { path: DEVICE_PLUGIN_DIR } }],
        },
      },
    },
  };
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
