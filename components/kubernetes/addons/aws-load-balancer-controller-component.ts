import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { CertRequest } from "@pulumi/tls/certRequest";
import { LocallySignedCert } from "@pulumi/tls/locallySignedCert";
import { PrivateKey } from "@pulumi/tls/privateKey";
import { SelfSignedCert } from "@pulumi/tls/selfSignedCert";
import type { AwsLoadBalancerControllerAddon } from "../../kit";
import { resourceOfKind } from "../kinds";
import { AWS_LBC_WEBHOOK_SERVICE, renderAwsLoadBalancerController } from "./aws-load-balancer-controller";
import type { AddonObject } from "./cluster-autoscaler";

/** What the platform phase hands the cluster phase to run the controller. */

/** The CA lives ten years; the serving certificate three, replaced by the first update in its last 90 days. */
const CA_HOURS = 87_600;
const CERT_HOURS = 26_280;
const RENEW_HOURS = 2_160;

/**
 * Declares the controller under `parent`: the webhook's CA and serving certificate (kept in the
 * stack's state as secrets, so every update keeps them, unlike a chart that draws new ones each
 * render), then its objects in order, each after the ones before it.
 */
export function declareAwsLoadBalancerController(
  prefix: string,
  args: AwsLoadBalancerControllerAddon,
  parent: pulumi.Resource,
  provider: Provider,
): pulumi.Resource[] {
  const tlsOpts = { parent };
  const caKey = new PrivateKey(`${prefix}-ca`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, tlsOpts);
  const ca = new SelfSignedCert(
    `${prefix}-ca`,
    {
      privateKeyPem: caKey.privateKeyPem,
      isCaCertificate: true,
      validityPeriodHours: CA_HOURS,
      subject: { commonName: "aws-load-balancer-controller-ca" },
      allowedUses: ["cert_signing", "key_encipherment", "digital_signature"],
    },
    tlsOpts,
  );
  const key = new PrivateKey(`${prefix}-webhook`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, tlsOpts);
  const host = `${AWS_LBC_WEBHOOK_SERVICE}.kube-system.svc`;
  const request = new CertRequest(
    `${prefix}-webhook`,
    {
      privateKeyPem: key.privateKeyPem,
      dnsNames: [host, `${host}.cluster.local`],
      subject: { commonName: host },
    },
    tlsOpts,
  );
  const cert = new LocallySignedCert(
    `${prefix}-webhook`,
    {
      certRequestPem: request.certRequestPem,
      caPrivateKeyPem: caKey.privateKeyPem,
      caCertPem: ca.certPem,
      validityPeriodHours: CERT_HOURS,
      earlyRenewalHours: RENEW_HOURS,
      allowedUses: ["server_auth", "digital_signature", "key_encipherment"],
    },
    tlsOpts,
  );
  const render = (
    clusterName: string,
    region: string,
    vpcId: string,
    caCert: string,
    certPem: string,
    keyPem: string,
  ) =>
    renderAwsLoadBalancerController({
      clusterName,
      region,
      vpcId,
      ...(args.image ? { image: args.image } : {}),
      tls: { caCert, cert: certPem, key: keyPem },
    });
  const rendered = pulumi
    .all([args.clusterName, args.region, args.vpcId, ca.certPem, cert.certPem, key.privateKeyPem])
    .apply(([c, r, v, caPem, certPem, keyPem]) => render(c, r, v, caPem, certPem, keyPem));
  const shape = render("", "", "", "", "", "");
  const opts = { parent, provider };
  const declared: pulumi.CustomResource[] = [];
  shape.forEach((object: AddonObject, index) => {
    const make = resourceOfKind(object.kind, "the AWS Load Balancer Controller");
    const fields = Object.keys(object).filter((k) => k !== "apiVersion" && k !== "kind");
    const body = Object.fromEntries(
      fields.map((field) => [field, rendered.apply((all) => all[index]?.[field])]),
    );
    const id = `${prefix}-${object.kind.toLowerCase()}${object.kind === "CustomResourceDefinition" ? `-${object.metadata.name.split(".")[0]}` : ""}`;
    // Each object waits for the ones before it: CRDs and RBAC before the pods, the pods before
    // the webhooks that call them.
    declared.push(new make(id, body, { ...opts, dependsOn: [...declared] }));
  });
  return declared;
}
