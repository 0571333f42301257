import { z } from "zod";
import { mayRunOnPublic, type Workload } from "../placement";
import { workloadSchema } from "../placement/internal";
import { type TrafficSettings, trafficSettingsSchema } from "../traffic";
import { dnsLabelSchema, type IssueSink, ipv4Cidr, pinnedImageSchema } from "../validation";
import { indexedJobMax, NAME_RULES, nameProblem } from "./names";

/** A workload as a team declares it: what placement needs, and what Kubernetes needs to run it. */
export interface WorkloadSpec extends Workload {
  /** Container image, pinned by tag or digest (never `:latest` or untagged). */
  image: string;
  /** Team that owns the workload; labels its namespace. */
  owner: string;
  /** Namespace to run in; default the owner. */
  namespace?: string;
  /** Container command. */
  command?: string[];
  /** Container arguments. */
  args?: string[];
  /** Plain environment variables (secrets belong in Kubernetes Secrets, not here). */
  env?: Record<string, string>;
  /** Ports the container listens on. */
  ports?: { name: string; port: number; protocol?: "TCP" | "UDP" }[];
  /**
   * Who may connect; default nobody (the namespace denies all ingress). Each rule names at least
   * one peer: whole namespaces, or workloads of the catalog (matched in their own namespaces).
   * Ports are this workload's, with the protocol its `ports` declare (TCP when undeclared).
   */
  ingress?: { fromNamespaces?: string[]; fromWorkloads?: string[]; ports?: number[] }[];
  /**
   * Where it may connect besides cluster DNS; default nowhere. Each rule names at least one peer.
   * Ports to a named workload take the protocol that workload declares (TCP when undeclared).
   */
  egress?: { toCidrs?: string[]; toNamespaces?: string[]; toWorkloads?: string[]; ports?: number[] }[];
  /**
   * The ServiceAccount it runs as, rendered beside it, its token never mounted; default the
   * workload's own name. Name one to bind an identity made outside the library (e.g. to read a
   * vault); another workload's account in the same namespace is refused.
   */
  serviceAccountName?: string;
  /** Numeric user the containers run as; default 65532 (an image's named or root user fails Pod Security's runAsNonRoot check at start). */
  runAsUser?: number;
  /** Numeric group; default 65532. */
  runAsGroup?: number;
  /** Group that owns mounted volumes; default 65532. */
  fsGroup?: number;
  /** Secrets with credentials for a private registry: each one of `secrets` with `type: registry`. */
  imagePullSecrets?: string[];
  /**
   * Secrets the workload reads, never values in the catalog, delivered the way its cluster says
   * (`PlacementCluster.secrets`). By default the External Secrets Operator (which the cluster runs)
   * keeps them from a store its SecretStore or ClusterSecretStore reaches (Vault, AWS Secrets
   * Manager, Azure Key Vault): each becomes an ExternalSecret and its Secret in the workload's
   * namespace, and reaches the container as files under `mountPath`, or else as environment
   * variables (one per key of the remote secret); `registry` ones are pull secrets. On a cluster
   * with the Secrets Store CSI driver, each is a SecretProviderClass whose object (`remoteKey`) is
   * mounted as the file `<mountPath>/<name>`: files only, no pull secrets.
   */
  secrets?: WorkloadSecret[];
  /** Jobs: retries before the job fails. Default 3 (training 0: a failed rank restarts the whole job). */
  backoffLimit?: number;
  /** Jobs: wall-clock limit in seconds. */
  activeDeadlineSeconds?: number;
  /**
   * Jobs: the run. A Job, once applied, is never changed by an edit of the catalog or a new
   * placement (its pod template is immutable: applying an edit would delete the running Job and
   * start it from scratch); edits take effect at the next run. Nor is it moved to another cluster:
   * placement holds it where the previous decision put it unless `pin` says otherwise. Raising
   * `run` (default 1) starts run N as a new Job `<name>-runN` and deletes the previous run's Job at
   * the end of the update, also when it failed or completed: that is how a failed Job is run again.
   */
  run?: number;
  /**
   * Batch and training Jobs: when placement finds the private site full and puts the Job on a cloud
   * cluster, submit it to the private site's queue, which dispatches it there (MultiKueue). Default
   * false; never for restricted data, and confidential data only where its residency allows.
   */
  burst?: boolean;
  /** The WorkloadPriorityClass the workload's Jobs are queued with; set from a named `priority` in a catalog. */
  priorityClass?: string;
  /** Services placed on several sites: how each site's gateway reaches them (docs/traffic.md). */
  traffic?: TrafficSettings;
}

/** A secret reference of a workload (see `WorkloadSpec.secrets`). */
export interface WorkloadSecret {
  /** The Kubernetes Secret's name in the workload's namespace. */
  name: string;
  /** The SecretStore (in the namespace) or ClusterSecretStore that reads the remote secret (External Secrets Operator clusters). */
  store: string;
  /** Which kind `store` is; default ClusterSecretStore (the platform team's, shared by namespaces). */
  storeKind?: "ClusterSecretStore" | "SecretStore";
  /** The remote secret's key (path) in the store; all its properties become the Secret's keys. With the CSI driver: the Secrets Manager name or parameter path, or the Key Vault secret name. */
  remoteKey: string;
  /** Mount the Secret's keys as read-only files here; default: as environment variables. */
  mountPath?: string;
  /** `registry`: a pull secret (the remote secret holds `.dockerconfigjson`). */
  type?: "registry";
}

/** Kinds Kueue queues (Jobs); services and inference stay outside queues. */
export const QUEUED_KINDS: readonly string[] = ["batch", "training"];

/** A DNS label: Kubernetes object and namespace names. */
export const DNS_LABEL = dnsLabelSchema;
const PORT = z.number().int().min(1).max(65535);

/** A Kubernetes resource quantity as a string: 50m, 64Mi, 1.5. */
export const QUANTITY = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|k|M|G)?$/, "is not a Kubernetes quantity, e.g. 50m or 64Mi");

/** A container image pinned by tag or digest, never `:latest`, so a deploy repeats. */
export const PINNED_IMAGE = pinnedImageSchema;

/**
 * A NetworkPolicy rule with an empty peer list matches every source or destination, so a rule
 * that names no peer would open the pod to everyone: refuse it. `when` lets it report beside
 * other problems of the same rule.
 */
function needsPeer<T extends z.ZodType>(
  rule: T,
  direction: "ingress" | "egress",
  fields: readonly string[],
): T {
  const hasPeer = (value: unknown): boolean =>
    typeof value === "object" &&
    value !== null &&
    fields.some((f) => {
      const list = (value as Record<string, unknown>)[f];
      return Array.isArray(list) && list.length > 0;
    });
  return rule.refine(hasPeer, {
    when: (payload) => typeof payload.value === "object" && payload.value !== null,
    error: `names no peer; an ${direction} rule needs at least one of ${fields.join(", ")} (a rule without peers would allow ${direction === "ingress" ? "every source" : "every destination"}; leave the rule out to allow none)`,
  });
}

const kubernetesShape = {
  // `dns` would name its policy allow-dns, the namespace's baseline DNS policy.
  name: DNS_LABEL.refine(
    (name) => name !== "dns",
    "is the name of every namespace's baseline allow-dns policy; pick another",
  ),
  image: PINNED_IMAGE,
  owner: DNS_LABEL,
  namespace: DNS_LABEL.optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "is not an environment variable name"), z.string())
    .superRefine((env, ctx) => {
      for (const key of Object.keys(env).filter((k) => k.startsWith("NVIDIA_"))) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message:
            "would override the GPUs the device plugin assigned the container (NVIDIA_* variables are the device plugin's); leave it out",
        });
      }
    })
    .optional(),
  ports: z
    .array(
      z.strictObject({
        // The API server takes IANA service names only (RFC 6335): 8080 or a--b are refused.
        name: z
          .string()
          .regex(
            /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/,
            "is not an IANA service name: 1-15 lower-case letters and digits with a letter, single dashes only inside",
          ),
        port: PORT,
        protocol: z.enum(["TCP", "UDP"]).optional(),
      }),
    )
    .optional(),
  ingress: z
    .array(
      needsPeer(
        z.strictObject({
          fromNamespaces: z.array(DNS_LABEL).optional(),
          fromWorkloads: z.array(DNS_LABEL).optional(),
          ports: z.array(PORT).optional(),
        }),
        "ingress",
        ["fromNamespaces", "fromWorkloads"],
      ),
    )
    .optional(),
  egress: z
    .array(
      needsPeer(
        z.strictObject({
          toCidrs: z.array(ipv4Cidr()).optional(),
          toNamespaces: z.array(DNS_LABEL).optional(),
          toWorkloads: z.array(DNS_LABEL).optional(),
          ports: z.array(PORT).optional(),
        }),
        "egress",
        ["toCidrs", "toNamespaces", "toWorkloads"],
      ),
    )
    .optional(),
  serviceAccountName: DNS_LABEL.optional(),
  /** Numeric user, group and fsGroup the containers run as (Pod Security "restricted" needs a non-root user). */
  runAsUser: z.number().int().min(1).max(2_147_483_647).optional(),
  runAsGroup: z.number().int().min(1).max(2_147_483_647).optional(),
  fsGroup: z.number().int().min(1).max(2_147_483_647).optional(),
  /** Secrets in the workload's namespace holding credentials of a private registry. */
  imagePullSecrets: z.array(DNS_LABEL).optional(),
  secrets: z
    .array(
      z.strictObject({
        name: DNS_LABEL,
        store: DNS_LABEL,
        storeKind: z.enum(["ClusterSecretStore", "SecretStore"]).optional(),
        remoteKey: z.string().min(1).max(1024),
        mountPath: z
          .string()
          .regex(/^\/[^:]*$/, "is not an absolute path")
          .refine(
            (p) => !["/", "/tmp", "/dev/shm", "/home/workload"].includes(p.replace(/\/+$/, "") || "/"),
            "is a path the library mounts already (/tmp, HOME, /dev/shm) or the root; pick a directory of its own",
          )
          .optional(),
        type: z.literal("registry").optional(),
      }),
    )
    .optional(),
  backoffLimit: z.number().int().min(0).max(100).optional(),
  activeDeadlineSeconds: z.number().int().min(1).optional(),
  run: z.number().int().min(1).max(999_999).optional(),
  burst: z.boolean().optional(),
  priorityClass: DNS_LABEL.optional(),
  traffic: trafficSettingsSchema.optional(),
};

/**
 * Checks the Kubernetes half of a workload spec; `place()` checks the placement half, so fields
 * it does not know are left alone here.
 */
export const workloadKubernetesSchema = z
  .looseObject(kubernetesShape)
  .superRefine(noInternetForRestricted)
  .superRefine(burstOnlyWhereAllowed)
  .superRefine(jobFieldsOnJobs)
  .superRefine(namesTheApiServerTakes)
  .superRefine(secretsDeclared);

/** A whole workload spec as a catalog file holds it: both halves, and no unknown field. */
export const workloadSpecSchema = z
  .strictObject({ ...workloadSchema.shape, ...kubernetesShape })
  .superRefine(noInternetForRestricted)
  .superRefine(burstOnlyWhereAllowed)
  .superRefine(jobFieldsOnJobs)
  .superRefine(namesTheApiServerTakes)
  .superRefine(secretsDeclared);

/**
 * The objects a workload's name and ports become, held to the API server's rules for their kind
 * (NAME_RULES): what the schema's DNS label lets through and the API server refuses, or accepts
 * and then fails every pod (an Indexed Job's hostnames).
 */
function namesTheApiServerTakes(
  w: {
    name?: unknown;
    kind?: unknown;
    replicas?: unknown;
    ports?: { name: string; port: number; protocol?: "TCP" | "UDP" | undefined }[] | undefined;
  },
  ctx: IssueSink,
): void {
  const ports = w.ports ?? [];
  if (typeof w.name === "string") {
    const replicas = typeof w.replicas === "number" ? w.replicas : 1;
    const service =
      (w.kind === "training" && replicas > 1) ||
      ((w.kind === "service" || w.kind === "inference") && ports.length > 0);
    const checks: [string, string | undefined][] = [
      ["Service", service ? nameProblem(w.name, NAME_RULES.Service) : undefined],
      [
        "Indexed Job",
        w.kind === "training" ? nameProblem(w.name, NAME_RULES.Job, indexedJobMax(replicas)) : undefined,
      ],
    ];
    for (const [kind, problem] of checks)
      if (problem)
        ctx.addIssue({
          code: "custom",
          path: ["name"],
          message: `"${w.name}" names the workload's ${kind}, and ${problem}${kind === "Indexed Job" ? ` (its pods' hostnames are <name>-<index>, up to index ${replicas - 1}, and a hostname is at most 63 characters)` : ""}`,
        });
  }
  const names = new Map<string, number>();
  const numbers = new Map<string, number>();
  ports.forEach((p, i) => {
    const first = names.get(p.name);
    if (first !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["ports", i, "name"],
        message: `"${p.name}" is also ports[${first}].name; the API server refuses a container or Service with two ports of one name`,
      });
    else names.set(p.name, i);
    const key = `${p.port}/${p.protocol ?? "TCP"}`;
    const same = numbers.get(key);
    if (same !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["ports", i, "port"],
        message: `${key} is also ports[${same}]; the API server refuses a Service with one port and protocol twice`,
      });
    else numbers.set(key, i);
  });
}

/**
 * A pull secret is one of the workload's `secrets` with `type: registry`: a Secret the same update
 * creates in the namespace it creates (a name alone would be a Secret no one provides); secret
 * names are unique.
 */
function secretsDeclared(
  w: {
    imagePullSecrets?: string[] | undefined;
    secrets?: { name: string; type?: "registry" | undefined }[] | undefined;
  },
  ctx: IssueSink,
): void {
  const byName = new Map<string, number>();
  (w.secrets ?? []).forEach((s, i) => {
    const first = byName.get(s.name);
    if (first !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["secrets", i, "name"],
        message: `"${s.name}" is also secrets[${first}]; name each Secret once`,
      });
    else byName.set(s.name, i);
  });
  (w.imagePullSecrets ?? []).forEach((name, i) => {
    const at = byName.get(name);
    if (at === undefined || w.secrets?.[at]?.type !== "registry")
      ctx.addIssue({
        code: "custom",
        path: ["imagePullSecrets", i],
        message: `"${name}" is not one of the workload's secrets with type: registry; declare it under secrets (store, remoteKey, type: registry) so the update creates it in the namespace`,
      });
  });
}

/** Fields that only a Job reads are refused elsewhere, so a catalog never says what nothing does. */
function jobFieldsOnJobs(w: { kind?: unknown; run?: number | undefined }, ctx: IssueSink): void {
  if (w.run !== undefined && typeof w.kind === "string" && !QUEUED_KINDS.includes(w.kind))
    ctx.addIssue({
      code: "custom",
      path: ["run"],
      message: `is set on a ${w.kind} workload; only batch and training Jobs have runs (a Deployment rolls out its edits)`,
    });
}

/**
 * Bursting dispatches a queued Job to a public cloud: only Jobs are queued, and restricted data
 * never leaves private targets (placement's trust rule, the one definition).
 */
function burstOnlyWhereAllowed(
  w: { burst?: boolean | undefined; classification?: unknown; kind?: unknown },
  ctx: IssueSink,
): void {
  if (w.burst !== true) return;
  if (typeof w.classification === "string" && !mayRunOnPublic(w.classification))
    ctx.addIssue({
      code: "custom",
      path: ["burst"],
      message: `is true, and the workload's data is ${w.classification}: restricted data runs only on private targets, so it never bursts to a cloud; remove burst`,
    });
  if (typeof w.kind === "string" && !QUEUED_KINDS.includes(w.kind))
    ctx.addIssue({
      code: "custom",
      path: ["burst"],
      message: `is true on a ${w.kind} workload; only batch and training Jobs are queued and may burst (services and inference stay outside queues)`,
    });
}

/** Restricted data never gets a route to the internet: an egress rule to 0.0.0.0/0 is refused. */
function noInternetForRestricted(
  w: { classification?: unknown; egress?: { toCidrs?: string[] | undefined }[] | undefined },
  ctx: IssueSink,
): void {
  if (w.classification !== "restricted") return;
  (w.egress ?? []).forEach((rule, i) => {
    (rule.toCidrs ?? []).forEach((cidr, j) => {
      if (cidr.endsWith("/0")) {
        ctx.addIssue({
          code: "custom",
          path: ["egress", i, "toCidrs", j],
          message: `"${cidr}" is the whole internet, and the workload's data is restricted; name the networks it needs`,
        });
      }
    });
  });
}

/** The placement half of a spec: the fields `place()` reads. */
export function placementWorkload(spec: WorkloadSpec): Workload {
  const {
    image: _image,
    owner: _owner,
    namespace: _namespace,
    command: _command,
    args: _args,
    env: _env,
    ports: _ports,
    ingress: _ingress,
    egress: _egress,
    serviceAccountName: _sa,
    runAsUser: _user,
    runAsGroup: _group,
    fsGroup: _fsGroup,
    imagePullSecrets: _pullSecrets,
    secrets: _secrets,
    backoffLimit: _backoff,
    activeDeadlineSeconds: _deadline,
    run: _run,
    burst: _burst,
    priorityClass: _priorityClass,
    traffic: _traffic,
    ...workload
  } = spec;
  return workload;
}
