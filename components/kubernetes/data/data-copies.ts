import { CronJob, type CronJobArgs } from "@pulumi/kubernetes/batch/v1/cronJob";
import { Job, type JobArgs } from "@pulumi/kubernetes/batch/v1/job";
import { ConfigMap } from "@pulumi/kubernetes/core/v1/configMap";
import { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
import { ResourceQuota } from "@pulumi/kubernetes/core/v1/resourceQuota";
import { ServiceAccount } from "@pulumi/kubernetes/core/v1/serviceAccount";
import { NetworkPolicy, type NetworkPolicyArgs } from "@pulumi/kubernetes/networking/v1/networkPolicy";
import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { rcloneImageSchema, taintSchema } from "../../facts";
import type { Trust } from "../../placement";
import { componentSubject, dnsLabelSchema, parseOrThrow } from "../../validation";
import { type ClusterDns, clusterDnsSchema } from "../cluster-facts";
import type { DataCopyObject } from "./objects";
import { DATA_COPY_NAMESPACE, renderDataCopies } from "./render";
import { DATA_COPY_KINDS, type DataCopySpec } from "./spec";
import { bandwidthSchema, batchSizeSchema, cronScheduleSchema } from "./values";

/** Arguments of `DataCopies`. */
export interface DataCopiesArgs {
  /** The cluster's name (its placement target), for messages and object names. */
  cluster: string;
  /** The rclone image the cluster pulls, with its release tag and digest (`.../rclone:1.75.2@sha256:...`). */
  image: string;
  /** The pool the copies run on: an on-demand CPU pool's name, node labels and taints. */
  pool: {
    name: string;
    labels?: Record<string, string>;
    taints?: { key: string; value?: string; effect: string }[];
  };
  /** The cluster's trust (private or public), recorded on the copies' pods as a placed workload's. */
  trust: Trust;
  /** The copies this cluster runs. */
  copies: DataCopySpec[];
  /** The namespace of the copies; default `data-copies`. */
  namespace?: string;
  /** The DNS the cluster's pods query (its stated facts; default CoreDNS in kube-system): the only DNS the copies may reach. */
  dns?: ClusterDns;
  /** The provider that applies the objects to the cluster. */
  provider: Provider;
}

const endSchema = z.looseObject({ site: z.string().min(1), path: z.string().min(1), url: z.string().min(1) });

const copySchema = z.looseObject({
  name: z
    .string()
    .max(52, "is longer than a CronJob name may be (52 characters)")
    .regex(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
      "is not a Kubernetes name (lower-case letters, digits and dashes)",
    ),
  kind: z.enum(DATA_COPY_KINDS),
  dataset: z.string().min(1),
  source: endSchema,
  destination: endSchema.optional(),
  schedule: cronScheduleSchema.optional(),
  bandwidth: bandwidthSchema.optional(),
  batch: batchSizeSchema,
  transfers: z.number().int().min(1).max(64),
  checkers: z.number().int().min(1).max(128),
  sample: z.number().int().min(1).max(10_000).optional(),
});

const argsSchema = z.looseObject({
  cluster: z.string().min(1),
  image: rcloneImageSchema,
  pool: z.looseObject({ name: z.string().min(1), taints: z.array(taintSchema).optional() }),
  trust: z.enum(["private", "public"]),
  copies: z.array(copySchema),
  namespace: dnsLabelSchema.optional(),
  dns: clusterDnsSchema.optional(),
});

/**
 * A cluster's data copies (backups, staging, restore drills) as Kubernetes objects: rclone Jobs
 * on schedules, each with its own ServiceAccount bound to its cloud identities, its configuration
 * without a secret, and egress to its stores alone (`renderDataCopies`).
 */
export class DataCopies extends pulumi.ComponentResource {
  /** The namespace the copies run in. */
  public readonly namespace: pulumi.Output<string>;
  /** Per copy: its CronJob (or, for a staging's first run, Job) name. */
  public readonly jobs: pulumi.Output<{ name: string; kind: string; dataset: string; schedule?: string }[]>;

  constructor(name: string, args: DataCopiesArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = componentSubject("DataCopies", name);
    const { provider, ...plain } = args;
    parseOrThrow(subject, argsSchema, plain);
    const namespace = args.namespace ?? DATA_COPY_NAMESPACE;
    const objects = renderDataCopies({ ...plain, namespace });
    super("hybrid-ai-infra:index:DataCopies", name, {}, opts);
    declare(this, name, objects, provider);
    this.namespace = pulumi.output(namespace);
    this.jobs = pulumi.output(
      args.copies.map((c) => ({
        name: c.name,
        kind: c.kind,
        dataset: c.dataset,
        ...(c.schedule ? { schedule: c.schedule } : {}),
      })),
    );
    this.registerOutputs({ namespace: this.namespace, jobs: this.jobs });
  }
}

/** Declares the objects in order: the namespace, its guards, then what runs. */
function declare(parent: pulumi.Resource, name: string, objects: DataCopyObject[], provider: Provider): void {
  const opts = { parent, provider };
  const id = (o: DataCopyObject) => `${name}-${o.kind.toLowerCase()}-${o.metadata.name}`;
  let ns: Namespace | undefined;
  const guards: pulumi.Resource[] = [];
  const inNs = () => ({ ...opts, dependsOn: ns ? [ns] : [] });
  for (const o of objects) {
    switch (o.kind) {
      case "Namespace":
        ns = new Namespace(id(o), { metadata: o.metadata }, opts);
        break;
      case "NetworkPolicy":
        guards.push(
          new NetworkPolicy(id(o), { metadata: o.metadata, spec: o.spec } as NetworkPolicyArgs, inNs()),
        );
        break;
      case "ResourceQuota":
        guards.push(new ResourceQuota(id(o), { metadata: o.metadata, spec: o.spec }, inNs()));
        break;
      case "ServiceAccount":
        guards.push(
          new ServiceAccount(
            id(o),
            { metadata: o.metadata, automountServiceAccountToken: o.automountServiceAccountToken },
            inNs(),
          ),
        );
        break;
      case "ConfigMap":
        // Named for its contents: a new ConfigMap is created before the old one goes.
        guards.push(
          new ConfigMap(id(o), { metadata: o.metadata, immutable: o.immutable, data: o.data }, inNs()),
        );
        break;
      default:
        break;
    }
  }
  // What runs comes last: its policies, quota, account and configuration exist before its first pod.
  const guarded = { ...inNs(), dependsOn: [...(ns ? [ns] : []), ...guards] };
  for (const o of objects) {
    if (o.kind === "CronJob")
      new CronJob(id(o), { metadata: o.metadata, spec: o.spec } as CronJobArgs, guarded);
    // Jobs are immutable: a changed one is deleted, then created under the same name.
    if (o.kind === "Job")
      new Job(id(o), { metadata: o.metadata, spec: o.spec } as JobArgs, {
        ...guarded,
        deleteBeforeReplace: true,
      });
  }
}
