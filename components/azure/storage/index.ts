// Encrypted blob storage, one file per concern: args (interface, schema, defaults), the
// customer-managed key, the account, its blob service, its private endpoint, and the component.
export {
  type AzureEncryptedStorageArgs,
  type AzureStorageNetwork,
  checkStorageArgs,
  DATASETS_CONTAINER,
  makesAccountPrefix,
  STORAGE_DEFAULTS,
  storageArgsSchemaFor,
} from "./args";
export { AzureBlobPrivateDns, type AzureBlobPrivateDnsArgs } from "./blob-dns";
export { BLOB_LOG_CATEGORIES } from "./blob-service";
export { AzureEncryptedStorage } from "./encrypted-storage";
export { BLOB_PRIVATE_DNS_ZONE } from "./private-endpoint";
