// Kubernetes network isolation: every namespace has network policies; a namespace holding
// restricted data (by its own label, or because a restricted workload runs in it) has a
// default-deny for ingress and egress and lets nothing out to the internet, however the
// internet is written (0.0.0.0/0, a /0 with host bits, ::/0, ::ffff:0:0/96, a /1 split, many
// small blocks, a block whose except list is empty, Cilium's world entity). Namespaces are
// matched per cluster (the provider that manages each object), never by name alone.
import {
  type Block,
  clusterOf,
  containsUnknown,
  entries,
  family,
  get,
  internetFamilies,
  isAbsent,
  isUnknown,
  k8s,
  list,
  namespaceAnchors,
  namespaceClassifications,
  namespaceIdentity,
  namespaceName,
  namespacesOf,
  oneOf,
  parseBlock,
  podOf,
  type Range,
  rangesAreInternet,
  resourceRule,
  type StackContext,
  type StackResource,
  show,
  stackRule,
  stringMap,
  strings,
  subtract,
  UNKNOWN,
  UNKNOWN_NAMESPACE,
  workloadClassification,
} from "../kit";

const NAMESPACE = k8s("core", "Namespace");
const NETWORK_POLICY = k8s("networking.k8s.io", "NetworkPolicy");
const CILIUM_POLICY = k8s("cilium.io", "CiliumNetworkPolicy");
const SERVICE = k8s("core", "Service");
const INGRESS = k8s("networking.k8s.io", "Ingress");

/** The namespaces (by identity) that hold restricted data: by the Namespace's label or a workload in it. */
function restrictedNamespaces(
  ctx: StackContext,
  namespaces: readonly StackResource[],
): Map<string, StackResource> {
  // (A restricted workload whose namespace is not known yet is left to the update.)
  const out = new Map<string, StackResource>();
  const levels = namespaceClassifications(ctx.resources);
  for (const [id, ns] of namespaceAnchors(namespaces)) if (levels.get(id) === "restricted") out.set(id, ns);
  for (const r of ctx.resources) {
    const pod = podOf(r.type, r.props);
    if (!pod || workloadClassification(r.props, pod) !== "restricted") continue;
    const id = namespaceIdentity(r, namespaces);
    if (id === UNKNOWN_NAMESPACE) {
      ctx.known(UNKNOWN, `${r.name}.metadata.namespace`);
      continue;
    }
    if (!out.has(id)) out.set(id, namespaces.find((n) => n.urn === id) ?? r);
  }
  return out;
}

/**
 * Whether a policy of `kinds` not fully known yet may turn out to be in namespace `id` of
 * `anchor`'s cluster (its namespace or its spec unknown): then a verdict on the namespace waits.
 */
function pendingPolicy(
  ctx: StackContext,
  namespaces: readonly StackResource[],
  id: string,
  anchor: StackResource,
  kinds: string[],
): boolean {
  return ctx.ofType(...kinds).some((p) => {
    if (!containsUnknown([p.props.metadata, p.props.spec])) return false;
    const pid = namespaceIdentity(p, namespaces);
    return pid === id || (pid === UNKNOWN_NAMESPACE && clusterOf(p) === clusterOf(anchor));
  });
}

/** Whether a NetworkPolicy selects every pod of its namespace and denies both directions outright. */
function isDefaultDeny(props: Record<string, unknown>): boolean {
  const selector = get(props, "spec.podSelector");
  const selectsAll =
    selector !== undefined &&
    list(get(selector, "matchExpressions")).length === 0 &&
    Object.keys(stringMap(get(selector, "matchLabels"))).length === 0;
  const types = strings(get(props, "spec.policyTypes"));
  return (
    selectsAll &&
    types.some((t) => oneOf(t, "Ingress")) &&
    types.some((t) => oneOf(t, "Egress")) &&
    list(get(props, "spec.ingress")).length === 0 &&
    list(get(props, "spec.egress")).length === 0
  );
}

export const k8sNamespaceNetworkPolicies = stackRule({
  name: "k8s-namespace-network-policies",
  description:
    "Every namespace the program declares has at least one NetworkPolicy in it, in the same cluster; without one every pod accepts and sends any traffic.",
  remediation:
    "Declare a default-deny NetworkPolicy and the allow rules each workload needs (PlacedWorkloads does).",
  benchmarks: [
    "cis-k8s:5.3.2",
    "cis-eks:4.3.2",
    "cis-aks:4.4.2",
    "kics:0401f71b-9c1e-4821-ab15-a955caa621be",
  ],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    const namespaces = namespacesOf(ctx.resources);
    const policies = new Set(
      ctx.ofType(NETWORK_POLICY, CILIUM_POLICY).map((p) => namespaceIdentity(p, namespaces)),
    );
    for (const [id, ns] of namespaceAnchors(namespaces)) {
      // A patch of a namespace the program does not declare (kube-system's labels) is not one of its namespaces.
      if (ns.patch || policies.has(id)) continue;
      if (pendingPolicy(ctx, namespaces, id, ns, [NETWORK_POLICY, CILIUM_POLICY])) {
        ctx.known(UNKNOWN, `network policies of ${ns.name}`);
        continue;
      }
      const name = get(ns.props, "metadata.name");
      if (!ctx.known(name, `${ns.name}.metadata.name`) || typeof name !== "string") continue;
      ctx.report(
        `namespace ${name} has no NetworkPolicy in its cluster; declare a default-deny and the allow rules needed`,
        ns.urn,
      );
    }
  },
});

export const k8sRestrictedDefaultDeny = stackRule({
  name: "k8s-restricted-default-deny",
  description:
    "Every namespace holding restricted data (labelled restricted, or running a workload classified restricted by label or placement annotation) has, in the same cluster, a default-deny NetworkPolicy: an empty podSelector, policyTypes Ingress and Egress, and no rules. Allow rules then open only what is needed.",
  remediation:
    'Declare { podSelector: {}, policyTypes: ["Ingress", "Egress"] } in the namespace (PlacedWorkloads does).',
  benchmarks: ["hybrid-ai-infra:restricted-egress", "cis-k8s:5.3.2", "mcsb:NS-3"],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    const namespaces = namespacesOf(ctx.resources);
    const denies = new Set(
      ctx
        .ofType(NETWORK_POLICY)
        .filter((p) => ctx.known(p.props.spec, `${p.name}.spec`) && isDefaultDeny(p.props))
        .map((p) => namespaceIdentity(p, namespaces)),
    );
    for (const [id, anchor] of restrictedNamespaces(ctx, namespaces)) {
      if (denies.has(id)) continue;
      if (pendingPolicy(ctx, namespaces, id, anchor, [NETWORK_POLICY])) {
        ctx.known(UNKNOWN, `default-deny of ${anchor.name}`);
        continue;
      }
      const name =
        anchor.type === NAMESPACE ? String(get(anchor.props, "metadata.name")) : namespaceName(anchor);
      ctx.report(
        `namespace ${name} (${clusterOf(anchor)}) holds restricted data but has no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules) in it`,
        anchor.urn,
      );
    }
  },
});

/** The address ranges one egress peer admits (cidr minus except), or "unknown". */
function peerRanges(cidr: unknown, except: unknown): Range[] | "unknown" | undefined {
  if (isUnknown(cidr) || isUnknown(except)) return "unknown";
  if (typeof cidr !== "string") return undefined;
  const block = parseBlock(cidr);
  if (!block) return undefined;
  const excepts = strings(except).flatMap((e) => parseBlock(e) ?? []);
  return subtract(block, excepts);
}

/** What one policy lets out of its namespace: ranges, and whether some rule lets out everything. */
function egressOf(policy: StackResource): {
  everything: string[];
  ranges: { range: Range; from: string }[];
  unknown: boolean;
} {
  const everything: string[] = [];
  const ranges: { range: Range; from: string }[] = [];
  let unknown = false;
  const name = String(get(policy.props, "metadata.name") ?? policy.name);
  if (policy.type === NETWORK_POLICY) {
    const types = strings(get(policy.props, "spec.policyTypes"));
    const egress = get(policy.props, "spec.egress");
    if (isUnknown(egress)) return { everything, ranges, unknown: true };
    // A policy without Egress in policyTypes and no egress rules restricts nothing outbound.
    if (types.length > 0 && !types.some((t) => oneOf(t, "Egress")) && list(egress).length === 0)
      return { everything, ranges, unknown };
    list(egress).forEach((rule, i) => {
      const to = get(rule, "to");
      if (isUnknown(to)) {
        unknown = true;
        return;
      }
      if (list(to).length === 0)
        everything.push(`${name} egress[${i}] has no \`to\`: every destination, the internet included`);
      for (const peer of list(to)) {
        if (isAbsent(get(peer, "ipBlock"))) continue;
        const r = peerRanges(get(peer, "ipBlock.cidr"), get(peer, "ipBlock.except"));
        if (r === "unknown") unknown = true;
        else
          for (const range of r ?? [])
            ranges.push({ range, from: `${name} egress[${i}] ${String(get(peer, "ipBlock.cidr"))}` });
      }
    });
    return { everything, ranges, unknown };
  }
  // CiliumNetworkPolicy: spec or specs[], egress[].toEntities / toCIDR / toCIDRSet / toFQDNs.
  for (const [s, spec] of [get(policy.props, "spec"), ...list(get(policy.props, "specs"))].entries()) {
    if (isUnknown(spec)) {
      unknown = true;
      continue;
    }
    list(get(spec, "egress")).forEach((rule, i) => {
      const at = `${name} spec${s ? `s[${s - 1}]` : ""}.egress[${i}]`;
      const entities = strings(get(rule, "toEntities")).filter((e) =>
        oneOf(e, "world", "all", "world-ipv4", "world-ipv6"),
      );
      if (entities.length > 0)
        everything.push(`${at} allows toEntities ${entities.join(", ")}, the internet`);
      if (list(get(rule, "toFQDNs")).some((f) => get(f, "matchPattern") === "*"))
        everything.push(`${at} allows toFQDNs matchPattern "*", any name on the internet`);
      for (const cidr of strings(get(rule, "toCIDR"))) {
        const r = peerRanges(cidr, []);
        if (r !== "unknown")
          for (const range of r ?? []) ranges.push({ range, from: `${at} toCIDR ${cidr}` });
      }
      for (const set of list(get(rule, "toCIDRSet"))) {
        const r = peerRanges(get(set, "cidr"), get(set, "except"));
        if (r === "unknown") unknown = true;
        else
          for (const range of r ?? [])
            ranges.push({ range, from: `${at} toCIDRSet ${String(get(set, "cidr"))}` });
      }
    });
  }
  return { everything, ranges, unknown };
}

export const k8sRestrictedNoInternetEgress = stackRule({
  name: "k8s-restricted-no-internet-egress",
  description:
    "No NetworkPolicy or CiliumNetworkPolicy in a namespace holding restricted data (per cluster) lets pods out to the internet: no egress rule without destinations, no Cilium world entity or \"*\" FQDN, and the address blocks all the namespace's policies allow, taken together and less their excepts, cover no more than one party's share of the internet (a /8 of IPv4, a /32 of IPv6) however they are written.",
  remediation:
    "Allow egress only to the data's private endpoints, DNS and declared peers; remove 0.0.0.0/0 (or its splits) and rules without `to`.",
  benchmarks: ["hybrid-ai-infra:restricted-egress", "cis-k8s:5.3.2", "mcsb:NS-3"],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    const namespaces = namespacesOf(ctx.resources);
    const restricted = restrictedNamespaces(ctx, namespaces);
    const byNamespace = new Map<string, StackResource[]>();
    for (const p of ctx.ofType(NETWORK_POLICY, CILIUM_POLICY)) {
      const id = namespaceIdentity(p, namespaces);
      if (restricted.has(id)) byNamespace.set(id, [...(byNamespace.get(id) ?? []), p]);
    }
    for (const policies of byNamespace.values()) {
      const namespace = policies[0] ? namespaceName(policies[0]) : "";
      const all: { range: Range; from: string; urn: string }[] = [];
      for (const p of policies) {
        const { everything, ranges, unknown } = egressOf(p);
        if (unknown) ctx.known(UNKNOWN, `${p.name}.spec.egress`);
        for (const message of everything) ctx.report(`${namespace}/${message}`, p.urn);
        for (const r of ranges) all.push({ ...r, urn: p.urn });
      }
      for (const family of [4, 6] as const) {
        const mine = all.filter((r) => r.range.family === family);
        if (
          mine.length === 0 ||
          !rangesAreInternet(
            mine.map((r) => r.range),
            family,
          )
        )
          continue;
        const sources = [...new Set(mine.map((r) => r.from))];
        ctx.report(
          `${namespace} (restricted) lets pods out to ${sources.join(" + ")}, which together are the IPv${family} internet; allow only the data's endpoints`,
          mine[0]?.urn ?? "",
        );
      }
    }
  },
});

// Whether a LoadBalancer Service gets an internal address is the cloud controller's reading of
// its annotations, which differs per controller (each compares values exactly):
// - cloud-provider-azure: azure-load-balancer-internal is internal only when exactly "true";
// - AWS's in-tree controller (cloud-provider-aws): aws-load-balancer-internal is internal when set
//   to anything but "" and "false"; it never reads the scheme annotation, and leaves Services of
//   aws-load-balancer-type "external" or "nlb-ip" (or with a loadBalancerClass) to others;
// - the AWS Load Balancer Controller (those Services, and class service.k8s.aws/nlb):
//   aws-load-balancer-scheme when present ("internal" or "internet-facing"), else
//   aws-load-balancer-internal parsed as a Go bool.
// A Service carrying a cloud's annotations must be internal as every controller of that cloud
// that may serve it reads them, and a Service carrying none is public.
const LB = "service.beta.kubernetes.io/";
const AZURE_INTERNAL = `${LB}azure-load-balancer-internal`;
const AWS_INTERNAL = `${LB}aws-load-balancer-internal`;
const AWS_SCHEME = `${LB}aws-load-balancer-scheme`;
const AWS_TYPE = `${LB}aws-load-balancer-type`;
const AWS_LBC_CLASS = "service.k8s.aws/nlb";
/** Go's strconv.ParseBool true values (the AWS Load Balancer Controller's annotation parser). */
const GO_TRUE: readonly string[] = ["1", "t", "T", "TRUE", "true", "True"];

/** Why a LoadBalancer Service gets a public address, or undefined when it is internal (traffic.ts reads it too). */
export function publicLoadBalancer(
  annotations: Record<string, string>,
  loadBalancerClass: unknown,
): string | undefined {
  const azure = annotations[AZURE_INTERNAL];
  const internal = annotations[AWS_INTERNAL];
  const scheme = annotations[AWS_SCHEME];
  if (azure === undefined && internal === undefined && scheme === undefined)
    return `it has no internal annotation (${AZURE_INTERNAL} "true" on AKS, ${AWS_INTERNAL} "true" or, for the AWS Load Balancer Controller, ${AWS_SCHEME} "internal" on EKS)`;
  if (azure !== undefined && azure !== "true")
    return `${AZURE_INTERNAL} is ${show(azure)}, and AKS makes it internal only for exactly "true"`;
  if (internal === undefined && scheme === undefined) return undefined;
  // The Load Balancer Controller's reading, whichever controller serves it.
  if (scheme !== undefined && scheme !== "internal")
    return `${AWS_SCHEME} is ${show(scheme)}, which the AWS Load Balancer Controller reads first`;
  if (scheme === undefined && !(internal !== undefined && GO_TRUE.includes(internal)))
    return `${AWS_INTERNAL} is ${show(internal)}, which the AWS Load Balancer Controller does not read as true`;
  const controllerOnly =
    loadBalancerClass === AWS_LBC_CLASS ||
    (isAbsent(loadBalancerClass) && ["external", "nlb-ip"].includes(annotations[AWS_TYPE] ?? ""));
  if (controllerOnly) return undefined;
  if (internal === undefined || internal === "" || internal === "false")
    return `${AWS_INTERNAL} is ${show(internal)}, and AWS's in-tree controller, which serves Services without ${AWS_TYPE} "external", reads only that (never ${AWS_SCHEME})`;
  return undefined;
}

/** MetalLB's pool annotation, current and legacy spellings: on-premises, the site's own addresses. */
export const METALLB_POOLS = ["metallb.io/address-pool", "metallb.universe.tf/address-pool"];
/** The cloud annotations `publicLoadBalancer` reads; any of them makes the cloud's reading decide. */
const CLOUD_MARKS = [
  "service.beta.kubernetes.io/azure-load-balancer-internal",
  "service.beta.kubernetes.io/aws-load-balancer-internal",
  "service.beta.kubernetes.io/aws-load-balancer-scheme",
];
/** Kubernetes' older spelling of spec.loadBalancerSourceRanges, read when the field is empty. */
const SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges";

/** Why a LoadBalancer Service would face the internet, or undefined when it is internal and fenced. */
export function loadBalancerExposure(
  annotations: Record<string, string>,
  spec: unknown,
  patch: boolean,
): string | undefined {
  const cloud = CLOUD_MARKS.some((k) => k in annotations);
  const pool = METALLB_POOLS.map((k) => annotations[k]).find((v) => v !== undefined && v.trim() !== "");
  if (cloud) {
    const why = publicLoadBalancer(annotations, get(spec, "loadBalancerClass"));
    if (why) return why;
  } else if (pool === undefined && !patch)
    return `carries no internal load balancer mark (a cloud's internal annotation, or a MetalLB pool on-premises), so its cloud may give it a public address`;
  const field = strings(get(spec, "loadBalancerSourceRanges"));
  const ranges =
    field.length > 0
      ? field
      : (annotations[SOURCE_RANGES_ANNOTATION] ?? "")
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "");
  // A cloud's internal mark gives it a private address; a MetalLB pool's addresses may be public,
  // so there only the source ranges keep the internet out.
  if (ranges.length === 0)
    return patch || cloud
      ? undefined
      : "is a MetalLB address and admits every source (no spec.loadBalancerSourceRanges), and a pool's addresses may be public";
  const blocks = ranges.map((r) => parseBlock(r));
  const bad = ranges.filter((_, i) => blocks[i] === undefined);
  if (bad.length > 0)
    return `lists ${bad.map((b) => show(b)).join(", ")} in its source ranges, which are no address blocks`;
  const open = internetFamilies(blocks as Block[]);
  if (open.length > 0)
    return `admits the internet in its source ranges (${open.map((o) => o.blocks.map((b) => b.text).join(", ")).join("; ")})`;
  return undefined;
}

export const k8sNoPublicLoadBalancer = resourceRule({
  name: "k8s-no-public-load-balancer",
  description:
    'Services are not published on the nodes or to the internet: no NodePort, no externalIPs (which the nodes answer for, and which can intercept another address, CVE-2020-8554), and a LoadBalancer only when the annotations it carries make it internal for every controller of that cloud that may serve it (azure-load-balancer-internal exactly "true"; aws-load-balancer-internal "true", which both AWS controllers read, and no aws-load-balancer-scheme but "internal"; or, for a Service only the AWS Load Balancer Controller serves, aws-load-balancer-scheme "internal"); on-premises, a MetalLB pool whose Service lists source ranges that leave out the internet, since pool addresses may be public. Internet-facing services go through a reviewed ingress instead.',
  remediation:
    'Use ClusterIP behind an ingress, or annotate the LoadBalancer Service internal: service.beta.kubernetes.io/azure-load-balancer-internal: "true" on AKS, service.beta.kubernetes.io/aws-load-balancer-internal: "true" on EKS.',
  benchmarks: ["kics:26763a1c-5dda-4772-b507-5fca7fb5f165", "kics:845acfbe-3e10-4b8e-b656-3b404d36dfb2"],
  enforcementLevel: "advisory",
  types: [SERVICE],
  check: (ctx) => {
    // Any type: the nodes answer for externalIPs, and a Service may claim an address that is not
    // its own (CVE-2020-8554).
    const externalIps = get(ctx.props, "spec.externalIPs");
    if (ctx.known(externalIps, "spec.externalIPs") && list(externalIps).length > 0)
      ctx.report(
        `spec.externalIPs lists ${list(externalIps)
          .map((x) => show(x))
          .join(
            ", ",
          )}, which every node answers for and which may intercept another address's traffic (CVE-2020-8554); remove it`,
      );
    const type = get(ctx.props, "spec.type");
    if (!ctx.known(type, "spec.type")) return;
    if (oneOf(type, "NodePort"))
      ctx.report("spec.type is NodePort, which opens the port on every node; use ClusterIP");
    if (!oneOf(type, "LoadBalancer")) return;
    const annotations = get(ctx.props, "metadata.annotations");
    // Other annotations may be unknown; these three decide.
    const loadBalancerClass = get(ctx.props, "spec.loadBalancerClass");
    const read = [AZURE_INTERNAL, AWS_INTERNAL, AWS_SCHEME, AWS_TYPE, ...METALLB_POOLS].map((k) =>
      isUnknown(annotations) ? annotations : entries(annotations).find(([key]) => key === k)?.[1],
    );
    if (!ctx.known([read, loadBalancerClass], "metadata.annotations, spec.loadBalancerClass")) return;
    const map = stringMap(annotations);
    // On-premises, MetalLB: no cloud reads the Service, so its source ranges decide.
    const metallb =
      !CLOUD_MARKS.some((k) => k in map) && METALLB_POOLS.some((k) => (map[k] ?? "").trim() !== "");
    if (
      metallb &&
      !ctx.known(get(ctx.props, "spec.loadBalancerSourceRanges"), "spec.loadBalancerSourceRanges")
    )
      return;
    const why = metallb
      ? loadBalancerExposure(map, get(ctx.props, "spec"), false)
      : publicLoadBalancer(map, loadBalancerClass);
    if (why)
      ctx.report(
        `spec.type is LoadBalancer and ${why}, so the cloud gives it a public address; annotate it internal`,
      );
  },
});

export const k8sIngressNoSnippets = resourceRule({
  name: "k8s-ingress-no-snippets",
  description:
    'No Ingress carries an ingress-nginx snippet annotation (configuration-snippet, server-snippet, auth-snippet, stream-snippet, any key with "snippet"): a snippet is raw NGINX configuration, which can read the controller\'s service account token and every Secret it sees (CVE-2021-25742), Lua and alias directives included.',
  remediation:
    "Use the controller's typed annotations, or a global ConfigMap setting the platform reviews; keep allow-snippet-annotations off.",
  benchmarks: ["checkov:CKV_K8S_152", "checkov:CKV_K8S_153", "checkov:CKV_K8S_154"],
  enforcementLevel: "mandatory",
  types: [INGRESS],
  check: (ctx) => {
    const annotations = get(ctx.props, "metadata.annotations");
    if (!ctx.known(annotations, "metadata.annotations")) return;
    for (const key of Object.keys(stringMap(annotations)))
      if (key.toLowerCase().includes("snippet"))
        ctx.report(`annotation ${key} injects raw NGINX configuration; remove it`);
  },
});

export const FAMILY = family("kubernetes-network", "Kubernetes network isolation", [
  k8sNamespaceNetworkPolicies,
  k8sRestrictedDefaultDeny,
  k8sRestrictedNoInternetEgress,
  k8sNoPublicLoadBalancer,
  k8sIngressNoSnippets,
]);
