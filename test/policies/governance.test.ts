// The organisation's knobs (required tags, allowed GPU families) and the whole-stack rules
// (overlapping networks, protected stateful resources), on the library's inputs and each mistake.
import { describe, expect, it } from "vitest";
import { gpuFamiliesAllowed, requiredTags } from "../../policies/rules/governance";
import { stackNoOverlap, stackStatefulProtected } from "../../policies/rules/stack-integrity";
import { ruleCases } from "./cases";
import { judgeStack, resource, stackViolations, UNKNOWN_INPUT } from "./evaluate";

const TAGS = { environment: "prod", "data-classification": "restricted", owner: "platform" };
const NG = "aws:eks/nodeGroup:NodeGroup";
const POOL = "azure-native:containerservice:AgentPool";
const ACCOUNT = "azure-native:storage:StorageAccount";

ruleCases(requiredTags, [
  { name: "the library's tags", type: "aws:eks/cluster:Cluster", props: { tags: TAGS } },
  {
    name: "keys in another case",
    type: ACCOUNT,
    props: { tags: { Environment: "prod", "Data-Classification": "internal" } },
  },
  { name: "a custom tag list", type: NG, props: { tags: { team: "ml" } }, config: { tags: ["team"] } },
  {
    name: "no tags",
    type: "aws:s3/bucket:Bucket",
    props: {},
    fails: ["tags lack environment, data-classification"],
  },
  {
    name: "an empty value",
    type: "aws:kms/key:Key",
    props: { tags: { environment: "", "data-classification": "internal" } },
    fails: ["tags lack environment"],
  },
  {
    name: "one missing on an Azure pool",
    type: POOL,
    props: { tags: { environment: "prod" } },
    fails: ["lack data-classification"],
  },
]);

const limit = { allowedFamilies: ["g6e", "Standard_NCads_A100_v4"] };
ruleCases(gpuFamiliesAllowed, [
  { name: "any family when none are listed", type: NG, props: { instanceTypes: ["p5.48xlarge"] } },
  { name: "an allowed AWS family", type: NG, props: { instanceTypes: ["g6e.12xlarge"] }, config: limit },
  {
    name: "an allowed Azure family",
    type: POOL,
    props: { vmSize: "Standard_NC24ads_A100_v4" },
    config: limit,
  },
  { name: "a CPU pool", type: POOL, props: { vmSize: "Standard_D4s_v5" }, config: limit },
  {
    name: "another AWS family",
    type: NG,
    props: { instanceTypes: ["g6e.xlarge", "p5.48xlarge"] },
    config: limit,
    fails: ["p5.48xlarge is of GPU family p5"],
  },
  {
    name: "a launch template's type",
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    props: { instanceType: "p4d.24xlarge" },
    config: limit,
    fails: ["family p4d"],
  },
  {
    name: "another Azure family",
    type: POOL,
    props: { vmSize: "Standard_NC4as_T4_v3" },
    config: limit,
    fails: ["Standard_NCas_T4_v3"],
  },
  {
    name: "a cluster's inline pool",
    type: "azure-native:containerservice:ManagedCluster",
    props: { agentPoolProfiles: [{ vmSize: "Standard_ND96asr_v4" }] },
    config: limit,
    fails: ["Standard_ND96asr_v4"],
  },
]);

describe("stack-no-overlapping-networks", () => {
  const vpc = (name: string, cidrBlock: unknown) => resource("aws:ec2/vpc:Vpc", name, { cidrBlock });
  const vnet = (name: string, ...prefixes: string[]) =>
    resource("azure-native:network/v20240301:VirtualNetwork", name, {
      addressSpace: { addressPrefixes: prefixes },
    });

  it("passes separate sites and a remote network declared once per tunnel", async () => {
    const lng = (n: string) =>
      resource("azure-native:network:LocalNetworkGateway", n, {
        localNetworkAddressSpace: { addressPrefixes: ["10.30.0.0/16", "169.254.21.1/32"] },
      });
    const stack = [vpc("eks", "10.10.0.0/16"), vnet("aks", "10.20.0.0/16"), lng("t1"), lng("t2")];
    expect(await stackViolations(stackNoOverlap, stack)).toEqual([]);
  });

  it("flags a VNet, in a versioned token, inside a VPC's range", async () => {
    const found = await stackViolations(stackNoOverlap, [
      vpc("eks", "10.10.0.0/16"),
      vnet("aks", "10.10.128.0/17"),
    ]);
    expect(found).toEqual([
      { message: "VNet aks 10.10.128.0/17 overlaps VPC eks 10.10.0.0/16", urn: expect.any(String) },
    ]);
  });

  it("flags an AKS overlay over a VPC secondary range", async () => {
    const stack = [
      resource("aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation", "pods", {
        cidrBlock: "100.64.0.0/16",
      }),
      resource("azure-native:containerservice:ManagedCluster", "aks", {
        networkProfile: { podCidr: "100.64.0.0/14", serviceCidr: "172.16.0.0/16" },
      }),
    ];
    expect(await stackViolations(stackNoOverlap, stack)).toHaveLength(1);
  });

  it("leaves an unknown range to the update and judges the rest", async () => {
    const verdict = await judgeStack(stackNoOverlap, [
      vpc("a", "10.0.0.0/8"),
      vpc("b", UNKNOWN_INPUT),
      vpc("c", "10.1.0.0/16"),
    ]);
    expect(verdict.violations).toHaveLength(1);
    expect(verdict.undecided).toContain("b.cidrBlock");
  });
});

describe("stack-stateful-protected", () => {
  it("passes protected stateful resources and ignores the rest", async () => {
    const stack = [
      resource("aws:s3/bucketV2:BucketV2", "data", {}, { protect: true }),
      resource("azure-native:keyvault/v20230701:Vault", "kv", {}, { protect: true }),
      resource("aws:ec2/vpc:Vpc", "vpc", {}),
    ];
    expect(await stackViolations(stackStatefulProtected, stack)).toEqual([]);
  });

  it("flags every spelling of an unprotected one", async () => {
    const stack = [
      resource("aws:s3/bucketV2:BucketV2", "data", {}),
      resource("azure-native:storage/v20230501:StorageAccount", "sa", {}),
      resource("aws:cloudwatch/logGroup:LogGroup", "logs", {}),
    ];
    const found = await stackViolations(stackStatefulProtected, stack);
    expect(found.map((f) => f.message).sort()).toEqual([
      "Bucket data is not protected; deleting it loses data or the keys to it",
      "LogGroup logs is not protected; deleting it loses data or the keys to it",
      "StorageAccount sa is not protected; deleting it loses data or the keys to it",
    ]);
  });
});
