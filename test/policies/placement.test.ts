// The placement rules (issue 19, point 24): a workload's classification is the highest of every
// record it carries (label on the object or pod template, placement annotation) and of its
// namespace in the same cluster; restricted data on any sign of a public target (the trust
// annotation, a node selector or required affinity on the pools' trust label) is flagged, and
// confidential data needs a recorded placement.
import { describe, expect, it } from "vitest";
import { k8sPlacementAllowed, k8sPlacementByNamespace } from "../../policies/rules/placement";
import { ruleCases } from "./cases";
import { judge, resource, stackViolations, UNKNOWN_INPUT } from "./evaluate";
import {
  CRON_JOB,
  cronJob,
  DEPLOYMENT,
  deployment,
  NAMESPACE,
  namespace,
  POD,
  PRIVATE_PLACEMENT,
  pod,
  podSpec,
} from "./k8s-fixtures";

const CLASSIFICATION_LABEL = "hybrid-ai-infra.io/data-classification";
const CLASSIFICATION = "placement.hybrid-ai-infra.io/classification";
const TRUST = "placement.hybrid-ai-infra.io/trust";
const TARGET = "placement.hybrid-ai-infra.io/target";
const PUBLIC = { [TARGET]: "aks", [TRUST]: "public" };

/** A Deployment with these labels and annotations on both the object and its pod template. */
const workload = (
  labels: Record<string, string>,
  annotations: Record<string, string>,
  spec: Record<string, unknown> = {},
) => deployment(spec, { labels, annotations }, { labels, annotations });

ruleCases(k8sPlacementAllowed, [
  { name: "restricted data on a private target", type: DEPLOYMENT, props: deployment() },
  { name: "restricted data as a bare Pod", type: POD, props: pod() },
  {
    name: "the trust annotation in capitals",
    type: DEPLOYMENT,
    props: workload({ [CLASSIFICATION_LABEL]: "restricted" }, { ...PRIVATE_PLACEMENT, [TRUST]: "Private" }),
  },
  {
    name: "confidential data on a public target with a placement record",
    type: DEPLOYMENT,
    props: workload(
      { [CLASSIFICATION_LABEL]: "confidential" },
      { [CLASSIFICATION]: "confidential", ...PUBLIC },
      { nodeSelector: { "hybrid-ai-infra.io/trust": "public" } },
    ),
  },
  {
    name: "public data anywhere",
    type: DEPLOYMENT,
    props: workload({ [CLASSIFICATION_LABEL]: "public" }, {}, { nodeSelector: {} }),
  },
  { name: "an unclassified workload", type: DEPLOYMENT, props: workload({}, {}, { nodeSelector: {} }) },
  {
    name: "restricted by label on a public target",
    type: DEPLOYMENT,
    props: workload({ [CLASSIFICATION_LABEL]: "restricted" }, { [CLASSIFICATION]: "restricted", ...PUBLIC }),
    fails: ["its placement records trust public"],
    explicit: true,
  },
  {
    name: "restricted by the annotation only, the label saying internal, on a public target",
    type: DEPLOYMENT,
    props: workload({ [CLASSIFICATION_LABEL]: "internal" }, { [CLASSIFICATION]: "restricted", ...PUBLIC }),
    fails: [`annotation ${CLASSIFICATION}=restricted`],
    explicit: true,
  },
  {
    name: "restricted by the annotation with no label at all",
    type: POD,
    props: pod({}, { labels: {}, annotations: { [CLASSIFICATION]: "Restricted", ...PUBLIC } }),
    fails: ["holds restricted data"],
    explicit: true,
  },
  {
    name: "restricted by the label, the annotation saying public",
    type: DEPLOYMENT,
    props: workload({ [CLASSIFICATION_LABEL]: "restricted" }, { [CLASSIFICATION]: "public", ...PUBLIC }),
    fails: [`label ${CLASSIFICATION_LABEL}=restricted`],
    explicit: true,
  },
  {
    name: "restricted on the pod template only",
    type: DEPLOYMENT,
    props: deployment(
      {},
      { labels: {}, annotations: PUBLIC },
      { labels: { [CLASSIFICATION_LABEL]: "restricted" }, annotations: PUBLIC },
    ),
    fails: ["holds restricted data"],
    explicit: true,
  },
  {
    name: "a private record but a node selector on public pools",
    type: DEPLOYMENT,
    props: deployment({ nodeSelector: { "hybrid-ai-infra.io/trust": "public" } }),
    fails: ["node selection admits hybrid-ai-infra.io/trust=public"],
    explicit: true,
  },
  {
    name: "a private record but required affinity admitting public pools",
    type: CRON_JOB,
    props: cronJob({
      nodeSelector: {},
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: "hybrid-ai-infra.io/trust", operator: "In", values: ["private", "public"] },
                ],
              },
            ],
          },
        },
      },
    }),
    fails: ["admits hybrid-ai-infra.io/trust=public"],
    explicit: true,
  },
  {
    name: "restricted data without a placement record",
    type: DEPLOYMENT,
    props: workload({ [CLASSIFICATION_LABEL]: "restricted" }, {}),
    fails: ["carries no placement record"],
    explicit: true,
  },
  {
    name: "confidential data without a placement record",
    type: DEPLOYMENT,
    props: workload({ [CLASSIFICATION_LABEL]: "confidential" }, {}),
    fails: ["holds confidential data"],
    explicit: true,
  },
]);

describe("k8s-placement-allowed under preview unknowns", () => {
  it("leaves an unknown trust annotation to the update", async () => {
    const props = workload(
      { [CLASSIFICATION_LABEL]: "restricted" },
      { ...PRIVATE_PLACEMENT, [TRUST]: UNKNOWN_INPUT },
    );
    expect(await judge(k8sPlacementAllowed, DEPLOYMENT, props)).toEqual({
      violations: [],
      undecided: expect.any(String),
    });
  });
});

describe("k8s-placement-by-namespace", () => {
  const DC1 = "urn:pulumi:prod::p::pulumi:providers:kubernetes::dc1";
  const AKS = "urn:pulumi:prod::p::pulumi:providers:kubernetes::aks";
  const ns = (provider: string, classification?: string) =>
    resource(NAMESPACE, `${provider.split("::").pop()}-ns`, namespace("clinical-ai", classification), {
      provider,
    });
  const unlabelled = (nodeTrust: string, annotations: Record<string, string>) =>
    deployment(
      { nodeSelector: { "hybrid-ai-infra.io/trust": nodeTrust } },
      { labels: {}, annotations },
      { labels: {}, annotations },
    );
  const inNs = (props: Record<string, unknown>, namespaceResource: ReturnType<typeof ns>, provider: string) =>
    resource(DEPLOYMENT, "w", props, { provider, dependencies: [namespaceResource] });

  it("passes the library's placed workloads in their restricted namespace", async () => {
    const n = ns(DC1, "restricted");
    expect(await stackViolations(k8sPlacementByNamespace, [n, inNs(deployment(), n, DC1)])).toEqual([]);
  });

  it("flags a label-less workload on a public target in a restricted namespace", async () => {
    const n = ns(DC1, "restricted");
    const w = inNs(unlabelled("public", PUBLIC), n, DC1);
    const found = await stackViolations(k8sPlacementByNamespace, [n, w]);
    expect(found).toEqual([
      { message: expect.stringContaining("namespace clinical-ai is labelled restricted"), urn: w.urn },
    ]);
  });

  it("flags a workload that calls itself public in a restricted namespace", async () => {
    const n = ns(DC1, "restricted");
    const w = inNs(
      workload({ [CLASSIFICATION_LABEL]: "public" }, { [CLASSIFICATION]: "public", ...PUBLIC }),
      n,
      DC1,
    );
    expect(await stackViolations(k8sPlacementByNamespace, [n, w])).toHaveLength(1);
  });

  it("flags a label-less workload without placement in a confidential namespace", async () => {
    const n = ns(DC1, "confidential");
    const w = inNs(deployment({}, { labels: {}, annotations: {} }, { labels: {}, annotations: {} }), n, DC1);
    expect(await stackViolations(k8sPlacementByNamespace, [n, w])).toHaveLength(1);
  });

  it("holds a workload to its own cluster's namespace only", async () => {
    const restricted = ns(DC1, "restricted");
    const open = ns(AKS);
    const w = inNs(unlabelled("public", PUBLIC), open, AKS);
    expect(await stackViolations(k8sPlacementByNamespace, [restricted, open, w])).toEqual([]);
    // Without the dependency, the provider still says which cluster it is in.
    const loose = resource(DEPLOYMENT, "w", unlabelled("public", PUBLIC), { provider: AKS });
    expect(await stackViolations(k8sPlacementByNamespace, [restricted, open, loose])).toEqual([]);
    const same = resource(DEPLOYMENT, "w", unlabelled("public", PUBLIC), { provider: DC1 });
    expect(await stackViolations(k8sPlacementByNamespace, [restricted, open, same])).toHaveLength(1);
  });

  it("leaves workloads the resource rule already judges to it", async () => {
    const n = ns(DC1, "restricted");
    const w = inNs(
      workload({ [CLASSIFICATION_LABEL]: "restricted" }, { [CLASSIFICATION]: "restricted", ...PUBLIC }),
      n,
      DC1,
    );
    expect(await stackViolations(k8sPlacementByNamespace, [n, w])).toEqual([]);
  });

  it("reads a bare pod spec the same way", async () => {
    const n = ns(DC1, "restricted");
    const p = resource(
      POD,
      "p",
      { metadata: { name: "p", namespace: "clinical-ai" }, spec: podSpec({ nodeSelector: {} }) },
      { provider: DC1, dependencies: [n] },
    );
    expect(await stackViolations(k8sPlacementByNamespace, [n, p])).toHaveLength(1);
  });
});
