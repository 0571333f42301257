import { Address4, Address6 } from "ip-address";
import { z } from "zod";

/** A parsed, normalised CIDR block. */
export interface Cidr {
  /** Canonical text, e.g. `10.20.0.0/16`. */
  readonly text: string;
  readonly version: 4 | 6;
  readonly prefix: number;
  /** First address, as an integer. */
  readonly start: bigint;
  /** Last address, as an integer. */
  readonly end: bigint;
}

/** Parses `text` as a CIDR block; returns the reason instead when it is not one. */
export function tryParseCidr(text: string): Cidr | string {
  const slash = text.indexOf("/");
  if (slash < 0)
    return `${JSON.stringify(text)} is not a CIDR block; write it as address/prefix, e.g. 10.20.0.0/16`;
  const isV6 = text.includes(":");
  const valid = isV6 ? Address6.isValid(text) : Address4.isValid(text);
  if (!valid) return `${JSON.stringify(text)} is not a valid IPv${isV6 ? 6 : 4} CIDR block`;
  const address = isV6 ? new Address6(text) : new Address4(text);
  const start = address.startAddress().bigInt();
  if (address.bigInt() !== start) {
    const canonical = `${format(isV6 ? 6 : 4, start)}/${address.subnetMask}`;
    return `${JSON.stringify(text)} has host bits set; did you mean ${canonical}?`;
  }
  const version = isV6 ? 6 : 4;
  return {
    text: `${format(version, start)}/${address.subnetMask}`,
    version,
    prefix: address.subnetMask,
    start,
    end: address.endAddress().bigInt(),
  };
}

/** Parses `text` as a CIDR block or throws with the reason. */
export function parseCidr(text: string): Cidr {
  const parsed = tryParseCidr(text);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
}

/** Whether `inner` lies wholly inside `outer`. */
export function cidrContains(outer: string | Cidr, inner: string | Cidr): boolean {
  const a = asCidr(outer);
  const b = asCidr(inner);
  return a.version === b.version && a.start <= b.start && b.end <= a.end;
}

/** Whether two blocks share at least one address. */
export function cidrOverlaps(a: string | Cidr, b: string | Cidr): boolean {
  const x = asCidr(a);
  const y = asCidr(b);
  return x.version === y.version && x.start <= y.end && y.start <= x.end;
}

/** Number of addresses in a block. */
export function cidrSize(cidr: string | Cidr): bigint {
  const c = asCidr(cidr);
  return c.end - c.start + 1n;
}

/**
 * Carves `count` consecutive /`newPrefix` subnets out of `parent`, starting at subnet number `first`
 * (0 is the lowest). Throws when they do not fit.
 */
export function carveSubnets(parent: string | Cidr, newPrefix: number, count: number, first = 0): string[] {
  const p = asCidr(parent);
  const bits = p.version === 4 ? 32 : 128;
  if (!Number.isInteger(newPrefix) || newPrefix < p.prefix || newPrefix > bits) {
    throw new Error(
      `cannot carve /${newPrefix} subnets from ${p.text}; the prefix must be between ${p.prefix} and ${bits}`,
    );
  }
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(first) || first < 0) {
    // A negative start would carve blocks below the parent, outside it.
    throw new Error(
      `cannot carve ${count} subnets starting at number ${first}; both must be whole numbers, 0 or more`,
    );
  }
  const available = 1n << BigInt(newPrefix - p.prefix);
  if (BigInt(first + count) > available) {
    throw new Error(`${p.text} holds ${available} /${newPrefix} subnets; ${first + count} were asked for`);
  }
  const step = 1n << BigInt(bits - newPrefix);
  return Array.from(
    { length: count },
    (_, i) => `${format(p.version, p.start + step * BigInt(first + i))}/${newPrefix}`,
  );
}

/** Every pair of named blocks that overlap, in input order, so an error can name both. */
export function findOverlaps<T extends { name: string; cidr: string }>(
  blocks: readonly T[],
): { a: T; b: T }[] {
  const out: { a: T; b: T }[] = [];
  const parsed = blocks.map((b) => ({ block: b, cidr: tryParseCidr(b.cidr) }));
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      const x = parsed[i];
      const y = parsed[j];
      if (!x || !y || typeof x.cidr === "string" || typeof y.cidr === "string") continue;
      if (cidrOverlaps(x.cidr, y.cidr)) out.push({ a: x.block, b: y.block });
    }
  }
  return out;
}

/** A zod schema for an IPv4 CIDR block between /`min` and /`max`, normalised to canonical text. */
export function ipv4Cidr(options: { min?: number; max?: number } = {}) {
  const min = options.min ?? 0;
  const max = options.max ?? 32;
  return z.string().transform((text, ctx) => {
    const parsed = tryParseCidr(text);
    if (typeof parsed === "string") {
      ctx.addIssue({ code: "custom", message: parsed, input: text });
      return z.NEVER;
    }
    if (parsed.version !== 4 || parsed.prefix < min || parsed.prefix > max) {
      ctx.addIssue({
        code: "custom",
        message: `${JSON.stringify(text)} must be an IPv4 block between /${min} and /${max}`,
        input: text,
      });
      return z.NEVER;
    }
    return parsed.text;
  });
}

/** The address `offset` hosts into a block (0 is its first address); throws past its end. */
export function addressAt(block: string | Cidr, offset: number): string {
  const cidr = asCidr(block);
  const value = cidr.start + BigInt(offset);
  if (offset < 0 || value > cidr.end) throw new Error(`${cidr.text} has no address at offset ${offset}`);
  return format(cidr.version, value);
}

/** The last block of `prefix` inside `block`, e.g. the last /28 of a /20. */
export function lastBlock(block: string | Cidr, prefix: number): string {
  const cidr = asCidr(block);
  if (prefix < cidr.prefix) throw new Error(`${cidr.text} holds no /${prefix} block`);
  const size = 1n << BigInt((cidr.version === 4 ? 32 : 128) - prefix);
  return `${format(cidr.version, cidr.end - size + 1n)}/${prefix}`;
}

function asCidr(value: string | Cidr): Cidr {
  return typeof value === "string" ? parseCidr(value) : value;
}

function format(version: 4 | 6, value: bigint): string {
  return version === 4 ? Address4.fromBigInt(value).correctForm() : Address6.fromBigInt(value).correctForm();
}
