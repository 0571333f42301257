// The hybrid DNS suites run under the plan's realistic mocks, which fill in what the clouds do for
// resolver endpoints, rules and rulesets.
import * as pulumi from "@pulumi/pulumi";
import { RealisticMocks, Recorder } from "../../scripts/plan";

export { AZURE_INBOUND_IP, awsEndpointIp } from "../../components/testing";

/** Points Pulumi's runtime at the plan's mocks and starts recording registrations. */
export async function startDnsMocks(): Promise<Recorder> {
  await pulumi.runtime.setMocks(
    new RealisticMocks({ awsRegion: "eu-west-1", awsAccountId: "123456789012" }),
    "hybrid-ai-infra",
    "dev",
    false,
  );
  return new Recorder();
}
