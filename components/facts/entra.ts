/**
 * Where a workload exchanges its service-account token for an Entra ID token
 * (login.microsoftonline.com and its siblings), IPv4: Microsoft 365 endpoint set 56, category
 * "Allow", TCP 443 (https://learn.microsoft.com/microsoft-365/enterprise/urls-and-ip-address-ranges).
 * A namespace's default-deny lets workload identity reach these and no other public address.
 */
export const ENTRA_ID_TOKEN_CIDRS: readonly string[] = [
  "20.20.32.0/19",
  "20.190.128.0/18",
  "20.231.128.0/19",
  "40.126.0.0/18",
];
