import { z } from "zod";
import { type Workload, workloadSchema } from "../placement";
import { ipv4Cidr, pinnedImageSchema } from "../pulumi-free";

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
  /** Service account (e.g. for workload identity); default none mounted. */
  serviceAccountName?: string;
  /** Jobs: retries before the job fails. Default 3 (training 0: a failed rank restarts the whole job). */
  backoffLimit?: number;
  /** Jobs: wall-clock limit in seconds. */
  activeDeadlineSeconds?: number;
}

/** A DNS label: Kubernetes object and namespace names. */
export const DNS_LABEL = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
    "is not a DNS label (lower-case letters, digits, dashes; at most 63)",
  );
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
  name: DNS_LABEL,
  image: PINNED_IMAGE,
  owner: DNS_LABEL,
  namespace: DNS_LABEL.optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "is not an environment variable name"), z.string())
    .optional(),
  ports: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z0-9-]{1,15}$/),
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
  backoffLimit: z.number().int().min(0).max(100).optional(),
  activeDeadlineSeconds: z.number().int().min(1).optional(),
};

/**
 * Checks the Kubernetes half of a workload spec; `place()` checks the placement half, so fields
 * it does not know are left alone here.
 */
export const workloadKubernetesSchema = z.looseObject(kubernetesShape);

/** A whole workload spec as a catalog file holds it: both halves, and no unknown field. */
export const workloadSpecSchema = z.strictObject({ ...workloadSchema.shape, ...kubernetesShape });

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
    backoffLimit: _backoff,
    activeDeadlineSeconds: _deadline,
    ...workload
  } = spec;
  return workload;
}
