import type { ApplicationCertificate } from "@pulumi/azuread/applicationCertificate";
import type { ApplicationRegistration } from "@pulumi/azuread/applicationRegistration";
import type { ServicePrincipal } from "@pulumi/azuread/servicePrincipal";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, childName, commonArgsShape } from "../../kit";
import { componentSubject, dnsLabelSchema, parseOrThrow } from "../../validation";
import { azureContext } from "../context";
import { entraCertificateFacts, entraCertificatesSchema } from "./certificate";
import { assignCopyRoles, type CopyContainerGrant, copyGrantsShape, grantsSomething } from "./copy-identity";

/** Arguments of `AzureDataCopyApplication`. */
export interface AzureDataCopyApplicationArgs extends CommonArgs {
  /**
   * The copies' certificates (PEM, end-entity, RSA; never a key), each a certificate credential of
   * the application: the current one, and its successor while the site rolls it out.
   */
  certificates: string[];
  /** The copy's namespace and ServiceAccount on the cluster that runs it, for the grants' descriptions. */
  namespace: string;
  serviceAccount: string;
  /** What it reads (Storage Blob Data Reader, narrowed to the folders). */
  reads?: CopyContainerGrant[];
  /** What it writes (Storage Blob Data Contributor, narrowed to the folders, no delete unless `deletes`). */
  writes?: CopyContainerGrant[];
  /** Whether it may delete under the written folders (a staged copy mirrors its source). Default false. */
  deletes?: boolean;
}

const argsSchema = z
  .strictObject({
    ...commonArgsShape,
    certificates: entraCertificatesSchema,
    namespace: dnsLabelSchema,
    serviceAccount: dnsLabelSchema,
    ...copyGrantsShape,
  })
  .refine(...grantsSomething);

// @pulumi/azuread is an optional peer that only this component uses: it is loaded when one is
// built, so `hybrid-ai-infra/azure` (and every program that never copies on-premises data with a
// certificate) loads and installs without it.
function azuread(): {
  ApplicationRegistration: typeof ApplicationRegistration;
  ServicePrincipal: typeof ServicePrincipal;
  ApplicationCertificate: typeof ApplicationCertificate;
} {
  try {
    return {
      ...(require("@pulumi/azuread/applicationRegistration") as typeof import("@pulumi/azuread/applicationRegistration")),
      ...(require("@pulumi/azuread/servicePrincipal") as typeof import("@pulumi/azuread/servicePrincipal")),
      ...(require("@pulumi/azuread/applicationCertificate") as typeof import("@pulumi/azuread/applicationCertificate")),
    };
  } catch (e) {
    if ((e as { code?: string }).code !== "MODULE_NOT_FOUND") throw e;
    throw new Error(
      "AzureDataCopyApplication needs @pulumi/azuread (an optional peer of hybrid-ai-infra): npm install @pulumi/azuread@^6",
    );
  }
}

/**
 * The Azure identity of one data copy run by a cluster whose service-account issuer Entra ID cannot
 * fetch (an on-premises cluster without a published issuer): an Entra application, single-tenant,
 * whose only credentials are the site's copy certificates (no secret, no federated credential),
 * its service principal, and that principal's roles, the same ones `AzureDataCopyIdentity`
 * holds: Storage Blob Data Reader on the containers it reads and Storage Blob Data Contributor on
 * those it writes, each narrowed by a condition to the dataset's folder. rclone signs Entra's
 * client assertion with the certificate's key, which never leaves the site.
 *
 * Needs `@pulumi/azuread` (an optional peer) and a deployer allowed to create applications in the
 * tenant (Application.ReadWrite.OwnedBy or Application Administrator).
 */
export class AzureDataCopyApplication extends pulumi.ComponentResource {
  /** The application's client id (rclone's `client_id`). */
  public readonly clientId: pulumi.Output<string>;
  /** The service principal's object id, which the role assignments name. */
  public readonly principalId: pulumi.Output<string>;
  /** The Entra ID tenant (rclone's `tenant`): the azure-native provider's. */
  public readonly tenantId: pulumi.Output<string>;

  constructor(name: string, args: AzureDataCopyApplicationArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AzureDataCopyApplication", name), argsSchema, args);
    super("hybrid-ai-infra:index:AzureDataCopyApplication", name, {}, opts);
    const { ApplicationRegistration, ServicePrincipal, ApplicationCertificate } = azuread();
    const who = `Data copy ${parsed.namespace}/${parsed.serviceAccount}`;
    const app = new ApplicationRegistration(
      name,
      {
        displayName: name,
        description: `${who} (hybrid-ai-infra): authenticates with the site's copy certificate`,
        signInAudience: "AzureADMyOrg",
      },
      { parent: this },
    );
    for (const pem of parsed.certificates) {
      const facts = entraCertificateFacts(pem);
      if (typeof facts === "string") throw new Error(`${name}: a certificate ${facts}`);
      // Named for the certificate, so adding a successor adds one credential and removing the old one removes it alone.
      new ApplicationCertificate(
        childName(name, "cert", facts.id),
        {
          applicationId: app.id,
          type: "AsymmetricX509Cert",
          encoding: "pem",
          value: facts.pem,
          // The certificate's own validity: Entra refuses a credential that outlives its certificate.
          startDate: facts.notBefore,
          endDate: facts.notAfter,
        },
        { parent: this },
      );
    }
    const principal = new ServicePrincipal(
      name,
      { clientId: app.clientId, description: who },
      { parent: this },
    );
    const ctx = azureContext(this);
    assignCopyRoles(name, this, ctx, principal.objectId, parsed, who);
    this.clientId = app.clientId;
    this.principalId = principal.objectId;
    this.tenantId = ctx.tenantId;
    this.registerOutputs({ clientId: this.clientId, principalId: this.principalId, tenantId: this.tenantId });
  }
}
