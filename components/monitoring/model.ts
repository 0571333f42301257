import type { Thresholds } from "./thresholds";

// What the rule generator knows about one site: its pools and what placement put on them, the
// Kueue queues and backups that exist there, the VPN tunnels its cloud reports on, and when to
// alert. Everything here is a plain value known before anything is declared, so the rules are
// the same bytes on every preview of the same decision.

/** Where a site's metrics are collected and evaluated. */
export type MetricsCloud = "aws" | "azure" | "onprem";

/** A pool as placement sized it. */
export interface MonitoredPool {
  /** The pool's name (its nodes' `hybrid-ai-infra.io/pool` label). */
  name: string;
  /** The pool's floor and ceiling of nodes. */
  minNodes: number;
  maxNodes: number;
  /** Nodes placement packed its workloads onto (at least `minNodes` run anyway). */
  placedNodes: number;
  /** One node's shape as placement counts it: cores, GiB, GPUs. */
  node: { cpu: number; memoryGiB: number; gpus?: number | undefined };
}

/** A workload's part on one pool of the site, as placement decided it. */
export interface MonitoredWorkload {
  name: string;
  namespace: string;
  pool: string;
  replicas: number;
  /** Per replica, as the catalog requests it. */
  cpu: number;
  memoryGiB: number;
  gpus?: number | undefined;
}

/** A Kueue ClusterQueue on the site's cluster. */
export interface MonitoredQueue {
  clusterQueue: string;
}

/** A backup CronJob on the site's cluster (labelled `hybrid-ai-infra.io/backup`). */
export interface MonitoredBackup {
  namespace: string;
  cronjob: string;
  /** Its schedule, a five-field cron expression. */
  schedule: string;
}

/**
 * A VPN tunnel this site's cloud reports on. `peer` is what the cloud's metric names the tunnel
 * by: on AWS the exporter's job name (the tunnel's name), on Azure the BGP peer address.
 */
export interface MonitoredTunnel {
  link: string;
  tunnel: string;
  peer: string;
}

/** Everything the rules of one site are generated from. */
export interface SiteMetrics {
  /** The site's cluster, which is its placement target's name and the `site` label of every record. */
  site: string;
  cloud: MetricsCloud;
  pools: MonitoredPool[];
  workloads: MonitoredWorkload[];
  /** Absent or empty: the queue alerts are left out. */
  queues: MonitoredQueue[];
  /** Absent or empty: the backup alerts are left out. */
  backups: MonitoredBackup[];
  /** Absent or empty: the VPN alerts are left out. */
  tunnels: MonitoredTunnel[];
  thresholds: Thresholds;
  /** Where each alert's `runbook_url` points (an anchor per alert is added). */
  runbookUrl: string;
}
