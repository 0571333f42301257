// Every rule of the pack, as plain arrays: tests run them directly, `policies/index.ts` serves them.
// A family of rules is one file here exporting `RULES`; list it below (a test fails when a file
// of this folder is not listed, or a rule name repeats).
import * as awsCompute from "./aws-compute";
import * as awsEks from "./aws-eks";
import * as awsIam from "./aws-iam";
import * as awsKms from "./aws-kms";
import * as awsLogging from "./aws-logging";
import * as awsNetwork from "./aws-network";
import * as awsS3 from "./aws-s3";
import * as azureAks from "./azure-aks";
import * as azureIdentity from "./azure-identity";
import * as azureKeyvault from "./azure-keyvault";
import * as azureNetwork from "./azure-network";
import * as azureStorage from "./azure-storage";
import * as governance from "./governance";
import * as kubernetesNetwork from "./kubernetes-network";
import * as kubernetesPods from "./kubernetes-pods";
import * as kubernetesRbac from "./kubernetes-rbac";
import * as placement from "./placement";
import * as stackIntegrity from "./stack-integrity";
import * as vpn from "./vpn";

/** Each family's rules, by the file that holds them. */
export const FAMILIES = {
  "aws-eks": awsEks.RULES,
  "aws-compute": awsCompute.RULES,
  "aws-s3": awsS3.RULES,
  "aws-iam": awsIam.RULES,
  "aws-kms": awsKms.RULES,
  "aws-network": awsNetwork.RULES,
  "aws-logging": awsLogging.RULES,
  "azure-aks": azureAks.RULES,
  "azure-storage": azureStorage.RULES,
  "azure-keyvault": azureKeyvault.RULES,
  "azure-network": azureNetwork.RULES,
  "azure-identity": azureIdentity.RULES,
  vpn: vpn.RULES,
  "kubernetes-pods": kubernetesPods.RULES,
  "kubernetes-rbac": kubernetesRbac.RULES,
  "kubernetes-network": kubernetesNetwork.RULES,
  placement: placement.RULES,
  governance: governance.RULES,
  "stack-integrity": stackIntegrity.RULES,
} as const;

/** Every rule of the pack. */
export const ALL_RULES = Object.values(FAMILIES).flat();
