// Values that pass every check yet cannot be real: the example values the reference stacks and the
// docs ship with (AWS's documentation accounts, documentation address ranges, `.example` names, a
// kubeconfig that is not one). `pulumi up` refuses them by config path; the offline plan, which is
// meant to run on the reference stacks as they are, lists them instead.
import { parse } from "yaml";
import type { WorkloadSpec } from "../../components/kubernetes";
import { type ConfigIssue, cidrContains, formatPath } from "../../components/validation";
import type { PlatformConfig } from "./fields";

/** AWS's documentation account ids: ARNs in its guides, never a real account. */
const EXAMPLE_ACCOUNTS = ["123456789012", "111122223333", "444455556666"];

/** GUIDs that stand for "your id here" (the zero GUID, and the reference stacks' example group). */
const EXAMPLE_GUIDS = ["00000000-0000-0000-0000-000000000000", "3f6e2f6a-5b1c-4d6e-9a7b-1c2d3e4f5a6b"];

/** Address ranges a public endpoint can never be in, and what they are. */
const NOT_PUBLIC: readonly [cidr: string, what: string][] = [
  ["192.0.2.0/24", "a documentation range (RFC 5737)"],
  ["198.51.100.0/24", "a documentation range (RFC 5737)"],
  ["203.0.113.0/24", "a documentation range (RFC 5737)"],
  ["10.0.0.0/8", "a private range (RFC 1918)"],
  ["172.16.0.0/12", "a private range (RFC 1918)"],
  ["192.168.0.0/16", "a private range (RFC 1918)"],
  ["100.64.0.0/10", "the shared address space (RFC 6598)"],
  ["169.254.0.0/16", "link-local (RFC 3927)"],
];

/** Domains reserved for examples (RFC 2606, RFC 6761): nothing real resolves under them. */
const EXAMPLE_DOMAIN = /(^|\.)(example|invalid|test|example\.(com|net|org))$/i;

type Path = (string | number)[];

/** Every string in a value, with its path. */
function strings(value: unknown, path: Path = []): { path: Path; value: string }[] {
  if (typeof value === "string") return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, [...path, i]));
  if (value !== null && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => strings(v, [...path, k]));
  return [];
}

/** The problem with one config string, if it is an example value. */
function exampleValue(value: string): string | undefined {
  const account = EXAMPLE_ACCOUNTS.find((a) => new RegExp(`^arn:aws[\\w-]*:[^:]*:[^:]*:${a}:`).test(value));
  if (account)
    return `names AWS's documentation account ${account}, a placeholder; give your own account's ARN`;
  if (EXAMPLE_GUIDS.includes(value.toLowerCase()))
    return "is an example id, a placeholder; give the real object id (az ad group show --group <name> --query id)";
  return undefined;
}

/** The router's public address, if it cannot be one. */
function notPublic(ip: string): string | undefined {
  const range = NOT_PUBLIC.find(([cidr]) => cidrContains(cidr, `${ip}/32`));
  return range
    ? `"${ip}" is in ${range[1]}: the clouds' gateways connect to the router's public address; give it`
    : undefined;
}

/** Whether a kubeconfig names at least one cluster with an API server. */
function isKubeconfig(text: string): boolean {
  try {
    const doc = parse(text) as { clusters?: { cluster?: { server?: unknown } }[] } | null;
    return (doc?.clusters ?? []).some((c) => typeof c.cluster?.server === "string");
  } catch {
    return false;
  }
}

/**
 * Every example value in the config (and the on-premises kubeconfig, when given in clear), by
 * config path, each with what to give instead.
 */
export function placeholderIssues(config: PlatformConfig, onpremKubeconfig?: string): ConfigIssue[] {
  const issues: ConfigIssue[] = strings(config).flatMap(({ path, value }) => {
    const problem = exampleValue(value);
    return problem ? [{ path: formatPath(path), message: `"${value}" ${problem}` }] : [];
  });
  const router = config.onprem?.router;
  const routerProblem = router ? notPublic(router.publicIp) : undefined;
  if (routerProblem) issues.push({ path: "onprem.router.publicIp", message: routerProblem });
  const domain = config.onprem?.dns?.domain;
  if (domain && EXAMPLE_DOMAIN.test(domain))
    issues.push({
      path: "onprem.dns.domain",
      message: `"${domain}" is a domain reserved for examples; give the on-premises DNS domain the clouds forward to`,
    });
  const store = config.monitoring?.onprem;
  for (const key of ["remoteWriteUrl", "alertmanagerUrl"] as const) {
    const url = store?.[key];
    const host = url ? new URL(url).hostname : "";
    if (url && EXAMPLE_DOMAIN.test(host))
      issues.push({
        path: `monitoring.onprem.${key}`,
        message: `"${url}" is on ${host}, a domain reserved for examples; give the site's ${key === "remoteWriteUrl" ? "metrics store" : "Alertmanager"}`,
      });
  }
  if (onpremKubeconfig !== undefined && !isKubeconfig(onpremKubeconfig))
    issues.push({
      path: "onpremKubeconfig",
      message:
        "is not a kubeconfig (no cluster with a server): a placeholder; run pulumi config set --secret onpremKubeconfig < dc1-kubeconfig.yaml",
    });
  return issues;
}

/** Catalog images on example registries: nothing can pull them. */
export function catalogPlaceholderIssues(catalog: readonly WorkloadSpec[]): ConfigIssue[] {
  return catalog.flatMap((w, i) => {
    const host = w.image.split("/")[0] ?? "";
    return host.includes(".") && EXAMPLE_DOMAIN.test(host.replace(/:\d+$/, ""))
      ? [
          {
            path: `workloads[${i}].image`,
            message: `"${w.image}" is on ${host}, a domain reserved for examples; give the image's real registry`,
          },
        ]
      : [];
  });
}
