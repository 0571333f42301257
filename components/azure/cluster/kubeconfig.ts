import { listManagedClusterUserCredentialsOutput } from "@pulumi/azure-native/containerservice";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { renderKubeconfig } from "../../kit";

/** The Entra ID application every AKS cluster's tokens are issued for (the AKS AAD server). */
export const AKS_AAD_SERVER_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";

/**
 * The cluster's kubeconfig, secret. The user kubeconfig AKS hands out gives the server and CA; the
 * credential is kubelogin's short-lived Entra ID token, so the kubeconfig itself holds no secret
 * key. It is still kept secret: it names the private endpoint and is what every tool connects with.
 */
export function clusterKubeconfig(
  parent: pulumi.Resource,
  resourceGroupName: pulumi.Input<string>,
  clusterName: pulumi.Output<string>,
): pulumi.Output<string> {
  const credentials = listManagedClusterUserCredentialsOutput(
    { resourceGroupName, resourceName: clusterName, format: "exec" },
    { parent },
  );
  return pulumi.secret(
    pulumi.all([clusterName, credentials.kubeconfigs]).apply(([n, kubeconfigs]) => {
      const { server, certificateAuthorityData } = serverOf(kubeconfigs[0]?.value ?? "");
      return renderKubeconfig({
        name: n,
        server,
        certificateAuthorityData,
        exec: {
          command: "kubelogin",
          args: ["get-token", "--login", "azurecli", "--server-id", AKS_AAD_SERVER_ID],
          installHint:
            "Install kubelogin (az aks install-cli) and sign in with az login as a member of an admin group or an RBAC assignment.",
        },
      });
    }),
  );
}

/** The server and CA of the first cluster in a kubeconfig AKS returned (base64 YAML). */
function serverOf(base64: string): { server: string; certificateAuthorityData: string } {
  const doc = parseYaml(Buffer.from(base64, "base64").toString("utf8")) as {
    clusters?: { cluster?: { server?: string; "certificate-authority-data"?: string } }[];
  } | null;
  const cluster = doc?.clusters?.[0]?.cluster ?? {};
  return {
    server: cluster.server ?? "",
    certificateAuthorityData: cluster["certificate-authority-data"] ?? "",
  };
}
