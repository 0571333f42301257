// Type tokens, normalised once for every rule. A rule names the canonical token of what it checks;
// the resource's token may be any spelling of it:
// - azure-native's versioned tokens (`azure-native:network/v20240301:NetworkSecurityGroup`),
//   which every Azure resource has alongside the default-version one;
// - Kubernetes' API versions (`apps/v1beta2`, `extensions/v1beta1`), server-side-apply patches
//   (`DeploymentPatch`, whose absent fields keep the live object's values) and lists
//   (`DeploymentList`, whose `items` are each checked);
// - the AWS provider's companion types that configure the same resource under another name
//   (`BucketV2`, `BucketVersioningV2`, ... the v6 spellings that v7 keeps as aliases);
// - azure-native resources that changed module between major versions (`insights` to `monitor`).

/** A resource's token, normalised. */
export interface CanonicalType {
  /** The token rules match (`azure-native:network:NetworkSecurityGroup`, `kubernetes:apps:Deployment`). */
  type: string;
  /** A Kubernetes `*Patch` kind: fields it leaves out keep the live object's values. */
  patch: boolean;
  /** A Kubernetes `*List` kind: its `items` are objects of `type`. */
  list: boolean;
}

/** AWS tokens that are another name for the same resource (the left one is canonical). */
const AWS_ALIASES: Readonly<Record<string, string>> = {
  "aws:s3/bucketV2:BucketV2": "aws:s3/bucket:Bucket",
  "aws:s3/bucketAclV2:BucketAclV2": "aws:s3/bucketAcl:BucketAcl",
  "aws:s3/bucketVersioningV2:BucketVersioningV2": "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2":
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketLoggingV2:BucketLoggingV2": "aws:s3/bucketLogging:BucketLogging",
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2":
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
};

/**
 * azure-native resources that moved module between major versions (v2's `insights` is v3's
 * `monitor`): the left one is the old module, by resource name.
 */
const AZURE_MOVED: Readonly<Record<string, string>> = {
  "insights:DiagnosticSetting": "monitor",
  "insights:DataCollectionRule": "monitor",
  "insights:DataCollectionRuleAssociation": "monitor",
};

/** Kubernetes groups whose kinds moved: the old group's kind is the new group's. */
const KUBERNETES_MOVED: Readonly<Record<string, string>> = {
  "extensions:Deployment": "apps",
  "extensions:DaemonSet": "apps",
  "extensions:ReplicaSet": "apps",
  "extensions:NetworkPolicy": "networking.k8s.io",
  "extensions:Ingress": "networking.k8s.io",
  "extensions:PodSecurityPolicy": "policy",
};

const cache = new Map<string, CanonicalType>();

/** The canonical form of a resource's type token. */
export function canonicalType(raw: string): CanonicalType {
  const hit = cache.get(raw);
  if (hit) return hit;
  const out = normalise(raw);
  cache.set(raw, out);
  return out;
}

function normalise(raw: string): CanonicalType {
  const plain = { type: raw, patch: false, list: false };
  const parts = raw.split(":");
  if (parts.length !== 3) return plain;
  const [pkg, module = "", name = ""] = parts;
  if (pkg === "azure-native") {
    // `network/v20240301` and the like: the module without its API version.
    const base = module.split("/")[0] ?? "";
    return { ...plain, type: `azure-native:${AZURE_MOVED[`${base}:${name}`] ?? base}:${name}` };
  }
  if (pkg === "kubernetes") {
    const [group = "", version] = module.split("/");
    // Only API kinds carry a version (`yaml/v2:ConfigGroup` and `helm.sh/v3:Release` are
    // Pulumi's own components and keep their token).
    if (version === undefined || !/^v\d+((alpha|beta)\d+)?$/.test(version)) return plain;
    let kind = name;
    let patch = false;
    let isList = false;
    if (kind.endsWith("Patch")) {
      kind = kind.slice(0, -"Patch".length);
      patch = true;
    } else if (kind.endsWith("List")) {
      kind = kind.slice(0, -"List".length);
      isList = true;
    }
    const movedTo = KUBERNETES_MOVED[`${group}:${kind}`];
    return { type: `kubernetes:${movedTo ?? group}:${kind}`, patch, list: isList };
  }
  if (pkg === "aws") return { ...plain, type: AWS_ALIASES[raw] ?? raw };
  return plain;
}

/** The canonical token of a Kubernetes kind: `k8s("apps", "Deployment")`. */
export function k8s(group: string, kind: string): string {
  return `kubernetes:${group}:${kind}`;
}

/**
 * The component types a resource is declared under, outermost first, read from its URN
 * (`urn:pulumi:stack::project::parent$child$type::name`): what declared it, which its own inputs
 * cannot claim.
 */
export function declaredUnder(urn: string): string[] {
  const parts = urn.split("::");
  const chain = parts[2]?.split("$") ?? [];
  return chain.slice(0, -1);
}
