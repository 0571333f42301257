// The families of the pack, one line each: a family is one file of this folder exporting
// `FAMILY = family("<its file name>", "<title>", [rules])`, and its line below is all that
// registers it (the pack, the tests, the docs and the coverage read the rules from here; a test
// fails when a file of this folder has no line, or a family's id is not its file name).

export * as awsCompute from "./aws-compute";
export * as awsEks from "./aws-eks";
export * as awsIam from "./aws-iam";
export * as awsKms from "./aws-kms";
export * as awsLogging from "./aws-logging";
export * as awsNetwork from "./aws-network";
export * as awsS3 from "./aws-s3";
export * as azureAks from "./azure-aks";
export * as azureIdentity from "./azure-identity";
export * as azureKeyvault from "./azure-keyvault";
export * as azureNetwork from "./azure-network";
export * as azureStorage from "./azure-storage";
export * as data from "./data";
export * as governance from "./governance";
export * as kubernetesNetwork from "./kubernetes-network";
export * as kubernetesPods from "./kubernetes-pods";
export * as kubernetesRbac from "./kubernetes-rbac";
export * as placement from "./placement";
export * as queues from "./queues";
export * as stackIntegrity from "./stack-integrity";
export * as traffic from "./traffic";
export * as vpn from "./vpn";
