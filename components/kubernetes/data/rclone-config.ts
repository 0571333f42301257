import { RCLONE_SECRET_KEYS } from "../../facts";

// The rclone configuration a copy Job mounts: one remote per end, named `source` and
// `destination` (a restore drill has `backup`), holding where the store is and how to reach it,
// never a credential. Every remote authenticates from the pod (`env_auth`): EKS Pod Identity or web
// identity for S3, Entra workload identity for Azure Storage, a mounted credentials file for the
// on-premises store; or, on a cluster without a public issuer, from a mounted certificate (Roles
// Anywhere's credential_process for S3, an Entra application's `client_certificate_path`). Keys per backend are rclone's own (s3.go, azureblob.go, v1.75).

/** An S3 bucket in AWS, reached at the region's S3 name (in the VPC through its gateway endpoint, from the other sites through the interface endpoint that name resolves to there). */
export interface AwsS3Store {
  kind: "aws-s3";
  region: string;
  /** The KMS key objects are written with; S3 refuses others (the bucket policy) and the ETag is then no MD5, so rclone keeps the MD5 in metadata. */
  kmsKeyArn: string;
  /**
   * An AWS config file and the profile in it whose `credential_process` gives the credentials
   * (IAM Roles Anywhere), instead of the pod's web identity or Pod Identity.
   */
  sharedConfig?: { file: string; profile: string };
}

/** An Azure storage account, reached at its blob name (which resolves to its private endpoint). */
export interface AzureBlobStore {
  kind: "azure-blob";
  account: string;
  /**
   * An Entra application's certificate credential instead of the pod's workload identity: the
   * tenant, the application's client id, and the file (mounted from a Secret) holding the
   * certificate and its key, which rclone (1.61+) signs the client assertion with.
   */
  certificate?: { tenant: string; clientId: string; file: string };
}

/** Where a certificate file may be: a volume mounted from a Secret, never the image or the config. */
export const MOUNTED_SECRETS_DIR = "/var/run/secrets/";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
        // rclone hands both to the SDK as its shared config (1.60: SharedConfigFiles; 1.68+:
        // WithSharedConfigFiles and WithSharedConfigProfile), which runs the profile's credential_process.
        ...(store.sharedConfig
          ? ([
              ["profile", store.sharedConfig.profile],
              ["shared_credentials_file", store.sharedConfig.file],
            ] as Section)
          : []),
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
      if (store.certificate) {
        const { tenant, clientId, file } = store.certificate;
        if (!GUID.test(tenant) || !GUID.test(clientId))
          throw new Error(
            `an Entra certificate credential needs GUIDs for tenant and client id, got ${tenant} and ${clientId}`,
          );
        if (!file.startsWith(MOUNTED_SECRETS_DIR))
          throw new Error(
            `the Entra certificate file ${file} is not under ${MOUNTED_SECRETS_DIR}, where Secrets are mounted`,
          );
        // rclone's service principal with certificate (azureblob auth, 1.61+): the SDK's
        // ClientCertificateCredential reads the certificate and its key from the one file.
        return [
          ["type", "azureblob"],
          ["tenant", tenant],
          ["client_id", clientId],
          ["client_certificate_path", file],
          ["account", store.account],
        ];
      }
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

/** Characters an argument of the credential_process line may hold: the SDKs split it on spaces and honour no quoting everywhere. */
const PLAIN_ARGUMENT = /^[A-Za-z0-9:/._=@+-]+$/;

/**
 * The AWS config file of a copy that authenticates with IAM Roles Anywhere: one profile whose
 * `credential_process` runs AWS's signing helper with the mounted certificate and key. A
 * `[profile <name>]` section, which both SDKs rclone has used read (aws-sdk-go falls back to it).
 */
export function rolesAnywhereAwsConfig(
  profile: string,
  helper: {
    path: string;
    certificate: string;
    privateKey: string;
    trustAnchorArn: string;
    profileArn: string;
    roleArn: string;
    region: string;
    endpoint: string;
    sessionSeconds: number;
  },
): string {
  const args = [
    helper.path,
    "credential-process",
    "--certificate",
    helper.certificate,
    "--private-key",
    helper.privateKey,
    "--trust-anchor-arn",
    helper.trustAnchorArn,
    "--profile-arn",
    helper.profileArn,
    "--role-arn",
    helper.roleArn,
    "--region",
    helper.region,
    "--endpoint",
    helper.endpoint,
    "--session-duration",
    String(helper.sessionSeconds),
  ];
  const odd = args.find((a) => !PLAIN_ARGUMENT.test(a));
  if (odd !== undefined) throw new Error(`credential_process argument "${odd}" is not a plain word`);
  return [`[profile ${profile}]`, `credential_process = ${args.join(" ")}`, ""].join("\n");
}
