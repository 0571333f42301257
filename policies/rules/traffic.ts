// Cross-site traffic as the security model wants it: a load balancer for anything but public data
// stays inside the joined networks, and a gateway never carries restricted data to or from a public
// site. Ported into the kit from the traffic branch's rules: Services in every API version, patches
// and lists; the classification from the Service's label in any casing or its namespace's by
// identity; "internal" as each cloud's controller reads it (kubernetes-network.ts), MetalLB's pool in
// both its annotation spellings on-premises; source ranges from the field or the legacy annotation,
// with the internet recognised however it is written; unknowns left to the update.
import {
  entries,
  family,
  get,
  higher,
  isUnknown,
  k8s,
  LIBRARY,
  mayRunOnPublic,
  namespaceClassifications,
  namespaceIdentity,
  namespaceName,
  namespacesOf,
  oneOf,
  resourceRule,
  stackRule,
  stringMap,
} from "../kit";
import { loadBalancerExposure } from "./kubernetes-network";

const SERVICE = k8s("core", "Service");
/** The annotation the library's gateways carry: their site, its trust and each route's sites. */
const ROUTES_ANNOTATION = "traffic.hybrid-ai-infra.io/routes";

export const trafficNoPublicEntryForPrivateData = stackRule({
  name: "traffic-no-public-entry-for-private-data",
  description:
    "A Service of type LoadBalancer whose data is not public (the higher of its own classification label and its namespace's, in the same cluster; unlabelled counts as not public) is an internal load balancer of its site, as its cloud's controller reads the annotations, or a MetalLB pool on-premises fenced by source ranges; source ranges, where listed, leave out the internet in any spelling.",
  remediation:
    'Expose services across sites through the catalog (every site\'s gateway and internal entries), or mark the Service internal for its site (aws-load-balancer-scheme: internal, azure-load-balancer-internal: "true", a MetalLB private pool) and list the joined networks in spec.loadBalancerSourceRanges.',
  benchmarks: ["hybrid-ai-infra:traffic"],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    const namespaces = namespacesOf(ctx.resources);
    const levels = namespaceClassifications(ctx.resources);
    for (const svc of ctx.ofType(SERVICE)) {
      const type = get(svc.props, "spec.type");
      if (!ctx.known(type, `${svc.name} spec.type`) || !oneOf(type, "LoadBalancer")) continue;
      const labels = get(svc.props, "metadata.labels");
      // Label keys hold dots, so they are looked up whole, never as a path.
      const label = isUnknown(labels)
        ? labels
        : entries(labels).find(([k]) => k === LIBRARY.labels.classification)?.[1];
      if (!ctx.known(label, `${svc.name} ${LIBRARY.labels.classification}`)) continue;
      const level = higher(
        typeof label === "string" ? label : undefined,
        levels.get(namespaceIdentity(svc, namespaces)),
      );
      if (level === "public") continue;
      const annotations = get(svc.props, "metadata.annotations");
      const spec = get(svc.props, "spec");
      if (
        !ctx.known(
          [annotations, get(spec, "loadBalancerSourceRanges"), get(spec, "loadBalancerClass")],
          `${svc.name} annotations and source ranges`,
        )
      )
        continue;
      const why = loadBalancerExposure(stringMap(annotations), spec, svc.patch);
      if (why)
        ctx.report(
          `Service ${namespaceName(svc)}/${String(get(svc.props, "metadata.name") ?? svc.name)} holds ${level ?? "unlabelled"} data and ${why}`,
          svc.urn,
        );
    }
  },
});

const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : undefined);

export const trafficRestrictedStaysPrivate = resourceRule({
  name: "traffic-restricted-stays-private",
  description:
    "A cross-site gateway (the routes annotation its ConfigMap and Deployment carry) neither forwards a service whose data may never run on a public target (restricted) to a site that is not private, nor answers for one at such a site: restricted data never crosses into a public cloud.",
  remediation:
    "Keep restricted workloads on private sites (placement does) and do not hand-edit the traffic plan; the library routes restricted services between private sites only.",
  benchmarks: ["hybrid-ai-infra:traffic", "hybrid-ai-infra:placement"],
  enforcementLevel: "mandatory",
  types: [k8s("core", "ConfigMap"), k8s("apps", "Deployment")],
  check: (ctx) => {
    const annotations = get(ctx.props, "metadata.annotations");
    const text = isUnknown(annotations)
      ? annotations
      : entries(annotations).find(([k]) => k === ROUTES_ANNOTATION)?.[1];
    if (!ctx.known(text, `metadata.annotations["${ROUTES_ANNOTATION}"]`) || text === undefined) return;
    let routes: unknown;
    try {
      routes = JSON.parse(String(text));
    } catch {
      ctx.report(`${ROUTES_ANNOTATION} is not JSON, so what the gateway forwards cannot be checked`);
      return;
    }
    const site = String(get(routes, "site") ?? "its site");
    const trust = lower(get(routes, "trust"));
    const list = get(routes, "routes");
    for (const route of Array.isArray(list) ? list : []) {
      const level = lower(get(route, "classification"));
      if (level === undefined || mayRunOnPublic(level)) continue;
      const service = String(get(route, "service") ?? "a service");
      if (trust !== "private")
        ctx.report(`the gateway at ${site}, a ${trust ?? "unknown"} site, answers for ${level} ${service}`);
      const sites = get(route, "sites");
      for (const s of Array.isArray(sites) ? sites : [])
        if (lower(get(s, "trust")) !== "private")
          ctx.report(
            `the gateway at ${site} forwards ${level} ${service} to ${String(get(s, "site"))}, a ${String(get(s, "trust") ?? "unknown")} site`,
          );
    }
  },
});

export const FAMILY = family("traffic", "Cross-site traffic", [
  trafficNoPublicEntryForPrivateData,
  trafficRestrictedStaysPrivate,
]);
