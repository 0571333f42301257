// Datasets as config declares them: a plain name (hosted here, nothing more), or an entry that
// also says how sensitive the data is, where it is backed up and whether it may be staged next to
// its readers. And the `data` section: the rclone image each site's cluster pulls, and the copies'
// defaults. Checks across sites (targets, links, identities) are in ./checks/data.ts.
import { z } from "zod";
import { pemCertificateBundleSchema, rolesAnywhereSessionSecondsSchema } from "../../components/aws/internal";
import { entraCertificatesSchema } from "../../components/azure/internal";
import { rcloneImageSchema } from "../../components/facts";
import { bandwidthSchema, batchSizeSchema, cronScheduleSchema } from "../../components/kubernetes/internal";
import { CLASSIFICATIONS, type Classification } from "../../components/placement";
import { dnsLabelSchema, jurisdictionSchema, pinnedImageSchema } from "../../components/validation";

/** The site kinds (kept here as well as in ./fields, which imports this file). */
const KINDS = ["aws", "azure", "onprem"] as const;
type Kind = (typeof KINDS)[number];

/**
 * A dataset's name: it is the dataset's folder in every store (a prefix identities are limited to)
 * and part of its copies' Kubernetes names.
 */
export const datasetNameSchema = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/,
    "is not a dataset name: lower-case letters, digits, '.', '_' and '-', at most 63 (it is the dataset's folder in every store and part of its copies' names)",
  );

/** One backup of a dataset to another site. */
const backupSchema = z.strictObject({
  /** The site the backup goes to: aws, azure or onprem (never the dataset's own). */
  to: z.enum(KINDS),
  /** When it runs: five-field cron, UTC. */
  schedule: cronScheduleSchema,
  /** Days a replaced or deleted object's old versions are kept in the backup. */
  retentionDays: z.number().int().min(1).max(3650),
  /** The newest old versions kept past `retentionDays` (S3 destinations; Azure keeps versions by age). */
  versions: z.number().int().min(1).max(100),
  /** rclone's bandwidth limit for this backup; default `data.bandwidth`. */
  bandwidth: bandwidthSchema.optional(),
});

/** Staging: whether the dataset may be copied next to where placement runs its readers. */
const stagingSchema = z.union([
  z.boolean(),
  z.strictObject({
    /** Default true: staged wherever its classification allows. */
    allowed: z.boolean().optional(),
    /** How often a staged copy is refreshed (cron, UTC); default `data.stagingSchedule`. */
    schedule: cronScheduleSchema.optional(),
    bandwidth: bandwidthSchema.optional(),
  }),
]);

/** A dataset entry: a name, or a name with its classification, residency, backups and staging. */
export const datasetEntrySchema = z.union([
  datasetNameSchema,
  z.strictObject({
    name: datasetNameSchema,
    /** How sensitive the data is; default the stack's dataClassification. */
    classification: z.enum(CLASSIFICATIONS).optional(),
    /** Jurisdictions the data may be held in (copies of confidential data go to public sites only inside them). */
    residency: z.array(jurisdictionSchema).min(1).optional(),
    /** One backup, or several to different sites. */
    backup: z.union([backupSchema, z.array(backupSchema).min(1)]).optional(),
    staging: stagingSchema.optional(),
  }),
]);

export type DatasetEntry = z.output<typeof datasetEntrySchema>;

/** A site's `datasets` list. */
export const datasetsSchema = z.array(datasetEntrySchema);

/** The `data` section: the copies' image per site and their defaults. */
export const dataSchema = z.strictObject({
  /**
   * The rclone image each site's cluster runs copies with, mirrored to a registry it reaches and
   * pinned by release and digest (`.../rclone/rclone:1.75.2@sha256:...`); needed on every site
   * that runs a copy.
   */
  images: z.strictObject({
    aws: rcloneImageSchema.optional(),
    azure: rcloneImageSchema.optional(),
    onprem: rcloneImageSchema.optional(),
  }),
  /** Default bandwidth limit of a copy (rclone `--bwlimit`); default none. */
  bandwidth: bandwidthSchema.optional(),
  /** Bytes per batch (`--max-transfer`); default 50G. */
  batch: batchSizeSchema.optional(),
  /** Parallel transfers and checkers per copy; default 8 and 16. */
  transfers: z.number().int().min(1).max(64).optional(),
  checkers: z.number().int().min(1).max(128).optional(),
  /** Staged copies are refreshed on this schedule unless a dataset says; default daily at 00:00 UTC. */
  stagingSchedule: cronScheduleSchema.optional(),
  /** Restore drills: when (default weekly, Sunday 06:00 UTC) and how many objects each restores (default 25). */
  drill: z
    .strictObject({
      schedule: cronScheduleSchema.optional(),
      sample: z.number().int().min(1).max(10_000).optional(),
    })
    .optional(),
});

export type DataConfig = z.output<typeof dataSchema>;

/** The defaults of the `data` section and of dataset entries. */
export const DATA_DEFAULTS = {
  batch: "50G",
  transfers: 8,
  checkers: 16,
  stagingSchedule: "0 0 * * *",
  drillSchedule: "0 6 * * 0",
  drillSample: 25,
} as const;

/** The on-premises store's S3 API, which copies to and from on-premises use. */
export const onPremS3Schema = z.strictObject({
  /**
   * Its HTTPS endpoint (copies are encrypted in transit), e.g. https://s3.storage.corp.example. Its
   * certificate must chain to a CA the rclone image trusts (a private CA: build the mirrored image
   * with it; rclone's --ca-cert would replace the roots the clouds' endpoints need).
   */
  endpoint: z.url({ protocol: /^https$/, error: "is not an https:// URL; copies are encrypted in transit" }),
  /** rclone's provider quirks: Minio, Ceph or Other (path-style). Default Other. */
  provider: z.enum(["Minio", "Ceph", "Other"]).optional(),
  /** The region the store answers to; default us-east-1. */
  region: z.string().min(1).optional(),
  /** The bucket the site's datasets live in (each under its folder). */
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "is not a bucket name"),
  /** The bucket backups to this site go to; needed where a dataset backs up to onprem. */
  backupBucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "is not a bucket name")
    .optional(),
  /** The bucket staged copies go to; needed for staging to onprem. */
  stagingBucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "is not a bucket name")
    .optional(),
  /** Whether the buckets keep old versions (set on the store; the library cannot). Backups need it. */
  versioning: z.boolean(),
  /** How the store encrypts at rest (set on the store). Backups need one. */
  encryption: z.enum(["sse-s3", "sse-kms", "none"]),
  /** The KMS key id for sse-kms. */
  kmsKeyId: z.string().min(1).optional(),
  /**
   * The Secret (in the copies' namespace on the on-premises cluster) holding the store's keys as an
   * AWS credentials file under the key `credentials`; created by the site's operators, never by
   * the library.
   */
  credentialsSecret: dnsLabelSchema,
});

export type OnPremS3Config = z.output<typeof onPremS3Schema>;

/** A certificate field a role's trust policy compares exactly. */
const certFieldSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9 .,:_@=+/-]{1,64}$/,
    "is not a certificate field of at most 64 plain characters (no * or ?)",
  );

/** IAM Roles Anywhere (AWS): the site's CA is the trust anchor, the certificate's fields the condition. */
const rolesAnywhereSchema = z.strictObject({
  /** The CA bundle (PEM) that issues the copies' certificate: the trust anchor. */
  caBundle: pemCertificateBundleSchema,
  /**
   * The `kubernetes.io/tls` Secret (tls.crt, tls.key) in the copies' namespace holding the
   * copies' certificate, issued by that CA (cert-manager's Certificate writes one); made by
   * the platform team, never by the library.
   */
  certificateSecret: dnsLabelSchema,
  /** The certificate's subject: the roles trust only these fields (CN; O and OU where given). */
  subject: z.strictObject({
    CN: certFieldSchema,
    O: certFieldSchema.optional(),
    OU: certFieldSchema.optional(),
  }),
  /** The issuing CA's subject (CN; O where given), which the roles also require. */
  issuer: z.strictObject({ CN: certFieldSchema, O: certFieldSchema.optional() }),
  /**
   * An image with AWS's signing helper (aws_signing_helper, rolesanywhere-credential-helper)
   * and `cp`, mirrored and pinned; its path in the image (default /usr/local/bin/aws_signing_helper).
   */
  helper: z.strictObject({
    image: pinnedImageSchema,
    path: z
      .string()
      .regex(/^(\/[A-Za-z0-9._-]+)+$/, "is not an absolute path such as /usr/local/bin/aws_signing_helper")
      .optional(),
  }),
  /** Session length, 900 to 3600 seconds (default 3600); the helper is run again when one ends. */
  sessionSeconds: rolesAnywhereSessionSecondsSchema,
});

/**
 * An Entra application (Azure) per copy whose certificate credential is the copies' own
 * certificate: Entra trusts that certificate by its thumbprint (not its CA), so each renewal is
 * a config change; list the successor beside the current one while the Secret is rolled.
 */
const entraSchema = z.strictObject({
  /** The copies' certificate (PEM, RSA, no key), and its successor while it is rolled out. */
  certificates: entraCertificatesSchema,
  /**
   * The `kubernetes.io/tls` Secret in the copies' namespace holding that certificate and its key;
   * default rolesAnywhere.certificateSecret (one certificate for both clouds).
   */
  certificateSecret: dnsLabelSchema.optional(),
});

/**
 * How copies on the on-premises cluster prove who they are to the clouds, without a long-lived
 * key: its service-account issuer (federated: an IAM OIDC provider and Entra federated
 * credentials; AWS IAM and Entra ID must fetch its discovery document and keys), or, where no
 * issuer can be published, a certificate the site issues its copies: IAM Roles Anywhere for AWS,
 * an Entra application's certificate credential for Azure (one certificate can serve both).
 */
export const onPremIdentitySchema = z.union(
  [
    z.strictObject({
      issuer: z.url({
        protocol: /^https$/,
        error: "is not an https:// URL of the cluster's service-account issuer",
      }),
    }),
    z
      .strictObject({
        /** AWS: IAM Roles Anywhere trusts the site's CA and the certificate's subject. */
        rolesAnywhere: rolesAnywhereSchema.optional(),
        /** Azure: an Entra application per copy accepts the copies' certificate itself. */
        entra: entraSchema.optional(),
      })
      .superRefine((identity, ctx) => {
        if (!identity.rolesAnywhere && !identity.entra)
          ctx.addIssue({
            code: "custom",
            path: [],
            message:
              "names no mechanism: give { issuer: <https URL> }, or rolesAnywhere (AWS) and/or entra (Azure) with the copies' certificate",
          });
        if (identity.entra && !identity.entra.certificateSecret && !identity.rolesAnywhere)
          ctx.addIssue({
            code: "custom",
            path: ["entra", "certificateSecret"],
            message:
              "is not set, and there is no rolesAnywhere.certificateSecret to share: name the kubernetes.io/tls Secret (tls.crt, tls.key) in the copies' namespace that holds the copies' certificate and key",
          });
      }),
  ],
  { error: "is neither { issuer: <https URL> } nor { rolesAnywhere: {...}, entra: {...} }" },
);

export type OnPremIdentity = z.output<typeof onPremIdentitySchema>;

/** One backup as the site model holds it. */
export interface DatasetBackup {
  to: Kind;
  schedule: string;
  retentionDays: number;
  versions: number;
  bandwidth?: string | undefined;
  /** Config path of the backup entry. */
  path: (string | number)[];
}

/** A dataset as the site model holds it: its name, home, sensitivity, backups and staging. */
export interface Dataset {
  name: string;
  /** The site hosting it. */
  home: Kind;
  /** The store's name in config (bucket, storage account; the site's name on-premises). */
  store: string;
  classification: Classification;
  /** Whether the entry names its classification (else it is the stack's). */
  classificationDeclared: boolean;
  residency?: string[] | undefined;
  backups: DatasetBackup[];
  staging: {
    allowed: boolean;
    /** Whether the entry says so (an explicit staging that cannot happen anywhere is an error). */
    declared: boolean;
    schedule?: string | undefined;
    bandwidth?: string | undefined;
  };
  /** Config path of the entry. */
  path: (string | number)[];
}

/** The name of an entry. */
export function datasetName(entry: DatasetEntry): string {
  return typeof entry === "string" ? entry : entry.name;
}

/** An entry as the site model holds it; `classification` defaults to the stack's. */
export function datasetOf(
  entry: DatasetEntry,
  where: { home: Kind; store: string; path: (string | number)[] },
  stackClassification: Classification,
): Dataset {
  if (typeof entry === "string")
    return {
      name: entry,
      ...where,
      classification: stackClassification,
      classificationDeclared: false,
      backups: [],
      staging: { allowed: true, declared: false },
    };
  const backups =
    entry.backup === undefined ? [] : Array.isArray(entry.backup) ? entry.backup : [entry.backup];
  const staging = entry.staging;
  return {
    name: entry.name,
    ...where,
    classification: entry.classification ?? stackClassification,
    classificationDeclared: entry.classification !== undefined,
    ...(entry.residency ? { residency: [...entry.residency] } : {}),
    backups: backups.map((b, i) => ({
      ...b,
      path: [...where.path, "backup", ...(Array.isArray(entry.backup) ? [i] : [])],
    })),
    staging:
      typeof staging === "boolean"
        ? { allowed: staging, declared: true }
        : staging === undefined
          ? { allowed: true, declared: false }
          : {
              allowed: staging.allowed ?? true,
              declared: true,
              schedule: staging.schedule,
              bandwidth: staging.bandwidth,
            },
  };
}
