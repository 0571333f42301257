import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  carveSubnets,
  cidrContains,
  cidrOverlaps,
  cidrSize,
  findOverlaps,
  ipv4Cidr,
  parseCidr,
  tryParseCidr,
} from "../../components/validation";

const TWO_32 = 2 ** 32;

function dotted(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** The network address of `address`/`prefix`, as a number. */
function network(address: number, prefix: number): number {
  const size = 2 ** (32 - prefix);
  return Math.floor(address / size) * size;
}

/** Any canonical IPv4 block, e.g. 10.20.0.0/16. */
const ipv4Block = (minPrefix = 0, maxPrefix = 32) =>
  fc
    .record({
      address: fc.integer({ min: 0, max: TWO_32 - 1 }),
      prefix: fc.integer({ min: minPrefix, max: maxPrefix }),
    })
    .map(({ address, prefix }) => ({
      text: `${dotted(network(address, prefix))}/${prefix}`,
      start: network(address, prefix),
      prefix,
    }));

describe("parseCidr", () => {
  it("parses IPv4 and IPv6 blocks into their canonical text and bounds", () => {
    expect(parseCidr("10.20.0.0/16")).toEqual({
      text: "10.20.0.0/16",
      version: 4,
      prefix: 16,
      start: 0x0a140000n,
      end: 0x0a14ffffn,
    });
    expect(parseCidr("0.0.0.0/0")).toMatchObject({ start: 0n, end: 0xffffffffn, prefix: 0 });
    expect(parseCidr("192.168.1.7/32")).toMatchObject({ start: 0xc0a80107n, end: 0xc0a80107n });
    const v6 = parseCidr("2001:db8::/32");
    expect(v6).toMatchObject({ text: "2001:db8::/32", version: 6, prefix: 32 });
    expect(v6.end - v6.start + 1n).toBe(1n << 96n);
  });

  it("says what is wrong with text that is no CIDR block", () => {
    expect(tryParseCidr("10.0.0.0")).toBe(
      '"10.0.0.0" is not a CIDR block; write it as address/prefix, e.g. 10.20.0.0/16',
    );
    expect(tryParseCidr("10.0.0.0/33")).toBe('"10.0.0.0/33" is not a valid IPv4 CIDR block');
    expect(tryParseCidr("300.1.2.0/24")).toBe('"300.1.2.0/24" is not a valid IPv4 CIDR block');
    expect(tryParseCidr("2001:zz8::/32")).toBe('"2001:zz8::/32" is not a valid IPv6 CIDR block');
    expect(() => parseCidr("banana/8")).toThrowError('"banana/8" is not a valid IPv4 CIDR block');
  });

  it("names the block the user probably meant when host bits are set", () => {
    expect(tryParseCidr("10.0.0.1/16")).toBe('"10.0.0.1/16" has host bits set; did you mean 10.0.0.0/16?');
    expect(tryParseCidr("172.16.5.4/22")).toBe(
      '"172.16.5.4/22" has host bits set; did you mean 172.16.4.0/22?',
    );
    expect(tryParseCidr("2001:db8::1/64")).toBe(
      '"2001:db8::1/64" has host bits set; did you mean 2001:db8::/64?',
    );
  });

  it("round-trips every canonical IPv4 block and counts its addresses", () => {
    fc.assert(
      fc.property(ipv4Block(), (block) => {
        const parsed = parseCidr(block.text);
        expect(parsed.text).toBe(block.text);
        expect(parsed.start).toBe(BigInt(block.start));
        expect(cidrSize(parsed)).toBe(1n << BigInt(32 - block.prefix));
        expect(parsed.end - parsed.start + 1n).toBe(cidrSize(block.text));
      }),
    );
  });

  it("suggests, for any address with host bits, the block that contains it", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: TWO_32 - 1 }),
        fc.integer({ min: 0, max: 31 }),
        (address, prefix) => {
          fc.pre(network(address, prefix) !== address);
          const message = tryParseCidr(`${dotted(address)}/${prefix}`);
          expect(typeof message).toBe("string");
          const suggestion = /did you mean (\S+)\?$/.exec(String(message))?.[1] ?? "";
          expect(suggestion).toBe(`${dotted(network(address, prefix))}/${prefix}`);
          expect(cidrContains(suggestion, `${dotted(address)}/32`)).toBe(true);
        },
      ),
    );
  });
});

describe("cidrContains and cidrOverlaps", () => {
  it("answer for nested, adjacent, equal and mixed-version blocks", () => {
    expect(cidrContains("10.0.0.0/8", "10.20.0.0/16")).toBe(true);
    expect(cidrContains("10.20.0.0/16", "10.0.0.0/8")).toBe(false);
    expect(cidrContains("10.20.0.0/16", "10.20.0.0/16")).toBe(true);
    expect(cidrContains("0.0.0.0/0", "2001:db8::/32")).toBe(false);
    expect(cidrOverlaps("10.0.0.0/24", "10.0.1.0/24")).toBe(false);
    expect(cidrOverlaps("10.0.0.0/23", "10.0.1.0/24")).toBe(true);
    expect(cidrOverlaps("10.0.1.0/24", "10.0.0.0/23")).toBe(true);
    expect(cidrOverlaps("::/0", "10.0.0.0/8")).toBe(false);
    expect(() => cidrOverlaps("10.0.0.0/8", "nope")).toThrowError(/not a CIDR block/);
  });

  it("behave like CIDR blocks must: overlap means one contains the other, and it is symmetric", () => {
    fc.assert(
      fc.property(ipv4Block(), ipv4Block(), (a, b) => {
        const overlaps = cidrOverlaps(a.text, b.text);
        expect(cidrOverlaps(b.text, a.text)).toBe(overlaps);
        expect(overlaps).toBe(cidrContains(a.text, b.text) || cidrContains(b.text, a.text));
        expect(cidrContains(a.text, b.text) && cidrContains(b.text, a.text)).toBe(a.text === b.text);
      }),
    );
  });

  it("find every overlap within a nested pair too", () => {
    fc.assert(
      fc.property(ipv4Block(0, 24), fc.integer({ min: 0, max: 8 }), fc.nat(), (outer, extra, pick) => {
        const prefix = Math.min(32, outer.prefix + extra);
        const count = 2 ** (prefix - outer.prefix);
        const [inner] = carveSubnets(outer.text, prefix, 1, pick % count);
        expect(cidrContains(outer.text, inner ?? "")).toBe(true);
        expect(cidrOverlaps(inner ?? "", outer.text)).toBe(true);
      }),
    );
  });
});

describe("carveSubnets", () => {
  it("carves consecutive subnets from the start, or from a given subnet number", () => {
    expect(carveSubnets("10.20.0.0/16", 18, 4)).toEqual([
      "10.20.0.0/18",
      "10.20.64.0/18",
      "10.20.128.0/18",
      "10.20.192.0/18",
    ]);
    expect(carveSubnets("10.20.0.0/16", 20, 2, 12)).toEqual(["10.20.192.0/20", "10.20.208.0/20"]);
    expect(carveSubnets("10.20.0.0/16", 16, 1)).toEqual(["10.20.0.0/16"]);
    expect(carveSubnets("10.20.0.0/16", 24, 0)).toEqual([]);
    expect(carveSubnets("2001:db8::/56", 64, 2, 1)).toEqual(["2001:db8:0:1::/64", "2001:db8:0:2::/64"]);
  });

  it("refuses subnets that do not fit, with the numbers", () => {
    expect(() => carveSubnets("10.20.0.0/16", 18, 5)).toThrowError(
      "10.20.0.0/16 holds 4 /18 subnets; 5 were asked for",
    );
    expect(() => carveSubnets("10.20.0.0/16", 18, 1, 4)).toThrowError(
      "10.20.0.0/16 holds 4 /18 subnets; 5 were asked for",
    );
    expect(() => carveSubnets("10.20.0.0/16", 12, 1)).toThrowError(
      "cannot carve /12 subnets from 10.20.0.0/16; the prefix must be between 16 and 32",
    );
    expect(() => carveSubnets("10.20.0.0/16", 33, 1)).toThrowError(/between 16 and 32/);
    expect(() => carveSubnets("10.20.0.0/16", 17.5, 1)).toThrowError(/between 16 and 32/);
  });

  it("refuses a negative or fractional start or count instead of carving outside the parent", () => {
    expect(() => carveSubnets("10.20.0.0/16", 24, 1, -1)).toThrowError(
      "cannot carve 1 subnets starting at number -1; both must be whole numbers, 0 or more",
    );
    expect(() => carveSubnets("10.20.0.0/16", 24, -2)).toThrowError(/whole numbers, 0 or more/);
    expect(() => carveSubnets("10.20.0.0/16", 24, 1.5)).toThrowError(/whole numbers, 0 or more/);
  });

  it("returns disjoint, consecutive subnets of the asked size, all inside the parent", () => {
    fc.assert(
      fc.property(
        ipv4Block(8, 30),
        fc.integer({ min: 0, max: 6 }),
        fc.nat(),
        fc.nat(),
        (parent, extra, countSeed, firstSeed) => {
          const prefix = Math.min(32, parent.prefix + extra);
          const available = 2 ** (prefix - parent.prefix);
          const count = countSeed % (available + 1);
          const first = firstSeed % (available - count + 1);
          const subnets = carveSubnets(parent.text, prefix, count, first);
          expect(subnets).toHaveLength(count);
          const parsed = subnets.map((s) => parseCidr(s));
          parsed.forEach((s, i) => {
            expect(s.text).toBe(subnets[i]);
            expect(s.prefix).toBe(prefix);
            expect(cidrContains(parent.text, s)).toBe(true);
            const next = parsed[i + 1];
            if (next) expect(next.start).toBe(s.end + 1n);
          });
          expect(findOverlaps(subnets.map((cidr, i) => ({ name: `s${i}`, cidr })))).toEqual([]);
          expect(() => carveSubnets(parent.text, prefix, available - first + 1, first)).toThrowError(
            /subnets; \d+ were asked for/,
          );
        },
      ),
    );
  });
});

describe("findOverlaps", () => {
  it("names both members of every overlapping pair, in input order, and skips what does not parse", () => {
    const blocks = [
      { name: "onprem", cidr: "10.0.0.0/8" },
      { name: "aws", cidr: "10.20.0.0/16" },
      { name: "azure", cidr: "172.16.0.0/16" },
      { name: "broken", cidr: "10.0.0.0" },
      { name: "aws-dr", cidr: "10.20.128.0/17" },
    ];
    expect(findOverlaps(blocks).map(({ a, b }) => `${a.name}~${b.name}`)).toEqual([
      "onprem~aws",
      "onprem~aws-dr",
      "aws~aws-dr",
    ]);
    expect(findOverlaps([])).toEqual([]);
  });
});

describe("ipv4Cidr", () => {
  it("normalises a valid block and rejects others with the reason", () => {
    const schema = ipv4Cidr({ min: 16, max: 24 });
    expect(schema.parse("10.20.0.0/16")).toBe("10.20.0.0/16");
    const messages = (value: string) => {
      const result = schema.safeParse(value);
      return result.success ? [] : result.error.issues.map((i) => i.message);
    };
    expect(messages("10.0.0.0/8")).toEqual(['"10.0.0.0/8" must be an IPv4 block between /16 and /24']);
    expect(messages("2001:db8::/32")).toEqual(['"2001:db8::/32" must be an IPv4 block between /16 and /24']);
    expect(messages("10.20.0.9/24")).toEqual([
      '"10.20.0.9/24" has host bits set; did you mean 10.20.0.0/24?',
    ]);
    expect(ipv4Cidr().safeParse("0.0.0.0/0").success).toBe(true);
  });
});
