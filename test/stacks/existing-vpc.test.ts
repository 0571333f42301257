import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runPlan } from "../../scripts/plan/run";

const root = resolve(__dirname, "../..");

describe("the dev stack on an existing VPC", () => {
  it("adds endpoints to the given VPC and creates no VPC of its own", async () => {
    const dir = mkdtempSync(join(tmpdir(), "existing-vpc-"));
    cpSync(join(root, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    cpSync(join(root, "stacks"), join(dir, "stacks"), { recursive: true });
    const dev = readFileSync(join(dir, "stacks/Pulumi.dev.yaml"), "utf8");
    const network = [
      "    network:",
      "      existing:",
      "        vpcId: vpc-0123456789abcdef0",
      "        cidr: 10.20.0.0/16",
      "        privateSubnetIds: [subnet-0a, subnet-0b, subnet-0c, subnet-0d]",
      "        privateRouteTableIds: [rtb-0a, rtb-0b]",
      "        endpointSubnetIds: [subnet-0a, subnet-0b]",
      "      endpoints: true",
      "",
    ].join("\n");
    const edited = dev.replace(/ {4}network:\n(?: {6}.*\n)+/, network);
    expect(edited).not.toBe(dev);
    writeFileSync(join(dir, "stacks/Pulumi.existing.yaml"), edited);
    cpSync(join(dir, "stacks/workloads.dev.yaml"), join(dir, "stacks/workloads.existing.yaml"));
    const plan = await runPlan(dir, "existing");
    expect(plan.resources.filter((r) => r.type === "aws:ec2/vpc:Vpc")).toHaveLength(0);
    const interfaces = plan.resources.filter(
      (r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.inputs.vpcEndpointType === "Interface",
    );
    expect(interfaces.length).toBeGreaterThan(0);
    for (const e of interfaces) expect(e.inputs.subnetIds).toEqual(["subnet-0a", "subnet-0b"]);
    const cluster = plan.resources.find((r) => r.type === "aws:eks/cluster:Cluster");
    if (!cluster) throw new Error("no EKS cluster in the plan");
    expect((cluster.inputs.vpcConfig as { subnetIds: string[] }).subnetIds).toHaveLength(4);
  });
});
