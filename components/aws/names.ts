import type { IssueSink } from "../validation";

// Physical names the AWS components give (explicitly, or through Pulumi's auto-naming from a
// child's logical name), checked against each service's limit before anything is declared. The
// provider's auto-naming knows only its own, looser bound (pulumi-aws names a node group with up
// to 255 characters, EKS takes 63), so a long cluster, pool or workload name would otherwise fail
// half way through an update.

/** Each service's limit on a name, and where the limit is documented. */
export const AWS_NAME_LIMITS = {
  iamRole: { max: 64, what: "IAM role name", source: "IAM CreateRole, RoleName" },
  iamRolePolicy: { max: 128, what: "inline IAM policy name", source: "IAM PutRolePolicy, PolicyName" },
  eksNodeGroup: { max: 63, what: "EKS node group name", source: "EKS CreateNodegroup, nodegroupName" },
  launchTemplate: { max: 128, what: "launch template name", source: "EC2 CreateLaunchTemplate" },
  placementGroup: { max: 255, what: "placement group name", source: "EC2 CreatePlacementGroup" },
  securityGroup: { max: 255, what: "security group name", source: "EC2 CreateSecurityGroup" },
} as const;

export type AwsNameKind = keyof typeof AWS_NAME_LIMITS;

/** Pulumi's default auto-name adds a dash and seven random hex digits to the logical name. */
export const AUTONAME_SUFFIX = "-xxxxxxx";

/** A physical name a component will create, and what decides it. */
export interface GeneratedName {
  kind: AwsNameKind;
  /** The logical name Pulumi auto-names from (the physical name is it plus `AUTONAME_SUFFIX`). */
  logical: string;
  /**
   * Where to report a name over the limit, relative to the component's args: the field that makes
   * it long (a pool's `name`), or `[]` for the component's own name.
   */
  path: (string | number)[];
}

/**
 * Reports each generated name over its service's limit, under its path: the name it would get,
 * its length, the limit and by how much to shorten what decides it. Each name once.
 */
export function checkNameLimits(
  names: readonly GeneratedName[],
  sink: IssueSink,
  source = "the component name",
): void {
  const seen = new Set<string>();
  for (const { kind, logical, path } of names) {
    const physical = `${logical}${AUTONAME_SUFFIX}`;
    const limit = AWS_NAME_LIMITS[kind];
    if (physical.length <= limit.max || seen.has(`${kind}:${logical}`)) continue;
    seen.add(`${kind}:${logical}`);
    sink.addIssue({
      code: "custom",
      path,
      message: `${path.length === 0 ? source : "this name"} gives the ${limit.what} "${physical}" (${physical.length} characters, the last seven random), over the ${limit.max} ${limit.source} allows; shorten it by ${physical.length - limit.max}`,
    });
  }
}
