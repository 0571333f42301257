// Mocks for the hybrid DNS suites: the plan's realistic mocks plus what the clouds fill in for
// resolver endpoints, rules and rulesets (ids, names, the addresses endpoints get), which the plan's
// mocks do not know yet and echo as inputs. Written in their style, to move into scripts/plan/mocks.ts.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { RealisticMocks, Recorder } from "../../scripts/plan";
import { MOCK_AZURE } from "../../scripts/plan/mocks";

type State = Record<string, unknown>;
type Made = { id: string; state: State };

const REGION = "eu-west-1";
const ACCOUNT = "123456789012";

const hex = (type: string, name: string, length: number) =>
  createHash("sha256").update(`${type}::${name}`).digest("hex").slice(0, length);

/** The address the mock Azure gives an inbound endpoint: the fourth of its subnet's, as Azure reserves three. */
export const AZURE_INBOUND_IP = "10.30.5.4";

/** AWS's pick in the i-th subnet of a resolver endpoint, deterministic per endpoint and subnet. */
export function awsEndpointIp(endpoint: string, i: number): string {
  return `10.20.${i}.${(parseInt(hex("ip", endpoint, 2), 16) % 200) + 10}`;
}

function route53(args: pulumi.runtime.MockResourceArgs, inputs: State): Made | undefined {
  const h = hex(args.type, args.name, 17);
  const arn = (what: string, id: string) => `arn:aws:route53resolver:${REGION}:${ACCOUNT}:${what}/${id}`;
  switch (args.type) {
    case "aws:route53/resolverEndpoint:ResolverEndpoint": {
      const id = `rslvr-${inputs.direction === "INBOUND" ? "in" : "out"}-${h}`;
      const given = (inputs.ipAddresses ?? []) as State[];
      const ipAddresses = given.map((a, i) => ({
        ...a,
        ip: a.ip ?? awsEndpointIp(args.name, i),
        ipId: `rni-${h}${i}`,
      }));
      return { id, state: { arn: arn("resolver-endpoint", id), ipAddresses } };
    }
    case "aws:route53/resolverRule:ResolverRule": {
      const id = `rslvr-rr-${h}`;
      return { id, state: { arn: arn("resolver-rule", id), ownerId: ACCOUNT, shareStatus: "NOT_SHARED" } };
    }
    case "aws:route53/resolverRuleAssociation:ResolverRuleAssociation":
      return { id: `rslvr-rrassoc-${h}`, state: {} };
    default:
      return undefined;
  }
}

// Azure DNS Private Resolver types: their name field and where they sit under Microsoft.Network.
const DNS_RESOLVER: Record<string, { field: string; path: (inputs: State, name: string) => string }> = {
  "azure-native:dnsresolver:DnsResolver": { field: "dnsResolverName", path: (_, n) => `dnsResolvers/${n}` },
  "azure-native:dnsresolver:InboundEndpoint": {
    field: "inboundEndpointName",
    path: (i, n) => `dnsResolvers/${String(i.dnsResolverName)}/inboundEndpoints/${n}`,
  },
  "azure-native:dnsresolver:OutboundEndpoint": {
    field: "outboundEndpointName",
    path: (i, n) => `dnsResolvers/${String(i.dnsResolverName)}/outboundEndpoints/${n}`,
  },
  "azure-native:dnsresolver:DnsForwardingRuleset": {
    field: "dnsForwardingRulesetName",
    path: (_, n) => `dnsForwardingRulesets/${n}`,
  },
  "azure-native:dnsresolver:ForwardingRule": {
    field: "forwardingRuleName",
    path: (i, n) => `dnsForwardingRulesets/${String(i.dnsForwardingRulesetName)}/forwardingRules/${n}`,
  },
  "azure-native:dnsresolver:PrivateResolverVirtualNetworkLink": {
    field: "virtualNetworkLinkName",
    path: (i, n) => `dnsForwardingRulesets/${String(i.dnsForwardingRulesetName)}/virtualNetworkLinks/${n}`,
  },
};

function dnsResolver(args: pulumi.runtime.MockResourceArgs, inputs: State): Made | undefined {
  const kind = DNS_RESOLVER[args.type];
  if (!kind) return undefined;
  const given = inputs[kind.field];
  const name = typeof given === "string" ? given : `${args.name}${hex(args.type, args.name, 8)}`;
  const group = String(inputs.resourceGroupName);
  const id = `/subscriptions/${MOCK_AZURE.subscriptionId}/resourceGroups/${group}/providers/Microsoft.Network/${kind.path(inputs, name)}`;
  const state: State = { name, provisioningState: "Succeeded" };
  if (args.type === "azure-native:dnsresolver:InboundEndpoint") {
    const configs = (inputs.ipConfigurations ?? []) as State[];
    state.ipConfigurations = configs.map((c) => ({
      ...c,
      privateIpAddress: c.privateIpAddress ?? AZURE_INBOUND_IP,
    }));
  }
  return { id, state };
}

class DnsMocks extends RealisticMocks {
  override newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = (args.inputs ?? {}) as State;
    const made = route53(args, inputs) ?? dnsResolver(args, inputs);
    if (!made) return super.newResource(args);
    return { id: made.id, state: { ...inputs, ...made.state } };
  }
}

/** Points Pulumi's runtime at the DNS mocks and starts recording registrations. */
export async function startDnsMocks(): Promise<Recorder> {
  await pulumi.runtime.setMocks(
    new DnsMocks({ awsRegion: REGION, awsAccountId: ACCOUNT }),
    "hybrid-ai-infra",
    "dev",
    false,
  );
  return new Recorder();
}
