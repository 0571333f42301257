import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CLASSIFICATIONS, type Classification } from "../placement";

/** Arguments every component takes, in addition to its own. */
export interface CommonArgs {
  /** Environment name tagged on every resource; defaults to the stack name. */
  environment?: string;
  /** Data classification tagged on every resource; defaults to "internal". */
  dataClassification?: Classification;
  /** Extra tags for every taggable child; the standard tags win on a clash. */
  tags?: Record<string, string>;
  /** Protect stateful children (keys, buckets, clusters, log groups) from deletion: `protect` and `retainOnDelete`. Default true. */
  protectData?: boolean;
}

/** The zod shape of `CommonArgs`, merged into every component's schema. */
export const commonArgsShape = {
  environment: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/, "use lower-case letters, digits and dashes, starting with a letter")
    .optional(),
  dataClassification: z.enum(CLASSIFICATIONS).optional(),
  tags: z.record(z.string().min(1).max(128), z.string().max(256)).optional(),
  protectData: z.boolean().optional(),
};

/** Resolved common settings a component passes to its helpers. */
export interface Common {
  readonly environment: string;
  readonly dataClassification: Classification;
  readonly tags: Record<string, string>;
  readonly protectData: boolean;
}

export function resolveCommon(args: CommonArgs): Common {
  const environment = args.environment ?? pulumi.getStack();
  const dataClassification = args.dataClassification ?? "internal";
  return {
    environment,
    dataClassification,
    protectData: args.protectData ?? true,
    tags: {
      ...args.tags,
      environment,
      "managed-by": "hybrid-ai-infra",
      "data-classification": dataClassification,
    },
  };
}

/** `${name}-${suffix}`: child names derive from the component name, so two instances never clash. */
export function childName(name: string, ...suffix: string[]): string {
  return [name, ...suffix].join("-");
}

/**
 * Options for a stateful child: parented to the component, and, unless the caller turned
 * `protectData` off, protected from `pulumi destroy` and retained in the cloud if it is ever removed
 * from the program, so no refactor can delete data by accident.
 */
export function statefulOptions(
  parent: pulumi.Resource,
  common: Common,
  extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
  return { ...extra, parent, protect: common.protectData, retainOnDelete: common.protectData };
}

/** Accepts a plain value checked by `schema`, or a Pulumi Output (checked by the provider at deploy time). */
export function input<S extends z.ZodType>(schema: S) {
  return z.union([schema, z.custom<pulumi.Output<z.output<S>>>((v) => pulumi.Output.isInstance(v))]);
}

/** The common args a component hands down to the child components it creates. */
export function commonArgsOf(args: CommonArgs): CommonArgs {
  return {
    ...(args.environment ? { environment: args.environment } : {}),
    ...(args.dataClassification ? { dataClassification: args.dataClassification } : {}),
    ...(args.tags ? { tags: args.tags } : {}),
    ...(args.protectData === undefined ? {} : { protectData: args.protectData }),
  };
}
