import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type RouterLinkSlot, sharedRouterSlotClashes } from "../../components/facts";
import { type ConfigIssue, cidrOverlaps, formatPath, parseYamlFile } from "../../components/validation";
import { PROJECT } from "../names";
import { platformConfigFields } from "./fields";
import { routedNetworks, type Sites, sitesOf } from "./sites";

// The project's other environments, read from their stack files (Pulumi.yaml's stackConfigDir):
// what several environments share, one on-premises router above all, is checked across them, by
// this stack's config path. A sibling file that does not parse is skipped: its own stack says why.

/** Another environment of the project, as its stack file describes it. */
export interface SiblingEnvironment {
  /** The stack name (`Pulumi.<stack>.yaml`). */
  stack: string;
  /** The stack file, relative to the project. */
  file: string;
  sites: Sites;
}

/** The other stacks' configurations in the project at `root`, each read into its sites. */
export function readSiblingEnvironments(root: string, stack: string): SiblingEnvironment[] {
  const projectFile = join(root, "Pulumi.yaml");
  if (!existsSync(projectFile)) return [];
  const project = parseYamlFile(projectFile, readFileSync(projectFile, "utf8")) as {
    stackConfigDir?: string;
  };
  const dirName = project.stackConfigDir ?? ".";
  const dir = join(root, dirName);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((entry): SiblingEnvironment[] => {
      const other = /^Pulumi\.(.+)\.yaml$/.exec(entry)?.[1];
      if (!other || other === stack) return [];
      const file = join(dirName, entry);
      const sites = siblingSites(other, readFileSync(join(dir, entry), "utf8"), file);
      return sites ? [{ stack: other, file, sites }] : [];
    });
}

/** A sibling's sites, or undefined when its file does not parse into a configuration. */
function siblingSites(stack: string, text: string, file: string): Sites | undefined {
  let doc: { config?: Record<string, unknown> } | undefined;
  try {
    doc = parseYamlFile(file, text) as { config?: Record<string, unknown> } | undefined;
  } catch {
    return undefined;
  }
  const raw: Record<string, unknown> = { environment: stack };
  for (const [key, value] of Object.entries(doc?.config ?? {})) {
    const name = key.startsWith(`${PROJECT}:`) ? key.slice(PROJECT.length + 1) : undefined;
    if (name && name in platformConfigFields.shape) raw[name] = value;
  }
  const parsed = platformConfigFields.safeParse(raw);
  return parsed.success ? sitesOf(parsed.data) : undefined;
}

/** The networks a stack routes to its on-premises router: the sites its links join to on-premises. */
function routerNetworks(
  sites: Sites,
): { router: string; networks: { cidr: string; path: string }[] } | undefined {
  const router = sites.onprem?.config.router?.publicIp;
  if (!router) return undefined;
  const networks = sites.links
    .filter((l) => l.sites.includes("onprem"))
    .flatMap((l) => l.sites.filter((s) => s !== "onprem"))
    .flatMap((kind) => {
      const site = sites.of(kind);
      return site ? routedNetworks(site).map((cidr) => ({ cidr, path: site.networks[0]?.path ?? kind })) : [];
    });
  return { router, networks };
}

/**
 * Two environments whose links end on one on-premises router must route different networks to
 * it: the router holds every environment's routes in one table, so an overlap sends one
 * environment's traffic into the other's VPC or VNet (and both render a BGP neighbour announcing
 * the same prefix). Reported at this stack's network, naming the other environment's file.
 */
export function sharedRouterIssues(sites: Sites, siblings: readonly SiblingEnvironment[]): ConfigIssue[] {
  const ours = routerNetworks(sites);
  if (!ours) return [];
  const issues: ConfigIssue[] = [];
  for (const sibling of siblings) {
    const theirs = routerNetworks(sibling.sites);
    if (!theirs || theirs.router !== ours.router) continue;
    for (const mine of ours.networks) {
      const clash = theirs.networks.find((t) => cidrOverlaps(t.cidr, mine.cidr));
      if (!clash) continue;
      issues.push({
        path: mine.path,
        message: `"${mine.cidr}" overlaps ${sibling.stack}'s ${clash.path} "${clash.cidr}" (${sibling.file}), and both environments join router ${ours.router}; the router routes every environment at once, so give each environment's networks on it ranges of their own`,
      });
    }
  }
  return issues;
}

/** The links a stack ends on its router, as the router sees them (see `sharedRouterSlotClashes`). */
function routerLinks(sites: Sites, environment: string): RouterLinkSlot[] {
  const onprem = sites.onprem;
  const router = onprem?.config.router?.publicIp;
  if (!onprem || !router) return [];
  return sites.links
    .filter((l) => l.sites.includes("onprem"))
    .map((l) => ({
      environment,
      router,
      link: l.sites.map((s) => (s === "onprem" ? onprem.name : s)).join("-"),
      slot: l.slot,
      path: formatPath([...l.path, "insideCidr"]),
    }));
}

/**
 * Links of this and another environment that end on one router in one inside /28 collide there
 * (their addresses and XFRM interfaces): reported at this stack's link.
 */
export function sharedRouterSlotIssues(sites: Sites, siblings: readonly SiblingEnvironment[]): ConfigIssue[] {
  const environment = sites.config.environment;
  const links = [
    ...siblings.flatMap((s) => routerLinks(s.sites, s.stack)),
    ...routerLinks(sites, environment),
  ];
  return sharedRouterSlotClashes(links)
    .filter((c) => c.environment === environment)
    .map(({ path, message }) => ({ path, message }));
}
