// Azure VM sizes for AKS node pools, in the same shapes as the AWS tables (GpuFacts, CpuFacts), so
// validation, node labels and placement read both clouds alike. A new size is one new row.
import type { CpuFacts } from "./cpu";
import type { GpuFacts } from "./gpu";
import { expandFamilies } from "./tables";

/** A GPU VM size: the shared GPU facts plus what AKS pool settings depend on. */
export interface AzureGpuFacts extends GpuFacts {
  /**
   * Largest OS disk, GiB, AKS can place on the size's local temp disk (ephemeral OS disk); 0 when the
   * size has none we rely on (NVMe-only sizes), so its pools use a managed OS disk.
   */
  readonly localDiskGiB: number;
  /** Whether the GPU can be split with NVIDIA Multi-Instance GPU (A100, H100): AKS `gpuInstanceProfile`. */
  readonly mig: boolean;
  /** The size's `EncryptionAtHostSupported` capability (Resource SKUs API): whether AKS can encrypt its disks at the host. */
  readonly encryptionAtHost: boolean;
}

/** A general-purpose VM size, plus its local temp disk for ephemeral OS disks. */
export interface AzureCpuFacts extends CpuFacts {
  /** Local temp disk, GiB; 0 for sizes without one (the `s` sizes without `d`). */
  readonly localDiskGiB: number;
  /** The size's `EncryptionAtHostSupported` capability (Resource SKUs API). */
  readonly encryptionAtHost: boolean;
}

type GpuRow = [
  size: string,
  gpus: number,
  vcpu: number,
  memoryGiB: number,
  fabric: boolean,
  usdPerHour: number,
  localDiskGiB: number,
];

interface GpuFamily {
  /** The family as Azure documents it, for messages. */
  family: string;
  gpuModel: string;
  gpuMemoryGiB: number;
  mig: boolean;
  /** `EncryptionAtHostSupported`: the same for every size of a family. */
  encryptionAtHost: boolean;
  rows: GpuRow[];
}

// Sources: the Azure N-series size pages (GPU, vCPU, memory, temp storage from each page's "Local
// storage" tab, not counting NVMe disks, InfiniBand) and the
// eastus Linux pay-as-you-go price list (2025). `encryptionAtHost` is the size's
// `EncryptionAtHostSupported` capability in the Resource SKUs API (as of 2026-11; check a size with
// `az vm list-skus --size <size> --query "[].capabilities[?name=='EncryptionAtHostSupported']"`):
// the ND sizes with InfiniBand do not offer it. Only whole-GPU sizes are listed: the fractional
// NVadsA10_v5 sizes use GRID vGPU slices that placement cannot count as GPUs. Prices drift; they
// only rank pools unless a pool gives its own.
const GPU_FAMILIES: GpuFamily[] = [
  {
    family: "NCasT4_v3",
    gpuModel: "T4",
    gpuMemoryGiB: 16,
    mig: false,
    encryptionAtHost: true,
    rows: [
      ["Standard_NC4as_T4_v3", 1, 4, 28, false, 0.526, 176],
      ["Standard_NC8as_T4_v3", 1, 8, 56, false, 0.752, 352],
      ["Standard_NC16as_T4_v3", 1, 16, 110, false, 1.204, 352],
      ["Standard_NC64as_T4_v3", 4, 64, 440, false, 4.352, 2816],
    ],
  },
  {
    family: "NVadsA10_v5",
    gpuModel: "A10",
    gpuMemoryGiB: 24,
    mig: false,
    encryptionAtHost: true,
    rows: [
      ["Standard_NV36ads_A10_v5", 1, 36, 440, false, 3.2, 1440],
      ["Standard_NV36adms_A10_v5", 1, 36, 880, false, 4.52, 2880],
      ["Standard_NV72ads_A10_v5", 2, 72, 880, false, 6.52, 2880],
    ],
  },
  {
    family: "NC_A100_v4",
    gpuModel: "A100",
    gpuMemoryGiB: 80,
    mig: true,
    encryptionAtHost: true,
    rows: [
      ["Standard_NC24ads_A100_v4", 1, 24, 220, false, 3.673, 64],
      ["Standard_NC48ads_A100_v4", 2, 48, 440, false, 7.346, 128],
      ["Standard_NC96ads_A100_v4", 4, 96, 880, false, 14.692, 256],
    ],
  },
  {
    family: "ND_A100_v4",
    gpuModel: "A100",
    gpuMemoryGiB: 40,
    mig: true,
    encryptionAtHost: false,
    rows: [["Standard_ND96asr_v4", 8, 96, 900, true, 27.197, 6000]],
  },
  {
    family: "NDm_A100_v4",
    gpuModel: "A100",
    gpuMemoryGiB: 80,
    mig: true,
    encryptionAtHost: false,
    rows: [["Standard_ND96amsr_A100_v4", 8, 96, 1900, true, 32.77, 6400]],
  },
  {
    family: "NCads_H100_v5",
    gpuModel: "H100",
    gpuMemoryGiB: 94,
    mig: true,
    encryptionAtHost: true,
    rows: [
      ["Standard_NC40ads_H100_v5", 1, 40, 320, false, 6.98, 3576],
      ["Standard_NC80adis_H100_v5", 2, 80, 640, false, 13.96, 7152],
    ],
  },
  {
    family: "ND_H100_v5",
    gpuModel: "H100",
    gpuMemoryGiB: 80,
    mig: true,
    encryptionAtHost: false,
    rows: [["Standard_ND96isr_H100_v5", 8, 96, 1900, true, 98.32, 1024]],
  },
];

/** Every Azure GPU VM size the node pools accept, by size name. */
export const AZURE_GPU_SIZES: ReadonlyMap<string, AzureGpuFacts> = expandFamilies(
  GPU_FAMILIES,
  (f, [type, gpus, vcpu, memoryGiB, fabric, usdPerHour, localDiskGiB]: GpuRow): AzureGpuFacts => ({
    type,
    family: f.family,
    gpuModel: f.gpuModel,
    gpus,
    gpuMemoryGiB: f.gpuMemoryGiB,
    vcpu,
    memoryGiB,
    arch: "x86_64",
    fabric,
    usdPerHour,
    localDiskGiB,
    mig: f.mig,
    encryptionAtHost: f.encryptionAtHost,
  }),
);

/** The Azure GPU families, for messages such as "pick a size of NCasT4_v3, NC_A100_v4". */
export const AZURE_GPU_FAMILIES: readonly string[] = GPU_FAMILIES.map((f) => f.family);

/** Looks up an Azure VM size; `undefined` when it has no GPU or is unknown. */
export function azureGpuSize(vmSize: string): AzureGpuFacts | undefined {
  return AZURE_GPU_SIZES.get(vmSize);
}

type CpuRow = [size: string, vcpu: number, memoryGiB: number, usdPerHour: number, localDiskGiB: number];

// Sources: the Dv5/Ddv5/Dpdsv5/Edv5/Fsv2 size pages and eastus Linux pay-as-you-go prices (2025).
const CPU_FAMILIES: {
  family: string;
  arch: "x86_64" | "arm64";
  /** `EncryptionAtHostSupported`, as for the GPU families. */
  encryptionAtHost: boolean;
  rows: CpuRow[];
}[] = [
  {
    family: "Dsv5",
    arch: "x86_64",
    encryptionAtHost: true,
    rows: [
      ["Standard_D2s_v5", 2, 8, 0.096, 0],
      ["Standard_D4s_v5", 4, 16, 0.192, 0],
      ["Standard_D8s_v5", 8, 32, 0.384, 0],
      ["Standard_D16s_v5", 16, 64, 0.768, 0],
      ["Standard_D32s_v5", 32, 128, 1.536, 0],
    ],
  },
  {
    family: "Ddsv5",
    arch: "x86_64",
    encryptionAtHost: true,
    rows: [
      ["Standard_D2ds_v5", 2, 8, 0.113, 75],
      ["Standard_D4ds_v5", 4, 16, 0.226, 150],
      ["Standard_D8ds_v5", 8, 32, 0.452, 300],
      ["Standard_D16ds_v5", 16, 64, 0.904, 600],
      ["Standard_D32ds_v5", 32, 128, 1.808, 1200],
    ],
  },
  {
    family: "Dpdsv5",
    arch: "arm64",
    encryptionAtHost: true,
    rows: [
      ["Standard_D2pds_v5", 2, 8, 0.0904, 75],
      ["Standard_D4pds_v5", 4, 16, 0.1808, 150],
      ["Standard_D8pds_v5", 8, 32, 0.3616, 300],
      ["Standard_D16pds_v5", 16, 64, 0.7232, 600],
    ],
  },
  {
    family: "Edsv5",
    arch: "x86_64",
    encryptionAtHost: true,
    rows: [
      ["Standard_E4ds_v5", 4, 32, 0.288, 150],
      ["Standard_E8ds_v5", 8, 64, 0.576, 300],
      ["Standard_E16ds_v5", 16, 128, 1.152, 600],
    ],
  },
  {
    family: "Fsv2",
    arch: "x86_64",
    encryptionAtHost: true,
    rows: [
      ["Standard_F4s_v2", 4, 8, 0.169, 32],
      ["Standard_F8s_v2", 8, 16, 0.338, 64],
      ["Standard_F16s_v2", 16, 32, 0.677, 128],
    ],
  },
];

/** Every general-purpose Azure VM size the node pools accept, by size name. */
export const AZURE_CPU_SIZES: ReadonlyMap<string, AzureCpuFacts> = expandFamilies(
  CPU_FAMILIES,
  (f, [type, vcpu, memoryGiB, usdPerHour, localDiskGiB]: CpuRow): AzureCpuFacts => ({
    type,
    family: f.family,
    vcpu,
    memoryGiB,
    arch: f.arch,
    usdPerHour,
    localDiskGiB,
    encryptionAtHost: f.encryptionAtHost,
  }),
);

/** The general-purpose Azure families, for messages. */
export const AZURE_CPU_FAMILIES: readonly string[] = CPU_FAMILIES.map((f) => f.family);
