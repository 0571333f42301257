// The facts the policy pack shares with the library, copied into the pack as data: the pack is
// published alone (`pulumi policy publish` packs policies/ and nothing else) and components/ must
// never import policies/, so the library stays the one source and this script its one copy.
// `npx tsx scripts/policy/vendor-facts.ts` rewrites policies/facts/library.json; a test fails
// when the copy and the library disagree.
//
// The add-on facts are read from the add-ons as the library renders them: what each one needs
// that Pod Security forbids others (a host path, root, privileges) is exactly what the pack
// waives for it, and only for the workload the library itself declared (by component and image),
// never for whatever else runs in kube-system.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  CLUSTER_AUTOSCALER_IMAGES,
  CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
  EKS_REGISTRY_ACCOUNT,
  EKS_REGISTRY_EXCEPTIONS,
  GPU_TAINT,
  KUBERNETES_VERSIONS,
  KUEUE_DEFAULT_LOCAL_QUEUE,
  KUEUE_IMAGE,
  KUEUE_LABELS,
  LABEL_POOL,
  LABEL_TRUST,
  MULTIKUEUE_CONTROLLER,
} from "../../components/facts";
import {
  LABEL_DATA_CLASSIFICATION,
  METRICS_IMAGES,
  PLACEMENT_ANNOTATIONS,
} from "../../components/kubernetes";
import {
  renderClusterAutoscaler,
  renderClusterMetrics,
  renderEfaDevicePlugin,
  renderKueue,
  renderNvidiaDevicePlugin,
} from "../../components/kubernetes/internal";
import { CLASSIFICATIONS, mayRunOnPublic } from "../../components/placement";
import { flagName } from "../../policies/kit/pods";

/** Where the copy lives. */
export const LIBRARY_FACTS_FILE = resolve(__dirname, "../../policies/facts/library.json");

/** What one of the library's cluster add-ons needs that Pod Security forbids others. */
export interface AddonFacts {
  /** What it is, for messages. */
  title: string;
  /** The component type it is declared under (its URN's type chain holds it). */
  component: string;
  kind: string;
  namespace: string;
  /** Image repositories (without tag or digest) its containers run, or, with `registryPattern`, the repository's path. */
  repositories: string[];
  /** A regular expression the registry host must match when the repository is regional (EKS add-on images). */
  registryPattern?: string;
  hostPaths: string[];
  privileged: boolean;
  hostNetwork: boolean;
  allowPrivilegeEscalation: boolean;
  addedCapabilities: string[];
  runsAsRoot: boolean;
  withoutSeccomp: boolean;
  writableRootFilesystem: boolean;
  mountsServiceAccountToken: boolean;
  /** A container without cpu or memory limits (node agents at node-critical priority, as upstream charts ship them). */
  withoutLimits: boolean;
  /** A container whose UID is the image's (no runAsUser), as the upstream install ships it. */
  imageUser: boolean;
  /** The executable its containers run: `command[0]` as rendered, or null for the image's own entrypoint. */
  entrypoint: string | null;
  /**
   * The flags its containers pass (`--name` of `--name=value`), in `command` after the executable
   * and in `args`: the waiver holds only while every argument is one of these, so the add-on's
   * image never runs a command of the program's own (a shell, say) under the add-on's privileges.
   */
  flags: string[];
}

/** A Role or ClusterRole the library declares for an add-on, exactly as it renders it. */
export interface AddonRoleFacts {
  title: string;
  component: string;
  kind: string;
  name: string;
  namespace?: string;
  rules: unknown[];
}

type Obj = Record<string, unknown>;
const at = (o: unknown, key: string): unknown =>
  o !== null && typeof o === "object" ? (o as Obj)[key] : undefined;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** The deviations of one rendered workload's pod template. */
function deviations(
  object: Obj,
): Omit<AddonFacts, "title" | "component" | "kind" | "namespace" | "repositories" | "registryPattern"> {
  const pod = at(at(at(object, "spec"), "template"), "spec") as Obj;
  const containers = [...arr(pod.initContainers), ...arr(pod.containers)];
  const sc = (c: Obj) => (at(c, "securityContext") ?? {}) as Obj;
  const podSc = (pod.securityContext ?? {}) as Obj;
  const seccompOk = (o: Obj) =>
    ["RuntimeDefault", "Localhost"].includes(String(at(at(o, "seccompProfile"), "type")));
  return {
    hostPaths: arr(pod.volumes).flatMap((v) => {
      const path = at(at(v, "hostPath"), "path");
      return typeof path === "string" ? [path] : [];
    }),
    privileged: containers.some((c) => sc(c).privileged === true),
    hostNetwork: pod.hostNetwork === true,
    allowPrivilegeEscalation: containers.some((c) => sc(c).allowPrivilegeEscalation !== false),
    addedCapabilities: [
      ...new Set(
        containers.flatMap((c) =>
          arr(at(sc(c), "capabilities") && at(at(sc(c), "capabilities"), "add")).map(String),
        ),
      ),
    ].sort(),
    runsAsRoot: !(podSc.runAsNonRoot === true || containers.every((c) => sc(c).runAsNonRoot === true)),
    withoutSeccomp: !(seccompOk(podSc) || containers.every((c) => seccompOk(sc(c)))),
    writableRootFilesystem: containers.some((c) => sc(c).readOnlyRootFilesystem !== true),
    mountsServiceAccountToken: pod.automountServiceAccountToken !== false,
    withoutLimits: containers.some((c) => {
      const limits = at(at(c, "resources"), "limits");
      return at(limits, "cpu") === undefined || at(limits, "memory") === undefined;
    }),
    imageUser: containers.some((c) => sc(c).runAsUser === undefined && podSc.runAsUser === undefined),
    entrypoint: entrypointOf(containers),
    flags: [
      ...new Set(
        containers.flatMap((c) =>
          [...arr(at(c, "command")).slice(1), ...arr(at(c, "args"))].map((a) => {
            const name = flagName(String(a));
            if (name === undefined)
              throw new Error(
                `container ${String(at(c, "name"))} of ${String(at(at(object, "metadata"), "name"))} passes ${JSON.stringify(a)}, which is not --flag or --flag=value; the pack waives an add-on only while it passes flags`,
              );
            return name;
          }),
        ),
      ),
    ].sort(),
  };
}

/** The one executable every container runs (`command[0]`, or null for the image's entrypoint). */
function entrypointOf(containers: readonly Obj[]): string | null {
  const found = new Set(
    containers.map((c) => arr(at(c, "command"))[0] ?? null).map((e) => (e === null ? null : String(e))),
  );
  if (found.size !== 1)
    throw new Error(
      `an add-on's containers run ${found.size} executables (${[...found].map((e) => JSON.stringify(e)).join(", ")}); the facts hold one per add-on`,
    );
  return [...found][0] ?? null;
}

const repository = (image: string) => image.replace(/@.*$/, "").replace(/:[^/:]+$/, "");

function union(
  a: ReturnType<typeof deviations>,
  b: ReturnType<typeof deviations>,
): ReturnType<typeof deviations> {
  return {
    hostPaths: [...new Set([...a.hostPaths, ...b.hostPaths])].sort(),
    privileged: a.privileged || b.privileged,
    hostNetwork: a.hostNetwork || b.hostNetwork,
    allowPrivilegeEscalation: a.allowPrivilegeEscalation || b.allowPrivilegeEscalation,
    addedCapabilities: [...new Set([...a.addedCapabilities, ...b.addedCapabilities])].sort(),
    runsAsRoot: a.runsAsRoot || b.runsAsRoot,
    withoutSeccomp: a.withoutSeccomp || b.withoutSeccomp,
    writableRootFilesystem: a.writableRootFilesystem || b.writableRootFilesystem,
    mountsServiceAccountToken: a.mountsServiceAccountToken || b.mountsServiceAccountToken,
    withoutLimits: a.withoutLimits || b.withoutLimits,
    imageUser: a.imageUser || b.imageUser,
    entrypoint: a.entrypoint === b.entrypoint ? a.entrypoint : unequal(a.entrypoint, b.entrypoint),
    flags: [...new Set([...a.flags, ...b.flags])].sort(),
  };
}

function unequal(a: string | null, b: string | null): never {
  throw new Error(
    `an add-on's variants run ${JSON.stringify(a)} and ${JSON.stringify(b)}; the facts hold one executable`,
  );
}

/** The library's add-ons and what each is allowed, from their renderers. */
function addons(): AddonFacts[] {
  // Every variant the component can render: a pool with MIG adds SYS_ADMIN.
  const nvidia = ["none", "single"] as const;
  const nvidiaRenders = nvidia.map(
    (m) => renderNvidiaDevicePlugin("plugin", { migStrategy: m }) as unknown as Obj,
  );
  const nvidiaImage = String(
    at(arr(at(at(at(at(nvidiaRenders[0], "spec"), "template"), "spec"), "containers"))[0], "image"),
  );
  const efaPlaceholder = `${EKS_REGISTRY_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/eks/aws-efa-k8s-device-plugin:v0`;
  const efa = renderEfaDevicePlugin("efa", {
    image: efaPlaceholder,
    pools: ["p"],
    taints: [],
  }) as unknown as Obj;
  const autoscalerImage = Object.values(CLUSTER_AUTOSCALER_IMAGES)[0] ?? "";
  const autoscaler = renderClusterAutoscaler({
    clusterName: "c",
    region: "eu-west-1",
    image: autoscalerImage,
  }).find((o) => o.kind === "Deployment") as unknown as Obj;
  const kueue = kueueObjects().find((o) => o.kind === "Deployment") as unknown as Obj;
  // DCGM reads GPU use per pod from the kubelet's pod-resources socket and profiling counters with
  // SYS_ADMIN, as NVIDIA's own DaemonSet does; the facts are those of the rendered DaemonSet.
  const dcgm = renderClusterMetrics({
    site: "s",
    collection: "prometheus",
    dcgmExporter: { pools: ["gpu"], taints: [] },
    apiServerCidrs: ["10.0.0.0/16"],
    dashboard: "{}",
    prometheus: { remoteWriteUrl: "https://metrics.example/api/v1/write", rules: "" },
  }).find((o) => o.kind === "DaemonSet" && /dcgm/.test(String(o.metadata.name))) as unknown as Obj;
  const accounts = [EKS_REGISTRY_ACCOUNT, ...Object.values(EKS_REGISTRY_EXCEPTIONS)];
  const [first, ...rest] = nvidiaRenders.map(deviations);
  return [
    {
      title: "NVIDIA device plugin",
      component: "hybrid-ai-infra:index:NvidiaDevicePlugin",
      kind: "DaemonSet",
      namespace: String(at(at(nvidiaRenders[0], "metadata"), "namespace")),
      repositories: [repository(nvidiaImage)],
      ...rest.reduce(union, first ?? deviations(nvidiaRenders[0] ?? {})),
    },
    {
      title: "EFA device plugin",
      component: "hybrid-ai-infra:index:ClusterAddons",
      kind: "DaemonSet",
      namespace: String(at(at(efa, "metadata"), "namespace")),
      repositories: ["eks/aws-efa-k8s-device-plugin"],
      registryPattern: `^(${[...new Set(accounts)].join("|")})\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?$`,
      ...deviations(efa),
    },
    {
      title: "Cluster Autoscaler",
      component: "hybrid-ai-infra:index:ClusterAddons",
      kind: "Deployment",
      namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace,
      repositories: [...new Set(Object.values(CLUSTER_AUTOSCALER_IMAGES).map(repository))],
      ...deviations(autoscaler),
    },
    {
      title: "Kueue",
      component: "hybrid-ai-infra:index:ClusterAddons",
      kind: "Deployment",
      namespace: String(at(at(kueue, "metadata"), "namespace")),
      repositories: [repository(KUEUE_IMAGE)],
      ...deviations(kueue),
    },
    {
      title: "NVIDIA DCGM exporter",
      component: "hybrid-ai-infra:index:ClusterMetrics",
      kind: "DaemonSet",
      namespace: String(at(at(dcgm, "metadata"), "namespace")),
      repositories: [repository(METRICS_IMAGES.dcgmExporter)],
      ...deviations(dcgm),
    },
  ];
}

/** Kueue's install as ClusterAddons renders it (its roles do not depend on the arguments). */
const kueueObjects = () => renderKueue({ image: KUEUE_IMAGE, clusterName: "c", systemPool: true });

/** The roles the library's add-ons are declared with, each as rendered. */
function addonRoles(): AddonRoleFacts[] {
  return kueueObjects()
    .filter((o) => o.kind === "Role" || o.kind === "ClusterRole")
    .map((o) => ({
      title: "Kueue",
      component: "hybrid-ai-infra:index:ClusterAddons",
      kind: o.kind,
      name: o.metadata.name,
      ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
      rules: (o.rules as unknown[] | undefined) ?? [],
    }));
}

/** Everything the pack reads from the library. */
export function libraryFacts() {
  return {
    kubernetesVersions: { eks: [...KUBERNETES_VERSIONS.eks], aks: [...KUBERNETES_VERSIONS.aks] },
    labels: { classification: LABEL_DATA_CLASSIFICATION, trust: LABEL_TRUST, pool: LABEL_POOL },
    annotations: {
      target: PLACEMENT_ANNOTATIONS.target,
      trust: PLACEMENT_ANNOTATIONS.trust,
      classification: PLACEMENT_ANNOTATIONS.classification,
      pool: PLACEMENT_ANNOTATIONS.pool,
    },
    gpuTaint: { key: GPU_TAINT.key, effect: GPU_TAINT.effect },
    // Lowest to highest, and placement's one rule of where each may run (components/placement's
    // trust filter), read by evaluating it: the pack cannot import the function.
    classifications: [...CLASSIFICATIONS],
    mayRunOnPublic: Object.fromEntries(CLASSIFICATIONS.map((c) => [c, mayRunOnPublic(c)])),
    kueue: {
      queueLabel: KUEUE_LABELS.queueName,
      defaultLocalQueue: KUEUE_DEFAULT_LOCAL_QUEUE,
      multiKueueController: MULTIKUEUE_CONTROLLER,
    },
    addons: addons(),
    addonRoles: addonRoles(),
  };
}

/** The file's text. */
export function libraryFactsJson(): string {
  return `${JSON.stringify(libraryFacts(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(LIBRARY_FACTS_FILE, libraryFactsJson());
  // As Biome formats JSON, so `npx biome check .` stays clean.
  spawnSync(resolve(__dirname, "../../node_modules/.bin/biome"), ["format", "--write", LIBRARY_FACTS_FILE], {
    stdio: "ignore",
  });
  process.stdout.write(`wrote ${join("policies", "facts", "library.json")}\n`);
}
