import { createHash } from "node:crypto";
import {
  LABEL_BACKUP,
  LABEL_POOL,
  LABEL_RESTORE_DRILL,
  LABEL_STAGING,
  RCLONE_CONFIG_PATH,
  RCLONE_UID,
} from "../../facts";
import type { Classification, Pool, Trust } from "../../placement";
import { type ClusterDns, dnsEgressRule } from "../cluster-facts";
import { LABEL_DATA_CLASSIFICATION, MANAGED_BY } from "../labels";
import type { NetworkPolicyObject, ServiceAccountObject } from "../objects";
import { PLACEMENT_ANNOTATIONS } from "../render";
import type {
  ConfigMapObject,
  CopyJobObject,
  CopyJobSpec,
  CopyNamespaceObject,
  CopyPodTemplate,
  CopyQuotaObject,
  CopyVolume,
  CronJobObject,
  DataCopyObject,
} from "./objects";
import { type CopyStore, renderRcloneConfig, rolesAnywhereAwsConfig } from "./rclone-config";
import { COPY_SCRIPT, DRILL_SCRIPT } from "./scripts";
import type { DataCopyKind, DataCopySpec, EntraCertificateCredential, RolesAnywhereCredential } from "./spec";

// A cluster's data copies as Kubernetes objects: one namespace (restricted Pod Security, default
// deny, DNS, a quota), and per copy a ServiceAccount bound to its identity, an immutable ConfigMap
// (the rclone configuration, no secret, and the program), an egress policy to its stores alone,
// and its CronJob (backups, drills, staging refreshes) or Job (the first staging). Pure and
// deterministic: objects come out in a fixed order.

/** The namespace copies run in unless told otherwise. */
export const DATA_COPY_NAMESPACE = "data-copies";

/** The pod label each copy's pods carry (its name): the egress policy selects it. */
export const LABEL_DATA_COPY = "hybrid-ai-infra.io/data-copy";

/** Annotations recording what a copy does and where its data goes, for people and the policy pack. */
export const DATA_ANNOTATIONS = {
  dataset: "data.hybrid-ai-infra.io/dataset",
  classification: "data.hybrid-ai-infra.io/classification",
  residency: "data.hybrid-ai-infra.io/residency",
  source: "data.hybrid-ai-infra.io/source",
  destination: "data.hybrid-ai-infra.io/destination",
  destinationSite: "data.hybrid-ai-infra.io/destination-site",
  destinationTrust: "data.hybrid-ai-infra.io/destination-trust",
  destinationJurisdiction: "data.hybrid-ai-infra.io/destination-jurisdiction",
  destinationEncryption: "data.hybrid-ai-infra.io/destination-encryption",
  destinationVersioning: "data.hybrid-ai-infra.io/destination-versioning",
  retention: "data.hybrid-ai-infra.io/retention",
} as const;

/** The label that marks each kind of copy (its value: the dataset), which monitoring reads. */
export const COPY_KIND_LABELS: Record<DataCopyKind, string> = {
  backup: LABEL_BACKUP,
  staging: LABEL_STAGING,
  drill: LABEL_RESTORE_DRILL,
};

/** What each kind of copy is called in `app.kubernetes.io/component`. */
const COMPONENT: Record<DataCopyKind, string> = {
  backup: "backup",
  staging: "staging",
  drill: "restore-drill",
};

/** Every container of a copy's pod: no privilege, read-only root, no capabilities. */
const CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false as const,
  readOnlyRootFilesystem: true as const,
  runAsNonRoot: true as const,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" as const },
};

/** What every copy's pod gets: one CPU and 1 GiB (eight transfers of S3's 5 MiB parts, four at a time, fit), as limits too. */
const POD_RESOURCES = { cpu: "1", memory: "1Gi" };

/** Scratch space: manifests, and a drill's restored sample. */
const WORK_SIZE: Record<DataCopyKind, string> = { backup: "2Gi", staging: "2Gi", drill: "8Gi" };

/** A drill that has not finished in six hours is stuck: fail it so the next one runs. */
const DRILL_DEADLINE_SECONDS = 6 * 3600;

const TOKENS_DIR = "/var/run/secrets/hybrid-ai-infra/tokens";

/** IAM Roles Anywhere: the certificate Secret's mount, the helper's directory, and the AWS config file beside rclone.conf. */
const X509_DIR = "/var/run/secrets/hybrid-ai-infra/x509";
const HELPER_DIR = "/opt/hybrid-ai-infra/bin";
const HELPER = `${HELPER_DIR}/aws_signing_helper`;
const AWS_CONFIG_KEY = "aws.config";
const AWS_CONFIG_PATH = RCLONE_CONFIG_PATH.replace(/[^/]+$/, AWS_CONFIG_KEY);
/**
 * An Entra certificate credential: the certificate Secret's mount, and the in-memory directory
 * where an init container joins its tls.crt and tls.key in the one file rclone reads.
 */
const ENTRA_X509_DIR = "/var/run/secrets/hybrid-ai-infra/entra-x509";
const ENTRA_DIR = "/var/run/secrets/hybrid-ai-infra/entra";
const ENTRA_CERTIFICATE = `${ENTRA_DIR}/client.pem`;
/** The AWS profile the S3 remotes name when they authenticate with Roles Anywhere. */
export const ROLES_ANYWHERE_PROFILE = "roles-anywhere";

/** What renders a cluster's copies. */
export interface DataCopiesRenderInput {
  /** The cluster's name (its placement target), for messages. */
  cluster: string;
  /** The rclone image, mirrored where the cluster pulls from and pinned by digest. */
  image: string;
  /** The pool the copies run on (a CPU pool, on-demand): its labels and taints. */
  pool: Pick<Pool, "name" | "labels" | "taints">;
  /** The cluster's trust: copies hold their data while they run, so their pods record where, as placed workloads do. */
  trust: Trust;
  copies: readonly DataCopySpec[];
  /** Default `data-copies`. */
  namespace?: string;
  /** The DNS the cluster's pods query (default CoreDNS in kube-system), which the copies' `allow-dns` admits alone. */
  dns?: ClusterDns | undefined;
}

/** A Kubernetes name of at most `max` characters: longer ones keep a prefix and end in 8 hex digits of their SHA-256. */
export function boundedName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, max - 9).replace(/-+$/, "")}-${hash}`;
}

/** Every object of the cluster's copies, namespace first. */
export function renderDataCopies(input: DataCopiesRenderInput): DataCopyObject[] {
  const namespace = input.namespace ?? DATA_COPY_NAMESPACE;
  const names = new Set<string>();
  for (const c of input.copies) {
    if (names.has(c.name)) throw new Error(`${input.cluster}: two data copies are named ${c.name}`);
    if (c.name.length > 52)
      throw new Error(`${input.cluster}: data copy name ${c.name} is longer than a CronJob's 52 characters`);
    names.add(c.name);
    // The trust rule for the copy's run: restricted data is held only by private sites' clusters.
    if (c.classification === "restricted" && input.trust !== "private")
      throw new Error(
        `${input.cluster}: data copy ${c.name} holds restricted data (${c.dataset}) while it runs, and ${input.cluster} is a ${input.trust} target; restricted data is copied only by private sites' clusters`,
      );
  }
  const copies = [...input.copies].sort((a, b) => a.name.localeCompare(b.name));
  const objects: DataCopyObject[] = [
    renderNamespace(namespace, copies),
    ...baseline(namespace, input.dns),
    renderQuota(namespace, copies),
  ];
  for (const copy of copies) {
    objects.push(renderServiceAccount(copy, namespace), renderEgress(copy, namespace));
    const config = renderConfigMap(copy, namespace);
    objects.push(config);
    const template = podTemplate(copy, input, config.metadata.name);
    if (copy.schedule) objects.push(renderCronJob(copy, namespace, template));
    // A staging copy runs once as soon as it is declared (its readers wait for their data), then on its schedule.
    if (copy.kind === "staging") objects.push(renderJob(copy, namespace, template));
  }
  return objects;
}

function maxClassification(copies: readonly DataCopySpec[]): Classification {
  const order: Classification[] = ["public", "internal", "confidential", "restricted"];
  return copies.reduce<Classification>(
    (top, c) => (order.indexOf(c.classification) > order.indexOf(top) ? c.classification : top),
    "public",
  );
}

function renderNamespace(name: string, copies: readonly DataCopySpec[]): CopyNamespaceObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: {
        ...MANAGED_BY,
        [LABEL_DATA_CLASSIFICATION]: maxClassification(copies),
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
      },
    },
  };
}

function baseline(namespace: string, dns: ClusterDns | undefined): NetworkPolicyObject[] {
  return [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "default-deny", namespace, labels: { ...MANAGED_BY } },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-dns", namespace, labels: { ...MANAGED_BY } },
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [dnsEgressRule(dns)],
      },
    },
  ];
}

/** Room for every copy's pod at once (a CronJob runs one Job at a time) and one more for a staging's first run. */
function renderQuota(namespace: string, copies: readonly DataCopySpec[]): CopyQuotaObject {
  const pods = copies.length + copies.filter((c) => c.kind === "staging").length;
  const cpu = pods * Number(POD_RESOURCES.cpu);
  const memory = pods * Number.parseInt(POD_RESOURCES.memory, 10);
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: "data-copies", namespace, labels: { ...MANAGED_BY } },
    spec: {
      hard: {
        "requests.cpu": String(cpu),
        "limits.cpu": String(cpu),
        "requests.memory": `${memory}Gi`,
        "limits.memory": `${memory}Gi`,
        pods: String(pods),
      },
    },
  };
}

function labelsOf(copy: DataCopySpec): Record<string, string> {
  return {
    ...MANAGED_BY,
    "app.kubernetes.io/name": "rclone",
    "app.kubernetes.io/component": COMPONENT[copy.kind],
    [LABEL_DATA_COPY]: copy.name,
    [COPY_KIND_LABELS[copy.kind]]: copy.dataset,
    [LABEL_DATA_CLASSIFICATION]: copy.classification,
  };
}

/** What the copy does, in the annotations the policy pack reads. */
export function copyAnnotations(copy: DataCopySpec): Record<string, string> {
  const f = copy.destinationFacts;
  const target = copy.destination ?? copy.source;
  return {
    [DATA_ANNOTATIONS.dataset]: copy.dataset,
    [DATA_ANNOTATIONS.classification]: copy.classification,
    ...(copy.residency ? { [DATA_ANNOTATIONS.residency]: copy.residency.join(",") } : {}),
    [DATA_ANNOTATIONS.source]: copy.source.url,
    [DATA_ANNOTATIONS.destination]: target.url,
    [DATA_ANNOTATIONS.destinationSite]: target.site,
    [DATA_ANNOTATIONS.destinationTrust]: f.trust,
    [DATA_ANNOTATIONS.destinationJurisdiction]: f.jurisdiction,
    [DATA_ANNOTATIONS.destinationEncryption]: f.encryption,
    [DATA_ANNOTATIONS.destinationVersioning]: f.versioning ? "enabled" : "disabled",
    ...(f.retentionDays !== undefined
      ? {
          [DATA_ANNOTATIONS.retention]: `${f.retentionDays}d${f.versions !== undefined ? `, newest ${f.versions} versions` : ""}`,
        }
      : {}),
  };
}

function renderServiceAccount(copy: DataCopySpec, namespace: string): ServiceAccountObject {
  const annotations = copy.identity.serviceAccountAnnotations;
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: copy.name,
      namespace,
      labels: { ...MANAGED_BY, [LABEL_DATA_COPY]: copy.name },
      ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
    },
    automountServiceAccountToken: false,
  };
}

function renderEgress(copy: DataCopySpec, namespace: string): NetworkPolicyObject {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: {
      name: `egress-${copy.name}`,
      namespace,
      labels: { ...MANAGED_BY, [LABEL_DATA_COPY]: copy.name },
    },
    spec: {
      podSelector: { matchLabels: { [LABEL_DATA_COPY]: copy.name } },
      policyTypes: ["Egress"],
      egress: copy.egress.map((e) => ({
        to: [...e.toCidrs].sort().map((cidr) => ({ ipBlock: { cidr } })),
        ports: [...e.ports].sort((a, b) => a - b).map((port) => ({ protocol: "TCP", port })),
      })),
    },
  };
}

/** The remotes of a copy's configuration: `source` and `destination`, or a drill's `backup`. */
export function copyRemotes(copy: DataCopySpec): Record<string, CopyStore> {
  // With Roles Anywhere, AWS's remotes take their credentials from the profile's credential_process;
  // with an Entra certificate credential, Azure's sign the client assertion with the mounted certificate.
  const entra = copy.identity.entra;
  const auth = (store: CopyStore): CopyStore => {
    if (store.kind === "aws-s3" && copy.identity.rolesAnywhere)
      return { ...store, sharedConfig: { file: AWS_CONFIG_PATH, profile: ROLES_ANYWHERE_PROFILE } };
    if (store.kind === "azure-blob" && entra)
      return {
        ...store,
        certificate: { tenant: entra.tenantId, clientId: entra.clientId, file: ENTRA_CERTIFICATE },
      };
    return store;
  };
  if (copy.kind === "drill") return { backup: auth(copy.source.store) };
  if (!copy.destination) throw new Error(`data copy ${copy.name} (${copy.kind}) has no destination`);
  return { source: auth(copy.source.store), destination: auth(copy.destination.store) };
}

/** The AWS config file of a copy that uses Roles Anywhere (no secret: ARNs and paths). */
function awsConfigOf(copy: DataCopySpec): string | undefined {
  const ra = copy.identity.rolesAnywhere;
  if (!ra) return undefined;
  return rolesAnywhereAwsConfig(ROLES_ANYWHERE_PROFILE, {
    path: HELPER,
    certificate: `${X509_DIR}/tls.crt`,
    privateKey: `${X509_DIR}/tls.key`,
    trustAnchorArn: ra.trustAnchorArn,
    profileArn: ra.profileArn,
    roleArn: ra.roleArn,
    region: ra.region,
    endpoint: ra.endpoint,
    sessionSeconds: ra.sessionSeconds,
  });
}

/** The program's settings: where to read and write, as `remote:path`. */
export function copySettings(copy: DataCopySpec): Record<string, string> {
  const manifest = copy.manifest
    ? `${copy.kind === "drill" ? "backup" : copy.manifest.store}:${copy.manifest.path}`
    : undefined;
  if (copy.kind === "drill")
    return {
      BACKUP: `backup:${copy.source.path}`,
      ...(manifest ? { MANIFEST: manifest } : {}),
      SAMPLE: String(copy.sample ?? 25),
    };
  return {
    MODE: copy.kind,
    SOURCE: `source:${copy.source.path}`,
    DESTINATION: `destination:${copy.destination?.path ?? ""}`,
    ...(manifest ? { MANIFEST: manifest } : {}),
    BATCH: copy.batch,
  };
}

function renderConfigMap(copy: DataCopySpec, namespace: string): ConfigMapObject {
  const awsConfig = awsConfigOf(copy);
  const data: Record<string, string> = {
    "rclone.conf": renderRcloneConfig(copyRemotes(copy)),
    "run.sh": copy.kind === "drill" ? DRILL_SCRIPT : COPY_SCRIPT,
    ...(awsConfig ? { [AWS_CONFIG_KEY]: awsConfig } : {}),
  };
  // Immutable, named for its contents: a changed copy mounts a new ConfigMap, never a file
  // rewritten under a running Job.
  const hash = createHash("sha256").update(JSON.stringify(data)).digest("hex").slice(0, 8);
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: `${copy.name}-${hash}`,
      namespace,
      labels: { ...MANAGED_BY, [LABEL_DATA_COPY]: copy.name },
    },
    immutable: true,
    data,
  };
}

/** What Roles Anywhere adds to a copy's pod: the certificate Secret, the helper's directory, and the init container that fills it. */
function rolesAnywhereParts(ra: RolesAnywhereCredential): {
  volumes: CopyVolume[];
  mounts: { name: string; mountPath: string; readOnly?: boolean }[];
  initContainers: NonNullable<CopyPodTemplate["spec"]["initContainers"]>;
} {
  return {
    volumes: [
      { name: "x509", secret: { secretName: ra.certificateSecret, defaultMode: 0o440 } },
      { name: "helper", emptyDir: { sizeLimit: "128Mi" } },
    ],
    mounts: [
      { name: "x509", mountPath: X509_DIR, readOnly: true },
      { name: "helper", mountPath: HELPER_DIR, readOnly: true },
    ],
    initContainers: [
      {
        name: "signing-helper",
        image: ra.helperImage,
        imagePullPolicy: "IfNotPresent",
        // The helper image brings the binary (and cp); the rclone image runs it.
        command: ["cp", ra.helperPath, HELPER],
        env: [],
        resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
        securityContext: CONTAINER_SECURITY,
        volumeMounts: [{ name: "helper", mountPath: HELPER_DIR }],
      },
    ],
  };
}

/**
 * What an Entra certificate credential adds to a copy's pod: the certificate Secret (its two keys
 * alone), an in-memory directory, and an init container (the rclone image's shell) that joins the
 * certificate and its key there, readable by the copy's user only: rclone reads one file with both.
 */
function entraParts(
  entra: EntraCertificateCredential,
  image: string,
): {
  volumes: CopyVolume[];
  mounts: { name: string; mountPath: string; readOnly?: boolean }[];
  initContainers: NonNullable<CopyPodTemplate["spec"]["initContainers"]>;
} {
  return {
    volumes: [
      {
        name: "entra-x509",
        secret: {
          secretName: entra.certificateSecret,
          defaultMode: 0o440,
          items: [
            { key: "tls.crt", path: "tls.crt" },
            { key: "tls.key", path: "tls.key" },
          ],
        },
      },
      // tmpfs: the joined key is never written to the node's disk.
      { name: "entra", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
    ],
    mounts: [{ name: "entra", mountPath: ENTRA_DIR, readOnly: true }],
    initContainers: [
      {
        name: "entra-certificate",
        image,
        imagePullPolicy: "IfNotPresent",
        command: [
          "/bin/sh",
          "-c",
          `umask 077 && cat ${ENTRA_X509_DIR}/tls.crt ${ENTRA_X509_DIR}/tls.key > ${ENTRA_CERTIFICATE}`,
        ],
        env: [],
        resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
        securityContext: CONTAINER_SECURITY,
        volumeMounts: [
          { name: "entra-x509", mountPath: ENTRA_X509_DIR, readOnly: true },
          { name: "entra", mountPath: ENTRA_DIR },
        ],
      },
    ],
  };
}

/** What a copy's certificates add to its pod (Roles Anywhere, Entra), none without them. */
function certificateParts(copy: DataCopySpec, image: string): ReturnType<typeof entraParts> {
  const parts = [
    ...(copy.identity.rolesAnywhere ? [rolesAnywhereParts(copy.identity.rolesAnywhere)] : []),
    ...(copy.identity.entra ? [entraParts(copy.identity.entra, image)] : []),
  ];
  return {
    volumes: parts.flatMap((p) => p.volumes),
    mounts: parts.flatMap((p) => p.mounts),
    initContainers: parts.flatMap((p) => p.initContainers),
  };
}

function podTemplate(copy: DataCopySpec, input: DataCopiesRenderInput, configMap: string): CopyPodTemplate {
  const env: Record<string, string> = {
    JOB_NAME: copy.name,
    HOME: "/work",
    XDG_CACHE_HOME: "/work/.cache",
    WORK: "/work/run",
    RCLONE_CONFIG: RCLONE_CONFIG_PATH,
    // rclone's flags as its own environment variables: a timetable's spaces need no quoting.
    RCLONE_TRANSFERS: String(copy.transfers),
    RCLONE_CHECKERS: String(copy.checkers),
    RCLONE_STATS: "30s",
    RCLONE_STATS_LOG_LEVEL: "NOTICE",
    RCLONE_USE_JSON_LOG: "true",
    // Never DEBUG: rclone logs every RCLONE_CONFIG_* value it reads from the environment there.
    RCLONE_LOG_LEVEL: "NOTICE",
    RCLONE_RETRIES: "3",
    RCLONE_LOW_LEVEL_RETRIES: "10",
    ...(copy.bandwidth ? { RCLONE_BWLIMIT: copy.bandwidth } : {}),
    ...copySettings(copy),
    ...copy.identity.env,
  };
  const volumes: CopyVolume[] = [
    {
      name: "config",
      configMap: {
        name: configMap,
        defaultMode: 0o444,
        items: [
          { key: "rclone.conf", path: "rclone.conf" },
          ...(copy.identity.rolesAnywhere ? [{ key: AWS_CONFIG_KEY, path: AWS_CONFIG_KEY }] : []),
        ],
      },
    },
    {
      name: "program",
      configMap: { name: configMap, defaultMode: 0o555, items: [{ key: "run.sh", path: "run.sh" }] },
    },
    { name: "work", emptyDir: { sizeLimit: WORK_SIZE[copy.kind] } },
    { name: "tmp", emptyDir: {} },
  ];
  const mounts: { name: string; mountPath: string; readOnly?: boolean }[] = [
    { name: "config", mountPath: RCLONE_CONFIG_PATH.replace(/\/[^/]+$/, ""), readOnly: true },
    { name: "program", mountPath: "/program", readOnly: true },
    { name: "work", mountPath: "/work" },
    { name: "tmp", mountPath: "/tmp" },
  ];
  if (copy.identity.tokens.length > 0) {
    volumes.push({
      name: "tokens",
      projected: {
        defaultMode: 0o440,
        sources: copy.identity.tokens.map((t) => ({
          serviceAccountToken: { audience: t.audience, expirationSeconds: 3600, path: t.path },
        })),
      },
    });
    mounts.push({ name: "tokens", mountPath: TOKENS_DIR, readOnly: true });
  }
  copy.identity.secrets.forEach((s, i) => {
    volumes.push({ name: `secret-${i}`, secret: { secretName: s.secretName, defaultMode: 0o440 } });
    mounts.push({ name: `secret-${i}`, mountPath: s.mountPath, readOnly: true });
  });
  const certified = certificateParts(copy, input.image);
  volumes.push(...certified.volumes);
  mounts.push(...certified.mounts);
  const initContainers = certified.initContainers;
  const labels = { ...labelsOf(copy), ...copy.identity.podLabels };
  return {
    metadata: {
      labels,
      annotations: {
        ...copyAnnotations(copy),
        // Where the copy runs, as a placed workload's pods record it (the policy pack reads them).
        [PLACEMENT_ANNOTATIONS.target]: input.cluster,
        [PLACEMENT_ANNOTATIONS.pool]: input.pool.name,
        [PLACEMENT_ANNOTATIONS.trust]: input.trust,
        [PLACEMENT_ANNOTATIONS.classification]: copy.classification,
      },
    },
    spec: {
      serviceAccountName: copy.name,
      // The cloud's token comes from the projected volume or its webhook, never the API token.
      automountServiceAccountToken: false,
      restartPolicy: "Never",
      nodeSelector: { ...input.pool.labels, [LABEL_POOL]: input.pool.name },
      tolerations: (input.pool.taints ?? []).map((t) => ({
        key: t.key,
        operator: t.value === undefined ? "Exists" : "Equal",
        ...(t.value === undefined ? {} : { value: t.value }),
        effect: t.effect,
      })),
      securityContext: {
        runAsNonRoot: true,
        runAsUser: RCLONE_UID,
        runAsGroup: RCLONE_UID,
        fsGroup: RCLONE_UID,
        seccompProfile: { type: "RuntimeDefault" },
      },
      terminationGracePeriodSeconds: 30,
      ...(initContainers.length > 0 ? { initContainers } : {}),
      containers: [
        {
          name: "rclone",
          image: input.image,
          imagePullPolicy: "IfNotPresent",
          command: ["/bin/sh", "/program/run.sh"],
          env: Object.entries(env).map(([name, value]) => ({ name, value })),
          resources: { requests: { ...POD_RESOURCES }, limits: { ...POD_RESOURCES } },
          securityContext: CONTAINER_SECURITY,
          volumeMounts: mounts,
        },
      ],
      volumes,
    },
  };
}

function jobSpec(copy: DataCopySpec, template: CopyPodTemplate): CopyJobSpec {
  return {
    // A failed pod is tried twice more; each try resumes the copy where the last stopped.
    backoffLimit: 2,
    ...(copy.kind === "drill" ? { activeDeadlineSeconds: DRILL_DEADLINE_SECONDS } : {}),
    // An eviction or node drain is not the copy's failure: it does not count, and the next pod resumes.
    podFailurePolicy: {
      rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }],
    },
    template,
  };
}

function renderCronJob(copy: DataCopySpec, namespace: string, template: CopyPodTemplate): CronJobObject {
  const labels = labelsOf(copy);
  const annotations = copyAnnotations(copy);
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: copy.name, namespace, labels, annotations },
    spec: {
      schedule: copy.schedule ?? "",
      timeZone: "Etc/UTC",
      // One run at a time: a long copy delays the next instead of racing it on the same objects.
      concurrencyPolicy: "Forbid",
      // A run missed by more than an hour (the controller down) is skipped; monitoring sees the age.
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: { metadata: { labels, annotations }, spec: jobSpec(copy, template) },
    },
  };
}

function renderJob(copy: DataCopySpec, namespace: string, template: CopyPodTemplate): CopyJobObject {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: boundedName(`${copy.name}-first`, 63),
      namespace,
      labels: labelsOf(copy),
      // The update waits for the copy to start, not to finish (a dataset can take hours).
      annotations: { ...copyAnnotations(copy), "pulumi.com/waitFor": "jsonpath={.status.startTime}" },
    },
    spec: jobSpec(copy, template),
  };
}
