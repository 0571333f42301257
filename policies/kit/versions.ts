// Kubernetes versions as clusters declare them (`1.34`, `1.34.2`, `v1.34`), judged by minor
// against the library's table of minors in support.
import { LIBRARY } from "../facts";

/** The minors EKS and AKS support, as the library's facts table records them. */
export const LIBRARY_VERSIONS = LIBRARY.kubernetesVersions;

/** `true` when `version`'s minor is in `supported`, else why it is not. */
export function supportedMinor(version: unknown, supported: readonly string[]): true | string {
  if (typeof version === "number")
    return `a number (${version}), which loses trailing zeros (1.30 reads as 1.3); write the version as a string`;
  if (typeof version !== "string") return "not a version";
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  if (!m) return "not a Kubernetes version (major.minor or major.minor.patch)";
  const minor = `${Number(m[1])}.${Number(m[2])}`;
  return supported.includes(minor)
    ? true
    : `minor ${minor}, which is out of support (or newer than the table)`;
}
