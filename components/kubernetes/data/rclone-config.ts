import { RCLONE_SECRET_KEYS } from "../../facts";

// The rclone configuration a copy Job mounts: one remote per end, named `source` and
// `destination` (a restore drill has `backup`), holding where the store is and how to reach it,
// never a credential. Every remote authenticates from the pod (`env_auth`): EKS Pod Identity or web
// identity for S3, Entra workload identity for Azure Storage, a mounted credentials file for the
// on-premises store. Keys per backend are rclone's own (s3.go, azureblob.go, v1.75).

/** An S3 bucket in AWS, reached at the region's S3 name (in the VPC through its gateway endpoint, from the other sites through the interface endpoint that name resolves to there). */
export interface AwsS3Store {
  kind: "aws-s3";
  region: string;
  /** The KMS key objects are written with; S3 refuses others (the bucket policy) and the ETag is then no MD5, so rclone keeps the MD5 in metadata. */
  kmsKeyArn: string;
}

/** An Azure storage account, reached at its blob name (which resolves to its private endpoint). */
export interface AzureBlobStore {
  kind: "azure-blob";
  account: string;
}

/** An S3-compatible on-premises store (MinIO, Ceph RGW, ...), at the endpoint config gives. */
export interface OnPremS3Store {
  kind: "onprem-s3";
  endpoint: string;
  region: string;
  /** rclone's provider quirks: Minio, Ceph, or Other (path-style, v1 listing). */
  provider: "Minio" | "Ceph" | "Other";
  /** What the store encrypts with: nothing or SSE-S3 (ETags stay MD5s), or SSE-KMS (they do not). */
  encryption: "none" | "sse-s3" | "sse-kms";
  kmsKeyId?: string;
  /** The credentials file (a mounted Secret) and the profile in it. */
  credentialsFile: string;
  profile: string;
  /** A CA bundle for the store's private TLS certificate, mounted in the pod. */
  caFile?: string;
}

export type CopyStore = AwsS3Store | AzureBlobStore | OnPremS3Store;

/** A config section: keys in the order written. */
type Section = [string, string][];

function section(store: CopyStore): Section {
  switch (store.kind) {
    case "aws-s3":
      return [
        ["type", "s3"],
        ["provider", "AWS"],
        ["env_auth", "true"],
        ["region", store.region],
        // The regional name: the gateway endpoint inside the VPC, the interface endpoint (private
        // DNS for inbound resolvers) from the sites joined over the VPN.
        ["endpoint", `https://s3.${store.region}.amazonaws.com`],
        // Always for SSE-KMS buckets: their ETags are not MD5s, and rclone must read the MD5 it
        // stores in metadata instead of trusting the ETag (s3.go, etagIsNotMD5).
        ["server_side_encryption", "aws:kms"],
        ["sse_kms_key_id", store.kmsKeyArn],
        // Buckets belong to Pulumi: the copy's role may neither create nor list buckets.
        ["no_check_bucket", "true"],
      ];
    case "azure-blob":
      return [
        ["type", "azureblob"],
        // Entra workload identity (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE).
        ["env_auth", "true"],
        ["account", store.account],
      ];
    case "onprem-s3":
      return [
        ["type", "s3"],
        ["provider", store.provider],
        ["env_auth", "true"],
        // The store's own keys, from a Secret mounted as a file; never AWS_ACCESS_KEY_ID in the
        // environment, which every S3 remote of the pod would use.
        ["profile", store.profile],
        ["shared_credentials_file", store.credentialsFile],
        ["endpoint", store.endpoint],
        ["region", store.region],
        ["force_path_style", "true"],
        ["no_check_bucket", "true"],
        ...(store.encryption === "sse-kms"
          ? ([
              ["server_side_encryption", "aws:kms"],
              ...(store.kmsKeyId ? [["sse_kms_key_id", store.kmsKeyId]] : []),
            ] as Section)
          : []),
      ];
  }
}

/**
 * The configuration file for the given remotes, in the order given. Throws if a secret-bearing key
 * would be written (none of the sections above has one; the check keeps it so).
 */
export function renderRcloneConfig(remotes: Readonly<Record<string, CopyStore>>): string {
  const blocks = Object.entries(remotes).map(([name, store]) => {
    if (!/^[a-z][a-z0-9]*$/.test(name))
      throw new Error(`rclone remote name "${name}" is not lower-case letters and digits`);
    const lines = section(store);
    const secret = lines.find(([key]) => RCLONE_SECRET_KEYS.includes(key));
    if (secret) throw new Error(`rclone remote "${name}" would hold the secret key ${secret[0]}`);
    return [`[${name}]`, ...lines.map(([k, v]) => `${k} = ${v}`)].join("\n");
  });
  return `${blocks.join("\n\n")}\n`;
}

/** The secret-bearing keys a configuration holds (for tests and the policy pack: none, ever). */
export function secretKeysIn(config: string): string[] {
  return config
    .split("\n")
    .map((line) => /^\s*([a-z_0-9]+)\s*=/.exec(line)?.[1])
    .filter((key): key is string => key !== undefined && RCLONE_SECRET_KEYS.includes(key));
}

/** The credentials file an on-premises store's Secret holds, for the operator: both section spellings rclone releases read. */
export function onPremCredentialsTemplate(profile: string): string {
  return [
    `# rclone 1.60 reads [${profile}]; 1.68+ (aws-sdk-go-v2) reads the file as a config file: [profile ${profile}]`,
    `[${profile}]`,
    "aws_access_key_id = <key id>",
    "aws_secret_access_key = <secret>",
    "",
    `[profile ${profile}]`,
    "aws_access_key_id = <key id>",
    "aws_secret_access_key = <secret>",
    "",
  ].join("\n");
}
