// What the platform program is given besides its configuration.
import type * as pulumi from "@pulumi/pulumi";
import type { QueueSettings, WorkloadSpec } from "../components/kubernetes";
import type { PlacementLock, PlacementResult } from "../components/placement";
import type { TrafficPlan } from "../components/traffic";

/** Secrets the program needs, read from secret config. */
export interface PlatformSecrets {
  /** Kubeconfig of the on-premises cluster (required when the config has `onprem`). */
  onpremKubeconfig?: pulumi.Output<string>;
  /** Bearer token of the on-premises metrics store, if it wants one (`monitoring.onprem`). */
  onpremMetricsToken?: pulumi.Output<string>;
}

/** The workload catalog, the last decision (lock) and the decision made before declaring anything. */
export interface PlatformWorkloads {
  catalog?: WorkloadSpec[];
  /** The catalog's queue settings (priorities, preemption). */
  queues?: QueueSettings;
  lock?: PlacementLock;
  decision?: PlacementResult;
  /** Cross-site traffic planned from the decision (services on several sites, their weights, entries, names). */
  traffic?: TrafficPlan;
}

/** Stack outputs of one part, by name. */
export type Outputs = Record<string, pulumi.Input<unknown>>;
