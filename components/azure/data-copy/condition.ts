// ABAC conditions (version 2.0) narrowing Storage Blob Data Contributor for a data copy: blobs may
// be read, written and added only under the copy's folders (and its manifest), listed only with
// a prefix inside them, and never deleted, unless the copy mirrors its source (staging). The
// shapes are the ones Azure documents for blob path conditions.

const BLOBS = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";
const READ = `${BLOBS}/read`;
const WRITE = `${BLOBS}/write`;
const ADD = `${BLOBS}/add/action`;
const DELETE = `${BLOBS}/delete`;
const MOVE = `${BLOBS}/move/action`;
const CONTAINER = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]";
const PATH = `@Resource[${BLOBS}:path]`;
const PREFIX = `@Request[${BLOBS}:prefix]`;

const quoted = (value: string) => `'${value}'`;

/** Where a copy may write in one container: folders, and exact blobs (its manifest). */
export interface BlobWriteScope {
  container: string;
  /** Folders (without slashes): blobs under `<prefix>/`. */
  prefixes: string[];
  /** Exact blob paths, e.g. `_manifests/clinical-notes.md5`. */
  blobs?: string[];
  /** Whether blobs under the folders may be deleted (a staged copy mirrors its source). */
  deletes?: boolean;
}

function inScope(scope: BlobWriteScope): string {
  const paths = [
    ...scope.prefixes.map((p) => `${PATH} StringStartsWith ${quoted(`${p}/`)}`),
    ...(scope.blobs ?? []).map((b) => `${PATH} StringEquals ${quoted(b)}`),
  ];
  return `${CONTAINER} StringEquals ${quoted(scope.container)} AND (${paths.join(" OR ")})`;
}

/** The condition on Storage Blob Data Contributor, scoped to one container. */
export function blobWriteCondition(scope: BlobWriteScope): string {
  const listPrefixes = [
    ...scope.prefixes.map((p) => `${p}/`),
    ...(scope.blobs ?? []).map((b) => b.replace(/[^/]*$/, "")),
  ];
  const list = [...new Set(listPrefixes)].map((p) => `${PREFIX} StringStartsWith ${quoted(p)}`).join(" OR ");
  const inContainer = `${CONTAINER} StringEquals ${quoted(scope.container)}`;
  const deletable = scope.deletes
    ? `((!(ActionMatches{'${DELETE}'})) OR (${inContainer} AND (${scope.prefixes.map((p) => `${PATH} StringStartsWith ${quoted(`${p}/`)}`).join(" OR ")})))`
    : `(!(ActionMatches{'${DELETE}'}))`;
  return [
    `((!(ActionMatches{'${READ}'} AND NOT SubOperationMatches{'Blob.List'}) AND !(ActionMatches{'${WRITE}'}) AND !(ActionMatches{'${ADD}'}))`,
    ` OR (${inScope(scope)}))`,
    " AND ",
    `((!(ActionMatches{'${READ}'} AND SubOperationMatches{'Blob.List'}))`,
    ` OR (${inContainer} AND (${list})))`,
    " AND ",
    deletable,
    " AND ",
    `(!(ActionMatches{'${MOVE}'}))`,
  ].join("");
}
