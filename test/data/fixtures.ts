// A backup from the on-premises store to AWS whose AWS side authenticates with IAM Roles Anywhere.
import type { DataCopySpec } from "../../components/kubernetes";
import { LAB_ONPREM_STORE } from "../helpers/data-copy";

/** The signing helper's image, as config names it. */
export const HELPER_IMAGE = `registry.internal.example.com/mirror/rolesanywhere-helper:1.7.0@sha256:${"b".repeat(64)}`;

const KMS = "arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
/** The copy, its identity Roles Anywhere's on the AWS side and the store's keys on the other. */
export const certifiedCopy: DataCopySpec = {
  name: "backup-imaging-archive-to-eks",
  kind: "backup",
  dataset: "imaging-archive",
  classification: "internal",
  source: {
    site: "dc1",
    store: LAB_ONPREM_STORE,
    path: "datasets/imaging-archive",
    url: "s3://datasets/imaging-archive",
  },
  destination: {
    site: "eks",
    store: { kind: "aws-s3", region: "eu-west-1", kmsKeyArn: KMS },
    path: "eks-backups/imaging-archive",
    url: "s3://eks-backups/imaging-archive",
  },
  destinationFacts: { trust: "public", jurisdiction: "EU", encryption: `aws:kms ${KMS}`, versioning: true },
  schedule: "30 1 * * *",
  batch: "1G",
  transfers: 4,
  checkers: 8,
  identity: {
    serviceAccountAnnotations: {},
    podLabels: {},
    env: {},
    tokens: [],
    secrets: [{ secretName: "onprem-s3-copies", mountPath: "/var/run/secrets/onprem-s3" }],
    rolesAnywhere: {
      trustAnchorArn: "arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/ta-1",
      profileArn: "arn:aws:rolesanywhere:eu-west-1:111122223333:profile/p-1",
      roleArn: "arn:aws:iam::111122223333:role/backup-imaging-archive-to-eks-aws",
      region: "eu-west-1",
      endpoint: "https://vpce-0abc-xyz.rolesanywhere.eu-west-1.vpce.amazonaws.com",
      certificateSecret: "data-copies-x509",
      helperImage: HELPER_IMAGE,
      helperPath: "/usr/local/bin/aws_signing_helper",
      sessionSeconds: 3600,
    },
  },
  egress: [],
};

/** The Entra tenant and application of `entraCopy`. */
export const ENTRA_TENANT = "11111111-2222-3333-4444-555555555555";
export const ENTRA_CLIENT = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/** A backup of clinical-notes from Azure to dc1, run by dc1, authenticating to Azure with the certificate. */
export const entraCopy: DataCopySpec = {
  name: "backup-clinical-notes-to-dc1",
  kind: "backup",
  dataset: "clinical-notes",
  classification: "confidential",
  source: {
    site: "aks",
    store: { kind: "azure-blob", account: "mlstore" },
    path: "datasets/clinical-notes",
    url: "https://mlstore.blob.core.windows.net/datasets/clinical-notes",
  },
  destination: {
    site: "dc1",
    store: LAB_ONPREM_STORE,
    path: "backups/clinical-notes",
    url: "s3://backups/clinical-notes",
  },
  destinationFacts: { trust: "private", jurisdiction: "EU", encryption: "sse-s3", versioning: true },
  schedule: "30 1 * * *",
  batch: "1G",
  transfers: 4,
  checkers: 8,
  identity: {
    serviceAccountAnnotations: {},
    podLabels: {},
    env: {},
    tokens: [],
    secrets: [{ secretName: "onprem-s3-copies", mountPath: "/var/run/secrets/onprem-s3" }],
    entra: { tenantId: ENTRA_TENANT, clientId: ENTRA_CLIENT, certificateSecret: "data-copies-x509" },
  },
  egress: [],
};
