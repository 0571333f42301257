import { createHash, X509Certificate } from "node:crypto";
import { z } from "zod";

// The certificate an Entra application accepts from the on-premises site's copies: the copies' own
// end-entity certificate (Entra trusts the certificate itself, by its thumbprint, not the CA that
// issued it), RSA because the client assertion the Azure SDK signs with it is RS256/PS256 (MSAL
// for Go, which rclone's azidentity uses: NewCredFromCert refuses any other key), and only its
// public part: the key stays in the site's Secret.

/** What the application's key credential is made from, read from one PEM certificate. */
export interface EntraCertificateFacts {
  /** The certificate, one PEM block, trimmed. */
  pem: string;
  /** The first 8 hex digits of its SHA-256 fingerprint: names its credential, so a successor is added beside it. */
  id: string;
  /** Its validity as RFC 3339 (UTC, whole seconds): the credential's startDate and endDate. */
  notBefore: string;
  notAfter: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[A-Za-z0-9+/=\r\n]+-----END \1-----/g;

/** RFC 3339 without fractions, which Entra's credentials and the provider both take. */
function rfc3339(date: string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The facts of a PEM certificate, or the sentence that says why it cannot be an Entra certificate credential. */
export function entraCertificateFacts(pem: string): EntraCertificateFacts | string {
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (blocks.length !== 1 || blocks[0]?.[1] !== "CERTIFICATE" || pem.replace(PEM_BLOCK, "").trim() !== "")
    return "is not one PEM certificate (a single -----BEGIN CERTIFICATE----- block: the copies' own, no chain and never a key)";
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return "is a PEM block that does not parse as an X.509 certificate";
  }
  if (cert.ca)
    return "is a CA certificate; Entra trusts the copies' own certificate, not the CA that issued it";
  if (cert.publicKey.asymmetricKeyType !== "rsa")
    return `has a ${cert.publicKey.asymmetricKeyType} key; Entra client assertions are signed with RSA (the Azure SDK refuses other keys): issue the copies' certificate with an RSA key`;
  return {
    pem: pem.trim(),
    id: createHash("sha256").update(cert.raw).digest("hex").slice(0, 8),
    notBefore: rfc3339(cert.validFrom),
    notAfter: rfc3339(cert.validTo),
  };
}

/** A PEM certificate an Entra application can accept (see `entraCertificateFacts`). */
export const entraCertificateSchema = z.string().superRefine((pem, ctx) => {
  const facts = entraCertificateFacts(pem);
  if (typeof facts === "string") ctx.addIssue({ code: "custom", message: facts });
});

/**
 * The certificates an application accepts: the copies' current one, and its successor while the
 * site rolls it out (Entra matches the assertion's thumbprint against each). Distinct.
 */
export const entraCertificatesSchema = z
  .array(entraCertificateSchema)
  .min(1, "names no certificate: give the copies' certificate (PEM)")
  .max(2, "has more than two certificates: the current one and its successor")
  .refine((pems) => new Set(pems.map((p) => p.trim())).size === pems.length, "names one certificate twice");
