import {
  checkClusterName,
  checkInlinePools,
  checkKubernetesSupport,
  checkNodeResourceGroup,
  checkRbacAssignments,
  checkStorageArgs,
  defaultClusterName,
  defaultSkuTier,
  makesAccountPrefix,
} from "../../../components/azure/internal";
import { datasetName } from "../datasets";
import type { ConfigCheck } from "./check";
import { collect, issueAt } from "./check";

/** The suffix azure-native's auto-naming adds to a resource group the file does not name. */
const AUTO_NAME_SUFFIX = 8;

/**
 * Without the API server subnet the etcd KMS Key Vault cannot be private (AKS reaches a private
 * vault only from that subnet), so `apiServerSubnet: false` would turn it public as a side effect:
 * that needs its own word in the file.
 */
export const kmsVaultAcknowledged: ConfigCheck = {
  name: "a public etcd key vault is said out loud",
  check: ({ azure }) => {
    if (azure?.config.network.apiServerSubnet !== false) return [];
    const access = azure.config.cluster.kmsKeyVaultAccess;
    if (access === "Public") return [];
    return access === undefined
      ? [
          issueAt(
            ["azure", "network", "apiServerSubnet"],
            "is false, which leaves the etcd KMS Key Vault reachable from public networks (a private vault needs the API server subnet); set azure.cluster.kmsKeyVaultAccess: Public to accept that, or remove apiServerSubnet: false",
          ),
        ]
      : [
          issueAt(
            ["azure", "cluster", "kmsKeyVaultAccess"],
            '"Private" needs the API server subnet, which azure.network.apiServerSubnet: false removes; keep the subnet, or set kmsKeyVaultAccess: Public',
          ),
        ];
  },
};

/**
 * The AKS cluster's own rules, run on the file's values (the component runs the same rules on its
 * args): the cluster name the environment makes, AKS's node resource group name, the Kubernetes
 * minor against AKS's calendar and support plan, RBAC grants, and the pools (agent pool names,
 * GPU-only fields, encryption at host as each pool ends up with it).
 */
export const azureClusterRules: ConfigCheck = {
  name: "the AKS cluster's rules",
  check: ({ config, azure }) => {
    if (!azure) return [];
    const c = azure.config.cluster;
    const at = ["azure", "cluster"];
    const clusterName = defaultClusterName(c.name, config.environment);
    const group = azure.config.resourceGroupName;
    return collect((sink) => {
      checkClusterName(clusterName, sink, [...at, "name"], "the cluster name");
      checkNodeResourceGroup(
        {
          resourceGroup: group ?? {
            autoNamedFrom: `${clusterName}-rg`,
            suffixLength: AUTO_NAME_SUFFIX,
          },
          clusterName,
          location: azure.region,
        },
        sink,
        group === undefined ? [...at, "name"] : ["azure", "resourceGroupName"],
      );
      checkKubernetesSupport(
        {
          kubernetesVersion: c.kubernetesVersion,
          supportPlan: c.supportPlan ?? "KubernetesOfficial",
          skuTier: c.skuTier ?? defaultSkuTier(config.environment),
        },
        sink,
        at,
      );
      checkRbacAssignments(c.rbacAssignments ?? [], sink, at);
      const pools =
        c.encryptionAtHost === undefined
          ? c.nodePools
          : c.nodePools.map((p) => ({ encryptionAtHost: c.encryptionAtHost, ...p }));
      checkInlinePools(pools, sink, at, { settings: false });
    });
  },
};

/** Each storage account's rules: a name that makes an account name prefix, containers named once, datasets' container. */
export const azureStorageRules: ConfigCheck = {
  name: "the storage accounts' rules",
  check: ({ azure }) =>
    (azure?.config.storage ?? []).flatMap((s, i) => [
      ...(makesAccountPrefix(s.name)
        ? []
        : [
            issueAt(
              ["azure", "storage", i, "name"],
              `${JSON.stringify(s.name)} makes no storage account name prefix (3-18 lower-case letters and digits once dashes are dropped; a random suffix follows); choose another name`,
            ),
          ]),
      ...collect((sink) =>
        checkStorageArgs({ ...s, datasets: (s.datasets ?? []).map(datasetName) }, sink, [
          "azure",
          "storage",
          i,
        ]),
      ),
    ]),
};
