// Kubernetes network isolation across a stack: policies per namespace per cluster (the provider, or
// the Namespace an object depends on, never the name alone), the default-deny restricted data needs
// (restricted by the Namespace's label, a workload's label or its placement annotation, a workload
// inside a list), and egress to the internet in every spelling: 0.0.0.0/0 and ::/0, host bits,
// IPv4-mapped IPv6, /1 splits across policies, except lists that leave most of it, rules without
// `to`, Cilium's world entity, "*" FQDNs and CIDR sets.
import type { PolicyResource } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import {
  k8sIngressNoSnippets,
  k8sNamespaceNetworkPolicies,
  k8sNoPublicLoadBalancer,
  k8sRestrictedDefaultDeny,
  k8sRestrictedNoInternetEgress,
} from "../../policies/rules/kubernetes-network";
import { ruleCases } from "./cases";
import { judge, judgeStack, resource, stackViolations, UNKNOWN_INPUT } from "./evaluate";
import {
  DEPLOYMENT,
  defaultDeny,
  deployment,
  egressPolicy,
  NAMESPACE,
  NETWORK_POLICY,
  namespace,
  SERVICE,
} from "./k8s-fixtures";

const CILIUM = "kubernetes:cilium.io/v2:CiliumNetworkPolicy";
const DC1 = "urn:pulumi:prod::p::pulumi:providers:kubernetes::dc1";
const AKS = "urn:pulumi:prod::p::pulumi:providers:kubernetes::aks";

/** One cluster's objects: each namespaced object depends on its Namespace, as the library's do. */
function cluster(provider: string, linkNamespaces = true) {
  const namespaces = new Map<string, PolicyResource>();
  const at = provider.split("::").pop();
  return {
    ns(name: string, classification?: string): PolicyResource {
      const r = resource(NAMESPACE, `${at}-ns-${name}`, namespace(name, classification), { provider });
      namespaces.set(name, r);
      return r;
    },
    obj(type: string, name: string, props: Record<string, unknown>): PolicyResource {
      const ns = (props.metadata as { namespace?: string } | undefined)?.namespace ?? "";
      const owner = namespaces.get(ns);
      return resource(type, `${at}-${name}`, props, {
        provider,
        dependencies: linkNamespaces && owner ? [owner] : [],
      });
    },
  };
}

/** The library's clinical-ai namespace on dc1: restricted, default-deny, DNS and one private peer. */
function clinical(provider = DC1, linkNamespaces = true) {
  const c = cluster(provider, linkNamespaces);
  return [
    c.ns("clinical-ai", "restricted"),
    c.obj(NETWORK_POLICY, "deny", defaultDeny("clinical-ai")),
    c.obj(NETWORK_POLICY, "dns", {
      metadata: { name: "allow-dns", namespace: "clinical-ai" },
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            ports: [{ port: 53, protocol: "UDP" }],
            to: [
              {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
              },
            ],
          },
        ],
      },
    }),
    c.obj(
      NETWORK_POLICY,
      "peer",
      egressPolicy("clinical-ai", "allow-patient-finetune", [{ ipBlock: { cidr: "10.10.40.0/24" } }]),
    ),
    c.obj(DEPLOYMENT, "finetune", deployment()),
  ];
}

describe("k8s-namespace-network-policies", () => {
  it("passes the library's namespaces", async () => {
    expect(await stackViolations(k8sNamespaceNetworkPolicies, clinical())).toEqual([]);
    expect(await stackViolations(k8sNamespaceNetworkPolicies, clinical(DC1, false))).toEqual([]);
  });

  it("flags a namespace without policies", async () => {
    const c = cluster(DC1);
    const found = await stackViolations(k8sNamespaceNetworkPolicies, [c.ns("web")]);
    expect(found).toEqual([
      {
        message: expect.stringContaining("namespace web has no NetworkPolicy"),
        urn: expect.stringContaining("dc1-ns-web"),
      },
    ]);
  });

  it("counts a Cilium policy", async () => {
    const c = cluster(DC1);
    const stack = [
      c.ns("web"),
      c.obj(CILIUM, "cnp", { metadata: { name: "x", namespace: "web" }, spec: { endpointSelector: {} } }),
    ];
    expect(await stackViolations(k8sNamespaceNetworkPolicies, stack)).toEqual([]);
  });

  for (const linked of [true, false])
    it(`does not let one cluster's policy cover another cluster's namespace of the same name (${linked ? "by dependency" : "by provider"})`, async () => {
      const a = cluster(DC1, linked);
      const b = cluster(AKS, linked);
      const stack = [a.ns("web"), a.obj(NETWORK_POLICY, "deny", defaultDeny("web")), b.ns("web")];
      const found = await stackViolations(k8sNamespaceNetworkPolicies, stack);
      expect(found).toEqual([
        { message: expect.stringContaining("namespace web"), urn: expect.stringContaining("aks-ns-web") },
      ]);
    });
});

describe("k8s-restricted-default-deny", () => {
  it("passes the library's restricted namespace, on both clusters", async () => {
    expect(await stackViolations(k8sRestrictedDefaultDeny, [...clinical(DC1), ...clinical(AKS)])).toEqual([]);
  });

  const without = (drop: string, ...extra: PolicyResource[]) => [
    ...clinical().filter((r) => !r.name.endsWith(drop)),
    ...extra,
  ];

  it("flags a restricted namespace without one", async () => {
    const found = await stackViolations(k8sRestrictedDefaultDeny, without("-deny"));
    expect(found).toEqual([
      {
        message: expect.stringContaining("namespace clinical-ai"),
        urn: expect.stringContaining("dc1-ns-clinical-ai"),
      },
    ]);
  });

  const c = cluster(DC1);
  const notQuite: [string, Record<string, unknown>][] = [
    [
      "a deny that allows some egress",
      {
        ...defaultDeny("clinical-ai"),
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], egress: [{}] },
      },
    ],
    [
      "a deny of ingress only",
      { ...defaultDeny("clinical-ai"), spec: { podSelector: {}, policyTypes: ["Ingress"] } },
    ],
    [
      "a deny for some pods",
      {
        ...defaultDeny("clinical-ai"),
        spec: { podSelector: { matchLabels: { a: "b" } }, policyTypes: ["Ingress", "Egress"] },
      },
    ],
    [
      "a deny without a podSelector",
      { ...defaultDeny("clinical-ai"), spec: { policyTypes: ["Ingress", "Egress"] } },
    ],
  ];
  for (const [name, props] of notQuite)
    it(`flags ${name}`, async () => {
      const stack = [c.ns("clinical-ai", "restricted"), c.obj(NETWORK_POLICY, "almost", props)];
      expect(await stackViolations(k8sRestrictedDefaultDeny, stack)).toHaveLength(1);
    });

  it("accepts the policy types in any case", async () => {
    const stack = [
      c.ns("clinical-ai", "restricted"),
      c.obj(NETWORK_POLICY, "deny", {
        ...defaultDeny("clinical-ai"),
        spec: { podSelector: {}, policyTypes: ["ingress", "EGRESS"] },
      }),
    ];
    expect(await stackViolations(k8sRestrictedDefaultDeny, stack)).toEqual([]);
  });

  it("holds a namespace to the highest classification of the workloads in it", async () => {
    const u = cluster(DC1);
    const byLabel = deployment({}, { annotations: {} }, { annotations: {} });
    const byAnnotation = deployment(
      {},
      { labels: { "hybrid-ai-infra.io/data-classification": "internal" } },
      { labels: {}, annotations: { "placement.hybrid-ai-infra.io/classification": "restricted" } },
    );
    for (const workload of [byLabel, byAnnotation]) {
      const stack = [u.ns("clinical-ai", "internal"), u.obj(DEPLOYMENT, "w", workload)];
      expect(await stackViolations(k8sRestrictedDefaultDeny, stack)).toHaveLength(1);
    }
  });

  it("reads workloads inside a list", async () => {
    const u = cluster(DC1);
    const stack = [
      u.ns("clinical-ai"),
      u.obj("kubernetes:apps/v1:DeploymentList", "list", { items: [deployment()] }),
    ];
    expect(await stackViolations(k8sRestrictedDefaultDeny, stack)).toHaveLength(1);
  });

  it("flags a restricted workload in a namespace the program does not declare", async () => {
    const u = cluster(DC1);
    const found = await stackViolations(k8sRestrictedDefaultDeny, [u.obj(DEPLOYMENT, "w", deployment())]);
    expect(found).toEqual([
      {
        message: expect.stringContaining(
          "namespace clinical-ai (urn:pulumi:prod::p::pulumi:providers:kubernetes::dc1)",
        ),
        urn: expect.stringContaining("dc1-w"),
      },
    ]);
  });

  for (const linked of [true, false])
    it(`does not let a deny in one cluster cover the same namespace in another (${linked ? "by dependency" : "by provider"})`, async () => {
      const a = clinical(DC1, linked);
      const b = clinical(AKS, linked).filter((r) => !r.name.endsWith("-deny"));
      const found = await stackViolations(k8sRestrictedDefaultDeny, [...a, ...b]);
      expect(found).toEqual([
        {
          message: expect.stringContaining("clinical-ai"),
          urn: expect.stringContaining("aks-ns-clinical-ai"),
        },
      ]);
    });
});

describe("namespaces by identity, under patches and preview unknowns", () => {
  const NS_PATCH = "kubernetes:core/v1:NamespacePatch";
  const ns = (name: string, props: Record<string, unknown>, extra = {}) =>
    resource(NAMESPACE, `ns-${name}`, props, { provider: DC1, ...extra });

  it("reads a patch's restricted label as the namespace's, and does not count the patch as another namespace", async () => {
    const web = ns("web", namespace("web"));
    const patch = resource(NS_PATCH, "web-label", namespace("web", "restricted"), { provider: DC1 });
    const open = resource(
      NETWORK_POLICY,
      "allow",
      egressPolicy("web", "allow", [{ ipBlock: { cidr: "10.0.0.0/8" } }]),
      {
        provider: DC1,
        dependencies: [web],
      },
    );
    expect(await stackViolations(k8sNamespaceNetworkPolicies, [web, patch, open])).toEqual([]);
    const found = await stackViolations(k8sRestrictedDefaultDeny, [web, patch, open]);
    expect(found).toEqual([{ message: expect.stringContaining("namespace web"), urn: web.urn }]);
    const deny = resource(NETWORK_POLICY, "deny", defaultDeny("web"), { provider: DC1 });
    expect(await stackViolations(k8sRestrictedDefaultDeny, [web, patch, open, deny])).toEqual([]);
  });

  it("does not ask for a NetworkPolicy in a namespace the program only patches", async () => {
    const patch = resource(NS_PATCH, "kube-system-label", namespace("kube-system"), { provider: DC1 });
    expect(await stackViolations(k8sNamespaceNetworkPolicies, [patch])).toEqual([]);
  });

  it("places a policy whose namespace is not known yet in the Namespace its metadata was computed from", async () => {
    const pending = ns("clinical-ai", {
      metadata: { name: UNKNOWN_INPUT, labels: { "hybrid-ai-infra.io/data-classification": "restricted" } },
    });
    const other = ns("web", namespace("web"));
    const deny = resource(
      NETWORK_POLICY,
      "deny",
      { ...defaultDeny("x"), metadata: { name: "deny", namespace: UNKNOWN_INPUT } },
      { provider: DC1, dependencies: [pending, other], propertyDependencies: { metadata: [pending] } },
    );
    const webPolicy = resource(NETWORK_POLICY, "web", defaultDeny("web"), {
      provider: DC1,
      dependencies: [other],
    });
    const verdict = await judgeStack(k8sRestrictedDefaultDeny, [pending, other, deny, webPolicy]);
    expect(verdict).toEqual({ violations: [], undecided: undefined });
    expect(
      (await judgeStack(k8sNamespaceNetworkPolicies, [pending, other, deny, webPolicy])).violations,
    ).toEqual([]);
  });

  it("leaves a namespace to the update while a policy that may be in it is not known, and reports it once known", async () => {
    const clinicalNs = ns("clinical-ai", namespace("clinical-ai", "restricted"));
    const floating = resource(
      NETWORK_POLICY,
      "deny",
      { ...defaultDeny("x"), metadata: { name: "deny", namespace: UNKNOWN_INPUT } },
      { provider: DC1 },
    );
    const verdict = await judgeStack(k8sRestrictedDefaultDeny, [clinicalNs, floating]);
    expect(verdict.violations).toEqual([]);
    expect(verdict.undecided).toContain("clinical-ai");
    const elsewhere = resource(NETWORK_POLICY, "deny", defaultDeny("web"), { provider: DC1 });
    expect(await stackViolations(k8sRestrictedDefaultDeny, [clinicalNs, elsewhere])).toHaveLength(1);
  });

  it("joins a known namespace name to its Namespace, not to another Namespace it depends on for a selector", async () => {
    const clinicalNs = ns("clinical-ai", namespace("clinical-ai", "restricted"));
    const pendingPeer = ns("peer", { metadata: { name: UNKNOWN_INPUT } });
    const deny = resource(NETWORK_POLICY, "deny", defaultDeny("clinical-ai"), {
      provider: DC1,
      dependencies: [pendingPeer],
      propertyDependencies: { spec: [pendingPeer] },
    });
    expect(await stackViolations(k8sRestrictedDefaultDeny, [clinicalNs, pendingPeer, deny])).toEqual([]);
  });
});

describe("k8s-restricted-no-internet-egress", () => {
  const c = cluster(DC1);
  const base = () => clinical();
  const egress = (...to: unknown[]) =>
    c.obj(NETWORK_POLICY, `egress-${to.length}`, egressPolicy("clinical-ai", "out", to));
  const ip = (cidr: string, except?: string[]) => ({ ipBlock: { cidr, ...(except ? { except } : {}) } });

  it("passes the library's restricted namespace and a few cloud ranges", async () => {
    expect(await stackViolations(k8sRestrictedNoInternetEgress, base())).toEqual([]);
    const s3 = egress(ip("3.5.64.0/21"), ip("52.218.0.0/17"), ip("2600:1f00::/40"));
    expect(await stackViolations(k8sRestrictedNoInternetEgress, [...base(), s3])).toEqual([]);
  });

  it("leaves namespaces without restricted data alone", async () => {
    const u = cluster(DC1);
    const stack = [
      u.ns("web", "internal"),
      u.obj(NETWORK_POLICY, "open", egressPolicy("web", "out", [ip("0.0.0.0/0")])),
    ];
    expect(await stackViolations(k8sRestrictedNoInternetEgress, stack)).toEqual([]);
  });

  const internet: [string, unknown[]][] = [
    ["0.0.0.0/0", [ip("0.0.0.0/0")]],
    ["::/0", [ip("::/0")]],
    ["a /0 with host bits", [ip("10.1.2.3/0")]],
    ["IPv4-mapped IPv6", [ip("::ffff:0:0/96")]],
    ["two /1 halves", [ip("0.0.0.0/1"), ip("128.0.0.0/1")]],
    [
      "0.0.0.0/0 except the private ranges",
      [ip("0.0.0.0/0", ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])],
    ],
    ["0.0.0.0/0 except one half", [ip("0.0.0.0/0", ["0.0.0.0/1"])]],
    ["a /4 of public space", [ip("32.0.0.0/4")]],
    ["a /16 of IPv6", [ip("2001::/16")]],
  ];
  for (const [name, to] of internet)
    it(`flags ${name}`, async () => {
      const found = await stackViolations(k8sRestrictedNoInternetEgress, [...base(), egress(...to)]);
      expect(found, JSON.stringify(found)).toHaveLength(1);
      expect(found[0]?.message).toMatch(/internet/);
    });

  it("flags halves split across two policies", async () => {
    const a = c.obj(NETWORK_POLICY, "a", egressPolicy("clinical-ai", "a", [ip("0.0.0.0/1")]));
    const b = c.obj(NETWORK_POLICY, "b", egressPolicy("clinical-ai", "b", [ip("128.0.0.0/1")]));
    const found = await stackViolations(k8sRestrictedNoInternetEgress, [...base(), a, b]);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain("a egress[0] 0.0.0.0/1 + b egress[0] 128.0.0.0/1");
  });

  it("flags many small public blocks that add up to more than one party's share", async () => {
    const blocks = Array.from({ length: 3 }, (_, i) => ip(`${40 + i}.0.0.0/8`));
    expect(await stackViolations(k8sRestrictedNoInternetEgress, [...base(), egress(...blocks)])).toHaveLength(
      1,
    );
  });

  it("flags an egress rule without destinations", async () => {
    const open = c.obj(NETWORK_POLICY, "open", egressPolicy("clinical-ai", "open", [], {}));
    (open.props as { spec: { egress: Record<string, unknown>[] } }).spec.egress = [
      { ports: [{ port: 443 }] },
    ];
    const found = await stackViolations(k8sRestrictedNoInternetEgress, [...base(), open]);
    expect(found).toEqual([{ message: expect.stringContaining("has no `to`"), urn: open.urn }]);
  });

  it("ignores a policy that restricts ingress only", async () => {
    const ingress = c.obj(NETWORK_POLICY, "in", {
      metadata: { name: "in", namespace: "clinical-ai" },
      spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [ip("0.0.0.0/0")] }] },
    });
    expect(await stackViolations(k8sRestrictedNoInternetEgress, [...base(), ingress])).toEqual([]);
  });

  const cilium: [string, Record<string, unknown>][] = [
    ["toEntities world", { egress: [{ toEntities: ["world"] }] }],
    ["toEntities all in capitals", { egress: [{ toEntities: ["ALL"] }] }],
    ['toFQDNs "*"', { egress: [{ toFQDNs: [{ matchPattern: "*" }] }] }],
    ["toCIDR 0.0.0.0/0", { egress: [{ toCIDR: ["0.0.0.0/0"] }] }],
    ["toCIDRSet ::/0", { egress: [{ toCIDRSet: [{ cidr: "::/0", except: ["fd00::/8"] }] }] }],
  ];
  for (const [name, spec] of cilium)
    it(`flags a CiliumNetworkPolicy with ${name}`, async () => {
      const cnp = c.obj(CILIUM, "cnp", {
        metadata: { name: "cnp", namespace: "clinical-ai" },
        spec: { endpointSelector: {}, ...spec },
      });
      expect(await stackViolations(k8sRestrictedNoInternetEgress, [...base(), cnp])).toHaveLength(1);
    });

  it("flags Cilium's specs list", async () => {
    const cnp = c.obj(CILIUM, "cnp", {
      metadata: { name: "cnp", namespace: "clinical-ai" },
      specs: [{ endpointSelector: {} }, { endpointSelector: {}, egress: [{ toEntities: ["world"] }] }],
    });
    const found = await stackViolations(k8sRestrictedNoInternetEgress, [...base(), cnp]);
    expect(found[0]?.message).toContain("specs[1].egress[0]");
  });

  it("does not join one cluster's open policy to another cluster's restricted namespace", async () => {
    const aks = cluster(AKS);
    const stack = [
      ...base(),
      aks.ns("clinical-ai", "internal"),
      aks.obj(NETWORK_POLICY, "open", egressPolicy("clinical-ai", "open", [ip("0.0.0.0/0")])),
    ];
    expect(await stackViolations(k8sRestrictedNoInternetEgress, stack)).toEqual([]);
  });

  it("leaves an unknown block to the update and still reports a known one", async () => {
    const unknown = egress(ip(UNKNOWN_INPUT));
    const verdict = await judgeStack(k8sRestrictedNoInternetEgress, [...base(), unknown]);
    expect(verdict.violations).toEqual([]);
    expect(verdict.undecided).toBeDefined();
    const both = await judgeStack(k8sRestrictedNoInternetEgress, [
      ...base(),
      unknown,
      c.obj(NETWORK_POLICY, "w", egressPolicy("clinical-ai", "w", [ip("0.0.0.0/0")])),
    ]);
    expect(both.violations).toHaveLength(1);
    expect(both.undecided).toBeDefined();
  });
});

const svc = (type: string, annotations: Record<string, string> = {}) => ({
  metadata: { name: "api", namespace: "web", annotations },
  spec: { type, ports: [{ port: 443 }] },
});
const AZURE_INTERNAL = "service.beta.kubernetes.io/azure-load-balancer-internal";
const AWS_INTERNAL = "service.beta.kubernetes.io/aws-load-balancer-internal";
const AWS_SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme";
ruleCases(k8sNoPublicLoadBalancer, [
  { name: "a ClusterIP Service", type: SERVICE, props: svc("ClusterIP") },
  {
    name: "a ClusterIP Service with an empty externalIPs",
    type: SERVICE,
    props: { ...svc("ClusterIP"), spec: { type: "ClusterIP", externalIPs: [] } },
  },
  {
    name: "externalIPs on a ClusterIP Service (CVE-2020-8554)",
    type: SERVICE,
    props: {
      ...svc("ClusterIP"),
      spec: { type: "ClusterIP", externalIPs: ["203.0.113.10"], ports: [{ port: 443 }] },
    },
    fails: ['spec.externalIPs lists "203.0.113.10"'],
    explicit: true,
  },
  {
    name: "externalIPs on a Service with no type",
    type: SERVICE,
    props: {
      metadata: { name: "api", namespace: "web" },
      spec: { externalIPs: ["10.0.0.5", "8.8.8.8"], ports: [{ port: 53 }] },
    },
    fails: ["CVE-2020-8554"],
    explicit: true,
  },
  {
    name: "a MetalLB address on-premises admitting the joined networks only",
    type: SERVICE,
    props: {
      ...svc("LoadBalancer", { "metallb.io/address-pool": "hybrid-entries" }),
      spec: {
        type: "LoadBalancer",
        loadBalancerSourceRanges: ["10.20.0.0/16", "10.30.0.0/16"],
        ports: [{ port: 443 }],
      },
    },
  },
  {
    name: "a MetalLB address admitting every source (a pool's addresses may be public)",
    type: SERVICE,
    props: svc("LoadBalancer", { "metallb.universe.tf/address-pool": "hybrid-entries" }),
    fails: ["admits every source"],
  },
  {
    name: "a MetalLB address admitting the internet",
    type: SERVICE,
    props: {
      ...svc("LoadBalancer", { "metallb.io/address-pool": "hybrid-entries" }),
      spec: {
        type: "LoadBalancer",
        loadBalancerSourceRanges: ["10.20.0.0/16", "0.0.0.0/0"],
        ports: [{ port: 443 }],
      },
    },
    fails: ["admits the internet"],
  },
  {
    name: "an internal AWS load balancer (both AWS controllers read it)",
    type: SERVICE,
    props: svc("LoadBalancer", { [AWS_INTERNAL]: "true" }),
  },
  {
    name: "the Load Balancer Controller's internal scheme on a Service only it serves",
    type: SERVICE,
    props: svc("LoadBalancer", {
      [AWS_SCHEME]: "internal",
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
    }),
  },
  {
    name: "the Load Balancer Controller's internal scheme on a Service of its class",
    type: SERVICE,
    props: {
      ...svc("LoadBalancer", { [AWS_SCHEME]: "internal" }),
      spec: { type: "LoadBalancer", loadBalancerClass: "service.k8s.aws/nlb", ports: [{ port: 443 }] },
    },
  },
  {
    name: "an internal AWS load balancer with the Load Balancer Controller's scheme too",
    type: SERVICE,
    props: svc("LoadBalancer", {
      [AWS_INTERNAL]: "true",
      [AWS_SCHEME]: "internal",
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
    }),
  },
  {
    name: "an internal Azure load balancer",
    type: SERVICE,
    props: svc("LoadBalancer", { [AZURE_INTERNAL]: "true" }),
  },
  {
    name: "an unrelated annotation not known yet",
    type: SERVICE,
    props: svc("LoadBalancer", { [AZURE_INTERNAL]: "true", "example.com/owner": UNKNOWN_INPUT }),
  },
  {
    name: "a public load balancer",
    type: SERVICE,
    props: svc("LoadBalancer"),
    fails: ["no internal annotation"],
    explicit: true,
  },
  {
    name: "an internet-facing scheme",
    type: SERVICE,
    props: svc("LoadBalancer", { [AWS_SCHEME]: "internet-facing" }),
    fails: ["internet-facing"],
    explicit: true,
  },
  {
    name: "internal true overridden by an internet-facing scheme (the Load Balancer Controller reads the scheme first)",
    type: SERVICE,
    props: svc("LoadBalancer", { [AWS_INTERNAL]: "true", [AWS_SCHEME]: "internet-facing" }),
    fails: ["reads first"],
    explicit: true,
  },
  {
    name: "the scheme alone (AWS's in-tree controller ignores it)",
    type: SERVICE,
    props: svc("LoadBalancer", { [AWS_SCHEME]: "internal" }),
    fails: ["in-tree controller"],
    explicit: true,
  },
  {
    name: "the scheme on a Service the in-tree controller serves (type nlb)",
    type: SERVICE,
    props: svc("LoadBalancer", {
      [AWS_SCHEME]: "internal",
      "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    }),
    fails: ["in-tree controller"],
    explicit: true,
  },
  {
    name: "the scheme in capitals (not a scheme the Load Balancer Controller knows)",
    type: SERVICE,
    props: svc("LoadBalancer", { [AWS_INTERNAL]: "true", [AWS_SCHEME]: "Internal" }),
    fails: ["reads first"],
    explicit: true,
  },
  {
    name: "AWS internal written yes (in-tree internal, not a Go bool)",
    type: SERVICE,
    props: svc("LoadBalancer", { [AWS_INTERNAL]: "yes" }),
    fails: ["does not read as true"],
    explicit: true,
  },
  {
    name: "Azure internal written True (AKS compares exactly)",
    type: SERVICE,
    props: svc("LoadBalancer", { [AZURE_INTERNAL]: "True" }),
    fails: ["exactly"],
    explicit: true,
  },
  {
    name: "Azure internal true beside an AWS annotation that is not",
    type: SERVICE,
    props: svc("LoadBalancer", { [AZURE_INTERNAL]: "true", [AWS_INTERNAL]: "false" }),
    fails: ["does not read as true"],
    explicit: true,
  },
  {
    name: "internal false",
    type: SERVICE,
    props: svc("loadbalancer", { [AZURE_INTERNAL]: "false" }),
    fails: ["LoadBalancer"],
    explicit: true,
  },
  { name: "a NodePort", type: SERVICE, props: svc("NodePort"), fails: ["NodePort"], explicit: true },
]);

describe("k8s-no-public-load-balancer under preview unknowns", () => {
  it("leaves an unknown internal annotation to the update, and still reports a NodePort", async () => {
    const lb = await judge(
      k8sNoPublicLoadBalancer,
      SERVICE,
      svc("LoadBalancer", { [AWS_INTERNAL]: "true", [AWS_SCHEME]: UNKNOWN_INPUT }),
    );
    expect(lb).toEqual({ violations: [], undecided: expect.stringContaining("metadata.annotations") });
    const all = await judge(k8sNoPublicLoadBalancer, SERVICE, {
      metadata: { name: "api", annotations: UNKNOWN_INPUT },
      spec: { type: "NodePort" },
    });
    expect(all.violations).toEqual([expect.stringContaining("NodePort")]);
  });
});

const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const ingress = (annotations: Record<string, string>) => ({
  metadata: { name: "web", namespace: "web", annotations },
  spec: { ingressClassName: "nginx", rules: [{ host: "shop.example.com" }] },
});
ruleCases(k8sIngressNoSnippets, [
  {
    name: "typed annotations",
    type: INGRESS,
    props: ingress({ "nginx.ingress.kubernetes.io/ssl-redirect": "true" }),
  },
  {
    name: "a configuration snippet",
    type: INGRESS,
    props: ingress({ "nginx.ingress.kubernetes.io/configuration-snippet": "more_set_headers 'X: y';" }),
    fails: ["configuration-snippet"],
    explicit: true,
  },
  {
    name: "a server snippet with Lua",
    type: INGRESS,
    props: ingress({ "nginx.ingress.kubernetes.io/server-snippet": "content_by_lua_block { }" }),
    fails: ["server-snippet"],
    explicit: true,
  },
  {
    name: "an auth snippet in capitals, under extensions/v1beta1",
    type: "kubernetes:extensions/v1beta1:Ingress",
    props: ingress({ "nginx.ingress.kubernetes.io/Auth-Snippet": "alias /;" }),
    fails: ["Auth-Snippet"],
    explicit: true,
  },
]);
