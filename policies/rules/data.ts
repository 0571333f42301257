// Data copies (backups, staging, restore drills) as the security model wants them: a dataset's
// copies go only where its classification lets its data live (the placement engine's own trust
// rule, dataCopyRejection), and a backup lands in a store that encrypts it and keeps old versions.
// Both read the annotations the copy renderer writes on each copy's CronJob and Job
// (components/kubernetes/data/render.ts, DATA_ANNOTATIONS).
// The pack is published alone and never imports components/: the trust rule is restated here as
// placement states it (components/placement/filters/trust.ts), and a test holds the two together
// on rendered copies.
import { family, get, k8s, type Props, resourceRule } from "../kit";

/** The labels that mark a copy's kind (components/facts/labels.ts). */
const LABEL_BACKUP = "hybrid-ai-infra.io/backup";
const LABEL_STAGING = "hybrid-ai-infra.io/staging";

/** Why data of `classification` may not go to a site of `trust` in `jurisdiction`, or null. */
function trustRejection(
  classification: string,
  residency: readonly string[],
  site: { name: string; trust: string; jurisdiction: string },
): string | null {
  if (site.trust === "private") return null;
  if (classification === "restricted")
    return `restricted data runs only on private targets; ${site.name} is in a public cloud`;
  if (classification !== "confidential") return null;
  if (residency.length === 0)
    return `confidential data runs on private targets, or in a public cloud inside its residency (none given); ${site.name} is in a public cloud`;
  return residency.some((j) => j.toLowerCase() === site.jurisdiction.toLowerCase())
    ? null
    : `confidential data runs on private targets, or in a public cloud inside its residency (${residency.join(", ")}); ${site.name} is in a public cloud, in ${site.jurisdiction}`;
}

const COPY_KINDS = [k8s("batch", "CronJob"), k8s("batch", "Job")];

/** The annotations the renderer writes on a copy (kept in step with DATA_ANNOTATIONS). */
export const COPY_ANNOTATIONS = {
  dataset: "data.hybrid-ai-infra.io/dataset",
  classification: "data.hybrid-ai-infra.io/classification",
  residency: "data.hybrid-ai-infra.io/residency",
  destinationSite: "data.hybrid-ai-infra.io/destination-site",
  destinationTrust: "data.hybrid-ai-infra.io/destination-trust",
  destinationJurisdiction: "data.hybrid-ai-infra.io/destination-jurisdiction",
  destinationEncryption: "data.hybrid-ai-infra.io/destination-encryption",
  destinationVersioning: "data.hybrid-ai-infra.io/destination-versioning",
} as const;

function metadataOf(props: Props): { labels: Props; annotations: Props } {
  return {
    labels: (get(props, "metadata.labels") as Props | undefined) ?? {},
    annotations: (get(props, "metadata.annotations") as Props | undefined) ?? {},
  };
}

export const dataCopyAllowed = resourceRule({
  name: "data-copy-allowed",
  description:
    "A dataset's backup or staged copy goes only where its classification lets its data live: restricted data to private sites, confidential data to private sites or public ones inside its residency.",
  remediation:
    "Back the dataset up to (or stage it on) a site its classification allows, or change its classification or residency in the stack config if the data really allows it.",
  benchmarks: ["hybrid-ai-infra:placement"],
  enforcementLevel: "mandatory",
  types: COPY_KINDS,
  check: ({ props, report }) => {
    const { labels, annotations } = metadataOf(props);
    const dataset = annotations[COPY_ANNOTATIONS.dataset];
    if (dataset === undefined) return;
    const classification = String(annotations[COPY_ANNOTATIONS.classification] ?? "");
    const trust = annotations[COPY_ANNOTATIONS.destinationTrust];
    if (!classification || trust === undefined) {
      report(
        `copies dataset ${String(dataset)} without saying its classification (${COPY_ANNOTATIONS.classification}) and where it goes (${COPY_ANNOTATIONS.destinationTrust}); render copies with DataCopies`,
      );
      return;
    }
    const residency = String(annotations[COPY_ANNOTATIONS.residency] ?? "")
      .split(",")
      .map((j) => j.trim())
      .filter(Boolean);
    const site = String(annotations[COPY_ANNOTATIONS.destinationSite] ?? "its destination");
    const reason = trustRejection(classification, residency, {
      name: site,
      trust: String(trust),
      jurisdiction: String(annotations[COPY_ANNOTATIONS.destinationJurisdiction] ?? ""),
    });
    const verb = labels[LABEL_STAGING] !== undefined ? "staged" : "backed up";
    const rejection = reason === null ? null : `${String(dataset)} may not be ${verb} to ${site}: ${reason}`;
    if (rejection) report(rejection);
  },
});

export const backupProtected = resourceRule({
  name: "data-backup-protected",
  description:
    "A backup writes to a store that encrypts at rest and keeps old versions, so a bad source (deleted, overwritten, encrypted by ransomware) never destroys the copy.",
  remediation:
    "Back up to the site's backup store (encrypted with the site's key, versioned); on-premises, turn on the store's versioning and SSE and say so in onprem.storage.s3.",
  benchmarks: ["hybrid-ai-infra:data"],
  enforcementLevel: "mandatory",
  types: COPY_KINDS,
  check: ({ props, report }) => {
    const { labels, annotations } = metadataOf(props);
    if (labels[LABEL_BACKUP] === undefined) return;
    const dataset = String(annotations[COPY_ANNOTATIONS.dataset] ?? labels[LABEL_BACKUP]);
    const encryption = String(annotations[COPY_ANNOTATIONS.destinationEncryption] ?? "").trim();
    if (encryption === "" || encryption === "none")
      report(
        `backs up ${dataset} to a store that does not encrypt at rest (${COPY_ANNOTATIONS.destinationEncryption}: ${encryption || "absent"})`,
      );
    const versioning = annotations[COPY_ANNOTATIONS.destinationVersioning];
    if (versioning !== "enabled")
      report(
        `backs up ${dataset} to a store that keeps no old versions (${COPY_ANNOTATIONS.destinationVersioning}: ${String(versioning ?? "absent")}); a backup must survive an overwrite at the source`,
      );
  },
});

export const FAMILY = family("data", "Data copies (backups, staging, restore drills)", [
  dataCopyAllowed,
  backupProtected,
]);
