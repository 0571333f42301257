// The zod rules for Azure names and ARM resource ids, written once: every Azure component (and the
// VNet) validates a resource group, a region or a resource id the same way, with the same message.
import { z } from "zod";

/** A resource group name: 1-90 letters, digits, `-`, `_`, `.`, `(` and `)`. */
export const RESOURCE_GROUP_NAME = z
  .string()
  .regex(/^[-\w.()]{1,90}$/, "is not a resource group name (1-90 letters, digits, -, _, ., ( and ))");

/** An Azure region as ARM names it: lower-case letters and digits, e.g. westeurope. */
export const LOCATION = z.string().regex(/^[a-z0-9]+$/, "is not an Azure region name such as westeurope");

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A schema for the ARM id of one kind of resource. `path` is what follows `/providers/`, with a
 * `<placeholder>` for each name, e.g. `Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>`;
 * the message shows that shape, so a wrong value explains what a right one looks like.
 */
function armId(what: string, path: string) {
  const names = path
    .split(/(<[a-z]+>)/)
    .map((part) => (/^<[a-z]+>$/.test(part) ? "[^/]+" : literal(part)))
    .join("");
  return z
    .string()
    .regex(
      new RegExp(`^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/${names}$`, "i"),
      `is not ${what} resource id (/subscriptions/.../providers/${path})`,
    );
}

/** A virtual network's id. */
export const VNET_ID = armId("a virtual network", "Microsoft.Network/virtualNetworks/<vnet>");

/** A subnet's id. */
export const SUBNET_ID = armId("a subnet", "Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>");

/** A route table's id. */
export const ROUTE_TABLE_ID = armId("a route table", "Microsoft.Network/routeTables/<table>");

/** A Log Analytics workspace's id. */
export const WORKSPACE_ID = armId(
  "a Log Analytics workspace",
  "Microsoft.OperationalInsights/workspaces/<workspace>",
);

/** The id of a private DNS zone with exactly this name, e.g. privatelink.blob.core.windows.net. */
export function privateDnsZoneId(zone: string) {
  return armId(`the ${zone} private DNS zone`, `Microsoft.Network/privateDnsZones/${zone}`);
}
