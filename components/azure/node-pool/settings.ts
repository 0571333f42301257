import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  AZURE_CPU_SIZES,
  AZURE_GPU_SIZES,
  duplicateTaintKeys,
  labelKeySchema,
  labelValueSchema,
  taintSchema,
} from "../../facts";
import { input } from "../../kit";
import type { Taint } from "../../placement";
import type { IssueSink } from "../../validation";
import { SUBNET_ID } from "../ids";
import { builtInTaints, POOL_DEFAULTS, type PoolKind } from "./defaults";
import { osDiskFor, resolveVmSize } from "./vm-size";

/** Node pool settings shared by GPU and general-purpose pools. */
export interface AzureNodePoolSettings {
  /** VM size, e.g. Standard_NC24ads_A100_v4 for a GPU pool or Standard_D8ds_v5 for a general one. */
  vmSize: string;
  /** "Regular" (default) or "Spot" (cheaper; Azure evicts and deletes nodes when it needs the capacity). */
  priority?: "Regular" | "Spot";
  /** Spot only: most USD per node-hour to pay; -1 (default) caps at the on-demand price, so only capacity evicts. */
  spotMaxPrice?: number;
  /** Fewest nodes the autoscaler keeps; default 0 for GPU pools, 1 otherwise (`POOL_DEFAULTS`). */
  minCount?: number;
  /** Most nodes the autoscaler adds. */
  maxCount: number;
  /** Node OS: "Ubuntu" (default for GPU pools, widest NVIDIA support) or "AzureLinux" (default otherwise, smaller surface). */
  osSku?: "AzureLinux" | "Ubuntu";
  /** "Ephemeral" (OS disk on the VM's local disk: faster, nothing left behind) or "Managed"; default Ephemeral where the size's local disk holds it. */
  osDiskType?: "Ephemeral" | "Managed";
  /** OS disk size, GiB; it also holds container images. Default 256 for GPU pools, 128 otherwise. */
  osDiskSizeGiB?: number;
  /** Availability zones ("1", "2", "3"); default none for GPU pools (any zone with capacity), the cluster's zones otherwise. */
  availabilityZones?: string[];
  /** Extra node labels. */
  labels?: Record<string, string>;
  /** Extra node taints. */
  taints?: Taint[];
  /** Subnet for the nodes; default the cluster's subnet for this kind of pool. */
  subnetId?: pulumi.Input<string>;
  /** Give nodes public IP addresses. Default false; the policy pack reports it. */
  publicIp?: boolean;
  /** Encrypt temp disks, caches and data in transit to storage on the host. Default true (needs the EncryptionAtHost subscription feature). */
  encryptionAtHost?: boolean;
  /** Pods per node; default AKS's (250 with CNI overlay). It sets the memory AKS reserves on each node (20 MiB a pod), which placement subtracts. */
  maxPods?: number;
  /** Price per node-hour placement uses; default the reference price (spot: a share of it). */
  pricePerNodeHour?: number;
  /** Share of node cpu and memory placement keeps free. Default 0.1. */
  headroom?: number;
}

/** Availability zones as AKS names them. */
export const ZONES = z.array(z.enum(["1", "2", "3"]));

/** The zod shape of `AzureNodePoolSettings`, shared by every pool schema. */
export const nodePoolSettingsShape = {
  vmSize: z.string().min(1),
  priority: z.enum(["Regular", "Spot"]).optional(),
  spotMaxPrice: z
    .number()
    .refine((v) => v === -1 || v > 0, {
      error: (issue) =>
        `${String(issue.input)} is not valid; use -1 (cap at the on-demand price) or a price above 0, USD per hour`,
    })
    .optional(),
  minCount: z.number().int().min(0).max(1000).optional(),
  maxCount: z.number().int().min(1).max(1000),
  osSku: z.enum(["AzureLinux", "Ubuntu"]).optional(),
  osDiskType: z.enum(["Ephemeral", "Managed"]).optional(),
  osDiskSizeGiB: z.number().int().min(30).max(2048).optional(),
  availabilityZones: ZONES.optional(),
  labels: z.record(labelKeySchema, labelValueSchema).optional(),
  taints: z.array(taintSchema).optional(),
  subnetId: input(SUBNET_ID).optional(),
  publicIp: z.boolean().optional(),
  encryptionAtHost: z.boolean().optional(),
  maxPods: z.number().int().min(10).max(250).optional(),
  pricePerNodeHour: z.number().positive().optional(),
  headroom: z.number().min(0).lt(1).optional(),
};

/** Pool names as placement and labels see them. */
export const POOL_NAME = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/,
    "must be lower-case letters, digits and dashes (at most 40), like gpu-spot",
  );

/**
 * Adds every problem with a pool's settings to a zod refinement, under `path`: the VM size against
 * the facts, scaling, spot-only settings, the ephemeral OS disk and (GPU pools) MIG. `wantGpu`
 * says which kind of pool the settings are for. Encryption at host is checked apart
 * (`checkEncryptionAtHost`), where the setting a pool ends up with is known.
 */
export function checkPoolSettings(
  args: z.output<z.ZodObject<typeof nodePoolSettingsShape>> & { migProfile?: string | undefined },
  wantGpu: boolean,
  ctx: IssueSink,
  path: (string | number)[] = [],
): void {
  const kind: PoolKind = wantGpu ? "gpu" : "cpu";
  const at = (field: string) => [...path, field];
  const resolved = resolveVmSize(args.vmSize, kind);
  if ("problem" in resolved) {
    ctx.addIssue({ code: "custom", path: at("vmSize"), message: resolved.problem, input: args.vmSize });
  }
  const min = args.minCount ?? POOL_DEFAULTS[kind].minCount;
  if (min > args.maxCount) {
    ctx.addIssue({
      code: "custom",
      path: at("minCount"),
      message: `${min} is above maxCount ${args.maxCount}`,
    });
  }
  for (const { index, key } of duplicateTaintKeys(
    builtInTaints(kind, args.priority === "Spot"),
    args.taints,
  )) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "taints", index, "key"],
      message: `"${key}" is already a taint of this pool; AKS rejects a taint key twice`,
    });
  }
  if (args.spotMaxPrice !== undefined && args.priority !== "Spot") {
    ctx.addIssue({ code: "custom", path: at("spotMaxPrice"), message: 'only applies with priority: "Spot"' });
  }
  if ("problem" in resolved) return;
  const disk = osDiskFor(resolved.facts, args, kind);
  if (args.osDiskType === "Ephemeral" && resolved.facts.localDiskGiB < disk.osDiskSizeGB) {
    ctx.addIssue({
      code: "custom",
      path: at("osDiskType"),
      message:
        resolved.facts.localDiskGiB === 0
          ? `"Ephemeral" needs a local disk, and "${args.vmSize}" has none AKS can use; use "Managed" or a size with a temp disk`
          : `"Ephemeral" needs ${disk.osDiskSizeGB} GiB of local disk, and "${args.vmSize}" has ${resolved.facts.localDiskGiB}; lower osDiskSizeGiB or use "Managed"`,
    });
  }
  if (args.migProfile !== undefined && resolved.kind === "gpu" && !resolved.facts.mig) {
    const migFamilies = [...new Set([...AZURE_GPU_SIZES.values()].filter((f) => f.mig).map((f) => f.family))];
    ctx.addIssue({
      code: "custom",
      path: at("migProfile"),
      message: `"${args.migProfile}" needs a GPU that supports MIG (A100, H100: ${migFamilies.join(", ")}); "${args.vmSize}" has ${resolved.facts.gpuModel}`,
    });
  }
}

/**
 * Encryption at host is on unless a pool turns it off, and AKS refuses it on a size whose
 * `EncryptionAtHostSupported` capability is false: reported at `encryptionAtHost` when the pool
 * asks for it, else at `vmSize` (the default asked for it).
 */
export function checkEncryptionAtHost(
  args: { vmSize: string; encryptionAtHost?: boolean | undefined },
  kind: PoolKind,
  ctx: IssueSink,
  path: (string | number)[] = [],
): void {
  const resolved = resolveVmSize(args.vmSize, kind);
  if ("problem" in resolved) return;
  const at = (field: string) => [...path, field];
  if (args.encryptionAtHost === false || resolved.facts.encryptionAtHost) return;
  const supported = [...(resolved.kind === "gpu" ? AZURE_GPU_SIZES : AZURE_CPU_SIZES).values()]
    .filter((f) => f.encryptionAtHost)
    .map((f) => f.family);
  const choices = [...new Set(supported)].join(", ");
  ctx.addIssue({
    code: "custom",
    path: at(args.encryptionAtHost === true ? "encryptionAtHost" : "vmSize"),
    message:
      args.encryptionAtHost === true
        ? `is true, and "${args.vmSize}" does not offer encryption at host (its EncryptionAtHostSupported capability is false); pick a size of ${choices}, or set encryptionAtHost: false (the policy pack reports it)`
        : `"${args.vmSize}" does not offer encryption at host (its EncryptionAtHostSupported capability is false), which every pool has unless it opts out; pick a size of ${choices}, or set encryptionAtHost: false on this pool (the policy pack reports it)`,
  });
}
