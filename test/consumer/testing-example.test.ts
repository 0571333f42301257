// The README's example of testing a program built on the components (hybrid-ai-infra/testing):
// realistic mocks first, then the program, then its recorded resources.
import { beforeAll, describe, expect, it } from "vitest";
// In a consumer's test: from "hybrid-ai-infra/aws" and "hybrid-ai-infra/testing".
import { AwsEncryptedBucket, AwsPrivateCluster, AwsVpc } from "../../components/aws";
import { setRealisticMocks } from "../../components/testing";

describe("a consumer's program under realistic mocks", () => {
  let recorder: Awaited<ReturnType<typeof setRealisticMocks>>;
  beforeAll(async () => {
    recorder = await setRealisticMocks({ stack: "dev", cloud: { awsRegion: "eu-west-1" } });
  });

  it("declares a private cluster and a bucket whose outputs are real-looking values", async () => {
    const vpc = new AwsVpc("net", {
      cidrBlock: "10.20.0.0/16",
      availabilityZones: ["eu-west-1a", "eu-west-1b"],
      // Egress for the autoscaler's public image, as the README's sample: without it the cluster
      // must be given mirrored images (issue 19.9 moved that check into the component).
      natGateways: "single",
    });
    const cluster = new AwsPrivateCluster("ml", {
      network: vpc,
      kubernetesVersion: "1.35",
      admins: ["arn:aws:iam::123456789012:role/platform-admin"],
      nodeGroups: [{ name: "general", instanceTypes: ["m7i.xlarge"], minSize: 1, maxSize: 3 }],
      placement: { region: "eu-west-1", jurisdiction: "EU" },
    });
    const bucket = new AwsEncryptedBucket("datasets", {});
    await recorder.settle();

    const clusters = recorder.resources.filter((r) => r.type === "aws:eks/cluster:Cluster");
    expect(clusters).toHaveLength(1);
    expect(clusters[0]?.inputs.vpcConfig).toMatchObject({ endpointPublicAccess: false });
    const name = await new Promise<string>((resolve) => bucket.bucketName.apply(resolve));
    expect(name).toMatch(/^datasets-[0-9a-f]+$/);
    const kubeconfig = await new Promise<string>((resolve) => cluster.kubeconfig.apply(resolve));
    expect(kubeconfig).toContain("certificate-authority-data");
  });

  it("lets a program read a platform stack's outputs through a StackReference", async () => {
    const { StackReference } = await import("@pulumi/pulumi");
    const stacks = { "acme/hybrid-ai-infra/dev": { outputs: { environment: "dev" }, secretOutputNames: [] } };
    const mocked = await setRealisticMocks({ stack: "team", stacks });
    const platform = new StackReference("acme/hybrid-ai-infra/dev");
    const environment = await new Promise<unknown>((resolve) =>
      platform.requireOutput("environment").apply(resolve),
    );
    expect(environment).toBe("dev");
    await mocked.settle();
  });
});
