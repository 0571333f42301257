import { describe, expect, it } from "vitest";
import { rolesAnywhereTrustPolicy } from "../../components/aws/data-copy";
import { ROLES_ANYWHERE_PROFILE, renderDataCopies, secretKeysIn } from "../../components/kubernetes/data";
import { parsePlatformConfig } from "../../stacks/config";
import { configProblems, referenceStackConfig } from "../helpers/stack-config";
import { certifiedCopy, HELPER_IMAGE as IMAGE } from "./fixtures";

const CA = `-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUTESTTESTTESTTESTTESTTESTTESTwCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----\n`;

function stagingConfig(): Record<string, unknown> {
  return referenceStackConfig("staging");
}

const problems = (raw: Record<string, unknown>) => configProblems("staging", raw);

const rolesAnywhere = {
  caBundle: CA,
  certificateSecret: "data-copies-x509",
  subject: { CN: "data-copies.dc1.corp.example", OU: "platform" },
  issuer: { CN: "dc1 issuing CA" },
  helper: { image: IMAGE },
};

describe("the on-premises site's copy identity in config", () => {
  it("accepts an issuer, the reference stacks' choice", () => {
    const config = parsePlatformConfig("staging", stagingConfig());
    expect(config.onprem?.identity).toEqual({ issuer: "https://oidc.dc1.corp.example" });
  });

  it("refuses Roles Anywhere alone where a copy runs between on-premises and Azure, at the Entra block it lacks", () => {
    const raw = stagingConfig() as { onprem: Record<string, unknown> };
    raw.onprem.identity = { rolesAnywhere };
    // staging backs clinical-notes up from Azure to dc1, which dc1's cluster runs.
    expect(problems(raw)).toMatch(
      /onprem\.identity\.entra: is not set, .*Azure.*Roles Anywhere is AWS.s alone/,
    );
  });

  it("accepts Roles Anywhere once every on-premises copy is between dc1 and AWS", () => {
    const raw = stagingConfig() as {
      onprem: Record<string, unknown>;
      azure: { storage: { datasets: ({ backup?: unknown; staging?: unknown } | string)[] }[] };
    };
    raw.onprem.identity = { rolesAnywhere };
    for (const store of raw.azure.storage)
      for (const d of store.datasets)
        if (typeof d === "object") {
          delete d.backup;
          delete d.staging;
        }
    const config = parsePlatformConfig("staging", raw);
    expect(config.onprem?.identity).toMatchObject({
      rolesAnywhere: { certificateSecret: "data-copies-x509" },
    });
  });

  it("refuses a bundle that is not CA certificates, and a wildcard subject", () => {
    const raw = stagingConfig() as { onprem: Record<string, unknown> };
    raw.onprem.identity = {
      rolesAnywhere: {
        ...rolesAnywhere,
        caBundle: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
      },
    };
    expect(problems(raw)).toMatch(/onprem\.identity/);
    raw.onprem.identity = { rolesAnywhere: { ...rolesAnywhere, subject: { CN: "*" } } };
    expect(problems(raw)).toMatch(/onprem\.identity/);
  });

  it("says where serviceAccountIssuer went", () => {
    const raw = stagingConfig() as { onprem: Record<string, unknown> };
    raw.onprem.serviceAccountIssuer = "https://oidc.dc1.corp.example";
    expect(problems(raw)).toMatch(/onprem\.serviceAccountIssuer: has moved: write identity: \{ issuer/);
  });
});

describe("a role assumed through IAM Roles Anywhere", () => {
  it("trusts the service for the three actions, from this anchor, for this certificate only", () => {
    const anchor = "arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0b1c2d3e";
    const policy = JSON.parse(
      rolesAnywhereTrustPolicy({
        trustAnchorArn: anchor,
        subject: { CN: "data-copies.dc1.corp.example", OU: "platform" },
        issuer: { CN: "dc1 issuing CA" },
      }),
    );
    expect(policy.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "rolesanywhere.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
        Condition: {
          ArnEquals: { "aws:SourceArn": anchor },
          StringEquals: {
            "aws:PrincipalTag/x509Subject/CN": "data-copies.dc1.corp.example",
            "aws:PrincipalTag/x509Subject/OU": "platform",
            "aws:PrincipalTag/x509Issuer/CN": "dc1 issuing CA",
          },
        },
      },
    ]);
  });
});

describe("a copy that authenticates with IAM Roles Anywhere", () => {
  const objects = renderDataCopies({
    cluster: "dc1",
    image: `registry.internal.example.com/rclone/rclone:1.75.2@sha256:${"a".repeat(64)}`,
    pool: { name: "cpu" },
    trust: "private",
    copies: [certifiedCopy],
  });
  const configMap = objects.find((o) => o.kind === "ConfigMap");
  const cron = objects.find((o) => o.kind === "CronJob");
  if (configMap?.kind !== "ConfigMap" || cron?.kind !== "CronJob") throw new Error("nothing rendered");
  const pod = cron.spec.jobTemplate.spec.template.spec;

  it("gives AWS's remote the profile whose credential_process runs the signing helper, the store's remote not", () => {
    const conf = configMap.data["rclone.conf"] ?? "";
    const destination = conf.slice(conf.indexOf("[destination]"));
    const source = conf.slice(0, conf.indexOf("[destination]"));
    expect(destination).toContain(`profile = ${ROLES_ANYWHERE_PROFILE}`);
    expect(destination).toContain("shared_credentials_file = /config/rclone/aws.config");
    expect(source).not.toContain(ROLES_ANYWHERE_PROFILE);
    expect(configMap.data["aws.config"]).toBe(
      [
        `[profile ${ROLES_ANYWHERE_PROFILE}]`,
        "credential_process = /opt/hybrid-ai-infra/bin/aws_signing_helper credential-process" +
          " --certificate /var/run/secrets/hybrid-ai-infra/x509/tls.crt" +
          " --private-key /var/run/secrets/hybrid-ai-infra/x509/tls.key" +
          " --trust-anchor-arn arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/ta-1" +
          " --profile-arn arn:aws:rolesanywhere:eu-west-1:111122223333:profile/p-1" +
          " --role-arn arn:aws:iam::111122223333:role/backup-imaging-archive-to-eks-aws" +
          " --region eu-west-1" +
          " --endpoint https://vpce-0abc-xyz.rolesanywhere.eu-west-1.vpce.amazonaws.com" +
          " --session-duration 3600",
        "",
      ].join("\n"),
    );
    for (const text of Object.values(configMap.data)) expect(secretKeysIn(text)).toEqual([]);
    expect(JSON.stringify(configMap.data)).not.toMatch(/PRIVATE KEY|aws_secret_access_key =/);
  });

  it("mounts the certificate Secret, the config file and the helper an init container puts in place", () => {
    const mounts = pod.containers[0]?.volumeMounts ?? [];
    expect(mounts).toContainEqual({
      name: "x509",
      mountPath: "/var/run/secrets/hybrid-ai-infra/x509",
      readOnly: true,
    });
    expect(mounts).toContainEqual({ name: "helper", mountPath: "/opt/hybrid-ai-infra/bin", readOnly: true });
    expect(pod.volumes).toContainEqual({
      name: "x509",
      secret: { secretName: "data-copies-x509", defaultMode: 0o440 },
    });
    const config = pod.volumes.find((v) => v.name === "config");
    expect(config && "configMap" in config ? config.configMap.items.map((i) => i.key) : []).toEqual([
      "rclone.conf",
      "aws.config",
    ]);
    expect(pod.initContainers).toHaveLength(1);
    expect(pod.initContainers?.[0]).toMatchObject({
      image: IMAGE,
      command: ["cp", "/usr/local/bin/aws_signing_helper", "/opt/hybrid-ai-infra/bin/aws_signing_helper"],
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true },
    });
    // No web identity: no token, no role ARN in the environment.
    const env = pod.containers[0]?.env.map((e) => e.name) ?? [];
    expect(env).not.toContain("AWS_ROLE_ARN");
  });

  it("renders none of it for a copy without Roles Anywhere", () => {
    const { rolesAnywhere: _, ...identity } = certifiedCopy.identity;
    const plain = renderDataCopies({
      cluster: "dc1",
      image: `registry.internal.example.com/rclone/rclone:1.75.2@sha256:${"a".repeat(64)}`,
      pool: { name: "cpu" },
      trust: "private",
      copies: [{ ...certifiedCopy, identity }],
    });
    const cm = plain.find((o) => o.kind === "ConfigMap");
    expect(cm?.kind === "ConfigMap" ? Object.keys(cm.data) : []).toEqual(["rclone.conf", "run.sh"]);
    expect(JSON.stringify(plain)).not.toMatch(/initContainers|x509|roles-anywhere/);
  });
});

describe("the copies' DNS rule", () => {
  const allowDns = (dns?: Parameters<typeof renderDataCopies>[0]["dns"]) => {
    const policy = renderDataCopies({
      cluster: "dc1",
      image: `registry.internal.example.com/rclone/rclone:1.75.2@sha256:${"a".repeat(64)}`,
      pool: { name: "cpu" },
      trust: "private",
      copies: [certifiedCopy],
      ...(dns ? { dns } : {}),
    }).find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "allow-dns");
    if (policy?.kind !== "NetworkPolicy") throw new Error("no allow-dns");
    return policy.spec.egress;
  };

  it("admits the node-local DNS cache alone on a cluster that states it, CoreDNS otherwise", () => {
    expect(allowDns({ kind: "nodelocaldns" })).toEqual([
      {
        to: [{ ipBlock: { cidr: "169.254.25.10/32" } }],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
    ]);
    expect(allowDns()?.[0]?.to).toEqual([
      {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
        podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
      },
    ]);
  });
});
