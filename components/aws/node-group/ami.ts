/** One node image per OS, architecture and GPU-ness: a table, not branches. */
const AMI_TYPES = {
  al2023: {
    x86_64: { gpu: "AL2023_x86_64_NVIDIA", cpu: "AL2023_x86_64_STANDARD" },
    arm64: { gpu: "AL2023_ARM_64_NVIDIA", cpu: "AL2023_ARM_64_STANDARD" },
  },
  bottlerocket: {
    x86_64: { gpu: "BOTTLEROCKET_x86_64_NVIDIA", cpu: "BOTTLEROCKET_x86_64" },
    arm64: { gpu: "BOTTLEROCKET_ARM_64_NVIDIA", cpu: "BOTTLEROCKET_ARM_64" },
  },
} as const;

/** The EKS AMI type for an OS, an architecture and whether the pool has GPUs. */
export function amiTypeFor(os: "al2023" | "bottlerocket", arch: "x86_64" | "arm64", gpu: boolean): string {
  return AMI_TYPES[os][arch][gpu ? "gpu" : "cpu"];
}
