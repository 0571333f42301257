import { z } from "zod";

/**
 * How long a role assignment that gates a key is given to take effect before the resource that
 * uses it is created. Key Vault's RBAC guide: "it will take up to 10 minutes (600 seconds) after
 * role assignments is changed for role to be applied"; a storage account created with a
 * customer-managed key (Azure/bicep#16601, pulumi/pulumi#16893) or an AKS cluster with KMS
 * (`AzureKeyVaultKmsValidateIdentityPermissionCustomerError`, Azure/AKS#3575) fails its first
 * create while the assignment propagates, and a rerun succeeds. Five minutes covers the reported
 * cases; `0` skips the wait (grants made beforehand), up to the documented 600.
 */
export const RBAC_PROPAGATION_DEFAULT_SECONDS = 300;
/** The documented worst case: waiting longer buys nothing. */
export const RBAC_PROPAGATION_MAX_SECONDS = 600;

/** The arg both key users take: whole seconds, 0 to the documented worst case. */
export const RBAC_PROPAGATION_SECONDS = z
  .number()
  .int()
  .min(0)
  .max(
    RBAC_PROPAGATION_MAX_SECONDS,
    `must be at most ${RBAC_PROPAGATION_MAX_SECONDS} (Key Vault documents role assignments applying within 10 minutes)`,
  );
