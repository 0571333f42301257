// Where each site's internal load balancers take their addresses. They are pinned, so every other
// site's gateway and every site's DNS know them before anything is deployed: an entry address is a
// slot of the site's entry range, the same slot in each of its blocks. No Pulumi.
import { addressAt, cidrSize, parseCidr } from "../validation";

/**
 * A site's entry range, by kind of site:
 * - AWS: each private subnet's pinned /28 (an explicit subnet CIDR reservation, which EC2 never
 *   hands a node or pod); an NLB takes one address in each, so each slot is one address per block.
 *   Its fifth address is the Route 53 inbound resolver's and its last is AWS's own.
 * - Azure: the system subnet's last /27, where AKS puts no node until the subnet is nearly full;
 *   the subnet's last address is Azure's.
 * - On-premises: the CIDR the MetalLB address pool serves, as config gives it.
 */
export type EntryRange =
  | { kind: "aws"; blocks: string[] }
  | { kind: "azure"; block: string; subnetName: string }
  | { kind: "onprem"; block: string; addressPool: string };

/** The offsets of a range's blocks that an entry may take, in order. */
export function entrySlots(range: EntryRange): number[] {
  if (range.kind === "aws") {
    // Offsets 0-14 of the /28 but the resolver's (4); 15 is the subnet's last address, AWS's.
    return [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  }
  const size = Number(cidrSize(range.block));
  if (range.kind === "azure") return Array.from({ length: size - 1 }, (_, i) => i);
  // A pool block of a /30 or larger loses its network and broadcast addresses.
  const prefix = parseCidr(range.block).prefix;
  return prefix <= 30
    ? Array.from({ length: size - 2 }, (_, i) => i + 1)
    : Array.from({ length: size }, (_, i) => i);
}

/** The addresses of one slot: one per block (AWS), else one. */
export function slotAddresses(range: EntryRange, offset: number): string[] {
  if (range.kind === "aws") return range.blocks.map((b) => addressAt(b, offset));
  return [addressAt(range.block, offset)];
}

/** FNV-1a, 32 bits: a stable spread of names over slots. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Slots for the gateway (always the range's first) and each service (its name's hash, then the next
 * free one, services taken in name order): a service keeps its address when others come and go,
 * unless a newcomer's hash lands on it first, which the plan then shows as a changed address.
 * Returns the slot offset per name, or the names that did not fit.
 */
export function allocateEntries(
  range: EntryRange,
  services: readonly string[],
): { slots: Map<string, number>; gateway: number; overflow: string[] } {
  const slots = entrySlots(range);
  const [gateway = 0, ...rest] = slots;
  const taken = new Set<number>();
  const result = new Map<string, number>();
  const overflow: string[] = [];
  for (const name of [...services].sort()) {
    if (taken.size === rest.length) {
      overflow.push(name);
      continue;
    }
    let i = fnv1a(name) % rest.length;
    while (taken.has(i)) i = (i + 1) % rest.length;
    taken.add(i);
    result.set(name, rest[i] ?? 0);
  }
  return { slots: result, gateway, overflow };
}
