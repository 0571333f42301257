// Where each region's EKS add-on images live (EKS docs, "View Amazon container image registries for
// Amazon EKS add-ons"): nodes pull them through the VPC's ECR endpoints, no internet egress needed.

/** The registry account of every region that is not in `EKS_REGISTRY_EXCEPTIONS`. */
export const EKS_REGISTRY_ACCOUNT = "602401143452";

/** Regions whose EKS add-on registry is another account. */
export const EKS_REGISTRY_EXCEPTIONS: Readonly<Record<string, string>> = {
  "af-south-1": "877085696533",
  "ap-east-1": "800184023465",
  "ap-south-2": "900889452093",
  "ap-southeast-3": "296578399912",
  "ap-southeast-4": "491585149902",
  "eu-south-1": "590381155156",
  "cn-north-1": "918309763551",
  "cn-northwest-1": "961992271922",
};

/** The EKS add-on registry host of `region`, with the partition's DNS suffix. */
export function eksRegistry(region: string, dnsSuffix = "amazonaws.com"): string {
  const account = EKS_REGISTRY_EXCEPTIONS[region] ?? EKS_REGISTRY_ACCOUNT;
  return `${account}.dkr.ecr.${region}.${dnsSuffix}`;
}
