import type * as pulumi from "@pulumi/pulumi";
import { type Common, childName } from "../../kit";
import type { AwsContext } from "../context";

/** What every child of an `AwsVpc` is declared with, and how it is tagged. */
export interface VpcScope {
  readonly name: string;
  readonly parent: pulumi.Resource;
  readonly common: Common;
  readonly ctx: AwsContext;
  /** The standard tags, `extra`, and a `Name` derived from the component name and `suffix`. */
  tag(suffix: string, extra?: Record<string, string>): Record<string, string>;
}

export function vpcScope(name: string, parent: pulumi.Resource, common: Common, ctx: AwsContext): VpcScope {
  return {
    name,
    parent,
    common,
    ctx,
    tag: (suffix, extra = {}) => ({ ...common.tags, ...extra, Name: childName(name, suffix) }),
  };
}
