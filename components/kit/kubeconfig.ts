import { stringify } from "yaml";

/** A kubeconfig that holds no credential: kubectl asks a command for a short-lived token. */
export interface ExecKubeconfig {
  /** Context, cluster and user name. */
  name: string;
  server: string;
  /** Base64 PEM of the cluster's CA. */
  certificateAuthorityData: string;
  /** The credential plugin and its arguments. */
  exec: { command: string; args: string[]; env?: { name: string; value: string }[]; installHint: string };
}

/** Renders a kubeconfig YAML document for an exec credential plugin. */
export function renderKubeconfig(k: ExecKubeconfig): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: k.name,
        cluster: { server: k.server, "certificate-authority-data": k.certificateAuthorityData },
      },
    ],
    contexts: [{ name: k.name, context: { cluster: k.name, user: k.name } }],
    "current-context": k.name,
    users: [
      {
        name: k.name,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: k.exec.command,
            args: k.exec.args,
            ...(k.exec.env ? { env: k.exec.env } : {}),
            interactiveMode: "Never",
            provideClusterInfo: false,
            installHint: k.exec.installHint,
          },
        },
      },
    ],
  });
}
