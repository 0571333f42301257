// BGP AS numbers every end of a link can use. Sources: RFC 6996 (private ranges); Azure VPN
// Gateway FAQ, "BGP and routing" (reserved ASNs, "What private ASNs can I use?": 64512-65514 and
// 65521-65534, 32-bit ASNs supported); EC2 CreateVpnGateway (AmazonSideAsn: 64512-65534 or
// 4200000000-4294967294); EC2 CreateCustomerGateway (BgpAsn 1-2147483647, BgpAsnExtended
// 2147483648-4294967295: "If the ASN is larger than 2,147,483,647, you must use BgpAsnExtended").

/** An inclusive range of ASNs. */
type AsnRange = readonly [number, number];

/**
 * Private ASNs every end here accepts: RFC 6996's two ranges without 65515-65520, which Azure keeps
 * for itself (65515, 65517-65520 are reserved; 65516 is not among the private ASNs Azure lets a
 * gateway use). One rule for every end, so a site can join any other later.
 */
export const USABLE_PRIVATE_ASNS: readonly AsnRange[] = [
  [64512, 65514],
  [65521, 65534],
  [4_200_000_000, 4_294_967_294],
];

/** How the rule reads in an error message. */
export const USABLE_PRIVATE_ASNS_TEXT =
  "a private ASN every end accepts: 64512-65514, 65521-65534 or 4200000000-4294967294 (Azure reserves 65515-65520)";

/** The ASNs a virtual private gateway takes (AmazonSideAsn). */
export const AWS_GATEWAY_ASNS: readonly AsnRange[] = [
  [64512, 65534],
  [4_200_000_000, 4_294_967_294],
];

/** The largest ASN a customer gateway's `bgpAsn` holds; larger ones go in `bgpAsnExtended`. */
export const AWS_CGW_BGP_ASN_MAX = 2_147_483_647;

const within = (asn: number, ranges: readonly AsnRange[]) =>
  Number.isInteger(asn) && ranges.some(([low, high]) => asn >= low && asn <= high);

/** Whether every end here (AWS, Azure, the strongSwan/FRR router) accepts `asn` as a private ASN. */
export function isUsablePrivateAsn(asn: number): boolean {
  return within(asn, USABLE_PRIVATE_ASNS);
}

/** Whether a virtual private gateway accepts `asn`. */
export function isAmazonSideAsn(asn: number): boolean {
  return within(asn, AWS_GATEWAY_ASNS);
}

/** The customer gateway input that carries `asn`: `bgpAsn` up to 2147483647, `bgpAsnExtended` above. */
export function customerGatewayAsn(asn: number): { bgpAsn: string } | { bgpAsnExtended: string } {
  return asn > AWS_CGW_BGP_ASN_MAX ? { bgpAsnExtended: String(asn) } : { bgpAsn: String(asn) };
}
