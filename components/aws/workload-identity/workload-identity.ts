import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, childName, commonArgsShape, input, resolveCommon } from "../../kit";
import {
  componentSubject,
  dnsLabelSchema,
  kmsKeyArnSchema,
  parseOrThrow,
  s3BucketArnSchema,
} from "../../validation";
import { awsContext } from "../context";
import { associatePodIdentity, createPodIdentityServiceRole, eksClusterArn } from "../iam";
import { checkNameLimits, type GeneratedName } from "../names";
import { datasetReadPolicy } from "./policy";

/** Arguments of `AwsWorkloadIdentity`. */
export interface AwsWorkloadIdentityArgs extends CommonArgs {
  /** The EKS cluster the workload runs on. */
  clusterName: pulumi.Input<string>;
  /** The workload's namespace. */
  namespace: string;
  /** The ServiceAccount its pods run as. */
  serviceAccount: string;
  /** The datasets it reads: bucket ARN, the bucket's KMS key ARN, and the dataset's prefix. */
  datasets: { bucketArn: pulumi.Input<string>; kmsKeyArn: pulumi.Input<string>; prefix: string }[];
}

const argsSchema = z.strictObject({
  ...commonArgsShape,
  clusterName: input(z.string().min(1)),
  namespace: dnsLabelSchema,
  serviceAccount: dnsLabelSchema,
  datasets: z
    .array(
      z.strictObject({
        bucketArn: input(s3BucketArnSchema),
        kmsKeyArn: input(kmsKeyArnSchema),
        prefix: z.string().regex(/^[A-Za-z0-9._-]+$/, "is not a prefix of letters, digits, . _ and -"),
      }),
    )
    .min(1, "grants nothing; a workload without datasets needs no identity"),
});

/** The physical names a workload identity `name` generates: its role and its inline policy. */
export function workloadIdentityNames(name: string, path: (string | number)[] = []): GeneratedName[] {
  return [
    { kind: "iamRole", logical: name, path },
    { kind: "iamRolePolicy", logical: childName(name, "datasets"), path },
  ];
}

/**
 * A workload's own AWS identity on EKS: a role only EKS Pod Identity can assume, and only for the
 * workload's ServiceAccount in its namespace on its cluster (the session tags EKS sets, required
 * by the trust policy), allowed to read its datasets and nothing else (`datasetReadPolicy`). The
 * role belongs to the platform phase; the ServiceAccount to the cluster phase.
 */
export class AwsWorkloadIdentity extends pulumi.ComponentResource {
  /** The role's ARN. */
  public readonly roleArn: pulumi.Output<string>;
  /** The policy document granted, as JSON. */
  public readonly policy: pulumi.Output<string>;

  constructor(name: string, args: AwsWorkloadIdentityArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(
      componentSubject("AwsWorkloadIdentity", name),
      argsSchema.superRefine((_, ctx) => checkNameLimits(workloadIdentityNames(name), ctx)),
      args,
    );
    super("hybrid-ai-infra:index:AwsWorkloadIdentity", name, {}, opts);
    const common = resolveCommon(parsed);
    const role = createPodIdentityServiceRole(name, this, {
      description: `Workload ${parsed.namespace}/${parsed.serviceAccount}: reads its datasets (EKS Pod Identity)`,
      subject: {
        clusterArn: eksClusterArn(awsContext(this), parsed.clusterName),
        namespace: parsed.namespace,
        serviceAccount: parsed.serviceAccount,
      },
      tags: common.tags,
    });
    const document = pulumi
      .all(parsed.datasets.map((d) => pulumi.all([d.bucketArn, d.kmsKeyArn, d.prefix])))
      .apply((grants) =>
        JSON.stringify(
          datasetReadPolicy(
            grants.map(([bucketArn, kmsKeyArn, prefix]) => ({ bucketArn, kmsKeyArn, prefix })),
          ),
        ),
      );
    const policy = new iam.RolePolicy(
      childName(name, "datasets"),
      { role: role.id, policy: document },
      { parent: this },
    );
    associatePodIdentity(
      name,
      this,
      {
        clusterName: parsed.clusterName,
        namespace: parsed.namespace,
        serviceAccount: parsed.serviceAccount,
        roleArn: role.arn,
        tags: common.tags,
      },
      policy,
    );
    this.roleArn = role.arn;
    this.policy = document;
    this.registerOutputs({ roleArn: this.roleArn, policy: this.policy });
  }
}
