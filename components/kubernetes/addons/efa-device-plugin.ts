import { GPU_TAINT } from "../../facts";
import type { DaemonSetObject } from "../objects";
import { renderNodeAgent, tolerationsFor } from "./node-agent";

// EFA interfaces reach pods only as the extended resource `vpc.amazonaws.com/efa`, which the
// kubelet advertises once AWS's EFA device plugin runs on the node (EKS docs, "Run machine learning
// training on Amazon EKS with Elastic Fabric Adapter"). This is that DaemonSet, as AWS's chart
// (eks-charts `aws-efa-k8s-device-plugin`) renders it, on the EFA pools only.

/** The plugin's release, from the regional EKS add-on registry. */
export const EFA_DEVICE_PLUGIN_VERSION = "v0.5.20";

/** The extended resource EFA nodes advertise and EFA training pods request. */
export const EFA_RESOURCE = "vpc.amazonaws.com/efa";

/** What the EFA plugin needs to know. */
export interface EfaDevicePluginArgs {
  /** The image, pinned: the regional EKS registry's `eks/aws-efa-k8s-device-plugin`. */
  image: string;
  /** Pools (values of `hybrid-ai-infra.io/pool`) whose nodes have EFA interfaces. */
  pools: string[];
  /** Taints those pools carry, tolerated with any value. */
  taints: { key: string; value?: string; effect: string }[];
  /** Namespace, default kube-system. */
  namespace?: string;
}

/** The EFA device plugin DaemonSet as plain data. */
export function renderEfaDevicePlugin(name: string, args: EfaDevicePluginArgs): DaemonSetObject {
  return renderNodeAgent({
    name,
    namespace: args.namespace ?? "kube-system",
    app: "aws-efa-k8s-device-plugin",
    image: args.image,
    pools: args.pools,
    // Never reached: the plugin always names its pools.
    fallbackLabel: "vpc.amazonaws.com/efa.present",
    // EFA groups are GPU groups: their nodes always carry the GPU taint.
    tolerations: tolerationsFor([
      { key: "CriticalAddonsOnly", effect: "NoSchedule" },
      { key: GPU_TAINT.key, effect: GPU_TAINT.effect },
      ...args.taints,
    ]),
    requests: { cpu: "10m", memory: "20Mi" },
    // AWS's chart runs it privileged on the host network: it opens the InfiniBand verbs devices
    // and enumerates the instance's EFA interfaces, which a namespaced, unprivileged pod cannot.
    securityContext: { allowPrivilegeEscalation: true, privileged: true },
    hostNetwork: true,
    hostPaths: [
      { name: "device-plugin", path: "/var/lib/kubelet/device-plugins" },
      { name: "infiniband-volume", path: "/dev/infiniband/" },
      { name: "nvidia-neuron", path: "/opt/aws/neuron/", type: "DirectoryOrCreate" },
    ],
  });
}
