import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { describe, expect, it } from "vitest";
import { AKS_SPOT_TAINT } from "../../components/azure";
import {
  type DeploymentObject,
  decidePlacement,
  type ExternalSecretObject,
  JOB_WAIT_FOR,
  type JobObject,
  type KueueObject,
  type RenderedObject,
  type RenderedTarget,
  renderPlacement,
  type SecretProviderClassObject,
  type WorkloadSpec,
} from "../../components/kubernetes";
import { objectName } from "../../components/kubernetes/internal";
import { workloadSpecSchema } from "../../components/kubernetes/spec";
import type { PlacementResult, Target } from "../../components/placement";
import { aks, eks, result, targets, workloads } from "./fixtures";

/** The clusters' networks, which rules naming a workload on another cluster allow. */
const NETWORKS = { dc1: ["10.10.0.0/16"], eks: ["10.20.0.0/16"], aks: ["10.30.0.0/16"] };
const rendered = renderPlacement({ networks: NETWORKS, result, workloads, targets });
const on = (target: string) => rendered.find((r) => r.target === target)?.objects ?? [];
const find = <K extends RenderedObject["kind"]>(
  target: string,
  kind: K,
  name: string,
  namespace?: string,
) => {
  const found = on(target).find(
    (o) =>
      o.kind === kind &&
      o.metadata.name === name &&
      (namespace === undefined || o.metadata.namespace === namespace),
  );
  if (!found) throw new Error(`no ${kind} ${name} on ${target}`);
  return found as Extract<RenderedObject, { kind: K }>;
};

/** The object of `kind` named `name` that `out` renders on `target`; fails when there is none. */
const pick = <K extends RenderedObject["kind"]>(
  out: RenderedTarget[],
  target: string,
  kind: K,
  name: string,
): Extract<RenderedObject, { kind: K }> => {
  const found = out
    .find((r) => r.target === target)
    ?.objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} on ${target}`);
  return found as Extract<RenderedObject, { kind: K }>;
};

// Validation against the Kubernetes OpenAPI schemas, by kind.
const MODELS: Record<
  // ExternalSecrets and SecretProviderClasses are checked against their operators' schemas (secrets.test.ts, secrets-store-csi.test.ts).
  Exclude<RenderedObject, KueueObject | ExternalSecretObject | SecretProviderClassObject>["kind"],
  new (
    data: never,
  ) => { validate(): void }
> = {
  Namespace,
  Deployment,
  Job,
  NetworkPolicy,
  PodDisruptionBudget,
  ResourceQuota,
  Service,
  ServiceAccount,
};

describe("renderPlacement", () => {
  it("renders only onto targets that received work, sorted, and every object passes the Kubernetes schema", () => {
    expect(rendered.map((r) => r.target)).toEqual(["dc1", "eks"]);
    for (const { objects } of rendered) {
      for (const o of objects) {
        expect(
          () => new MODELS[o.kind as keyof typeof MODELS](o as never).validate(),
          `${o.kind} ${o.metadata.name}`,
        ).not.toThrow();
      }
    }
  });

  it("gives each namespace owner and classification labels and the restricted pod security profile", () => {
    const ns = find("dc1", "Namespace", "ml-research");
    expect(ns.metadata.labels).toMatchObject({
      "hybrid-ai-infra.io/owner": "ml-research",
      "hybrid-ai-infra.io/data-classification": "restricted",
      "pod-security.kubernetes.io/enforce": "restricted",
    });
  });

  it("runs training as an indexed Job with GPU requests, the pool's node selector and GPU toleration", () => {
    const job = find("dc1", "Job", "finetune") as JobObject;
    expect(job.spec).toMatchObject({
      parallelism: 2,
      completions: 2,
      completionMode: "Indexed",
      backoffLimit: 0,
    });
    // Pulumi waits for the Job to start (and for its deletion), not for the training to end.
    expect(job.metadata.annotations?.["pulumi.com/waitFor"]).toBe(JOB_WAIT_FOR.unqueued);
    expect(job.metadata.annotations).not.toHaveProperty("pulumi.com/skipAwait");
    // No TTL (Pulumi owns the Job); spot reclaims and drains do not count against backoffLimit.
    expect(job.spec).not.toHaveProperty("ttlSecondsAfterFinished");
    expect(job.spec.podFailurePolicy).toEqual({
      rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }],
    });
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.nodeSelector).toEqual({ "hybrid-ai-infra.io/pool": "a100" });
    expect(pod.tolerations).toEqual([
      { key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" },
    ]);
    const container = pod.containers[0];
    expect(container?.resources.requests).toEqual({ cpu: "8000m", memory: "65536Mi", "nvidia.com/gpu": "4" });
    expect(container?.resources.limits).toEqual(container?.resources.requests);
    expect(container?.volumeMounts).toContainEqual({ name: "dshm", mountPath: "/dev/shm" });
  });

  it("records the decision in annotations: all of it on the object, the stable facts on the pods", () => {
    const job = find("dc1", "Job", "finetune") as JobObject;
    const stable = {
      "placement.hybrid-ai-infra.io/target": "dc1",
      "placement.hybrid-ai-infra.io/pool": "a100",
      "placement.hybrid-ai-infra.io/trust": "private",
      "placement.hybrid-ai-infra.io/classification": "restricted",
    };
    expect(job.metadata.annotations).toEqual({
      ...stable,
      "placement.hybrid-ai-infra.io/reason": "dc1/a100: restricted data stays on private targets",
      "pulumi.com/waitFor": JOB_WAIT_FOR.unqueued,
    });
    expect(job.spec.template.metadata.annotations).toEqual(stable);
  });

  it("keeps every pod template identical when only the reason changes (no restart, no Job replaced)", () => {
    // Feeding the lock back appends "; kept where the lock put it"; a new candidate changes counts.
    const reworded: PlacementResult = {
      ...result,
      explanations: Object.fromEntries(
        Object.entries(result.explanations).map(([name, e]) => [
          name,
          { ...e, reason: `${e.reason}; kept where the lock put it; 3 other candidates broke a rule` },
        ]),
      ),
    };
    const again = renderPlacement({ networks: NETWORKS, result: reworded, workloads, targets });
    const templates = (out: RenderedTarget[]) =>
      out.flatMap((r) =>
        r.objects.flatMap((o) => (o.kind === "Deployment" || o.kind === "Job" ? [o.spec.template] : [])),
      );
    expect(templates(again)).toHaveLength(3);
    expect(templates(again)).toEqual(templates(rendered));
    // The object itself still says why, so a reader of the cluster sees the new reason.
    const job = again.find((r) => r.target === "dc1")?.objects.find((o) => o.kind === "Job");
    expect(job?.metadata.annotations?.["placement.hybrid-ai-infra.io/reason"]).toContain(
      "kept where the lock",
    );
  });

  it("splits a spread service into one Deployment per cluster, surging one pod at a time", () => {
    const onPrem = find("dc1", "Deployment", "web") as DeploymentObject;
    const cloud = find("eks", "Deployment", "web") as DeploymentObject;
    expect([onPrem.spec.replicas, cloud.spec.replicas]).toEqual([1, 2]);
    expect(cloud.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 1 });
    // A single replica is replaced only once its successor is ready.
    expect(onPrem.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(cloud.spec.template.spec.nodeSelector).toEqual({
      "hybrid-ai-infra.io/pool": "general",
      "hybrid-ai-infra.io/trust": "public",
    });
    expect(cloud.spec.template.spec.tolerations).toEqual([]);
    expect(cloud.spec.template.spec.containers[0]?.resources.requests).toEqual({
      cpu: "500m",
      memory: "1024Mi",
    });
  });

  it("keeps a workload's own name on the first of its pools when it is split across pools of one cluster", () => {
    // web on both dc1 pools: the part on a100, first by pool name, keeps the name "web".
    const split: PlacementResult = {
      ...result,
      assignments: [
        { workload: "finetune", target: "dc1", pool: "a100", replicas: 2 },
        { workload: "web", target: "dc1", pool: "a100", replicas: 1 },
        { workload: "web", target: "dc1", pool: "cpu", replicas: 2 },
      ],
    };
    const out = renderPlacement({ networks: NETWORKS, result: split, workloads, targets });
    const names = out
      .flatMap((r) => r.objects)
      .filter((o) => o.kind === "Deployment")
      .map((o) => [o.metadata.name, (o as DeploymentObject).spec.replicas]);
    expect(names).toEqual([
      ["web", 1],
      ["web-cpu", 2],
    ]);
  });

  it("locks every pod down: non-root, no privilege escalation, read-only root, no capabilities, no token", () => {
    for (const { objects } of rendered) {
      for (const o of objects) {
        if (o.kind !== "Deployment" && o.kind !== "Job") continue;
        const pod = o.spec.template.spec;
        expect(pod.automountServiceAccountToken).toBe(false);
        // A numeric user (65532 unless the catalog sets one): runAsNonRoot alone fails for images
        // whose user is root or a name; HOME and /tmp are writable scratch on a read-only root.
        expect(pod.securityContext).toEqual({
          runAsNonRoot: true,
          runAsUser: 65532,
          runAsGroup: 65532,
          fsGroup: 65532,
          seccompProfile: { type: "RuntimeDefault" },
        });
        for (const c of pod.containers) {
          expect(c.env).toEqual(expect.arrayContaining([{ name: "HOME", value: "/home/workload" }]));
          expect(c.volumeMounts).toEqual(
            expect.arrayContaining([
              { name: "home", mountPath: "/home/workload" },
              { name: "tmp", mountPath: "/tmp" },
            ]),
          );
        }
        for (const c of pod.containers) {
          expect(c.securityContext).toEqual({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
          });
        }
      }
    }
  });

  it("denies all traffic by default, allows DNS, and adds each workload's declared allowances", () => {
    const deny = find("eks", "NetworkPolicy", "default-deny", "web");
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const dns = find("eks", "NetworkPolicy", "allow-dns", "web");
    expect(dns.spec.egress?.[0]?.ports).toEqual([
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ]);
    const allow = find("eks", "NetworkPolicy", "allow-web", "web");
    expect(allow.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress" } } }],
        ports: [{ protocol: "TCP", port: 8080 }],
      },
    ]);
    expect(allow.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: "10.10.0.0/16" } }], ports: [{ protocol: "TCP", port: 5432 }] },
    ]);
    expect(on("dc1").some((o) => o.kind === "NetworkPolicy" && o.metadata.name === "allow-finetune")).toBe(
      false,
    );
  });

  it("sets each namespace's quota to what placement reserved there plus one replica of each workload, room for a rollout", () => {
    // finetune: 2 replicas of 8 CPU, 64 GiB, 4 GPUs placed on dc1, and room for a third.
    expect(find("dc1", "ResourceQuota", "placement", "ml-research").spec.hard).toEqual({
      "requests.cpu": "24000m",
      "limits.cpu": "24000m",
      "requests.memory": "196608Mi",
      "limits.memory": "196608Mi",
      "requests.nvidia.com/gpu": "12",
      pods: "3",
    });
    // web: 2 of 0.5 CPU here (its third replica went elsewhere), and room for one more.
    expect(find("eks", "ResourceQuota", "placement", "web").spec.hard).toMatchObject({
      "requests.cpu": "1500m",
      pods: "3",
    });
  });

  it("gives services a ClusterIP Service on their ports, and multi-replica training a headless one, subdomain and rank policy", () => {
    const finetune = find("dc1", "Job", "finetune") as JobObject;
    expect(finetune.spec.template.spec.subdomain).toBe("finetune");
    const headless = find("dc1", "Service", "finetune", "ml-research");
    expect(headless.spec).toMatchObject({
      clusterIP: "None",
      publishNotReadyAddresses: true,
      selector: { "hybrid-ai-infra.io/workload": "finetune" },
    });
    const ranks = find("dc1", "NetworkPolicy", "ranks-finetune", "ml-research");
    const self = { podSelector: { matchLabels: { "hybrid-ai-infra.io/workload": "finetune" } } };
    expect(ranks.spec).toEqual({
      podSelector: self.podSelector,
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [self] }],
      egress: [{ to: [self] }],
    });
    for (const { objects } of rendered) {
      for (const s of objects.filter((o) => o.kind === "Service" && o.spec.clusterIP === undefined)) {
        expect(s.kind === "Service" && s.spec.ports.length).toBeGreaterThan(0);
      }
    }
  });

  it("runs a workload that reads datasets as its own ServiceAccount, which it renders, token unmounted", () => {
    const finetune = find("dc1", "Job", "finetune") as JobObject;
    expect(finetune.spec.template.spec.serviceAccountName).toBe("finetune");
    expect(finetune.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(find("dc1", "ServiceAccount", "finetune", "ml-research")).toMatchObject({
      automountServiceAccountToken: false,
      metadata: { labels: { "hybrid-ai-infra.io/workload": "finetune" } },
    });
    // web reads no dataset: an account of its own all the same (never the namespace's default),
    // bound to no identity, its token unmounted.
    const web = pick(rendered, "eks", "Deployment", "web").spec.template.spec;
    expect(web.serviceAccountName).toBe("web");
    expect(web.automountServiceAccountToken).toBe(false);
    expect(on("eks").filter((o) => o.kind === "ServiceAccount")).toEqual([
      {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: {
          name: "web",
          namespace: "web",
          labels: { "app.kubernetes.io/managed-by": "hybrid-ai-infra", "hybrid-ai-infra.io/workload": "web" },
        },
        automountServiceAccountToken: false,
      },
    ]);
    // Every pod of every cluster runs as an account rendered beside it, in its namespace.
    for (const { target, objects } of rendered)
      for (const o of objects) {
        if (o.kind !== "Deployment" && o.kind !== "Job") continue;
        const account = o.spec.template.spec.serviceAccountName;
        expect(account, `${target} ${o.kind} ${o.metadata.name}`).toBeDefined();
        expect(
          objects.some(
            (a) =>
              a.kind === "ServiceAccount" &&
              a.metadata.name === account &&
              a.metadata.namespace === o.metadata.namespace,
          ),
          `${target} ${o.kind} ${o.metadata.name} runs as ${account}`,
        ).toBe(true);
      }
  });

  it("keeps Job names within the 63 characters their pod label allows, stably", () => {
    const long = `${"a".repeat(50)}-${"pool-with-a-long-name"}`;
    expect(objectName(long)).toHaveLength(63);
    expect(objectName(long)).toBe(objectName(long));
    expect(objectName(long)).not.toBe(objectName(`${long}x`));
    expect(objectName("finetune-a100")).toBe("finetune-a100");
  });

  it("always selects the pool by its pool label, even when the pool declares no labels", () => {
    const bare: Target[] = targets.map((t) => ({
      ...t,
      pools: t.pools.map((p) => (p.name === "general" ? { ...p, labels: {} } : p)),
    }));
    const out = renderPlacement({ networks: NETWORKS, result, workloads, targets: bare });
    const web = pick(out, "eks", "Deployment", "web");
    expect(web.spec.template.spec.nodeSelector).toEqual({ "hybrid-ai-infra.io/pool": "general" });
  });

  it("matches named workloads in their own namespaces, with the protocol their ports declare", () => {
    const dns: WorkloadSpec = {
      name: "resolver",
      kind: "service",
      replicas: 1,
      cpu: 0.5,
      memoryGiB: 1,
      classification: "internal",
      image: "registry.example.com/net/resolver:1.0.0",
      owner: "net",
      ports: [
        { name: "dns-udp", port: 53, protocol: "UDP" },
        { name: "dns-tcp", port: 53 },
        { name: "metrics", port: 9100, protocol: "UDP" },
      ],
      ingress: [{ fromWorkloads: ["web"], ports: [53, 9100] }],
    };
    const web: WorkloadSpec = {
      ...(workloads[1] as WorkloadSpec),
      egress: [
        { toWorkloads: ["resolver"], ports: [9100] },
        { toWorkloads: ["resolver"], toCidrs: ["10.10.0.0/16"], ports: [9100] },
        { toWorkloads: ["finetune"] },
      ],
    };
    const catalog = [workloads[0] as WorkloadSpec, web, dns];
    const placed: PlacementResult = {
      ...result,
      assignments: [
        ...result.assignments,
        { workload: "resolver", target: "eks", pool: "general", replicas: 1 },
      ],
    };
    const out = renderPlacement({ networks: NETWORKS, result: placed, workloads: catalog, targets });
    const policy = (name: string) => pick(out, "eks", "NetworkPolicy", name);
    const peer = (namespace: string, workload: string) => ({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
      podSelector: { matchLabels: { "hybrid-ai-infra.io/workload": workload } },
    });
    // web also runs on dc1: its pods there reach the resolver from dc1's network.
    expect(policy("allow-resolver").spec.ingress).toEqual([
      {
        from: [peer("web", "web"), { ipBlock: { cidr: "10.10.0.0/16" } }],
        ports: [
          { protocol: "TCP", port: 53 },
          { protocol: "UDP", port: 53 },
          { protocol: "UDP", port: 9100 },
        ],
      },
    ]);
    expect(policy("allow-web").spec.egress).toEqual([
      { to: [peer("net", "resolver")], ports: [{ protocol: "UDP", port: 9100 }] },
      {
        // One rule's ports apply to all its peers, and the CIDR declares nothing: TCP stays.
        to: [{ ipBlock: { cidr: "10.10.0.0/16" } }, peer("net", "resolver")],
        ports: [
          { protocol: "TCP", port: 9100 },
          { protocol: "UDP", port: 9100 },
        ],
      },
      // finetune runs on dc1 only: from eks, it is dc1's network.
      { to: [{ ipBlock: { cidr: "10.10.0.0/16" } }] },
    ]);
    for (const { objects } of out)
      for (const o of objects) new MODELS[o.kind as keyof typeof MODELS](o as never).validate();
  });

  it("labels pods for Azure workload identity when they run under a service account on AKS only", () => {
    const withIdentity = (w: WorkloadSpec): WorkloadSpec => ({ ...w, serviceAccountName: "reader" });
    const onBoth: PlacementResult = {
      ...result,
      assignments: [
        { workload: "web", target: "aks", pool: "general", replicas: 1 },
        { workload: "web", target: "eks", pool: "general", replicas: 2 },
      ],
    };
    const out = renderPlacement({
      networks: NETWORKS,
      result: onBoth,
      workloads: [withIdentity(workloads[1] as WorkloadSpec)],
      targets: [...targets, aks],
    });
    const podLabels = (target: string) =>
      pick(out, target, "Deployment", "web").spec.template.metadata.labels;
    expect(podLabels("aks")["azure.workload.identity/use"]).toBe("true");
    expect(podLabels("eks")["azure.workload.identity/use"]).toBeUndefined();
    const plain = renderPlacement({
      networks: NETWORKS,
      result: onBoth,
      workloads: [workloads[1] as WorkloadSpec],
      targets: [...targets, aks],
    });
    expect(pick(plain, "aks", "Deployment", "web").spec.template.metadata.labels).not.toHaveProperty(
      "azure.workload.identity/use",
    );
  });

  it("refuses a namespace with two owners instead of labelling it with both", () => {
    const other = { ...(workloads[1] as WorkloadSpec), namespace: "ml-research", owner: "web" };
    expect(() =>
      renderPlacement({
        networks: NETWORKS,
        result,
        workloads: [workloads[0] as WorkloadSpec, other],
        targets,
      }),
    ).toThrow('namespace "ml-research" has owners ml-research, web; one namespace, one owner');
  });

  it("is deterministic", () => {
    expect(JSON.stringify(renderPlacement({ networks: NETWORKS, result, workloads, targets }))).toBe(
      JSON.stringify(rendered),
    );
  });
});

describe("renderPlacement on targets shaped by the cluster components", () => {
  // GPU inference on AKS spot T4s, GPU batch on EKS spot A10Gs, a service on each cluster's CPU pool.
  const catalog: WorkloadSpec[] = [
    {
      name: "embed",
      kind: "inference",
      replicas: 2,
      cpu: 2,
      memoryGiB: 8,
      gpu: { count: 1, models: ["T4"] },
      classification: "public",
      spotOk: true,
      image: "registry.example.com/search/embed:0.9.1",
      owner: "search",
      serviceAccountName: "embed",
      ports: [{ name: "http", port: 8000 }],
      ingress: [{ fromWorkloads: ["shop"], ports: [8000] }],
    },
    {
      name: "crawl-index",
      kind: "batch",
      replicas: 3,
      cpu: 3,
      memoryGiB: 12,
      gpu: { count: 1, models: ["A10G"] },
      classification: "public",
      spotOk: true,
      image: "registry.example.com/search/index:2.0.0",
      owner: "search",
      namespace: "search-batch",
    },
    {
      name: "shop",
      kind: "service",
      replicas: 2,
      cpu: 1,
      memoryGiB: 2,
      classification: "internal",
      spread: { minTargets: 2 },
      image: "registry.example.com/web/shop:5.12.0",
      owner: "web",
      egress: [{ toWorkloads: ["embed"], ports: [8000] }],
    },
  ];
  const realTargets = [eks, aks];
  const decided = decidePlacement("real targets", { workloads: catalog, targets: realTargets });

  it("places the mix, and every rendered object passes the Kubernetes schema", async () => {
    const decision = await decided;
    expect(decision.unplaced).toEqual([]);
    expect(decision.assignments.map((a) => `${a.workload} on ${a.target}/${a.pool} x${a.replicas}`)).toEqual([
      "crawl-index on eks/gpu-spot x3",
      "embed on aks/t4-spot x2",
      "shop on aks/general x1",
      "shop on eks/general x1",
    ]);
    const out = renderPlacement({
      networks: NETWORKS,
      result: decision,
      workloads: catalog,
      targets: realTargets,
    });
    for (const { objects } of out) {
      for (const o of objects) {
        expect(
          () => new MODELS[o.kind as keyof typeof MODELS](o as never).validate(),
          `${o.kind} ${o.metadata.name}`,
        ).not.toThrow();
      }
    }
  });

  it("runs GPU inference on AKS spot with the pool's full label set, both taints tolerated and the GPU requested", async () => {
    const out = renderPlacement({
      networks: NETWORKS,
      result: await decided,
      workloads: catalog,
      targets: realTargets,
    });
    const embed = pick(out, "aks", "Deployment", "embed");
    const pod = embed.spec.template.spec;
    expect(embed.spec.replicas).toBe(2);
    expect(pod.nodeSelector).toEqual({
      "hybrid-ai-infra.io/pool": "t4-spot",
      "hybrid-ai-infra.io/trust": "public",
      "hybrid-ai-infra.io/capacity": "spot",
      "hybrid-ai-infra.io/gpu-model": "T4",
    });
    expect(pod.tolerations).toEqual([
      { key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" },
      {
        key: AKS_SPOT_TAINT.key,
        operator: "Equal",
        value: AKS_SPOT_TAINT.value,
        effect: AKS_SPOT_TAINT.effect,
      },
    ]);
    expect(pod.containers[0]?.resources.limits).toEqual({
      cpu: "2000m",
      memory: "8192Mi",
      "nvidia.com/gpu": "1",
    });
    expect(pod.serviceAccountName).toBe("embed");
    expect(embed.spec.template.metadata.labels["azure.workload.identity/use"]).toBe("true");
    expect(embed.spec.template.metadata.annotations).toEqual({
      "placement.hybrid-ai-infra.io/target": "aks",
      "placement.hybrid-ai-infra.io/pool": "t4-spot",
      "placement.hybrid-ai-infra.io/trust": "public",
      "placement.hybrid-ai-infra.io/classification": "public",
    });
  });

  it("runs GPU batch on EKS spot with the NVIDIA taint tolerated, and lets the shop reach embed across namespaces", async () => {
    const out = renderPlacement({
      networks: NETWORKS,
      result: await decided,
      workloads: catalog,
      targets: realTargets,
    });
    const job = pick(out, "eks", "Job", "crawl-index");
    expect(job.spec.template.spec.nodeSelector).toEqual({
      "hybrid-ai-infra.io/pool": "gpu-spot",
      "hybrid-ai-infra.io/trust": "public",
      "hybrid-ai-infra.io/capacity": "spot",
      "hybrid-ai-infra.io/gpu-model": "A10G",
    });
    expect(job.spec.template.spec.tolerations).toEqual([
      { key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" },
    ]);
    const placedMix = await decided;
    const allowShop = pick(out, "eks", "NetworkPolicy", "allow-shop");
    // embed runs on AKS only: a selector here would match nothing, so the rule allows AKS's network.
    expect(allowShop.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: "10.30.0.0/16" } }], ports: [{ protocol: "TCP", port: 8000 }] },
    ]);
    expect(() => renderPlacement({ result: placedMix, workloads: catalog, targets: realTargets })).toThrow(
      /names "shop", which runs on eks, not only on aks: a policy here cannot select its pods/,
    );
  });
});

describe("workload fields the API server or the GPUs would reject", () => {
  const base = workloads[0] as WorkloadSpec;
  const problems = (patch: Record<string, unknown>): string[] => {
    const parsed = workloadSpecSchema.safeParse({ ...base, ...patch });
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("refuses port names that are not IANA service names, NVIDIA_* variables and the name dns", () => {
    for (const name of ["8080", "a--b", "-web", "web-", "averylongportname"]) {
      expect(problems({ ports: [{ name, port: 8080 }] }).join("\n")).toContain("is not an IANA service name");
    }
    expect(problems({ ports: [{ name: "http-2", port: 8080 }] })).toEqual([]);
    expect(problems({ env: { NVIDIA_VISIBLE_DEVICES: "all" } }).join("\n")).toContain(
      "would override the GPUs the device plugin assigned",
    );
    expect(problems({ name: "dns" }).join("\n")).toContain("baseline allow-dns policy");
  });

  it("runs as the catalog's numeric user and pulls with its registry secrets", () => {
    const own: WorkloadSpec = {
      ...base,
      runAsUser: 1001,
      runAsGroup: 1002,
      fsGroup: 1003,
      imagePullSecrets: ["regcred"],
    };
    const [target] = renderPlacement({
      networks: NETWORKS,
      result,
      workloads: [own, ...workloads.slice(1)],
      targets,
    });
    const job = target?.objects.find(
      (o): o is JobObject => o.kind === "Job" && o.metadata.name === "finetune",
    );
    expect(job?.spec.template.spec.securityContext).toMatchObject({
      runAsUser: 1001,
      runAsGroup: 1002,
      fsGroup: 1003,
    });
    expect(job?.spec.template.spec.imagePullSecrets).toEqual([{ name: "regcred" }]);
    expect(() => new Job(job as never).validate()).not.toThrow();
  });
});

describe("restricted data", () => {
  it("gets no egress rule to the whole internet", () => {
    const restricted = {
      ...(workloads[0] as WorkloadSpec),
      egress: [{ toCidrs: ["10.0.0.0/8", "0.0.0.0/0"] }],
    };
    const parsed = workloadSpecSchema.safeParse(restricted);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      'egress.0.toCidrs.1: "0.0.0.0/0" is the whole internet, and the workload\'s data is restricted; name the networks it needs',
    ]);
    expect(workloadSpecSchema.safeParse({ ...restricted, classification: "internal" }).success).toBe(true);
  });
});
