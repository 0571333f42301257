/** Pods per node AKS allows by default with Azure CNI overlay. */
export const AKS_DEFAULT_MAX_PODS = 250;

/**
 * What AKS keeps from pods on every node (AKS "node resource reservations", AKS 1.29 and later):
 * kube-reserved cpu by cores on the host, linear between the documented points and past the last
 * (10m per core beyond 4 cores); kube-reserved memory of 20 MiB per pod the node allows plus 50 MiB,
 * at most 25% of the node's memory; and the kubelet's hard eviction threshold, memory.available<100Mi.
 */
const AKS_RESERVED = {
  cpuMillicores: [
    [1, 60],
    [2, 100],
    [4, 140],
    [8, 180],
    [16, 260],
    [32, 420],
    [64, 740],
  ] as const satisfies readonly (readonly [cores: number, millicores: number])[],
  memoryMiBPerPod: 20,
  memoryMiBBase: 50,
  memoryMaxShare: 0.25,
  evictionMiB: 100,
};

/** The kube-reserved cpu of a node with `cores`, millicores: a line through the table's points. */
function reservedMillicores(cores: number): number {
  const points = AKS_RESERVED.cpuMillicores;
  const above = points.findIndex(([c]) => c >= cores);
  const end = above === -1 ? points.length - 1 : Math.max(above, 1);
  const [c0, m0] = points[end - 1] ?? points[0];
  const [c1, m1] = points[end] ?? points[0];
  return m0 + ((m1 - m0) * (cores - c0)) / (c1 - c0);
}

/** The cpu and memory a node of a size leaves to pods, once AKS's reservations are taken. */
export function aksAllocatable(
  size: { vcpu: number; memoryGiB: number },
  maxPods: number,
): { cpu: number; memoryGiB: number } {
  const memoryMiB = size.memoryGiB * 1024;
  const kubeReservedMiB = Math.min(
    AKS_RESERVED.memoryMiBPerPod * maxPods + AKS_RESERVED.memoryMiBBase,
    AKS_RESERVED.memoryMaxShare * memoryMiB,
  );
  return {
    cpu: round(size.vcpu - reservedMillicores(size.vcpu) / 1000),
    memoryGiB: round((memoryMiB - kubeReservedMiB - AKS_RESERVED.evictionMiB) / 1024),
  };
}

/** A quantity placement sees, to four decimals. */
export function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
