// A cluster the library did not build (issue 24, points 2 and 10): namespaces it already has are
// never created, adopted or deleted, and allow-dns reaches the DNS its pods really query.
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { describe, expect, it } from "vitest";
import { type RenderedObject, renderPlacement } from "../../components/kubernetes";
import { result, targets, workloads } from "./fixtures";

const NETWORKS = { dc1: ["10.10.0.0/16"], eks: ["10.20.0.0/16"] };
const dc1 = (clusters?: Parameters<typeof renderPlacement>[0]["clusters"]): RenderedObject[] =>
  renderPlacement({ networks: NETWORKS, result, workloads, targets, ...(clusters ? { clusters } : {}) }).find(
    (r) => r.target === "dc1",
  )?.objects ?? [];
const policy = (objects: RenderedObject[], name: string, namespace: string) => {
  const p = objects.find(
    (o) => o.kind === "NetworkPolicy" && o.metadata.name === name && o.metadata.namespace === namespace,
  );
  if (p?.kind !== "NetworkPolicy") throw new Error(`no ${name}`);
  new NetworkPolicy(p as never).validate();
  return p;
};

describe("an existing on-premises cluster", () => {
  it("never declares a namespace it already has, nor a quota counting pods it does not own", () => {
    const objects = dc1({ dc1: { existingNamespaces: ["ml-research"] } });
    const inNs = objects.filter(
      (o) => o.metadata.namespace === "ml-research" || o.metadata.name === "ml-research",
    );
    expect(inNs.some((o) => o.kind === "Namespace")).toBe(false);
    expect(inNs.some((o) => o.kind === "ResourceQuota")).toBe(false);
    // Its other teams' pods are not the library's to confine: the baseline selects its own pods.
    expect(policy(objects, "default-deny", "ml-research").spec.podSelector).toEqual({
      matchLabels: { "app.kubernetes.io/managed-by": "hybrid-ai-infra" },
    });
    expect(inNs.some((o) => o.kind === "Job")).toBe(true);
    // A namespace it creates keeps its Namespace, quota and namespace-wide baseline.
    expect(dc1().some((o) => o.kind === "Namespace" && o.metadata.name === "ml-research")).toBe(true);
    expect(policy(dc1(), "default-deny", "ml-research").spec.podSelector).toEqual({});
  });

  it("allows the node-local DNS cache where the cluster runs one (kubespray's nodelocaldns)", () => {
    const egress = policy(dc1({ dc1: { nodeLocalDns: "169.254.25.10" } }), "allow-dns", "ml-research").spec
      .egress;
    expect(egress?.[0]?.to).toContainEqual({ ipBlock: { cidr: "169.254.25.10/32" } });
    expect(policy(dc1(), "allow-dns", "ml-research").spec.egress?.[0]?.to).toHaveLength(1);
  });
});
