// The traffic rules in the kit: every spelling of a load balancer for non-public data that faces
// the internet (no mark, a cloud's mark as its controller does not read it, no source ranges, the
// internet written as /0, as halves or in the legacy annotation), the classification from the
// Service or its namespace in the same cluster; and a gateway's routes carrying restricted data to
// or at a site that is not private, in any casing. The library's shapes pass.
import type { PolicyResource } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import {
  trafficNoPublicEntryForPrivateData,
  trafficRestrictedStaysPrivate,
} from "../../policies/rules/traffic";
import { ruleCases } from "./cases";
import { judgeStack, resource, UNKNOWN_INPUT } from "./evaluate";
import { NAMESPACE, namespace, SERVICE } from "./k8s-fixtures";

const DC1 = "urn:pulumi:prod::p::pulumi:providers:kubernetes::dc1";
const AKS = "urn:pulumi:prod::p::pulumi:providers:kubernetes::aks";
const LABEL = "hybrid-ai-infra.io/data-classification";
const ns = (provider: string, classification?: string) =>
  resource(NAMESPACE, `${provider.split("::").pop()}-web`, namespace("web", classification), { provider });
const lb = (
  name: string,
  annotations: Record<string, string>,
  spec: Record<string, unknown> = {},
  options: {
    provider?: string;
    namespace?: PolicyResource;
    labels?: Record<string, unknown>;
    type?: string;
  } = {},
) =>
  resource(
    options.type ?? SERVICE,
    name,
    {
      metadata: { name, namespace: "web", annotations, labels: options.labels ?? {} },
      spec: { type: "LoadBalancer", loadBalancerSourceRanges: ["10.10.0.0/16"], ...spec },
    },
    {
      provider: options.provider ?? DC1,
      ...(options.namespace ? { dependencies: [options.namespace] } : {}),
    },
  );
const found = async (resources: PolicyResource[]) => {
  const v = await judgeStack(trafficNoPublicEntryForPrivateData, resources);
  return { messages: v.violations.map((x) => x.message), undecided: v.undecided };
};
const AWS_SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme";
const AWS_INTERNAL = "service.beta.kubernetes.io/aws-load-balancer-internal";
const AZURE_INTERNAL = "service.beta.kubernetes.io/azure-load-balancer-internal";

describe("traffic-no-public-entry-for-private-data", () => {
  it("passes each site's internal entry, fenced to the joined networks, and public data or ClusterIP", async () => {
    const web = ns(DC1, "internal");
    const entries = [
      lb("aws", { [AWS_SCHEME]: "internal", [AWS_INTERNAL]: "true" }, {}, { namespace: web }),
      lb("azure", { [AZURE_INTERNAL]: "true" }, {}, { namespace: web }),
      lb("aws-unfenced", { [AWS_INTERNAL]: "true" }, { loadBalancerSourceRanges: [] }, { namespace: web }),
      lb("metallb", { "metallb.io/address-pool": "hybrid-entries" }, {}, { namespace: web }),
      lb("metallb-legacy", { "metallb.universe.tf/address-pool": "hybrid-entries" }, {}, { namespace: web }),
      lb("cluster-ip", {}, { type: "ClusterIP" }, { namespace: web }),
    ];
    expect(await found([web, ...entries])).toEqual({ messages: [], undecided: undefined });
    const open = ns(DC1, "public");
    const publicEntry = lb(
      "public",
      {},
      { loadBalancerSourceRanges: [] },
      { namespace: open, labels: { [LABEL]: "public" } },
    );
    expect(await found([open, publicEntry])).toEqual({ messages: [], undecided: undefined });
  });

  const failing: [string, PolicyResource, string][] = [
    ["no internal mark", lb("x", {}), "carries no internal load balancer mark"],
    ["an internet-facing scheme", lb("x", { [AWS_SCHEME]: "internet-facing" }), "aws-load-balancer-scheme"],
    ["Azure's mark not exactly true", lb("x", { [AZURE_INTERNAL]: "True" }), 'exactly "true"'],
    [
      "a MetalLB address without source ranges",
      lb("x", { "metallb.io/address-pool": "p" }, { loadBalancerSourceRanges: [] }),
      "admits every source",
    ],
    [
      "an internal AWS address open to the internet",
      lb("x", { [AWS_INTERNAL]: "true" }, { loadBalancerSourceRanges: ["0.0.0.0/0"] }),
      "admits the internet",
    ],
    [
      "0.0.0.0/0",
      lb("x", { "metallb.io/address-pool": "p" }, { loadBalancerSourceRanges: ["0.0.0.0/0"] }),
      "admits the internet",
    ],
    [
      "the internet as two halves",
      lb("x", { "metallb.io/address-pool": "p" }, { loadBalancerSourceRanges: ["0.0.0.0/1", "128.0.0.0/1"] }),
      "admits the internet",
    ],
    [
      "::/0",
      lb("x", { "metallb.io/address-pool": "p" }, { loadBalancerSourceRanges: ["::/0"] }),
      "admits the internet",
    ],
    [
      "the internet in the legacy source-ranges annotation",
      lb(
        "x",
        {
          "metallb.io/address-pool": "p",
          "service.beta.kubernetes.io/load-balancer-source-ranges": "10.0.0.0/8, 0.0.0.0/0",
        },
        { loadBalancerSourceRanges: [] },
      ),
      "admits the internet",
    ],
    ["type in lower case", lb("x", {}, { type: "loadbalancer" }), "carries no internal load balancer mark"],
    [
      "a Service of another API spelling",
      lb("x", {}, {}, { type: "kubernetes:core/v1:ServiceList" }),
      "no internal",
    ],
  ];
  for (const [what, svc, expected] of failing)
    it(`fails ${what} for unlabelled (not public) data`, async () => {
      const input = svc.type.endsWith("List") ? Object.assign(svc, { props: { items: [svc.props] } }) : svc;
      const { messages } = await found([input]);
      expect(messages).toEqual([expect.stringContaining(expected)]);
      expect(messages[0]).toContain("holds unlabelled data");
    });

  it("reads the classification per cluster: a public namespace of the same name elsewhere does not count", async () => {
    const here = ns(DC1);
    const there = ns(AKS, "public");
    const { messages } = await found([here, there, lb("x", {}, {}, { namespace: here })]);
    expect(messages).toHaveLength(1);
    const publicHere = ns(DC1, "public");
    expect((await found([publicHere, lb("x", {}, {}, { namespace: publicHere })])).messages).toEqual([]);
  });

  it("takes the higher of the Service's label (any casing) and its namespace's", async () => {
    const web = ns(DC1, "public");
    const { messages } = await found([
      web,
      lb("x", {}, {}, { namespace: web, labels: { [LABEL]: "Confidential" } }),
    ]);
    expect(messages).toEqual([expect.stringContaining("holds confidential data")]);
  });

  it("leaves the verdict to the update when the label or the annotations are not known", async () => {
    const a = await found([lb("x", {}, {}, { labels: { [LABEL]: UNKNOWN_INPUT } })]);
    expect(a.messages).toEqual([]);
    expect(a.undecided).toContain(LABEL);
    const svc = lb("y", {});
    (svc.props as { metadata: Record<string, unknown> }).metadata.annotations = UNKNOWN_INPUT;
    const b = await found([svc]);
    expect(b.messages).toEqual([]);
    expect(b.undecided).toContain("annotations");
  });
});

const ROUTES = "traffic.hybrid-ai-infra.io/routes";
const gateway = (routes: unknown) => ({
  metadata: {
    name: "gateway",
    namespace: "hybrid-traffic",
    annotations: { [ROUTES]: JSON.stringify(routes) },
  },
  data: {},
});
const route = (classification: string, ...sites: [string, string][]) => ({
  service: "clinical-api",
  classification,
  sites: sites.map(([site, trust]) => ({ site, trust })),
});

ruleCases(trafficRestrictedStaysPrivate, [
  {
    name: "restricted routed between private sites, internal data to a public one",
    type: "kubernetes:core/v1:ConfigMap",
    props: gateway({
      site: "dc1",
      trust: "private",
      routes: [route("restricted", ["dc2", "private"]), route("internal", ["aks", "public"])],
    }),
  },
  {
    name: "a ConfigMap without routes",
    type: "kubernetes:core/v1:ConfigMap",
    props: { metadata: { name: "x" } },
  },
  {
    name: "restricted forwarded to a public site",
    type: "kubernetes:core/v1:ConfigMap",
    props: gateway({ site: "dc1", trust: "private", routes: [route("restricted", ["aks", "public"])] }),
    fails: ["forwards restricted clinical-api to aks"],
    explicit: true,
  },
  {
    name: "restricted in capitals, the trust in capitals",
    type: "kubernetes:apps/v1:Deployment",
    props: gateway({ site: "dc1", trust: "Private", routes: [route("Restricted", ["aks", "Public"])] }),
    fails: ["forwards restricted clinical-api to aks"],
    explicit: true,
  },
  {
    name: "a site of no stated trust",
    type: "kubernetes:core/v1:ConfigMap",
    props: gateway({ site: "dc1", trust: "private", routes: [route("restricted", ["edge", ""])] }),
    fails: ["forwards restricted clinical-api to edge"],
    explicit: true,
  },
  {
    name: "restricted answered at a public site",
    type: "kubernetes:apps/v1:Deployment",
    props: gateway({ site: "aks", trust: "public", routes: [route("restricted", ["dc1", "private"])] }),
    fails: ["the gateway at aks, a public site, answers for restricted clinical-api"],
    explicit: true,
  },
  {
    name: "routes that are not JSON",
    type: "kubernetes:core/v1:ConfigMap",
    props: { metadata: { name: "gateway", annotations: { [ROUTES]: "{not json" } } },
    fails: ["is not JSON"],
    explicit: true,
  },
]);
