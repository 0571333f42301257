// Pod Security, over every pod-bearing kind in every API version, as a server-side-apply patch
// (only what the patch sets is judged: the rest keeps the live object's values) or in a list:
// the restricted profile's controls (privileged, host namespaces and paths, capabilities, root,
// seccomp, escalation, unsafe kernel settings), pinned images, secrets kept out of environment
// variables, requests and limits, tokens mounted only where asked, nothing in the default
// namespace. Only the library's own add-ons may deviate, recognised by the component that
// declared them and the images they run (kit/pods.ts), and only in what their render needs; the
// pack's configuration may exempt other workloads by exact identity. A namespace, a label or a
// name a workload gives itself exempts nothing.
import {
  type AddonFacts,
  type ContainerView,
  configExempt,
  EXEMPT_WORKLOADS_SCHEMA,
  effective,
  family,
  get,
  isAbsent,
  isFalse,
  isTrue,
  isUnknown,
  k8s,
  libraryAddon,
  list,
  oneOf,
  POD_KINDS,
  type PodView,
  parseImage,
  podOf,
  type ResourceContext,
  type RuleFacts,
  resourceRule,
  show,
  stringMap,
  strings,
  UNKNOWN,
} from "../kit";

/** What a pod rule's check receives. */
type PodCheck = (ctx: ResourceContext, pod: PodView, addon: AddonFacts | undefined) => void;

/** A rule over every pod-bearing kind, skipping workloads the configuration exempts. */
function podRule(facts: RuleFacts, check: PodCheck) {
  return resourceRule({
    ...facts,
    configSchema: {
      ...facts.configSchema,
      properties: { ...EXEMPT_WORKLOADS_SCHEMA.properties, ...facts.configSchema?.properties },
    },
    types: POD_KINDS,
    check: (ctx) => {
      if (configExempt(ctx)) return;
      const pod = podOf(ctx.type, ctx.props);
      if (!pod) return;
      // An unknown container or field is left to the update where a check reads it; the rest is judged.
      if (!ctx.known(isUnknown(get(ctx.props, pod.specPath)) ? UNKNOWN : undefined, pod.specPath)) return;
      check(ctx, pod, libraryAddon(ctx));
    },
  });
}

/** Runs `judge` on each container whose inputs are known. */
function eachContainer(ctx: ResourceContext, pod: PodView, judge: (c: ContainerView) => void): void {
  for (const c of pod.containers) if (ctx.known(c.container, `${pod.specPath}.${c.label}`)) judge(c);
}

export const k8sNoPrivileged = podRule(
  {
    name: "k8s-no-privileged",
    description:
      "No container is privileged (securityContext.privileged), which hands it every device and capability of the node.",
    remediation:
      "Remove securityContext.privileged; grant the one capability or device the container needs instead.",
    benchmarks: [
      "cis-k8s:5.2.2",
      "cis-eks:4.2.1",
      "cis-aks:4.2.1",
      "checkov:CKV_K8S_16",
      "kics:dd29336b-fe57-445b-a26e-e6aa867ae609",
    ],
    enforcementLevel: "mandatory",
  },
  (ctx, pod, addon) =>
    eachContainer(ctx, pod, ({ container, label }) => {
      if (isTrue(get(container, "securityContext.privileged")) && !addon?.privileged)
        ctx.report(`${label} is privileged; remove securityContext.privileged`);
    }),
);

/** Pod spec fields that hand a pod the host's namespaces. */
const HOST_NAMESPACES = ["hostNetwork", "hostPID", "hostIPC"] as const;

export const k8sNoHostNamespaces = podRule(
  {
    name: "k8s-no-host-namespaces",
    description: "No pod joins the host's network, PID or IPC namespace (hostNetwork, hostPID, hostIPC).",
    remediation: "Remove hostNetwork, hostPID and hostIPC; expose the pod through a Service.",
    benchmarks: [
      "cis-k8s:5.2.3",
      "cis-k8s:5.2.4",
      "cis-k8s:5.2.5",
      "cis-eks:4.2.2",
      "cis-eks:4.2.3",
      "cis-eks:4.2.4",
      "cis-aks:4.2.2",
      "cis-aks:4.2.3",
      "cis-aks:4.2.4",
      "checkov:CKV_K8S_17",
      "checkov:CKV_K8S_18",
      "checkov:CKV_K8S_19",
      "kics:302736f4-b16c-41b8-befe-c0baffa0bd9d",
      "kics:cd290efd-6c82-4e9d-a698-be12ae31d536",
      "kics:6b6bdfb3-c3ae-44cb-88e4-7405c1ba2c8a",
    ],
    enforcementLevel: "mandatory",
  },
  (ctx, pod, addon) => {
    for (const field of HOST_NAMESPACES) {
      if (field === "hostNetwork" && addon?.hostNetwork) continue;
      if (!ctx.known(pod.spec[field], `${pod.specPath}.${field}`)) continue;
      if (isTrue(pod.spec[field]))
        ctx.report(`${pod.specPath}.${field} is true; pods stay out of the host's namespaces`);
    }
  },
);

export const k8sNoPrivilegeEscalation = podRule(
  {
    name: "k8s-no-privilege-escalation",
    description:
      "Every container sets securityContext.allowPrivilegeEscalation false, so setuid binaries and file capabilities cannot raise its privileges (a privileged container always can).",
    remediation: "Set securityContext.allowPrivilegeEscalation: false on every container.",
    benchmarks: [
      "cis-k8s:5.2.6",
      "cis-eks:4.2.5",
      "cis-aks:4.2.5",
      "checkov:CKV_K8S_20",
      "checkov:CKV_K8S_30",
      "kics:5572cc5e-1e4c-4113-92a6-7a8a3bd25e6d",
      "kics:0a7c420c-4568-4cec-ba36-4d42a6f9613b",
    ],
    enforcementLevel: "mandatory",
  },
  (ctx, pod, addon) =>
    eachContainer(ctx, pod, ({ container, label }) => {
      if (addon?.allowPrivilegeEscalation) return;
      const value = get(container, "securityContext.allowPrivilegeEscalation");
      if (isAbsent(value) && !ctx.judgesAbsent) return;
      if (!isFalse(value))
        ctx.report(
          `${label} has securityContext.allowPrivilegeEscalation ${show(value, "default true")}; set it to false`,
        );
    }),
);

/** Host paths that hand a container the node (the root, the kubelet, the container runtime). */
const DANGEROUS_HOST_PATHS = [
  "/",
  "/etc",
  "/proc",
  "/sys",
  "/boot",
  "/dev",
  "/root",
  "/var/lib/kubelet",
  "/var/lib/docker",
  "/var/lib/containerd",
  "/var/run",
  "/run",
];

export const k8sNoHostPath = podRule(
  {
    name: "k8s-no-host-path",
    description:
      "No pod mounts a host path (volumes[].hostPath): it reads or writes the node's files, the container runtime's socket included. Only the library's own device plugins mount the exact paths their render needs.",
    remediation:
      "Use emptyDir, a PersistentVolumeClaim, a ConfigMap or a projected volume; a node agent that needs a host path belongs to the platform's add-ons.",
    benchmarks: [
      "cis-k8s:5.2.11",
      "checkov:CKV_K8S_27",
      "kics:aa8f7a35-9923-4cad-bd61-a19b7f6aac91",
      "kics:5308a7a8-06f8-45ac-bf10-791fe21de46e",
      "kics:a6f34658-fdfb-4154-9536-56d516f65828",
      "kics:b7652612-de4e-4466-a0bf-1cd81f0c6063",
    ],
    enforcementLevel: "mandatory",
  },
  (ctx, pod, addon) => {
    list(pod.spec.volumes).forEach((v, i) => {
      const path = get(v, "hostPath.path");
      if (!ctx.known(path, `${pod.specPath}.volumes[${i}].hostPath`) || isAbsent(get(v, "hostPath"))) return;
      const normalized = typeof path === "string" ? path.replace(/\/+$/, "") || "/" : "";
      if (addon?.hostPaths.some((p) => p.replace(/\/+$/, "") === normalized)) return;
      const danger = DANGEROUS_HOST_PATHS.find(
        (d) => normalized === d || (d !== "/" && normalized.startsWith(`${d}/`)),
      );
      ctx.report(
        `${pod.specPath}.volumes[${i}] mounts host path ${show(path)}${danger ? ` (under ${danger}, which controls the node)` : ""}; use a volume that is not the node's`,
      );
    });
  },
);

/** A capability's name without `CAP_`, upper case. */
const capability = (value: unknown) =>
  typeof value === "string" ? value.toUpperCase().replace(/^CAP_/, "") : "";

export const k8sCapabilities = podRule(
  {
    name: "k8s-capabilities",
    description:
      "Every container drops ALL Linux capabilities and adds back none but NET_BIND_SERVICE (the restricted Pod Security profile): no SYS_ADMIN, NET_RAW or NET_ADMIN, in any spelling (CAP_SYS_ADMIN, sys_admin).",
    remediation:
      'Set securityContext.capabilities { drop: ["ALL"] } and add only NET_BIND_SERVICE where a port below 1024 is needed.',
    benchmarks: [
      "cis-k8s:5.2.8",
      "cis-k8s:5.2.9",
      "checkov:CKV_K8S_25",
      "checkov:CKV_K8S_28",
      "checkov:CKV_K8S_37",
      "checkov:CKV_K8S_39",
      "kics:19ebaa28-fc86-4a58-bcfa-015c9e22fe40",
      "kics:dbbc6705-d541-43b0-b166-dd4be8208b54",
      "kics:235236ee-ad78-4065-bd29-61b061f28ce0",
      "kics:268ca686-7fb7-4ae9-b129-955a2a89064e",
      "kics:2f1a0619-b12b-48a0-825f-993bb6f01d58",
    ],
    enforcementLevel: "mandatory",
  },
  (ctx, pod, addon) =>
    eachContainer(ctx, pod, ({ container, label }) => {
      const caps = get(container, "securityContext.capabilities");
      if (addon?.privileged) return;
      const added = list(get(caps, "add")).map(capability);
      const allowed = new Set(["NET_BIND_SERVICE", ...(addon?.addedCapabilities ?? []).map(capability)]);
      const extra = added.filter((c) => !allowed.has(c));
      if (extra.length > 0)
        ctx.report(`${label} adds capabilities ${extra.join(", ")}; add none but NET_BIND_SERVICE`);
      const dropped = list(get(caps, "drop")).map(capability);
      if (!dropped.includes("ALL") && (ctx.judgesAbsent || !isAbsent(get(caps, "drop"))))
        ctx.report(
          `${label} drops ${show(get(caps, "drop"), "no capability")}, so it keeps the runtime's defaults (NET_RAW among them); drop ALL`,
        );
    }),
);

export const k8sRunAsNonRoot = podRule(
  {
    name: "k8s-run-as-non-root",
    description:
      "Every container runs as a non-root user: runAsNonRoot true (pod or container) and no runAsUser 0 anywhere, so a container escape lands as an unprivileged user.",
    remediation:
      "Set securityContext.runAsNonRoot: true and runAsUser to a non-zero UID (10000 or above) on the pod.",
    benchmarks: [
      "cis-k8s:5.2.7",
      "checkov:CKV_K8S_23",
      "checkov:CKV_K8S_29",
      "kics:cf34805e-3872-4c08-bf92-6ff7bb0cfadb",
      "kics:a97a340a-0063-418e-b3a1-3028941d0995",
    ],
    enforcementLevel: "mandatory",
  },
  (ctx, pod, addon) => {
    if (addon?.runsAsRoot) return;
    eachContainer(ctx, pod, ({ container, label }) => {
      const nonRoot = effective(pod, container, "runAsNonRoot");
      const user = effective(pod, container, "runAsUser");
      if (!ctx.known([nonRoot, user], `${label} runAsNonRoot, runAsUser`)) return;
      if (user === 0 || user === "0")
        ctx.report(`${label} runs as runAsUser 0 (root); run as a non-zero UID`);
      else if (!isTrue(nonRoot) && (ctx.judgesAbsent || !isAbsent(nonRoot)))
        ctx.report(
          `${label} has runAsNonRoot ${show(nonRoot)} (pod or container), so the image may run as root; set runAsNonRoot: true`,
        );
    });
  },
);

export const k8sHighUid = podRule(
  {
    name: "k8s-high-uid",
    description:
      "Containers run as a UID of 10000 or more (runAsUser), which no host account uses, so a container escape maps to no host user.",
    remediation: "Set securityContext.runAsUser to 10000 or above (the library's workloads use 65532).",
    benchmarks: ["checkov:CKV_K8S_40", "kics:02323c00-cdc3-4fdc-a310-4f2b3e7a1660"],
    enforcementLevel: "advisory",
  },
  (ctx, pod, addon) => {
    if (addon?.runsAsRoot || addon?.imageUser) return;
    eachContainer(ctx, pod, ({ container, label }) => {
      const user = effective(pod, container, "runAsUser");
      if (!ctx.known(user, `${label} runAsUser`)) return;
      if (isAbsent(user) && !ctx.judgesAbsent) return;
      const uid = typeof user === "number" ? user : Number(user);
      if (!Number.isFinite(uid) || uid < 10000)
        ctx.report(
          `${label} runs as runAsUser ${show(user, "the image's user")}; use a UID of 10000 or more`,
        );
    });
  },
);

const SECCOMP_OK = ["RuntimeDefault", "Localhost"];
const LEGACY_SECCOMP = "seccomp.security.alpha.kubernetes.io/pod";

export const k8sSeccomp = podRule(
  {
    name: "k8s-seccomp",
    description:
      "Every container runs under a seccomp profile (RuntimeDefault or Localhost, on the pod or each container; the legacy pod annotation runtime/default counts); Unconfined and unset leave every syscall open.",
    remediation: 'Set securityContext.seccompProfile { type: "RuntimeDefault" } on the pod.',
    benchmarks: [
      "cis-k8s:5.6.2",
      "cis-k8s:5.6.3",
      "cis-aks:4.6.2",
      "checkov:CKV_K8S_31",
      "kics:f377b83e-bd07-4f48-a591-60c82b14a78b",
    ],
    enforcementLevel: "mandatory",
  },
  (ctx, pod, addon) => {
    if (addon?.withoutSeccomp) return;
    if (
      !ctx.known(
        [get(pod.spec, "securityContext.seccompProfile"), pod.metadata.annotations],
        `${pod.specPath}.securityContext.seccompProfile`,
      )
    )
      return;
    const annotation = stringMap(pod.metadata.annotations)[LEGACY_SECCOMP];
    const podOk =
      oneOf(get(pod.spec, "securityContext.seccompProfile.type"), ...SECCOMP_OK) ||
      (annotation !== undefined && /^(runtime\/default|docker\/default|localhost\/)/.test(annotation));
    eachContainer(ctx, pod, ({ container, label }) => {
      const own = get(container, "securityContext.seccompProfile.type");
      if (oneOf(own, ...SECCOMP_OK) || (isAbsent(own) && podOk)) return;
      if (isAbsent(own) && !ctx.judgesAbsent) return;
      ctx.report(
        `${label} runs with seccomp ${show(own ?? get(pod.spec, "securityContext.seccompProfile.type"), "unconfined")}; set seccompProfile.type RuntimeDefault`,
      );
    });
  },
);

export const k8sReadOnlyRootFilesystem = podRule(
  {
    name: "k8s-read-only-root-filesystem",
    description:
      "Containers mount their root filesystem read-only (securityContext.readOnlyRootFilesystem), writing only to declared volumes.",
    remediation:
      "Set readOnlyRootFilesystem: true and mount an emptyDir where the process writes (HOME, caches, /tmp).",
    benchmarks: ["checkov:CKV_K8S_22", "kics:a9c2f49d-0671-4fc9-9ece-f4e261e128d0"],
    enforcementLevel: "advisory",
  },
  (ctx, pod, addon) => {
    if (addon?.writableRootFilesystem) return;
    eachContainer(ctx, pod, ({ container, label }) => {
      const value = get(container, "securityContext.readOnlyRootFilesystem");
      if (!isTrue(value) && (ctx.judgesAbsent || !isAbsent(value)))
        ctx.report(`${label} has readOnlyRootFilesystem ${show(value)}; set it to true`);
    });
  },
);

/** Whether `image` comes from `allowed` (a registry host, or a registry and path prefix). */
function fromRegistry(image: string, allowed: string): boolean {
  const ref = parseImage(image);
  const full = `${ref.registry}/${ref.path}`.toLowerCase();
  const prefix = allowed.toLowerCase().replace(/\/+$/, "");
  return full === prefix || full.startsWith(`${prefix}/`);
}

export const k8sAllowedRegistries = podRule(
  {
    name: "k8s-allowed-registries",
    description:
      "Every container's image comes from a registry the organisation approved (allowedRegistries: hosts, or hosts with a path prefix; an image without a registry host is docker.io's). None listed: any registry.",
    remediation:
      "Mirror the image into an approved registry, or add the registry to the rule's allowedRegistries in the pack config.",
    benchmarks: ["cis-eks:5.1.4", "cis-aks:5.1.4"],
    enforcementLevel: "mandatory",
    configSchema: {
      properties: {
        allowedRegistries: {
          type: "array",
          items: { type: "string" },
          default: [],
          description:
            "Approved registries (registry.internal.example.com, nvcr.io/nvidia); empty allows every registry.",
        },
      },
    },
  },
  (ctx, pod) => {
    const allowed = strings(ctx.config.allowedRegistries);
    if (allowed.length === 0) return;
    eachContainer(ctx, pod, ({ container, label }) => {
      const image = container.image;
      if (typeof image === "string" && !allowed.some((a) => fromRegistry(image, a)))
        ctx.report(`${label} runs ${image}, from a registry allowedRegistries does not list`);
    });
  },
);

export const k8sImagePinned = podRule(
  {
    name: "k8s-image-pinned",
    description:
      "Every container names its image with a tag other than latest, or a digest: an untagged or latest image changes under the workload.",
    remediation: "Pin each image to a release tag (registry/app:1.8.4) or a digest (@sha256:...).",
    benchmarks: ["checkov:CKV_K8S_14", "kics:583053b7-e632-46f0-b989-f81ff8045385"],
    enforcementLevel: "mandatory",
  },
  (ctx, pod) =>
    eachContainer(ctx, pod, ({ container, label }) => {
      const image = container.image;
      if (isAbsent(image) && !ctx.judgesAbsent) return;
      if (typeof image !== "string" || image.trim() === "") {
        ctx.report(`${label} names no image`);
        return;
      }
      const ref = parseImage(image);
      if (ref.digest === undefined && (ref.tag === undefined || ref.tag.toLowerCase() === "latest"))
        ctx.report(
          `${label} runs ${image}, which ${ref.tag ? "is the moving latest tag" : "has no tag (latest)"}; pin a release tag or digest`,
        );
    }),
);

export const k8sImageDigest = podRule(
  {
    name: "k8s-image-digest",
    description:
      "Every container names its image by digest, so the registry cannot serve different content under the same tag.",
    remediation: "Reference images as registry/app@sha256:<digest> (keep the tag in a comment or label).",
    benchmarks: ["checkov:CKV_K8S_43", "kics:7c81d34c-8e5a-402b-9798-9f442630e678"],
    enforcementLevel: "advisory",
  },
  (ctx, pod) =>
    eachContainer(ctx, pod, ({ container, label }) => {
      if (typeof container.image === "string" && parseImage(container.image).digest === undefined)
        ctx.report(`${label} runs ${container.image} by tag; reference it by digest`);
    }),
);

export const k8sNoHostPorts = podRule(
  {
    name: "k8s-no-host-ports",
    description:
      "No container binds a host port (ports[].hostPort), which exposes it on the node's address past every NetworkPolicy.",
    remediation: "Remove hostPort and publish the container through a Service.",
    benchmarks: ["cis-k8s:5.2.12", "checkov:CKV_K8S_26", "kics:2b1836f1-dcce-416e-8e16-da8c71920633"],
    enforcementLevel: "mandatory",
  },
  (ctx, pod) =>
    eachContainer(ctx, pod, ({ container, label }) =>
      list(container.ports).forEach((p, i) => {
        const host = get(p, "hostPort");
        if (!isAbsent(host) && host !== 0)
          ctx.report(`${label}.ports[${i}] binds hostPort ${show(host)}; publish it through a Service`);
      }),
    ),
);

export const k8sSecretsAsFiles = podRule(
  {
    name: "k8s-secrets-as-files",
    description:
      "Containers read Secrets as mounted files, not environment variables (env[].valueFrom.secretKeyRef, envFrom[].secretRef): the environment leaks into logs, crash reports and child processes.",
    remediation: "Mount the Secret as a volume (or use the Secrets Store CSI driver) and read the file.",
    benchmarks: [
      "cis-k8s:5.4.1",
      "cis-eks:4.4.1",
      "cis-aks:4.5.1",
      "checkov:CKV_K8S_35",
      "kics:3d658f8b-d988-41a0-a841-40043121de1e",
    ],
    enforcementLevel: "mandatory",
  },
  (ctx, pod) =>
    eachContainer(ctx, pod, ({ container, label }) => {
      list(container.env).forEach((e, i) => {
        if (!isAbsent(get(e, "valueFrom.secretKeyRef")))
          ctx.report(
            `${label}.env[${i}] (${show(get(e, "name"))}) reads Secret ${show(get(e, "valueFrom.secretKeyRef.name"))} into the environment; mount it as a file`,
          );
      });
      list(container.envFrom).forEach((e, i) => {
        if (!isAbsent(get(e, "secretRef")))
          ctx.report(
            `${label}.envFrom[${i}] loads Secret ${show(get(e, "secretRef.name"))} into the environment; mount it as a file`,
          );
      });
    }),
);

/** Environment variable names that hold credentials. */
const SECRET_NAME =
  /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|CONNECTION_?STRING)/i;

/**
 * Values that are credentials whatever the variable is called: AWS access key ids, PEM private
 * keys, GitHub and Slack tokens, Azure storage connection strings with their account key.
 */
const SECRET_VALUE: readonly { shape: RegExp; what: string }[] = [
  { shape: /\b(AKIA|ASIA)[A-Z0-9]{16}\b/, what: "an AWS access key id" },
  { shape: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: "a private key" },
  { shape: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/, what: "a GitHub token" },
  { shape: /\bxox[abprs]-[A-Za-z0-9-]{10,}/, what: "a Slack token" },
  { shape: /AccountKey=[A-Za-z0-9+/=]{20,}/i, what: "a storage account key" },
];

/** A command-line flag that passes a credential literally (`--password=...`, `--token ...`). */
const SECRET_FLAG =
  /^--?[a-z0-9-]*(password|passwd|secret|token|api-?key|access-?key|private-?key)(=(.+))?$/i;

/** What credential `value` is by its shape, if any. */
const secretShape = (value: string) => SECRET_VALUE.find((v) => v.shape.test(value))?.what;

export const k8sNoPlaintextSecrets = podRule(
  {
    name: "k8s-no-plaintext-secrets",
    description:
      "No container carries a credential in plain text, which anyone who can read the workload reads too: an environment variable named like a password, token or key (PASSWORD, API_KEY, ...) with a literal value, any variable, command or argument whose value is shaped like a credential (an AWS access key id, a private key, a GitHub or Slack token, a storage account key), or a flag passing one (--password=..., --token ...).",
    remediation:
      "Put the value in a Secret (or Key Vault / Secrets Manager through the CSI driver) and mount it.",
    benchmarks: ["hybrid-ai-infra:secrets", "mcsb:IM-8"],
    enforcementLevel: "mandatory",
  },
  (ctx, pod) =>
    eachContainer(ctx, pod, ({ container, label }) => {
      for (const field of ["command", "args"]) {
        const words = list(container[field]);
        words.forEach((word, i) => {
          if (typeof word !== "string") return;
          const shape = secretShape(word);
          const flag = SECRET_FLAG.exec(word.trim());
          const next = words[i + 1];
          const literal =
            flag &&
            (flag[3] !== undefined
              ? !flag[3].startsWith("$(") && !flag[3].startsWith("/")
              : typeof next === "string" &&
                next !== "" &&
                !/^(-|\$\(|\/)/.test(next) &&
                !/^(true|false)$/i.test(next));
          if (shape)
            ctx.report(
              `${label}.${field}[${i}] holds ${shape}; keep credentials in a Secret mounted as a file`,
            );
          else if (literal && !/-file$/i.test(flag[0].split("=")[0] ?? ""))
            ctx.report(
              `${label}.${field}[${i}] passes ${flag[0].split("=")[0]} a literal value; read it from a mounted Secret file`,
            );
        });
      }
      list(container.env).forEach((e, i) => {
        const name = get(e, "name");
        const value = get(e, "value");
        const shape = typeof value === "string" ? secretShape(value) : undefined;
        if (shape && !(typeof name === "string" && SECRET_NAME.test(name))) {
          ctx.report(
            `${label}.env[${i}] ${String(name)} holds ${shape}; keep credentials in a Secret mounted as a file`,
          );
          return;
        }
        if (
          typeof name === "string" &&
          SECRET_NAME.test(name) &&
          typeof value === "string" &&
          value.trim() !== "" &&
          // A *_FILE variable names where a mounted credential is (AWS_WEB_IDENTITY_TOKEN_FILE,
          // AZURE_FEDERATED_TOKEN_FILE): a path, not the credential.
          !(/_FILE$/i.test(name) && value.startsWith("/"))
        )
          ctx.report(
            `${label}.env[${i}] ${name} holds a literal value; keep credentials in a Secret mounted as a file`,
          );
      });
    }),
);

function checkResources(ctx: ResourceContext, { container, label }: ContainerView): void {
  const rawRequests = get(container, "resources.requests") as Record<string, unknown> | undefined;
  const rawLimits = get(container, "resources.limits") as Record<string, unknown> | undefined;
  const has = (m: Record<string, unknown> | undefined, k: string) =>
    m !== undefined && m !== null && !isAbsent(m[k]);
  if (!ctx.judgesAbsent && isAbsent(get(container, "resources"))) return;
  const missing = [
    ...["cpu", "memory"].filter((r) => !has(rawRequests, r)).map((r) => `requests.${r}`),
    ...["cpu", "memory"].filter((r) => !has(rawLimits, r)).map((r) => `limits.${r}`),
  ];
  if (missing.length > 0) ctx.report(`${label} sets no ${missing.join(", ")}`);
  const gpu = "nvidia.com/gpu";
  const requested = rawRequests?.[gpu];
  if (!isAbsent(requested) && String(rawLimits?.[gpu] ?? "") !== String(requested))
    ctx.report(
      `${label} requests ${String(requested)} ${gpu} but limits ${String(rawLimits?.[gpu] ?? "none")}; GPUs need equal requests and limits`,
    );
}

export const k8sRequestsLimits = podRule(
  {
    name: "k8s-requests-limits",
    description:
      "Every container sets cpu and memory requests and limits (and equal GPU requests and limits), so quotas, scheduling and eviction hold.",
    remediation: "Set resources.requests and resources.limits for cpu and memory on every container.",
    benchmarks: [
      "checkov:CKV_K8S_10",
      "checkov:CKV_K8S_11",
      "checkov:CKV_K8S_12",
      "checkov:CKV_K8S_13",
      "kics:ca469dd4-c736-448f-8ac1-30a642705e0a",
      "kics:229588ef-8fde-40c8-8756-f4f2b5825ded",
      "kics:b14d1bc4-a208-45db-92f0-e21f8e2588e9",
      "kics:4ac0e2b7-d2d2-4af7-8799-e8de6721ccda",
    ],
    enforcementLevel: "mandatory",
  },
  (ctx, pod, addon) => {
    // The library's node agents run without limits at node-critical priority, as upstream ships them.
    if (addon?.withoutLimits) return;
    eachContainer(ctx, pod, (c) => checkResources(ctx, c));
  },
);

export const k8sServiceAccountToken = podRule(
  {
    name: "k8s-service-account-token",
    description:
      "A pod mounts a service account token only when it asks for one, under an account of its own: automountServiceAccountToken false, or explicitly true with a serviceAccountName other than default. The default (unset, true) gives every pod an API credential it rarely needs; the namespace's default account shares it among all of them.",
    remediation:
      "Set automountServiceAccountToken: false on the pod; a pod that calls the API runs as its own ServiceAccount with automountServiceAccountToken: true.",
    benchmarks: [
      "cis-k8s:5.1.6",
      "cis-k8s:5.1.5",
      "cis-eks:4.1.6",
      "cis-aks:4.1.6",
      "cis-aks:5.2.1",
      "checkov:CKV_K8S_38",
      "kics:48471392-d4d0-47c0-b135-cdec95eb3eef",
      "kics:b93e973e-9066-4455-a63b-c1c0e1ec3a48",
    ],
    enforcementLevel: "mandatory",
  },
  (ctx, pod, addon) => {
    if (addon?.mountsServiceAccountToken) return;
    const automount = pod.spec.automountServiceAccountToken;
    const account = pod.spec.serviceAccountName ?? pod.spec.serviceAccount;
    if (!ctx.known([automount, account], `${pod.specPath}.automountServiceAccountToken, serviceAccountName`))
      return;
    if (isFalse(automount) || (isAbsent(automount) && !ctx.judgesAbsent)) return;
    const dedicated = typeof account === "string" && account !== "" && account !== "default";
    if (isTrue(automount) && dedicated) return;
    ctx.report(
      `${pod.specPath} mounts a service account token (automountServiceAccountToken ${show(automount, "default true")}) ${dedicated ? "without asking for it" : `as the ${account ? `"${String(account)}"` : "namespace's default"} account`}; set automountServiceAccountToken: false, or run as a dedicated ServiceAccount with it explicitly true`,
    );
  },
);

/** Sysctls the baseline Pod Security profile allows. */
const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
];
/** SELinux types the baseline profile allows. */
const SAFE_SELINUX_TYPES = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

/** The pod-level half of k8s-no-unsafe-kernel-settings. */
function podKernelSettings(ctx: ResourceContext, pod: PodView): void {
  list(get(pod.spec, "securityContext.sysctls")).forEach((s, i) => {
    const name = get(s, "name");
    if (typeof name === "string" && !SAFE_SYSCTLS.includes(name))
      ctx.report(
        `${pod.specPath}.securityContext.sysctls[${i}] sets ${name}, outside the safe set; remove it`,
      );
  });
  const annotations = stringMap(pod.metadata.annotations);
  for (const [key, value] of Object.entries(annotations))
    if (
      key.startsWith("container.apparmor.security.beta.kubernetes.io/") &&
      value.toLowerCase() === "unconfined"
    )
      ctx.report(`annotation ${key} is unconfined; use runtime/default`);
  const podAppArmor = get(pod.spec, "securityContext.appArmorProfile.type");
  if (oneOf(podAppArmor, "Unconfined"))
    ctx.report(`${pod.specPath}.securityContext.appArmorProfile.type is Unconfined; use RuntimeDefault`);
  const podSelinux = get(pod.spec, "securityContext.seLinuxOptions.type");
  if (typeof podSelinux === "string" && !SAFE_SELINUX_TYPES.includes(podSelinux))
    ctx.report(
      `${pod.specPath}.securityContext.seLinuxOptions.type is ${podSelinux}; use one of ${SAFE_SELINUX_TYPES.join(", ")}`,
    );
  if (isTrue(get(pod.spec, "securityContext.windowsOptions.hostProcess")))
    ctx.report(
      `${pod.specPath}.securityContext.windowsOptions.hostProcess is true; Windows HostProcess pods run as the node`,
    );
}

export const k8sNoUnsafeKernelSettings = podRule(
  {
    name: "k8s-no-unsafe-kernel-settings",
    description:
      "No pod loosens the kernel's isolation: no unmasked /proc (procMount Unmasked), no sysctl outside the safe set, no AppArmor Unconfined (field or annotation), no custom SELinux type, no Windows HostProcess container.",
    remediation:
      "Remove procMount, unsafe sysctls, Unconfined AppArmor profiles, custom SELinux types and hostProcess.",
    benchmarks: [
      "cis-k8s:5.2.10",
      "kics:f922827f-aab6-447c-832a-e1ff63312bd3",
      "kics:9127f0d9-2310-42e7-866f-5fd9d20dcbad",
      "kics:8b36775e-183d-4d46-b0f7-96a6f34a723f",
    ],
    enforcementLevel: "mandatory",
  },
  (ctx, pod) => {
    if (ctx.known([pod.spec.securityContext, pod.metadata.annotations], `${pod.specPath}.securityContext`))
      podKernelSettings(ctx, pod);
    eachContainer(ctx, pod, ({ container, label }) => {
      if (oneOf(get(container, "securityContext.procMount"), "Unmasked"))
        ctx.report(`${label} mounts /proc Unmasked; remove procMount`);
      if (oneOf(get(container, "securityContext.appArmorProfile.type"), "Unconfined"))
        ctx.report(`${label} runs AppArmor Unconfined; use RuntimeDefault`);
      const type = get(container, "securityContext.seLinuxOptions.type");
      if (typeof type === "string" && !SAFE_SELINUX_TYPES.includes(type))
        ctx.report(`${label} sets seLinuxOptions.type ${type}; use one of ${SAFE_SELINUX_TYPES.join(", ")}`);
      if (isTrue(get(container, "securityContext.windowsOptions.hostProcess")))
        ctx.report(`${label} is a Windows HostProcess container, which runs as the node`);
    });
  },
);

/** Environment variables that replace the git binary git-sync runs (a command injection). */
const GIT_SYNC_OVERRIDES = ["GITSYNC_GIT", "GIT_SYNC_GIT"];

export const k8sNoGitSyncOverride = podRule(
  {
    name: "k8s-no-git-sync-override",
    description:
      "No container sets GITSYNC_GIT (or the older GIT_SYNC_GIT), which makes git-sync run any binary in place of git: whoever can edit the workload, or a volume it mounts, runs code in it.",
    remediation: "Remove GITSYNC_GIT; bake the git binary into the image.",
    benchmarks: ["checkov:CKV_K8S_159"],
    enforcementLevel: "mandatory",
  },
  (ctx, pod) =>
    eachContainer(ctx, pod, ({ container, label }) =>
      list(container.env).forEach((e, i) => {
        const name = get(e, "name");
        if (typeof name === "string" && GIT_SYNC_OVERRIDES.includes(name.toUpperCase()))
          ctx.report(`${label}.env[${i}] sets ${name}, which replaces the binary git-sync runs; remove it`);
      }),
    ),
);

/** Images and Services of tools that hand out cluster control: the Kubernetes dashboard, Helm 2's Tiller. */
const RISKY_IMAGES: readonly [RegExp, string][] = [
  [
    /(^|\/)kubernetesui\/dashboard(-[a-z]+)?$|(^|\/)kubernetes-dashboard(-[a-z0-9]+)?$/,
    "the Kubernetes dashboard",
  ],
  [/(^|\/)tiller$/, "Helm 2's Tiller"],
];

export const k8sNoDashboardOrTiller = resourceRule({
  name: "k8s-no-dashboard-or-tiller",
  description:
    "No workload runs the Kubernetes dashboard or Helm 2's Tiller, and no Service exposes Tiller: both hand cluster control to whoever reaches them.",
  remediation: "Remove them; use kubectl with Entra ID / IAM credentials and Helm 3.",
  benchmarks: [
    "checkov:CKV_K8S_33",
    "checkov:CKV_K8S_34",
    "checkov:CKV_K8S_44",
    "checkov:CKV_K8S_45",
    "kics:6d173be7-545a-46c6-a81d-2ae52ed1605d",
    "kics:8b862ca9-0fbd-4959-ad72-b6609bdaa22d",
    "kics:e17fa86a-6222-4584-a914-56e8f6c87e06",
    "kics:d2ad057f-0928-41ef-a83c-f59203bb855b",
  ],
  enforcementLevel: "mandatory",
  types: [...POD_KINDS, k8s("core", "Service")],
  check: (ctx) => {
    if (ctx.type === k8s("core", "Service")) {
      const labels = stringMap(get(ctx.props, "metadata.labels"));
      const name = get(ctx.props, "metadata.name");
      if (name === "tiller-deploy" || (labels.app === "helm" && labels.name === "tiller"))
        ctx.report("is Helm 2's Tiller service; remove it");
      return;
    }
    const pod = podOf(ctx.type, ctx.props);
    if (!pod) return;
    for (const { container, label } of pod.containers) {
      if (typeof container.image !== "string") continue;
      const path = parseImage(container.image).path;
      const found = RISKY_IMAGES.find(([re]) => re.test(path));
      if (found) ctx.report(`${label} runs ${found[1]} (${container.image}); remove it`);
    }
  },
});

/** Namespaced kinds the library and its consumers declare. */
const NAMESPACED_KINDS = [
  ...POD_KINDS,
  k8s("core", "Service"),
  k8s("core", "ServiceAccount"),
  k8s("core", "ConfigMap"),
  k8s("core", "Secret"),
  k8s("core", "PersistentVolumeClaim"),
  k8s("core", "ResourceQuota"),
  k8s("core", "LimitRange"),
  k8s("rbac.authorization.k8s.io", "Role"),
  k8s("rbac.authorization.k8s.io", "RoleBinding"),
  k8s("networking.k8s.io", "NetworkPolicy"),
  k8s("networking.k8s.io", "Ingress"),
  k8s("policy", "PodDisruptionBudget"),
  k8s("autoscaling", "HorizontalPodAutoscaler"),
];

export const k8sNoDefaultNamespace = resourceRule({
  name: "k8s-no-default-namespace",
  description:
    "Namespaced objects name a namespace other than default (metadata.namespace set): the default namespace has no quota, network policy or Pod Security level of the platform's, and an unset namespace lands wherever the provider's context points.",
  remediation: "Set metadata.namespace to the team's namespace (PlacedWorkloads does).",
  benchmarks: [
    "cis-k8s:5.6.4",
    "cis-k8s:5.6.1",
    "cis-eks:4.5.1",
    "cis-eks:4.5.2",
    "cis-aks:4.6.1",
    "cis-aks:4.6.3",
    "checkov:CKV_K8S_21",
    "kics:611ab018-c4aa-4ba2-b0f6-a448337509a6",
  ],
  enforcementLevel: "mandatory",
  types: NAMESPACED_KINDS,
  check: (ctx) => {
    const namespace = get(ctx.props, "metadata.namespace");
    if (!ctx.known(namespace, "metadata.namespace")) return;
    if (isAbsent(namespace) || namespace === "" || namespace === "default")
      ctx.report(
        `metadata.namespace is ${show(namespace, "the provider's default, usually default")}; use a namespace of the team's`,
      );
  },
});

export const FAMILY = family("kubernetes-pods", "Kubernetes Pod Security", [
  k8sNoPrivileged,
  k8sNoHostNamespaces,
  k8sNoPrivilegeEscalation,
  k8sNoHostPath,
  k8sCapabilities,
  k8sRunAsNonRoot,
  k8sHighUid,
  k8sSeccomp,
  k8sReadOnlyRootFilesystem,
  k8sImagePinned,
  k8sImageDigest,
  k8sAllowedRegistries,
  k8sNoHostPorts,
  k8sSecretsAsFiles,
  k8sNoPlaintextSecrets,
  k8sRequestsLimits,
  k8sServiceAccountToken,
  k8sNoUnsafeKernelSettings,
  k8sNoGitSyncOverride,
  k8sNoDashboardOrTiller,
  k8sNoDefaultNamespace,
]);
