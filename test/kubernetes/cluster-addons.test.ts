import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CLUSTER_AUTOSCALER_IMAGES,
  CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
  clusterAutoscalerPolicy,
} from "../../components/facts";
import { ClusterAddons } from "../../components/kubernetes";
import {
  EFA_DEVICE_PLUGIN_VERSION,
  renderClusterAutoscaler,
  renderEfaDevicePlugin,
} from "../../components/kubernetes/internal";
import { ConfigError } from "../../components/validation";
import type { Recorder } from "../../scripts/plan";
import { descendants, ofType, startMocks } from "../helpers/mocks";

let recorder: Recorder;
let provider: Provider;

beforeAll(async () => {
  recorder = await startMocks();
  provider = new Provider("addons-k8s", { kubeconfig: pulumi.secret("apiVersion: v1") });
});

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  ServiceAccount,
  ClusterRole,
  ClusterRoleBinding,
  Role,
  RoleBinding,
  Deployment,
};

const autoscaler = {
  clusterName: "eks-dev",
  region: "eu-west-1",
  image: CLUSTER_AUTOSCALER_IMAGES["1.34"] as string,
};

describe("renderClusterAutoscaler", () => {
  const objects = renderClusterAutoscaler(autoscaler);

  it("renders objects that pass the Kubernetes schema", () => {
    expect(objects.map((o) => o.kind)).toEqual([
      "ServiceAccount",
      "ClusterRole",
      "ClusterRoleBinding",
      "Role",
      "RoleBinding",
      "Deployment",
    ]);
    for (const o of objects) {
      const Model = MODELS[o.kind];
      expect(Model, o.kind).toBeDefined();
      expect(() => new (Model as NonNullable<typeof Model>)(o as never).validate(), o.kind).not.toThrow();
    }
  });

  it("discovers this cluster's groups, runs on the system pool as the Pod Identity service account", () => {
    const deployment = objects.find((o) => o.kind === "Deployment") as unknown as {
      spec: { template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } };
    };
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe(CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name);
    expect(pod.nodeSelector).toMatchObject({ "hybrid-ai-infra.io/pool": "system" });
    expect(pod.tolerations).toEqual([
      { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" },
    ]);
    const container = pod.containers[0] as { command: string[]; image: string; env: unknown[] };
    expect(container.image).toBe("registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.5");
    expect(container.command).toContain(
      "--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/eks-dev",
    );
    expect(container.command).toContain("--cloud-provider=aws");
    expect(container.env).toEqual([{ name: "AWS_REGION", value: "eu-west-1" }]);
    const sa = objects.find((o) => o.kind === "ServiceAccount");
    expect(sa?.metadata).toMatchObject(CLUSTER_AUTOSCALER_SERVICE_ACCOUNT);
  });

  it("may evict pods and update nodes, but writes no secrets and no workloads", () => {
    const role = objects.find((o) => o.kind === "ClusterRole") as unknown as {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    const writes = role.rules.filter((r) => r.verbs.some((v) => !["get", "list", "watch"].includes(v)));
    const written = writes.flatMap((r) => r.resources);
    expect(written).toEqual(
      expect.arrayContaining(["pods/eviction", "nodes", "events", "leases", "pods/status"]),
    );
    expect(role.rules.flatMap((r) => r.resources)).not.toContain("secrets");
    for (const kind of ["deployments", "daemonsets", "statefulsets", "jobs"])
      expect(written).not.toContain(kind);
  });
});

describe("clusterAutoscalerPolicy", () => {
  it("scales only Auto Scaling groups tagged as this cluster's", () => {
    const policy = clusterAutoscalerPolicy("eks-dev");
    const scale = policy.Statement.find((s) => s.Action.includes("autoscaling:SetDesiredCapacity"));
    expect(scale?.Condition).toEqual({
      StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/eks-dev": "owned" },
    });
    expect(scale?.Action).toEqual([
      "autoscaling:SetDesiredCapacity",
      "autoscaling:TerminateInstanceInAutoScalingGroup",
    ]);
    // Scale from zero reads a managed group's labels and taints.
    expect(policy.Statement.flatMap((s) => s.Action)).toContain("eks:DescribeNodegroup");
  });
});

describe("renderEfaDevicePlugin", () => {
  it("runs privileged on the host network, on EFA pools only, tolerating their taints", () => {
    const ds = renderEfaDevicePlugin("efa", {
      image: `602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/aws-efa-k8s-device-plugin:${EFA_DEVICE_PLUGIN_VERSION}`,
      pools: ["p5-efa"],
      taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
    });
    expect(() => new DaemonSet(ds as never).validate()).not.toThrow();
    const pod = ds.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.containers[0]?.securityContext).toMatchObject({ privileged: true });
    expect(
      pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
    ).toEqual([
      { matchExpressions: [{ key: "hybrid-ai-infra.io/pool", operator: "In", values: ["p5-efa"] }] },
    ]);
    expect(pod.tolerations).toContainEqual({
      key: "nvidia.com/gpu",
      operator: "Equal",
      value: "true",
      effect: "NoSchedule",
    });
    expect(pod.volumes.map((v) => v.hostPath.path)).toEqual([
      "/var/lib/kubelet/device-plugins",
      "/dev/infiniband/",
      "/opt/aws/neuron/",
    ]);
  });
});

describe("renderEfaDevicePlugin on a GPU group with no extra taints", () => {
  it("still tolerates the GPU taint every EFA (GPU) node carries", () => {
    const ds = renderEfaDevicePlugin("efa", {
      image: `602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/aws-efa-k8s-device-plugin:${EFA_DEVICE_PLUGIN_VERSION}`,
      pools: ["train"],
      taints: [],
    });
    expect(ds.spec.template.spec.tolerations).toContainEqual({
      key: "nvidia.com/gpu",
      operator: "Exists",
      effect: "NoSchedule",
    });
  });
});

describe("ClusterAddons", () => {
  it("declares plugins and the autoscaler through the cluster's provider, RBAC before the pod", async () => {
    recorder.clear();
    const addons = new ClusterAddons(
      "eks-addons",
      {
        nvidiaDevicePlugins: [
          { name: "nvidia-device-plugin", pools: ["gpu-spot"], migStrategy: "none", taints: [] },
        ],
        efaDevicePlugin: {
          pools: ["p5-efa"],
          image: `602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/aws-efa-k8s-device-plugin:${EFA_DEVICE_PLUGIN_VERSION}`,
          taints: [],
        },
        clusterAutoscaler: autoscaler,
      },
      { provider },
    );
    await recorder.settle();
    const [component] = ofType(recorder.resources, "hybrid-ai-infra:index:ClusterAddons");
    expect(component).toBeDefined();
    const below = descendants(recorder.resources, component?.urn as string);
    expect(below.map((r) => r.type).sort()).toEqual(
      [
        "hybrid-ai-infra:index:NvidiaDevicePlugin",
        "kubernetes:apps/v1:DaemonSet",
        "kubernetes:apps/v1:DaemonSet",
        "kubernetes:apps/v1:Deployment",
        "kubernetes:core/v1:ServiceAccount",
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
        "kubernetes:rbac.authorization.k8s.io/v1:Role",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
      ].sort(),
    );
    for (const r of below.filter((r) => r.type.startsWith("kubernetes:")))
      expect(r.provider, r.name).toMatch(/pulumi:providers:kubernetes::addons-k8s::/);
    const deployment = below.find((r) => r.type === "kubernetes:apps/v1:Deployment");
    expect(deployment?.dependsOn).toHaveLength(5);
    expect(addons.resources).toHaveLength(8);
  });

  it("refuses an unpinned image and an empty pool list, all at once", () => {
    const attempt = () =>
      new ClusterAddons(
        "bad",
        {
          nvidiaDevicePlugins: [{ name: "nvidia", pools: [], migStrategy: "none", taints: [] }],
          clusterAutoscaler: {
            ...autoscaler,
            image: "registry.k8s.io/autoscaling/cluster-autoscaler:latest",
          },
        },
        { provider },
      );
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/^ClusterAddons "bad": 2 problems/);
    expect(attempt).toThrow("nvidiaDevicePlugins[0].pools");
    expect(attempt).toThrow("clusterAutoscaler.image");
  });
});
