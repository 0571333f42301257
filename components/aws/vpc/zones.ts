import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import type * as pulumi from "@pulumi/pulumi";

/** A zone of a new VPC, with the key its children are named by. */
export interface VpcZone {
  key: string;
  zone: pulumi.Input<string>;
}

/**
 * The zones of a new VPC. Given zones name their subnets, route tables and gateways (so their URNs
 * stay as they were); zones read from the region are Outputs, so those children go by position.
 */
export function vpcZones(
  name: string,
  parent: pulumi.Resource,
  given: readonly string[] | undefined,
  count: number,
): VpcZone[] {
  return given
    ? given.map((zone) => ({ key: zone, zone }))
    : availableZones(name, parent, count).map((zone, i) => ({ key: String(i), zone }));
}

/**
 * Only a region's own zones: Local and Wavelength Zones are opt-in, offer few instance types and no
 * EKS control plane, so a default must never pick one.
 */
export const REGIONAL_ZONES = {
  state: "available",
  filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
};

/**
 * The first `count` zones the region reports available (read at deploy time, through the
 * component's provider), one Output per zone.
 */
function availableZones(name: string, parent: pulumi.Resource, count: number): pulumi.Output<string>[] {
  const names = getAvailabilityZonesOutput(REGIONAL_ZONES, { parent }).names;
  return Array.from({ length: count }, (_, i) =>
    names.apply((available) => {
      const zone = available[i];
      if (zone === undefined) {
        throw new Error(
          `AwsVpc ${JSON.stringify(name)}: the region reports ${available.length} available zones, fewer than ${count}; set availabilityZones`,
        );
      }
      return zone;
    }),
  );
}
