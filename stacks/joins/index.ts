// What joins the sites once each is declared: the VPN links, hybrid DNS, and the paths and cloud
// identities that let each placed workload read its datasets.
export {
  type DataPath,
  onPremStoragePath,
  readerClassificationIssues,
  unhostedDatasetIssues,
} from "./data-access";
export { type DnsOutputs, declareHybridDns } from "./dns";
export {
  awsIdentityNameIssues,
  declareWorkloadIdentities,
  ENTRA_ID_TOKEN_PATH,
  POD_IDENTITY_AGENT,
  type WorkloadIdentities,
  type WorkloadIdentity,
} from "./identities";
export { declareVpn, reachOverLinks, type VpnOutputs } from "./vpn";
