// Address blocks as ranges, so a rule judges how much of the internet a set of blocks lets in, not
// how it is written: `0.0.0.0/0`, `0.0.0.0/1` + `128.0.0.0/1`, `1.2.3.4/0` (host bits are ignored,
// as the clouds do), `::/0`, `::ffff:0:0/96` (every IPv4 address, IPv4-mapped), or the internet as
// many smaller blocks all mean the same thing here.
import { Address4, Address6 } from "ip-address";

export type Family = 4 | 6;

/** A block as a range of addresses of its family (IPv4-mapped IPv6 blocks as IPv4). */
export interface Block {
  text: string;
  family: Family;
  prefix: number;
  start: bigint;
  end: bigint;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };
const V4_MAPPED_START = 0xffff00000000n;
const V4_MAPPED_END = 0xffffffffffffn;

/** A CIDR block (or a bare address, as one address), or undefined when it is not one. */
export function parseBlock(text: string): Block | undefined {
  const trimmed = text.trim();
  const family: Family = trimmed.includes(":") ? 6 : 4;
  const withPrefix = trimmed.includes("/") ? trimmed : `${trimmed}/${BITS[family]}`;
  if (family === 4) {
    if (!Address4.isValid(withPrefix)) return undefined;
    const a = new Address4(withPrefix);
    return {
      text,
      family,
      prefix: a.subnetMask,
      start: a.startAddress().bigInt(),
      end: a.endAddress().bigInt(),
    };
  }
  if (!Address6.isValid(withPrefix)) return undefined;
  const a = new Address6(withPrefix);
  const start = a.startAddress().bigInt();
  const end = a.endAddress().bigInt();
  if (start >= V4_MAPPED_START && end <= V4_MAPPED_END)
    return {
      text,
      family: 4,
      prefix: a.subnetMask - 96,
      start: start - V4_MAPPED_START,
      end: end - V4_MAPPED_START,
    };
  return { text, family: 6, prefix: a.subnetMask, start, end };
}

/** Ranges no one on the internet can send from (private, shared, loopback, link-local, reserved). */
const NOT_INTERNET: readonly Block[] = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/3",
  "::/127",
  "fc00::/7",
  "fe80::/10",
  "ff00::/8",
].flatMap((t) => parseBlock(t) ?? []);

/** Merges overlapping and adjacent ranges of one family. */
function merge(ranges: readonly { start: bigint; end: bigint }[]): { start: bigint; end: bigint }[] {
  const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: { start: bigint; end: bigint }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1n) {
      if (r.end > last.end) last.end = r.end;
    } else out.push({ start: r.start, end: r.end });
  }
  return out;
}

const size = (rs: readonly { start: bigint; end: bigint }[]) =>
  rs.reduce((n, r) => n + r.end - r.start + 1n, 0n);

/** How many addresses of `family` the blocks cover together, overlaps counted once. */
export function covered(blocks: readonly Block[], family: Family): bigint {
  return size(merge(blocks.filter((b) => b.family === family)));
}

/** How many internet (public) addresses of `family` the blocks cover together. */
export function publicCovered(blocks: readonly Block[], family: Family): bigint {
  const mine = merge(blocks.filter((b) => b.family === family));
  const reserved = merge(NOT_INTERNET.filter((b) => b.family === family));
  let total = size(mine);
  for (const m of mine)
    for (const r of reserved) {
      // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.max refuses
      const start = m.start > r.start ? m.start : r.start;
      // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.min refuses
      const end = m.end < r.end ? m.end : r.end;
      if (start <= end) total -= end - start + 1n;
    }
  return total;
}

/**
 * How much of the internet one party may reasonably own, per family: a /8 of IPv4 (sixteen
 * million addresses; admin networks and VPN egress are /32 to /24) and a /32 of IPv6 (an ISP's
 * allocation). Sources covering more are the internet at large, however they are split.
 */
export const INTERNET_SHARE: Record<Family, number> = { 4: 8, 6: 32 };

/** Whether every address of the family is covered (`0.0.0.0/0` in any spelling). */
export function coversEverything(blocks: readonly Block[], family: Family): boolean {
  return covered(blocks, family) === 2n ** BigInt(BITS[family]);
}

/** Whether the blocks together let in more of the internet than one party owns (see `INTERNET_SHARE`). */
export function isInternet(blocks: readonly Block[], family: Family): boolean {
  return publicCovered(blocks, family) > 2n ** BigInt(BITS[family] - INTERNET_SHARE[family]);
}

/** The families whose share of `blocks` is the internet, with the blocks that make it so. */
export function internetFamilies(blocks: readonly Block[]): { family: Family; blocks: Block[] }[] {
  return ([4, 6] as const)
    .filter((f) => isInternet(blocks, f))
    .map((family) => ({ family, blocks: blocks.filter((b) => b.family === family) }));
}

/** Whether `inner` lies inside `outer`. */
export function contains(outer: Block, inner: Block): boolean {
  return outer.family === inner.family && outer.start <= inner.start && inner.end <= outer.end;
}

/** Whether two blocks share an address. */
export function overlaps(a: Block, b: Block): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

/** The IPv4 and IPv6 "everything" blocks, for messages. */
export const EVERYTHING: Record<Family, string> = { 4: "0.0.0.0/0", 6: "::/0" };

/** A range of addresses of one family. */
export interface Range {
  family: Family;
  start: bigint;
  end: bigint;
}

/** `block` without the addresses of `excepts` (a NetworkPolicy ipBlock's `except`). */
export function subtract(block: Range, excepts: readonly Range[]): Range[] {
  let pieces: Range[] = [block];
  for (const e of excepts.filter((x) => x.family === block.family)) {
    pieces = pieces.flatMap((p) => {
      if (e.end < p.start || e.start > p.end) return [p];
      const out: Range[] = [];
      if (e.start > p.start) out.push({ family: p.family, start: p.start, end: e.start - 1n });
      if (e.end < p.end) out.push({ family: p.family, start: e.end + 1n, end: p.end });
      return out;
    });
  }
  return pieces;
}

/** Whether ranges together let in more of the family's internet than one party owns. */
export function rangesAreInternet(ranges: readonly Range[], family: Family): boolean {
  const asBlocks = ranges.filter((r) => r.family === family).map((r) => ({ ...r, text: "", prefix: 0 }));
  return isInternet(asBlocks, family);
}
