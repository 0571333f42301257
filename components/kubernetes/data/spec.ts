import type { Classification } from "../../placement";
import type { CopyStore } from "./rclone-config";

// What a data copy Job is, as plain values the platform phase decides and the cluster phase
// renders: which dataset, from which store to which, on what schedule, as which identity, and
// where its pods may connect. Nothing here is a secret: identities are role ARNs and client ids.

/** The three things a copy Job does. */
export const DATA_COPY_KINDS = ["backup", "staging", "drill"] as const;
export type DataCopyKind = (typeof DATA_COPY_KINDS)[number];

/** One end of a copy: a site, its store, and where the dataset lives there. */
export interface CopyEnd {
  /** The site's cluster name (its placement target), e.g. dc1, eks, aks. */
  site: string;
  /** The store in rclone's terms. */
  store: CopyStore;
  /** Bucket or container, then the dataset's folder: `backups/clinical-notes`. */
  path: string;
  /** How a reader sees the store, for annotations and the plan: `s3://...`, `https://<account>.blob.core.windows.net/...`. */
  url: string;
}

/** Where a copy writes, as the policy pack checks it. */
export interface CopyDestinationFacts {
  trust: "private" | "public";
  jurisdiction: string;
  /** How the destination encrypts at rest, e.g. `aws:kms <key arn>`, `azure-cmk <key uri>`, `sse-s3`. */
  encryption: string;
  /** Whether the destination keeps replaced and deleted versions. */
  versioning: boolean;
  /** Old versions kept this many days (backups). */
  retentionDays?: number;
  /** The newest old versions kept past that (S3 stores; Azure keeps versions by age only). */
  versions?: number;
}

/**
 * How a copy's pod proves who it is at each store, without a long-lived key: the ServiceAccount's
 * annotations and the pod's labels (a cloud's own webhook: Azure workload identity on AKS), the
 * environment (web identity: role ARN and token file; Entra: client and tenant ids), the tokens
 * to project (audience and file), and the on-premises store's credentials file (a Secret).
 */
export interface CopyIdentity {
  serviceAccountAnnotations: Record<string, string>;
  podLabels: Record<string, string>;
  env: Record<string, string>;
  /** Service-account tokens projected into the pod, each for one audience. */
  tokens: { audience: string; path: string }[];
  /** A Secret mounted read-only (the on-premises store's credentials file, an internal CA). */
  secrets: { secretName: string; mountPath: string }[];
  /** AWS through IAM Roles Anywhere: the site's X.509 certificate exchanged for the role's session (no issuer to federate). */
  rolesAnywhere?: RolesAnywhereCredential;
  /** Azure through an Entra application's certificate credential: the site's X.509 certificate signs the client assertion (no issuer to federate). */
  entra?: EntraCertificateCredential;
}

/**
 * How a copy on a cluster without a public issuer gets an Entra token: rclone's Azure SDK signs a
 * client assertion with the certificate and key of a `kubernetes.io/tls` Secret (`tls.crt`,
 * `tls.key`), which the application accepts as its certificate credential. Only ids and a Secret's
 * name: the key stays in the Secret.
 */
export interface EntraCertificateCredential {
  tenantId: string;
  /** The application's client id. */
  clientId: string;
  /** The Secret holding the certificate and its key, in the copies' namespace. */
  certificateSecret: string;
}

/**
 * How a copy on a cluster without a public issuer gets AWS credentials: AWS's signing helper,
 * run by the SDK as a `credential_process`, signs CreateSession with the certificate and key
 * of a `kubernetes.io/tls` Secret (`tls.crt`, `tls.key`) and returns the role's session. Only
 * ARNs and paths: the key stays in the Secret.
 */
export interface RolesAnywhereCredential {
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  region: string;
  /** Roles Anywhere's interface endpoint over the VPN (`https://vpce-....rolesanywhere.<region>.vpce.amazonaws.com`). */
  endpoint: string;
  /** The Secret holding the certificate and its key, in the copies' namespace. */
  certificateSecret: string;
  /** An image holding the helper (mirrored, pinned), and the helper's path in it. */
  helperImage: string;
  helperPath: string;
  /** How long a session lasts, in seconds (the profile's). */
  sessionSeconds: number;
}

/** Where a copy's pods may connect, besides DNS: its stores' endpoints and the token services. */
export interface CopyEgress {
  toCidrs: string[];
  ports: number[];
  /** What this is, for the policy's comments and the plan. */
  why: string;
}

/** One data copy: a backup (CronJob), a staging (a Job, and a CronJob refreshing it) or a restore drill (CronJob). */
export interface DataCopySpec {
  /** Name of its objects (ServiceAccount, ConfigMap, CronJob or Job), at most 52 characters. */
  name: string;
  kind: DataCopyKind;
  dataset: string;
  classification: Classification;
  /** The dataset's allowed jurisdictions, when it names them. */
  residency?: string[];
  /** Where it reads: the dataset's home (backup, staging) or the backup (drill). */
  source: CopyEnd;
  /** Where it writes: the backup or the staged copy; none for a drill, which restores to scratch space. */
  destination?: CopyEnd;
  destinationFacts: CopyDestinationFacts;
  /** The manifest of the backup (`remote:path`), which backups write and drills read. */
  manifest?: { store: "source" | "destination"; path: string };
  /** Five-field cron schedule in UTC; absent for a one-off staging Job. */
  schedule?: string;
  /** rclone `--bwlimit`: a rate (`50M`) or a timetable (`08:00,10M 19:00,off`). */
  bandwidth?: string;
  /** Bytes per batch (`--max-transfer`), e.g. `50G`. */
  batch: string;
  transfers: number;
  checkers: number;
  /** Objects a drill restores. */
  sample?: number;
  identity: CopyIdentity;
  egress: CopyEgress[];
}
