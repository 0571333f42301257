import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, commonArgsShape, input, resolveCommon } from "../../kit";
import { componentSubject, parseOrThrow } from "../../validation";

/** Arguments of `AwsFederatedIssuer`. */
export interface AwsFederatedIssuerArgs extends CommonArgs {
  /** Another cluster's service-account issuer (AKS's OIDC issuer URL, an on-premises cluster's), https. */
  issuerUrl: pulumi.Input<string>;
}

const argsSchema = z.strictObject({
  ...commonArgsShape,
  issuerUrl: input(z.string().regex(/^https:\/\/[^\s]+$/, "is not an https:// issuer URL")),
});

/**
 * An IAM OIDC provider for another cluster's service-account issuer, so roles can trust that
 * cluster's ServiceAccounts (web identity) without a key. STS fetches the issuer's discovery
 * document and keys from the internet: the issuer must publish them there (AKS's does). No
 * thumbprint: IAM verifies the issuer's certificate against its trusted CAs.
 */
export class AwsFederatedIssuer extends pulumi.ComponentResource {
  /** The provider's ARN, which trust policies name as their Federated principal. */
  public readonly providerArn: pulumi.Output<string>;
  /** The issuer URL. */
  public readonly issuerUrl: pulumi.Output<string>;

  constructor(name: string, args: AwsFederatedIssuerArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AwsFederatedIssuer", name), argsSchema, args);
    super("hybrid-ai-infra:index:AwsFederatedIssuer", name, {}, opts);
    const common = resolveCommon(parsed);
    const provider = new iam.OpenIdConnectProvider(
      name,
      { url: parsed.issuerUrl, clientIdLists: ["sts.amazonaws.com"], tags: common.tags },
      { parent: this },
    );
    this.providerArn = provider.arn;
    this.issuerUrl = pulumi.output(parsed.issuerUrl);
    this.registerOutputs({ providerArn: this.providerArn, issuerUrl: this.issuerUrl });
  }
}
