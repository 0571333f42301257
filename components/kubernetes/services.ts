import { LABEL_WORKLOAD, MANAGED_BY } from "./labels";
import type { NetworkPolicyObject, ServiceAccountObject, ServiceObject } from "./objects";
import type { WorkloadSpec } from "./spec";

/** Whether the workload is a training job whose ranks talk to each other (more than one replica). */
export function hasRanks(w: WorkloadSpec): boolean {
  return w.kind === "training" && w.replicas > 1;
}

/**
 * The workload's Service: a ClusterIP Service over its declared ports for services and inference
 * (across every pool it was split over); for multi-replica training a headless Service, which with
 * the pods' `subdomain` gives each rank a stable DNS name (`<job>-<index>.<workload>`), published
 * before the ranks are ready, as the rendezvous needs. Nothing for workloads without either.
 */
export function renderService(w: WorkloadSpec, namespace: string): ServiceObject | undefined {
  const selector = { [LABEL_WORKLOAD]: w.name };
  const metadata = { name: w.name, namespace, labels: { ...MANAGED_BY, [LABEL_WORKLOAD]: w.name } };
  const ports = (w.ports ?? []).map((p) => ({
    name: p.name,
    port: p.port,
    targetPort: p.port,
    protocol: p.protocol ?? "TCP",
  }));
  if (hasRanks(w)) {
    return {
      apiVersion: "v1",
      kind: "Service",
      metadata,
      spec: { type: "ClusterIP", clusterIP: "None", selector, publishNotReadyAddresses: true, ports },
    };
  }
  if ((w.kind === "service" || w.kind === "inference") && ports.length > 0) {
    return { apiVersion: "v1", kind: "Service", metadata, spec: { type: "ClusterIP", selector, ports } };
  }
  return undefined;
}

/**
 * Lets a training job's ranks reach each other on every port: NCCL and torch.distributed pick
 * ephemeral ports, so no narrower rule works; nothing else gains access.
 */
export function renderRankPolicy(w: WorkloadSpec, namespace: string): NetworkPolicyObject | undefined {
  if (!hasRanks(w)) return undefined;
  const ranks = { podSelector: { matchLabels: { [LABEL_WORKLOAD]: w.name } } };
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: `ranks-${w.name}`, namespace, labels: { ...MANAGED_BY } },
    spec: {
      podSelector: ranks.podSelector,
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [ranks] }],
      egress: [{ to: [ranks] }],
    },
  };
}

/**
 * The service account a workload's pods run as: the catalog's `serviceAccountName`, or the
 * workload's name. Every workload has its own (rendered beside it, no token mounted), so no pod
 * runs as its namespace's `default` account, which anything else in the namespace may share.
 */
export function serviceAccountOf(w: WorkloadSpec): string {
  return w.serviceAccountName ?? w.name;
}

/**
 * The service account a cloud identity is bound to, when the workload has one: it reads datasets
 * (the platform phase binds an identity limited to them to the workload's account) or the catalog
 * names its account (for an identity bound outside, e.g. to read secrets). Only then do pods ask
 * for the identity's token (Azure's `azure.workload.identity/use`).
 */
export function identityAccountOf(w: WorkloadSpec): string | undefined {
  return w.serviceAccountName ?? ((w.datasets ?? []).length > 0 ? w.name : undefined);
}

/** The ServiceAccount a workload runs as, so the pod is never refused for a missing one. */
export function renderServiceAccount(
  w: WorkloadSpec,
  namespace: string,
  annotations: Readonly<Record<string, string>> = {},
): ServiceAccountObject {
  const name = serviceAccountOf(w);
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name,
      namespace,
      labels: { ...MANAGED_BY, [LABEL_WORKLOAD]: w.name },
      ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
    },
    automountServiceAccountToken: false,
  };
}
