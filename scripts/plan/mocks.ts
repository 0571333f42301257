import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

/** The account and places the mock cloud pretends to be. */
export interface MockCloud {
  /** Region of the default AWS provider (stack config `aws:region`). */
  awsRegion: string;
  /** Account id every ARN carries. */
  awsAccountId: string;
}

export const DEFAULT_MOCK_CLOUD: MockCloud = { awsRegion: "eu-west-1", awsAccountId: "123456789012" };

type State = Record<string, unknown>;
interface Ctx {
  name: string;
  inputs: State;
  region: string;
  account: string;
  /** Deterministic hex digits derived from the resource's type and name. */
  hex: (length: number) => string;
}

// What AWS itself fills in on create, by resource type: realistic ids, ARNs and endpoints, so
// the plan reads like a real update and components that read these outputs get sensible values.
const AWS_OUTPUTS: Record<string, (c: Ctx) => { id: string; state?: State }> = {
  "aws:ec2/vpc:Vpc": (c) => ({
    id: `vpc-${c.hex(17)}`,
    state: { arn: arn(c, "ec2", `vpc/vpc-${c.hex(17)}`) },
  }),
  "aws:ec2/subnet:Subnet": (c) => ({ id: `subnet-${c.hex(17)}` }),
  "aws:ec2/routeTable:RouteTable": (c) => ({ id: `rtb-${c.hex(17)}` }),
  "aws:ec2/internetGateway:InternetGateway": (c) => ({ id: `igw-${c.hex(17)}` }),
  "aws:ec2/natGateway:NatGateway": (c) => ({ id: `nat-${c.hex(17)}` }),
  "aws:ec2/eip:Eip": (c) => ({
    id: `eipalloc-${c.hex(17)}`,
    state: { publicIp: `203.0.113.${parseInt(c.hex(2), 16) % 250}` },
  }),
  "aws:ec2/securityGroup:SecurityGroup": (c) => ({ id: `sg-${c.hex(17)}` }),
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": (c) => ({ id: `sg-${c.hex(17)}` }),
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (c) => ({ id: `sgr-${c.hex(17)}` }),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (c) => ({ id: `sgr-${c.hex(17)}` }),
  "aws:ec2/vpcEndpoint:VpcEndpoint": (c) => ({ id: `vpce-${c.hex(17)}` }),
  "aws:ec2/flowLog:FlowLog": (c) => ({ id: `fl-${c.hex(17)}` }),
  "aws:ec2/launchTemplate:LaunchTemplate": (c) => ({ id: `lt-${c.hex(17)}`, state: { latestVersion: 1 } }),
  "aws:ec2/placementGroup:PlacementGroup": (c) => ({ id: physicalName(c), state: { name: physicalName(c) } }),
  "aws:kms/key:Key": (c) => {
    const keyId = uuid(c);
    return { id: keyId, state: { keyId, arn: arn(c, "kms", `key/${keyId}`) } };
  },
  "aws:kms/alias:Alias": (c) => {
    const name = `${String(c.inputs.namePrefix ?? "alias/")}${c.hex(8)}`;
    return { id: name, state: { name, arn: arn(c, "kms", name) } };
  },
  "aws:cloudwatch/logGroup:LogGroup": (c) => {
    const name = physicalName(c);
    return { id: name, state: { name, arn: arn(c, "logs", `log-group:${name}`) } };
  },
  "aws:iam/role:Role": (c) => {
    const name = physicalName(c);
    return {
      id: name,
      state: {
        name,
        arn: `arn:aws:iam::${c.account}:role/${name}`,
        uniqueId: `AROA${c.hex(17).toUpperCase()}`,
      },
    };
  },
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (c) => {
    const host = String(c.inputs.url ?? "").replace(/^https:\/\//, "");
    const providerArn = `arn:aws:iam::${c.account}:oidc-provider/${host}`;
    return { id: providerArn, state: { arn: providerArn } };
  },
  "aws:eks/cluster:Cluster": (c) => {
    const name = physicalName(c);
    const endpointId = c.hex(32).toUpperCase();
    const vpcConfig = (c.inputs.vpcConfig ?? {}) as State;
    return {
      id: name,
      state: {
        name,
        arn: arn(c, "eks", `cluster/${name}`),
        endpoint: `https://${endpointId}.gr7.${c.region}.eks.amazonaws.com`,
        certificateAuthority: { data: Buffer.from(`mock CA of ${name}`).toString("base64") },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${c.region}.amazonaws.com/id/${endpointId}` }] }],
        vpcConfig: { ...vpcConfig, clusterSecurityGroupId: `sg-${c.hex(17)}`, vpcId: `vpc-${c.hex(17)}` },
        version: c.inputs.version ?? "1.34",
        platformVersion: "eks.1",
        status: "ACTIVE",
      },
    };
  },
  "aws:eks/nodeGroup:NodeGroup": (c) => {
    const nodeGroupName = String(c.inputs.nodeGroupName ?? physicalName(c));
    return {
      id: `${String(c.inputs.clusterName)}:${nodeGroupName}`,
      state: {
        nodeGroupName,
        arn: arn(c, "eks", `nodegroup/${String(c.inputs.clusterName)}/${nodeGroupName}/${uuid(c)}`),
        status: "ACTIVE",
      },
    };
  },
  "aws:eks/addon:Addon": (c) => ({
    id: `${String(c.inputs.clusterName)}:${String(c.inputs.addonName)}`,
    state: {
      arn: arn(c, "eks", `addon/${String(c.inputs.clusterName)}/${String(c.inputs.addonName)}/${uuid(c)}`),
      addonVersion: c.inputs.addonVersion ?? "v1.0.0-eksbuild.1",
    },
  }),
  "aws:s3/bucket:Bucket": (c) => {
    const bucket = String(
      c.inputs.bucket ?? `${c.inputs.bucketPrefix ?? `${c.name}-`}${c.hex(7)}`,
    ).toLowerCase();
    return {
      id: bucket,
      state: {
        bucket,
        arn: `arn:aws:s3:::${bucket}`,
        bucketDomainName: `${bucket}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${bucket}.s3.${c.region}.amazonaws.com`,
        region: c.region,
      },
    };
  },
};

// Answers to the provider functions the components call.
const AWS_CALLS: Record<string, (region: string, account: string) => State> = {
  "aws:index/getRegion:getRegion": (region) => ({
    id: region,
    name: region,
    region,
    endpoint: `ec2.${region}.amazonaws.com`,
    description: region,
  }),
  "aws:index/getCallerIdentity:getCallerIdentity": (_region, account) => ({
    id: account,
    accountId: account,
    arn: `arn:aws:iam::${account}:role/plan`,
    userId: "AROAPLAN",
  }),
  "aws:index/getPartition:getPartition": () => ({
    id: "aws",
    partition: "aws",
    dnsSuffix: "amazonaws.com",
    reverseDnsPrefix: "com.amazonaws",
  }),
};

/**
 * Pulumi mocks that answer like the clouds do: deterministic ids, ARNs and endpoints derived from
 * each resource's type and name, so two runs of the plan print the same bytes.
 */
export class RealisticMocks implements pulumi.runtime.Mocks {
  // Explicit AWS providers may target other regions; remember each one's region by id.
  private readonly providerRegions = new Map<string, string>();

  constructor(private readonly cloud: MockCloud = DEFAULT_MOCK_CLOUD) {}

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = (args.inputs ?? {}) as State;
    const region = this.regionOf(args.provider, inputs);
    const ctx: Ctx = {
      name: args.name,
      inputs,
      region,
      account: this.cloud.awsAccountId,
      hex: (length) => digest(`${args.type}::${args.name}`, length),
    };
    if (args.type.startsWith("pulumi:providers:")) {
      const id = uuid(ctx);
      if (args.type === "pulumi:providers:aws" && typeof inputs.region === "string") {
        this.providerRegions.set(id, inputs.region);
      }
      return { id, state: inputs };
    }
    const known = AWS_OUTPUTS[args.type];
    if (known) {
      const { id, state } = known(ctx);
      return { id, state: { ...inputs, ...state } };
    }
    if (!args.custom) return { id: undefined, state: inputs };
    return { id: `${args.name}-${ctx.hex(8)}`, state: inputs };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    const answer = AWS_CALLS[args.token];
    if (!answer) throw new Error(`the plan has no mock for the provider function ${args.token}`);
    return answer(this.regionOf(args.provider, {}), this.cloud.awsAccountId);
  }

  private regionOf(provider: string | undefined, inputs: State): string {
    if (typeof inputs.region === "string") return inputs.region;
    const id = provider?.split("::").pop();
    return (id ? this.providerRegions.get(id) : undefined) ?? this.cloud.awsRegion;
  }
}

function digest(text: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) {
    out += createHash("sha256").update(`${i}:${text}`).digest("hex");
  }
  return out.slice(0, length);
}

function uuid(c: Ctx): string {
  const h = c.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function arn(c: Ctx, service: string, resource: string): string {
  return `arn:aws:${service}:${c.region}:${c.account}:${resource}`;
}

// Pulumi's auto-naming: the logical name plus a random suffix, here a deterministic one.
function physicalName(c: Ctx): string {
  const given = c.inputs.name;
  return typeof given === "string" ? given : `${c.name}-${c.hex(7)}`;
}
