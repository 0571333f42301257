// Where an Azure component's resources go: the resource group and region every component takes,
// validated and applied one way.
import type * as pulumi from "@pulumi/pulumi";
import { commonArgsShape, input } from "../kit";
import { LOCATION, RESOURCE_GROUP_NAME } from "./ids";

/** The zod shape of the common args, the resource group and an optional region (default the group's). */
export const groupArgsShape = {
  ...commonArgsShape,
  resourceGroupName: input(RESOURCE_GROUP_NAME),
  location: LOCATION.optional(),
};

/** The resource group and region a child goes in; no region means the resource group's. */
export interface GroupAndRegion {
  resourceGroupName: pulumi.Input<string>;
  location?: string | undefined;
}

/** `{ location }` when a region is given, nothing otherwise (ARM then takes the resource group's). */
export function locatedIn<T>(location: T | undefined): { location?: T } {
  return location === undefined ? {} : { location };
}
