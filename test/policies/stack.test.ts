import type { PolicyResource } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import {
  stackBucketCompanions,
  stackNoOverlap,
  stackRestrictedEgress,
  stackStatefulProtected,
} from "../../policies/rules/stack";
import { resource, stackViolations } from "./evaluate";

const parent = resource("hybrid-ai-infra:index:AwsEncryptedBucket", "datasets", {});

function bucketWith(...skip: string[]): PolicyResource[] {
  const all = [
    resource("aws:s3/bucket:Bucket", "datasets", { bucketPrefix: "datasets-" }, { parent, protect: true }),
    resource(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "sse",
      { bucket: "datasets-1", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] },
      { parent },
    ),
    resource(
      "aws:s3/bucketVersioning:BucketVersioning",
      "versioning",
      {
        bucket: "datasets-1",
        versioningConfiguration: { status: "Enabled" },
      },
      { parent },
    ),
    resource(
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "pab",
      {
        bucket: "datasets-1",
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      { parent },
    ),
  ];
  return all.filter((r) => !skip.includes(r.name));
}

describe("stack-storage-companions", () => {
  it("passes a bucket with all three companions (matched by parent while its name is unknown)", async () => {
    expect(await stackViolations(stackBucketCompanions, bucketWith())).toEqual([]);
  });

  it("names a missing or a weak companion", async () => {
    const found = await stackViolations(stackBucketCompanions, bucketWith("versioning"));
    expect(found.map((f) => f.message)).toEqual(["bucket datasets has no BucketVersioning (versioning)"]);
    const weak = bucketWith().map((r) =>
      r.name === "pab"
        ? resource(r.type, r.name, { ...r.props, restrictPublicBuckets: false }, { parent })
        : r,
    );
    expect((await stackViolations(stackBucketCompanions, weak)).map((f) => f.message)).toEqual([
      "bucket datasets's BucketPublicAccessBlock does not give all four public-access blocks",
    ]);
  });

  it("needs blob versioning on each storage account", async () => {
    const account = resource("azure-native:storage:StorageAccount", "mlstore", { accountName: "mlstore1" });
    expect((await stackViolations(stackBucketCompanions, [account])).map((f) => f.message)).toEqual([
      "storage account mlstore has no BlobServiceProperties with isVersioningEnabled: true",
    ]);
    const service = resource("azure-native:storage:BlobServiceProperties", "blob", {
      accountName: "mlstore1",
      isVersioningEnabled: true,
    });
    expect(await stackViolations(stackBucketCompanions, [account, service])).toEqual([]);
  });
});

describe("stack-no-overlapping-networks", () => {
  const vpc = resource("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.20.0.0/16" });
  it("passes networks apart", async () => {
    const vnet = resource("azure-native:network:VirtualNetwork", "vnet", {
      addressSpace: { addressPrefixes: ["10.30.0.0/16"] },
    });
    expect(await stackViolations(stackNoOverlap, [vpc, vnet])).toEqual([]);
  });
  it("names both ranges when two overlap, the AKS overlay included", async () => {
    const aks = resource("azure-native:containerservice:ManagedCluster", "aks", {
      networkProfile: { podCidr: "10.20.128.0/17", serviceCidr: "10.0.0.0/16" },
    });
    expect((await stackViolations(stackNoOverlap, [vpc, aks])).map((f) => f.message)).toEqual([
      "AKS overlay aks 10.20.128.0/17 overlaps VPC vpc 10.20.0.0/16",
    ]);
  });
});

describe("stack-stateful-protected", () => {
  it("passes protected stateful resources, and names an unprotected one", async () => {
    const key = resource("aws:kms/key:Key", "key", {}, { protect: true });
    expect(await stackViolations(stackStatefulProtected, [key])).toEqual([]);
    const vault = resource("azure-native:keyvault:Vault", "vault", {});
    expect((await stackViolations(stackStatefulProtected, [key, vault])).map((f) => f.message)).toEqual([
      "Vault vault is not protected; deleting it loses data or the keys to it",
    ]);
  });
});

describe("stack-restricted-no-internet-egress", () => {
  const ns = (name: string, level: string) =>
    resource("kubernetes:core/v1:Namespace", name, {
      metadata: { name, labels: { "hybrid-ai-infra.io/data-classification": level } },
    });
  const policy = (namespace: string, egress: unknown[]) =>
    resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", `${namespace}-p`, {
      metadata: { name: "allow-app", namespace },
      spec: { egress },
    });

  it("passes egress to private endpoints only", async () => {
    const ok = [
      ns("clinical", "restricted"),
      policy("clinical", [{ to: [{ ipBlock: { cidr: "10.10.40.0/24" } }], ports: [{ port: 443 }] }]),
    ];
    expect(await stackViolations(stackRestrictedEgress, ok)).toEqual([]);
  });

  it("refuses 0.0.0.0/0, its splits and rules without `to` in restricted namespaces only", async () => {
    const open = [
      { to: [{ ipBlock: { cidr: "0.0.0.0/1" } }, { ipBlock: { cidr: "128.0.0.0/1" } }] },
      { ports: [{ port: 443 }] },
    ];
    const found = await stackViolations(stackRestrictedEgress, [
      ns("clinical", "restricted"),
      policy("clinical", open),
    ]);
    expect(found.map((f) => f.message)).toEqual([
      "clinical/allow-app egress[0] allows 0.0.0.0/1, the internet",
      "clinical/allow-app egress[0] allows 128.0.0.0/1, the internet",
      "clinical/allow-app egress[1] has no `to`: every destination, the internet included",
    ]);
    expect(
      await stackViolations(stackRestrictedEgress, [ns("web", "internal"), policy("web", open)]),
    ).toEqual([]);
  });
});
