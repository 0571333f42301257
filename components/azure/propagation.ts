import type { RoleAssignment } from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";

/** The type token the engine sees: `pulumi-nodejs:dynamic/azure:RoleAssignmentPropagation`. */
export const RBAC_PROPAGATION_TYPE = "pulumi-nodejs:dynamic/azure:RoleAssignmentPropagation";

export interface RoleAssignmentWaitInputs {
  /** The assignments waited for; a new or replaced one waits again. */
  roleAssignmentIds: string[];
  /** Seconds to wait after they exist. */
  seconds: number;
}

// The provider runs in the engine's dynamic-provider host, serialised as a closure: it may use
// only what it declares here and Node's globals.
export const roleAssignmentWaitProvider: pulumi.dynamic.ResourceProvider<
  RoleAssignmentWaitInputs,
  RoleAssignmentWaitInputs
> = {
  async create(inputs) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, inputs.seconds) * 1000));
    return { id: `rbac-propagation-${Date.now().toString(36)}`, outs: inputs };
  },
  async diff(_id, olds, news) {
    const before = [...(olds.roleAssignmentIds ?? [])].sort().join(",");
    const after = [...(news.roleAssignmentIds ?? [])].sort().join(",");
    // A changed set of assignments is a new grant to wait for; a changed duration alone is not.
    const replaces = before === after ? [] : ["roleAssignmentIds"];
    return { changes: replaces.length > 0 || olds.seconds !== news.seconds, replaces };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
};

/** The wait as a resource: a dynamic resource, as no installed provider offers a timer. */
class RoleAssignmentPropagation extends pulumi.dynamic.Resource {
  constructor(name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    super(roleAssignmentWaitProvider, name, props, opts, "azure", "RoleAssignmentPropagation");
  }
}

/**
 * A wait that exists once `assignments` exist and `seconds` have passed since: resources that
 * need the grants in effect depend on it. It waits when it is created (a first `up`) and when an
 * assignment is replaced, never on an update that leaves them alone, and not in a preview.
 */
export function waitForRoleAssignments(
  name: string,
  parent: pulumi.Resource,
  assignments: RoleAssignment[],
  seconds: number,
): pulumi.CustomResource {
  return new RoleAssignmentPropagation(
    name,
    { roleAssignmentIds: assignments.map((a) => a.id), seconds },
    { parent, dependsOn: assignments },
  );
}
