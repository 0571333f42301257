import {
  AWS_LOAD_BALANCER_CONTROLLER_IMAGE,
  AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  LABEL_POOL,
  SYSTEM_TAINT,
} from "../../facts";
import { AWS_LBC_CRDS } from "./aws-load-balancer-controller-crds";
import type { AddonObject } from "./cluster-autoscaler";

// The AWS Load Balancer Controller (v3.5.0), object by object as its Helm chart renders them for
// Services alone: NLBs for `loadBalancerClass: service.k8s.aws/nlb`, nothing for Ingress or the
// Gateway API (their gates off), no Shield, WAF or WAFv2 (isolated clusters reach none of them).
// Webhooks: the TargetGroupBinding checks and the pod readiness gate, which acts only in namespaces
// labelled for it. The chart's Service mutator (it would make the controller the default for every
// LoadBalancer Service, and block every Service's creation while it is down) is left out: the
// library's entries name the class themselves.

/** What the controller's objects are rendered from. */
export interface AwsLoadBalancerControllerArgs {
  /** EKS cluster name. */
  clusterName: string;
  /** AWS region and VPC, as flags (pods cannot ask the instance metadata with a hop limit of 1). */
  region: string;
  vpcId: string;
  /** Image, pinned; default the release's. */
  image?: string;
  /** The webhook's serving certificate, its key and the CA that signed it (PEM). */
  tls: { caCert: string; cert: string; key: string };
}

const NAME = AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name;
const NAMESPACE = AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace;
/** The webhook Service and the certificate Secret, named as the chart names them. */
export const AWS_LBC_WEBHOOK_SERVICE = "aws-load-balancer-webhook-service";
const TLS_SECRET = "aws-load-balancer-tls";
const WEBHOOK_PORT = 9443;
const HEALTH_PORT = 61779;

const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]) => ({
  apiGroups,
  resources,
  verbs,
  ...(resourceNames ? { resourceNames } : {}),
});

/** The chart's ClusterRole (config/rbac/role.yaml) less the Gateway API, accelerator and target-control rules. */
const CLUSTER_RULES = [
  rule([""], ["configmaps"], ["create", "delete", "get", "update"]),
  rule([""], ["endpoints", "namespaces", "nodes", "pods"], ["get", "list", "watch"]),
  rule([""], ["events"], ["create", "patch"]),
  rule([""], ["pods/status", "services/status"], ["patch", "update"]),
  rule([""], ["services"], ["get", "list", "patch", "update", "watch"]),
  rule(["discovery.k8s.io"], ["endpointslices"], ["get", "list", "watch"]),
  rule(["elbv2.k8s.aws"], ["ingressclassparams"], ["get", "list", "watch"]),
  rule(
    ["elbv2.k8s.aws"],
    ["targetgroupbindings"],
    ["create", "delete", "get", "list", "patch", "update", "watch"],
  ),
  rule(["elbv2.k8s.aws"], ["targetgroupbindings/status"], ["patch", "update"]),
  rule(["extensions", "networking.k8s.io"], ["ingresses"], ["get", "list", "patch", "update", "watch"]),
  rule(["extensions", "networking.k8s.io"], ["ingresses/status"], ["patch", "update"]),
  rule(["networking.k8s.io"], ["ingressclasses"], ["get", "list", "watch"]),
];

/** Leader election in its own namespace. */
const LEADER_RULES = [
  rule([""], ["configmaps"], ["create"]),
  rule([""], ["configmaps"], ["get", "patch", "update"], ["aws-load-balancer-controller-leader"]),
  rule(["coordination.k8s.io"], ["leases"], ["create"]),
  rule(
    ["coordination.k8s.io"],
    ["leases"],
    ["get", "update", "patch"],
    ["aws-load-balancer-controller-leader"],
  ),
];

/** The command line: this cluster, this VPC, NLB Services only. */
export function awsLoadBalancerControllerArgs(
  args: Pick<AwsLoadBalancerControllerArgs, "clusterName" | "region" | "vpcId">,
): string[] {
  return [
    `--cluster-name=${args.clusterName}`,
    "--ingress-class=alb",
    `--aws-region=${args.region}`,
    `--aws-vpc-id=${args.vpcId}`,
    "--enable-shield=false",
    "--enable-waf=false",
    "--enable-wafv2=false",
    `--webhook-bind-port=${WEBHOOK_PORT}`,
    "--feature-gates=ServiceTypeLoadBalancerOnly=true,NLBGatewayAPI=false,ALBGatewayAPI=false,GlobalAcceleratorController=false,ALBTargetControlAgent=false",
    "--default-target-type=ip",
    "--default-load-balancer-scheme=internal",
  ];
}

/** The labels every object carries, and the subset that selects the controller's pods. */
interface ControllerLabels {
  selector: Record<string, string>;
  labels: Record<string, string>;
}

/** Its ServiceAccount, and the cluster-wide and leader-election roles bound to it. */
function rbacObjects({ labels }: ControllerLabels): AddonObject[] {
  const subject = [{ kind: "ServiceAccount", name: NAME, namespace: NAMESPACE }];
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: NAME, namespace: NAMESPACE, labels } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: `${NAME}-role`, labels },
      rules: CLUSTER_RULES,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: `${NAME}-rolebinding`, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `${NAME}-role` },
      subjects: subject,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: `${NAME}-leader-election-role`, namespace: NAMESPACE, labels },
      rules: LEADER_RULES,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: `${NAME}-leader-election-rolebinding`, namespace: NAMESPACE, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: `${NAME}-leader-election-role` },
      subjects: subject,
    },
  ];
}

/** The webhook's serving certificate, and the Service the API server calls it through. */
function webhookServingObjects(
  tls: AwsLoadBalancerControllerArgs["tls"],
  { selector, labels }: ControllerLabels,
): AddonObject[] {
  return [
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: TLS_SECRET, namespace: NAMESPACE, labels },
      type: "kubernetes.io/tls",
      stringData: { "ca.crt": tls.caCert, "tls.crt": tls.cert, "tls.key": tls.key },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: AWS_LBC_WEBHOOK_SERVICE,
        namespace: NAMESPACE,
        labels: { ...labels, "app.kubernetes.io/component": "webhook" },
      },
      spec: { selector, ports: [{ name: "webhook-server", port: 443, targetPort: "webhook-server" }] },
    },
  ];
}

/** The controller's container: restricted, read-only root, the webhook certificate mounted. */
function controllerContainer(args: AwsLoadBalancerControllerArgs) {
  const resources = { cpu: "100m", memory: "256Mi" };
  return {
    name: NAME,
    image: args.image ?? AWS_LOAD_BALANCER_CONTROLLER_IMAGE,
    args: awsLoadBalancerControllerArgs(args),
    ports: [
      { name: "webhook-server", containerPort: WEBHOOK_PORT, protocol: "TCP" },
      { name: "metrics-server", containerPort: 8080, protocol: "TCP" },
    ],
    livenessProbe: {
      httpGet: { path: "/healthz", port: HEALTH_PORT, scheme: "HTTP" },
      failureThreshold: 2,
      initialDelaySeconds: 30,
      timeoutSeconds: 10,
    },
    readinessProbe: {
      httpGet: { path: "/readyz", port: HEALTH_PORT, scheme: "HTTP" },
      failureThreshold: 2,
      initialDelaySeconds: 10,
      timeoutSeconds: 10,
    },
    resources: { requests: resources, limits: { cpu: "500m", memory: resources.memory } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    },
    volumeMounts: [{ name: "cert", mountPath: "/tmp/k8s-webhook-server/serving-certs", readOnly: true }],
  };
}

/** The Deployment and its disruption budget. */
function controllerWorkload(
  args: AwsLoadBalancerControllerArgs,
  { selector, labels }: ControllerLabels,
): AddonObject[] {
  return [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: NAME, namespace: NAMESPACE, labels },
      spec: {
        // One leader works; the second takes over and answers webhooks meanwhile.
        replicas: 2,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: NAME,
            // The controller calls the Kubernetes API as its own ServiceAccount: the token is asked for.
            automountServiceAccountToken: true,
            priorityClassName: "system-cluster-critical",
            // On the on-demand system group, beside the other add-ons.
            nodeSelector: { "kubernetes.io/os": "linux", [LABEL_POOL]: "system" },
            tolerations: [{ key: SYSTEM_TAINT.key, operator: "Exists", effect: SYSTEM_TAINT.effect }],
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65532,
              fsGroup: 65534,
              seccompProfile: { type: "RuntimeDefault" },
            },
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    weight: 100,
                    podAffinityTerm: {
                      topologyKey: "kubernetes.io/hostname",
                      labelSelector: { matchLabels: selector },
                    },
                  },
                ],
              },
            },
            containers: [controllerContainer(args)],
            volumes: [{ name: "cert", secret: { secretName: TLS_SECRET, defaultMode: 0o444 } }],
          },
        },
      },
    },
    {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: NAME, namespace: NAMESPACE, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    },
  ];
}

/** The mutating (pod readiness gate, TargetGroupBinding defaults) and validating webhooks. */
function webhookConfigurations(caCert: string, { labels }: ControllerLabels): AddonObject[] {
  const caBundle = Buffer.from(caCert).toString("base64");
  const client = (path: string) => ({
    caBundle,
    service: { name: AWS_LBC_WEBHOOK_SERVICE, namespace: NAMESPACE, path },
  });
  const notItself = {
    matchExpressions: [{ key: "app.kubernetes.io/name", operator: "NotIn", values: [NAME] }],
  };
  const tgbRule = {
    apiGroups: ["elbv2.k8s.aws"],
    apiVersions: ["v1beta1"],
    operations: ["CREATE", "UPDATE"],
    resources: ["targetgroupbindings"],
  };
  return [
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "MutatingWebhookConfiguration",
      metadata: { name: "aws-load-balancer-webhook", labels },
      webhooks: [
        {
          name: "mpod.elbv2.k8s.aws",
          clientConfig: client("/mutate-v1-pod"),
          failurePolicy: "Fail",
          admissionReviewVersions: ["v1"],
          sideEffects: "None",
          // Only where a namespace asks for readiness gates.
          namespaceSelector: {
            matchExpressions: [
              { key: "elbv2.k8s.aws/pod-readiness-gate-inject", operator: "In", values: ["enabled"] },
            ],
          },
          objectSelector: notItself,
          rules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }],
        },
        {
          name: "mtargetgroupbinding.elbv2.k8s.aws",
          clientConfig: client("/mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding"),
          failurePolicy: "Fail",
          admissionReviewVersions: ["v1"],
          sideEffects: "None",
          rules: [tgbRule],
        },
      ],
    },
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingWebhookConfiguration",
      metadata: { name: "aws-load-balancer-webhook", labels },
      webhooks: [
        {
          name: "vtargetgroupbinding.elbv2.k8s.aws",
          clientConfig: client("/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding"),
          failurePolicy: "Fail",
          admissionReviewVersions: ["v1"],
          sideEffects: "None",
          rules: [tgbRule],
        },
      ],
    },
  ];
}

/** The controller's objects as plain data, in the order they are declared (webhooks last). */
export function renderAwsLoadBalancerController(args: AwsLoadBalancerControllerArgs): AddonObject[] {
  const selector = { "app.kubernetes.io/name": NAME, "app.kubernetes.io/instance": NAME };
  const meta: ControllerLabels = {
    selector,
    labels: { ...selector, "app.kubernetes.io/managed-by": "hybrid-ai-infra" },
  };
  return [
    ...AWS_LBC_CRDS.map((crd) => ({ ...(crd as unknown as AddonObject) })),
    ...rbacObjects(meta),
    ...webhookServingObjects(args.tls, meta),
    ...controllerWorkload(args, meta),
    ...webhookConfigurations(args.tls.caCert, meta),
  ];
}
