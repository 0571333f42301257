import type { ConfigCheck } from "./check";
import { issueAt } from "./check";

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
