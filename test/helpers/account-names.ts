// The account-scoped physical names a stack's plan sets (issue 25.1): dev, staging and prod share
// one AWS account and region, so no two of them may set the same one. Each stack's checks
// (stack-plan.ts) keep its names in test/stacks/__snapshots__/<stack>.account-names.txt;
// test/stacks/aws-environments.test.ts checks the three files side by side, without planning the
// three stacks again.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { RecordedResource } from "../../components/testing";

/** The account-scoped names of a plan's AWS resources that the library sets (not auto-named). */
const ACCOUNT_SCOPED: Record<string, (inputs: Record<string, unknown>) => string | undefined> = {
  "aws:cloudwatch/logGroup:LogGroup": (i) => i.name as string | undefined,
  "aws:eks/cluster:Cluster": (i) => i.name as string | undefined,
  "aws:iam/role:Role": (i) => i.name as string | undefined,
  "aws:kms/alias:Alias": (i) => i.name as string | undefined,
  "aws:route53/resolverRule:ResolverRule": (i) => i.name as string | undefined,
  "aws:route53/resolverEndpoint:ResolverEndpoint": (i) => i.name as string | undefined,
  "aws:eks/nodeGroup:NodeGroup": (i) => i.nodeGroupName as string | undefined,
  "aws:ec2/launchTemplate:LaunchTemplate": (i) => i.name as string | undefined,
  "aws:ec2/placementGroup:PlacementGroup": (i) => i.name as string | undefined,
  // EC2 hands back an existing customer gateway for an identical address, ASN and device name.
  "aws:ec2/customerGateway:CustomerGateway": (i) =>
    `${String(i.ipAddress)} ${String(i.bgpAsn)} ${String(i.deviceName)}`,
};

/** `type name` of every account-scoped name the plan sets, with the URN that sets it. */
export function accountNames(resources: readonly RecordedResource[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const r of resources) {
    const name = ACCOUNT_SCOPED[r.type]?.(r.inputs);
    if (name !== undefined) names.set(`${r.type} ${name}`, r.urn);
  }
  return names;
}

/** Where a reference stack's names are kept, relative to test/helpers. */
export const accountNamesSnapshot = (stack: string) => `../stacks/__snapshots__/${stack}.account-names.txt`;

/** The names kept for a reference stack, one `type name` per line, sorted. */
export function keptAccountNames(stack: string): string[] {
  return readFileSync(resolve(__dirname, accountNamesSnapshot(stack)), "utf8")
    .split("\n")
    .filter((line) => line !== "");
}
