// The cloud ends of a data copy, component by component: the AWS role only the copy's
// ServiceAccount can assume (Pod Identity on this account's cluster, web identity elsewhere), the
// endpoints other sites reach S3 and STS through over the VPN, and the Entra identity federated
// with the copying cluster. The stack tests check the same through whole plans; these name the
// inputs each provider reads.
import * as ec2 from "@pulumi/aws/ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { AwsDataCopyRole, AwsDataEndpoints } from "../../components/aws";
import { AzureDataCopyIdentity } from "../../components/azure";
import type { Recorder } from "../../scripts/plan";
import { configErrorOf } from "../helpers/components";
import { descendants, ofType, one, resolved, startMocks } from "../helpers/mocks";

const BUCKET = "arn:aws:s3:::eks-backups-0a1b2c3";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ACCOUNT =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/mlstore";

function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("expected a value");
  return value;
}

interface Trust {
  Statement: { Principal: unknown; Action: unknown; Condition?: Record<string, Record<string, unknown>> }[];
}

describe("AwsDataCopyRole", () => {
  let recorder: Recorder;
  beforeAll(async () => {
    recorder = await startMocks();
  });

  it("under Pod Identity, trusts only its ServiceAccount's association on its cluster", async () => {
    new AwsDataCopyRole("backup-notes-to-eks-aws", {
      trust: { podIdentity: { clusterName: "eks-prod" } },
      namespace: "data-copies",
      serviceAccount: "backup-notes-to-eks",
      writes: [{ bucketArn: BUCKET, kmsKeyArn: KEY, prefix: "clinical-notes" }],
    });
    await recorder.settle();
    const rs = recorder.resources;
    const role = one(rs, "aws:iam/role:Role", "backup-notes-to-eks-aws");
    const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as Trust;
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
    });
    // EKS Pod Identity tags each session with these; any other association in the account (another
    // cluster, namespace or ServiceAccount) is refused.
    expect(trust.Statement[0]?.Condition).toEqual({
      StringEquals: {
        "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:eu-west-1:123456789012:cluster/eks-prod",
        "aws:RequestTag/kubernetes-namespace": "data-copies",
        "aws:RequestTag/kubernetes-service-account": "backup-notes-to-eks",
      },
    });
    const policy = one(rs, "aws:iam/rolePolicy:RolePolicy", "backup-notes-to-eks-aws-data");
    const association = one(
      rs,
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
      "backup-notes-to-eks-aws",
    );
    expect(association.inputs).toMatchObject({
      clusterName: "eks-prod",
      namespace: "data-copies",
      serviceAccount: "backup-notes-to-eks",
    });
    expect(association.dependsOn).toContain(policy.urn);
  });

  it("under web identity, trusts only its ServiceAccount's token from that issuer, for STS", async () => {
    new AwsDataCopyRole("backup-catalog-to-aks-aws", {
      trust: {
        webIdentity: {
          providerArn: "arn:aws:iam::123456789012:oidc-provider/oidc.aks.example/abc",
          issuerUrl: "https://oidc.aks.example/abc",
        },
      },
      namespace: "data-copies",
      serviceAccount: "backup-catalog-to-aks",
      reads: [{ bucketArn: BUCKET, kmsKeyArn: KEY, prefix: "product-catalog" }],
    });
    await recorder.settle();
    const rs = recorder.resources;
    const role = one(rs, "aws:iam/role:Role", "backup-catalog-to-aks-aws");
    expect((JSON.parse(String(role.inputs.assumeRolePolicy)) as Trust).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.aks.example/abc" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "oidc.aks.example/abc:sub": "system:serviceaccount:data-copies:backup-catalog-to-aks",
            "oidc.aks.example/abc:aud": "sts.amazonaws.com",
          },
        },
      },
    ]);
    const parent = one(rs, "hybrid-ai-infra:index:AwsDataCopyRole", "backup-catalog-to-aks-aws");
    expect(
      ofType(descendants(rs, parent.urn), "aws:eks/podIdentityAssociation:PodIdentityAssociation"),
    ).toEqual([]);
  });

  it("refuses a role that grants nothing, before registering anything", () => {
    const error = configErrorOf(
      () =>
        new AwsDataCopyRole("empty", {
          trust: { podIdentity: { clusterName: "eks-prod" } },
          namespace: "data-copies",
          serviceAccount: "empty",
        }),
    );
    expect(error.message).toContain("grants nothing: a copy reads or writes at least one prefix");
    expect(recorder.resources.filter((r) => r.name === "empty")).toEqual([]);
  });
});

describe("AwsDataEndpoints", () => {
  let recorder: Recorder;
  beforeAll(async () => {
    recorder = await startMocks();
  });

  it("answers S3 to inbound resolvers only, STS by its own name, HTTPS from the copying networks alone", async () => {
    const endpoints = new AwsDataEndpoints("eks-data-endpoints", {
      vpcId: "vpc-0123456789abcdef0",
      subnetIds: ["subnet-0a", "subnet-0b"],
      clientCidrs: ["10.10.0.0/16", "10.30.0.0/16"],
    });
    await recorder.settle();
    const rs = recorder.resources;
    const s3 = one(rs, "aws:ec2/vpcEndpoint:VpcEndpoint", "eks-data-endpoints-s3");
    expect(s3.inputs).toMatchObject({
      serviceName: "com.amazonaws.eu-west-1.s3",
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      // The VPC's own traffic stays on S3's gateway endpoint.
      dnsOptions: { privateDnsOnlyForInboundResolverEndpoint: true },
    });
    const sts = one(rs, "aws:ec2/vpcEndpoint:VpcEndpoint", "eks-data-endpoints-sts");
    expect(sts.inputs).toMatchObject({
      serviceName: "com.amazonaws.eu-west-1.sts",
      vpcEndpointType: "Interface",
      privateDnsEnabled: false,
    });
    expect(await resolved(defined(endpoints.stsEndpointUrl))).toMatch(
      /^https:\/\/vpce-[0-9a-f]+-[0-9a-f]+\.sts\.eu-west-1\.vpce\.amazonaws\.com$/,
    );
    expect(endpoints.rolesAnywhereEndpointUrl).toBeUndefined();
    const sgId = await resolved(endpoints.securityGroupId);
    const rules = ofType(
      descendants(rs, one(rs, "hybrid-ai-infra:index:AwsDataEndpoints", "eks-data-endpoints").urn),
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    );
    expect(
      rules.map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort, r.inputs.ipProtocol]),
    ).toEqual([
      ["10.10.0.0/16", 443, 443, "tcp"],
      ["10.30.0.0/16", 443, 443, "tcp"],
    ]);
    for (const e of [s3, sts]) expect(e.inputs.securityGroupIds).toEqual([sgId]);
    for (const r of rules) expect(r.inputs.securityGroupId).toBe(sgId);
  });

  it("creates S3's interface endpoint after the VPC's gateway endpoint, which EC2 requires first", async () => {
    const gateway = new ec2.VpcEndpoint("vpc-s3-gateway", {
      vpcId: "vpc-0123456789abcdef0",
      serviceName: "com.amazonaws.eu-west-1.s3",
      vpcEndpointType: "Gateway",
    });
    new AwsDataEndpoints("gw-endpoints", {
      vpcId: "vpc-0123456789abcdef0",
      s3GatewayEndpointId: gateway.id,
      subnetIds: ["subnet-0a"],
      clientCidrs: ["10.10.0.0/16"],
    });
    await recorder.settle();
    const rs = recorder.resources;
    const s3 = one(rs, "aws:ec2/vpcEndpoint:VpcEndpoint", "gw-endpoints-s3");
    expect(s3.dependsOn).toContain(one(rs, "aws:ec2/vpcEndpoint:VpcEndpoint", "vpc-s3-gateway").urn);
    expect(s3.inputs.vpcId).toBe("vpc-0123456789abcdef0");
    expect(
      configErrorOf(
        () =>
          new AwsDataEndpoints("bad-gw", {
            vpcId: "vpc-0123456789abcdef0",
            s3GatewayEndpointId: "rtb-0123456789abcdef0",
            subnetIds: ["subnet-0a"],
            clientCidrs: ["10.10.0.0/16"],
          }),
      ).message,
    ).toContain('s3GatewayEndpointId: "rtb-0123456789abcdef0" is not a VPC endpoint id');
  });

  it("adds IAM Roles Anywhere's endpoint only when asked", async () => {
    const endpoints = new AwsDataEndpoints("ra-endpoints", {
      vpcId: "vpc-0123456789abcdef0",
      subnetIds: ["subnet-0a"],
      clientCidrs: ["10.10.0.0/16"],
      credentials: { sts: false, rolesAnywhere: true },
    });
    await recorder.settle();
    const names = ofType(recorder.resources, "aws:ec2/vpcEndpoint:VpcEndpoint")
      .map((e) => e.name)
      .filter((n) => n.startsWith("ra-endpoints"));
    expect(names.sort()).toEqual(["ra-endpoints-rolesanywhere", "ra-endpoints-s3"]);
    expect(endpoints.stsEndpointUrl).toBeUndefined();
    expect(await resolved(defined(endpoints.rolesAnywhereEndpointUrl))).toMatch(
      /\.rolesanywhere\.eu-west-1\.vpce\.amazonaws\.com$/,
    );
  });

  it("refuses endpoints no copying network uses", () => {
    const error = configErrorOf(
      () =>
        new AwsDataEndpoints("none", {
          vpcId: "vpc-0123456789abcdef0",
          subnetIds: ["subnet-0a"],
          clientCidrs: [],
        }),
    );
    expect(error.message).toContain("clientCidrs");
    expect(error.message).toContain("names no network");
  });
});

describe("AzureDataCopyIdentity", () => {
  let recorder: Recorder;
  beforeAll(async () => {
    recorder = await startMocks();
  });

  it("trusts only the copy's ServiceAccount from the copying cluster's issuer, and writes without deleting", async () => {
    new AzureDataCopyIdentity("backup-catalog-to-aks-azure", {
      resourceGroupName: "rg-data",
      location: "westeurope",
      oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
      namespace: "data-copies",
      serviceAccount: "backup-catalog-to-aks",
      writes: [{ storageAccountId: ACCOUNT, container: "backups", prefixes: ["product-catalog"] }],
    });
    await recorder.settle();
    const rs = recorder.resources;
    const credential = one(
      rs,
      "azure-native:managedidentity:FederatedIdentityCredential",
      "backup-catalog-to-aks-azure-sa",
    );
    expect(credential.inputs).toMatchObject({
      issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
      subject: "system:serviceaccount:data-copies:backup-catalog-to-aks",
      audiences: ["api://AzureADTokenExchange"],
    });
    const write = one(rs, "azure-native:authorization:RoleAssignment", "backup-catalog-to-aks-azure-write-0");
    expect(write.inputs.scope).toBe(`${ACCOUNT}/blobServices/default/containers/backups`);
    expect(String(write.inputs.condition)).toContain(
      "(!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'}))",
    );
    expect(String(write.inputs.condition)).toContain("StringStartsWith 'product-catalog/'");
  });

  it("refuses an identity that grants nothing, and a storage account that is not one", () => {
    const base = {
      resourceGroupName: "rg-data",
      oidcIssuerUrl: "https://issuer.example",
      namespace: "data-copies",
      serviceAccount: "x",
    };
    expect(configErrorOf(() => new AzureDataCopyIdentity("none", base)).message).toContain("grants nothing");
    const bad = configErrorOf(
      () =>
        new AzureDataCopyIdentity("bad", {
          ...base,
          reads: [{ storageAccountId: "mlstore", container: "datasets", prefixes: ["a"] }],
        }),
    );
    expect(bad.message).toContain("reads[0].storageAccountId");
  });
});
