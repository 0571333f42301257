/** One dataset a workload reads in Azure Storage: the container and the dataset's folder in it. */
export interface BlobDatasetGrant {
  container: string;
  /** The dataset's folder in the container (its name), without slashes. */
  prefix: string;
}

const READ = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
const CONTAINER = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]";
const PATH = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path]";
const PREFIX = "@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix]";

const quoted = (value: string) => `'${value}'`;

function anyPrefix(attribute: string, grants: readonly BlobDatasetGrant[]): string {
  return grants.map((g) => `${attribute} StringStartsWith ${quoted(`${g.prefix}/`)}`).join(" OR ");
}

/**
 * An ABAC condition (version 2.0) for Storage Blob Data Reader on one container: reading a blob
 * only under the datasets' folders, listing only with a prefix inside them. The shape is the one
 * Azure documents for "read or list blobs in named containers with a path"; reads the role allows
 * that are neither (container properties) pass through unchanged.
 */
export function datasetReadCondition(container: string, grants: readonly BlobDatasetGrant[]): string {
  const inContainer = `${CONTAINER} StringEquals ${quoted(container)}`;
  return [
    `((!(ActionMatches{'${READ}'} AND NOT SubOperationMatches{'Blob.List'}))`,
    ` OR (${inContainer} AND (${anyPrefix(PATH, grants)})))`,
    " AND ",
    `((!(ActionMatches{'${READ}'} AND SubOperationMatches{'Blob.List'}))`,
    ` OR (${inContainer} AND (${anyPrefix(PREFIX, grants)})))`,
  ].join("");
}
