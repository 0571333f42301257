// The AWS Load Balancer Controller as the library installs it: its CRDs are the release's, byte
// for byte as objects; its objects are the chart's for Services only; its AWS policy manages only
// this cluster's NLBs and security groups.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { awsLoadBalancerControllerPolicy } from "../../components/facts";
import {
  awsLoadBalancerControllerArgs,
  renderAwsLoadBalancerController,
} from "../../components/kubernetes/addons/aws-load-balancer-controller";
import {
  AWS_LBC_CRDS,
  AWS_LBC_CRDS_SOURCE,
} from "../../components/kubernetes/addons/aws-load-balancer-controller-crds";

const VENDORED = resolve(__dirname, "../crds/aws-load-balancer-controller/v3.5.0/crds.yaml");

describe("the AWS Load Balancer Controller add-on", () => {
  it("ships the release's TargetGroupBinding and IngressClassParams CRDs unchanged", () => {
    const text = readFileSync(VENDORED, "utf8");
    expect(createHash("sha256").update(text).digest("hex")).toBe(AWS_LBC_CRDS_SOURCE.sha256);
    const docs = parseAllDocuments(text).map((d) => d.toJSON() as { metadata?: { name?: string } });
    for (const crd of AWS_LBC_CRDS) {
      const name = (crd.metadata as { name: string }).name;
      expect(crd).toEqual(docs.find((d) => d.metadata?.name === name));
    }
    expect(AWS_LBC_CRDS.map((c) => (c.metadata as { name: string }).name).sort()).toEqual([
      "ingressclassparams.elbv2.k8s.aws",
      "targetgroupbindings.elbv2.k8s.aws",
    ]);
  });

  it("runs for Services alone, with region and VPC as flags, and no Shield, WAF or Gateway API", () => {
    const args = awsLoadBalancerControllerArgs({ clusterName: "eks", region: "eu-west-1", vpcId: "vpc-1" });
    expect(args).toEqual(
      expect.arrayContaining([
        "--cluster-name=eks",
        "--aws-region=eu-west-1",
        "--aws-vpc-id=vpc-1",
        "--enable-shield=false",
        "--enable-waf=false",
        "--enable-wafv2=false",
      ]),
    );
    expect(args.find((a) => a.startsWith("--feature-gates="))).toContain("NLBGatewayAPI=false");
    const objects = renderAwsLoadBalancerController({
      clusterName: "eks",
      region: "eu-west-1",
      vpcId: "vpc-1",
      tls: { caCert: "CA", cert: "CERT", key: "KEY" },
    });
    const webhooks = objects
      .filter((o) => o.kind.endsWith("WebhookConfiguration"))
      .flatMap((o) => (o.webhooks as { name: string; clientConfig: { caBundle: string } }[]) ?? []);
    // No Service mutator: it would block every Service's creation while the controller is down.
    expect(webhooks.map((w) => w.name).sort()).toEqual([
      "mpod.elbv2.k8s.aws",
      "mtargetgroupbinding.elbv2.k8s.aws",
      "vtargetgroupbinding.elbv2.k8s.aws",
    ]);
    for (const w of webhooks) expect(Buffer.from(w.clientConfig.caBundle, "base64").toString()).toBe("CA");
    const deployment = objects.find((o) => o.kind === "Deployment") as unknown as {
      spec: { template: { spec: { containers: { securityContext: Record<string, unknown> }[] } } };
    };
    expect(deployment.spec.template.spec.containers[0]?.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
    });
    // The webhooks last: they call pods that must exist.
    expect(objects.slice(-2).map((o) => o.kind)).toEqual([
      "MutatingWebhookConfiguration",
      "ValidatingWebhookConfiguration",
    ]);
  });

  it("may manage only this cluster's load balancers and security groups, in its VPC", () => {
    const policy = awsLoadBalancerControllerPolicy({
      clusterName: "eks",
      partition: "aws",
      region: "eu-west-1",
      accountId: "123456789012",
      vpcId: "vpc-1",
    });
    const actions = policy.Statement.flatMap((s) => s.Action);
    for (const service of [
      "acm:",
      "wafv2:",
      "waf-regional:",
      "shield:",
      "cognito-idp:",
      "iam:GetServerCertificate",
    ])
      expect(
        actions.some((a) => a.startsWith(service)),
        service,
      ).toBe(false);
    const writes = policy.Statement.filter((s) => s.Sid !== "Describe" && s.Sid !== "ElbServiceLinkedRole");
    for (const s of writes) {
      const scoped =
        s.Condition !== undefined ||
        [s.Resource]
          .flat()
          .every(
            (r) =>
              r.startsWith("arn:aws:ec2:eu-west-1:123456789012:") ||
              r.startsWith("arn:aws:elasticloadbalancing:eu-west-1:123456789012:"),
          );
      expect(scoped, s.Sid).toBe(true);
    }
    const mutating = policy.Statement.find((s) => s.Sid === "ManageThisClustersLoadBalancers");
    expect(mutating?.Condition).toEqual({ StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "eks" } });
    expect(policy.Statement.find((s) => s.Sid === "BackendRulesInThisVpc")?.Condition).toEqual({
      StringEquals: { "ec2:Vpc": "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1" },
    });
  });
});
