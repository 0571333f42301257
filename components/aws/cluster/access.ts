import { createHash } from "node:crypto";
import * as eks from "@pulumi/aws/eks";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import type { ClusterScope } from "./scope";

/** EKS access policies by the short name the args use. */
export const ACCESS_POLICIES = {
  ClusterAdmin: "AmazonEKSClusterAdminPolicy",
  Admin: "AmazonEKSAdminPolicy",
  Edit: "AmazonEKSEditPolicy",
  View: "AmazonEKSViewPolicy",
} as const;

/** The short name of an EKS access policy. */
export type AccessPolicyName = keyof typeof ACCESS_POLICIES;

/** One principal's access: an EKS access policy, cluster-wide or in some namespaces. */
export interface AccessGrant {
  principalArn: string;
  policy: AccessPolicyName;
  namespaces?: string[] | undefined;
}

/** Every grant of a cluster: the admins (cluster-admin everywhere) first, then the further entries. */
export function accessGrants(admins: readonly string[], entries: readonly AccessGrant[] = []): AccessGrant[] {
  return [
    ...admins.map((principalArn) => ({
      principalArn,
      policy: "ClusterAdmin" as const,
      namespaces: undefined,
    })),
    ...entries,
  ];
}

/**
 * A stable child-name suffix for an IAM principal: its last path segment plus a short hash of the
 * whole ARN, so reordering or adding principals never renames (and so replaces) an entry.
 */
export function principalSlug(arn: string): string {
  const last = (arn.split("/").pop() ?? "principal")
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 32);
  return `${last}-${createHash("sha256").update(arn).digest("hex").slice(0, 6)}`;
}

/**
 * Access entries instead of the aws-auth ConfigMap: one entry and one policy association per
 * grant. Returns them all, so what talks to the API can wait until access exists.
 */
export function createAccessEntries(
  scope: ClusterScope,
  clusterName: pulumi.Input<string>,
  grants: readonly AccessGrant[],
): pulumi.Resource[] {
  const { name, parent, common, ctx } = scope;
  const created: pulumi.Resource[] = [];
  for (const grant of grants) {
    const id = childName(name, "access", principalSlug(grant.principalArn));
    const entry = new eks.AccessEntry(
      id,
      { clusterName, principalArn: grant.principalArn, type: "STANDARD", tags: common.tags },
      { parent },
    );
    const association = new eks.AccessPolicyAssociation(
      id,
      {
        clusterName,
        principalArn: entry.principalArn,
        policyArn: pulumi.interpolate`arn:${ctx.partition}:eks::aws:cluster-access-policy/${ACCESS_POLICIES[grant.policy]}`,
        accessScope: grant.namespaces
          ? { type: "namespace", namespaces: grant.namespaces }
          : { type: "cluster" },
      },
      { parent },
    );
    created.push(entry, association);
  }
  return created;
}
