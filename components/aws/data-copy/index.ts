// Data copies on AWS: the role a copy runs as (Pod Identity or web identity, its prefixes only),
// an IAM OIDC provider for another cluster's issuer, and the S3 and STS endpoints copies on other
// sites reach over the VPN; IAM Roles Anywhere for a site with no issuer AWS can reach.
export {
  AwsDataCopyRole,
  type AwsDataCopyRoleArgs,
  type CopyBucketGrant,
  type CopyRoleTrust,
  type RolesAnywhereRoleTrust,
  rolesAnywhereSessionSecondsSchema,
} from "./copy-role";
export { AwsDataEndpoints, type AwsDataEndpointsArgs } from "./data-endpoints";
export { AwsFederatedIssuer, type AwsFederatedIssuerArgs } from "./federated-issuer";
export { type CopyGrants, dataCopyPolicy, type ManifestGrant } from "./policy";
export {
  AwsRolesAnywhereAnchor,
  type AwsRolesAnywhereAnchorArgs,
  pemCertificateBundleSchema,
  type RolesAnywhereTrust,
  rolesAnywhereTrustPolicy,
} from "./roles-anywhere";
