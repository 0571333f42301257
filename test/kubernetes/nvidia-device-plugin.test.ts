import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type DaemonSetObject,
  NVIDIA_DEVICE_PLUGIN_IMAGE,
  NvidiaDevicePlugin,
} from "../../components/kubernetes";
import { renderNvidiaDevicePlugin } from "../../components/kubernetes/internal";
import { ConfigError } from "../../components/validation";
import type { Recorder } from "../../scripts/plan";
import { ofType, startMocks } from "../helpers/mocks";
import { aks, eks } from "./fixtures";

let recorder: Recorder;
let provider: Provider;

beforeAll(async () => {
  recorder = await startMocks();
  provider = new Provider("gpu-k8s", { kubeconfig: pulumi.secret("apiVersion: v1") });
});

/** Whether a pod with `tolerations` may run on a node with `taint` (Kubernetes' matching rule). */
function tolerates(
  tolerations: DaemonSetObject["spec"]["template"]["spec"]["tolerations"],
  taint: {
    key: string;
    value?: string;
    effect: string;
  },
): boolean {
  return tolerations.some(
    (t) =>
      t.key === taint.key &&
      t.effect === taint.effect &&
      (t.operator === "Exists" || (t.operator === "Equal" && t.value === taint.value)),
  );
}

describe("renderNvidiaDevicePlugin", () => {
  const daemonSet = renderNvidiaDevicePlugin("nvidia-device-plugin");
  const pod = daemonSet.spec.template.spec;

  it("passes the Kubernetes schema", () => {
    expect(() => new DaemonSet(daemonSet as never).validate()).not.toThrow();
  });

  it("runs the pinned release in kube-system at node-critical priority, with the kubelet's socket directory", () => {
    expect(NVIDIA_DEVICE_PLUGIN_IMAGE).toMatch(/^nvcr\.io\/nvidia\/k8s-device-plugin:v\d+\.\d+\.\d+$/);
    expect(daemonSet.metadata).toMatchObject({ name: "nvidia-device-plugin", namespace: "kube-system" });
    expect(pod.containers[0]?.image).toBe(NVIDIA_DEVICE_PLUGIN_IMAGE);
    expect(pod.priorityClassName).toBe("system-node-critical");
    expect(pod.volumes).toEqual([
      { name: "device-plugin", hostPath: { path: "/var/lib/kubelet/device-plugins" } },
    ]);
    expect(pod.containers[0]?.volumeMounts).toEqual([
      { name: "device-plugin", mountPath: "/var/lib/kubelet/device-plugins" },
    ]);
    expect(pod.containers[0]?.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(pod.containers[0]?.resources).toEqual({ requests: { cpu: "50m", memory: "64Mi" } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(daemonSet.spec.selector.matchLabels).toEqual({
      "app.kubernetes.io/name": "nvidia-device-plugin",
      "app.kubernetes.io/instance": "nvidia-device-plugin",
    });
  });

  it("lands on every GPU pool of the real clusters and on no CPU pool", () => {
    const terms = pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms).toEqual([
      { matchExpressions: [{ key: "hybrid-ai-infra.io/gpu-model", operator: "Exists" }] },
    ]);
    for (const p of [...eks.pools, ...aks.pools]) {
      const selected = Object.hasOwn(p.labels ?? {}, "hybrid-ai-infra.io/gpu-model");
      expect(selected, p.name).toBe(p.node.gpu !== undefined);
      if (!selected) continue;
      // The GPU taint everywhere, and AKS's spot taint on aks/t4-spot.
      for (const taint of p.taints ?? [])
        expect(tolerates(pod.tolerations, taint), `${p.name} ${taint.key}`).toBe(true);
    }
    expect(aks.pools.find((p) => p.name === "t4-spot")?.taints?.map((t) => t.key)).toContain(
      "kubernetes.azure.com/scalesetpriority",
    );
  });

  it("takes a newer image, another namespace, more tolerations and other requests", () => {
    const custom = renderNvidiaDevicePlugin("gpu-plugin", {
      image: "registry.example.com/mirror/k8s-device-plugin:v0.20.0",
      namespace: "gpu-system",
      tolerations: [
        { key: "dedicated", value: "ml", effect: "NoSchedule" },
        { key: "maintenance", effect: "NoExecute" },
      ],
      requests: { memory: "128Mi" },
    });
    expect(() => new DaemonSet(custom as never).validate()).not.toThrow();
    const spec = custom.spec.template.spec;
    expect(custom.metadata.namespace).toBe("gpu-system");
    expect(spec.containers[0]?.image).toBe("registry.example.com/mirror/k8s-device-plugin:v0.20.0");
    expect(spec.tolerations).toContainEqual({
      key: "dedicated",
      operator: "Equal",
      value: "ml",
      effect: "NoSchedule",
    });
    expect(spec.tolerations).toContainEqual({ key: "maintenance", operator: "Exists", effect: "NoExecute" });
    // The built-in ones stay, each once.
    expect(spec.tolerations.filter((t) => t.key === "nvidia.com/gpu")).toHaveLength(1);
    expect(spec.containers[0]?.resources.requests).toEqual({ cpu: "50m", memory: "128Mi" });
  });
});

describe("renderNvidiaDevicePlugin on named pools", () => {
  it("selects exactly the named pools by the pool label", () => {
    const ds = renderNvidiaDevicePlugin("nvidia-device-plugin", { pools: ["t4-spot", "a100"] });
    expect(
      ds.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution,
    ).toEqual({
      nodeSelectorTerms: [
        {
          matchExpressions: [{ key: "hybrid-ai-infra.io/pool", operator: "In", values: ["a100", "t4-spot"] }],
        },
      ],
    });
  });

  it("advertises MIG slices as GPUs with the single strategy, and only then gets SYS_ADMIN", () => {
    const mig = renderNvidiaDevicePlugin("nvidia-device-plugin-mig", {
      pools: ["a100-mig"],
      migStrategy: "single",
    });
    expect(() => new DaemonSet(mig as never).validate()).not.toThrow();
    const container = mig.spec.template.spec.containers[0];
    expect(container?.env).toEqual([
      { name: "MIG_STRATEGY", value: "single" },
      { name: "NVIDIA_MIG_MONITOR_DEVICES", value: "all" },
    ]);
    expect(container?.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] },
    });
    const plain = renderNvidiaDevicePlugin("nvidia-device-plugin", { pools: ["t4"] }).spec.template.spec;
    expect(plain.containers[0]?.env).toBeUndefined();
    expect(plain.containers[0]?.securityContext.capabilities).toEqual({ drop: ["ALL"] });
  });
});

describe("NvidiaDevicePlugin", () => {
  it("declares the DaemonSet under the component, through the cluster's provider", async () => {
    recorder.clear();
    const plugin = new NvidiaDevicePlugin("nvidia-device-plugin", {}, { provider });
    expect(plugin).toBeInstanceOf(pulumi.ComponentResource);
    await recorder.settle();
    const [component] = ofType(recorder.resources, "hybrid-ai-infra:index:NvidiaDevicePlugin");
    const daemonSets = ofType(recorder.resources, "kubernetes:apps/v1:DaemonSet");
    expect(daemonSets).toHaveLength(1);
    const [ds] = daemonSets;
    expect(ds?.name).toBe("nvidia-device-plugin");
    expect(ds?.parent).toBe(component?.urn);
    expect(ds?.provider).toMatch(/pulumi:providers:kubernetes::gpu-k8s::/);
    const expected = renderNvidiaDevicePlugin("nvidia-device-plugin");
    expect(ds?.inputs).toMatchObject({ metadata: expected.metadata, spec: expected.spec });
  });

  it("refuses an unpinned image, a name that is no DNS label and an unknown taint effect, all at once", () => {
    const attempt = () =>
      new NvidiaDevicePlugin(
        "GPU_plugin",
        {
          image: "nvcr.io/nvidia/k8s-device-plugin:latest",
          tolerations: [{ key: "dedicated", effect: "Sometimes" as "NoSchedule" }],
        },
        { provider },
      );
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/^NvidiaDevicePlugin "GPU_plugin": 3 problems/);
    expect(attempt).toThrow('image: "nvcr.io/nvidia/k8s-device-plugin:latest" uses :latest');
    expect(attempt).toThrow("name: ");
    expect(attempt).toThrow("tolerations[0].effect");
  });
});
