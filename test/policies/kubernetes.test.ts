import { describe, expect, it } from "vitest";
import { k8sNoPrivileged, k8sPlacementAllowed, k8sRequestsLimits } from "../../policies/rules/kubernetes";
import { violations } from "./evaluate";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const JOB = "kubernetes:batch/v1:Job";

const container = (over: Record<string, unknown> = {}) => ({
  name: "app",
  image: "registry.example.com/app:1",
  resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
  ...over,
});

function deployment(
  pod: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    spec?: Record<string, unknown>;
  },
  namespace = "clinical-ai",
): Record<string, unknown> {
  return {
    metadata: { name: "app", namespace },
    spec: {
      template: {
        metadata: { labels: pod.labels ?? {}, annotations: pod.annotations ?? {} },
        spec: { containers: [container()], ...pod.spec },
      },
    },
  };
}

const placed = (trust: string) => ({
  "placement.hybrid-ai-infra.io/target": trust === "private" ? "dc1" : "aks",
  "placement.hybrid-ai-infra.io/trust": trust,
});
const classified = (level: string) => ({ "hybrid-ai-infra.io/data-classification": level });

describe("k8s-placement-allowed", () => {
  it("lets restricted data run where placement put it on a private target", async () => {
    const d = deployment({ labels: classified("restricted"), annotations: placed("private") });
    expect(await violations(k8sPlacementAllowed, DEPLOYMENT, d)).toEqual([]);
    // Public and internal data are the catalog's business.
    expect(
      await violations(k8sPlacementAllowed, DEPLOYMENT, deployment({ labels: classified("public") })),
    ).toEqual([]);
  });

  it("refuses restricted data on a public target", async () => {
    const d = deployment({ labels: classified("restricted"), annotations: placed("public") });
    expect(await violations(k8sPlacementAllowed, JOB, d)).toEqual([
      "holds restricted data on target aks, whose trust is public; restricted data runs only on private targets",
    ]);
  });

  it("refuses confidential pods the placement engine did not place", async () => {
    expect(
      await violations(k8sPlacementAllowed, DEPLOYMENT, deployment({ labels: classified("confidential") })),
    ).toEqual([
      "is labelled hybrid-ai-infra.io/data-classification=confidential but its pods carry no placement (placement.hybrid-ai-infra.io/target, placement.hybrid-ai-infra.io/trust); confidential data runs only where the placement engine put it",
    ]);
  });
});

describe("k8s-no-privileged", () => {
  it("passes a locked-down pod", async () => {
    expect(await violations(k8sNoPrivileged, DEPLOYMENT, deployment({}))).toEqual([]);
  });

  it("refuses privileged containers, escalation and host namespaces", async () => {
    const d = deployment({
      spec: {
        hostNetwork: true,
        hostPID: true,
        containers: [container({ securityContext: { privileged: true } })],
      },
    });
    expect(await violations(k8sNoPrivileged, DEPLOYMENT, d)).toEqual([
      "sets hostNetwork: true; pods stay out of the host's namespaces",
      "sets hostPID: true; pods stay out of the host's namespaces",
      "container app is privileged",
      "container app does not set securityContext.allowPrivilegeEscalation: false",
    ]);
  });

  it("leaves the exempt namespaces alone", async () => {
    const d = deployment({ spec: { hostNetwork: true } }, "kube-system");
    expect(await violations(k8sNoPrivileged, DEPLOYMENT, d)).toEqual([]);
    expect(await violations(k8sNoPrivileged, DEPLOYMENT, d, { exemptNamespaces: [] })).toHaveLength(1);
  });
});

describe("k8s-requests-limits", () => {
  it("passes requests and limits for cpu, memory and equal GPUs", async () => {
    const gpu = container({
      resources: {
        requests: { cpu: "1", memory: "1Gi", "nvidia.com/gpu": "1" },
        limits: { cpu: "1", memory: "1Gi", "nvidia.com/gpu": "1" },
      },
    });
    expect(await violations(k8sRequestsLimits, JOB, deployment({ spec: { containers: [gpu] } }))).toEqual([]);
  });

  it("refuses containers without limits, or with GPU requests unlike their limits", async () => {
    const bare = container({ resources: { requests: { cpu: "1", "nvidia.com/gpu": "2" } } });
    expect(
      await violations(k8sRequestsLimits, DEPLOYMENT, deployment({ spec: { containers: [bare] } })),
    ).toEqual([
      "container app sets no requests.memory, limits.cpu, limits.memory",
      "container app requests 2 nvidia.com/gpu but limits none; GPUs need equal requests and limits",
    ]);
  });
});
