// A KMS grant to EC2 Auto Scaling's service-linked role fails (InvalidArnException) in an account
// that has never had an Auto Scaling group: the role is looked up first, and its absence stops the
// preview before the grant, with the one command that creates it (issue 19.4).
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { awsContext } from "../../components/aws/context";
import { autoScalingServiceRoleArn } from "../../components/aws/node-group";
import { startMocks } from "../helpers/mocks";

/**
 * The Output's value, or its failure (an apply that throws rejects it). The Output's other
 * promises (known, secret) reject with it: they are awaited too, so none is left unhandled.
 */
async function settled<T>(output: pulumi.Output<T>): Promise<T> {
  const inner = output as unknown as {
    promise(): Promise<T>;
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
  };
  await Promise.allSettled([inner.isKnown, inner.isSecret]);
  return inner.promise();
}

function lookup(): pulumi.Output<string> {
  const parent = new pulumi.ComponentResource(
    "test:index:Parent",
    `p-${Math.random().toString(36).slice(2)}`,
  );
  return autoScalingServiceRoleArn(parent, awsContext(parent));
}

describe("the Auto Scaling service-linked role, before a disk-key grant", () => {
  describe("in an account that has it", () => {
    beforeAll(async () => {
      await startMocks();
    });
    it("is the grant's grantee, as IAM reports it", async () => {
      expect(await settled(lookup())).toBe(
        "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
      );
    });
  });

  describe("in an account that never had an Auto Scaling group", () => {
    beforeAll(async () => {
      await startMocks({ cloud: { autoScalingServiceRole: false } });
    });
    it("fails, naming the command that creates it", async () => {
      await expect(settled(lookup())).rejects.toThrow(
        "account 123456789012 has no AWSServiceRoleForAutoScaling yet (IAM creates it with the account's first Auto Scaling group), and a node group whose volumes a customer managed key encrypts grants that role the key before any group exists; create it once per account with: aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com",
      );
    });
  });
});
