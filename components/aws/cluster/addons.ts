import * as eks from "@pulumi/aws/eks";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import { ADDONS, type AddonName, type AddonSpec } from "./addon-specs";
import { createPodIdentityRole } from "./identity";
import type { ClusterScope } from "./scope";

/** The cluster an add-on goes on: its name and ARN, and its Kubernetes version, which picks the add-on's. */
export interface AddonCluster {
  name: pulumi.Input<string>;
  arn: pulumi.Input<string>;
  version: pulumi.Input<string>;
}

/** What the add-ons are set up with: versions pinned by the args, and the network policy mode. */
export interface AddonSettings {
  versions: Partial<Record<AddonName, string>>;
  networkPolicyMode: "strict" | "standard";
}

/** An add-on's version as declared, and EKS's default for the cluster's Kubernetes version now. */
export interface AddonVersion {
  /** The version the add-on is declared at. */
  version: string;
  /** EKS's current default for the cluster's Kubernetes version. */
  default: string;
  /** Whether the args pin it (else it is the default recorded when the Kubernetes version was). */
  pinned: boolean;
}

/**
 * The version an add-on is declared at. Pinned by the args: that one. Otherwise EKS's default for
 * the cluster's Kubernetes version, recorded once in the stack's state (a `Stash`): a later default
 * for the same version is reported, never applied, so an unrelated `up` never upgrades aws-node,
 * CoreDNS or kube-proxy across the cluster; a new Kubernetes version replaces the record (the
 * stash's `replacementTrigger`), so the add-ons move with the control plane. `pulumi up --replace`
 * on the stash takes the new default deliberately.
 */
function addonVersion(
  scope: ClusterScope,
  cluster: AddonCluster,
  spec: AddonSpec,
  pinned: string | undefined,
): pulumi.Output<AddonVersion> {
  const current = eks.getAddonVersionOutput(
    { addonName: spec.name, kubernetesVersion: cluster.version },
    { parent: scope.parent },
  ).version;
  if (pinned !== undefined) {
    return current.apply((d) => ({ version: pinned, default: d, pinned: true }));
  }
  const recorded = new pulumi.Stash(
    childName(scope.name, spec.name, "version"),
    { input: current },
    { parent: scope.parent, replacementTrigger: cluster.version },
  );
  return pulumi
    .all([recorded.output as pulumi.Output<string>, current])
    .apply(([version, d]) => ({ version, default: d, pinned: false }));
}

/**
 * Declares one managed add-on (and its Pod Identity role), after `dependsOn`, at the version
 * `addonVersion` decides; a newer EKS default is a warning on every preview.
 */
function createAddon(
  scope: ClusterScope,
  cluster: AddonCluster,
  spec: AddonSpec,
  settings: AddonSettings,
  dependsOn: pulumi.Resource[],
): { addon: eks.Addon; version: pulumi.Output<AddonVersion> } {
  const waitFor = [...dependsOn];
  let podIdentityAssociations: { roleArn: pulumi.Input<string>; serviceAccount: string }[] | undefined;
  if (spec.podIdentity) {
    const { role, attachment } = createPodIdentityRole(scope, spec.name, spec.podIdentity, cluster.arn);
    waitFor.push(attachment);
    podIdentityAssociations = [{ roleArn: role.arn, serviceAccount: spec.podIdentity.serviceAccount }];
  }
  const version = addonVersion(scope, cluster, spec, settings.versions[spec.name]);
  version.apply((v) => {
    if (v.version !== v.default && v.default) {
      pulumi.log.warn(
        `add-on ${spec.name} stays at ${v.version}; EKS's default for this Kubernetes version is now ${v.default}. To move, set addonVersions["${spec.name}"] to it${v.pinned ? "" : ` (or replace the recorded version: pulumi up --replace <urn of ${childName(scope.name, spec.name, "version")}>)`}`,
        scope.parent,
      );
    }
  });
  const configuration = spec.configuration?.(settings.networkPolicyMode);
  const addon = new eks.Addon(
    childName(scope.name, spec.name),
    {
      clusterName: cluster.name,
      addonName: spec.name,
      addonVersion: version.version,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
      ...(configuration ? { configurationValues: JSON.stringify(configuration) } : {}),
      ...(podIdentityAssociations ? { podIdentityAssociations } : {}),
      tags: scope.common.tags,
    },
    { parent: scope.parent, dependsOn: waitFor },
  );
  return { addon, version };
}

/** The add-ons and their versions, by name. */
export interface DeclaredAddons {
  addons: eks.Addon[];
  versions: Partial<Record<AddonName, pulumi.Output<AddonVersion>>>;
}

/** The add-ons nodes need to join; those whose service accounts use Pod Identity wait for its agent. */
export function createAddonsBeforeNodes(
  scope: ClusterScope,
  cluster: AddonCluster,
  settings: AddonSettings,
): DeclaredAddons {
  const agent: eks.Addon[] = [];
  const declared: DeclaredAddons = { addons: [], versions: {} };
  for (const spec of ADDONS.filter((a) => a.beforeNodes)) {
    const { addon, version } = createAddon(scope, cluster, spec, settings, spec.podIdentity ? agent : []);
    if (spec.name === "eks-pod-identity-agent") agent.push(addon);
    declared.addons.push(addon);
    declared.versions[spec.name] = version;
  }
  return declared;
}

/** The add-ons that need running nodes, after `nodes`. */
export function createAddonsAfterNodes(
  scope: ClusterScope,
  cluster: AddonCluster,
  settings: AddonSettings,
  nodes: pulumi.Resource[],
): DeclaredAddons {
  const declared: DeclaredAddons = { addons: [], versions: {} };
  for (const spec of ADDONS.filter((a) => !a.beforeNodes)) {
    const { addon, version } = createAddon(scope, cluster, spec, settings, nodes);
    declared.addons.push(addon);
    declared.versions[spec.name] = version;
  }
  return declared;
}
